import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn the bin and the fake CLI as processes; two cores here.
    maxWorkers: 2,
  },
})

import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn the bin and the fake CLI as processes; two cores here.
    maxWorkers: 2,
    // The test files share a worker's module cache instead of importing lib/, zod and the schemas
    // again for each file (a fifth of the suite's time). No test changes module state: every
    // run goes through runSkill/main with its own env, IO and clock, and the suite passes with
    // its files and tests in random order (`npx vitest run --sequence.shuffle`).
    isolate: false,
  },
})

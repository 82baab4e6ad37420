// Memory stays flat in the number of pages: a run keeps what it reduced from a page, never the page.
// The review runs in a child node with a small heap (the only way to give one run its own heap
// limit); see test/support/many-pages.ts. Timings and peak RSS belong to `npm run bench`.

import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../lib/paths.js'

const MANY_PAGES = join(packageRoot(), 'dist', 'test', 'support', 'many-pages.js')

describe('memory', () => {
  it('ecs-review reads 40 pages of ~800 KB each (32 MB of output) under a 32 MB heap', () => {
    const pages = 40
    const run = spawnSync(process.execPath, ['--max-old-space-size=32', MANY_PAGES, String(pages), '8000'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
    expect(run.stderr).not.toMatch(/heap out of memory/)
    expect(run.status).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.data.inventory.total).toBe(pages * 100)
    // Every page's request id is in the steps, each one a small value of its own.
    const ids = result.steps.filter((s: { step: string }) => s.step.includes('describe-instances')).map((s: { request_id: string }) => s.request_id)
    expect(ids).toHaveLength(pages)
    expect(ids[pages - 1]).toBe(`5A3C${String(pages - 1).padStart(4, '0')}-0000-4000-8000-000000000000`)
  })
})

// The README's first command ends in `npm run demo`: every bundled demo must replay cleanly, with
// the progress lines on stderr and the human report on stdout.

import { describe, expect, it } from 'vitest'
import { DEMOS } from '../lib/demo.js'
import { runBin } from './support/run.js'

describe('demo', () => {
  it.each(Object.keys(DEMOS))('%s replays its bundled recording to completion', async (skill) => {
    const res = await runBin(['demo', skill])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toMatch(/^Replaying recordings\//)
    expect(res.stderr).toMatch(/^… /m)
    expect(res.stdout.length).toBeGreaterThan(200)
  })

  it('the default demo is the disaster-recovery workflow, shown with its tables', async () => {
    const res = await runBin(['demo'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toMatch(/aliyun-harness ecs-dr /)
    expect(res.stdout).toMatch(/┌/)
    expect(res.stdout).toMatch(/✔ ecs-dr: completed/)
    expect(res.stderr).toMatch(/\nNext, on your machine: aliyun-harness doctor /)
  })

  it('names the demos there are when asked for one that is not', async () => {
    const res = await runBin(['demo', 'nope'])
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/no demo for 'nope'. Demos: /)
  })
})

// The README's first command ends in `npm run demo`: every bundled demo must replay cleanly, with
// the progress lines on stderr and the human report on stdout.

import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEMOS } from '../lib/demo.js'
import { BIN, cleanEnv, runBin, tempDir } from './support/run.js'

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

  it.each(Object.keys(DEMOS))('%s prints a command line that can be pasted into a shell: it replays the same run', async (skill) => {
    const demo = await runBin(['demo', skill])
    expect(demo.code, demo.stderr).toBe(0)
    const line = demo.stderr.match(/The same run:\n {2}(aliyun-harness .*)\n/)?.[1]
    expect(line).toBeDefined()
    // `aliyun-harness` on PATH is this package's bin; the line goes through a real shell, as pasted.
    const dir = tempDir()
    mkdirSync(join(dir, 'bin'))
    writeFileSync(join(dir, 'bin', 'aliyun-harness'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
    chmodSync(join(dir, 'bin', 'aliyun-harness'), 0o755)
    const pasted = spawnSync('sh', ['-c', line!], { encoding: 'utf8', env: { ...cleanEnv(dir), PATH: `${join(dir, 'bin')}:${process.env.PATH}`, ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(pasted.status, pasted.stderr).toBe(0)
    expect(pasted.stdout.replace(/[0-9a-f]{12}/g, '<id>')).toBe(demo.stdout.replace(/[0-9a-f]{12}/g, '<id>'))
  })

  it('offers no --resume for a run whose state a replay throws away', async () => {
    const res = await runBin(['demo', 'ecs-dr'])
    expect(res.code).toBe(0)
    expect(res.stderr + res.stdout).not.toContain('--resume')
    expect(res.stderr).toMatch(/^ecs-dr run [0-9a-f]{12} \(a replay: its state is thrown away when it ends\)\.$/m)
  })

  it('names the demos there are when asked for one that is not', async () => {
    const res = await runBin(['demo', 'nope'])
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/no demo for 'nope'\. Demos: /)
  })
})

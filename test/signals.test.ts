// D3: ai-mode is disabled on every way out — here SIGTERM in the middle of a run, while a CLI call
// is in flight. The run is the real bin under `aliyun-harness replay`, which forwards the signal.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CliEntry } from '../lib/transcript.js'
import { args, scenarios } from './recordings/eas-deploy.js'
import { calls, interruptWhenHeld, replayBin, type RunResult } from './support/run.js'

/** The shared-vLLM deployment, with the machine-spec call held open (`hang`) until the run is stopped. */
function slowRun() {
  const t = structuredClone(scenarios['shared-vllm'])
  const slow = t.entries.find((e): e is CliEntry => e.kind === 'cli' && e.argv[1] === 'describe-machine-spec')!
  slow.hang = true
  return t
}

describe.each([
  ['SIGTERM', 143],
  ['SIGINT', 130],
  ['SIGHUP', 129],
] as const)('%s in the middle of a run', (signal, exitCode) => {
  // One interrupted run per signal, shared by the tests below: each of them can also run alone.
  let res: RunResult
  beforeAll(async () => {
    res = await replayBin(slowRun(), args['shared-vllm'], { onSpawn: interruptWhenHeld(/describe-machine-spec/, signal) })
  })

  it('stops the in-flight call, disables ai-mode, and exits with the signal code', () => {
    expect(res.code).toBe(exitCode)
    const served = calls(res)
    expect(served.at(-2)).toMatch(/^aliyun eas describe-machine-spec /)
    expect(served.at(-1)).toBe('aliyun configure ai-mode disable')
    expect(served.filter((c) => c.startsWith('aliyun eas create-service'))).toEqual([])
  })

  it('reports the interruption as one JSON result', () => {
    expect(res.json).toMatchObject({ success: false, skill: 'eas-deploy', status: 'stopped', error: { code: 'Interrupted', message: `Interrupted by ${signal}.` } })
    expect(res.stderr).toMatch(new RegExp(`${signal} received: stopping after cleanup`))
  })

  it('releases the machine-wide ai-mode lock', () => {
    expect(existsSync(join(res.dir, 'state', 'ai-mode.lock'))).toBe(false)
  })
})

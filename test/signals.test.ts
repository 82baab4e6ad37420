// D3: ai-mode is disabled on every way out — here SIGTERM in the middle of a run, while a CLI call
// is in flight. The run is the real bin under `aliyun-harness replay`, which forwards the signal.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CliEntry } from '../lib/transcript.js'
import { args, scenarios } from './recordings/eas-deploy.js'
import { calls, replayBin, type RunResult } from './support/run.js'

/** The shared-vLLM deployment, with the machine-spec call hanging long enough to be interrupted. */
function slowRun() {
  const t = structuredClone(scenarios['shared-vllm'])
  const slow = t.entries.find((e): e is CliEntry => e.kind === 'cli' && e.argv[1] === 'describe-machine-spec')!
  slow.delay_ms = 60_000
  return t
}

function interruptWhen(marker: RegExp, signal: NodeJS.Signals) {
  return (child: import('node:child_process').ChildProcess) => {
    let seen = ''
    let sent = false
    child.stderr!.on('data', (chunk: Buffer | string) => {
      seen += String(chunk)
      if (!sent && marker.test(seen)) {
        sent = true
        // Let the harness spawn the fake CLI for that call first.
        setTimeout(() => child.kill(signal), 400)
      }
    })
  }
}

describe.each([
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const)('%s in the middle of a run', (signal, exitCode) => {
  let res: RunResult

  it('stops the in-flight call, disables ai-mode, and exits with the signal code', async () => {
    const started = performance.now()
    res = await replayBin(slowRun(), args['shared-vllm'], { onSpawn: interruptWhen(/describe-machine-spec/, signal) })
    // The hung call (60 s) was cancelled, not waited for.
    expect(performance.now() - started).toBeLessThan(30_000)
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

// How a run is wired to the CLI: record, replay, or live — chosen before anything runs, closed
// without ever losing the run's result.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../lib/errors.js'
import { Redactor } from '../lib/redact.js'
import { openRunMode, REPLAY_ENV, REPLAY_STATE_ENV } from '../lib/run-mode.js'
import type { CliEntry } from '../lib/transcript.js'
import { transcript } from './support/cli-facts.js'
import { tempDir, writeTranscript } from './support/run.js'

const signal = new AbortController().signal

/** A fake `aliyun` that prints a given text for `version`. */
function fakeCli(dir: string, version: string): string {
  const file = join(dir, 'aliyun')
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' ${JSON.stringify(version)}\n`, { mode: 0o755 })
  return file
}

describe('record', () => {
  it('scrubs the transcript header too: whatever `aliyun version` printed', async () => {
    const dir = tempDir()
    const secret = 'Zx9Q3kLmN8pR2sT5vW7yA1bC4dE6fG0h'
    const env = { ALIYUN_CLI: fakeCli(dir, `3.4.11 AccessKeySecret=${secret} LTAI5tAbCdEfGhIjKlMnOpQr`), ALIYUN_HARNESS_STATE_DIR: join(dir, 'state') }
    const file = join(dir, 't.json')
    const mode = openRunMode({ skill: 'probe', env, redactor: new Redactor(env), record: file })
    await mode.transport.exec({ argv: ['version'], timeoutMs: 10_000, signal })
    const closed = await mode.close({ generated: {}, reachedCalls: true })
    expect(closed.warnings).toEqual([])
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(secret)
    expect(text).not.toContain('LTAI5tAbCdEfGhIjKlMnOpQr')
    expect(JSON.parse(text).cli_version).toBe('3.4.11 AccessKeySecret=*** LTAI***')
  })

  it('a transcript that cannot be saved at the end is a warning; the run result stands', async () => {
    const dir = tempDir()
    const env = { ALIYUN_CLI: fakeCli(dir, '3.4.11'), ALIYUN_HARNESS_STATE_DIR: join(dir, 'state') }
    const file = join(dir, 'sub', 't.json')
    const mode = openRunMode({ skill: 'probe', env, redactor: new Redactor(env), record: file })
    expect(existsSync(join(dir, 'sub'))).toBe(true)
    rmSync(join(dir, 'sub'), { recursive: true })
    const closed = await mode.close({ generated: {}, reachedCalls: true })
    expect(closed.error).toBeUndefined()
    expect(closed.warnings).toEqual([{ code: 'TranscriptNotSaved', message: expect.stringContaining(`could not be written to ${file}`), next_action: expect.any(String) }])
  })
})

describe('replay', () => {
  it('refuses a transcript recorded for another skill, naming both', () => {
    const file = writeTranscript(transcript('other-skill', 'x', []))
    const open = () => openRunMode({ skill: 'probe', env: {}, redactor: new Redactor({}), replay: file })
    expect(open).toThrow(UsageError)
    expect(open).toThrow(/was recorded for the other-skill skill, not probe/)
  })

  it('keeps state in a throw-away directory, removed when the run ends', async () => {
    const mode = openRunMode({ skill: 'probe', env: { ALIYUN_HARNESS_STATE_DIR: '/should/not/be/used' }, redactor: new Redactor({}), replay: writeTranscript(transcript('probe', 'x', [])) })
    expect(mode.origin).toBe('replay')
    expect(mode.stateDir).not.toContain('/should/not/be/used')
    expect(existsSync(mode.stateDir)).toBe(true)
    await mode.close({ generated: {}, reachedCalls: true })
    expect(existsSync(mode.stateDir)).toBe(false)
  })

  it('under the replay tool, uses the state directory the tool names and keeps it', async () => {
    const dir = tempDir()
    const mode = openRunMode({ skill: 'probe', env: { [REPLAY_ENV]: '1', [REPLAY_STATE_ENV]: dir }, redactor: new Redactor({}) })
    expect(mode).toMatchObject({ kind: 'replay', origin: 'replay', stateDir: dir })
    expect(mode.clock.virtual).toBe(true)
    await mode.close({ generated: {}, reachedCalls: true })
    expect(existsSync(dir)).toBe(true)
  })

  it('reports recorded calls never made — but not when the run stopped before its calls (bad input)', async () => {
    const entry: CliEntry = { kind: 'cli', argv: ['version'], stdout: '3.4.11\n', stderr: '', exit_code: 0, duration_ms: 0 }
    const file = writeTranscript(transcript('probe', 'x', [entry]))
    const open = () => openRunMode({ skill: 'probe', env: {}, redactor: new Redactor({}), replay: file })
    expect((await open().close({ generated: {}, reachedCalls: true })).error?.code).toBe('TranscriptNotFullyUsed')
    expect((await open().close({ generated: {}, reachedCalls: false })).error).toBeUndefined()
  })
})

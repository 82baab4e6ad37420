// D7: a seeded AccessKey secret in the environment and in CLI output never reaches stdout, stderr,
// a report file or a recording — in JSON mode, on a terminal-style human run, and when recording.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CliEntry, Transcript } from '../lib/transcript.js'
import { scenarios } from './recordings/ecs-review.js'
import { replayBin, tempDir } from './support/run.js'

const SECRET = 'kZ8vQ2rT5wY7zA1cE4gH6jL9nP3sU0xB'
const KEY_ID = 'LTAI5tSeededKeyId12345678'

/** The healthy-fleet recording, with the secret and the key id showing up in the CLI's own output. */
function leakyTranscript(): Transcript {
  const t = structuredClone(scenarios['healthy-fleet'])
  const cli = t.entries.filter((e): e is CliEntry => e.kind === 'cli' && e.stdout_json !== undefined)
  const target = cli[0].stdout_json as Record<string, unknown>
  target.Note = `credentials ${KEY_ID}:${SECRET}`
  return t
}

const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }

function expectClean(...texts: string[]) {
  for (const text of texts) {
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(KEY_ID)
  }
}

describe('secrets never leave the run', () => {
  it('in JSON mode, the report file, and a transcript recorded with --record', async () => {
    const dir = tempDir()
    const recording = join(dir, 'recorded.json')
    const report = join(dir, 'report.md')
    const res = await replayBin(leakyTranscript(), ['ecs-review', '--region', 'cn-hangzhou', '--record', recording, '--output', report], { dir, env })
    expect(res.code).toBe(0)
    expect(res.json.status).toBe('completed')
    const recorded = readFileSync(recording, 'utf8')
    // The recording did capture the call whose output carried the secret …
    expect(recorded).toContain('"Note": "credentials ***:***"')
    // … scrubbed, like everything else.
    expectClean(res.stdout, res.stderr, recorded, readFileSync(report, 'utf8'))
  })

  it('in human mode', async () => {
    const res = await replayBin(leakyTranscript(), ['ecs-review', '--region', 'cn-hangzhou'], { env: { ...env, ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/# Alibaba Cloud ECS Compute Review/)
    expectClean(res.stdout, res.stderr)
  })
})

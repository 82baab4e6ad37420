// Replays never wait: the bundled "killed after create-image" recording, whose in-flight image poll
// took 30 s when it was recorded (`delay_ms`), replayed by the bin with `--replay`. Limit: 1 s of
// wall time, start-up included — the 30 s pass on the virtual clock. A replay only counts when it
// got as far as that delayed call: its result must hold the describe-images step the recording
// answered after the delay (by its request id). The run then ends as the killed run did not:
// the recording has no further call, so the replay fails with ReplayMismatch, which is expected.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { binPath, packageRoot } from '../../lib/paths.js'
import { entryStdout, loadTranscript, type CliEntry } from '../../lib/transcript.js'
import { ARGS } from '../recordings/ecs-dr.js'
import { limit, median, nodeUsage, type Verdict } from './measure.js'

export const REPLAY_LIMIT_MS = 1000

interface ReplayResult {
  steps?: { command: string[]; exit_code: number; request_id?: string }[]
}

export async function replay(opts: { rounds: number }): Promise<Verdict[]> {
  const file = join(packageRoot(), 'recordings', 'ecs-dr', 'killed-after-create-image.json')
  const delayed = loadTranscript(file).entries.filter((e): e is CliEntry => e.kind === 'cli' && Boolean(e.delay_ms))
  const recorded = delayed.reduce((ms, e) => ms + (e.delay_ms ?? 0), 0)
  const waitedFor = delayed.map((e) => (JSON.parse(entryStdout(e)) as { RequestId: string }).RequestId)
  const home = mkdtempSync(join(tmpdir(), 'harness-bench-home-'))
  const walls: number[] = []
  try {
    for (let r = 0; r < opts.rounds; r++) {
      const run = await nodeUsage([binPath(), ...ARGS['killed-after-create-image'], '--replay', file, '--json'], { HOME: home })
      const answered = new Set(((JSON.parse(run.stdout) as ReplayResult).steps ?? []).filter((s) => s.exit_code === 0).map((s) => s.request_id))
      const missing = waitedFor.filter((id) => !answered.has(id))
      if (missing.length) throw new Error(`the replay (exit ${run.code}) ended before the delayed call(s) answered with request id ${missing.join(', ')}: it did not replay the recording`)
      walls.push(run.wallMs)
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
  process.stdout.write(`replay of recordings/ecs-dr/killed-after-create-image.json (${recorded / 1000} s of recorded delay, ${delayed.length} delayed call(s) reached every time; ${opts.rounds} runs; median):\n`)
  return [limit('wall time of the replay', median(walls), 'ms', REPLAY_LIMIT_MS)]
}

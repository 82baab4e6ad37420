// Replays never wait: the bundled "killed after create-image" recording, whose in-flight image poll
// took 30 s when it was recorded (`delay_ms`), replayed by the bin with `--replay`. Limit: 1 s of
// wall time, start-up included — the 30 s pass on the virtual clock.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { binPath, packageRoot } from '../../lib/paths.js'
import { loadTranscript } from '../../lib/transcript.js'
import { ARGS } from '../recordings/ecs-dr.js'
import { limit, median, nodeUsage, type Verdict } from './measure.js'

export const REPLAY_LIMIT_MS = 1000

export async function replay(opts: { rounds: number }): Promise<Verdict[]> {
  const file = join(packageRoot(), 'recordings', 'ecs-dr', 'killed-after-create-image.json')
  const recorded = loadTranscript(file).entries.reduce((ms, e) => ms + (e.kind === 'cli' ? (e.delay_ms ?? 0) : 0), 0)
  const home = mkdtempSync(join(tmpdir(), 'harness-bench-home-'))
  const walls: number[] = []
  for (let r = 0; r < opts.rounds; r++) walls.push((await nodeUsage([binPath(), ...ARGS['killed-after-create-image'], '--replay', file, '--json'], { HOME: home })).wallMs)
  rmSync(home, { recursive: true, force: true })
  process.stdout.write(`replay of recordings/ecs-dr/killed-after-create-image.json (${recorded / 1000} s of recorded delay; ${opts.rounds} runs; median):\n`)
  return [limit('wall time of the replay', median(walls), 'ms', REPLAY_LIMIT_MS)]
}

// In-process replays: `aliyun-harness <skill> … --replay <transcript>` run through runSkill in the
// test's own process — exactly what users do for replay-based regression tests, without a process
// per CLI call. Scenario tests use this; test/support/run.ts keeps the process-level contracts.

import { join } from 'node:path'
import type { Prompter } from '../../lib/decide.js'
import { REPLAY_STATE_ENV } from '../../lib/run-mode.js'
import { runSkill } from '../../lib/skill.js'
import type { Transcript } from '../../lib/transcript.js'
import { cleanEnv, tempDir, writeTranscript } from './run.js'

export interface ReplayRun {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON when it is JSON. */
  json: any
  dir: string
  /** The CLI calls the run made, as `aliyun <argv…>`, in the order they answered (the result's steps). */
  calls: string[]
}

export interface ReplayOptions {
  env?: NodeJS.ProcessEnv
  /** Run state lives in <dir>/state, so a second replay in the same directory can resume the first. */
  dir?: string
  /** A terminal on stdout (human output) and stdin (prompts go to `prompter`). */
  tty?: boolean
  prompter?: Prompter
}

/** Each skill's module, loaded when a test first replays it. */
const SKILLS: Record<string, () => Promise<{ default: unknown }>> = {
  'ack-profile': () => import('../../scripts/ack-profile.js'),
  'eas-deploy': () => import('../../scripts/eas-deploy.js'),
  'ecs-dr': () => import('../../scripts/ecs-dr.js'),
  'ecs-review': () => import('../../scripts/ecs-review.js'),
  flink: () => import('../../scripts/flink.js'),
}

/** `aliyun-harness <args…> --replay <transcript>`, in process. `args[0]` is the skill. */
export async function replaySkill(transcript: Transcript | string, args: string[], opts: ReplayOptions = {}): Promise<ReplayRun> {
  const dir = opts.dir ?? tempDir()
  const file = typeof transcript === 'string' ? transcript : writeTranscript(transcript, dir)
  const [skill, ...rest] = args
  const def = (await SKILLS[skill]()).default as Parameters<typeof runSkill>[0]
  let stdout = ''
  let stderr = ''
  const code = await runSkill(def, [...rest, '--replay', file], {
    env: { ...cleanEnv(dir, opts.env), [REPLAY_STATE_ENV]: join(dir, 'state') },
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: { isTTY: opts.tty },
    prompter: opts.prompter,
    installSignalHandlers: false,
  })
  let json: any
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }
  const steps: { command: string[] }[] = Array.isArray(json?.steps) ? json.steps : []
  return { code, stdout, stderr, json, dir, calls: steps.map((s) => s.command.join(' ')) }
}

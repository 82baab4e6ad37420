// In-process replays: `aliyun-harness <skill> … --replay <transcript>` run through runSkill in the
// test's own process — exactly what users do for replay-based regression tests, with no process per
// CLI call. Scenario tests use it; test/support/run.ts (the real bin, the fake `aliyun` on PATH)
// keeps the contracts only a process shows: exit codes and signals, the replay/record tools, files.
//
// The result has the shape of a process-level replay (run.ts `RunResult`), so a test reads either
// the same way: `report.calls` are the calls the run made (from its steps, SDK calls as
// `METHOD path`), `report.misses` a call with no recording, `report.unused` the recorded calls it
// never made — both of which `--replay` reports as the run's error.

import { join } from 'node:path'
import type { Prompter } from '../../lib/decide.js'
import type { ServedCall, SessionReport } from '../../lib/replay-server.js'
import { REPLAY_STATE_ENV } from '../../lib/run-mode.js'
import { runSkill } from '../../lib/skill.js'
import type { Transcript } from '../../lib/transcript.js'
import { cleanEnv, tempDir, writeTranscript, type RunResult } from './run.js'

export interface ReplayOptions {
  env?: NodeJS.ProcessEnv
  /** Run state lives in <dir>/state, so a second replay in the same directory can resume the first. */
  dir?: string
  /** A terminal on stdout and stdin: human output, and decisions go to `prompter`. */
  tty?: boolean
  prompter?: Prompter
}

/** A skill's module by name, loaded when a test first replays it (any skill in scripts/, a new one too). */
const loadSkill = (name: string): Promise<{ default: unknown }> => import(/* @vite-ignore */ `../../scripts/${name}.js`)

interface StepLike {
  command: string[]
  exit_code: number
}

/** What the fake CLI would have served: every call the run sent (a refused command was never sent). */
function servedCalls(steps: StepLike[]): ServedCall[] {
  return steps
    .filter((s) => s.exit_code !== -1)
    .map((s) => {
      const sdk = s.command[0].startsWith('sdk:')
      return { kind: sdk ? 'sdk' : 'cli', call: sdk ? `${s.command[2]} ${s.command[3]}` : s.command.join(' '), entry: null }
    })
}

/** `aliyun-harness <args…> --replay <transcript>`, in process. `args[0]` is the skill. */
export async function replaySkill(transcript: Transcript | string, args: string[], opts: ReplayOptions = {}): Promise<RunResult> {
  const dir = opts.dir ?? tempDir()
  const file = typeof transcript === 'string' ? transcript : writeTranscript(transcript, dir)
  const [skill, ...rest] = args
  const def = (await loadSkill(skill)).default as Parameters<typeof runSkill>[0]
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
  return { code, signal: null, stdout, stderr, json, dir, report: json ? fromResult(file, code, json) : fromHumanOutput(file, code, stdout) }
}

function session(file: string, code: number, calls: ServedCall[], misses: string[], unused: string[]): SessionReport {
  return { transcript: file, mode: 'replay', exit_code: code, signal: null, calls, misses, unused }
}

/** The report of a JSON run: its steps, and the replay's own error if it had one. */
function fromResult(file: string, code: number, json: any): SessionReport {
  const error: { code?: string; message?: string } = json.error ?? {}
  return session(
    file,
    code,
    servedCalls(Array.isArray(json.steps) ? json.steps : []),
    error.code === 'ReplayMismatch' ? [String(error.message)] : [],
    error.code === 'TranscriptNotFullyUsed' ? unusedIn(String(error.message)) : [],
  )
}

/**
 * The report of a run printed for people: the replay's error as the human output shows it. Its
 * calls are not printed, so asking for them fails the test instead of finding none.
 */
function fromHumanOutput(file: string, code: number, stdout: string): SessionReport {
  const miss = /^ {2}ReplayMismatch: (.*)$/m.exec(stdout)
  const unused = /^ {2}TranscriptNotFullyUsed: [^\n]*\n((?: {4}#\d+ .*\n?)+)/m.exec(stdout)
  const report = session(file, code, [], miss ? [miss[1]] : [], unused ? unusedIn(unused[1]) : [])
  Object.defineProperty(report, 'calls', {
    get() {
      throw new Error('a run printed for people does not list its calls: replay it with --json to read them')
    },
  })
  return report
}

function unusedIn(message: string): string[] {
  return [...message.matchAll(/^\s+(#\d+ .*)$/gm)].map((m) => m[1])
}


// How a run talks to `aliyun`, what time it keeps and where its state lives — chosen once, before
// the first CLI call:
//   live    the real CLI, the real clock, the real state directory;
//   record  the same, every call also appended (scrubbed) to the `--record` transcript;
//   replay  answers from a transcript (in process with `--replay`, or from the fake CLI under
//           `aliyun-harness replay`), virtual time, and throw-away state a live run never sees.
// Closing the mode saves the transcript or checks that a replay used every recorded call.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clockFor, type Clock } from './clock.js'
import { HarnessError, UsageError } from './errors.js'
import { checkOutputPath, checkStateDir } from './output-file.js'
import { stateDir } from './paths.js'
import type { Redactor } from './redact.js'
import type { Warning } from './result.js'
import type { RunOrigin } from './run-state.js'
import { describeEntry, loadTranscriptInput, newRecording, Replayer, saveTranscript } from './transcript.js'
import { ProcessTransport, RecordingTransport, ReplayTransport, ShimRecordingTransport, type Transport } from './transport.js'

/** Set by `aliyun-harness replay` for the command it runs: the run is a replay. */
export const REPLAY_ENV = 'ALIYUN_HARNESS_REPLAY'
/** Where a replay keeps its run state (a throw-away directory unless the replay tool names one). */
export const REPLAY_STATE_ENV = 'ALIYUN_HARNESS_REPLAY_STATE_DIR'
/** Set by `aliyun-harness replay --state-dir`: the replay's run state outlives it (resumable). */
export const REPLAY_STATE_KEPT_ENV = 'ALIYUN_HARNESS_REPLAY_STATE_KEPT'

export interface RunMode {
  kind: 'live' | 'record' | 'replay'
  transport: Transport
  clock: Clock
  /** Where run state and the ai-mode lock live (not checked: a run that keeps no state never needs it). */
  stateDir: string
  /**
   * The same directory, checked the first time a run is about to keep something there (ecs-dr's run
   * store, the ai-mode lock): one that cannot be used is exit 2 before any call.
   */
  usableStateDir(): string
  /** Run state outlives the run (so a `--resume <run-id>` hint is worth printing); false for throw-away replay state. */
  keepsState: boolean
  origin: RunOrigin
  /** A value generated earlier in the transcript (replays), for ctx.generate. */
  recordedValue(name: string): string | undefined
  /**
   * Ends the mode: saves the transcript (a failure is a warning — the run's result is never lost),
   * reports recorded calls a replay never made (unless the run stopped before its calls were due),
   * and removes throw-away state.
   */
  close(run: { generated: Record<string, string[]>; error?: HarnessError; reachedCalls: boolean }): Promise<ModeClosed>
}

export interface ModeClosed {
  warnings: Warning[]
  /** Replaces the run's own error (a replay that left recorded calls unused). */
  error?: HarnessError
  /** Lines for stderr (where the transcript went). */
  notes?: string[]
}

export interface ModeRequest {
  skill: string
  env: NodeJS.ProcessEnv
  redactor: Redactor
  record?: string
  replay?: string
  /** Tests inject a transport (and maybe a clock); the state directory then comes from the env. */
  transport?: Transport
  clock?: Clock
}

/**
 * A replay's state directory. `kept`: it outlives the run — named by the caller (REPLAY_STATE_ENV),
 * except the replay tool's own session directory, which it keeps only with `--state-dir`.
 */
function throwAwayState(env: NodeJS.ProcessEnv): { dir: string; cleanup: () => void; kept: boolean } {
  if (env[REPLAY_STATE_ENV]) return { dir: checkStateDir(env[REPLAY_STATE_ENV]!, REPLAY_STATE_ENV), cleanup: () => undefined, kept: env[REPLAY_ENV] !== '1' || env[REPLAY_STATE_KEPT_ENV] === '1' }
  const dir = mkdtempSync(join(tmpdir(), 'aliyun-harness-replay-state-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }), kept: false }
}

/** The live state directory (ALIYUN_HARNESS_STATE_DIR or the default), checked: exit 2, not a crash at the first state write. */
export function liveStateDir(env: NodeJS.ProcessEnv): string {
  return checkStateDir(stateDir(env), env.ALIYUN_HARNESS_STATE_DIR ? 'ALIYUN_HARNESS_STATE_DIR' : 'The state directory')
}

/** The live state directory unchecked, and its check, made once when a run first needs the directory. */
function liveState(env: NodeJS.ProcessEnv): { dir: string; usable: () => string } {
  let checked: string | undefined
  return { dir: stateDir(env), usable: () => (checked ??= liveStateDir(env)) }
}

/**
 * Generated values handed down by `aliyun-harness replay` (ALIYUN_HARNESS_GENERATED, the
 * transcript's `generated`), served in order by name.
 */
function valuesFromEnv(env: NodeJS.ProcessEnv): (name: string) => string | undefined {
  let values: Record<string, string[]> = {}
  try {
    values = JSON.parse(env.ALIYUN_HARNESS_GENERATED || '{}') as Record<string, string[]>
  } catch {
    throw new UsageError('ALIYUN_HARNESS_GENERATED is not JSON; it is set by `aliyun-harness replay` and should not be set by hand.', 'InvalidEnvironment')
  }
  return (name) => values[name]?.shift()
}

/** Throws UsageError (exit 2, nothing run) for a transcript that cannot be used or a path that cannot be written. */
export function openRunMode(req: ModeRequest): RunMode {
  const { env, redactor } = req
  // Tests inject the transport itself (and maybe a clock); nothing to save or check at the end.
  if (req.transport) {
    const live = liveState(env)
    return {
      kind: req.transport.mode,
      transport: req.transport,
      clock: req.clock ?? clockFor(env, req.transport.mode === 'replay'),
      stateDir: live.dir,
      usableStateDir: live.usable,
      keepsState: true,
      origin: 'live',
      recordedValue: valuesFromEnv(env),
      close: async () => ({ warnings: [] }),
    }
  }

  if (req.replay) {
    const transcript = loadTranscriptInput(req.replay)
    if (transcript.skill !== req.skill)
      throw new UsageError(`--replay ${req.replay} was recorded for the ${transcript.skill} skill, not ${req.skill}; replay it with \`aliyun-harness ${transcript.skill} … --replay ${req.replay}\`.`, 'TranscriptSkillMismatch')
    const replayer = new Replayer(transcript)
    const state = throwAwayState(env)
    return {
      kind: 'replay',
      transport: new ReplayTransport(replayer),
      clock: req.clock ?? clockFor(env, true, transcript.recorded_at),
      stateDir: state.dir,
      usableStateDir: () => state.dir,
      keepsState: state.kept,
      origin: 'replay',
      recordedValue: (name) => replayer.generated(name),
      async close(run) {
        state.cleanup()
        // A call with no recording, an interrupt, or a run that stopped before its first call
        // (bad input, an unanswered decision up front) is the finding; unused entries are not.
        if (!run.reachedCalls || run.error?.code === 'ReplayMismatch' || run.error?.code === 'Interrupted') return { warnings: [] }
        const unused = replayer.unused()
        if (!unused.length) return { warnings: [] }
        const list = `${unused.length} recorded call(s) were never made:\n${unused.map(({ index, entry }) => `  #${index} ${describeEntry(entry)}`).join('\n')}`
        // A run that stops to ask (needs_input, exit 3) is answered by its question and its
        // continuations; the calls past the question are worth a warning, not a failure.
        if (run.error?.status === 'needs_input') {
          const next_action = "Replay with the question's answer (one of its continuations) to use the rest of the transcript."
          return { warnings: [{ code: 'TranscriptNotFullyUsed', message: `The run stopped to ask for input; ${list}`, next_action }] }
        }
        return { warnings: [], error: new HarnessError('TranscriptNotFullyUsed', `The run ended but ${list}`) }
      },
    }
  }

  // Under `aliyun-harness replay` the fake CLI on PATH answers and the tool checks the transcript;
  // the run itself keeps replay time and replay state (and may still record what it is served).
  const underReplay = env[REPLAY_ENV] === '1'
  const live = liveState(env)
  const state = underReplay ? throwAwayState(env) : { dir: live.dir, cleanup: () => undefined, kept: true }
  const origin: RunOrigin = underReplay ? 'replay' : 'live'
  const clock = req.clock ?? clockFor(env, underReplay)
  const base = { clock, stateDir: state.dir, usableStateDir: underReplay ? () => state.dir : live.usable, keepsState: state.kept, origin, recordedValue: valuesFromEnv(env) }

  if (req.record) {
    const file = checkOutputPath(req.record, { flag: '--record', createDirs: true })
    const transcript = newRecording(req.skill)
    return {
      kind: 'record',
      transport: new RecordingTransport(new ProcessTransport(env), transcript, redactor),
      ...base,
      async close(run) {
        state.cleanup()
        transcript.generated = run.generated
        try {
          saveTranscript(file, transcript, redactor)
        } catch (e) {
          const message = `The transcript could not be written to ${file}: ${(e as Error).message}. The run's result is complete.`
          return { warnings: [{ code: 'TranscriptNotSaved', message, next_action: 'Free space or pick another path with --record, then record the run again if you need the transcript.' }] }
        }
        return { warnings: [], notes: [`Transcript written to ${file} (${transcript.entries.length} calls, scrubbed).`] }
      },
    }
  }

  if (underReplay) return { kind: 'replay', transport: new ProcessTransport(env), ...base, close: async () => (state.cleanup(), { warnings: [] }) }

  if (env.ALIYUN_HARNESS_RECORD_URL) {
    // Under `aliyun-harness record`: the shim records CLI calls; SDK calls and generated values are posted.
    const shim = new ShimRecordingTransport(env, env.ALIYUN_HARNESS_RECORD_URL, redactor)
    return {
      kind: 'record',
      transport: shim,
      ...base,
      async close(run) {
        await shim.postGenerated(run.generated)
        return { warnings: [] }
      },
    }
  }

  return { kind: 'live', transport: new ProcessTransport(env), ...base, close: async () => ({ warnings: [] }) }
}

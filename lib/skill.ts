// defineSkill + runSkill: the factory that gives every skill its IO, runner, clock, policy,
// decisions and ai-mode lifecycle (gh's Factory), and turns whatever happens into one result and
// one exit code (oclif). Skills only declare options and steps.

import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { realpathSync } from 'node:fs'
import { AiModeLock, AiModeSession, lockHolder } from './aimode.js'
import { clockFor, type Clock } from './clock.js'
import { Decider, type DecisionSpec, type Prompter } from './decide.js'
import { HarnessError, InterruptedError, NeedsInputError, isExpected, type Status } from './errors.js'
import { createIO, type IO, type Stream } from './io.js'
import { optionsHelp, parseOptions, GLOBAL_OPTIONS, type OptionSpecs, type ParsedOptions } from './options.js'
import { stateDir } from './paths.js'
import { getPolicy, userAgentFor, type SkillPolicy } from './policy.js'
import { Preflight } from './preflight.js'
import { Redactor } from './redact.js'
import { createHuman, renderCommon, type Human, type Paint } from './render.js'
import { exitCodeFor, type Result } from './result.js'
import { Runner } from './runner.js'
import { loadTranscript, saveTranscript, Replayer, TRANSCRIPT_FORMAT, describeEntry, type Transcript } from './transcript.js'
import { ProcessTransport, RecordingTransport, ReplayTransport, ShimRecordingTransport, type Transport } from './transport.js'
import { HARNESS_VERSION } from './version.js'

export interface Outcome {
  status?: Extract<Status, 'completed' | 'noop' | 'not_ready' | 'timed_out' | 'stopped' | 'failed'>
  data?: unknown
  nextAction?: string
  /** Overrides the operation name (e.g. a flink sub-command). */
  operation?: string
}

export interface SkillContext {
  readonly skill: string
  readonly policy: SkillPolicy
  readonly cli: Runner
  readonly io: IO
  readonly clock: Clock
  readonly signal: AbortSignal
  readonly env: NodeJS.ProcessEnv
  readonly preflight: Preflight
  /** This run's id; a resumed run sets it back to the id it continues, so results name one run. */
  runId: string
  readonly stateDir: string
  /** The 32-hex session id in the user agent (ecs-dr); a resumed run sets it back. */
  sessionId: string
  /** Arguments every needs_input continuation carries (e.g. `--resume <run-id>`). */
  continueWith: string[]
  decide(spec: DecisionSpec): Promise<string>
  /** A random value that replays deterministically: recorded in transcripts, served back in replays. */
  generate(name: string, make: () => string): string
  /** Human lines on stderr in both modes (JSON mode keeps stdout for the result). */
  note(text: string): void
  /** Partial facts to include in `data` if the run fails later. */
  partial: Record<string, unknown>
}

export interface SkillDefinition<S extends OptionSpecs, P = undefined> {
  name: string
  summary: string
  usage: string
  options: S
  examples?: string[]
  /** The help's exit-code line, for a skill with its own contract (flink: 0/1). */
  exitCodes?: string
  positionals?: boolean
  operation?: (opts: ParsedOptions<S>, positionals: string[]) => string
  /**
   * Checks the input as a whole (flags that depend on each other, files given as input) before
   * anything touches the machine — in particular before the ai-mode lifecycle starts. Throws
   * UsageError; what it returns is handed to `run`.
   */
  validate?(ctx: SkillContext, opts: ParsedOptions<S>, positionals: string[]): P | Promise<P>
  run(ctx: SkillContext, opts: ParsedOptions<S>, positionals: string[], prepared: P): Promise<Outcome>
  /** Human output for a terminal. The common status/error/question block is printed after it. */
  render?(result: Result, h: Human): void
  /**
   * A skill with its own published contract (flink) prints its own envelope and picks its exit code.
   * `argv` is the command line as given, so the envelope can still name the sub-command and the
   * flags it saw when option parsing itself failed.
   */
  envelope?(result: Result, err: HarnessError | undefined, argv: readonly string[]): { body: unknown; exitCode: number }
}

export function defineSkill<S extends OptionSpecs, P = undefined>(def: SkillDefinition<S, P>): SkillDefinition<S, P> {
  return def
}

export interface RunDeps {
  env?: NodeJS.ProcessEnv
  stdout?: Stream
  stderr?: Stream
  stdin?: { isTTY?: boolean }
  prompter?: Prompter
  /** Process-level signal wiring; tests drive `signal` directly instead. */
  installSignalHandlers?: boolean
  transport?: Transport
  clock?: Clock
}

export function helpText<S extends OptionSpecs, P>(def: SkillDefinition<S, P>): string {
  return [
    `aliyun-harness ${def.name} — ${def.summary}`,
    '',
    `Usage: ${def.usage}`,
    '',
    'Options:',
    optionsHelp(def.options),
    '',
    'Global options:',
    optionsHelp(GLOBAL_OPTIONS),
    ...(def.examples?.length ? ['', 'Examples:', ...def.examples.map((e) => `  ${e}`)] : []),
    '',
    def.exitCodes ?? 'Exit codes: 0 completed or no-op, 1 failed or stopped, 2 invalid usage, 3 needs input, 4 blocked by policy, 5 timed out or not ready.',
    '',
  ].join('\n')
}

function newHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

/** Runs one skill command to completion and returns its exit code. Never throws for expected failures. */
export async function runSkill<S extends OptionSpecs, P>(def: SkillDefinition<S, P>, argv: readonly string[], deps: RunDeps = {}): Promise<number> {
  const env = deps.env ?? process.env
  const redactor = new Redactor(env)
  const stdout = deps.stdout ?? process.stdout
  const stderr = deps.stderr ?? process.stderr

  let parsed
  try {
    parsed = parseOptions(def.options, argv, { positionals: def.positionals })
  } catch (e) {
    if (!isExpected(e)) throw e
    const io = createIO({ stdout, stderr, stdin: deps.stdin, redactor, json: argv.includes('--json') ? true : undefined })
    return finish(def, io, baseResult(def, def.name, ''), e, [], argv)
  }
  const { options, globals, positionals } = parsed
  if (globals.help) {
    stdout.write(helpText(def))
    return 0
  }

  const forced = env.ALIYUN_HARNESS_OUTPUT === 'json' ? true : env.ALIYUN_HARNESS_OUTPUT === 'human' ? false : undefined
  const io = createIO({ stdout, stderr, stdin: deps.stdin, redactor, json: globals.json ? true : forced })
  const policy = getPolicy(def.name)
  const operation = def.operation?.(options, positionals) ?? def.name
  let runId = newHex(6)

  // Transport and clock: replay (strict, virtual time), record (live + transcript), or live.
  let transport: Transport
  let replayer: Replayer | undefined
  let recording: Transcript | undefined
  try {
    if (deps.transport) transport = deps.transport
    else if (globals.replay) {
      replayer = new Replayer(loadTranscript(globals.replay))
      transport = new ReplayTransport(replayer)
    } else if (globals.record) {
      recording = newTranscript(def.name)
      transport = new RecordingTransport(new ProcessTransport(env), recording, redactor)
    } else if (env.ALIYUN_HARNESS_RECORD_URL) transport = new ShimRecordingTransport(env, env.ALIYUN_HARNESS_RECORD_URL, redactor)
    else transport = new ProcessTransport(env)
  } catch (e) {
    return finish(def, io, baseResult(def, operation, runId), new HarnessError('TranscriptUnreadable', (e as Error).message, { exitCode: 2 }), [], argv)
  }
  const clock = deps.clock ?? clockFor(env, Boolean(replayer), replayer?.transcript.recorded_at)

  const controller = new AbortController()
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      io.note(`${sig} received: stopping after cleanup …`)
      controller.abort(new InterruptedError(sig))
    }
  }
  const installed = deps.installSignalHandlers ?? true
  if (installed) {
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }

  // Read on every call: a resumed run sets ctx.sessionId before its first API call.
  let sessionId = newHex(16)
  const runner = new Runner({
    policy,
    transport,
    clock,
    io,
    signal: controller.signal,
    profile: globals.profile,
    get userAgent() {
      return userAgentFor(policy, sessionId)
    },
  })
  const decider = new Decider(io, def.name, argv, deps.prompter)
  const generated: Record<string, string[]> = {}
  // Under `aliyun-harness replay -- …` the transcript's generated values arrive through the env.
  const envGenerated = JSON.parse(env.ALIYUN_HARNESS_GENERATED || '{}') as Record<string, string[]>
  const fromEnv = (name: string) => envGenerated[name]?.shift()
  const dir = stateDir(env)

  const ctx: SkillContext = {
    skill: def.name,
    policy,
    cli: runner,
    io,
    clock,
    signal: controller.signal,
    env,
    preflight: new Preflight(runner, policy, io, globals.profile),
    get runId() {
      return runId
    },
    set runId(v: string) {
      runId = v
    },
    stateDir: dir,
    get sessionId() {
      return sessionId
    },
    set sessionId(v: string) {
      sessionId = v
    },
    get continueWith() {
      return decider.continueWith
    },
    set continueWith(v: string[]) {
      decider.continueWith = v
    },
    decide: (spec) => decider.decide(spec),
    generate(name, make) {
      const v = replayer?.generated(name) ?? fromEnv(name) ?? make()
      ;(generated[name] ??= []).push(v)
      return v
    },
    note: (text) => io.note(text),
    partial: {},
  }

  const result = baseResult(def, operation, runId)
  let error: HarnessError | undefined
  let aiMode: AiModeSession | undefined
  try {
    const prepared = (await def.validate?.(ctx, options, positionals)) as P
    if (policy.ai_mode) {
      const maxWait = Number(env.ALIYUN_HARNESS_AI_MODE_LOCK_WAIT_MS ?? 120_000)
      aiMode = new AiModeSession(runner, policy, new AiModeLock(AiModeLock.path(dir), lockHolder(def.name, runId, Date.now()), clock, io, maxWait))
      await aiMode.start(controller.signal)
    }
    const outcome = await def.run(ctx, options, positionals, prepared)
    result.status = outcome.status ?? 'completed'
    result.data = outcome.data ?? null
    result.next_action = outcome.nextAction ?? null
    if (outcome.operation) result.operation = outcome.operation
  } catch (e) {
    const err = controller.signal.aborted && !(e instanceof HarnessError && e.code !== 'Interrupted') ? (controller.signal.reason as HarnessError) : e
    if (!isExpected(err)) {
      await aiMode?.stop().catch(() => undefined)
      if (installed) removeHandlers(onSignal)
      throw err
    }
    error = err
    if (Object.keys(ctx.partial).length && err.data === undefined) err.data = ctx.partial
  } finally {
    if (aiMode) {
      try {
        await aiMode.stop()
      } catch (e) {
        io.note(`configure ai-mode disable failed: ${(e as Error).message}. Run \`aliyun configure ai-mode disable\` yourself.`)
        if (!error) error = new HarnessError('AiModeDisableFailed', `The workflow finished but ai-mode could not be disabled: ${(e as Error).message}`, { nextAction: 'Run `aliyun configure ai-mode disable`.' })
      }
    }
    if (installed) removeHandlers(onSignal)
  }

  if (recording) {
    recording.generated = generated
    saveTranscript(globals.record!, recording)
    io.note(`Transcript written to ${globals.record} (${recording.entries.length} calls, scrubbed).`)
  }
  if (transport instanceof ShimRecordingTransport) await transport.postGenerated(generated)
  // Unused entries are the finding unless the run already failed on a call with no recording.
  if (replayer && !(error instanceof InterruptedError) && error?.code !== 'ReplayMismatch') {
    const unused = replayer.unused()
    if (unused.length) {
      error = new HarnessError(
        'TranscriptNotFullyUsed',
        `The run ended but ${unused.length} recorded call(s) were never made:\n${unused.map(({ index, entry }) => `  #${index} ${describeEntry(entry)}`).join('\n')}`,
      )
    }
  }
  result.run_id = runId
  // Colour only for people at a terminal; zx is loaded only then.
  const paint = !io.json && io.stdoutIsTTY && !env.NO_COLOR ? (await import('zx/core')).chalk : undefined
  return finish(def, io, result, error, runner.steps, argv, paint)
}

function removeHandlers(fn: (sig: NodeJS.Signals) => void) {
  process.off('SIGINT', fn)
  process.off('SIGTERM', fn)
}

function baseResult(def: { name: string }, operation: string, runId: string): Result {
  return { success: false, skill: def.name, operation, status: 'failed', run_id: runId, data: null, steps: [], error: null, next_action: null }
}

function finish<S extends OptionSpecs, P>(
  def: SkillDefinition<S, P>,
  io: IO,
  result: Result,
  error: HarnessError | undefined,
  steps: Result['steps'],
  argv: readonly string[],
  paint?: Paint,
): number {
  result.steps = steps
  let exitCode = exitCodeFor(result.status)
  if (error) {
    result.status = error.status
    result.error = error.toInfo()
    result.next_action = error.nextAction ?? result.next_action
    if (error.data !== undefined) result.data = error.data
    exitCode = error.exitCode
    if (error instanceof NeedsInputError) {
      const d = error.decision
      result.error = null
      result.input = {
        id: d.id,
        question: d.question,
        ...(d.context ? { context: d.context } : {}),
        flag: d.flag,
        options: d.options.map((o) => ({ value: o.value, label: o.label, recommended: Boolean(o.recommended), argv: o.argv ?? [], command: o.command ?? '' })),
      }
      result.next_action = `Choose one option and run its command (or pass ${d.flag} up front).`
    }
  }
  result.success = result.status === 'completed' || result.status === 'noop'
  io.flush()
  if (def.envelope) {
    const { body, exitCode: code } = def.envelope(io.redactor.scrubValue(result), error, argv)
    io.stdout.write(JSON.stringify(body, null, 2) + '\n')
    return code
  }
  // The result's data may show the secrets its policy names in reveal_in_result (the EAS AccessToken
  // the user calls the service with, D7); everything else, and every credential from the
  // environment, stays scrubbed.
  const dataRedactor = io.redactor.revealing(getPolicy(def.name).reveal_in_result)
  if (io.json) {
    const { data, ...rest } = result
    io.stdout.write(JSON.stringify({ ...io.redactor.scrubValue(rest), data: dataRedactor.scrubValue(data) }, null, 2) + '\n')
  } else {
    const h = createHuman((s) => io.stdout.write(s), (s) => dataRedactor.scrub(s))
    def.render?.({ ...io.redactor.scrubValue(result), data: dataRedactor.scrubValue(result.data) }, h)
    renderCommon(io.redactor.scrubValue({ ...result, data: null }), h, paint)
  }
  return exitCode
}

function newTranscript(skill: string): Transcript {
  return {
    format: TRANSCRIPT_FORMAT,
    version: 1,
    skill,
    harness_version: HARNESS_VERSION,
    cli_version: 'unknown',
    recorded_at: new Date().toISOString(),
    generated: {},
    entries: [],
  }
}

/** True when `import.meta.url` is the script node was started with (so scripts run directly too). */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return pathToFileURL(realpathSync(entry)).href === metaUrl
  } catch {
    return false
  }
}

/** Entry point for `node dist/scripts/<skill>.js …`. */
export async function autorun<S extends OptionSpecs, P>(def: SkillDefinition<S, P>, metaUrl: string): Promise<void> {
  if (!isMain(metaUrl)) return
  process.exitCode = await runSkill(def, process.argv.slice(2))
}

// defineSkill + runSkill: every skill declares its options and steps; runSkill parses the command
// line, picks the run mode (live, record, replay), builds the context (lib/context.ts), runs
// validate → ai-mode → run, and turns whatever happens into one result and one exit code
// (lib/finish.ts). Skills never see process, spawn, retries or policy code.

// Start-up stays light: `--help` and a bad command line load only the option parser and the
// result printer; the runner, policies, transcripts (zod) and ai-mode are imported once a run starts.

import { pathToFileURL } from 'node:url'
import { realpathSync } from 'node:fs'
import type { AiModeLock, AiModeSession } from './aimode.js'
import type { Clock } from './clock.js'
import type { SkillContext } from './context.js'
import type { Prompter } from './decide.js'
import { HarnessError, InterruptedError, isExpected, UsageError, type Status } from './errors.js'
import { baseResult, finish } from './finish.js'
import type { CommandDef } from './commands.js'
import { commandHelp, SKILL_EXIT_CODES } from './help.js'
import { checkOutputEnv, createIO, OUTPUT_ENV, wantsJson, type IO, type Stream } from './io.js'
import { parseOptions, GLOBAL_OPTIONS, type OptionSpecs, type ParsedOptions } from './options.js'
import type { SkillPolicy } from './policy.js'
import { Redactor } from './redact.js'
import type { Human } from './render.js'
import type { Result, Warning } from './result.js'
import type { RunMode } from './run-mode.js'
import type { CommandTemplate, TemplateContext } from './templates.js'
import type { Transport } from './transport.js'

export type { SkillContext } from './context.js'
export type { CommandTemplate, TemplateContext } from './templates.js'

export interface Outcome {
  status?: Extract<Status, 'completed' | 'noop' | 'not_ready' | 'timed_out' | 'stopped' | 'failed'>
  data?: unknown
  nextAction?: string
  /** Overrides the operation name (e.g. a flink sub-command). */
  operation?: string
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
  /** The words its first positional argument may be (flink's sub-commands), for completion. */
  commands?: readonly string[]
  operation?: (opts: ParsedOptions<S>, positionals: string[]) => string
  /**
   * Checks the input as a whole (flags that depend on each other, files given as input) before
   * anything touches the machine — in particular before the ai-mode lifecycle starts. Throws
   * UsageError; what it returns is handed to `run`.
   */
  validate?(ctx: SkillContext, opts: ParsedOptions<S>, positionals: string[]): P | Promise<P>
  run(ctx: SkillContext, opts: ParsedOptions<S>, positionals: string[], prepared: P): Promise<Outcome>
  /**
   * Human output for a terminal. The common status/error/question block is printed after it. A
   * skill with its own envelope gets that envelope too (what JSON mode prints).
   */
  render?(result: Result, h: Human, envelope?: unknown): void
  /**
   * A skill with its own published contract (flink) prints its own envelope and picks its exit code.
   * `argv` is the command line as given, so the envelope can still name the sub-command and the
   * flags it saw when option parsing itself failed.
   */
  envelope?(result: Result, err: HarnessError | undefined, argv: readonly string[]): { body: unknown; exitCode: number }
  /**
   * Every command the skill can send, with representative values, built by the same functions its
   * steps call (`aliyun-harness doctor` has the real CLI validate them without calling the API).
   * A promise when the builders load with the skill's workflow (help stays light).
   */
  templates?(t: TemplateContext): CommandTemplate[] | Promise<CommandTemplate[]>
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
  /** The policy to run under (default: the skill's entry in references/policies.json). */
  policy?: SkillPolicy
}

export function helpText<S extends OptionSpecs, P>(def: SkillDefinition<S, P>): string {
  return commandHelp(skillCommand(def))
}

/** A skill as a command of the dispatch table: help, completion and "did you mean" from its definition. */
export function skillCommand<S extends OptionSpecs, P>(def: SkillDefinition<S, P>): CommandDef {
  return {
    name: def.name,
    summary: def.summary,
    usage: def.usage,
    options: def.options,
    globalOptions: GLOBAL_OPTIONS,
    subcommands: def.commands,
    examples: def.examples,
    exitCodes: def.exitCodes ?? SKILL_EXIT_CODES,
    run: (args) => runSkill(def, args),
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** SIGINT/SIGTERM/SIGHUP abort the run's signal; the in-flight call is stopped and cleanup still runs. */
function signalWiring(io: IO, install: boolean) {
  const controller = new AbortController()
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return
    io.note(`${sig} received: stopping after cleanup …`)
    controller.abort(new InterruptedError(sig))
  }
  if (install) {
    for (const s of STOP_SIGNALS) process.on(s, onSignal)
  }
  return {
    signal: controller.signal,
    remove() {
      if (!install) return
      for (const s of STOP_SIGNALS) process.off(s, onSignal)
    },
  }
}

/** Runs one skill command to completion and returns its exit code. Never throws for expected failures. */
export async function runSkill<S extends OptionSpecs, P>(def: SkillDefinition<S, P>, argv: readonly string[], deps: RunDeps = {}): Promise<number> {
  const env = deps.env ?? process.env
  const redactor = new Redactor(env)
  const stdout = deps.stdout ?? process.stdout
  const stderr = deps.stderr ?? process.stderr
  const ttyOut = Boolean(stdout.isTTY)

  let parsed
  try {
    checkOutputEnv(env)
    parsed = parseOptions(def.options, argv, { positionals: def.positionals, command: def.name })
  } catch (e) {
    if (!isExpected(e)) throw e
    // The output mode as the command line asked for it, read leniently: parsing itself failed.
    const asked = { json: argv.includes('--json'), human: argv.includes('--human') }
    const usableEnv = ['json', 'human', '', undefined].includes(env[OUTPUT_ENV]) ? env : {}
    const io = createIO({ stdout, stderr, stdin: deps.stdin, redactor, env, json: wantsJson(asked, usableEnv, ttyOut) })
    return finish(def, { io, result: baseResult(def.name, def.name, ''), error: e, steps: [], argv })
  }
  const { options, globals, positionals } = parsed
  if (globals.help) {
    stdout.write(helpText(def))
    return 0
  }

  const io = createIO({ stdout, stderr, stdin: deps.stdin, redactor, env, json: wantsJson(globals, env, ttyOut) })
  const [{ AiModeLock, AiModeSession, lockHolder }, { createContext, newHex }, { getPolicy }, { openRunMode }] = await Promise.all([
    import('./aimode.js'),
    import('./context.js'),
    import('./policy.js'),
    import('./run-mode.js'),
  ])
  const policy = deps.policy ?? getPolicy(def.name)
  const operation = def.operation?.(options, positionals) ?? def.name

  // The mode is chosen before anything runs: an unusable transcript or --record path costs nothing.
  let mode: RunMode
  try {
    mode = openRunMode({ skill: def.name, env, redactor, record: globals.record, replay: globals.replay, transport: deps.transport, clock: deps.clock })
  } catch (e) {
    if (!isExpected(e)) throw e
    return finish(def, { io, result: baseResult(def.name, operation, newHex(6)), error: e, steps: [], argv })
  }

  const wiring = signalWiring(io, deps.installSignalHandlers ?? true)
  const cliTimeoutMs = Math.round(Number(globals['cli-timeout']) * 1000)
  const { ctx, runner, warnings, generated } = createContext({ skill: def.name, argv, policy, io, mode, env, signal: wiring.signal, profile: globals.profile, prompter: deps.prompter, cliTimeoutMs })
  const result = baseResult(def.name, operation, ctx.runId)
  let error: HarnessError | undefined
  let validated = false
  let aiMode: AiModeSession | undefined
  let lock: AiModeLock | undefined
  try {
    const prepared = (await def.validate?.(ctx, options, positionals)) as P
    validated = true
    if (policy.ai_mode) {
      const maxWait = Number(env.ALIYUN_HARNESS_AI_MODE_LOCK_WAIT_MS ?? 120_000)
      lock = new AiModeLock(AiModeLock.path(mode.usableStateDir()), lockHolder(def.name, ctx.runId, Date.now()), mode.clock, io, maxWait)
      aiMode = new AiModeSession(runner, policy, lock)
      await aiMode.start(wiring.signal)
    }
    const outcome = await def.run(ctx, options, positionals, prepared)
    result.status = outcome.status ?? 'completed'
    result.data = outcome.data ?? null
    result.next_action = outcome.nextAction ?? null
    if (outcome.operation) result.operation = outcome.operation
  } catch (e) {
    // After an interrupt, whatever the step threw is a consequence of it: report the interrupt.
    const err = wiring.signal.aborted && !(e instanceof HarnessError && e.code !== 'Interrupted') ? (wiring.signal.reason as HarnessError) : e
    if (!isExpected(err)) {
      await aiMode?.stop().catch(() => undefined)
      wiring.remove()
      throw err
    }
    error = err
    if (Object.keys(ctx.partial).length && err.data === undefined) err.data = ctx.partial
  } finally {
    if (lock) warnings.push(...lock.takeovers)
    if (aiMode) {
      try {
        await aiMode.stop()
      } catch (e) {
        // The cloud work is done (or failed on its own); only the machine-wide setting is left on.
        // A warning, not a failure: an agent must not redo a deployment because of it.
        const message = `ai-mode could not be disabled after the run: ${(e as Error).message}`
        io.note(message)
        warnings.push({ code: 'AiModeDisableFailed', message, next_action: 'Run `aliyun configure ai-mode disable` yourself.' })
      }
    }
    wiring.remove()
  }

  const closed = await mode.close({ generated, error, reachedCalls: validated && !(error instanceof UsageError) })
  for (const line of closed.notes ?? []) io.note(line)
  if (closed.error) error = closed.error
  result.run_id = ctx.runId
  // Colour only for people at a terminal; zx is loaded only then.
  const paint = !io.json && io.color ? (await import('zx/core')).chalk : undefined
  return finish(def, { io, result, error, steps: runner.steps, warnings: [...warnings, ...closed.warnings], argv, reveal: policy.reveal_in_result, permissions: policy.permissions?.ram, paint })
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

// The context every skill step receives (gh's Factory): its IO, its runner, its clock, its policy,
// decisions, run state and the few run identities it may change. Skills never build any of these
// themselves, so a test (or a sixth skill) gets the whole harness by asking for a context.

import { randomBytes } from 'node:crypto'
import type { ZodType } from 'zod'
import type { Clock } from './clock.js'
import type { Flags } from './command.js'
import { Decider, type DecisionSpec, type Prompter } from './decide.js'
import type { IO } from './io.js'
import { userAgentFor, type SkillPolicy } from './policy.js'
import { Preflight } from './preflight.js'
import { regionFlags } from './region.js'
import type { Warning } from './result.js'
import { RunStore } from './run-state.js'
import { Runner } from './runner.js'
import type { RunMode } from './run-mode.js'

export interface SkillContext {
  readonly skill: string
  readonly policy: SkillPolicy
  readonly cli: Runner
  readonly io: IO
  readonly clock: Clock
  readonly signal: AbortSignal
  readonly env: NodeJS.ProcessEnv
  readonly preflight: Preflight
  /** This run's id; a resumed run takes back the id it continues, so results name one run. */
  readonly runId: string
  /** The 32-hex session id in the user agent (ecs-dr); a resumed run takes back its own. */
  readonly sessionId: string
  /** Where run state and the ai-mode lock live (a throw-away directory in replays). */
  readonly stateDir: string
  /** Run state outlives this run, so a `--resume <run-id>` hint can be followed (false in throw-away replays). */
  readonly keepsState: boolean
  /** Continue an earlier run: its id and session id from now on (before any API call). */
  resume(run: { runId: string; sessionId: string }): void
  /** Arguments every needs_input continuation carries from now on (e.g. `--resume <run-id>`). */
  continueWith(args: string[]): void
  decide(spec: DecisionSpec): Promise<string>
  /** A random value that replays deterministically: recorded in transcripts, served back in replays. */
  generate(name: string, make: () => string): string
  /** Human lines on stderr in both modes (JSON mode keeps stdout for the result). */
  note(text: string): void
  /** Something the user must know although the run goes on; it ends up in the result's `warnings`. */
  warn(warning: Warning): void
  /** The regional flags of an API command of `product` (the policy's `region` style). */
  region(product: string, region: string): Flags
  /** This skill's resumable-run store: scrubbed writes, this run's clock, replay state kept apart. */
  runStore<S>(schema: ZodType<S>): RunStore<S>
  /** Partial facts to include in `data` if the run fails later. */
  partial: Record<string, unknown>
}

export interface ContextParts {
  skill: string
  argv: readonly string[]
  policy: SkillPolicy
  io: IO
  mode: RunMode
  env: NodeJS.ProcessEnv
  signal: AbortSignal
  profile?: string
  prompter?: Prompter
  /** How long one CLI call may run before it is stopped (`--cli-timeout`). */
  cliTimeoutMs?: number
}

export interface RunContext {
  ctx: SkillContext
  runner: Runner
  warnings: Warning[]
  /** Values `generate` made or replayed, by name, for the transcript. */
  generated: Record<string, string[]>
}

export function newHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

export function createContext(p: ContextParts): RunContext {
  let runId = newHex(6)
  let sessionId = newHex(16)
  const warnings: Warning[] = []
  const generated: Record<string, string[]> = {}
  const runner = new Runner({
    policy: p.policy,
    transport: p.mode.transport,
    clock: p.mode.clock,
    io: p.io,
    signal: p.signal,
    profile: p.profile,
    defaultTimeoutMs: p.cliTimeoutMs,
    // Read on every call: a resumed run takes its session id back before its first API call.
    get userAgent() {
      return userAgentFor(p.policy, sessionId)
    },
  })
  const decider = new Decider(p.io, p.skill, p.argv, p.prompter)

  const ctx: SkillContext = {
    skill: p.skill,
    policy: p.policy,
    cli: runner,
    io: p.io,
    clock: p.mode.clock,
    signal: p.signal,
    env: p.env,
    preflight: new Preflight(runner, p.policy, p.io, p.profile, p.env),
    get runId() {
      return runId
    },
    get sessionId() {
      return sessionId
    },
    stateDir: p.mode.stateDir,
    keepsState: p.mode.keepsState,
    resume(run) {
      runId = run.runId
      sessionId = run.sessionId
    },
    continueWith(args) {
      decider.continueWith = [...args]
    },
    decide: (spec) => decider.decide(spec),
    generate(name, make) {
      const value = p.mode.recordedValue(name) ?? make()
      ;(generated[name] ??= []).push(value)
      return value
    },
    note: (text) => p.io.note(text),
    warn(warning) {
      warnings.push(warning)
      p.io.note(`warning: ${warning.message}`)
    },
    region: (product, region) => regionFlags(p.policy, product, region),
    runStore: (schema) => new RunStore(p.mode.usableStateDir(), p.skill, schema, { redactor: p.io.redactor, now: () => p.mode.clock.now(), origin: p.mode.origin }),
    partial: {},
  }
  return { ctx, runner, warnings, generated }
}

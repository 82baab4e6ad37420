// The one place that runs `aliyun`. Every call goes: policy check → user agent → transport
// (live, replay or record) → error classification from the CLI's own output → retries through the
// injected clock → zod parsing → a redacted step record for the result.

import type { ZodType } from 'zod'
import { classifyFailure, isPermissionCode, plainOutput, type RawResult } from './cli-output.js'
import type { Clock } from './clock.js'
import { commandName, DRY_RUN_FLAGS, flagsToArgv, isSystemCommand, parseArgv } from './command.js'
import { CliError, HarnessError, TimedOutError } from './errors.js'
import type { IO } from './io.js'
import { checkCommand, checkSdkCall, withUserAgent, type RetryRule, type SkillPolicy } from './policy.js'
import type { RoaCall, SdkResponse } from './sdk.js'
import type { Transport } from './transport.js'

/** The rule a failed call is retried by, or why not: its name in the skill's policy `retries`. */
export type RetryChoice = string | false

export interface Step<T = unknown> {
  argv: string[]
  /** Validates stdout JSON. Without a schema stdout is returned as text. */
  schema?: ZodType<T>
  /** Shown in progress lines and the result's steps; defaults to `product action`. */
  label?: string
  /**
   * Which of the skill's policy `retries` applies: by default its `default` rule (API commands
   * only); a name picks another; false never retries (a create whose repeat could cost twice).
   */
  retry?: RetryChoice
  timeoutMs?: number
  /**
   * The next action when the run is interrupted while this call is in flight — for a create whose
   * outcome is then unknown (say how to check before anything is retried).
   */
  whenInterrupted?: string
}

interface PollBase<T> {
  step: Step<T> & { schema: ZodType<T> }
  everyMs: number
  maxAttempts?: number
  timeoutMs?: number
  until: (data: T) => boolean
  progress?: (data: T, attempt: number, elapsedMs: number) => string
  /** Wait before the first poll too. */
  waitFirst?: boolean
}

/**
 * `onExhausted` builds the error thrown when the attempts or the time are used up, from the last
 * answer and the time waited. With `transient` (the name of a rule in the skill's policy
 * `retries`), every poll may have failed transiently, so there may be no last answer.
 */
export type PollOptions<T> = PollBase<T> &
  (
    | { transient?: undefined; onExhausted?: (last: T, attempts: number, elapsedMs: number) => Error }
    | { transient: string; onExhausted?: (last: T | undefined, attempts: number, elapsedMs: number) => Error }
  )

export interface StepRecord {
  step: string
  command: string[]
  exit_code: number
  request_id?: string
  duration_ms: number
  attempt: number
  error_code?: string
}

export interface RunnerDeps {
  policy: SkillPolicy
  transport: Transport
  clock: Clock
  io: IO
  userAgent: string
  signal: AbortSignal
  profile?: string
  defaultTimeoutMs?: number
}

function requestIdOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined
  const o = value as Record<string, unknown>
  const id = o.RequestId ?? o.request_id ?? o.requestId
  return typeof id === 'string' ? id : undefined
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[k]
  }
  return v
}

function pathString(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') || '(root)'
}

/** JSON stdout → the step's schema, or a typed error naming the path that drifted and what was found. */
export function parseOutput<T>(name: string, stdout: string, schema: ZodType<T>): T {
  return validated(name, parsedJson(name, stdout), schema)
}

/** stdout as JSON, or a typed error: empty, truncated, or not JSON at all. */
function parsedJson(name: string, stdout: string): unknown {
  const text = stdout.trim()
  if (!text) throw new CliError('output', 'EmptyOutput', `${name}: the CLI exited 0 but printed nothing; a JSON response was expected.`)
  try {
    return JSON.parse(text)
  } catch (e) {
    const truncated = /Unexpected end|Unterminated|end of JSON/i.test((e as Error).message)
    throw new CliError(
      'output',
      truncated ? 'TruncatedOutput' : 'InvalidJsonOutput',
      `${name}: ${truncated ? 'the JSON output is truncated' : 'the output is not JSON'} (${(e as Error).message}); first bytes: ${JSON.stringify(text.slice(0, 80))}`,
    )
  }
}

function validated<T>(name: string, json: unknown, schema: ZodType<T>): T {
  const parsed = schema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const found = valueAt(json, issue.path)
  throw new CliError(
    'output',
    'ResponseShapeDrift',
    `${name}: the response does not have the expected shape at ${pathString(issue.path)}: ${issue.message}; found ${found === undefined ? 'nothing' : JSON.stringify(found).slice(0, 200)}`,
    { requestId: requestIdOf(json) },
  )
}

export class Runner {
  readonly steps: StepRecord[] = []
  constructor(private deps: RunnerDeps) {}

  get clock(): Clock {
    return this.deps.clock
  }

  /** Runs a step whose stdout is JSON and returns it parsed by the step's schema. */
  async json<T>(step: Step<T> & { schema: ZodType<T> }): Promise<T> {
    const { raw, record } = await this.execute(step)
    const name = step.label ?? commandName(step.argv)
    const json = parsedJson(name, raw.stdout)
    // Read from the parsed response: JSON.parse makes strings of their own, where a match in the
    // text would be a view keeping the whole page alive in the run's steps.
    record.request_id = requestIdOf(json)
    return validated(name, json, step.schema)
  }

  /** Runs a step and returns its stdout as text (local commands such as `version`). */
  async text(step: Step): Promise<string> {
    return (await this.execute(step)).raw.stdout
  }

  /** Runs a step and reports failure as a value instead of throwing (for steps that may fail). */
  async attempt<T>(step: Step<T> & { schema: ZodType<T> }): Promise<{ ok: true; data: T } | { ok: false; error: CliError }> {
    try {
      return { ok: true, data: await this.json(step) }
    } catch (e) {
      if (e instanceof CliError) return { ok: false, error: e }
      throw e
    }
  }

  /** For the ai-mode lifecycle only: runs `configure ai-mode …` under its own signal. */
  async lifecycle(argv: string[], signal: AbortSignal): Promise<void> {
    await this.execute({ argv, label: commandName(argv) }, { aiModeLifecycle: true, signal })
  }

  private async execute(step: Step, opts: { aiModeLifecycle?: boolean; signal?: AbortSignal } = {}): Promise<{ raw: RawResult; record: StepRecord }> {
    const { transport, clock, io } = this.deps
    const signal = opts.signal ?? this.deps.signal
    const name = step.label ?? commandName(step.argv)
    let argv = this.withProfile(step.argv)
    const rule = opts.aiModeLifecycle ? undefined : this.retryRule(step)
    // A rule without attempts only classifies failures (for polls): the call itself is tried once.
    const max = rule?.attempts ?? 1
    for (let attempt = 1; ; attempt++) {
      const finalArgv = this.checked(name, argv, attempt, opts.aiModeLifecycle)
      if (signal.aborted) throw signal.reason
      io.progress(`${name}${attempt > 1 ? ` (attempt ${attempt} of ${max})` : ''}`)
      let raw: RawResult
      try {
        raw = plainOutput(await transport.exec({ argv: finalArgv, timeoutMs: step.timeoutMs ?? this.deps.defaultTimeoutMs ?? 120_000, signal, clock }))
      } catch (e) {
        if (signal.aborted && step.whenInterrupted && e instanceof HarnessError) e.nextAction = step.whenInterrupted
        throw e
      }
      const record: StepRecord = {
        step: name,
        command: ['aliyun', ...io.redactor.scrubArgv(finalArgv)],
        exit_code: raw.exitCode,
        duration_ms: raw.durationMs,
        attempt,
      }
      this.steps.push(record)
      // CLI ≤ 3.4.11 exits 0 on a config file it cannot load (aliyun-cli-facts §3.4): an error all the same.
      const exitCode = raw.exitCode === 0 && CONFIG_LOAD_FAILED.test(raw.stderr) && !raw.stdout.trim() ? 3 : raw.exitCode
      if (exitCode === 0) return { raw, record }
      const err = classifyFailure({ ...raw, exitCode }, finalArgv)
      // A replay miss is the harness's own failure, never an API answer a skill could handle.
      if (err.kind === 'replay') throw new HarnessError('ReplayMismatch', err.message, { nextAction: 'Re-record the transcript, or fix the workflow so it sends the recorded calls.' })
      record.request_id = err.requestId
      record.error_code = err.code
      if (!rule || attempt >= max || !retries(rule, err)) throw err
      io.note(retryNotice(rule, { step: name, err, attempt }))
      await clock.sleep(rule.delay_ms, signal)
      if (rule.add_flags.length && !argv.includes(rule.add_flags[0])) argv = [...argv, ...rule.add_flags]
    }
  }

  /** The argv as it is sent — policy-checked (a refusal is recorded, then thrown), user agent added. */
  private checked(name: string, argv: string[], attempt: number, aiModeLifecycle?: boolean): string[] {
    try {
      checkCommand(this.deps.policy, argv, { aiModeLifecycle })
    } catch (e) {
      this.steps.push({ step: name, command: ['aliyun', ...this.deps.io.redactor.scrubArgv(argv)], exit_code: -1, duration_ms: 0, attempt, error_code: (e as HarnessError).code })
      throw e
    }
    return aiModeLifecycle ? argv : withUserAgent(argv, this.deps.userAgent)
  }

  /**
   * Has the CLI validate a step without calling the API (doctor, D10): the step is checked and
   * built exactly as `json`/`text` would send it — policy, `--profile`, user agent — then the CLI's
   * dry-run flag is added last. Sent once, never retried; what the CLI printed comes back, colour removed.
   */
  async dryRun(step: Step, flag: (typeof DRY_RUN_FLAGS)[number], opts: { retried?: boolean } = {}): Promise<{ argv: string[]; raw: RawResult }> {
    if (!DRY_RUN_FLAGS.includes(flag)) throw new Error(`aliyun-harness: '${flag}' is not a dry-run flag`)
    if (isSystemCommand(parseArgv(step.argv))) throw new Error(`aliyun-harness: a dry run is for API commands, not 'aliyun ${commandName(step.argv)}'`)
    const name = `${step.label ?? commandName(step.argv)} (dry run)`
    let argv = this.withProfile(step.argv)
    // As a retry sends it: the rule's flags after the step's own and `--profile` (see execute).
    const added = opts.retried ? this.retryFlags(step) : []
    if (opts.retried && !added.length) throw new Error(`aliyun-harness: '${name}' adds no flags when it is retried`)
    if (added.length && !argv.includes(added[0])) argv = [...argv, ...added]
    argv = [...this.checked(name, argv, opts.retried ? 2 : 1), flag]
    const { transport, clock, io, signal } = this.deps
    if (signal.aborted) throw signal.reason
    io.progress(name)
    const raw = plainOutput(await transport.exec({ argv, timeoutMs: step.timeoutMs ?? this.deps.defaultTimeoutMs ?? 120_000, signal, clock }))
    this.steps.push({ step: name, command: ['aliyun', ...io.redactor.scrubArgv(argv)], exit_code: raw.exitCode, duration_ms: raw.durationMs, attempt: 1 })
    return { argv, raw }
  }

  /** The flags the step's retry rule adds from the second attempt on (none for most steps). */
  retryFlags(step: Pick<Step, 'argv' | 'retry'>): string[] {
    return this.retryRule(step)?.add_flags ?? []
  }

  /** The policy rule for this step, if any (see Step.retry). */
  private retryRule(step: Pick<Step, 'argv' | 'retry'>): RetryRule | undefined {
    if (step.retry === false) return undefined
    if (step.retry === undefined) return isSystemCommand(parseArgv(step.argv)) ? undefined : this.deps.policy.retries.default
    return this.namedRule(step.retry)
  }

  private namedRule(name: string): RetryRule {
    const rule = this.deps.policy.retries[name]
    if (!rule) throw new Error(`aliyun-harness: the ${this.deps.policy.name} policy has no retry rule '${name}'`)
    return rule
  }

  /** `--profile` goes to API and `configure` commands; `version` and `plugin` reject it. */
  private withProfile(argv: string[]): string[] {
    const profile = this.deps.profile
    if (!profile) return argv
    const cmd = parseArgv(argv)
    if (!isSystemCommand(cmd) || (cmd.words[0] === 'configure' && cmd.words[1] !== 'ai-mode')) return [...argv, ...flagsToArgv({ profile })]
    return argv
  }

  /**
   * Polls a step until `until` holds. Waits go through the clock; each poll reports progress.
   * Throws TimedOutError (or what `onExhausted` returns) with the last response when time is up.
   * With `transient`, a failure that policy rule names uses up one poll and polling goes on; any
   * other failure ends the poll with that error.
   */
  async poll<T>(opts: PollOptions<T>): Promise<{ data: T; attempts: number; elapsedMs: number }> {
    const { clock, io, signal } = this.deps
    const transient = opts.transient === undefined ? undefined : this.namedRule(opts.transient)
    const name = opts.step.label ?? commandName(opts.step.argv)
    const started = clock.now()
    let last: { data: T } | undefined
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 || opts.waitFirst) await clock.sleep(opts.everyMs, signal)
      let answer: { data: T } | undefined
      let failed: CliError | undefined
      try {
        answer = { data: await this.json(opts.step) }
      } catch (e) {
        if (!transient || !(e instanceof CliError) || !retries(transient, e)) throw e
        failed = e
      }
      const elapsedMs = clock.now() - started
      if (answer) {
        last = answer
        if (opts.progress) io.progress(opts.progress(answer.data, attempt, elapsedMs))
        if (opts.until(answer.data)) return { data: answer.data, attempts: attempt, elapsedMs }
      }
      const outOfAttempts = opts.maxAttempts !== undefined && attempt >= opts.maxAttempts
      const outOfTime = opts.timeoutMs !== undefined && elapsedMs + opts.everyMs > opts.timeoutMs
      // "polling goes on" only when another poll follows; after the last one the run ends below.
      if (failed && transient && !outOfAttempts && !outOfTime) io.note(retryNotice(transient, { step: name, err: failed, attempt }, { attempts: opts.maxAttempts, delayMs: opts.everyMs }))
      if (outOfAttempts || outOfTime) {
        // Without `transient` every poll answered (a failure ended the loop), so `last` is set.
        const exhausted = opts.onExhausted as ((last: T | undefined, attempts: number, elapsedMs: number) => Error) | undefined
        throw exhausted?.(last?.data, attempt, elapsedMs) ?? new TimedOutError('PollTimedOut', `${name} did not reach the expected state after ${attempt} polls.`, { data: last?.data })
      }
    }
  }

  /**
   * An SDK call (D1: an API the CLI cannot make), declared by the skill and made by the transport:
   * checked against the policy, sent with the skill's user agent, cancelled by the run's signal,
   * recorded and replayed like CLI calls, and its body parsed by the step's schema.
   */
  async sdk<T>(step: { request: RoaCall; schema: ZodType<T>; label?: string }): Promise<T> {
    const { transport, io, signal } = this.deps
    const req = step.request
    const name = step.label ?? `${req.product} ${req.action} (SDK)`
    const command = [`sdk:${req.product}`, req.action, req.method, req.path]
    checkSdkCall(this.deps.policy, req.product, req.action)
    if (signal.aborted) throw signal.reason
    io.progress(name)
    let res: SdkResponse
    try {
      res = await transport.sdk({ ...req, userAgent: this.deps.userAgent, ...(this.deps.profile ? { profile: this.deps.profile } : {}) }, signal)
    } catch (e) {
      this.steps.push({ step: name, command, exit_code: 1, duration_ms: 0, attempt: 1, error_code: 'SdkCallFailed' })
      if (signal.aborted) throw signal.reason
      if (e instanceof HarnessError) throw e
      const message = io.redactor.scrub(String((e as Error).message))
      if (message.startsWith('aliyun-harness replay:')) throw new HarnessError('ReplayMismatch', message, { nextAction: 'Re-record the transcript, or fix the workflow so it sends the recorded calls.' })
      throw new CliError('unknown', 'SdkCallFailed', message)
    }
    const body = res.body as Record<string, unknown> | undefined
    const record: StepRecord = { step: name, command, exit_code: res.status >= 400 ? 1 : 0, duration_ms: res.durationMs, attempt: 1, request_id: requestIdOf(body) }
    this.steps.push(record)
    if (res.status >= 400) {
      const code = String(body?.Code ?? body?.code ?? `HTTP${res.status}`)
      record.error_code = code
      throw new CliError(isPermissionCode(code) ? 'permission' : 'server', code, String(body?.Message ?? body?.message ?? `HTTP ${res.status}`), { requestId: record.request_id, recommend: typeof body?.Recommend === 'string' ? body.Recommend : undefined, httpStatus: res.status })
    }
    return parseOutput(name, JSON.stringify(res.body ?? null), step.schema)
  }
}

const CONFIG_LOAD_FAILED = /ERROR: load current configuration failed/

/** Whether a rule retries this failure: its code, `timeout` for any timeout, `*` for anything. */
export function retries(rule: RetryRule, err: CliError): boolean {
  return rule.on.includes('*') || rule.on.includes(err.code) || (err.kind === 'timeout' && rule.on.includes('timeout'))
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`
}

/** What the user is told before the next try; a poll passes its own limit and interval. */
export function retryNotice(
  rule: RetryRule,
  at: { step: string; err: CliError; attempt: number },
  limits: { attempts?: number; delayMs: number } = { attempts: rule.attempts, delayMs: rule.delay_ms },
): string {
  const values: Record<string, string> = {
    step: at.step,
    code: at.err.code,
    message: at.err.message.split('\n')[0],
    delay: seconds(limits.delayMs),
    next: String(at.attempt + 1),
    attempts: limits.attempts === undefined ? 'the limit' : String(limits.attempts),
    retry: String(at.attempt),
    retries: limits.attempts === undefined ? 'the limit' : String(limits.attempts - 1),
  }
  const template = rule.notice ?? '{step}: {code}; trying again in {delay} (attempt {next} of {attempts}).'
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m)
}

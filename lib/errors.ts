// Typed errors, each mapped to one result status and one exit code (oclif style): the top level
// never guesses how to report a failure, it asks the error.

export const EXIT = {
  completed: 0,
  failed: 1,
  usage: 2,
  needsInput: 3,
  blocked: 4,
  timedOut: 5,
  sighup: 129,
  sigint: 130,
  sigterm: 143,
} as const

export type Status =
  | 'completed'
  | 'failed'
  | 'stopped'
  | 'needs_input'
  | 'not_ready'
  | 'timed_out'
  | 'noop'
  | 'blocked'

export interface ErrorInfo {
  code: string
  message: string
  request_id?: string
  recommend?: string
  /** Every RAM action the skill needs, when a permission error stopped the run (lib/finish.ts). */
  required_permissions?: string[]
}

export class HarnessError extends Error {
  readonly code: string
  readonly status: Status
  readonly exitCode: number
  requestId?: string
  recommend?: string
  /** What the user (or agent) should do next, when the harness knows. */
  nextAction?: string
  /** Extra facts a skill wants in the result's `data` even though the run failed. */
  data?: unknown

  constructor(
    code: string,
    message: string,
    opts: { status?: Status; exitCode?: number; requestId?: string; recommend?: string; nextAction?: string; data?: unknown; cause?: unknown } = {},
  ) {
    // `cause`: the error this one reports (a skill's stop over a CliError), so what it was caused by
    // — a permission refusal — is still known at the end of the run.
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = new.target.name
    this.code = code
    this.status = opts.status ?? 'failed'
    this.exitCode = opts.exitCode ?? EXIT.failed
    this.requestId = opts.requestId
    this.recommend = opts.recommend
    this.nextAction = opts.nextAction
    this.data = opts.data
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message }
    if (this.requestId) info.request_id = this.requestId
    if (this.recommend) info.recommend = this.recommend
    return info
  }
}

/** Bad flags or values from the user: exit 2, and no cloud call was made. */
export class UsageError extends HarnessError {
  constructor(message: string, code = 'InvalidUsage') {
    super(code, message, { status: 'failed', exitCode: EXIT.usage })
  }
}

/** The policy refused a command before it ran: exit 4. */
export class PolicyError extends HarnessError {
  readonly argv: readonly string[]
  constructor(message: string, argv: readonly string[], code = 'BlockedByPolicy') {
    super(code, message, { status: 'blocked', exitCode: EXIT.blocked })
    this.argv = argv
  }
}

/** A stop condition the skill defines (duplicate name, unsupported cluster …): exit 1, status stopped. */
export class StopError extends HarnessError {
  constructor(code: string, message: string, opts: { nextAction?: string; data?: unknown; requestId?: string; cause?: unknown } = {}) {
    super(code, message, { status: 'stopped', exitCode: EXIT.failed, ...opts })
  }
}

/** Waited as long as the skill allows and the thing is still not there: exit 5. */
export class TimedOutError extends HarnessError {
  constructor(code: string, message: string, opts: { nextAction?: string; data?: unknown; status?: 'timed_out' | 'not_ready' } = {}) {
    super(code, message, { status: opts.status ?? 'timed_out', exitCode: EXIT.timedOut, nextAction: opts.nextAction, data: opts.data })
  }
}

/** The exit code of a run stopped by SIGINT, SIGHUP or (anything else) SIGTERM. */
export function interruptedExit(signal: string): number {
  return signal === 'SIGINT' ? EXIT.sigint : signal === 'SIGHUP' ? EXIT.sighup : EXIT.sigterm
}

/** The run was interrupted by SIGINT, SIGTERM or SIGHUP (its terminal went away). */
export class InterruptedError extends HarnessError {
  readonly signal: NodeJS.Signals
  constructor(signal: NodeJS.Signals) {
    super('Interrupted', `Interrupted by ${signal}.`, {
      status: 'stopped',
      exitCode: interruptedExit(signal),
    })
    this.signal = signal
  }
}

export interface DecisionOption {
  value: string
  label: string
  recommended?: boolean
  /** argv (after `aliyun-harness`) that continues the run with this option. */
  argv?: string[]
  /** The same as one shell-quoted line. */
  command?: string
}

export interface Decision {
  id: string
  question: string
  options: DecisionOption[]
  /** The flag that answers this decision in advance, e.g. `--target-zone`. */
  flag: string
  /** Text shown before the question (a table, a banner). */
  context?: string
}

/** A decision point reached without a TTY: exit 3 with the question and ways to continue. */
export class NeedsInputError extends HarnessError {
  readonly decision: Decision
  constructor(decision: Decision) {
    super('NeedsInput', decision.question, { status: 'needs_input', exitCode: EXIT.needsInput })
    this.decision = decision
  }
}

/**
 * What the CLI (or a product plugin) said about a command line it refused, read from its text: the
 * flag it did not accept, the required flags that were missing, the API it does not know.
 */
export interface RejectedCommand {
  /** The refused command without its values: `aliyun ecs describe-instances`. */
  command?: string
  /** The flag the CLI did not accept, with its dashes: `--RegionId`. */
  flag?: string
  /** Required flags the CLI said were missing: `['--page', '--page-size']`. */
  missing?: string[]
  /** The API (or ROA path) the CLI does not know. */
  api?: string
  /** The CLI's own "did you mean" names, flags with their dashes. */
  suggestions: string[]
}

/** The aliyun CLI (or the SDK call) failed; fields come from its real output. */
export class CliError extends HarnessError {
  readonly kind: CliFailureKind
  readonly cliExitCode: number | undefined
  readonly httpStatus?: number
  readonly rejected?: RejectedCommand
  constructor(
    kind: CliFailureKind,
    code: string,
    message: string,
    opts: { requestId?: string; recommend?: string; nextAction?: string; cliExitCode?: number; httpStatus?: number; rejected?: RejectedCommand; /** A call the harness stopped at its time limit. */ status?: 'timed_out' } = {},
  ) {
    super(code, message, { status: opts.status ?? 'failed', exitCode: opts.status === 'timed_out' ? EXIT.timedOut : EXIT.failed, requestId: opts.requestId, recommend: opts.recommend, nextAction: opts.nextAction })
    this.kind = kind
    this.cliExitCode = opts.cliExitCode
    this.httpStatus = opts.httpStatus
    this.rejected = opts.rejected
  }
}

export type CliFailureKind =
  | 'server' // the API answered with an error code
  | 'permission' // the API refused the caller: RAM permission or credentials (Forbidden.RAM, NoPermission …)
  | 'usage' // the CLI rejected the command line: unknown flag or API, missing required flag (exit 2, or 3)
  | 'configuration' // profile, credentials or region (exit 3)
  | 'timeout' // the request or the process timed out
  | 'plugin-missing' // the product plugin is not installed
  | 'not-found' // no aliyun binary
  | 'output' // the CLI said success but its output is not what the step expects
  | 'replay' // a replay transcript had no answer for the call
  | 'unknown'

/** Errors that reach the top level but are not HarnessErrors are bugs: they get a stack trace. */
export function isExpected(err: unknown): err is HarnessError {
  return err instanceof HarnessError
}

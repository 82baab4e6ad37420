// The end of every run (oclif's typed errors → exit codes): the outcome or the error becomes one
// result object, printed once — JSON for agents and pipes, tables for people, or a skill's own
// envelope — always through the redactor, and one exit code.

import { CliError, HarnessError, NeedsInputError } from './errors.js'
import type { IO } from './io.js'
import { createHuman, renderCommon, type Human, type Paint } from './render.js'
import { exitCodeFor, type Result, type Warning } from './result.js'
import type { StepRecord } from './runner.js'

export interface Presenter {
  /** Human output; a skill with its own envelope gets that envelope too (what JSON mode would print). */
  render?(result: Result, h: Human, envelope?: unknown): void
  envelope?(result: Result, err: HarnessError | undefined, argv: readonly string[]): { body: unknown; exitCode: number }
}

export function baseResult(skill: string, operation: string, runId: string): Result {
  return { success: false, skill, operation, status: 'failed', run_id: runId, data: null, steps: [], error: null, next_action: null, warnings: [] }
}

export interface Finishing {
  io: IO
  result: Result
  error?: HarnessError
  steps: StepRecord[]
  warnings?: Warning[]
  argv: readonly string[]
  /** Registered secrets the skill's policy lets through in the result's `data` (and nowhere else). */
  reveal?: readonly string[]
  /** Every RAM action the skill needs (its policy's `permissions.ram`), shown when a permission error stops the run. */
  permissions?: readonly string[]
  paint?: Paint
}

const GRANT_ALL = 'Do not retry yet. Ask an administrator to grant every RAM permission in error.required_permissions to the identity of the active aliyun profile, wait until it is granted, then run the same command again.'

/** The permission refusal an error is, or was caused by (a skill's stop over a CliError), if any. */
export function permissionRefusal(err: unknown): CliError | undefined {
  let e: unknown = err
  for (let depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof CliError && e.kind === 'permission') return e
    e = e.cause
  }
  return undefined
}

/** Fills the result from the error (if any), prints it and returns the exit code. */
export function finish(presenter: Presenter, f: Finishing): number {
  const { io, result, error } = f
  result.steps = f.steps
  result.warnings = [...result.warnings, ...(f.warnings ?? [])]
  let exitCode = exitCodeFor(result.status)
  if (error) {
    result.status = error.status
    result.error = error.toInfo()
    // The skill's rule: on any permission error, name everything it needs, not the one action refused.
    const refused = f.permissions?.length ? permissionRefusal(error) : undefined
    if (refused) result.error.required_permissions = [...f.permissions!]
    result.next_action = error.nextAction ?? (refused ? GRANT_ALL : result.next_action)
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
  // A skill with its own published contract (flink) prints its envelope in JSON mode and always
  // picks its own exit code; people at a terminal get the same facts rendered.
  const envelope = presenter.envelope?.(io.redactor.scrubValue(result), error, f.argv)
  if (envelope) exitCode = envelope.exitCode
  if (envelope && io.json) {
    io.stdout.write(JSON.stringify(envelope.body, null, 2) + '\n')
    return exitCode
  }
  const dataRedactor = io.redactor.revealing(f.reveal ?? [])
  if (io.json) {
    const { data, ...rest } = result
    io.stdout.write(JSON.stringify({ ...io.redactor.scrubValue(rest), data: dataRedactor.scrubValue(data) }, null, 2) + '\n')
  } else {
    const h = createHuman((s) => io.stdout.write(s), (s) => dataRedactor.scrub(s), io.width)
    presenter.render?.({ ...io.redactor.scrubValue(result), data: dataRedactor.scrubValue(result.data) }, h, envelope?.body)
    renderCommon(io.redactor.scrubValue({ ...result, data: null }), h, f.paint)
  }
  return exitCode
}

// The original wrapper's JSON envelope (catalogue §1.e), printed with 2-space indent, exit 0 on
// success (no-op included) and 1 on every error. The original fields keep their meaning and order:
//   success, operation, confirmation_check (create ops, success AND failure),
//   idempotent_noop + message (no-op), data, request_id (success), error {code, message} (failure).
// The harness adds fields after them, never changing an original one, so an agent that parses the
// original contract keeps working:
//   status       completed | noop | not_ready | failed (the skill's closure-report status)
//   next_action  what to do next, when there is something to do
//   data/request_id on a failure, only when something was created (so its id is not lost)
//   error.request_id / error.recommend, when the API gave them
//   instance_id, verification, readiness, capacity, pages_read, create, create_namespace (per command)
//   warnings     what the user must know although the outcome stands (e.g. TranscriptNotSaved), when any
//   steps        every aliyun command run, with exit code, request id and attempt

import type { ErrorInfo, HarnessError } from '../../lib/errors.js'
import { UsageError } from '../../lib/errors.js'
import type { Result } from '../../lib/result.js'
import { CONFIRMED_COMMANDS, lenientRead } from './args.js'
import { isReply, type Reply } from './reply.js'

export function confirmationCheck(provided: boolean) {
  return { required_flag: '--confirm', provided, status: provided ? 'passed' : 'missing' }
}

/** Option-parsing errors keep MissingParameter; every other argument error is ValueError (§1.g-7). */
function errorCode(info: ErrorInfo, err: HarnessError | undefined): string {
  if (err instanceof UsageError && info.code !== 'MissingParameter') return 'ValueError'
  return info.code
}

/** parseArgs words an unknown option differently from argparse; the argparse wording is the contract. */
function errorMessage(info: ErrorInfo): string {
  const unknown = info.message.match(/^Unknown option '([^']+)'\.?$/)
  return unknown ? `unrecognized arguments: ${unknown[1]}` : info.message
}

const FIX_ARGUMENTS = 'Fix the arguments (see `aliyun-harness flink --help`), then run the command again. No cloud call was made.'

function flinkStatus(status: Result['status']): 'completed' | 'noop' | 'not_ready' | 'failed' {
  if (status === 'completed' || status === 'noop') return status
  if (status === 'not_ready' || status === 'timed_out') return 'not_ready'
  return 'failed'
}

export function buildEnvelope(result: Result, err: HarnessError | undefined, argv: readonly string[]): { body: Record<string, unknown>; exitCode: number } {
  const seen = lenientRead(argv)
  // When option parsing itself failed, the result names only the skill: read the sub-command from argv.
  const operation = (result.operation && result.operation !== result.skill ? result.operation : seen.command) || null
  const reply: Reply = isReply(result.data) ? (result.data as Reply) : {}
  const body: Record<string, unknown> = { success: result.success, operation }
  if (operation && CONFIRMED_COMMANDS.has(operation)) body.confirmation_check = confirmationCheck(seen.confirm)
  if (result.success && reply.idempotent_noop) {
    body.idempotent_noop = true
    body.message = reply.message ?? ''
  }
  if (reply.data !== undefined) body.data = reply.data
  if (result.success || reply.request_id) body.request_id = reply.request_id ?? ''
  if (!result.success && result.error) body.error = { ...result.error, code: errorCode(result.error, err), message: errorMessage(result.error) }
  body.status = flinkStatus(result.status)
  const nextAction = result.next_action ?? (err instanceof UsageError ? FIX_ARGUMENTS : null)
  if (nextAction) body.next_action = nextAction
  for (const [k, v] of Object.entries(reply.extra ?? {})) if (v !== undefined && !(k in body)) body[k] = v
  if (result.warnings.length) body.warnings = result.warnings
  body.steps = result.steps
  return { body, exitCode: result.success ? 0 : 1 }
}

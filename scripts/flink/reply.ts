// What a flink command hands to the envelope: the original wrapper's fields (`data`,
// `request_id`, `idempotent_noop` + `message`) plus the harness's additions, and the error type
// that carries the same reply when a command fails after doing something worth reporting.

import { HarnessError, type Status } from '../../lib/errors.js'
import type { Outcome } from '../../lib/skill.js'

export interface Reply {
  /** The API body, or `{ExistingInstance}` / `{ExistingNamespace}` for a no-op (original contract). */
  data?: unknown
  /** The API's RequestId; "" on a no-op, as the original. */
  request_id?: string
  idempotent_noop?: true
  message?: string
  /** Harness additions printed after the original fields (verification, readiness, …). */
  extra?: Record<string, unknown>
}

export function isReply(value: unknown): value is Reply {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export function done(reply: Reply, status: Outcome['status'] = 'completed', nextAction?: string): Outcome & { data: Reply } {
  return { status, data: reply, nextAction }
}

/** A failure after (or while) doing something: the envelope still shows what was done. */
export class FlinkFailure extends HarnessError {
  constructor(code: string, message: string, opts: { status?: Extract<Status, 'failed' | 'not_ready'>; nextAction?: string; reply?: Reply; requestId?: string } = {}) {
    super(code, message, { status: opts.status ?? 'failed', nextAction: opts.nextAction, data: opts.reply, requestId: opts.requestId })
  }
}

/** Adds what was done so far to a failure that has no reply of its own. */
export function withReply(err: unknown, reply: Reply): unknown {
  if (err instanceof HarnessError && err.data === undefined) err.data = reply
  return err
}

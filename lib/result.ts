// The one result object a run prints in JSON mode (and renders for people on a terminal).

import type { ErrorInfo, Status } from './errors.js'
import type { StepRecord } from './runner.js'

export interface ResultOption {
  value: string
  label: string
  recommended: boolean
  argv: string[]
  command: string
}

/**
 * Something the user must know although it did not change the outcome: an ai-mode lock taken over,
 * ai-mode left enabled after a successful run, a transcript that could not be saved.
 */
export interface Warning {
  code: string
  message: string
  next_action?: string
}

export interface Result {
  success: boolean
  skill: string
  operation: string
  status: Status
  run_id: string
  data: unknown
  steps: StepRecord[]
  error: ErrorInfo | null
  next_action: string | null
  warnings: Warning[]
  input?: { id: string; question: string; context?: string; flag: string; options: ResultOption[] }
}

export function exitCodeFor(status: Status, fallback = 1): number {
  switch (status) {
    case 'completed':
    case 'noop':
      return 0
    case 'needs_input':
      return 3
    case 'blocked':
      return 4
    case 'timed_out':
    case 'not_ready':
      return 5
    default:
      return fallback
  }
}

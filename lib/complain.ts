// What the dispatcher and the tools say on stderr when they stop before running anything: one line
// (or a few) naming the command, through the one redactor — the text may quote what the user typed.

import { isExpected } from './errors.js'
import { Redactor } from './redact.js'

/** Writes `<who>: <message>` to stderr and returns the exit code (2 unless told). */
export function complain(who: string, message: string, code = 2): number {
  process.stderr.write(new Redactor(process.env).scrub(`${who}: ${message}\n`))
  return code
}

/** A usage error (with its "did you mean" and where to look) as `complain` prints it; anything else is a bug. */
export function usageExit(who: string, e: unknown): number {
  if (!isExpected(e)) throw e
  return complain(who, `${e.message}${e.nextAction ? ` ${e.nextAction}` : ''}`)
}

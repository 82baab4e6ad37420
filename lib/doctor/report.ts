// doctor's result: one row per check, printed as JSON for agents and pipes or as a table for people,
// always through the redactor. Exit 0 when nothing failed, 1 when a check failed.

import type { IO } from '../io.js'
import { createHuman, type Paint } from '../render.js'

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped'

export interface Check {
  name: string
  /** The skill (or skills, comma-separated) the check is about; null for the machine as a whole. */
  skill: string | null
  status: CheckStatus
  detail: string
  /** What to do about a warning, a failure or a skipped check. */
  fix: string | null
}

export interface DoctorReport {
  success: boolean
  status: 'ok' | 'warn' | 'fail'
  checks: Check[]
}

export const check = (status: CheckStatus) => (name: string, skill: string | null, detail: string, fix: string | null = null): Check => ({ name, skill, status, detail, fix })
export const ok = check('ok')
export const warn = check('warn')
export const fail = check('fail')
export const skipped = check('skipped')

export function summarize(checks: Check[]): DoctorReport {
  const failed = checks.some((c) => c.status === 'fail')
  const warned = checks.some((c) => c.status === 'warn')
  return { success: !failed, status: failed ? 'fail' : warned ? 'warn' : 'ok', checks }
}

export function exitCodeOf(report: DoctorReport): number {
  return report.success ? 0 : 1
}

const MARK: Record<CheckStatus, string> = { ok: '✔ ok', warn: '! warn', fail: '✖ fail', skipped: '- skipped' }
const PAINT: Record<CheckStatus, keyof Paint> = { ok: 'green', warn: 'yellow', fail: 'red', skipped: 'bold' }

export function printReport(report: DoctorReport, io: IO, paint?: Paint): void {
  const scrub = (s: string) => io.redactor.scrub(s)
  if (io.json) {
    io.stdout.write(JSON.stringify(io.redactor.scrubValue(report), null, 2) + '\n')
    return
  }
  // The renderer every command shares: the table fits the terminal (cells wrapped within their
  // columns, or one stacked block per check when even that is too wide), and loads cli-table3 itself.
  const h = createHuman((s) => io.stdout.write(s), scrub, io.width)
  h.table(
    ['check', 'result', 'detail', 'what to do'],
    report.checks.map((c) => [c.skill ? `${c.name}\n(${c.skill})` : c.name, paint ? paint[PAINT[c.status]](MARK[c.status]) : MARK[c.status], c.detail, c.fix]),
  )
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length
  const line = `${report.success ? '✔' : '✖'} doctor: ${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failed, ${count('skipped')} skipped`
  h.line(paint ? paint[report.success ? (report.status === 'warn' ? 'yellow' : 'green') : 'red'](line) : line)
}

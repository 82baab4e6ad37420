// doctor's result: one row per check, printed as JSON for agents and pipes or as a table for people,
// always through the redactor. Exit 0 when nothing failed, 1 when a check failed.

import Table from 'cli-table3'
import type { IO } from '../io.js'
import type { Paint } from '../render.js'

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

/** Hard line breaks at `width`, on spaces where possible; a longer token (an argv item) is split, never cut. */
export function fold(text: string, width: number): string {
  const out: string[] = []
  for (const para of text.split('\n')) {
    let line = ''
    for (let word of para.split(' ')) {
      while (word.length > width) {
        if (line) out.push(line)
        out.push(word.slice(0, width))
        word = word.slice(width)
        line = ''
      }
      if (!line) line = word
      else if (line.length + 1 + word.length <= width) line += ` ${word}`
      else {
        out.push(line)
        line = word
      }
    }
    out.push(line)
  }
  return out.join('\n')
}

const MARK: Record<CheckStatus, string> = { ok: '✔ ok', warn: '! warn', fail: '✖ fail', skipped: '- skipped' }
const PAINT: Record<CheckStatus, keyof Paint> = { ok: 'green', warn: 'yellow', fail: 'red', skipped: 'bold' }

export function printReport(report: DoctorReport, io: IO, paint?: Paint): void {
  const scrub = (s: string) => io.redactor.scrub(s)
  if (io.json) {
    io.stdout.write(JSON.stringify(io.redactor.scrubValue(report), null, 2) + '\n')
    return
  }
  const total = Math.max(100, io.stdout.columns ?? 160)
  const [nameW, resultW] = [34, 11]
  const rest = total - nameW - resultW - 13
  // The fix column takes what its longest text needs, up to 40 %; the detail gets the rest.
  const fixW = Math.max(10, Math.min(Math.floor(rest * 0.4), ...report.checks.map((c) => (c.fix ?? '').length)))
  const detailW = rest - fixW
  const table = new Table({ head: ['check', 'result', 'detail', 'what to do'], style: { head: [], border: [] } })
  for (const c of report.checks) {
    const result = paint ? paint[PAINT[c.status]](MARK[c.status]) : MARK[c.status]
    const name = c.skill ? `${c.name}\n(${c.skill})` : c.name
    table.push([fold(scrub(name), nameW), result, fold(scrub(c.detail), detailW), fold(scrub(c.fix ?? ''), fixW)])
  }
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length
  const line = `${report.success ? '✔' : '✖'} doctor: ${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failed, ${count('skipped')} skipped`
  io.stdout.write(`${table.toString()}\n${paint ? paint[report.success ? (report.status === 'warn' ? 'yellow' : 'green') : 'red'](line) : line}\n`)
}

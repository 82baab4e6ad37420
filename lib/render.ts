// Human output: cli-table3 tables and short status lines. JSON output never goes through here.

import { createRequire } from 'node:module'
import type { Result } from './result.js'

/** cli-table3 is loaded by the first table drawn: JSON runs and help never load it. */
const require = createRequire(import.meta.url)
let Table: typeof import('cli-table3') | undefined

export interface Human {
  line(text?: string): void
  heading(text: string): void
  table(head: string[], rows: (string | number | boolean | null | undefined)[][]): void
  kv(pairs: [string, unknown][]): void
}

export function createHuman(write: (s: string) => void, scrub: (s: string) => string): Human {
  const cell = (v: unknown) => (v === null || v === undefined || v === '' ? '-' : String(v))
  return {
    line(text = '') {
      write(scrub(text) + '\n')
    },
    heading(text) {
      write(`\n${scrub(text)}\n`)
    },
    table(head, rows) {
      Table ??= require('cli-table3') as typeof import('cli-table3')
      const t = new Table({ head, style: { head: [], border: [] } })
      for (const r of rows) t.push(r.map(cell))
      write(scrub(t.toString()) + '\n')
    },
    kv(pairs) {
      const width = Math.max(0, ...pairs.map(([k]) => k.length)) + 2
      for (const [k, v] of pairs) write(scrub(`${`${k}:`.padEnd(width)}${cell(v)}`) + '\n')
    },
  }
}

const MARK: Record<string, string> = {
  completed: '✔',
  noop: '✔',
  failed: '✖',
  stopped: '■',
  blocked: '⛔',
  needs_input: '?',
  not_ready: '…',
  timed_out: '⏱',
}

/** Colours for a terminal (zx's chalk); absent for pipes, files and NO_COLOR. */
export interface Paint {
  green(s: string): string
  red(s: string): string
  yellow(s: string): string
  bold(s: string): string
}

const PAINT_FOR: Record<string, keyof Paint> = { completed: 'green', noop: 'green', failed: 'red', blocked: 'red', stopped: 'yellow', needs_input: 'yellow', not_ready: 'yellow', timed_out: 'yellow' }

/** The part of the human output every skill shares: status, error, question, next action. */
export function renderCommon(result: Result, h: Human, paint?: Paint): void {
  const what = result.operation && result.operation !== result.skill ? `${result.skill} ${result.operation}` : result.skill
  const status = `${MARK[result.status] ?? ''} ${what}: ${result.status}`
  h.line(paint ? paint[PAINT_FOR[result.status] ?? 'bold'](status) : status)
  if (result.error) {
    h.line(`  ${result.error.code}: ${result.error.message.split('\n').join('\n  ')}`)
    if (result.error.request_id) h.line(`  request id: ${result.error.request_id}`)
    if (result.error.recommend) h.line(`  recommend: ${result.error.recommend}`)
    const needed = result.error.required_permissions
    if (needed?.length) h.line(`  required RAM permissions (grant them all, then run again; policy JSON in references/${result.skill}.md, RAM):\n${needed.map((p) => `    - ${p}`).join('\n')}`)
  }
  if (result.input) {
    if (result.input.context) h.line(result.input.context)
    h.line(`  ${result.input.question}`)
    for (const o of result.input.options) h.line(`  - ${o.label}${o.recommended ? ' (Recommended)' : ''}\n      ${o.command}`)
  }
  if (result.next_action) h.line(`  next: ${result.next_action}`)
  for (const w of result.warnings ?? []) h.line(`  warning: ${w.message}${w.next_action ? `\n    ${w.next_action}` : ''}`)
}

// Human output: cli-table3 tables and short status lines, fitted to the terminal. JSON output
// never goes through here. A table wider than the terminal is wrapped within its columns (words
// kept whole); when even that does not fit, each row is a stacked block of "Header: value" lines.

import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { packageRoot } from './paths.js'
import type { Result } from './result.js'
import { displayWidth, wrapText } from './text-width.js'

/** cli-table3 is loaded by the first table drawn: JSON runs and help never load it. */
const require = createRequire(import.meta.url)
let Table: typeof import('cli-table3') | undefined

export interface Human {
  line(text?: string): void
  /** Prose: each line wrapped to the terminal, continued under its text (after the indent and a `- ` or `1. ` marker). */
  prose(text: string): void
  heading(text: string): void
  table(head: string[], rows: (string | number | boolean | null | undefined)[][]): void
  kv(pairs: [string, unknown][]): void
}

/**
 * The most a table cell shows: cloud data can hold a name or description of hundreds of lines,
 * and cli-table3 takes time that grows far faster than the lines of a cell (seconds at 40). The
 * full value stays in the JSON result and the --output file.
 */
export const CELL_MAX_LINES = 8
export const CELL_MAX_CHARS = 240

/** The cell as a table shows it: its first lines and characters, then `…` when it is longer. */
function capCell(text: string): string {
  const chars = [...text.split('\n').slice(0, CELL_MAX_LINES).join('\n')].slice(0, CELL_MAX_CHARS).join('')
  return chars.length < text.length ? `${chars.trimEnd()}…` : text
}

/** A cell wrapped into a narrow column: at most CELL_MAX_LINES lines, the last ending in `…` when cut. */
function capLines(lines: string[], width: number): string[] {
  if (lines.length <= CELL_MAX_LINES) return lines
  const kept = lines.slice(0, CELL_MAX_LINES)
  const last = kept[kept.length - 1]
  kept[kept.length - 1] = `${displayWidth(last) < width ? last : [...last].slice(0, -1).join('')}…`
  return kept
}

/** A line wrapped to `width`, continuation lines under its text (past the indent and list marker). */
function proseLines(line: string, width: number): string[] {
  const lead = /^\s*(?:(?:[-*•]|\d+\.)\s+)?/.exec(line)![0]
  const [first, ...more] = wrapText(line.slice(lead.length), Math.max(20, width - displayWidth(lead)))
  return [`${lead}${first}`, ...more.map((m) => `${''.padEnd(displayWidth(lead))}${m}`)]
}

/** Narrowest a column is squeezed to (unless its content is narrower) before the table is stacked instead. */
const MIN_COLUMN = 12
const STACK_SEPARATOR = '─'

/**
 * Each column's width within `available`, or undefined when the table cannot fit: every column
 * keeps its longest word whole (ids are never cut) and at least MIN_COLUMN, and what is left is
 * shared in proportion to what each column still lacks.
 */
function columnWidths(natural: number[], longestWord: number[], available: number): number[] | undefined {
  const floor = natural.map((n, i) => Math.min(n, Math.max(longestWord[i], MIN_COLUMN)))
  const spare = available - floor.reduce((a, b) => a + b, 0)
  if (spare < 0) return undefined
  const lack = natural.map((n, i) => n - floor[i])
  const totalLack = lack.reduce((a, b) => a + b, 0)
  return floor.map((f, i) => Math.min(natural[i], f + (totalLack ? Math.floor((spare * lack[i]) / totalLack) : 0)))
}

function plainTable(head: string[], rows: string[][]): string {
  Table ??= require('cli-table3') as typeof import('cli-table3')
  const t = new Table({ head, style: { head: [], border: [] } })
  for (const r of rows) t.push(r)
  return t.toString()
}

/** The table as it fits in `width` columns (no limit when undefined). */
function fitTable(head: string[], rows: string[][], width: number | undefined): string {
  const natural = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const frame = 3 * head.length + 1
  if (!width || natural.reduce((a, b) => a + b, 0) + frame <= width) return plainTable(head, rows)
  const words = (cell: string) => Math.max(0, ...cell.split(/\s+/).map(displayWidth))
  const longestWord = head.map((h, i) => Math.max(words(h), ...rows.map((r) => words(r[i] ?? ''))))
  const widths = columnWidths(natural, longestWord, width - frame)
  if (widths) {
    const wrap = (cell: string, i: number) => capLines(wrapText(cell, widths[i]), widths[i]).join('\n')
    return plainTable(head.map(wrap), rows.map((r) => r.map(wrap)))
  }
  return stacked(head, rows, width)
}

/** One block of "Header: value" lines per row, values wrapped under themselves. */
function stacked(head: string[], rows: string[][], width: number): string {
  const label = Math.min(Math.max(...head.map((h) => displayWidth(h))) + 2, Math.floor(width / 2))
  const valueWidth = Math.max(10, width - label)
  const blocks = rows.map((r) =>
    head
      .flatMap((h, i) => {
        const [first, ...more] = wrapText(r[i] ?? '', valueWidth)
        const name = `${h}:`
        const lead = displayWidth(name) >= label ? [name, `${''.padEnd(label)}${first}`] : [`${name.padEnd(label)}${first}`]
        return [...lead, ...more.map((m) => `${''.padEnd(label)}${m}`)]
      })
      .join('\n'),
  )
  const rule = STACK_SEPARATOR.repeat(Math.min(width, 40))
  return [rule, ...blocks.flatMap((b) => [b, rule])].join('\n')
}

export function createHuman(write: (s: string) => void, scrub: (s: string) => string, width?: number): Human {
  const cell = (v: unknown) => (v === null || v === undefined || v === '' ? '-' : scrub(String(v)))
  return {
    line(text = '') {
      write(scrub(text) + '\n')
    },
    heading(text) {
      write(`\n${scrub(text)}\n`)
    },
    prose(text) {
      const clean = scrub(text)
      write(`${width ? clean.split('\n').flatMap((l) => proseLines(l, width)).join('\n') : clean}\n`)
    },
    table(head, rows) {
      const shown = (v: unknown) => capCell(cell(v))
      write(scrub(fitTable(head.map(shown), rows.map((r) => r.map(shown)), width)) + '\n')
    },
    kv(pairs) {
      const keyWidth = Math.max(0, ...pairs.map(([k]) => k.length)) + 2
      for (const [k, v] of pairs) {
        const value = cell(v)
        const lines = width && width - keyWidth >= 20 ? wrapText(value, width - keyWidth) : [value]
        write(scrub(lines.map((l, i) => `${(i === 0 ? `${k}:` : '').padEnd(keyWidth)}${l}`).join('\n')) + '\n')
      }
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
    // The reference with the ready policy JSON is named only when the skill has one.
    const where = existsSync(join(packageRoot(), 'references', `${result.skill}.md`)) ? `; policy JSON in references/${result.skill}.md, RAM` : ''
    if (needed?.length) h.line(`  required RAM permissions (grant them all, then run again${where}):\n${needed.map((p) => `    - ${p}`).join('\n')}`)
  }
  if (result.input) {
    if (result.input.context) h.line(result.input.context)
    h.line(`  ${result.input.question}`)
    for (const o of result.input.options) h.line(`  - ${o.label}${o.recommended ? ' (Recommended)' : ''}\n      ${o.command}`)
  }
  if (result.next_action) h.line(`  next: ${result.next_action}`)
  for (const w of result.warnings ?? []) h.line(`  warning: ${w.message}${w.next_action ? `\n    ${w.next_action}` : ''}`)
}

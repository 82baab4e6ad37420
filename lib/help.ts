// The one layout of every help text (skills, tools, the top level), so every command reads alike.

import type { CommandDef } from './commands.js'
import { optionsHelp, type OptionSpecs } from './options.js'
import { displayWidth, wrapText } from './text-width.js'

interface HelpDoc {
  /** `aliyun-harness ecs-dr` */
  title: string
  summary: string
  usage: string | readonly string[]
  /** Lines under the usage, as written (they may hold commands to copy). */
  details?: readonly string[]
  /** Option sections in order: `Options`, `Global options` … (empty sections are left out). */
  sections: readonly (readonly [string, OptionSpecs])[]
  examples?: readonly string[]
  /** Closing lines (exit codes …). */
  footer?: readonly string[]
}

/** Help is laid out for 80 columns, whatever prints it (a terminal, a pipe, a file). */
const WIDTH = 80

/** A piece of a line and what joins it to the piece before when both are on one line. */
interface Piece {
  text: string
  glue: string
}

/** Fills lines of `width` columns with pieces, the first after `lead`, the others after `indent`. */
function fill(pieces: readonly Piece[], lead: string, indent: string, width: number): string[] {
  const out: string[] = []
  let line = lead
  for (const p of pieces) {
    const candidate = line === lead ? `${lead}${p.text}` : `${line}${p.glue}${p.text}`
    if (line !== lead && displayWidth(candidate) > width) {
      out.push(line)
      line = `${indent}${p.text}`
    } else line = candidate
  }
  out.push(line)
  return out
}

/** Words of a usage line: split at spaces outside `[…]`, so an optional group stays whole when it fits. */
function usageWords(usage: string): string[] {
  const words = ['']
  let depth = 0
  for (const ch of usage) {
    if (ch === ' ' && depth === 0) {
      if (words.at(-1)) words.push('')
      continue
    }
    if (ch === '[') depth++
    if (ch === ']') depth = Math.max(0, depth - 1)
    words[words.length - 1] += ch
  }
  return words.filter(Boolean)
}

/**
 * A usage line within WIDTH: broken at spaces, keeping each `[…]` group and each flag with its value
 * whole when it fits; a group wider than a line is broken at its spaces, a word list (`<a|b|…>`)
 * after its `|`.
 */
function usageLines(usage: string, lead: string): string[] {
  const indent = ''.padEnd(lead.length + 4)
  const room = WIDTH - indent.length
  // A flag keeps its value (`--region <r>`) on its line.
  const units: string[] = []
  for (const w of usageWords(usage)) {
    if (units.at(-1)?.startsWith('-') && !/^[-[]/.test(w)) units[units.length - 1] += ` ${w}`
    else units.push(w)
  }
  const pieces = units.flatMap((w): Piece[] => {
    if (displayWidth(w) <= room) return [{ text: w, glue: ' ' }]
    if (w.includes(' ')) return w.split(' ').map((text) => ({ text, glue: ' ' }))
    return w.split(/(?<=\|)/).map((text, i) => ({ text, glue: i ? '' : ' ' }))
  })
  return fill(pieces, lead, indent, WIDTH)
}

/** The words of a command line: split at spaces outside quotes and parentheses; a comment is one word. */
function shellWords(line: string): string[] {
  const words = ['']
  let quote = ''
  let depth = 0
  for (const ch of line) {
    const word = words[words.length - 1]
    if (!quote && depth === 0 && ch === ' ' && !word.startsWith('#')) {
      if (word) words.push('')
      continue
    }
    if (quote) quote = ch === quote ? '' : quote
    else if (ch === '"' || ch === "'") quote = ch
    else if (ch === '(') depth++
    else if (ch === ')') depth = Math.max(0, depth - 1)
    words[words.length - 1] += ch
  }
  return words.filter(Boolean)
}

/**
 * An example as lines to copy: as written when it fits, else continued with ` \` (which every
 * shell joins back into the same command) before a flag, `--`, a redirection or a comment, a flag
 * keeping its value on its line when they fit.
 */
function exampleLines(example: string): string[] {
  const lead = '  '
  if (displayWidth(lead + example) <= WIDTH) return [lead + example]
  const indent = '      '
  const units: string[] = []
  for (const w of shellWords(example)) {
    if (units.length && !/^(-|[#<>|&;])/.test(w)) units[units.length - 1] += ` ${w}`
    else units.push(w)
  }
  const room = WIDTH - indent.length - 2
  const pieces = units.flatMap((u) => (displayWidth(u) <= room ? [u] : shellWords(u))).map((text) => ({ text, glue: ' ' }))
  const lines = fill(pieces, lead, indent, WIDTH - 2)
  return lines.map((l, i) => (i < lines.length - 1 ? `${l} \\` : l))
}

function renderHelp(doc: HelpDoc): string {
  const usage = typeof doc.usage === 'string' ? [doc.usage] : doc.usage
  const lines = [...wrapText(`${doc.title} — ${doc.summary}`, WIDTH), '', ...usage.flatMap((u, i) => usageLines(u, i === 0 ? 'Usage: ' : '       '))]
  if (doc.details?.length) lines.push('', ...doc.details)
  for (const [name, specs] of doc.sections) if (Object.keys(specs).length) lines.push('', `${name}:`, optionsHelp(specs, WIDTH))
  if (doc.examples?.length) lines.push('', 'Examples:', ...doc.examples.flatMap(exampleLines))
  if (doc.footer?.length) lines.push('', ...doc.footer.flatMap((f) => wrapText(f, WIDTH)))
  return lines.join('\n') + '\n'
}

/** The exit codes of a skill run (flink's own contract replaces them). */
export const SKILL_EXIT_CODES =
  'Exit codes: 0 completed or no-op, 1 failed or stopped, 2 invalid usage, 3 needs input, 4 blocked by policy, 5 timed out or not ready, 129/130/143 interrupted (SIGHUP/SIGINT/SIGTERM).'

/** A command's help, from its entry in the dispatch table. */
export function commandHelp(def: CommandDef): string {
  return renderHelp({
    title: `aliyun-harness ${def.name}`,
    summary: def.summary,
    usage: def.usage,
    details: def.details,
    sections: [
      ['Options', def.options],
      ['Global options', def.globalOptions ?? {}],
    ],
    examples: def.examples,
    footer: def.exitCodes ? [def.exitCodes] : undefined,
  })
}

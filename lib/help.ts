// The one layout of every help text (skills, tools, the top level), so every command reads alike.

import type { CommandDef } from './commands.js'
import { optionsHelp, type OptionSpecs } from './options.js'
import { wrapText } from './text-width.js'

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

/** A usage line broken before its `[…]` groups, continuation lines indented under the command. */
function usageLines(usage: string, lead: string): string[] {
  const parts = usage.split(/ (?=\[)/)
  const out: string[] = []
  let line = lead
  for (const part of parts) {
    if (line.trim() && line.length + 1 + part.length > WIDTH && line !== lead) {
      out.push(line)
      line = `${''.padEnd(lead.length + 4)}${part}`
    } else line = line === lead ? `${lead}${part}` : `${line} ${part}`
  }
  out.push(line)
  return out
}

function renderHelp(doc: HelpDoc): string {
  const usage = typeof doc.usage === 'string' ? [doc.usage] : doc.usage
  const lines = [...wrapText(`${doc.title} — ${doc.summary}`, WIDTH), '', ...usage.flatMap((u, i) => usageLines(u, i === 0 ? 'Usage: ' : '       '))]
  if (doc.details?.length) lines.push('', ...doc.details)
  for (const [name, specs] of doc.sections) if (Object.keys(specs).length) lines.push('', `${name}:`, optionsHelp(specs, WIDTH))
  // Examples stay whole, one per line: they are meant to be copied.
  if (doc.examples?.length) lines.push('', 'Examples:', ...doc.examples.map((e) => `  ${e}`))
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

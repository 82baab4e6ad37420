// Option parsing for every command (skills and tools): node's strict parseArgs plus per-option
// validation, so bad input is a clear UsageError (exit 2) before any cloud call. Every value is
// checked, whatever the option: no control characters, a bounded length, no leading `-` (a value
// that looks like a flag is refused here, so it can never reach the CLI as one), and the option's
// own format. An unknown option names the closest known one.

import { parseArgs } from 'node:util'
import { UsageError } from './errors.js'
import { didYouMean } from './suggest.js'
import { wrapText } from './text-width.js'

export interface OptionSpec {
  type: 'string' | 'boolean' | 'strings'
  description: string
  required?: boolean
  choices?: readonly string[]
  /** Checked on every value; `hint` explains the expected form in the error. */
  pattern?: RegExp
  hint?: string
  /** A check beyond the pattern (a numeric range …): the problem with the value, or undefined. */
  check?: (value: string) => string | undefined
  valueName?: string
  default?: string | boolean
  /** Longest accepted value (default 256 characters). */
  maxLength?: number
  /** Prose (a description, a start command): any printable text, a leading `-` included. */
  freeText?: boolean
  /** A one-letter alias (`-h`). */
  short?: string
}

/** Longest value of an option that does not set its own maximum. */
export const DEFAULT_MAX_LENGTH = 256
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
export type OptionSpecs = Record<string, OptionSpec>

export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : S[K]['type'] extends 'strings' ? string[] : S[K]['required'] extends true ? string : string | undefined
}

/** The longest a CLI call may take (`--cli-timeout`), in seconds. */
export const DEFAULT_CLI_TIMEOUT_S = 120
const MAX_CLI_TIMEOUT_S = 86_400

/** `-h`/`--help`: every command takes it. */
export const HELP_OPTION = {
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
} as const satisfies OptionSpecs

/** Output mode: every command that prints a result takes these. */
export const OUTPUT_OPTIONS = {
  json: { type: 'boolean', description: 'Print JSON on stdout (the default when stdout is not a terminal).' },
  human: { type: 'boolean', description: 'Print for people (tables, text) even when stdout is a pipe or a file, e.g. `| less`.' },
} as const satisfies OptionSpecs

/** Options every skill command accepts. */
export const GLOBAL_OPTIONS = {
  ...OUTPUT_OPTIONS,
  profile: { type: 'string', description: 'aliyun CLI profile to use (passed to the CLI as --profile).', valueName: 'name', pattern: /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, hint: 'a profile name: 1–64 letters, digits, "_", ".", "@" or "-", starting with a letter or digit' },
  'cli-timeout': {
    type: 'string',
    description: 'Stop an aliyun call that runs longer than this many seconds; the run then ends timed_out (exit 5).',
    valueName: 'seconds',
    default: String(DEFAULT_CLI_TIMEOUT_S),
    pattern: /^\d{1,5}(\.\d{1,3})?$/,
    hint: `a number of seconds, more than 0 and at most ${MAX_CLI_TIMEOUT_S}`,
    check: (v) => (Number(v) > 0 && Number(v) <= MAX_CLI_TIMEOUT_S ? undefined : `must be more than 0 and at most ${MAX_CLI_TIMEOUT_S} seconds`),
  },
  record: { type: 'string', description: 'Record every CLI call of this run, scrubbed, into a transcript file.', valueName: 'file', maxLength: 4096 },
  replay: { type: 'string', description: 'Serve every CLI call from a transcript instead of running aliyun (no real waits).', valueName: 'file', maxLength: 4096 },
  ...HELP_OPTION,
} as const satisfies OptionSpecs

export type GlobalOptions = ParsedOptions<typeof GLOBAL_OPTIONS>

export interface ParsedArgs<S extends OptionSpecs> {
  options: ParsedOptions<S>
  globals: GlobalOptions
  positionals: string[]
}

/** Why a value is refused before any format check, or undefined. */
function valueProblem(spec: OptionSpec, value: string): string | undefined {
  if (CONTROL.test(value)) return 'contains a control character (a newline, tab or escape)'
  const max = spec.maxLength ?? DEFAULT_MAX_LENGTH
  if (value.length > max) return `is ${value.length} characters long; at most ${max} are accepted`
  if (!spec.freeText && value.startsWith('-')) return 'starts with "-", like a flag'
  return undefined
}

function shown(value: string): string {
  const text = value.length > 60 ? `${value.slice(0, 57)}…` : value
  // eslint-disable-next-line no-control-regex
  return `'${text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`
}

export interface ParseContext {
  positionals?: boolean
  /** The command the options belong to, for "see `aliyun-harness <command> --help`". */
  command?: string
}

const seeHelp = (ctx: ParseContext) => `See \`aliyun-harness ${ctx.command ?? '<command>'} --help\``

/** node's parseArgs errors in the harness's words: what was wrong, and what to type instead. */
function parseError(e: Error & { code?: string }, specs: OptionSpecs, ctx: ParseContext): UsageError {
  const named = e.message.match(/^Option '(?:-\w, )?--([^' ]+)/)?.[1]
  const spec = named ? specs[named] : undefined
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return unknownOption(e.message, specs, ctx)
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = e.message.match(/^Unexpected argument '(.*)'\. /s)?.[1] ?? ''
    return withNext(new UsageError(`Unexpected argument ${shown(arg)}: this command takes only options.`, 'InvalidParameter'), `${seeHelp(ctx)} for its usage.`)
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named && spec) {
    if (/argument missing$/.test(e.message)) return new UsageError(`--${named} needs a value${spec.hint ? ` (${spec.hint})` : ` (--${named} <${spec.valueName ?? 'value'}>)`}.`, 'MissingParameter')
    if (/does not take an argument$/.test(e.message)) return new UsageError(`--${named} takes no value; pass it alone.`, 'InvalidParameter')
    if (/argument is ambiguous/.test(e.message))
      return new UsageError(`--${named} needs a value, and the next word starts with "-", like a flag.${spec.freeText ? ` A value that starts with "-" is written --${named}=<value>.` : ''}`, 'MissingParameter')
  }
  return new UsageError(cleanParseError(e.message))
}

function withNext(err: UsageError, next: string): UsageError {
  err.nextAction = next
  return err
}

/** An unknown option, with the closest known one and where the options are listed. */
function unknownOption(message: string, specs: OptionSpecs, ctx: ParseContext): UsageError {
  const typed = message.match(/^Unknown option '([^']+)'/)?.[1]
  if (!typed) return new UsageError(cleanParseError(message))
  const names = Object.entries(specs).flatMap(([name, s]) => [`--${name}`, ...(s.short ? [`-${s.short}`] : [])])
  const err = new UsageError(`Unknown option '${typed}'.`)
  const hint = didYouMean(typed.replace(/=.*$/, ''), names).trim()
  err.nextAction = `${hint ? `${hint} ` : ''}${seeHelp(ctx)} for every option.`
  return err
}

/**
 * Parses and checks `argv` against `specs` (no global options): the values by option name and the
 * positionals. Throws UsageError for anything a user must fix.
 */
export function parseFlags(specs: OptionSpecs, argv: readonly string[], ctx: ParseContext = {}): { values: Record<string, unknown>; positionals: string[] } {
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {}
  for (const [name, spec] of Object.entries(specs)) config[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string', multiple: spec.type === 'strings', ...(spec.short ? { short: spec.short } : {}) }
  let values: Record<string, unknown>
  let positionals: string[]
  let tokens: { kind: string; name?: string }[]
  try {
    ;({ values, positionals, tokens } = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: Boolean(ctx.positionals), allowNegative: false, tokens: true }) as {
      values: Record<string, unknown>
      positionals: string[]
      tokens: { kind: string; name?: string }[]
    })
  } catch (e) {
    throw parseError(e as Error & { code?: string }, specs, ctx)
  }
  // A single-valued option given twice is a mistake, not "the last one wins".
  const seen = new Set<string>()
  for (const t of tokens) {
    if (t.kind !== 'option' || !t.name || specs[t.name]?.type === 'strings') continue
    if (seen.has(t.name)) throw new UsageError(`--${t.name} was given more than once; pass it once.`, 'InvalidParameter')
    seen.add(t.name)
  }
  for (const p of positionals) {
    if (CONTROL.test(p) || p.length > DEFAULT_MAX_LENGTH) throw new UsageError(`the argument ${shown(p)} is not a valid command word.`, 'InvalidParameter')
  }
  const out: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(specs)) {
    let v = values[name]
    if (v === undefined && spec.default !== undefined) v = spec.default
    if (spec.type === 'strings') {
      const items = ((v as string[] | undefined) ?? []).flatMap((x) => x.split(',')).map((x) => x.trim())
      if (items.some((x) => x === '')) throw new UsageError(`--${name} has an empty item; separate values with single commas (a,b).`, 'InvalidParameter')
      v = items
    }
    if (spec.type === 'boolean') v = Boolean(v)
    if (!values.help && spec.required && (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)))
      throw new UsageError(`--${name} is required${spec.hint ? ` (${spec.hint})` : ''}.`, 'MissingParameter')
    if (spec.type === 'string' && v === '' && values[name] !== undefined) throw new UsageError(`--${name} needs a value${spec.hint ? ` (${spec.hint})` : ''}; got an empty one.`, 'InvalidParameter')
    const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
    for (const item of list as string[]) {
      const problem = valueProblem(spec, item)
      if (problem) throw new UsageError(`--${name} ${shown(item)} ${problem}.`, 'InvalidParameter')
      if (spec.choices && !spec.choices.includes(item))
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got ${shown(item)}.${didYouMean(item, spec.choices)}`, 'InvalidParameter')
      if (spec.pattern && !spec.pattern.test(item))
        throw new UsageError(`--${name} ${spec.hint ? `must be ${spec.hint}` : `must match ${spec.pattern}`}; got ${shown(item)}.`, 'InvalidParameter')
      const checked = spec.check?.(item)
      if (checked) throw new UsageError(`--${name} ${checked}; got ${shown(item)}.`, 'InvalidParameter')
    }
    out[name] = v
  }
  if (out.json && out.human) throw new UsageError('--json and --human cannot be used together; pass one of them.')
  return { values: out, positionals }
}

/** A skill's options plus the global ones, split apart. */
export function parseOptions<S extends OptionSpecs>(specs: S, argv: readonly string[], ctx: ParseContext = {}): ParsedArgs<S> {
  const { values, positionals } = parseFlags({ ...GLOBAL_OPTIONS, ...specs }, argv, ctx)
  const globals: Record<string, unknown> = {}
  const options: Record<string, unknown> = {}
  for (const [name, v] of Object.entries(values)) (name in GLOBAL_OPTIONS ? globals : options)[name] = v
  if (globals.record && globals.replay) throw new UsageError('--record and --replay cannot be used together.')
  return { options: options as ParsedOptions<S>, globals: globals as GlobalOptions, positionals }
}

function cleanParseError(msg: string): string {
  // parseArgs messages mention internals ("To specify a positional argument starting with a '-' …").
  return msg.replace(/\. To specify .*$/s, '.').trim()
}

/** The flag as help shows it: `-h, --help`, `--region <region>`, `--ids <id> …`. */
export function flagLabel(name: string, s: OptionSpec): string {
  const value = s.type === 'boolean' ? '' : ` <${s.valueName ?? (s.choices ? s.choices.join('|') : 'value')}>`
  return `${s.short ? `-${s.short}, ` : ''}--${name}${value}${s.type === 'strings' ? ' …' : ''}`
}

/** The options as help lists them, descriptions wrapped to `width` columns under themselves. */
export function optionsHelp(specs: OptionSpecs, width = 80): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const shownDefault = s.default !== undefined && s.default !== '' && s.type !== 'boolean' ? ` Default: ${s.default}.` : ''
    return [flagLabel(name, s), `${s.description}${s.required ? ' (required)' : ''}${shownDefault}`]
  })
  const column = Math.min(32, Math.max(...rows.map(([f]) => f.length)) + 2)
  const indent = ''.padEnd(2 + column)
  return rows
    .map(([f, d]) => {
      const text = wrapText(d, Math.max(30, width - indent.length))
      const first = f.length + 2 > column ? [`  ${f}`, `${indent}${text[0]}`] : [`  ${f.padEnd(column)}${text[0]}`]
      return [...first, ...text.slice(1).map((l) => `${indent}${l}`)].join('\n')
    })
    .join('\n')
}

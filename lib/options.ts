// Option parsing for skill commands: node's strict parseArgs plus per-option validation, so bad
// input is a clear UsageError (exit 2) before any cloud call. Every value is checked, whatever
// the option: no control characters, a bounded length, no leading `-` (a value that looks like a
// flag is refused here, so it can never reach the CLI as one), and the option's own format.

import { parseArgs } from 'node:util'
import { UsageError } from './errors.js'

export interface OptionSpec {
  type: 'string' | 'boolean' | 'strings'
  description: string
  required?: boolean
  choices?: readonly string[]
  /** Checked on every value; `hint` explains the expected form in the error. */
  pattern?: RegExp
  hint?: string
  valueName?: string
  default?: string | boolean
  /** Longest accepted value (default 256 characters). */
  maxLength?: number
  /** Prose (a description, a start command): any printable text, a leading `-` included. */
  freeText?: boolean
}

/** Longest value of an option that does not set its own maximum. */
export const DEFAULT_MAX_LENGTH = 256
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
export type OptionSpecs = Record<string, OptionSpec>

export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : S[K]['type'] extends 'strings' ? string[] : S[K]['required'] extends true ? string : string | undefined
}

/** Options every skill command accepts. */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean', description: 'Print one JSON result object on stdout (the default when stdout is not a terminal).' },
  profile: { type: 'string', description: 'aliyun CLI profile to use (passed to the CLI as --profile).', valueName: 'name', pattern: /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, hint: 'a profile name: 1–64 letters, digits, "_", ".", "@" or "-", starting with a letter or digit' },
  record: { type: 'string', description: 'Record every CLI call of this run, scrubbed, into a transcript file.', valueName: 'file', maxLength: 4096 },
  replay: { type: 'string', description: 'Serve every CLI call from a transcript instead of running aliyun (no real waits).', valueName: 'file', maxLength: 4096 },
  help: { type: 'boolean', description: 'Show this help.' },
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
  return `'${text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`
}

export function parseOptions<S extends OptionSpecs>(specs: S, argv: readonly string[], opts: { positionals?: boolean } = {}): ParsedArgs<S> {
  const all: OptionSpecs = { ...GLOBAL_OPTIONS, ...specs }
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {}
  for (const [name, spec] of Object.entries(all)) config[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string', multiple: spec.type === 'strings' }
  let values: Record<string, unknown>
  let positionals: string[]
  let tokens: { kind: string; name?: string }[]
  try {
    ;({ values, positionals, tokens } = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: Boolean(opts.positionals), allowNegative: false, tokens: true }) as {
      values: Record<string, unknown>
      positionals: string[]
      tokens: { kind: string; name?: string }[]
    })
  } catch (e) {
    throw new UsageError(cleanParseError((e as Error).message))
  }
  // A single-valued option given twice is a mistake, not "the last one wins".
  const seen = new Set<string>()
  for (const t of tokens) {
    if (t.kind !== 'option' || !t.name || all[t.name]?.type === 'strings') continue
    if (seen.has(t.name)) throw new UsageError(`--${t.name} was given more than once; pass it once.`, 'InvalidParameter')
    seen.add(t.name)
  }
  for (const p of positionals) {
    if (CONTROL.test(p) || p.length > DEFAULT_MAX_LENGTH) throw new UsageError(`the argument ${shown(p)} is not a valid command word.`, 'InvalidParameter')
  }
  const out: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(all)) {
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
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got ${shown(item)}.`, 'InvalidParameter')
      if (spec.pattern && !spec.pattern.test(item))
        throw new UsageError(`--${name} ${spec.hint ? `must be ${spec.hint}` : `must match ${spec.pattern}`}; got ${shown(item)}.`, 'InvalidParameter')
    }
    out[name] = v
  }
  const { json, profile, record, replay, help, ...rest } = out
  if (record && replay) throw new UsageError('--record and --replay cannot be used together.')
  return { options: rest as ParsedOptions<S>, globals: { json, profile, record, replay, help } as GlobalOptions, positionals }
}

function cleanParseError(msg: string): string {
  // parseArgs messages mention internals ("To specify a positional argument starting with a '-' …").
  return msg.replace(/\. To specify .*$/s, '.').replace(/^Unknown option/, 'Unknown option').trim()
}

export function optionsHelp(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const flag = `--${name}${s.type === 'boolean' ? '' : ` <${s.valueName ?? (s.choices ? s.choices.join('|') : 'value')}>`}${s.type === 'strings' ? ' …' : ''}`
    return [flag, `${s.description}${s.required ? ' (required)' : ''}${s.default !== undefined && s.type !== 'boolean' ? ` Default: ${s.default}.` : ''}`]
  })
  const width = Math.min(44, Math.max(...rows.map(([f]) => f.length)) + 2)
  return rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`).join('\n')
}

// Option parsing for skill commands: node's strict parseArgs plus per-option validation, so bad
// input is a clear UsageError (exit 2) before any cloud call.

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
}
export type OptionSpecs = Record<string, OptionSpec>

export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : S[K]['type'] extends 'strings' ? string[] : S[K]['required'] extends true ? string : string | undefined
}

/** Options every skill command accepts. */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean', description: 'Print one JSON result object on stdout (the default when stdout is not a terminal).' },
  profile: { type: 'string', description: 'aliyun CLI profile to use (passed to the CLI as --profile).', valueName: 'name' },
  record: { type: 'string', description: 'Record every CLI call of this run, scrubbed, into a transcript file.', valueName: 'file' },
  replay: { type: 'string', description: 'Serve every CLI call from a transcript instead of running aliyun (no real waits).', valueName: 'file' },
  help: { type: 'boolean', description: 'Show this help.' },
} as const satisfies OptionSpecs

export type GlobalOptions = ParsedOptions<typeof GLOBAL_OPTIONS>

export interface ParsedArgs<S extends OptionSpecs> {
  options: ParsedOptions<S>
  globals: GlobalOptions
  positionals: string[]
}

export function parseOptions<S extends OptionSpecs>(specs: S, argv: readonly string[], opts: { positionals?: boolean } = {}): ParsedArgs<S> {
  const all: OptionSpecs = { ...GLOBAL_OPTIONS, ...specs }
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {}
  for (const [name, spec] of Object.entries(all)) config[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string', multiple: spec.type === 'strings' }
  let values: Record<string, unknown>
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: Boolean(opts.positionals), allowNegative: false }) as {
      values: Record<string, unknown>
      positionals: string[]
    })
  } catch (e) {
    throw new UsageError(cleanParseError((e as Error).message))
  }
  const out: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(all)) {
    let v = values[name]
    if (v === undefined && spec.default !== undefined) v = spec.default
    if (spec.type === 'strings') v = ((v as string[] | undefined) ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)
    if (spec.type === 'boolean') v = Boolean(v)
    if (!values.help && spec.required && (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)))
      throw new UsageError(`--${name} is required${spec.hint ? ` (${spec.hint})` : ''}.`, 'MissingParameter')
    const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
    for (const item of list as string[]) {
      if (spec.choices && !spec.choices.includes(item))
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got '${item}'.`, 'InvalidParameter')
      if (spec.pattern && !spec.pattern.test(item))
        throw new UsageError(`--${name} ${spec.hint ? `must be ${spec.hint}` : `must match ${spec.pattern}`}; got '${item}'.`, 'InvalidParameter')
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

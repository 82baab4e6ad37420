// Commands are argv arrays, never shell strings. This module builds them for skills and reads them
// back into (words, flag groups) for the policy, the matcher and the audit.

import { UsageError } from './errors.js'

/** One flag occurrence: `--data-disk Device=/dev/xvdb Category=cloud_essd` is {flag:'--data-disk', values:[…2]}. */
export interface FlagGroup {
  flag: string
  values: string[]
}

export interface ParsedCommand {
  /** Positional words before the first flag: `['ecs','describe-instances']`, `['cs','GET','/clusters/c1']`. */
  words: string[]
  groups: FlagGroup[]
}

/** Repeat a flag once per entry: `{ 'data-disk': repeat(['Device=…','Size=40'], […]) }`. */
export interface Repeated {
  repeat: readonly (readonly string[])[]
}
export function repeat(...groups: (readonly string[])[]): Repeated {
  return { repeat: groups }
}

export type FlagValue = string | number | boolean | readonly string[] | Repeated | undefined | null
export type Flags = Record<string, FlagValue>

/** The CLI's flag that validates and prints a request without sending it (aliyun-cli openapi/flags.go). */
export const DRY_RUN_FLAGS = ['--cli-dry-run'] as const

/** Commands the CLI runs locally: they never carry `--user-agent` (the CLI rejects it there, exit 2). */
export const SYSTEM_COMMANDS = new Set(['configure', 'plugin', 'version', 'help', 'upgrade'])

function flagName(name: string): string {
  return name.startsWith('--') ? name : `--${name}`
}

const FLAG_NAME = /^--[A-Za-z0-9][A-Za-z0-9.-]*$/

/**
 * No value may ever be read by the CLI as a flag. A lone value that starts with `-` is attached
 * with `=` (`--description=-x`), the form the CLI's parser documents for that case; in a list (one
 * flag, several words) there is no such form, so a dash-led item is refused before anything runs.
 */
function flagArgv(name: string, values: readonly string[]): string[] {
  if (!FLAG_NAME.test(name)) throw new Error(`aliyun-harness: '${name}' is not a flag name`)
  if (values.length === 1 && values[0].startsWith('-')) return [`${name}=${values[0]}`]
  const dashed = values.find((v) => v.startsWith('-'))
  if (dashed !== undefined)
    throw new UsageError(`${name}: the list item ${JSON.stringify(dashed)} starts with "-", so the CLI would read it as a flag; it was not sent.`, 'UnsafeArgument')
  return [name, ...values]
}

export function flagsToArgv(flags: Flags = {}): string[] {
  const out: string[] = []
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined || value === null) continue
    const name = flagName(key)
    if (typeof value === 'object' && 'repeat' in value) {
      for (const group of value.repeat) out.push(...flagArgv(name, group))
    } else if (Array.isArray(value)) {
      out.push(...flagArgv(name, value as string[]))
    } else {
      out.push(...flagArgv(name, [String(value)]))
    }
  }
  return out
}

/** An API command in plugin mode: lower-case product, kebab-case action. */
export function api(product: string, action: string, flags?: Flags): string[] {
  return [product, action, ...flagsToArgv(flags)]
}

/** An ROA call in the path form the skills name, e.g. `cs GET /clusters/<id>`. */
export function roa(product: string, method: string, path: string, flags?: Flags): string[] {
  return [product, method, path, ...flagsToArgv(flags)]
}

/** A local command (`version`, `configure list`, `plugin update` …). */
export function system(words: readonly string[], flags?: Flags): string[] {
  return [...words, ...flagsToArgv(flags)]
}

export function parseArgv(argv: readonly string[]): ParsedCommand {
  const words: string[] = []
  const groups: FlagGroup[] = []
  let current: FlagGroup | undefined
  for (const token of argv) {
    if (token.startsWith('--') || (token.startsWith('-') && token.length === 2 && /[a-zA-Z]/.test(token[1]))) {
      const eq = token.indexOf('=')
      if (token.startsWith('--') && eq > 2) {
        current = { flag: token.slice(0, eq), values: [token.slice(eq + 1)] }
      } else {
        current = { flag: token, values: [] }
      }
      groups.push(current)
    } else if (current) {
      current.values.push(token)
    } else {
      words.push(token)
    }
  }
  return { words, groups }
}

export function isSystemCommand(parsed: ParsedCommand): boolean {
  return parsed.words.length === 0 || SYSTEM_COMMANDS.has(parsed.words[0])
}

export function flagValues(parsed: ParsedCommand, flag: string): string[][] {
  return parsed.groups.filter((g) => g.flag === flag).map((g) => g.values)
}

/** A short name for a command, for progress lines and step ids: `ecs describe-instances`. */
export function commandName(argv: readonly string[]): string {
  return parseArgv(argv).words.join(' ')
}

/** POSIX shell quoting, only for showing a command line to a person; nothing is ever run through a shell. */
export function shellQuote(token: string): string {
  if (token === '') return "''"
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(token)) return token
  return `'${token.replace(/'/g, `'\\''`)}'`
}

export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ')
}

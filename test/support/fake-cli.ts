// A fake `aliyun` for doctor's process tests: a POSIX sh script (builtins only, so each call starts
// in a few milliseconds) written into a temp directory, answering local commands with texts built
// from the CLI facts (test/support/cli-facts.ts) and API commands only under --cli-dry-run. Every
// call is logged; an API command without the dry-run flag is logged as a real call and fails, so a
// test can prove none was made.

import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configureListText, hostError } from './cli-facts.js'

export interface Answer {
  stdout?: string
  stderr?: string
  exit?: number
}

export interface FakeCliSpec {
  version: string
  /** `configure list` rows; null: no config.json (the CLI's own error, exit 1). */
  profiles?: Parameters<typeof configureListText>[0] | null
  plugins?: { name: string; version: string; apiDefault?: string; apiSupported?: string[] }[]
  aiMode?: { enabled: boolean; user_agent?: string }
  /** Plugins (by product) that reject the dry-run flag itself. */
  noDryRun?: string[]
  /** A config.json the CLI cannot load: up to 3.4.11 every command prints this and exits 0 (main/main.go:83-87). */
  brokenConfig?: boolean
  /** Plugins (by product) that ignore the dry-run flag: they send the request and print the API's answer. */
  ignoresDryRun?: string[]
  /** What `plugin list` answers instead of the installed plugins (a CLI without plugin support). */
  pluginList?: Answer
  /** `product action` + flag → what the plugin prints when that flag is sent. */
  reject?: { command: string; flag: string; answer: Answer }[]
}

export interface FakeCli {
  path: string
  dir: string
  /** Every argv the fake was called with, in order. */
  calls(): string[][]
  /** API commands that reached it without --cli-dry-run. */
  realCalls(): string[][]
}

/** `plugin list` as tabwriter(minwidth 20, padding 3) prints it (cli/plugin/command.go). */
export function pluginListText(plugins: { name: string; version: string }[]): string {
  const rows = [['Name', 'Version', 'Description'], ['----', '-------', '-----------'], ...[...plugins].sort((a, b) => a.name.localeCompare(b.name)).map((p) => [p.name, p.version, `Alibaba Cloud CLI plugin for ${p.name.replace('aliyun-cli-', '')}`])]
  const w = [0, 1].map((i) => Math.max(20, ...rows.map((r) => r[i].length + 3)))
  return rows.map((r) => r[0].padEnd(w[0]) + r[1].padEnd(w[1]) + r[2]).join('\n') + '\n'
}

/** `plugin show --name <p>`: `Label:<TAB>value` lines (cli/plugin/command.go, 3.3.8+). */
export function pluginShowText(p: { name: string; version: string; apiDefault?: string; apiSupported?: string[] }): string {
  const product = p.name.replace('aliyun-cli-', '')
  return [
    `Name:\t${p.name}`,
    `Version:\t${p.version}`,
    `Product code:\t${product}`,
    `Short description:\t${product} plugin`,
    ...(p.apiDefault ? [`API default:\t${p.apiDefault}`] : []),
    ...(p.apiSupported ? [`API supported:\t${p.apiSupported.join(', ')}`] : []),
    '',
  ].join('\n')
}

/** `configure ai-mode show`: 2-space JSON, `user_agent` omitted when unset (config/configure_ai_mode.go). */
export function aiModeShowText(home: string, s: { enabled: boolean; user_agent?: string }): string {
  const ua = s.user_agent ?? 'AlibabaCloud-Agent-Skills'
  const out = {
    enabled: s.enabled,
    ...(s.user_agent ? { user_agent: s.user_agent } : {}),
    effective_user_agent: ua,
    ...(s.enabled ? { request_user_agent_suffix: `AlibabaCloud-AIMode/enabled ${ua}` } : {}),
    config_file: join(home, '.aliyun', 'ai-mode.json'),
  }
  return JSON.stringify(out, null, 2) + '\n'
}

const answer = (e: { stdout: string; stderr: string; exitCode: number }): Answer => ({ stdout: e.stdout, stderr: e.stderr, exit: e.exitCode })
const CONFIGURE_TIP = 'Configuration failed, use `aliyun configure` to configure it'
/**
 * The host's texts (facts §2.4, §3.4, §6), uncoloured as NO_COLOR=1 makes them; `{name}` and
 * `{product}` are filled in by the script. The plugin refusal of the flag itself uses the form the
 * published skills document for plugins.
 */
const HOST_ERRORS = {
  noProfile: answer(hostError("region can't be empty", { tip: CONFIGURE_TIP, colour: false })),
  unknownProfile: answer(hostError('unknown profile {name}, run configure to check', { tip: CONFIGURE_TIP, colour: false })),
  invalidProfile: answer(hostError("access_key_id is not configured for profile '{name}'. Run `aliyun configure --profile {name} --mode AK` to set it", { tip: CONFIGURE_TIP, colour: false })),
  notInstalled: answer(hostError("'{product}' is not a valid built-in product.\nA plugin 'aliyun-cli-{product}' is available which supports this product.\nRun 'aliyun plugin install --names aliyun-cli-{product}' to install it.", { colour: false })),
  // main/main.go:83-87: no newline, exit 0.
  brokenConfig: { stderr: "ERROR: load current configuration failed invalid character 'x' looking for beginning of value", exit: 0 },
  noDryRun: { stderr: "Error: '--cli-dry-run' is not a valid parameter or flag.\n", exit: 1 },
}

/** A piece of an sh `printf '%s'` line: a literal text, or a shell expression such as `"$product"`. */
type Piece = string | { sh: string }

/** `s` as one single-quoted sh word: every byte stays literal. A NUL cannot reach a process at all. */
function quote(s: string): string {
  if (s.includes('\0')) throw new Error(`fake aliyun: a NUL cannot be written into the script: ${JSON.stringify(s)}`)
  return `'${s.replaceAll("'", `'\\''`)}'`
}

/** An sh command printing the pieces to stdout or stderr (nothing when they are all empty). */
function print(pieces: Piece[], stream: 'stdout' | 'stderr' = 'stdout'): string {
  const words = pieces.filter((p) => p !== '').map((p) => (typeof p === 'string' ? quote(p) : p.sh))
  return words.length ? `printf '%s' ${words.join(' ')}${stream === 'stderr' ? ' >&2' : ''}; ` : ''
}

/** `text` with each `{var}` of `vars` replaced by that shell expression, as pieces. */
function fill(text: string, vars: Record<string, string>): Piece[] {
  return text.split(/(\{\w+\})/).map((p) => {
    const name = /^\{(\w+)\}$/.exec(p)?.[1]
    return name !== undefined && name in vars ? { sh: vars[name] } : p
  })
}

/** An sh command list that prints an answer and exits with its code (as the OS reports it: mod 256). */
function say(a: Answer, vars: Record<string, string> = {}): string {
  return `${print(fill(a.stdout ?? '', vars))}${print(fill(a.stderr ?? '', vars), 'stderr')}exit ${(a.exit ?? 0) & 255}`
}

/** An sh `case` branch for `$product` being one of the values (none when there are no values). */
const ifProduct = (values: string[], then: string) => (values.length ? `case $product in ${values.map(quote).join('|')}) ${then} ;; esac` : ':')

const DRY_RUN_BAR = '='.repeat(60)
const UPPER = Array.from('abcdefghijklmnopqrstuvwxyz', (c) => `${c}) c=${c.toUpperCase()} ;;`).join(' ')
/** Appends one call to a log: the argument count, then each argument, each ended by a NUL. */
const LOG = (file: string) => `printf '%s\\000' "$#" "$@" >>"$dir/${file}"`

/**
 * The script: POSIX sh with builtins only, because doctor calls the CLI about 90 times a run and a
 * node script costs ~70 ms to start each time. The spec is baked in as literal texts and `case`
 * patterns. Missing command words print as `undefined` (product, action, path), as the answer's
 * texts did when the fake was a node script.
 */
function script(dir: string, fake: { profiles: NonNullable<FakeCliSpec['profiles']>; local: Record<string, Answer>; installed: string[]; noDryRun: string[]; ignoresDryRun: string[]; brokenConfig: boolean; reject: NonNullable<FakeCliSpec['reject']> }): string {
  const current = fake.profiles.find((p) => p.current)
  const seen = new Set<string>()
  // `find` takes the first profile of a name; so does `case`, but a repeated pattern is clearer gone.
  const named = fake.profiles.filter((p) => !seen.has(p.name) && seen.add(p.name))
  const L: string[] = [
    '#!/bin/sh',
    '# A fake `aliyun` written by test/support/fake-cli.ts (see there); every value below comes from the test spec.',
    `dir=${quote(dir)}`,
    LOG('calls.log'),
    ...(fake.brokenConfig ? [say(HOST_ERRORS.brokenConfig)] : []),
    // words: the arguments before the first flag. key: the argv without `--profile <name>` pairs.
    // named: the value after the first --profile. all: the argv joined by spaces.
    'n=0; words=yes; skip=no; kept=0; key=; named=; named_set=; all=; i=0; dry=no; product=undefined; action=undefined; path=undefined',
    ...fake.reject.map((_, i) => `r${i}=no`),
    'for a in "$@"; do',
    '  i=$((i + 1)); if [ $i = 1 ]; then all=$a; else all="$all $a"; fi',
    '  case $a in --cli-dry-run) dry=yes ;; esac',
    ...fake.reject.map((r, i) => `  case $a in ${quote(r.flag)}) r${i}=yes ;; esac`),
    '  if [ $words = yes ]; then',
    '    case $a in',
    '      -*) words=no ;;',
    '      *) n=$((n + 1)); case $n in 1) product=$a ;; 2) action=$a ;; 3) path=$a ;; esac ;;',
    '    esac',
    '  fi',
    '  if [ $skip = yes ]; then skip=no; if [ -z "$named_set" ]; then named=$a; named_set=yes; fi; continue; fi',
    '  if [ "$a" = --profile ]; then skip=yes; continue; fi',
    '  kept=$((kept + 1)); if [ $kept = 1 ]; then key=$a; else key="$key $a"; fi',
    'done',
    'case $key in',
    ...Object.entries(fake.local).map(([k, a]) => `  ${quote(k)}) ${say(a)} ;;`),
    'esac',
    `if [ $n -ge 1 ]; then case $product in version|configure|plugin|help|upgrade) ${print(['ERROR: fake aliyun: no answer for ', { sh: '"$all"' }, '\n'], 'stderr')}exit 90 ;; esac; fi`,
    `if [ $dry = no ]; then ${LOG('real-calls.log')}; ${say({ stderr: 'fake aliyun: a real API call reached the fake CLI\n', exit: 97 })}; fi`,
    // The CLI loads and validates the profile before a plugin runs, dry run or not (facts §2.5).
    'if [ -n "$named" ]; then',
    '  case $named in',
    ...named.map((p) => `    ${quote(p.name)}) valid=${p.valid ? 'yes' : 'no'} ;;`),
    `    *) ${say(HOST_ERRORS.unknownProfile, { name: '"$named"' })} ;;`,
    '  esac',
    '  profile=$named',
    'else',
    current ? `  profile=${quote(current.name)}; valid=${current.valid ? 'yes' : 'no'}` : `  ${say(HOST_ERRORS.noProfile)}`,
    'fi',
    `if [ $valid = no ]; then ${say(HOST_ERRORS.invalidProfile, { name: '"$profile"' })}; fi`,
    // Plugin mode: a second word, all lower case, that is no HTTP method (those are ROA calls).
    'plugin=no',
    "if [ $n -ge 2 ]; then case $action in ''|*[ABCDEFGHIJKLMNOPQRSTUVWXYZ]*|get|post|put|delete) ;; *) plugin=yes ;; esac; fi",
    'if [ $plugin = yes ]; then',
    `  ${fake.installed.length ? `case $product in ${fake.installed.map(quote).join('|')}) ;; *) ` : ''}${say(HOST_ERRORS.notInstalled, { product: '"$product"' })}${fake.installed.length ? ' ;; esac' : ''}`,
    `  ${ifProduct(fake.ignoresDryRun, `${LOG('real-calls.log')}; ${say({ stdout: JSON.stringify({ RequestId: '7C2F1A4E-3B8D-4E21-9A6F-0000000000D0' }, null, '\t') + '\n' })}`)}`,
    `  ${ifProduct(fake.noDryRun, say(HOST_ERRORS.noDryRun))}`,
    'fi',
    ...fake.reject.map((r, i) => `if [ $r${i} = yes ] && [ "$product $action" = ${quote(r.command)} ]; then ${say(r.answer)}; fi`),
    'if [ $plugin = yes ]; then',
    // The API action: the plugin's kebab-case command in PascalCase.
    '  pascal=; rest=$action',
    '  while :; do',
    '    part=${rest%%-*}; c=${part%"${part#?}"}',
    `    case $c in ${UPPER} esac`,
    '    pascal=$pascal$c${part#?}',
    '    case $rest in *-*) rest=${rest#*-} ;; *) break ;; esac',
    '  done',
    `  ${print([[DRY_RUN_BAR, 'DRY-RUN MODE: Request Details (No actual API call)', DRY_RUN_BAR, 'Method: POST', 'URL: /', 'Endpoint: '].join('\n'), { sh: '"$product"' }, '.cn-hangzhou.aliyuncs.com\nAPI Action: ', { sh: '"$pascal"' }, '\n' + [ 'Style: RPC', DRY_RUN_BAR, 'Request NOT sent (dry-run mode)', DRY_RUN_BAR, '{', '\t"message": "dry-run mode - no request sent"', '}', ''].join('\n')])}exit 0`,
    'fi',
    `${print(['---\nStyle:    ROA\nEndpoint: ', { sh: '"$product"' }, '.cn-hangzhou.aliyuncs.com\nMethod:   ', { sh: '"$action"' }, '\nPathname: ', { sh: '"$path"' }, '\nHeaders:\n  x-sdk-client: golang/1.0.0\n---\n'])}exit 0`,
  ]
  return L.join('\n') + '\n'
}

export function writeFakeCli(dir: string, spec: FakeCliSpec): FakeCli {
  const plugins = spec.plugins ?? []
  const local: Record<string, Answer> = {
    version: { stdout: `${spec.version}\n` },
    'configure list':
      spec.profiles === null
        ? { stderr: `ERROR: load configure failed: stat ${join(dir, '.aliyun', 'config.json')}: no such file or directory\n`, exit: 1 }
        : { stdout: configureListText(spec.profiles ?? [{ name: 'default', current: true, valid: true, region: 'cn-hangzhou' }]) },
    'plugin list': spec.pluginList ?? { stdout: pluginListText(plugins) },
    'configure ai-mode show': { stdout: aiModeShowText(dir, spec.aiMode ?? { enabled: false }) },
  }
  for (const p of plugins) local[`plugin show --name ${p.name}`] = { stdout: pluginShowText(p) }
  const path = join(dir, 'aliyun')
  writeFileSync(
    path,
    script(dir, {
      profiles: spec.profiles === null ? [] : (spec.profiles ?? [{ name: 'default', current: true, valid: true, region: 'cn-hangzhou' }]),
      local,
      installed: [...new Set(plugins.map((p) => p.name.replace(/^aliyun-cli-/, '')))],
      noDryRun: spec.noDryRun ?? [],
      ignoresDryRun: spec.ignoresDryRun ?? [],
      brokenConfig: spec.brokenConfig ?? false,
      reject: spec.reject ?? [],
    }),
  )
  chmodSync(path, 0o755)
  return { path, dir, calls: () => readLog(join(dir, 'calls.log')), realCalls: () => readLog(join(dir, 'real-calls.log')) }
}

/** A log the script wrote: per call, the argument count and each argument, each ended by a NUL. */
function readLog(file: string): string[][] {
  if (!existsSync(file)) return []
  const fields = readFileSync(file, 'utf8').split('\0')
  const calls: string[][] = []
  for (let i = 0; i < fields.length - 1; i += 1 + Number(fields[i])) calls.push(fields.slice(i + 1, i + 1 + Number(fields[i])))
  return calls
}

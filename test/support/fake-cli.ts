// A fake `aliyun` for doctor's process tests: a small node script written into a temp directory,
// answering local commands with texts built from the CLI facts (test/support/cli-facts.ts) and API
// commands only under --cli-dry-run. Every call is logged; an API command without the dry-run flag
// is logged as a real call and fails, so a test can prove none was made.

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

// The script itself: plain CommonJS, no dependencies, so it starts fast.
const SCRIPT = String.raw`
const fs = require('fs')
const path = require('path')
const spec = JSON.parse(fs.readFileSync(path.join(__dirname, 'fake-cli.json'), 'utf8'))
const args = process.argv.slice(2)
fs.appendFileSync(path.join(__dirname, 'calls.log'), JSON.stringify(args) + '\n')
const out = (a) => { process.stdout.write(a.stdout || ''); process.stderr.write(a.stderr || ''); process.exit(a.exit || 0) }
const fill = (a, vars) => JSON.parse(JSON.stringify(a).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m)))
if (spec.brokenConfig) out(spec.errors.brokenConfig)
const words = []
for (const a of args) { if (a.startsWith('-')) break; words.push(a) }
const withoutProfile = []
for (let i = 0; i < args.length; i++) { if (args[i] === '--profile') { i++; continue } withoutProfile.push(args[i]) }
const local = spec.local[withoutProfile.join(' ')]
if (local) out(local)
if (['version', 'configure', 'plugin', 'help', 'upgrade'].includes(words[0])) out({ stderr: 'ERROR: fake aliyun: no answer for ' + args.join(' ') + '\n', exit: 90 })
if (!args.includes('--cli-dry-run')) {
  fs.appendFileSync(path.join(__dirname, 'real-calls.log'), JSON.stringify(args) + '\n')
  out({ stderr: 'fake aliyun: a real API call reached the fake CLI\n', exit: 97 })
}
// The CLI loads and validates the profile before a plugin runs, dry run or not (facts §2.5).
const named = args.indexOf('--profile') >= 0 ? args[args.indexOf('--profile') + 1] : undefined
const profile = spec.profiles.find((p) => (named ? p.name === named : p.current))
if (!profile) out(named ? fill(spec.errors.unknownProfile, { name: named }) : spec.errors.noProfile)
if (!profile.valid) out(fill(spec.errors.invalidProfile, { name: profile.name }))
const [product, action] = words
const pluginMode = action && action === action.toLowerCase() && !/^(GET|POST|PUT|DELETE)$/i.test(action)
if (pluginMode && !spec.installed.includes(product))
  out(fill(spec.errors.notInstalled, { product }))
if (pluginMode && spec.ignoresDryRun.includes(product)) {
  fs.appendFileSync(path.join(__dirname, 'real-calls.log'), JSON.stringify(args) + '\n')
  out({ stdout: JSON.stringify({ RequestId: '7C2F1A4E-3B8D-4E21-9A6F-0000000000D0' }, null, '\t') + '\n' })
}
if (pluginMode && spec.noDryRun.includes(product)) out(spec.errors.noDryRun)
for (const r of spec.reject) if (r.command === product + ' ' + action && args.includes(r.flag)) out(r.answer)
const pascal = (action || '').split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')
if (pluginMode) {
  const bar = '='.repeat(60)
  out({ stdout: [bar, 'DRY-RUN MODE: Request Details (No actual API call)', bar, 'Method: POST', 'URL: /', 'Endpoint: ' + product + '.cn-hangzhou.aliyuncs.com', 'API Action: ' + pascal, 'Style: RPC', bar, 'Request NOT sent (dry-run mode)', bar, '{', '\t"message": "dry-run mode - no request sent"', '}', ''].join('\n') })
}
out({ stdout: ['---', 'Style:    ROA', 'Endpoint: ' + product + '.cn-hangzhou.aliyuncs.com', 'Method:   ' + action, 'Pathname: ' + words[2], 'Headers:', '  x-sdk-client: golang/1.0.0', '---', ''].join('\n') })
`

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
  const fake = {
    profiles: spec.profiles === null ? [] : (spec.profiles ?? [{ name: 'default', current: true, valid: true }]),
    local,
    installed: plugins.map((p) => p.name.replace(/^aliyun-cli-/, '')),
    noDryRun: spec.noDryRun ?? [],
    ignoresDryRun: spec.ignoresDryRun ?? [],
    brokenConfig: spec.brokenConfig ?? false,
    errors: HOST_ERRORS,
    reject: spec.reject ?? [],
  }
  writeFileSync(join(dir, 'fake-cli.json'), JSON.stringify(fake, null, 2))
  const path = join(dir, 'aliyun')
  writeFileSync(path, `#!${process.execPath}\n${SCRIPT}`)
  chmodSync(path, 0o755)
  const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : [])
  return { path, dir, calls: () => read('calls.log'), realCalls: () => read('real-calls.log') }
}

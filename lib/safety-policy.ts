// A skill's allow/deny rules in the aliyun CLI's own safety-policy syntax, for
// `aliyun-harness policy <skill> --format cli-safety` and as guard's second lock on every forwarded
// call. Every CLI fact here is from /work/scratch/facts/safety-policy-and-mock.md §A (aliyun-cli
// v3.4.11, sysconfig/safety/policy.go and openapi/commando.go):
// - env `ALIBABA_CLOUD_SAFETY_POLICY_ENABLED` (strconv.ParseBool) and `ALIBABA_CLOUD_SAFETY_POLICY_RULES`
//   (`pattern=action,…`, first `=` splits, actions allow|deny|confirm|forbid, case-insensitive), CLI
//   ≥ 3.3.9; the env rules REPLACE the file's (`~/.aliyun/safety-policy.json`) (§A.1);
// - a rule is a glob: `*` is any run of characters (`:` and `/` included), anchored at both ends,
//   case-insensitive; rules are tried in order and the first match wins; no match allows (§A.1);
// - the string matched is `product:action` — plugin words joined by `:` with trailing positionals,
//   `product:METHOD/path` for the three-word REST form; flags are never part of it, and configure,
//   plugin, version, mock, oss … are never checked (§A.4).
// So the CLI can only ever see the command words: flag rules (credential flags, `--body file://`,
// `--data-disk SnapshotId=`) stay with guard's shim, and the generated rules only ever deny what the
// skill's policy denies: each allowed command gets an allow rule that covers every form the CLI may
// see for it, placed before any deny that could also match it.

import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { SYSTEM_COMMANDS } from './command.js'
import { loadPolicies, type SkillPolicy } from './policy.js'

export const SAFETY_ENABLED_ENV = 'ALIBABA_CLOUD_SAFETY_POLICY_ENABLED'
export const SAFETY_RULES_ENV = 'ALIBABA_CLOUD_SAFETY_POLICY_RULES'

export type SafetyAction = 'allow' | 'deny' | 'confirm' | 'forbid'
export interface SafetyRule {
  pattern: string
  action: SafetyAction
  /** Why the rule is there (shown as a comment; not part of the CLI's syntax). */
  why?: string
}

// --- What the CLI matches (§A.4) -----------------------------------------------------------------

/** Root flags that take no value (openapi/flags.go AssignedNone; -h -y -q). */
const VALUELESS = new Set(['help', 'yes', 'secure', 'insecure', 'force', 'dryrun', 'cli-dry-run', 'cli-dry-run-json', 'estimate-cost', 'quiet', 'cli-ai-mode', 'no-cli-ai-mode', 'skip-secure-verify', 'h', 'y', 'q'])
/** Root flags that take every following value (AssignedRepeatable). */
const REPEATABLE = new Set(['header', 'estimate-cost-context', 'pager', 'waiter'])
/** Top-level commands the CLI dispatches itself: the safety policy never sees them (main/main.go). */
const UNCHECKED = new Set([...SYSTEM_COMMANDS, 'mock', 'oss', 'ossutil'])

/**
 * The positional words left after the CLI's flag parsing (cli/parser.go): a flag takes one value
 * (`--x v`, or `--x=v` / `--x:v` inline), none when it is value-less, all when it is repeatable; an
 * unknown flag takes one. A second value of a one-value flag becomes a positional.
 */
function positionals(argv: readonly string[]): string[] {
  const out: string[] = []
  let taking: 'none' | 'one' | 'all' = 'none'
  for (const token of argv) {
    const isFlag = token.startsWith('-') && !token.startsWith('---') && token !== '-' && (token.startsWith('--') || token.length === 2)
    if (!isFlag) {
      if (taking === 'one') taking = 'none'
      else if (taking === 'none') out.push(token)
      continue
    }
    const body = token.replace(/^--?/, '')
    const inline = /[=:]/.test(body)
    const name = body.split(/[=:]/)[0]
    taking = inline || VALUELESS.has(name) ? 'none' : REPEATABLE.has(name) ? 'all' : 'one'
  }
  return out
}

/** The string the CLI matches a command against, or undefined when the CLI does not check it. */
export function cliCommandString(argv: readonly string[]): string | undefined {
  if (argv.some((t) => t === '--help' || t === '-h')) return undefined
  const args = positionals(argv)
  if (args.length < 2 || UNCHECKED.has(args[0].toLowerCase())) return undefined
  const product = args[0].toLowerCase()
  const action = args[1]
  const method = /^(GET|POST|PUT|DELETE)$/i.test(action)
  if (!method && action === action.toLowerCase()) return `${product}:${args.slice(1).join(':')}`
  if (method && args.length === 3) return `${product}:${action.toUpperCase()}${args[2]}`
  return `${product}:${action}`
}

function globRegex(pattern: string): RegExp {
  const src = pattern.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
  return new RegExp(`^${src}$`, 'i')
}

/** The CLI's evaluation: rules in order, the first match wins, no match allows. */
export function evaluateSafety(rules: readonly SafetyRule[], command: string): { action: SafetyAction; rule?: SafetyRule } {
  for (const rule of rules) if (rule.pattern && globRegex(rule.pattern).test(command.trim())) return { action: rule.action === 'forbid' ? 'confirm' : rule.action, rule }
  return { action: 'allow' }
}

// --- A skill's rules ----------------------------------------------------------------------------

const HTTP_METHOD = /^(GET|POST|PUT|DELETE|PATCH|HEAD)$/

/** A policy pattern's words as a CLI pattern, or undefined when the CLI never sees such commands. */
function cliPattern(pattern: string): string | undefined {
  const tokens = pattern.split(/\s+/).filter(Boolean)
  const flagsAt = tokens.findIndex((t) => t.startsWith('-'))
  const own = flagsAt < 0 ? tokens : tokens.slice(0, flagsAt)
  if (own.length < 2 || UNCHECKED.has(own[0])) return undefined
  const glob = (w: string) => w.replace(/\*+/g, '*')
  const product = own[0] === '*' || own[0] === '**' ? '*' : own[0].toLowerCase()
  const cli = HTTP_METHOD.test(own[1]) ? `${product}:${own[1]}${own.slice(2).map(glob).join('')}` : `${product}:${own.slice(1).map(glob).join(':')}`
  // The env syntax cannot carry `,` or `=` inside a pattern (§A.1).
  return /[,=]/.test(cli) ? undefined : cli
}

/**
 * The skill's rules for the CLI: its forbidden commands whose product is written out (they can only
 * match commands of that product the policy refuses), then every allowed API command (with a `:*`
 * form for plugin positionals), then the forbidden patterns of any product, then deny the rest.
 */
export function cliSafetyRules(policy: SkillPolicy): SafetyRule[] {
  const forbids = [...policy.forbid, ...loadPolicies().global_forbid].map((f) => ({ cli: cliPattern(f.pattern), why: f.reason })).filter((f): f is { cli: string; why: string } => !!f.cli)
  const early = forbids.filter((f) => !f.cli.startsWith('*')).flatMap((f) => (f.cli.endsWith('*') ? [f.cli] : [f.cli, `${f.cli}:*`]).map((pattern) => ({ pattern, action: 'deny' as const, why: f.why })))
  const allows = policy.allow
    .map(cliPattern)
    .filter((p): p is string => !!p)
    .flatMap((p) => (p.endsWith('*') ? [p] : [p, `${p}:*`]))
    .map((pattern) => ({ pattern, action: 'allow' as const, why: 'on the allow-list' }))
  const late = forbids.filter((f) => f.cli.startsWith('*')).map((f) => ({ pattern: f.cli, action: 'deny' as const, why: f.why }))
  const all: SafetyRule[] = [...early, ...allows, ...late, { pattern: '*', action: 'deny', why: `not on the ${policy.name} allow-list` }]
  const seen = new Set<string>()
  return all.filter((r) => !seen.has(r.pattern.toLowerCase()) && seen.add(r.pattern.toLowerCase()))
}

export function rulesValue(rules: readonly SafetyRule[]): string {
  return rules.map((r) => `${r.pattern}=${r.action}`).join(',')
}

/** `policy <skill> --format cli-safety`: shell lines that switch the CLI's policy on with the skill's rules. */
export function formatCliSafety(policy: SkillPolicy): string {
  const rules = cliSafetyRules(policy)
  return [
    `# The ${policy.name} skill's rules as the aliyun CLI's own safety policy (aliyun-harness policy ${policy.name} --format cli-safety).`,
    '# aliyun CLI >= 3.3.9 reads these variables; they replace the rules of ~/.aliyun/safety-policy.json while set.',
    '# The CLI matches only product:action (REST: product:METHOD/path), case-insensitively, first match wins; it',
    '# never sees flags, nor configure, plugin and version. Those checks stay with aliyun-harness guard: credential',
    '# flags, --help (the CLI never checks help), the user agent, flag values (e.g. --body file://, --data-disk SnapshotId=) and flag sets.',
    ...rules.map((r, i) => `#   ${String(i + 1).padStart(2)}. ${r.pattern} -> ${r.action}${r.why ? `  (${r.why})` : ''}`),
    `export ${SAFETY_ENABLED_ENV}=true`,
    `export ${SAFETY_RULES_ENV}='${rulesValue(rules)}'`,
    '',
  ].join('\n')
}

/** The same rules as the CLI's safety-policy.json file (usable as ~/.aliyun/safety-policy.json). */
export function safetyPolicyFile(policy: SkillPolicy): { enabled: boolean; rules: { pattern: string; action: SafetyAction }[] } {
  return { enabled: true, rules: cliSafetyRules(policy).map(({ pattern, action }) => ({ pattern, action })) }
}

// --- The user's own policy, kept in front of the skill's ---------------------------------------

const ACTIONS = new Set<SafetyAction>(['allow', 'deny', 'confirm', 'forbid'])
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

function parseEnvRules(value: string): SafetyRule[] {
  const rules: SafetyRule[] = []
  for (const part of value.split(',')) {
    const at = part.indexOf('=')
    if (at < 0) continue
    const pattern = part.slice(0, at).trim()
    const action = part.slice(at + 1).trim().toLowerCase() as SafetyAction
    if (pattern && ACTIONS.has(action)) rules.push({ pattern, action })
  }
  return rules
}

/**
 * The safety policy the user's CLI would apply (the file, overridden by the env as §A.1 says), so
 * guard can keep it in front of the skill's rules: setting the env would otherwise replace it.
 * Rules the env syntax cannot carry (a `,` or `=` in the pattern) are returned as `dropped`.
 */
export function userSafetyRules(env: NodeJS.ProcessEnv, home = env.HOME || homedir()): { rules: SafetyRule[]; dropped: string[] } {
  let enabled = false
  let rules: SafetyRule[] = []
  const file = join(home, '.aliyun', 'safety-policy.json')
  if (existsSync(file)) {
    try {
      const p = JSON.parse(readFileSync(file, 'utf8')) as { enabled?: unknown; rules?: { pattern?: unknown; action?: unknown }[] }
      enabled = p.enabled === true
      // File actions are case-sensitive: an unknown one still matches and lets the command run.
      rules = (Array.isArray(p.rules) ? p.rules : [])
        .filter((r) => typeof r?.pattern === 'string' && r.pattern !== '')
        .map((r) => ({ pattern: String(r.pattern), action: ACTIONS.has(r.action as SafetyAction) ? (r.action as SafetyAction) : 'allow' }))
    } catch {
      /* the CLI reads an unreadable or invalid file as the default policy (fail open) */
    }
  }
  const flag = env[SAFETY_ENABLED_ENV]?.trim()
  if (flag !== undefined && TRUE.has(flag)) enabled = true
  if (flag !== undefined && FALSE.has(flag)) enabled = false
  const fromEnv = env[SAFETY_RULES_ENV]
  if (fromEnv !== undefined) {
    const parsed = parseEnvRules(fromEnv)
    if (parsed.length || !fromEnv.trim()) rules = parsed
  }
  if (!enabled) return { rules: [], dropped: [] }
  return { rules: rules.filter((r) => !/[,=]/.test(r.pattern)), dropped: rules.filter((r) => /[,=]/.test(r.pattern)).map((r) => r.pattern) }
}

// Each skill's policy (allow-list, forbidden patterns, user agent, ai-mode, minimum CLI version)
// is data in references/policies.json. This module loads it and decides, before every spawn,
// whether a command may run. The pattern grammar follows aliyun's own safety policy: words are
// matched position by position with `*` globs; flags written in a pattern must all be present and
// nothing else may be.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { AcceptanceRuleSchema } from './acceptance-schema.js'
import { DRY_RUN_FLAGS, isSystemCommand, parseArgv, type ParsedCommand } from './command.js'
import { PolicyError } from './errors.js'
import { packageRoot } from './paths.js'

const ForbidRule = z.object({ pattern: z.string(), reason: z.string() })

/**
 * When a failed API call is tried again (D5), as data: which error codes, how many attempts in all,
 * how long between them, flags added from the second attempt on, and what the user is told.
 * `on` holds the CLI's own error codes, `timeout` for any timeout, or `*` for any failure.
 * The notice may use {step} {code} {message} {delay} {next} {attempts} {retry} {retries}.
 *
 * A rule without `attempts` only names failures as transient: a step that names it is never
 * retried, and a poll that names it (`poll({ transient })`) counts such a failure as one of its own
 * attempts and polls on, at its own interval and limit (which then fill {delay} and {attempts}).
 */
export const RetryRuleSchema = z.object({
  on: z.array(z.string()).min(1),
  attempts: z.number().int().min(2).max(10).optional(),
  delay_ms: z.number().int().min(0).default(0),
  add_flags: z.array(z.string()).default([]),
  notice: z.string().optional(),
})
export type RetryRule = z.infer<typeof RetryRuleSchema>

/**
 * What the skill needs from RAM, as data (each skill's reference has the same list with a ready
 * policy JSON, under "RAM"). The whole list goes into the result whenever a permission error stops
 * a run (lib/finish.ts), so the user asks for everything once instead of one action per failed run.
 * `derived` names the actions no official list of the skill states (they follow the
 * `<ram-code>:<ApiName>` convention); they are part of `ram` too.
 */
export const PermissionsSchema = z
  .object({
    ram: z.array(z.string().regex(/^[a-z][a-z0-9-]*:[A-Za-z*]+$/)).min(1),
    derived: z.array(z.string()).default([]),
  })
  .refine((p) => p.derived.every((a) => p.ram.includes(a)), { message: 'every derived action must also be in ram', path: ['derived'] })
export type Permissions = z.infer<typeof PermissionsSchema>

/**
 * How API commands name their region (one helper builds the flags: lib/region.ts): how the
 * endpoint is pinned — `--endpoint <product>.<region>.aliyuncs.com`, or the CLI's `--region` — and,
 * per product, the flag of the API's own region parameter (`biz-region-id`; plugin mode renames a
 * business RegionId because `--region` is the CLI's).
 */
export const RegionStyleSchema = z.object({
  endpoint: z.enum(['endpoint', 'region']),
  business_flags: z.record(z.string(), z.string()).default({}),
})
export type RegionStyle = z.infer<typeof RegionStyleSchema>
/** A flag (glob) that may never be sent, optionally only when one of its values matches `value`. */
const ForbidFlag = z.object({ flag: z.string(), value: z.string().optional(), reason: z.string() })

export const SkillPolicySchema = z.object({
  title: z.string(),
  seed: z.string(),
  user_agent: z.string().regex(/^AlibabaCloud-Agent-Skills\/[a-z0-9-]+$/),
  /** Append `/<32 hex>` made once per run (ecs-dr). */
  session_id_in_user_agent: z.boolean(),
  ai_mode: z.boolean(),
  min_cli_version: z.string().regex(/^\d+\.\d+\.\d+$/),
  allow: z.array(z.string()).min(1),
  forbid: z.array(ForbidRule).default([]),
  forbid_flags: z.array(ForbidFlag).default([]),
  /**
   * The skill itself forbids `--help` discovery (ack-profile's seed). Elsewhere an agent under guard
   * may read the help of what the skill may run; the harness's own workflows never send help.
   */
  forbid_help: z.boolean().default(false),
  /** SDK calls (D1) as `product Action`. */
  sdk_allow: z.array(z.string()).default([]),
  /**
   * Names of secrets the skill registers (`redactor.addSecret(value, name)`) that its final result's
   * data may show, because the user needs them (eas-deploy's AccessToken). Nothing else is revealed.
   */
  reveal_in_result: z.array(z.string()).default([]),
  /** `default` applies to every API call that names no rule; a step names another, or none. */
  retries: z.record(z.string(), RetryRuleSchema).default({}),
  region: RegionStyleSchema.optional(),
  permissions: PermissionsSchema.optional(),
  /** What a session must show to have kept the skill's rules (lib/acceptance.ts; guard, audit --acceptance). */
  acceptance: z.array(AcceptanceRuleSchema).default([]),
  /**
   * Acceptance rules guard holds each call to when it is made, not only in the report afterwards (a
   * paid create without its confirmation evidence is refused): an `each` rule by id, and what the
   * agent is told to do instead. The rule may not depend on the call's outcome (`ok`, `response`)
   * nor on the rest of the session (`when`, `after`).
   */
  guard_require: z.array(z.object({ rule: z.string(), instead: z.string() }).strict()).default([]),
}).superRefine((p, ctx) => {
  p.guard_require.forEach((g, i) => {
    const rule = p.acceptance.find((r) => r.id === g.rule)
    const fit = rule?.kind === 'each' && !rule.when && !rule.after && rule.match.ok === undefined && !rule.match.response
    if (!fit) ctx.addIssue({ code: 'custom', path: ['guard_require', i, 'rule'], message: `'${g.rule}' must name an acceptance rule of kind each, without when/after, whose match names no outcome (ok, response)` })
  })
})
export type SkillPolicy = z.infer<typeof SkillPolicySchema> & { name: string }

const Version = z.string().regex(/^\d+\.\d+\.\d+$/)

/**
 * D10: what `aliyun-harness doctor` may run on its own (local reads only; API commands run only as
 * a skill's templates, under that skill's policy, with the dry-run flag), the CLI versions that
 * brought the features it reads, and per plugin product the API version the skills' schemas read.
 */
export const DoctorPolicySchema = z.object({
  allow: z.array(z.string()).min(1),
  dry_run_flag: z.enum(DRY_RUN_FLAGS),
  since: z.object({ dry_run: Version, plugin_show: Version, ai_mode: Version }),
  api_versions: z.record(z.string(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
})
export type DoctorPolicy = z.infer<typeof DoctorPolicySchema>

const PoliciesFileSchema = z.object({
  global_forbid: z.array(ForbidRule),
  credential_flags: z.array(z.string()),
  doctor: DoctorPolicySchema,
  skills: z.record(z.string(), SkillPolicySchema),
})
type PoliciesFile = z.infer<typeof PoliciesFileSchema>

let cached: PoliciesFile | undefined

export function loadPolicies(): PoliciesFile {
  if (!cached) {
    const file = join(packageRoot(), 'references', 'policies.json')
    cached = PoliciesFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  }
  return cached
}

export function doctorPolicy(): DoctorPolicy {
  return loadPolicies().doctor
}

export function skillNames(): string[] {
  return Object.keys(loadPolicies().skills)
}

export function getPolicy(skill: string): SkillPolicy {
  const p = loadPolicies().skills[skill]
  if (!p) throw new Error(`no policy for skill '${skill}' in references/policies.json`)
  return { ...p, name: skill }
}

const regexCache = new Map<string, RegExp>()
const patternCache = new Map<string, { words: RegExp[]; groups: { flag: string; values: RegExp[] }[] }>()

/** Glob for one token: `*` is any run of characters except `/`, `**` any run at all. */
export function tokenRegex(glob: string): RegExp {
  const hit = regexCache.get(glob)
  if (hit) return hit
  let src = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*' && glob[i + 1] === '*') {
      src += '.*'
      i++
    } else if (c === '*') src += '[^/]*'
    else src += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  }
  const re = new RegExp(`^${src}$`)
  regexCache.set(glob, re)
  return re
}

/** Patterns are compiled once: the check runs before every spawn. */
function compile(pattern: string) {
  let c = patternCache.get(pattern)
  if (!c) {
    const p = parseArgv(pattern.split(/\s+/).filter(Boolean))
    c = { words: p.words.map(tokenRegex), groups: p.groups.map((g) => ({ flag: g.flag, values: g.values.map(tokenRegex) })) }
    patternCache.set(pattern, c)
  }
  return c
}

export function matchesPattern(pattern: string, cmd: ParsedCommand): boolean {
  const p = compile(pattern)
  if (p.words.length !== cmd.words.length) return false
  if (!p.words.every((w, i) => w.test(cmd.words[i]))) return false
  if (p.groups.length === 0) return true
  // A pattern that names flags pins the whole flag set (e.g. `configure set --auto-plugin-install true`).
  if (p.groups.length !== cmd.groups.length) return false
  return p.groups.every((pg) =>
    cmd.groups.some((cg) => cg.flag === pg.flag && cg.values.length === pg.values.length && pg.values.every((v, i) => v.test(cg.values[i]))),
  )
}

const HTTP_METHODS = /^(GET|POST|PUT|DELETE|PATCH|HEAD)$/i

export interface CheckOptions {
  /** Set only by the runner's ai-mode lifecycle: skills can never send `configure ai-mode …`. */
  aiModeLifecycle?: boolean
  /**
   * The call is an agent's (guard, or audit of what guard recorded), not a workflow's: help on what
   * the skill may run goes through unless the skill forbids help (`forbid_help`).
   */
  helpAllowed?: boolean
}

/**
 * `--help`, `-h` or the `help` command (the first word: `aliyun help ecs …`): the CLI prints help and
 * calls nothing. A `help` word further on is a positional of the command, not a help request.
 */
export function isHelpCall(cmd: ParsedCommand): boolean {
  return cmd.groups.some((g) => g.flag === '--help' || g.flag === '-h') || cmd.words[0] === 'help'
}

/**
 * Why a help call is refused: the skill forbids it, a workflow never sends it, it is about a
 * command the skill forbids (a forbidden command with `--help` added is still that command as far as
 * anyone can prove), or about one the skill may not run.
 */
function helpRefusal(policy: SkillPolicy, cmd: ParsedCommand, opts: CheckOptions, globalForbid: readonly { pattern: string; reason: string }[]): string | undefined {
  if (policy.forbid_help) return `the ${policy.name} skill forbids help discovery (--help)`
  if (!opts.helpAllowed) return 'help discovery is not part of any workflow'
  const words = cmd.words[0] === 'help' ? cmd.words.slice(1) : cmd.words
  const asCommand = { words, groups: cmd.groups.filter((g) => g.flag !== '--help' && g.flag !== '-h') }
  for (const rule of [...globalForbid, ...policy.forbid]) if (matchesPattern(rule.pattern, asCommand)) return rule.reason
  // Help on a product, or on a command, that the allow-list starts with.
  const covered = policy.allow.some((p) => {
    const pw = parseArgv(p.split(/\s+/)).words
    return words.length <= pw.length && words.every((w, i) => tokenRegex(pw[i]).test(w))
  })
  return covered ? undefined : `'${words.join(' ')}' is not on the ${policy.name} allow-list, so neither is its help`
}

/** Throws PolicyError when `argv` may not run under `policy`. */
export function checkCommand(policy: SkillPolicy, argv: readonly string[], opts: CheckOptions = {}): void {
  const reason = refusal(policy, argv, opts)
  if (reason) throw new PolicyError(`Refused by the ${policy.name} policy: ${reason} (command: aliyun ${argv.join(' ')})`, argv)
}

/** Why a command is refused, or undefined when it may run. Shared by the runner and the audit. */
export function refusal(policy: SkillPolicy, argv: readonly string[], opts: CheckOptions = {}): string | undefined {
  const files = loadPolicies()
  const parsed = parseArgv(argv)
  // `--profile` says which credentials to use, not what to do: the policy does not look at it.
  const cmd = { words: parsed.words, groups: parsed.groups.filter((g) => g.flag !== '--profile') }
  const flags = cmd.groups.map((g) => g.flag)

  const credential = flags.find((f) => files.credential_flags.includes(f))
  // The flag in backticks: written bare before a word, the redactor would take that word for its value.
  if (credential) return `credential flag \`${credential}\` is never passed on a command line`
  if (isHelpCall(cmd)) return helpRefusal(policy, cmd, opts, files.global_forbid)
  if (cmd.words.length === 0) return flags.length ? `no command words: the call starts with the flag \`${flags[0]}\`; the command words come first` : 'no command given'

  const [first, second] = cmd.words
  if (first === 'configure' && second === 'ai-mode') {
    // `show` only reads the setting: it runs wherever an allow-list names it (doctor, D10).
    if (cmd.words[2] === 'show' && cmd.groups.length === 0 && policy.allow.some((p) => matchesPattern(p, cmd))) return undefined
    if (!policy.ai_mode) return `${policy.name} never runs configure ai-mode`
    if (!opts.aiModeLifecycle) return 'configure ai-mode is run only by the harness lifecycle'
    const ok = ['configure ai-mode enable', 'configure ai-mode disable', `configure ai-mode set-user-agent --user-agent ${policy.user_agent}`]
    return ok.some((p) => matchesPattern(p, cmd)) ? undefined : 'only enable, disable and set-user-agent with the skill’s own value'
  }

  if (!isSystemCommand(cmd)) {
    if (flags.includes('--user-agent')) return 'skills never write --user-agent; the runner appends it'
    if (first && first !== first.toLowerCase()) return `product codes are lower-case ('${first}')`
    if (second && !HTTP_METHODS.test(second) && /[A-Z_]/.test(second))
      return `'${second}' is not a plugin-mode action (use kebab-case, never PascalCase or underscores)`
    for (const rule of files.global_forbid) if (matchesPattern(rule.pattern, cmd)) return rule.reason
  } else if (flags.includes('--user-agent')) {
    return 'system commands never carry --user-agent'
  }

  for (const rule of policy.forbid) if (matchesPattern(rule.pattern, cmd)) return rule.reason
  for (const rule of policy.forbid_flags) {
    const flagRe = tokenRegex(rule.flag)
    const valueRe = rule.value === undefined ? undefined : tokenRegex(rule.value)
    const hit = cmd.groups.some((g) => flagRe.test(g.flag) && (!valueRe || g.values.some((v) => valueRe.test(v))))
    if (hit) return rule.reason
  }
  if (!policy.allow.some((p) => matchesPattern(p, cmd))) return `'${cmd.words.join(' ')}' is not on the ${policy.name} allow-list`
  return undefined
}

/** The exact `--user-agent` value for this run. */
export function userAgentFor(policy: SkillPolicy, sessionId: string): string {
  return policy.session_id_in_user_agent ? `${policy.user_agent}/${sessionId}` : policy.user_agent
}

/** API commands get `--user-agent` appended exactly once, after their own flags; system commands never. */
export function withUserAgent(argv: readonly string[], userAgent: string): string[] {
  const cmd = parseArgv(argv)
  if (isSystemCommand(cmd)) return [...argv]
  return [...argv, '--user-agent', userAgent]
}

export function checkSdkCall(policy: SkillPolicy, product: string, action: string): void {
  if (!policy.sdk_allow.includes(`${product} ${action}`))
    throw new PolicyError(`Refused by the ${policy.name} policy: SDK call ${product} ${action} is not allowed`, [`sdk:${product}`, action])
}

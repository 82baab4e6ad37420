// Acceptance: did a session keep the skill's rules? The rules are data (`acceptance` in
// references/policies.json, schema in lib/acceptance-schema.ts); a session is the calls of a
// transcript in the order they were made — recorded by a workflow, by `record`, or by `guard`.
// Each rule is kept (✓), broken (✗, with the call that broke it or the one that is missing), not
// applicable (–) or not checkable (?, the transcript lacks the evidence — say which).

import type { AcceptanceRule, Match } from './acceptance-schema.js'
import { isSystemCommand, parseArgv, shellLine, type ParsedCommand } from './command.js'
import { isHelpCall, matchesPattern, tokenRegex, type SkillPolicy } from './policy.js'
import { entryStdout, type Transcript } from './transcript.js'

export type RuleStatus = 'kept' | 'broken' | 'not_applicable' | 'not_checkable'

export interface RuleResult {
  id: string
  text: string
  source: string
  status: RuleStatus
  evidence: string[]
}

export interface AcceptanceReport {
  skill: string
  /** No rule is broken. */
  ok: boolean
  counts: Record<RuleStatus, number>
  rules: RuleResult[]
}

/** One call of a session, as the rules see it. */
export interface SessionCall {
  /** The transcript entry number (`#n` in the report). */
  index: number
  kind: 'cli' | 'sdk'
  parsed: ParsedCommand
  /** `product Action` for SDK calls. */
  sdk?: string
  ok: boolean
  /** The command line that ran `aliyun`, when the recorder knew it (guard does). */
  caller?: string[]
  /** The JSON response (CLI stdout, SDK body), or undefined when it is not JSON. */
  response(): unknown
  shown: string
}

function lazyJson(text: () => unknown): () => unknown {
  let done = false
  let value: unknown
  return () => {
    if (!done) {
      done = true
      value = text()
    }
    return value
  }
}

function shortArgv(argv: readonly string[]): string {
  return shellLine(argv.map((t) => (t.length > 60 ? `${t.slice(0, 57)}…` : t)))
}

/** A call as evidence: its words and as many flags as fit in about 100 characters (the user agent left out). */
function shortCall(argv: readonly string[]): string {
  const shown: string[] = []
  let length = 0
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--user-agent') {
      i++
      continue
    }
    const token = shortArgv([argv[i]])
    if (length + token.length > 100 && shown.length >= 2) return `${shown.join(' ')} …`
    shown.push(token)
    length += token.length + 1
  }
  return shown.join(' ')
}

/** The calls of a transcript the rules look at: help calls (guard lets an agent read help) run nothing and are left out. */
export function sessionCalls(t: Transcript): SessionCall[] {
  const calls = t.entries.map((e, index): SessionCall => {
    if (e.kind === 'sdk')
      return {
        index,
        kind: 'sdk',
        parsed: { words: [], groups: [] },
        sdk: `${e.product} ${e.action}`,
        ok: e.response.status < 400,
        response: () => e.response.body,
        shown: `SDK ${e.product} ${e.action}`,
      }
    // A call guard refused is still the agent's attempt: the rules see it (failed, marked as refused).
    return {
      index,
      kind: 'cli',
      parsed: parseArgv(e.argv),
      ok: e.exit_code === 0 && e.refused === undefined,
      caller: e.caller,
      response: lazyJson(() => {
        try {
          return JSON.parse(entryStdout(e))
        } catch {
          return undefined
        }
      }),
      shown: `aliyun ${shortCall(e.argv)}${e.refused === undefined ? '' : ' (refused by guard, never sent)'}`,
    }
  })
  return calls.filter((c) => c.kind === 'sdk' || !isHelpCall(c.parsed))
}

function valueAt(root: unknown, path: string): unknown {
  let v = root
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

/** The call a match names, whatever its outcome: the command words, the SDK action, or any API command. */
function targets(m: Match, c: SessionCall): boolean {
  if (m.sdk !== undefined) return c.kind === 'sdk' && c.sdk === m.sdk
  if (c.kind !== 'cli') return false
  if (m.api) return !isSystemCommand(c.parsed)
  return matchesPattern(m.call!, { words: c.parsed.words, groups: [] })
}

function hasFlag(c: SessionCall, name: string, value?: string): boolean {
  const flagRe = tokenRegex(name)
  const valueRe = value === undefined ? undefined : tokenRegex(value)
  return c.parsed.groups.some((g) => flagRe.test(g.flag) && (!valueRe || g.values.some((v) => valueRe.test(v))))
}

function responseValue(m: Match, c: SessionCall): string | undefined {
  if (!m.response) return undefined
  const v = valueAt(c.response(), m.response.path)
  return v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v)
}

function matches(m: Match, c: SessionCall): boolean {
  if (!targets(m, c)) return false
  if (m.ok !== undefined && c.ok !== m.ok) return false
  if (m.flag && !hasFlag(c, m.flag.name, m.flag.value)) return false
  if (m.response) {
    const v = responseValue(m, c)
    if (v === undefined || !m.response.in.includes(v)) return false
  }
  return true
}

function label(m: Match): string {
  if (m.label) return m.label
  if (m.sdk) return `SDK ${m.sdk}`
  if (m.api) return 'API call'
  return `aliyun ${m.call}`
}

/** Why the calls that name a match's target do not satisfy it (the last one), for the evidence. */
function whyNot(m: Match, candidates: SessionCall[]): string | undefined {
  const last = candidates.filter((c) => targets(m, c)).at(-1)
  if (!last) return undefined
  if (m.ok !== undefined && last.ok !== m.ok) return `#${last.index} ${last.shown} ${last.ok ? 'succeeded' : 'failed'}`
  if (m.flag && !hasFlag(last, m.flag.name, m.flag.value)) return `#${last.index} ${last.shown} lacks ${m.flag.name}${m.flag.value ? ` ${m.flag.value}` : ''}`
  if (m.response) return `#${last.index} ${last.shown}: ${m.response.path} is ${responseValue(m, last) ?? 'absent'}, not ${m.response.in.join(' or ')}`
  return undefined
}

function valueOf(c: SessionCall, flag: string): string | undefined {
  return c.parsed.groups.find((g) => g.flag === flag)?.values.join(' ')
}

type Verdict = { status: RuleStatus; evidence: string[] }
const MAX_EVIDENCE = 5

function listed(calls: SessionCall[], prefix = ''): string[] {
  const lines = calls.slice(0, MAX_EVIDENCE).map((c) => `${prefix}#${c.index} ${c.shown}`)
  if (calls.length > MAX_EVIDENCE) lines.push(`… and ${calls.length - MAX_EVIDENCE} more`)
  return lines
}

function sequence(rule: Extract<AcceptanceRule, { kind: 'sequence' }>, calls: SessionCall[]): Verdict {
  const found: string[] = []
  const notes: string[] = []
  let at = -1
  let previous = 'the start of the session'
  for (const step of rule.steps) {
    if (step.outside_cli && !calls.some((c) => targets(step, c))) {
      notes.push(`? ${label(step)}: not checkable — ${step.outside_cli}`)
      continue
    }
    const rest = calls.slice(at + 1)
    const hit = rest.findIndex((c) => matches(step, c))
    if (hit < 0) {
      const earlier = calls.slice(0, at + 1).find((c) => matches(step, c))
      const why = whyNot(step, rest)
      const evidence = earlier
        ? `out of order: ${label(step)} (#${earlier.index}) came before ${previous}`
        : why
          ? `missing: ${label(step)} after ${previous}; ${why}`
          : `missing: no ${label(step)} after ${previous}`
      return { status: 'broken', evidence: [...found, evidence, ...notes] }
    }
    at += hit + 1
    const c = calls[at]
    found.push(`#${c.index} ${c.shown}${step.response ? ` (${step.response.path} ${responseValue(step, c)})` : ''}`)
    previous = `#${c.index} ${label(step)}`
  }
  return { status: 'kept', evidence: [...found, ...notes] }
}

function before(rule: Extract<AcceptanceRule, { kind: 'before' }>, calls: SessionCall[]): Verdict {
  const later = calls.filter((c) => matches(rule.then, c))
  if (!later.length) return { status: 'not_applicable', evidence: [`no ${label(rule.then)} in this session`] }
  for (const t of later) {
    const earlier = calls.filter((c) => c.index < t.index)
    for (const f of rule.first) {
      const same = (c: SessionCall) => f.same.every((flag) => valueOf(c, flag) === valueOf(t, flag))
      if (earlier.some((c) => matches(f, c) && same(c))) continue
      const why = whyNot(f, earlier.filter(same))
      const sameAs = f.same.length ? ` for the same ${f.same.map((flag) => `${flag} ${valueOf(t, flag) ?? '(absent)'}`).join(', ')}` : ''
      return { status: 'broken', evidence: [`#${t.index} ${t.shown}`, `no ${label(f)}${sameAs} before it${why ? `; ${why}` : ''}`] }
    }
  }
  return { status: 'kept', evidence: listed(later) }
}

function requirement(req: Extract<AcceptanceRule, { kind: 'each' }>['require'], c: SessionCall, calls: SessionCall[]): { ok: boolean | undefined; why: string } {
  for (const flag of req.flags ?? []) if (!c.parsed.groups.some((g) => g.flag === flag)) return { ok: false, why: `no ${flag}` }
  if (req.every_group) {
    const re = tokenRegex(req.every_group.value)
    const bad = c.parsed.groups.find((g) => g.flag === req.every_group!.flag && !g.values.some((v) => re.test(v)))
    if (bad) return { ok: false, why: `${bad.flag} ${bad.values.join(' ')} has no ${req.every_group.value}` }
  }
  if (req.value_from) {
    const { flag, from, path } = req.value_from
    const value = valueOf(c, flag)
    const given = calls.filter((p) => p.index < c.index && matches(from, p)).map((p) => valueAt(p.response(), path))
    if (value === undefined || !given.some((g) => g !== undefined && String(g) === value))
      return { ok: false, why: `${flag} ${value ?? '(absent)'} was not returned by an earlier ${label(from)} (${path})` }
  }
  if (req.caller) {
    if (!c.caller) return { ok: undefined, why: 'the transcript does not say which command ran aliyun (guard records it)' }
    const words = req.caller.command.map((w) => tokenRegex(w))
    const caller = c.caller
    const runs = caller.some((_, i) => words.every((re, j) => i + j < caller.length && re.test(caller[i + j])))
    const flags = req.caller.flags.every((f) => caller.some((t) => t === f || t.startsWith(`${f}=`)))
    if (!runs || !flags) return { ok: false, why: `called by: ${shortArgv(caller)}` }
  }
  return { ok: true, why: '' }
}

/**
 * An `each` rule on a call about to be made (guard's `guard_require`), given the session so far:
 * undefined when the rule is not about this call, else whether the call meets it (undefined: no
 * evidence either way) and why not.
 */
export function checkCall(rule: AcceptanceRule, argv: readonly string[], caller: string[] | undefined, earlier: SessionCall[]): { ok: boolean | undefined; why: string } | undefined {
  if (rule.kind !== 'each') return undefined
  const call: SessionCall = { index: Number.POSITIVE_INFINITY, kind: 'cli', parsed: parseArgv(argv), ok: true, caller, response: () => undefined, shown: `aliyun ${shortCall(argv)}` }
  if (!matches(rule.match, call) || rule.except.some((x) => matches(x, call))) return undefined
  return requirement(rule.require, call, earlier)
}

function each(rule: Extract<AcceptanceRule, { kind: 'each' }>, calls: SessionCall[]): Verdict {
  const subject = calls.filter((c) => matches(rule.match, c) && !rule.except.some((x) => matches(x, c)))
  if (!subject.length) return { status: 'not_applicable', evidence: [`no ${label(rule.match)} in this session`] }
  const results = subject.map((c) => ({ c, ...requirement(rule.require, c, calls) }))
  const broken = results.filter((r) => r.ok === false)
  if (broken.length) return { status: 'broken', evidence: broken.slice(0, MAX_EVIDENCE).map((r) => `#${r.c.index} ${r.c.shown}: ${r.why}`) }
  const unknown = results.filter((r) => r.ok === undefined)
  if (unknown.length) return { status: 'not_checkable', evidence: [`${unknown.length} call(s): ${unknown[0].why}`, ...listed(unknown.map((r) => r.c))] }
  return { status: 'kept', evidence: listed(subject) }
}

function evaluate(rule: AcceptanceRule, calls: SessionCall[]): Verdict {
  switch (rule.kind) {
    case 'sequence':
      return sequence(rule, calls)
    case 'before':
      return before(rule, calls)
    case 'never': {
      const hits = calls.filter((c) => rule.match.some((m) => matches(m, c)))
      return hits.length ? { status: 'broken', evidence: listed(hits) } : { status: 'kept', evidence: [] }
    }
    case 'only': {
      const scope = calls.filter((c) => (rule.scope ? matches(rule.scope, c) : c.kind === 'cli' && !isSystemCommand(c.parsed)))
      if (!scope.length) return { status: 'not_applicable', evidence: [`no ${rule.scope ? label(rule.scope) : 'API call'} in this session`] }
      const outside = scope.filter((c) => !rule.allow.some((m) => matches(m, c)))
      return outside.length ? { status: 'broken', evidence: listed(outside) } : { status: 'kept', evidence: [`${scope.length} call(s), all allowed`] }
    }
    case 'count': {
      const hits = calls.filter((c) => matches(rule.match, c))
      const tooFew = hits.length < rule.min
      const tooMany = rule.max !== undefined && hits.length > rule.max
      const range = rule.max === undefined ? `at least ${rule.min}` : rule.min === rule.max ? `exactly ${rule.min}` : `${rule.min}–${rule.max}`
      const summary = `${hits.length} × ${label(rule.match)} (${range} expected)`
      return { status: tooFew || tooMany ? 'broken' : 'kept', evidence: [summary, ...(tooMany ? listed(hits) : [])] }
    }
    case 'each':
      return each(rule, calls)
    case 'followed_by': {
      const subject = calls.filter((c) => matches(rule.match, c))
      if (!subject.length) return { status: 'not_applicable', evidence: [`no ${label(rule.match)} in this session`] }
      const alone = subject.filter((c) => !calls.some((n) => n.index > c.index && matches(rule.then, n)))
      if (alone.length) return { status: 'broken', evidence: [...listed(alone), `not followed by ${label(rule.then)}`] }
      return { status: 'kept', evidence: listed(subject) }
    }
  }
}

export function checkRule(rule: AcceptanceRule, all: SessionCall[]): RuleResult {
  const base = { id: rule.id, text: rule.text, source: rule.source }
  if (rule.when && !all.some((c) => matches(rule.when!, c))) return { ...base, status: 'not_applicable', evidence: [`no ${label(rule.when)} in this session`] }
  let calls = all
  if (rule.after) {
    const start = all.findIndex((c) => matches(rule.after!, c))
    if (start < 0) return { ...base, status: 'not_applicable', evidence: [`no ${label(rule.after)} in this session`] }
    calls = all.slice(start + 1)
  }
  return { ...base, ...evaluate(rule, calls) }
}

export function checkAcceptance(policy: SkillPolicy, calls: SessionCall[]): AcceptanceReport {
  const rules = policy.acceptance.map((r) => checkRule(r, calls))
  const counts: Record<RuleStatus, number> = { kept: 0, broken: 0, not_applicable: 0, not_checkable: 0 }
  for (const r of rules) counts[r.status]++
  return { skill: policy.name, ok: counts.broken === 0, counts, rules }
}

/** Every rule not checkable, for a session with nothing to judge (its command never ran). */
export function uncheckedAcceptance(policy: SkillPolicy, why: string): AcceptanceReport {
  const rules = policy.acceptance.map((r): RuleResult => ({ id: r.id, text: r.text, source: r.source, status: 'not_checkable', evidence: [why] }))
  return { skill: policy.name, ok: true, counts: { kept: 0, broken: 0, not_applicable: 0, not_checkable: rules.length }, rules }
}

const MARK: Record<RuleStatus, string> = { kept: '✓', broken: '✗', not_applicable: '–', not_checkable: '?' }

/** The report for people: one line per rule, its evidence indented under it. */
export function formatAcceptance(report: AcceptanceReport): string {
  const c = report.counts
  const head = `Acceptance (${report.skill}): ${c.kept} kept, ${c.broken} broken, ${c.not_applicable} not applicable, ${c.not_checkable} not checkable`
  const lines = [head]
  for (const r of report.rules) {
    lines.push(`  ${MARK[r.status]} ${r.id}: ${r.text}`)
    for (const e of r.evidence) lines.push(`      ${e}`)
  }
  return lines.join('\n') + '\n'
}

// `aliyun-harness export-mock`: a transcript in the aliyun CLI's own mock format, so the CLI itself
// can replay a recording (`ALIBABA_CLOUD_CLI_MOCK=true`, `ALIBABA_CLOUD_CLI_MOCK_PATH=<file>`, CLI
// ≥ 3.3.12). Every format and matching fact is from /work/scratch/facts/safety-policy-and-mock.md §B
// (aliyun-cli sysconfig/mock/{types,store,matcher,interceptor}.go):
// - the file is a bare JSON array of records with exactly the keys name, cmd, exit_code, stdout,
//   stderr, times (unknown keys fail the whole file; `delay_ms`/`response_body_size` only exist from
//   3.4.6/3.4.7, so they are never written) (§B.1);
// - `cmd` is split on whitespace, with no quoting; leading command words are compared position by
//   position, `--flag value…` groups in any order, extra argv tokens allowed; `?` is one or more
//   non-space characters, `*` any run except a newline (§B.2);
// - the first matching record wins; `times: 1` deletes a record after its first hit; a miss runs the
//   real CLI (§B.3). Records are therefore written in call order with `times: 1` each, and a last
//   catch-all record answers any call the recording lacks, so nothing falls through to the cloud.

import { parseArgv } from './command.js'
import { REPLAY_MISS_EXIT } from './transport.js'
import { entryStdout, type CliEntry, type Transcript } from './transcript.js'

export interface MockRecord {
  name: string
  cmd: string
  exit_code: number
  stdout: string
  stderr: string
  times: number
}

export interface MockExport {
  records: MockRecord[]
  /** What the CLI's mock cannot serve, or serves differently, for the person exporting. */
  notes: string[]
}

/** Flags that say where a call runs, not what it asks (as in the replay key): left out of the rule. */
const IGNORED_FLAGS = new Set(['--profile'])
const SESSION_SUFFIX = /\/(?:[0-9a-f]{32}|<session-id>)$/

/** Root flags the mock's argv stripper treats as value-less (matcher.go isNoValueLongFlag / ShortFlag). */
const NO_VALUE_LONG = new Set(['help', 'yes', 'secure', 'insecure', 'force', 'dryrun', 'quiet', 'skip-secure-verify', 'cli-auto-prompt', 'cli-no-auto-prompt', 'cli-ai-mode', 'no-cli-ai-mode'])
const NO_VALUE_SHORT = new Set(['h', 'y', 'q'])

/** matcher.go StripLeadingGlobalFlags: flags before the command words are not part of the match. */
export function stripLeadingGlobalFlags(args: readonly string[]): string[] {
  for (let i = 0; i < args.length; ) {
    const token = args[i]
    if (!token.startsWith('-') || token.startsWith('---')) return args.slice(i)
    if (token === '--') return args.slice(i + 1)
    if (token.startsWith('--')) {
      const rest = token.slice(2)
      const inline = /[=:]/.test(rest)
      i++
      if (!inline && !NO_VALUE_LONG.has(rest) && i < args.length) i++
      continue
    }
    if (token.length === 2) {
      i++
      if (!NO_VALUE_SHORT.has(token[1]) && i < args.length) i++
      continue
    }
    return args.slice(i)
  }
  return []
}

const isFlagToken = (t: string) => t.startsWith('--')

function identityEnd(tokens: readonly string[]): number {
  const i = tokens.findIndex((t) => t === '*' || isFlagToken(t))
  return i < 0 ? tokens.length : i
}

/** matcher.go matchToken: exact, else `?` = one or more non-space, `*` = any run (no newline). */
function matchToken(rule: string, arg: string): boolean {
  if (rule === arg) return true
  if (!/[?*]/.test(rule)) return false
  // Go's RE2: `\s` is [\t\n\f\r ] and `.` is anything but a newline.
  const src = rule.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\?/g, '[^\\t\\n\\f\\r ]+').replace(/\*/g, '[^\\n]*')
  return new RegExp(`^${src}$`).test(arg)
}

interface Group {
  tokens: string[]
  star: boolean
}

function splitGroups(tokens: readonly string[]): Group[] {
  const groups: Group[] = []
  for (const t of tokens) {
    if (t === '*') groups.push({ tokens: [], star: true })
    else if (isFlagToken(t) || groups.length === 0 || groups[groups.length - 1].star) groups.push({ tokens: [t], star: false })
    else groups[groups.length - 1].tokens.push(t)
  }
  return groups
}

function matchGroupsFrom(groups: Group[], args: string[], used: boolean[], at: number): boolean {
  if (at === groups.length) return true
  const g = groups[at]
  for (let i = 0; i + g.tokens.length <= args.length; i++) {
    if (!g.tokens.every((t, j) => !used[i + j] && matchToken(t, args[i + j]))) continue
    g.tokens.forEach((_, j) => (used[i + j] = true))
    if (matchGroupsFrom(groups, args, used, at + 1)) return true
    g.tokens.forEach((_, j) => (used[i + j] = false))
  }
  return false
}

/** matcher.go MatchCommand, line for line: does a record's `cmd` answer this argv (`aliyun` excluded)? */
export function matchMockCommand(rule: string, argv: readonly string[]): boolean {
  const args = stripLeadingGlobalFlags(argv)
  const ruleTokens = rule.split(/\s+/).filter(Boolean)
  if (ruleTokens.length === 0) return args.length === 0
  const idEnd = identityEnd(ruleTokens)
  const identity = ruleTokens.slice(0, idEnd)
  if (args.length < identity.length || !identity.every((t, i) => matchToken(t, args[i]))) return false
  const groups = splitGroups(ruleTokens.slice(idEnd))
  const star = groups.some((g) => g.star)
  const plain = groups.filter((g) => !g.star)
  if (groups.length === 0) return args.length === identity.length
  if (star && plain.length === 0) return true
  let start = identity.length
  if (!star) {
    if (identityEnd(args) !== identity.length) return false
    start = identityEnd(args)
  }
  const rest = args.slice(start)
  if (plain.reduce((n, g) => n + g.tokens.length, 0) > rest.length) return false
  return matchGroupsFrom(plain, rest, rest.map(() => false), 0)
}

/**
 * One argv token as a rule token. Spaces or tabs become `*` (the rule is split on whitespace), and
 * so does a value the run generated; a lone `*` would be a star group, so it is written `?`. A
 * token holding a newline cannot be matched by any rule token (`*` stops at newlines), so it is
 * left out where the matcher allows that (flag values: extra argv tokens are allowed).
 */
function ruleToken(token: string, generated: readonly string[]): string | undefined {
  if (token === '' || /\n/.test(token)) return undefined
  let t = token
  for (const g of generated) t = t.split(g).join('*')
  t = t.replace(/\s+/g, '*').replace(/\*+/g, '*')
  return t === '*' ? '?' : t
}

/**
 * The `cmd` of a record that answers exactly this call (and, being a glob, a little more): the
 * argv's own tokens, so `--x=v` stays one token as the matcher compares it; `--profile` is left out
 * (extra argv tokens are allowed), an ecs-dr session id becomes `*`, and a token holding a value
 * the run generated (a client-token nonce, a name suffix: the transcript's `generated`) becomes `?`,
 * since a new run generates another.
 */
export function mockRule(argv: readonly string[], generated: readonly string[] = []): string | undefined {
  const args = stripLeadingGlobalFlags(argv)
  const idEnd = identityEnd(args)
  const words = args.slice(0, idEnd).map((w) => ruleToken(w, generated))
  if (words.length === 0 || words.some((w) => w === undefined)) return undefined
  const out = words as string[]
  let group = ''
  for (const token of args.slice(idEnd)) {
    if (isFlagToken(token)) group = token.split('=')[0]
    if (IGNORED_FLAGS.has(group)) continue
    const value = group === '--user-agent' && !isFlagToken(token) ? token.replace(SESSION_SUFFIX, '/*') : token
    const t = ruleToken(value, generated)
    if (t !== undefined) out.push(t)
  }
  return out.join(' ')
}

function recordName(index: number, argv: readonly string[]): string {
  return `#${index} ${parseArgv(argv).words.join(' ') || argv.join(' ')}`.slice(0, 120)
}

/** The catch-all that answers any call the recording lacks, the way `aliyun-harness replay` does. */
function catchAll(source: string): MockRecord {
  return {
    name: 'not-in-the-recording',
    cmd: '*',
    exit_code: REPLAY_MISS_EXIT,
    stdout: '',
    stderr: `aliyun-harness replay: this call is not in the recording exported from ${source}; the mock answers only recorded calls, in order.\n`,
    times: 0,
  }
}

/**
 * Serves the calls in recorded order against the records the way the CLI would (first match wins,
 * `times` consumed) and says which call would get another call's answer.
 */
export function simulate(records: readonly MockRecord[], calls: readonly { index: number; argv: string[] }[]): string[] {
  const live = records.map((r) => ({ ...r }))
  const problems: string[] = []
  for (const call of calls) {
    const at = live.findIndex((r) => matchMockCommand(r.cmd, call.argv))
    const want = `#${call.index} `
    if (at < 0) problems.push(`${want}aliyun ${call.argv.join(' ')} matches no record`)
    else {
      if (!live[at].name.startsWith(want)) problems.push(`${want}aliyun ${call.argv.join(' ')} would be answered by record ${live[at].name}`)
      if (live[at].times > 0 && --live[at].times === 0) live.splice(at, 1)
    }
  }
  return problems
}

export function exportMock(t: Transcript, source: string): MockExport {
  const records: MockRecord[] = []
  const notes: string[] = []
  const calls: { index: number; argv: string[] }[] = []
  let sdk = 0
  const generated = Object.values(t.generated).flat().filter((v) => v.length >= 4)
  t.entries.forEach((e, index) => {
    if (e.kind === 'sdk') {
      sdk++
      return
    }
    if (e.refused !== undefined) {
      notes.push(`#${index} aliyun ${e.argv.join(' ')}: refused by guard, never sent to the CLI; left out.`)
      return
    }
    const cmd = mockRule(e.argv, generated)
    if (!cmd) {
      notes.push(`#${index} aliyun ${e.argv.join(' ')}: a command word holds a newline or is empty, which no mock rule can match; left out.`)
      return
    }
    records.push({ name: recordName(index, e.argv), cmd, exit_code: e.exit_code, stdout: entryStdout(e as CliEntry), stderr: e.stderr, times: 1 })
    calls.push({ index, argv: e.argv })
  })
  if (sdk) notes.push(`${sdk} SDK call(s) left out: the CLI's mock answers aliyun commands only.`)
  notes.push(...simulate(records, calls))
  records.push(catchAll(source))
  return { records, notes }
}

/** The file as the CLI writes it itself (store.go Save: 2-space indent and a newline). */
export function mockFileText(records: readonly MockRecord[]): string {
  return JSON.stringify(records, null, 2) + '\n'
}

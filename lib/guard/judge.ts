// guard's decision for one `aliyun` call an agent makes: refuse it (exit 4, nothing sent), answer it
// itself (the skill's own ai-mode steps, which guard has already run), or let it through with the
// skill's user-agent rule applied (D2: exactly once on API calls, never on system commands).

import { randomBytes } from 'node:crypto'
import { checkCall, type SessionCall } from '../acceptance.js'
import { stripUserAgent } from '../audit.js'
import { flagValues, isSystemCommand, parseArgv } from '../command.js'
import { isHelpCall, refusal, type SkillPolicy } from '../policy.js'
import { refusalMessage } from './hint.js'

export type UserAgentFix = 'added' | 'corrected' | 'removed'

/** What guard knows about a call besides its argv: the command line that made it, and the session so far. */
export interface CallContext {
  caller?: string[]
  earlier?: () => SessionCall[]
}

export type Decision =
  | { kind: 'refuse'; reason: string; message: string }
  | { kind: 'answer'; message: string }
  | { kind: 'forward'; argv: string[]; userAgent?: UserAgentFix }

/**
 * `aliyun --profile p ecs …`: the CLI reads a leading `--profile`/`-p` and its value (aliyun-cli-facts
 * §6) the same as one after the command words, where the policy and the acceptance rules see the
 * words. Moved there; any other flag before the words is judged as written (refused: no words).
 */
export function profileAfterWords(argv: readonly string[]): string[] {
  const moved: string[] = []
  let i = 0
  while (i < argv.length) {
    const t = argv[i]
    if (t.startsWith('--profile=')) {
      moved.push(t)
      i += 1
    } else if ((t === '--profile' || t === '-p') && i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
      moved.push(t, argv[i + 1])
      i += 2
    } else break
  }
  return moved.length ? [...argv.slice(i), ...moved] : [...argv]
}

export class CallJudge {
  private sessionId: string | undefined

  constructor(
    readonly policy: SkillPolicy,
    private newSessionId: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  /**
   * The user agent API calls carry. ecs-dr's ends in a session id: the agent's own, when its first
   * API call brings a well-formed one (the seed has it make one per session), else one guard makes;
   * either way one value for the whole session.
   */
  userAgent(given: readonly string[] = []): string {
    const { user_agent: base, session_id_in_user_agent: withSession } = this.policy
    if (!withSession) return base
    if (!this.sessionId) {
      const own = given.map((v) => v.match(/^(.*)\/([0-9a-f]{32})$/)).find((m) => m && m[1] === base)
      this.sessionId = own?.[2] ?? this.newSessionId()
    }
    return `${base}/${this.sessionId}`
  }

  decide(sent: readonly string[], context: CallContext = {}): Decision {
    const argv = profileAfterWords(sent)
    const parsed = parseArgv(argv)
    if (parsed.words[0] === 'configure' && parsed.words[1] === 'ai-mode') return this.aiMode(argv, parsed.words[2])
    const bare = stripUserAgent(argv)
    const why = refusal(this.policy, bare, { helpAllowed: true })
    if (why) return { kind: 'refuse', reason: why, message: refusalMessage(this.policy, bare, why) }
    const unmet = this.unmetRequirement(bare, context)
    if (unmet) return unmet
    const given = flagValues(parsed, '--user-agent').map((v) => v.join(' '))
    const equalsForm = argv.some((t) => t.startsWith('--user-agent='))
    // System commands and help calls reach no API: no user agent.
    const bareCmd = parseArgv(bare)
    if (isSystemCommand(bareCmd) || isHelpCall(bareCmd)) return given.length || equalsForm ? { kind: 'forward', argv: bare, userAgent: 'removed' } : { kind: 'forward', argv: [...argv] }
    const want = this.userAgent(given)
    if (given.length === 1 && given[0] === want && !equalsForm) return { kind: 'forward', argv: [...argv] }
    return { kind: 'forward', argv: [...bare, '--user-agent', want], userAgent: given.length || equalsForm ? 'corrected' : 'added' }
  }

  /** The first of the skill's `guard_require` rules this call breaks, as a refusal naming what to run instead. */
  private unmetRequirement(argv: readonly string[], context: CallContext): Decision | undefined {
    // Help creates nothing: a requirement on what a call does never applies to it.
    if (isHelpCall(parseArgv(argv))) return undefined
    for (const g of this.policy.guard_require) {
      const rule = this.policy.acceptance.find((r) => r.id === g.rule)!
      const verdict = checkCall(rule, argv, context.caller, context.earlier?.() ?? [])
      if (!verdict || verdict.ok) continue
      const why = `${rule.text} [${rule.id}]; ${verdict.ok === undefined ? 'guard cannot tell which command made this call (it reads that from /proc, on Linux)' : verdict.why}`
      return { kind: 'refuse', reason: why, message: refusalMessage(this.policy, argv, why, g.instead) }
    }
    return undefined
  }

  /** The seed's own ai-mode steps: guard ran them already for an ai-mode skill; other skills never run them. */
  private aiMode(argv: readonly string[], action: string | undefined): Decision {
    const { policy } = this
    const managed = `aliyun-harness guard: ai-mode is managed by guard for this session (enabled with ${policy.user_agent} before your command started, disabled after it ends); this call was not sent.\n`
    if (policy.ai_mode && (action === 'enable' || action === 'disable')) return { kind: 'answer', message: managed }
    if (policy.ai_mode && action === 'set-user-agent' && flagValues(parseArgv(argv), '--user-agent').map((v) => v.join(' ')).join() === policy.user_agent)
      return { kind: 'answer', message: managed }
    const why = policy.ai_mode ? `guard already set the ai-mode user agent to ${policy.user_agent}; only the skill's enable, set-user-agent and disable steps are accepted` : (refusal(policy, argv) ?? `${policy.name} never runs configure ai-mode`)
    return { kind: 'refuse', reason: why, message: refusalMessage(policy, argv, why) }
  }
}

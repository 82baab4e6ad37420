// `aliyun-harness audit`: checks a transcript against a skill's policy — the allow-list, the user
// agent on every API call and on no system call, the ai-mode order, secret-shaped strings, and no
// test-only `hang` entry (a replay of it would never end).

import { isSystemCommand, parseArgv } from './command.js'
import { isHelpCall, refusal, type SkillPolicy } from './policy.js'
import { Redactor } from './redact.js'
import type { Transcript } from './transcript.js'

export interface Violation {
  entry: number | null
  rule: 'allow-list' | 'user-agent' | 'ai-mode' | 'secret' | 'sdk' | 'fault-injection' | 'refused'
  message: string
}

const shapes = new Redactor({})

function secretShaped(text: string): boolean {
  return shapes.scrub(text) !== text
}

export function auditTranscript(t: Transcript, policy: SkillPolicy): Violation[] {
  const out: Violation[] = []
  const sessions = new Set<string>()
  let firstApi = -1
  let lastApi = -1
  const aiModeEvents: { index: number; action: string }[] = []

  t.entries.forEach((e, i) => {
    if (e.kind === 'sdk') {
      if (!policy.sdk_allow.includes(`${e.product} ${e.action}`)) out.push({ entry: i, rule: 'sdk', message: `SDK call ${e.product} ${e.action} is not allowed for ${policy.name}` })
      if (e.request.user_agent !== undefined && e.request.user_agent !== policy.user_agent && !e.request.user_agent.startsWith(policy.user_agent + '/'))
        out.push({ entry: i, rule: 'user-agent', message: `SDK call carries user agent '${e.request.user_agent}', expected '${policy.user_agent}'` })
      if (firstApi < 0) firstApi = i
      lastApi = i
      if (secretShaped(JSON.stringify(e))) out.push({ entry: i, rule: 'secret', message: 'secret-shaped string in an SDK entry' })
      return
    }
    const cmd = parseArgv(e.argv)
    if (e.refused !== undefined) {
      // An attempt guard stopped: never sent, so no user agent or lifecycle to check — but CI sees it.
      out.push({ entry: i, rule: 'refused', message: `aliyun ${cmd.words.join(' ')}: refused by guard, never sent: ${e.refused}` })
      if (secretShaped([e.argv.join(' '), e.stderr].join('\n'))) out.push({ entry: i, rule: 'secret', message: `secret-shaped string in 'aliyun ${cmd.words.join(' ')}'` })
      return
    }
    if (e.hang) out.push({ entry: i, rule: 'fault-injection', message: `aliyun ${cmd.words.join(' ')} is marked "hang": a test's fault injection, never part of a recording (it would never answer)` })
    const uaGroups = cmd.groups.filter((g) => g.flag === '--user-agent')
    const isAiMode = cmd.words[0] === 'configure' && cmd.words[1] === 'ai-mode'
    if (isAiMode) aiModeEvents.push({ index: i, action: cmd.words[2] ?? '' })
    // A help call (guard forwards those the skill allows) reaches no API: no user agent, like a system command.
    if (isSystemCommand(cmd) || isHelpCall(cmd)) {
      const setter = isAiMode && cmd.words[2] === 'set-user-agent'
      if (uaGroups.length && !setter) out.push({ entry: i, rule: 'user-agent', message: `system command 'aliyun ${cmd.words.join(' ')}' carries --user-agent` })
    } else {
      if (firstApi < 0) firstApi = i
      lastApi = i
      if (uaGroups.length !== 1) out.push({ entry: i, rule: 'user-agent', message: `API command 'aliyun ${cmd.words.join(' ')}' carries --user-agent ${uaGroups.length} times (exactly once expected)` })
      const ua = uaGroups[0]?.values.join(' ')
      if (ua !== undefined) {
        if (policy.session_id_in_user_agent) {
          const m = ua.match(/^(.*)\/([0-9a-f]{32}|<session-id>)$/)
          if (!m || m[1] !== policy.user_agent) out.push({ entry: i, rule: 'user-agent', message: `user agent '${ua}' is not '${policy.user_agent}/<32 hex session id>'` })
          else sessions.add(m[2])
        } else if (ua !== policy.user_agent) out.push({ entry: i, rule: 'user-agent', message: `user agent '${ua}' is not '${policy.user_agent}'` })
      }
    }
    const withoutUa = isSystemCommand(cmd) ? e.argv : stripUserAgent(e.argv)
    // Help is judged as guard judges it: a transcript holds help calls only when guard let them through.
    const why = refusal(policy, withoutUa, { aiModeLifecycle: true, helpAllowed: true })
    if (why) out.push({ entry: i, rule: 'allow-list', message: `aliyun ${cmd.words.join(' ')}: ${why}` })
    const text = [e.argv.join(' '), e.stdout ?? '', e.stdout_json === undefined ? '' : JSON.stringify(e.stdout_json), e.stderr].join('\n')
    if (secretShaped(text)) out.push({ entry: i, rule: 'secret', message: `secret-shaped string in 'aliyun ${cmd.words.join(' ')}'` })
  })

  if (sessions.size > 1) out.push({ entry: null, rule: 'user-agent', message: `one run must keep one session id; found ${sessions.size}` })

  // A run that ended before its first command (bad input, a decision up front) has no lifecycle to check.
  if (policy.ai_mode && (firstApi >= 0 || aiModeEvents.length > 0 || t.entries.length > 0)) {
    const enable = aiModeEvents.find((a) => a.action === 'enable')
    if (!enable) out.push({ entry: null, rule: 'ai-mode', message: 'ai-mode is never enabled' })
    else if (firstApi >= 0 && enable.index > firstApi) out.push({ entry: enable.index, rule: 'ai-mode', message: 'ai-mode is enabled after the first API call' })
    const last = aiModeEvents.at(-1)
    if (!last || last.action !== 'disable') out.push({ entry: null, rule: 'ai-mode', message: 'ai-mode is not disabled at the end' })
    else if (lastApi > last.index) out.push({ entry: last.index, rule: 'ai-mode', message: 'an API call follows the final ai-mode disable' })
    const setter = aiModeEvents.find((a) => a.action === 'set-user-agent')
    if (enable && (!setter || setter.index < enable.index)) out.push({ entry: setter?.index ?? null, rule: 'ai-mode', message: 'set-user-agent must follow enable' })
  }
  return out
}

/** The argv without its `--user-agent` (both the `--user-agent v` and the `--user-agent=v` forms). */
export function stripUserAgent(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--user-agent') {
      i++
      continue
    }
    if (argv[i].startsWith('--user-agent=')) continue
    out.push(argv[i])
  }
  return out
}

// guard's end-of-session report for people (stderr): what went through, what was refused, the
// ai-mode bracket, and the skill's acceptance rules with their evidence.

import { formatAcceptance } from '../acceptance.js'
import type { GuardReport } from './session.js'

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

export function formatGuardReport(r: GuardReport): string {
  const ua = r.counts.user_agent
  const fixes = [ua.added && `${ua.added} added`, ua.corrected && `${ua.corrected} corrected`, ua.removed && `${ua.removed} removed from system commands`].filter(Boolean)
  const ended = !r.ran ? `did not run (${r.error}; exit ${r.exit_code})` : r.signal ? `was stopped by ${r.signal} (exit ${r.exit_code})` : `exited ${r.exit_code}`
  const lines = [
    `aliyun-harness guard (${r.skill}): the command ${ended}. ${plural(r.counts.forwarded, 'call')} forwarded${fixes.length ? ` (user agent ${fixes.join(', ')})` : ''}, ${r.counts.refused} refused${r.counts.answered ? `, ${r.counts.answered} answered by guard (ai-mode is guard's)` : ''}.`,
  ]
  for (const c of r.calls.filter((x) => x.action === 'refused')) lines.push(`  refused: ${c.call.length > 120 ? `${c.call.slice(0, 117)}…` : c.call} — ${c.reason}`)
  const ai = r.ai_mode
  if (ai.used && !ai.attempted) lines.push('ai-mode: never enabled, nothing to disable.')
  else if (ai.used)
    lines.push(`ai-mode: ${ai.enabled ? `enabled with ${ai.user_agent} before the command` : 'enabling failed'}; ${ai.disabled ? (ai.enabled ? 'disabled after it' : 'disabled again') : 'NOT disabled — run `aliyun configure ai-mode disable`'}.`)
  for (const w of r.warnings) lines.push(`warning: ${w}`)
  return lines.join('\n') + '\n' + formatAcceptance(r.acceptance)
}

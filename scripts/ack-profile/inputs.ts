// ack-profile inputs: the description rule (D6), the diagnosis mode, and the past-time hint that
// makes the mode a decision (D4).

import { UsageError } from '../../lib/errors.js'

export interface Description {
  original: string
  sanitized: string
  /** Characters the SysOM parameter rule does not allow and that were therefore left out. */
  dropped: boolean
}

/** D6: lower-case, whitespace to `_`, anything outside [a-z0-9_-] dropped. */
export function sanitizeDescription(text: string): Description {
  const lowered = text.trim().toLowerCase().replace(/\s+/g, '_')
  const sanitized = lowered.replace(/[^a-z0-9_-]/g, '').replace(/_+/g, '_').replace(/^_|_$/g, '')
  const dropped = lowered.replace(/_+/g, '_').replace(/^_|_$/g, '') !== sanitized
  return { original: text, sanitized, dropped }
}

export type Mode = { kind: 'real-time' } | { kind: 'historical'; start: number; end: number }

/** Both times or neither; start before end; neither in the future; never with --realtime. */
export function modeFrom(opts: { 'start-time'?: string; 'end-time'?: string; realtime: boolean }, nowSeconds: number): Mode | undefined {
  const start = opts['start-time']
  const end = opts['end-time']
  if (start === undefined && end === undefined) return opts.realtime ? { kind: 'real-time' } : undefined
  if (opts.realtime) throw new UsageError('--realtime and a time range exclude each other: real-time diagnosis has no range.', 'InvalidParameter')
  if (start === undefined || end === undefined) throw new UsageError('A historical diagnosis needs both --start-time and --end-time (Unix seconds).', 'MissingParameter')
  const s = Number(start)
  const e = Number(end)
  if (s >= e) throw new UsageError(`--start-time (${s}) must be before --end-time (${e}).`, 'InvalidParameter')
  if (e > nowSeconds) throw new UsageError(`--end-time ${e} is in the future (now is ${nowSeconds}); a historical diagnosis looks at the past.`, 'InvalidParameter')
  return { kind: 'historical', start: s, end: e }
}

// A description that names a past moment: diagnosing it in real time would look at the wrong time.
const PAST = [
  /\bthis (morning|afternoon|evening)\b/i,
  /\b(yesterday|last night|earlier( today)?|ago)\b/i,
  /\b(around|about|at) \d{1,2}(:\d{2})? ?(am|pm)\b/i,
  /\b\d{1,2}(:\d{2})? ?(am|pm)\b/i,
  /\b(past|last) \d+ ?(h|hours?|min|minutes?)\b/i,
  /\b(past|last) (hour|few hours|day)\b/i,
  /(昨天|昨晚|前天|今天早上|今早|早上|上午|中午|下午|傍晚|凌晨|刚才|之前|小时前|分钟前)/,
]
// …unless it also says the problem is happening now.
const ONGOING = [/\b(right now|currently|ongoing|at the moment|still)\b/i, /(现在|正在|当前|目前|持续)/]

export function namesPastTime(text: string): boolean {
  return PAST.some((re) => re.test(text)) && !ONGOING.some((re) => re.test(text))
}

/**
 * A time window to offer for a past-time description: "past 2 hours" → the last two hours,
 * "around 3pm" → 14:30–15:30 local time (the last such time before now), otherwise the last hour.
 */
export function suggestWindow(text: string, nowSeconds: number): { start: number; end: number } {
  const past = text.match(/\b(?:past|last) (\d+) ?(h|hours?|min|minutes?)\b/i)
  if (past) {
    const n = Number(past[1]) * (past[2].toLowerCase().startsWith('h') ? 3600 : 60)
    return { start: nowSeconds - n, end: nowSeconds }
  }
  const at = text.match(/\b(\d{1,2})(?::(\d{2}))? ?(am|pm)\b/i)
  if (at) {
    let hour = Number(at[1]) % 12
    if (at[3].toLowerCase() === 'pm') hour += 12
    const d = new Date(nowSeconds * 1000)
    d.setHours(hour, Number(at[2] ?? 0), 0, 0)
    let centre = Math.floor(d.getTime() / 1000)
    if (centre > nowSeconds) centre -= 86_400
    return { start: centre - 1800, end: Math.min(centre + 1800, nowSeconds) }
  }
  return { start: nowSeconds - 3600, end: nowSeconds }
}

/** The ten fields of `invoke-diagnosis --params`, in the skill's order, snake_case. */
export function diagnosisParams(p: { region: string; clusterId: string; namespace: string; pod: string; description: string; mode: Mode }): string {
  const range = p.mode.kind === 'historical' ? p.mode : undefined
  return JSON.stringify({
    product: 'ACK',
    region: p.region,
    instance: `ack-${p.clusterId}`,
    cluster_id: p.clusterId,
    namespace: p.namespace,
    pod: p.pod,
    description: p.description,
    start_time: range ? range.start : 0,
    end_time: range ? range.end : 0,
    enable_diagnosis: !range,
  })
}

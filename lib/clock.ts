// Every wait in the harness (retry back-off, polls, the ai-mode lock) goes through a Clock, so a
// replay advances virtual time instead of sleeping.

import { InterruptedError } from './errors.js'

export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  readonly virtual: boolean
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new InterruptedError('SIGTERM')
}

export class RealClock implements Clock {
  readonly virtual = false
  now(): number {
    return Date.now()
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal))
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      const onAbort = () => {
        clearTimeout(timer)
        reject(abortReason(signal!))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

/** Time moves only when someone sleeps. Starts at the transcript's recorded time in replays. */
export class VirtualClock implements Clock {
  readonly virtual = true
  private t: number
  slept = 0
  constructor(start = Date.now()) {
    this.t = start
  }
  now(): number {
    return this.t
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortReason(signal)
    this.t += ms
    this.slept += ms
    // Yield so that a pending signal handler can run between virtual waits.
    await new Promise((r) => setImmediate(r))
    if (signal?.aborted) throw abortReason(signal)
  }
}

/**
 * The clock for a run. `ALIYUN_HARNESS_VIRTUAL_TIME=1` (set by `aliyun-harness replay`) or an
 * in-process replay selects virtual time; `ALIYUN_HARNESS_NOW` (ISO date) fixes its start.
 */
export function clockFor(env: NodeJS.ProcessEnv, replaying: boolean, recordedAt?: string): Clock {
  const start = env.ALIYUN_HARNESS_NOW ?? recordedAt
  if (replaying || env.ALIYUN_HARNESS_VIRTUAL_TIME === '1') {
    const t = start ? Date.parse(start) : NaN
    return new VirtualClock(Number.isFinite(t) ? t : Date.now())
  }
  return new RealClock()
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  return `${Math.floor(s / 60)} min ${s % 60 ? `${s % 60} s` : ''}`.trim()
}

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

/**
 * Time moves only when someone sleeps. Starts at the transcript's recorded time in replays.
 * Concurrent sleepers wake in the order of their wake-up times, one per turn of the event loop
 * (so what a woken task does next runs before the next one wakes), and `now()` is each one's
 * wake-up time: parallel work replays in the order real time would have given it, without waiting.
 */
export class VirtualClock implements Clock {
  readonly virtual = true
  private t: number
  private seq = 0
  private sleepers: { at: number; seq: number; wake: () => void }[] = []
  private pumping = false
  slept = 0
  constructor(start = Date.now()) {
    this.t = start
  }
  now(): number {
    return this.t
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    this.slept += ms
    return new Promise((resolve, reject) => {
      const sleeper = {
        at: this.t + ms,
        seq: this.seq++,
        wake: () => {
          signal?.removeEventListener('abort', onAbort)
          if (signal?.aborted) reject(abortReason(signal))
          else resolve()
        },
      }
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper)
        reject(abortReason(signal!))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.sleepers.push(sleeper)
      this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq)
      this.pump()
    })
  }
  /** Wakes the earliest sleeper on the next turn of the event loop (a pending signal handler runs first). */
  private pump(): void {
    if (this.pumping) return
    this.pumping = true
    setImmediate(() => {
      this.pumping = false
      const next = this.sleepers.shift()
      if (!next) return
      this.t = Math.max(this.t, next.at)
      next.wake()
      if (this.sleepers.length) this.pump()
    })
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

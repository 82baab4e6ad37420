// ai-mode lifecycle (D3). ai-mode lives in one machine-wide file, so two ai-mode workflows must not
// overlap: the harness holds an exclusive lock file from `enable` to `disable`. A second run waits
// a bounded time and then fails naming the holder; a lock whose holder process is gone is taken over.

import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Clock } from './clock.js'
import { HarnessError } from './errors.js'
import type { IO } from './io.js'
import type { SkillPolicy } from './policy.js'
import type { Runner } from './runner.js'

export interface LockHolder {
  pid: number
  host: string
  skill: string
  run_id: string
  started_at: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder
  } catch {
    return undefined
  }
}

export class AiModeLock {
  private held = false
  constructor(
    readonly file: string,
    private me: LockHolder,
    private clock: Clock,
    private io: IO,
    private maxWaitMs: number,
  ) {}

  static path(stateDir: string): string {
    return join(stateDir, 'ai-mode.lock')
  }

  async acquire(signal: AbortSignal): Promise<void> {
    mkdirSync(join(this.file, '..'), { recursive: true })
    const started = this.clock.now()
    let announced = false
    for (;;) {
      try {
        writeFileSync(this.file, JSON.stringify(this.me, null, 2), { flag: 'wx', mode: 0o600 })
        this.held = true
        return
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
      const holder = readHolder(this.file)
      if (holder && holder.host === this.me.host && !alive(holder.pid)) {
        this.io.note(`ai-mode lock: its holder (${holder.skill}, pid ${holder.pid}, run ${holder.run_id}, since ${holder.started_at}) is no longer running; taking the lock over.`)
        try {
          unlinkSync(this.file)
        } catch {
          /* someone else took it over first */
        }
        continue
      }
      const who = holder ? `${holder.skill} (pid ${holder.pid} on ${holder.host}, run ${holder.run_id}, since ${holder.started_at})` : 'another run'
      if (this.clock.now() - started >= this.maxWaitMs) {
        throw new HarnessError(
          'AiModeBusy',
          `ai-mode is in use by ${who}. Two ai-mode workflows cannot overlap because ai-mode is one machine-wide setting. Waited ${Math.round(this.maxWaitMs / 1000)} s.`,
          { nextAction: `Wait for that run to finish, then run this command again. If it is stuck, stop it; its lock file is ${this.file}.` },
        )
      }
      if (!announced) {
        this.io.note(`ai-mode is in use by ${who}; waiting up to ${Math.round(this.maxWaitMs / 1000)} s …`)
        announced = true
      }
      await this.clock.sleep(1000, signal)
    }
  }

  release(): void {
    if (!this.held) return
    const holder = readHolder(this.file)
    if (holder && holder.pid === this.me.pid && holder.run_id === this.me.run_id) {
      try {
        unlinkSync(this.file)
      } catch {
        /* already gone */
      }
    }
    this.held = false
  }
}

/**
 * Enables ai-mode with the skill's user agent, in the seeds' order (enable, then set-user-agent),
 * and disables it on every way out. `stop()` is idempotent and safe to call from a signal path.
 */
export class AiModeSession {
  private enabled = false
  private stopping: Promise<void> | undefined

  constructor(
    private runner: Runner,
    private policy: SkillPolicy,
    private lock: AiModeLock,
  ) {}

  async start(signal: AbortSignal): Promise<void> {
    await this.lock.acquire(signal)
    // Marked before the call: if enable itself is interrupted, disable still runs.
    this.enabled = true
    await this.runner.lifecycle(['configure', 'ai-mode', 'enable'], signal)
    await this.runner.lifecycle(['configure', 'ai-mode', 'set-user-agent', '--user-agent', this.policy.user_agent], signal)
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        if (this.enabled) {
          // A fresh signal: the run's own may already be aborted by SIGINT/SIGTERM.
          const ctl = new AbortController()
          const t = setTimeout(() => ctl.abort(new HarnessError('AiModeDisableTimeout', 'configure ai-mode disable did not finish in 30 s')), 30_000)
          try {
            await this.runner.lifecycle(['configure', 'ai-mode', 'disable'], ctl.signal)
          } finally {
            clearTimeout(t)
          }
          this.enabled = false
        }
      } finally {
        this.lock.release()
      }
    })()
    return this.stopping
  }
}

export function lockHolder(skill: string, runId: string, now: number): LockHolder {
  return { pid: process.pid, host: hostname(), skill, run_id: runId, started_at: new Date(now).toISOString() }
}

// ai-mode lifecycle (D3). ai-mode lives in one machine-wide file, so two ai-mode workflows must not
// overlap: the harness holds an exclusive lock file from `enable` to `disable`. A second run waits
// a bounded time and then fails naming the holder. A lock is taken over — and the takeover reported
// in the run's result — when its holder is gone: the process died, its pid now belongs to some
// other program, or the file is empty or unreadable (a crash before it was written whole).

import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Clock } from './clock.js'
import { HarnessError } from './errors.js'
import type { IO } from './io.js'
import { packageRoot } from './paths.js'
import type { SkillPolicy } from './policy.js'
import type { Warning } from './result.js'
import type { Runner } from './runner.js'

export interface LockHolder {
  pid: number
  host: string
  skill: string
  run_id: string
  started_at: string
  /** The holder process's start time (Linux /proc/<pid>/stat field 22), so a reused pid is not mistaken for it. */
  process_start?: string
}

/** The kernel's start time of a process, or undefined where /proc is not available. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 2 (comm) may contain spaces and parentheses: count fields after its closing ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Why a holder on this host no longer holds the lock, or undefined when it still does. Where /proc
 * exists, a live pid must also be the same process (start time) and an aliyun-harness one (its
 * command line names this package or the `aliyun-harness` command).
 */
function goneReason(holder: LockHolder): string | undefined {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return 'it names no process'
  if (!alive(holder.pid)) return 'its process is no longer running'
  let cmdline: string
  try {
    cmdline = readFileSync(`/proc/${holder.pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return undefined
  }
  if (holder.process_start && processStart(holder.pid) !== holder.process_start) return `pid ${holder.pid} now belongs to another process`
  if (!cmdline.includes('aliyun-harness') && !cmdline.includes(packageRoot())) return `pid ${holder.pid} is not an aliyun-harness process`
  return undefined
}

type LockRead = { kind: 'held'; holder: LockHolder } | { kind: 'damaged'; why: string } | { kind: 'missing' }

function readLock(file: string): LockRead {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' }
    return { kind: 'damaged', why: `it cannot be read (${(e as Error).message})` }
  }
  if (!text.trim()) return { kind: 'damaged', why: 'it is empty' }
  try {
    const h = JSON.parse(text) as LockHolder
    if (typeof h?.pid !== 'number' || typeof h.host !== 'string') return { kind: 'damaged', why: 'it does not name a holder' }
    return { kind: 'held', holder: h }
  } catch {
    return { kind: 'damaged', why: 'it is not valid JSON' }
  }
}

export type LockState = { kind: 'free' } | { kind: 'held'; holder: LockHolder } | { kind: 'stale'; why: string; holder?: LockHolder }

/**
 * What a run would find at the lock now, without touching it: free, held by a live run, or stale
 * (damaged, or its holder on this host is gone) and so taken over by the next ai-mode run.
 */
export function inspectLock(file: string, host = hostname()): LockState {
  const lock = readLock(file)
  if (lock.kind === 'missing') return { kind: 'free' }
  if (lock.kind === 'damaged') return { kind: 'stale', why: `${lock.why}, so no run holds it` }
  const gone = lock.holder.host === host ? goneReason(lock.holder) : undefined
  return gone ? { kind: 'stale', why: gone, holder: lock.holder } : { kind: 'held', holder: lock.holder }
}

export class AiModeLock {
  private held = false
  /** Locks this run took over, for the result's warnings. */
  readonly takeovers: Warning[] = []

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

  /**
   * Creates the lock file with its content in one step: written to a private file, then hard-linked
   * into place (link fails when the lock exists). A lock file is therefore never seen half-written,
   * and an empty or unreadable one can only be a leftover.
   */
  private tryCreate(): boolean {
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`
    writeFileSync(tmp, JSON.stringify(this.me, null, 2), { mode: 0o600 })
    try {
      linkSync(tmp, this.file)
      return true
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw e
    } finally {
      rmSync(tmp, { force: true })
    }
  }

  private takeOver(why: string, holder?: LockHolder): void {
    const who = holder ? ` (${holder.skill}, pid ${holder.pid}, run ${holder.run_id}, since ${holder.started_at})` : ''
    const message = `The ai-mode lock ${this.file}${who} was taken over: ${why}.`
    this.io.note(message)
    this.takeovers.push({ code: 'AiModeLockTakenOver', message })
    try {
      unlinkSync(this.file)
    } catch {
      /* someone else took it over first; the next round finds out */
    }
  }

  async acquire(signal: AbortSignal): Promise<void> {
    mkdirSync(join(this.file, '..'), { recursive: true })
    const started = this.clock.now()
    let announced = false
    for (;;) {
      if (this.tryCreate()) {
        this.held = true
        return
      }
      const lock = inspectLock(this.file, this.me.host)
      if (lock.kind === 'free') continue
      if (lock.kind === 'stale') {
        this.takeOver(lock.why, lock.holder)
        continue
      }
      const holder = lock.holder
      const who = `${holder.skill} (pid ${holder.pid} on ${holder.host}, run ${holder.run_id}, since ${holder.started_at})`
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
    const lock = readLock(this.file)
    if (lock.kind === 'held' && lock.holder.pid === this.me.pid && lock.holder.run_id === this.me.run_id) {
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
  const start = processStart(process.pid)
  return { pid: process.pid, host: hostname(), skill, run_id: runId, started_at: new Date(now).toISOString(), ...(start ? { process_start: start } : {}) }
}

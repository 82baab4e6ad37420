// ai-mode lifecycle (D3). ai-mode lives in one machine-wide file, so two ai-mode workflows must not
// overlap: the harness holds an exclusive lock file from `enable` to `disable`. A second run waits
// a bounded time and then fails naming the holder. A lock is taken over — and the takeover reported
// in the run's result — when its holder is gone: the process died, its pid now belongs to some
// other program, or the file is empty or unreadable (a crash before it was written whole).
// Two runs may find the same stale lock at once; only one of them may remove it, or the slower one
// would remove the lock the faster one has just created, and both would run with ai-mode. So a
// takeover first creates a claim on that very file (named by its inode and modification time), which
// only one run can create, and removes the lock only if the file is still the one it judged stale.

import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync, type BigIntStats } from 'node:fs'
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

/**
 * Which file a path names: a lock removed and created again is another file even when the inode
 * number is reused, because its modification time differs (nanoseconds).
 */
function fileId(st: BigIntStats): string {
  return `${st.dev}-${st.ino}-${st.mtimeNs}`
}

function currentFileId(file: string): string | undefined {
  try {
    return fileId(statSync(file, { bigint: true }))
  } catch {
    return undefined
  }
}

type LockRead = { kind: 'held'; holder: LockHolder; id: string } | { kind: 'damaged'; why: string; id: string } | { kind: 'missing' }

/** The lock's holder, read together with the identity of the very file it was read from. */
function readLock(file: string): LockRead {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' }
    const id = currentFileId(file)
    return id ? { kind: 'damaged', why: `it cannot be read (${(e as Error).message})`, id } : { kind: 'missing' }
  }
  let text: string
  let id: string
  try {
    id = fileId(fstatSync(fd, { bigint: true }))
    text = readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
  if (!text.trim()) return { kind: 'damaged', why: 'it is empty', id }
  try {
    const h = JSON.parse(text) as LockHolder
    if (typeof h?.pid !== 'number' || typeof h.host !== 'string') return { kind: 'damaged', why: 'it does not name a holder', id }
    return { kind: 'held', holder: h, id }
  } catch {
    return { kind: 'damaged', why: 'it is not valid JSON', id }
  }
}

/**
 * Creates `file` holding `content` in one step: written to a private file, then hard-linked into
 * place (link fails when `file` exists). The file is therefore never seen half-written. False when
 * it exists already.
 */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  writeFileSync(tmp, content, { mode: 0o600 })
  try {
    linkSync(tmp, file)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw e
  } finally {
    rmSync(tmp, { force: true })
  }
}

/**
 * The claim a run creates before it removes the stale lock file `id`. A claim whose run died
 * during the takeover is never removed by another run (that would race the same way); the next run
 * claims the next generation instead.
 */
export function takeoverClaimPath(file: string, id: string, generation: number): string {
  return `${file}.takeover-${id}-${generation}`
}

/** A lock no run holds any more, and which file it was (`id`), so only that file is ever removed. */
export type StaleLock = { kind: 'stale'; why: string; holder?: LockHolder; id: string }
export type LockState = { kind: 'free' } | { kind: 'held'; holder: LockHolder } | StaleLock

/**
 * What a run would find at the lock now, without touching it: free, held by a live run, or stale
 * (damaged, or its holder on this host is gone) and so taken over by the next ai-mode run.
 */
export function inspectLock(file: string, host = hostname()): LockState {
  const lock = readLock(file)
  if (lock.kind === 'missing') return { kind: 'free' }
  if (lock.kind === 'damaged') return { kind: 'stale', why: `${lock.why}, so no run holds it`, id: lock.id }
  const gone = lock.holder.host === host ? goneReason(lock.holder) : undefined
  return gone ? { kind: 'stale', why: gone, holder: lock.holder, id: lock.id } : { kind: 'held', holder: lock.holder }
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

  private tryCreate(): boolean {
    return createExclusive(this.file, JSON.stringify(this.me, null, 2))
  }

  /**
   * Removes the stale lock `seen` (one step of `acquire`; public so a test can interleave two runs).
   * Returns the run to wait for when another live run is taking this same file over right now;
   * otherwise undefined, and the caller looks at the lock again: it was taken over here, or it is
   * no longer the file that was judged stale (another run took it over first), which is never removed.
   */
  takeOver(seen: StaleLock): LockHolder | undefined {
    const claims: string[] = []
    for (let generation = 0; ; generation++) {
      const claim = takeoverClaimPath(this.file, seen.id, generation)
      claims.push(claim)
      if (createExclusive(claim, JSON.stringify(this.me))) break
      const other = readLock(claim)
      // Its run has just finished with this file (removed it, or found it replaced): look again.
      if (other.kind === 'missing') return undefined
      // A live run is removing it at this moment.
      if (other.kind === 'held' && !(other.holder.host === this.me.host && goneReason(other.holder))) return other.holder
      // Its run died during the takeover: claim the next generation.
    }
    try {
      if (currentFileId(this.file) !== seen.id) return undefined
      // Only this run holds a claim on this file, and nobody releases a lock that is stale.
      unlinkSync(this.file)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    } finally {
      // The stale file is gone for good (a file's id never comes back), so no claim on it matters
      // any more, those of runs that died included.
      for (const claim of claims) rmSync(claim, { force: true })
    }
    const holder = seen.holder
    const who = holder ? ` (${holder.skill}, pid ${holder.pid}, run ${holder.run_id}, since ${holder.started_at})` : ''
    const message = `The ai-mode lock ${this.file}${who} was taken over: ${seen.why}.`
    this.io.note(message)
    this.takeovers.push({ code: 'AiModeLockTakenOver', message })
    return undefined
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
      const holder = lock.kind === 'stale' ? this.takeOver(lock) : lock.holder
      if (!holder) continue
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
          // A fresh signal: the run's own may already be aborted by SIGINT/SIGTERM/SIGHUP.
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

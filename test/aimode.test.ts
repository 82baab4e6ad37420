// lib/aimode.ts, the machine-wide ai-mode lock (D3): exclusive, bounded wait naming the holder; a
// lock nobody holds any more (dead process, a pid now used by another program, an empty or garbled
// file) is taken over, and every takeover is reported. Two runs that find the same stale lock never
// both hold it: the takeover itself is exclusive.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AiModeLock, inspectLock, lockHolder, processStart, takeoverClaimPath, type LockHolder, type StaleLock } from '../lib/aimode.js'
import { VirtualClock } from '../lib/clock.js'
import { HarnessError } from '../lib/errors.js'
import { createIO } from '../lib/io.js'
import { Redactor } from '../lib/redact.js'
import { tempDir } from './support/run.js'

function quietIO() {
  const notes: string[] = []
  const io = createIO({ stdout: { write: () => true }, stderr: { write: (s: string) => notes.push(s) }, redactor: new Redactor({}) })
  return { io, notes }
}

const signal = new AbortController().signal

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

/** A live process; with `harness`, `aliyun-harness` is on its command line, as on the bin's own. */
async function liveProcess(harness: boolean): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...(harness ? ['aliyun-harness'] : [])], { stdio: 'ignore' })
  children.push(child)
  await new Promise((resolve) => child.once('spawn', resolve))
  return child.pid!
}

function holderFor(pid: number, runId: string): LockHolder {
  return { pid, host: lockHolder('x', 'x', 0).host, skill: 'eas-deploy', run_id: runId, started_at: '2026-11-20T08:00:00.000Z', process_start: processStart(pid) }
}

async function acquireOver(content: string, runId: string) {
  const file = AiModeLock.path(tempDir())
  writeFileSync(file, content)
  const { io, notes } = quietIO()
  const lock = new AiModeLock(file, lockHolder('ack-profile', runId, 0), new VirtualClock(0), io, 1_000)
  await lock.acquire(signal)
  return { file, lock, notes }
}

describe('AiModeLock', () => {
  it('is exclusive and released by its holder', async () => {
    const file = AiModeLock.path(tempDir())
    const { io } = quietIO()
    const a = new AiModeLock(file, lockHolder('ack-profile', 'run-a', 0), new VirtualClock(0), io, 5_000)
    await a.acquire(signal)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, skill: 'ack-profile', run_id: 'run-a' })
    expect(a.takeovers).toEqual([])
    a.release()
    expect(existsSync(file)).toBe(false)
  })

  it('waits a bounded time for a live holder, then fails naming it', async () => {
    const file = AiModeLock.path(tempDir())
    const { io, notes } = quietIO()
    // The holder is a live aliyun-harness process running another skill.
    const pid = await liveProcess(true)
    writeFileSync(file, JSON.stringify(holderFor(pid, 'run-other')))
    const clock = new VirtualClock(0)
    const b = new AiModeLock(file, lockHolder('ack-profile', 'run-b', 0), clock, io, 120_000)
    const err = await b.acquire(signal).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HarnessError)
    expect((err as HarnessError).code).toBe('AiModeBusy')
    expect((err as HarnessError).message).toMatch(new RegExp(`in use by eas-deploy \\(pid ${pid} on .*, run run-other`))
    expect(clock.now()).toBeGreaterThanOrEqual(120_000)
    expect(notes.join('')).toMatch(/waiting up to 120 s/)
    // The other run's lock is untouched.
    expect(JSON.parse(readFileSync(file, 'utf8')).run_id).toBe('run-other')
  })

  it('takes over a lock whose holder is no longer running, and reports it', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    const { file, lock, notes } = await acquireOver(JSON.stringify({ ...holderFor(process.pid, 'run-dead'), pid: dead }), 'run-c')
    expect(JSON.parse(readFileSync(file, 'utf8')).run_id).toBe('run-c')
    expect(notes.join('')).toMatch(new RegExp(`pid ${dead}, run run-dead.*\\) was taken over: its process is no longer running`))
    expect(lock.takeovers).toEqual([{ code: 'AiModeLockTakenOver', message: expect.stringContaining('its process is no longer running') }])
    lock.release()
  })

  it.each([
    ['is empty (a crash between create and write)', '', 'it is empty'],
    ['is not JSON', '{"pid": 12', 'it is not valid JSON'],
    ['names no holder', '{"hello": "world"}', 'it does not name a holder'],
  ])('takes over a lock file that %s, and reports it', async (_why, content, reason) => {
    const { file, lock, notes } = await acquireOver(content, 'run-d')
    expect(JSON.parse(readFileSync(file, 'utf8')).run_id).toBe('run-d')
    expect(lock.takeovers).toHaveLength(1)
    expect(lock.takeovers[0].message).toContain(`was taken over: ${reason}, so no run holds it`)
    expect(notes.join('')).toContain(lock.takeovers[0].message)
    lock.release()
  })

  it('takes over a lock whose pid is alive but is not an aliyun-harness process', async () => {
    const pid = await liveProcess(false)
    const { lock } = await acquireOver(JSON.stringify(holderFor(pid, 'run-foreign')), 'run-e')
    expect(lock.takeovers[0].message).toMatch(new RegExp(`run run-foreign.*taken over: pid ${pid} is not an aliyun-harness process`))
    lock.release()
  })

  it('takes over a lock whose pid was reused by another process (its start time differs)', async () => {
    const pid = await liveProcess(true)
    const { lock } = await acquireOver(JSON.stringify({ ...holderFor(pid, 'run-old'), process_start: '1' }), 'run-f')
    expect(lock.takeovers[0].message).toMatch(new RegExp(`taken over: pid ${pid} now belongs to another process`))
    lock.release()
  })

  it('never removes a lock it does not hold', () => {
    const dir = tempDir()
    const file = join(dir, 'ai-mode.lock')
    writeFileSync(file, JSON.stringify(holderFor(process.pid, 'other')))
    const { io } = quietIO()
    new AiModeLock(file, lockHolder('ack-profile', 'mine', 0), new VirtualClock(0), io, 1).release()
    expect(existsSync(file)).toBe(true)
  })
})

describe('two runs that find the same stale lock', () => {
  function staleLock() {
    const dir = tempDir()
    const file = AiModeLock.path(dir)
    writeFileSync(file, '')
    const seen = inspectLock(file)
    if (seen.kind !== 'stale') throw new Error(`expected a stale lock, found ${seen.kind}`)
    return { dir, file, seen: seen as StaleLock }
  }
  const run = (file: string, skill: string, runId: string, io = quietIO().io) => new AiModeLock(file, lockHolder(skill, runId, 0), new VirtualClock(0), io, 1_000)

  it('the slower one never removes the lock the faster one took over and now holds', async () => {
    const { dir, file, seen } = staleLock()
    const a = run(file, 'ack-profile', 'run-a')
    const b = run(file, 'eas-deploy', 'run-b')
    // B found the lock stale; before B acts on what it read, A takes the lock over and holds it.
    await a.acquire(signal)
    b.takeOver(seen)
    expect(JSON.parse(readFileSync(file, 'utf8')).run_id).toBe('run-a')
    // B now waits for A like for any live holder, and gives up naming it.
    const err = await b.acquire(signal).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'AiModeBusy', message: expect.stringContaining('run run-a') })
    expect([a.takeovers.length, b.takeovers.length]).toEqual([1, 0])
    a.release()
    // Nothing is left behind: no lock, no takeover claim.
    expect(readdirSync(dir)).toEqual([])
  })

  it('a run that died in the middle of a takeover does not block the lock for ever', async () => {
    const { dir, file, seen } = staleLock()
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    writeFileSync(takeoverClaimPath(file, seen.id, 0), JSON.stringify({ ...holderFor(process.pid, 'run-died'), pid: dead }))
    const c = run(file, 'ack-profile', 'run-c')
    await c.acquire(signal)
    expect(JSON.parse(readFileSync(file, 'utf8')).run_id).toBe('run-c')
    expect(c.takeovers).toHaveLength(1)
    c.release()
    expect(readdirSync(dir)).toEqual([])
  })

  it('a live run in the middle of a takeover is waited for, like a holder', async () => {
    const { file, seen } = staleLock()
    const pid = await liveProcess(true)
    writeFileSync(takeoverClaimPath(file, seen.id, 0), JSON.stringify(holderFor(pid, 'run-taking-over')))
    const err = await run(file, 'ack-profile', 'run-d').acquire(signal).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'AiModeBusy', message: expect.stringContaining('run run-taking-over') })
    // The stale lock is still there for that run to remove.
    expect(readFileSync(file, 'utf8')).toBe('')
  })
})

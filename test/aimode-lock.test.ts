// The machine-wide ai-mode lock (D3): exclusive, bounded wait naming the holder, dead holders taken over.

import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AiModeLock, lockHolder, type LockHolder } from '../lib/aimode.js'
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

describe('AiModeLock', () => {
  it('is exclusive and released by its holder', async () => {
    const file = AiModeLock.path(tempDir())
    const { io } = quietIO()
    const a = new AiModeLock(file, lockHolder('ack-profile', 'run-a', 0), new VirtualClock(0), io, 5_000)
    await a.acquire(signal)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, skill: 'ack-profile', run_id: 'run-a' })
    a.release()
    expect(existsSync(file)).toBe(false)
  })

  it('waits a bounded time for a live holder, then fails naming it', async () => {
    const file = AiModeLock.path(tempDir())
    const { io, notes } = quietIO()
    // The holder is a live process (this test's parent) running another skill.
    const holder: LockHolder = { ...lockHolder('eas-deploy', 'run-other', 0), pid: process.ppid }
    writeFileSync(file, JSON.stringify(holder))
    const clock = new VirtualClock(0)
    const b = new AiModeLock(file, lockHolder('ack-profile', 'run-b', 0), clock, io, 120_000)
    const err = await b.acquire(signal).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HarnessError)
    expect((err as HarnessError).code).toBe('AiModeBusy')
    expect((err as HarnessError).message).toMatch(new RegExp(`in use by eas-deploy \\(pid ${process.ppid} on .*, run run-other`))
    expect(clock.now()).toBeGreaterThanOrEqual(120_000)
    expect(notes.join('')).toMatch(/waiting up to 120 s/)
    // The other run's lock is untouched.
    expect(JSON.parse(readFileSync(file, 'utf8')).run_id).toBe('run-other')
  })

  it('takes over a lock whose holder is no longer running, and says so', async () => {
    const file = AiModeLock.path(tempDir())
    const { io, notes } = quietIO()
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    writeFileSync(file, JSON.stringify({ ...lockHolder('eas-deploy', 'run-dead', 0), pid: dead }))
    const c = new AiModeLock(file, lockHolder('ack-profile', 'run-c', 0), new VirtualClock(0), io, 1_000)
    await c.acquire(signal)
    expect(JSON.parse(readFileSync(file, 'utf8')).run_id).toBe('run-c')
    expect(notes.join('')).toMatch(new RegExp(`pid ${dead}, run run-dead.*no longer running; taking the lock over`))
    c.release()
  })

  it('never removes a lock it does not hold', () => {
    const dir = tempDir()
    const file = join(dir, 'ai-mode.lock')
    writeFileSync(file, JSON.stringify({ ...lockHolder('eas-deploy', 'other', 0), pid: process.ppid }))
    const { io } = quietIO()
    new AiModeLock(file, lockHolder('ack-profile', 'mine', 0), new VirtualClock(0), io, 1).release()
    expect(existsSync(file)).toBe(true)
  })
})

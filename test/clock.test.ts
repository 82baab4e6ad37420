// Every wait goes through a Clock: the virtual one moves only when someone sleeps (replays never
// wait), the real one stops when the run's signal aborts.

import { describe, expect, it } from 'vitest'
import { clockFor, formatDuration, RealClock, VirtualClock } from '../lib/clock.js'
import { InterruptedError } from '../lib/errors.js'

describe('VirtualClock', () => {
  it('advances by what was slept, without waiting for it', async () => {
    const c = new VirtualClock(0)
    const first = await Promise.race([c.sleep(10 * 60_000).then(() => 'slept'), new Promise((r) => setTimeout(() => r('a real timer fired first'), 1000))])
    expect(first).toBe('slept')
    expect(c.now()).toBe(600_000)
    expect(c.slept).toBe(600_000)
  })

  it('wakes concurrent sleepers in the order of their wake-up times, each at its own time', async () => {
    const c = new VirtualClock(0)
    const woke: [string, number][] = []
    const sleeper = async (name: string, ...waits: number[]) => {
      for (const ms of waits) {
        await c.sleep(ms)
        woke.push([name, c.now()])
      }
    }
    await Promise.all([sleeper('slow', 1500), sleeper('quick', 10, 10, 10), sleeper('middle', 500, 2000)])
    expect(woke).toEqual([['quick', 10], ['quick', 20], ['quick', 30], ['middle', 500], ['slow', 1500], ['middle', 2500]])
    expect(c.slept).toBe(4030)
  })

  it('a sleeper whose signal aborts leaves the others asleep in order', async () => {
    const c = new VirtualClock(0)
    const ctl = new AbortController()
    const aborted = c.sleep(100, ctl.signal)
    const other = c.sleep(200).then(() => c.now())
    ctl.abort(new InterruptedError('SIGTERM'))
    await expect(aborted).rejects.toMatchObject({ code: 'Interrupted' })
    expect(await other).toBe(200)
  })

  it('stops at an aborted signal with its reason', async () => {
    const ctl = new AbortController()
    ctl.abort(new InterruptedError('SIGINT'))
    await expect(new VirtualClock(0).sleep(1000, ctl.signal)).rejects.toMatchObject({ code: 'Interrupted', signal: 'SIGINT' })
  })
})

describe('RealClock', () => {
  it('a sleep ends as soon as the signal aborts', async () => {
    const ctl = new AbortController()
    const sleeping = new RealClock().sleep(60 * 60_000, ctl.signal)
    ctl.abort(new InterruptedError('SIGTERM'))
    await expect(sleeping).rejects.toMatchObject({ code: 'Interrupted', signal: 'SIGTERM' })
  })
})

describe('clockFor', () => {
  it('replays get virtual time starting at the recorded time; live runs real time', () => {
    const replay = clockFor({}, true, '2026-11-20T08:00:00.000Z')
    expect(replay.virtual).toBe(true)
    expect(replay.now()).toBe(Date.parse('2026-11-20T08:00:00.000Z'))
    expect(clockFor({ ALIYUN_HARNESS_VIRTUAL_TIME: '1', ALIYUN_HARNESS_NOW: '2026-01-01T00:00:00Z' }, false).now()).toBe(Date.parse('2026-01-01T00:00:00Z'))
    expect(clockFor({}, false).virtual).toBe(false)
  })
})

it('formats durations for people', () => {
  expect([500, 15_000, 60_000, 300_000, 330_000].map(formatDuration)).toEqual(['500 ms', '15 s', '1 min', '5 min', '5 min 30 s'])
})

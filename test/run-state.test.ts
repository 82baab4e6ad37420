// The generic resumable-run store: one JSON file per run, found by id or by argument key, written
// atomically, and strict about what it reads back.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { argumentKey, isValidRunId, RunStateError, RunStore } from '../lib/run-state.js'
import { Redactor } from '../lib/redact.js'
import { tempDir } from './support/run.js'

const State = z.object({ step: z.string(), count: z.number() })
type State = z.infer<typeof State>

function store(dir = tempDir('run-state-'), now = () => Date.parse('2026-11-20T08:00:00Z')) {
  return new RunStore<State>(dir, 'demo-skill', State, { now, redactor: new Redactor({}) })
}

describe('argumentKey', () => {
  it('is the same whatever order the arguments come in, and ignores empty values and ignored names', () => {
    const a = argumentKey({ region: 'cn-hangzhou', 'instance-id': 'i-1', zone: undefined, flag: false, list: [], resume: 'abc' }, ['resume'])
    const b = argumentKey({ 'instance-id': 'i-1', region: 'cn-hangzhou' })
    expect(a).toBe(b)
    expect(a).toMatch(/^[0-9a-f]{32}$/)
  })

  it('differs when any kept value differs', () => {
    const base = { region: 'cn-hangzhou', 'instance-id': 'i-1' }
    expect(argumentKey(base)).not.toBe(argumentKey({ ...base, 'instance-id': 'i-2' }))
    expect(argumentKey(base)).not.toBe(argumentKey({ ...base, zone: 'cn-hangzhou-j' }))
    expect(argumentKey({ ...base, on: true })).not.toBe(argumentKey(base))
  })
})

describe('RunStore', () => {
  it('writes one JSON file per run under <stateDir>/runs/<skill>/<run-id>.json, readable only by its owner', () => {
    const dir = tempDir('run-state-')
    const s = store(dir)
    const r = s.create('a1b2c3d4e5f6', 'k1', { step: 'start', count: 0 })
    const file = join(dir, 'runs', 'demo-skill', 'a1b2c3d4e5f6.json')
    expect(s.path('a1b2c3d4e5f6')).toBe(file)
    const onDisk = JSON.parse(readFileSync(file, 'utf8'))
    expect(onDisk).toMatchObject({ format: 'aliyun-harness-run', version: 1, skill: 'demo-skill', run_id: 'a1b2c3d4e5f6', key: 'k1', status: 'active', created_at: '2026-11-20T08:00:00.000Z', state: { step: 'start', count: 0 } })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(r.status).toBe('active')
  })

  it('loads what it saved, with updated_at stamped by its clock', () => {
    let t = Date.parse('2026-11-20T08:00:00Z')
    const dir = tempDir('run-state-')
    const s = store(dir, () => t)
    const r = s.create('run1', 'k1', { step: 'start', count: 0 })
    t += 60_000
    r.state.step = 'image'
    r.state.count = 2
    s.save(r)
    const back = store(dir).load('run1')!
    expect(back.state).toEqual({ step: 'image', count: 2 })
    expect(back.created_at).toBe('2026-11-20T08:00:00.000Z')
    expect(back.updated_at).toBe('2026-11-20T08:01:00.000Z')
    expect(store(dir).load('nope')).toBeUndefined()
  })

  it('finds the newest active run with the same key, and no longer finds it once finished', () => {
    let t = Date.parse('2026-11-20T08:00:00Z')
    const dir = tempDir('run-state-')
    const s = store(dir, () => t)
    s.create('old', 'k1', { step: 'a', count: 0 })
    t += 1000
    const newer = s.create('new', 'k1', { step: 'b', count: 0 })
    s.create('other', 'k2', { step: 'c', count: 0 })
    expect(s.findActive('k1')?.run_id).toBe('new')
    expect(s.findActive('k3')).toBeUndefined()
    t += 1000
    s.finish(newer, 'stopped', 'ImageUnAvailable')
    expect(s.findActive('k1')?.run_id).toBe('old')
    const ended = s.load('new')!
    expect(ended.status).toBe('stopped')
    expect(ended.ended_because).toBe('ImageUnAvailable')
    expect(s.active().map((r) => r.run_id).sort()).toEqual(['old', 'other'])
  })

  it('never skips a broken file silently: scan() reports it with its text, load() by id throws', () => {
    const dir = tempDir('run-state-')
    const s = store(dir)
    s.create('good', 'k1', { step: 'a', count: 1 })
    const broken = '{"format": "aliyun-harness-run", "vers'
    writeFileSync(join(s.dir, 'broken.json'), broken)
    writeFileSync(join(s.dir, 'empty.json'), '')
    expect(s.findActive('k1')?.run_id).toBe('good')
    const { active, damaged } = s.scan()
    expect(active.map((r) => r.run_id)).toEqual(['good'])
    expect(damaged.map((d) => [d.run_id, d.text]).sort()).toEqual([
      ['broken', broken],
      ['empty', ''],
    ])
    expect(damaged.every((d) => /cannot be read/.test(d.why) && d.file.startsWith(s.dir))).toBe(true)
    expect(() => s.load('broken')).toThrow(RunStateError)
    expect(() => s.load('broken')).toThrow(/cannot be read/)
  })

  it('keeps live and replayed runs apart: each origin sees only its own runs', () => {
    const dir = tempDir('run-state-')
    const replayed = new RunStore<State>(dir, 'demo-skill', State, { redactor: new Redactor({}), origin: 'replay' })
    replayed.create('fromreplay', 'k1', { step: 'a', count: 1 })
    const live = store(dir)
    expect(JSON.parse(readFileSync(live.path('fromreplay'), 'utf8')).origin).toBe('replay')
    expect(live.findActive('k1')).toBeUndefined()
    expect(live.scan().damaged).toEqual([])
    expect(() => live.load('fromreplay')).toThrow(/written by a replay run; a live run never continues it/)
    expect(replayed.load('fromreplay')?.state.count).toBe(1)
  })

  it('scrubs what it writes: a secret in a source instance’s description never reaches the file', () => {
    const dir = tempDir('run-state-')
    const secret = 'Zx9Q3kLmN8pR2sT5vW7yA1bC4dE6fG0h'
    const s = new RunStore<State>(dir, 'demo-skill', State, { redactor: new Redactor({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret }) })
    s.create('r1', 'k1', { step: `desc has key ${secret} and LTAI5tAbCdEfGhIjKlMnOpQr`, count: 1 })
    const text = readFileSync(s.path('r1'), 'utf8')
    expect(text).not.toContain(secret)
    expect(text).not.toContain('LTAI5tAbCdEfGhIjKlMnOpQr')
    expect(s.load('r1')?.state.step).toBe('desc has key *** and LTAI***')
  })

  it('refuses a state that does not match the schema, another skill’s file, or an unknown status', () => {
    const dir = tempDir('run-state-')
    const s = store(dir)
    const r = s.create('r1', 'k1', { step: 'a', count: 1 })
    const file = s.path('r1')
    writeFileSync(file, JSON.stringify({ ...r, state: { step: 'a', count: 'one' } }))
    expect(() => s.load('r1')).toThrow(/not valid at state.count/)
    writeFileSync(file, JSON.stringify({ ...r, skill: 'ecs-review' }))
    expect(() => s.load('r1')).toThrow(/is not a demo-skill run state file/)
    writeFileSync(file, JSON.stringify({ ...r, status: 'paused' }))
    expect(() => s.load('r1')).toThrow(/unknown status 'paused'/)
    const err = (() => {
      try {
        s.load('r1')
      } catch (e) {
        return e as RunStateError
      }
    })()
    expect(err?.code).toBe('RunStateUnreadable')
  })

  it('never lets a run id leave the runs directory, and never overwrites a run on create', () => {
    const s = store()
    for (const bad of ['../evil', 'a/b', '', '.hidden', 'x'.repeat(65)]) {
      expect(isValidRunId(bad)).toBe(false)
      expect(() => s.path(bad)).toThrow(RunStateError)
    }
    s.create('r1', 'k', { step: 'a', count: 0 })
    expect(() => s.create('r1', 'k', { step: 'b', count: 0 })).toThrow(/already exists/)
    expect(s.load('r1')!.state.step).toBe('a')
  })

  it('writes through a temporary file: a failed write leaves the previous state intact and no temporary file', () => {
    const dir = tempDir('run-state-')
    const s = store(dir)
    const r = s.create('r1', 'k', { step: 'a', count: 1 })
    // A directory where the temporary file would go makes the write fail half way.
    mkdirSync(`${s.path('r1')}.${process.pid}.tmp`)
    r.state.count = 2
    expect(() => s.save(r)).toThrow(/could not be written/)
    expect(store(dir).load('r1')!.state.count).toBe(1)
    const s2 = store(dir)
    const r2 = s2.create('r2', 'k', { step: 'a', count: 1 })
    r2.state.count = 5
    s2.save(r2)
    expect(readdirSync(s2.dir).filter((f) => f.endsWith('.tmp') && f.startsWith('r2'))).toEqual([])
    expect(existsSync(s2.path('r2'))).toBe(true)
    expect(s2.load('r2')!.state.count).toBe(5)
  })
})

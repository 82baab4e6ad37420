import { describe, expect, it } from 'vitest'
import { auditTranscript } from '../lib/audit.js'
import { cliKey, entryStdout, Replayer, storeStdout, TranscriptSchema } from '../lib/transcript.js'
import { builder, transcript } from './support/cli-facts.js'
import { probePolicy } from './support/probe.js'

// A probe whose user agent carries a session id, as ecs-dr's does: the matcher normalises it.
const b = builder(probePolicy({ session_id_in_user_agent: true }))
const poll = (status: string, progress: string) =>
  b.api(['ecs', 'describe-images', '--biz-region-id', 'cn-beijing', '--image-id', 'm-1'], { Images: { Image: [{ ImageId: 'm-1', Status: status, Progress: progress }] } })

describe('Replayer', () => {
  it('serves repeats of one key in recorded order, so polling replays naturally', () => {
    const r = new Replayer(transcript('probe', 'poll', [poll('Creating', '40%'), b.version(), poll('Available', '100%')]))
    const argv = [...poll('x', 'y').argv]
    const first = r.matchCli(argv)
    const second = r.matchCli(argv)
    expect('entry' in first && JSON.parse(entryStdout(first.entry)).Images.Image[0].Progress).toBe('40%')
    expect('entry' in second && JSON.parse(entryStdout(second.entry)).Images.Image[0].Progress).toBe('100%')
    expect(r.unused().map((u) => u.index)).toEqual([1])
  })

  it('matches flag groups in any order and normalises the session id in the user agent', () => {
    const r = new Replayer(transcript('probe', 'x', [poll('Available', '100%')]))
    const reordered = ['ecs', 'describe-images', '--image-id', 'm-1', '--user-agent', `${b.policy.user_agent}/${'f'.repeat(32)}`, '--biz-region-id', 'cn-beijing']
    expect('entry' in r.matchCli(reordered)).toBe(true)
  })

  it('ignores --profile, which says where a call runs and not what it asks', () => {
    expect(cliKey(['configure', 'list', '--profile', 'prod'])).toEqual(cliKey(['configure', 'list']))
  })

  it('says "already used" when the call was recorded but every recording is consumed', () => {
    const r = new Replayer(transcript('probe', 'x', [b.version()]))
    r.matchCli(['version'])
    const miss = r.matchCli(['version'])
    expect(miss).toMatchObject({ kind: 'already-used' })
    expect('message' in miss && miss.message).toMatch(/recorded 1 time\(s\), and every recording of it is already used/)
  })

  it('says "never recorded" with a diff against the closest entries', () => {
    const r = new Replayer(transcript('probe', 'x', [poll('Available', '100%')]))
    const miss = r.matchCli(['ecs', 'describe-images', '--biz-region-id', 'cn-shanghai', '--image-id', 'm-1', '--user-agent', b.userAgent])
    expect(miss).toMatchObject({ kind: 'never-recorded' })
    const message = 'message' in miss ? miss.message : ''
    expect(message).toMatch(/Closest recorded calls:/)
    expect(message).toMatch(/--biz-region-id: sent "cn-shanghai", recorded "cn-beijing"/)
    expect(message).toMatch(/#0 \(unused\)/)
  })

  it('reports an extra flag as sent but not recorded', () => {
    const r = new Replayer(transcript('probe', 'x', [b.version()]))
    const miss = r.matchCli(['version', '--read-timeout', '60'])
    expect('message' in miss && miss.message).toMatch(/--read-timeout: sent but not recorded/)
  })

  it('serves generated values in order', () => {
    const r = new Replayer(transcript('eas-deploy', 'x', [], { generated: { suffix: ['111111', '222222'] } }))
    expect([r.generated('suffix'), r.generated('suffix'), r.generated('suffix')]).toEqual(['111111', '222222', undefined])
  })
})

describe('format', () => {
  it('stores JSON stdout as stdout_json only when it round-trips byte for byte', () => {
    expect(storeStdout('{\n  "a": 1\n}\n')).toEqual({ stdout_json: { a: 1 } })
    // The built-in engine prints tab-indented JSON: kept as raw text so replays are exact.
    expect(storeStdout('{\n\t"a": 1\n}\n')).toEqual({ stdout: '{\n\t"a": 1\n}\n' })
    expect(storeStdout('3.4.11\n')).toEqual({ stdout: '3.4.11\n' })
  })

  it('rejects unknown fields so typos in hand-edited transcripts fail loudly', () => {
    const t = { ...transcript('probe', 'x', []), entries: [{ ...b.version(), exitcode: 0 }] }
    expect(TranscriptSchema.safeParse(t).success).toBe(false)
  })
})

describe('fault injection', () => {
  it('a "hang" entry is a test aid the audit refuses in a recording', () => {
    const t = transcript('probe', 'held', [b.version(), { ...poll('Creating', '12%'), hang: true }])
    expect(TranscriptSchema.parse(t).entries[1]).toMatchObject({ hang: true })
    expect(auditTranscript(t, b.policy).filter((v) => v.rule === 'fault-injection')).toEqual([
      { entry: 1, rule: 'fault-injection', message: expect.stringContaining('aliyun ecs describe-images is marked "hang"') },
    ])
  })
})

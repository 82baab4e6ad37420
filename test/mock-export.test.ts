// A transcript as the aliyun CLI's own mock file (lib/mock-export.ts). The matcher is pinned to the
// CLI's (aliyun-cli sysconfig/mock/matcher.go as /work/scratch/facts/safety-policy-and-mock.md §B.2
// reads it, with its examples); the export is read back as the CLI reads it (§B.1: a bare array,
// exactly the six keys) and served the way the CLI serves it (§B.3: first match, times consumed).

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { api } from '../lib/command.js'
import { exportMock, matchMockCommand, mockRule, simulate, type MockRecord } from '../lib/mock-export.js'
import { packageRoot } from '../lib/paths.js'
import { loadTranscript, type CliEntry } from '../lib/transcript.js'
import { builder, transcript } from './support/cli-facts.js'
import { runBin, tempDir, writeTranscript } from './support/run.js'

const KEYS = ['name', 'cmd', 'exit_code', 'stdout', 'stderr', 'times']

/** What the CLI's strict loader requires of each record (types.go UnmarshalJSON, store.go validateRecord). */
function readBack(text: string): MockRecord[] {
  const records = JSON.parse(text) as unknown
  expect(Array.isArray(records)).toBe(true)
  for (const r of records as Record<string, unknown>[]) {
    expect(Object.keys(r).sort()).toEqual([...KEYS].sort())
    expect(typeof r.name === 'string' && r.name !== '').toBe(true)
    expect(typeof r.cmd === 'string' && r.cmd !== '').toBe(true)
    expect(Number.isInteger(r.exit_code) && Number.isInteger(r.times) && (r.times as number) >= 0).toBe(true)
    expect(typeof r.stdout).toBe('string')
    expect(typeof r.stderr).toBe('string')
  }
  return records as MockRecord[]
}

/** Serves argv the way the interceptor does: the first matching record answers; times 1 is used up. */
function serve(records: MockRecord[], argv: string[]): MockRecord | undefined {
  const at = records.findIndex((r) => matchMockCommand(r.cmd, argv))
  if (at < 0) return undefined
  const hit = records[at]
  if (hit.times > 0 && --hit.times === 0) records.splice(at, 1)
  return hit
}

describe('the CLI\'s matcher (facts §B.2)', () => {
  it.each([
    ['ecs DescribeRegions', 'ecs DescribeRegions', true],
    ['ecs DescribeRegions', 'ecs DescribeRegions --RegionId cn-hangzhou', false],
    ['ecs DescribeRegions *', 'ecs DescribeRegions --RegionId cn-hangzhou', true],
    ['ecs DescribeRegions --RegionId cn-?', '--profile p ecs DescribeRegions --PageSize 10 --RegionId cn-hangzhou', true],
    ['ecs Describe* --RegionId cn-*', 'ecs DescribeInstances --RegionId=cn-hangzhou', false],
    ['aliyun ecs *', 'ecs DescribeRegions', false],
    ['ECS DescribeRegions', 'ecs DescribeRegions', false],
    ['fc invoke --x 1', 'fc invoke my-fn --x 1', false],
    ['fc invoke * --x 1', 'fc invoke my-fn --x 1', true],
    ['--region cn-? --foo bar', '--region bar --foo cn-a', false],
    ['ecs *', 'ecs', true],
    ['a?b', 'ab', false],
    ['a?b', 'axxb', true],
    ['ecs X --first -a', 'ecs X --first -a', true],
  ])('%s | %s → %s', (rule, argv, expected) => {
    expect(matchMockCommand(rule, argv.split(' '))).toBe(expected)
  })

  it('strips leading global flags from the argv, never from the rule', () => {
    for (const lead of [['--profile', 'default', '--insecure'], ['--profile=default'], ['--profile:default'], ['-p', 'default'], ['-q'], ['--']])
      expect(matchMockCommand('ecs DescribeRegions', [...lead, 'ecs', 'DescribeRegions']), lead.join(' ')).toBe(true)
  })

  it('lets * run across spaces but not newlines, and ? stand for one or more non-space characters', () => {
    expect(matchMockCommand('x --body {"a":*}', ['x', '--body', '{"a": "b c"}'])).toBe(true)
    expect(matchMockCommand('x --body {"a":*}', ['x', '--body', '{"a":\n1}'])).toBe(false)
    expect(matchMockCommand('x --n ?', ['x', '--n', 'a b'])).toBe(false)
  })
})

describe('the rule for one recorded call', () => {
  const dr = builder('ecs-dr')
  it('keeps --x=v one token, leaves --profile out, and globs the session id and generated values', () => {
    const argv = [...api('ecs', 'run-instances', { 'image-id': 'm-1', 'client-token': 'dr-4c1e9a7b2d30-instance-2405b6c916f9ff45' }), '--description=System image', '--profile', 'prod', '--user-agent', dr.userAgent]
    const rule = mockRule(argv, ['4c1e9a7b2d30'])!
    expect(rule).toBe('ecs run-instances --image-id m-1 --client-token dr-*-instance-2405b6c916f9ff45 --description=System*image --user-agent AlibabaCloud-Agent-Skills/alibabacloud-ecs-disaster-recovery-image/*')
    expect(matchMockCommand(rule, argv)).toBe(true)
    const nextRun = argv.map((t) => t.replace('4c1e9a7b2d30', '99aa88bb77cc').replace(/\/[0-9a-f]{32}$/, `/${'e'.repeat(32)}`))
    expect(matchMockCommand(rule, nextRun)).toBe(true)
    expect(matchMockCommand(rule, argv.map((t) => (t === 'm-1' ? 'm-2' : t)))).toBe(false)
  })

  it('writes a lone * token as ? (a lone * would be a star group) and leaves out flag values with newlines', () => {
    expect(mockRule(['x', 'y', '--pattern', '*', '--body', 'a\nb', '--n', '1'])).toBe('x y --pattern ? --body --n 1')
    expect(mockRule(['x', 'bad\nword'])).toBeUndefined()
  })
})

describe('export-mock read back', () => {
  const root = join(packageRoot(), 'recordings')
  const files = readdirSync(root).flatMap((skill) => readdirSync(join(root, skill)).map((f) => `${skill}/${f}`))

  it.each(files)('%s: every call is answered by its own record, in order, and anything else by the catch-all', (file) => {
    const t = loadTranscript(join(root, file))
    const { records, notes } = exportMock(t, file)
    const live = readBack(JSON.stringify(records, null, 2))
    expect(notes.filter((n) => !/SDK call\(s\) left out/.test(n))).toEqual([])
    t.entries.forEach((e, i) => {
      if (e.kind !== 'cli') return
      const hit = serve(live, e.argv)
      expect(hit?.name.split(' ')[0], `#${i} aliyun ${e.argv.join(' ')}`).toBe(`#${i}`)
      expect([hit!.exit_code, hit!.stdout, hit!.stderr]).toEqual([e.exit_code, e.stdout_json === undefined ? (e.stdout ?? '') : JSON.stringify(e.stdout_json, null, 2) + '\n', e.stderr])
    })
    expect(live).toHaveLength(1)
    expect(serve(live, ['ecs', 'describe-regions'])).toMatchObject({ name: 'not-in-the-recording', exit_code: 99, stderr: expect.stringMatching(/^aliyun-harness replay: this call is not in the recording/) })
  })

  it('says so when two calls would be answered out of order', () => {
    const b = builder('ecs-review')
    const first = b.api(api('ecs', 'describe-instances'), { n: 1 })
    const records: MockRecord[] = [
      { name: '#0 ecs describe-instances', cmd: 'ecs describe-instances *', exit_code: 0, stdout: '', stderr: '', times: 0 },
      { name: '#1 ecs describe-instances', cmd: 'ecs describe-instances', exit_code: 0, stdout: '', stderr: '', times: 1 },
    ]
    expect(simulate(records, [{ index: 0, argv: first.argv }, { index: 1, argv: first.argv }])).toEqual([`#1 aliyun ${first.argv.join(' ')} would be answered by record #0 ecs describe-instances`])
  })

  it('writes the file with --output, the CLI\'s own layout, and lists what it left out', async () => {
    const dir = tempDir()
    const ack = builder('ack-profile')
    const sdk = ack.sdk({ product: 'sysom', action: 'CreateClusterVpcEndpointConnection', request: { method: 'POST', path: '/x' }, response: { status: 200, body: {} } })
    const file = writeTranscript(transcript('ack-profile', 's', [ack.version(), sdk, ack.api(['sts', 'get-caller-identity'], { AccountId: '1' }) as CliEntry]), dir)
    const out = join(dir, 'mocks.json')
    const res = await runBin(['export-mock', file, '--output', out], { dir })
    expect(res.code).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + '\n')
    expect(readBack(text).map((r) => [r.name, r.cmd, r.times])).toEqual([
      ['#0 version', 'version', 1],
      ['#2 sts get-caller-identity', `sts get-caller-identity --user-agent ${ack.userAgent}`, 1],
      ['not-in-the-recording', '*', 0],
    ])
    expect(res.stderr).toMatch(/1 SDK call\(s\) left out: the CLI's mock answers aliyun commands only\./)
    expect(res.stderr).toMatch(/2 record\(s\) and a catch-all written to /)
    const toStdout = await runBin(['export-mock', file], { dir })
    expect(toStdout.stdout).toBe(text)
  })

  it('answers --help, and refuses bad usage with exit 2', async () => {
    expect((await runBin(['export-mock', '--help'])).stdout).toMatch(/^aliyun-harness export-mock — /)
    const dir = tempDir()
    for (const args of [['export-mock'], ['export-mock', join(dir, 'missing.json')], ['export-mock', writeTranscript(transcript('ecs-dr', 's', []), dir), '--output', dir]]) {
      const res = await runBin(args, { dir })
      expect(res.code, args.join(' ')).toBe(2)
    }
  })
})

// Bad input as users type it, process-level: exit 2 (flink: its envelope, exit 1), a message that
// says what to fix, no CLI call, no stack trace — for skills under a fake aliyun, for in-process
// --replay (usage errors come first, never "TranscriptNotFullyUsed"), and for the tools.

import { mkdirSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../lib/paths.js'
import { replaySkill } from './support/replay.js'
import { calls, replayBin, runBin, tempDir, type RunResult } from './support/run.js'

const NO_STACK = /^\s+at .+:\d+:\d+\)?$/m
const LONG = 'a'.repeat(5000)
const recording = (skill: string, name: string) => join(packageRoot(), 'recordings', skill, `${name}.json`)
const EAS = ['eas-deploy', '--region', 'cn-hangzhou', '--service-name', 'qwen_chat', '--instance-type', 'ecs.gn7i-c16g1.4xlarge']

function refused(res: RunResult, code: number, message: RegExp) {
  expect(res.code, res.stdout + res.stderr).toBe(code)
  expect(res.json?.error?.message ?? res.stderr).toMatch(message)
  expect(res.stdout + res.stderr).not.toMatch(NO_STACK)
  expect(calls(res)).toEqual([])
}

describe('skill values are checked before anything runs, with the same rules everywhere', () => {
  it.each([
    ['a 5000-character instance id', ['ecs-dr', '--region', 'cn-hangzhou', '--instance-id', `i-${LONG}`], 'happy-path', /--instance-id 'i-a+…' is 5002 characters long; at most 256 are accepted/],
    ['an empty --profile', ['ecs-dr', '--region', 'cn-hangzhou', '--instance-id', 'i-bp1abc', '--profile', ''], 'happy-path', /--profile needs a value/],
    ['a list with an empty item', ['ecs-review', '--region', 'cn-hangzhou,,cn-shanghai'], 'healthy-fleet', /--region has an empty item/],
    ['a repeated single-valued flag', ['ecs-dr', '--region', 'cn-hangzhou', '--region', 'cn-beijing', '--instance-id', 'i-bp1abc'], 'happy-path', /--region was given more than once; pass it once/],
    ['a CLI timeout of zero', ['ecs-review', '--region', 'cn-hangzhou', '--cli-timeout', '0'], 'healthy-fleet', /--cli-timeout must be more than 0/],
    ['a CLI timeout that is not a number', ['ecs-review', '--region', 'cn-hangzhou', '--cli-timeout', '2m'], 'healthy-fleet', /--cli-timeout must be a number of seconds/],
    ['--format csv without a file', ['ecs-review', '--region', 'cn-hangzhou', '--format', 'csv'], 'healthy-fleet', /--format csv writes the instance inventory to a file: add --output <file>\.csv/],
  ])('%s: exit 2 and no CLI call', async (_what, args, scenario, message) => {
    const skill = args[0]
    refused(await replaySkill(recording(skill, scenario), args), 2, message)
  })

  it('as a process too: the bin exits 2 with the message on a bad value, and runs nothing', async () => {
    refused(await replayBin(recording('ecs-dr', 'happy-path'), ['ecs-dr', '--region', 'cn-hangzhou', '--region', 'cn-beijing', '--instance-id', 'i-bp1abc'], { allowUnused: true }), 2, /--region was given more than once/)
  })

  it('a 5000-character Flink name: the envelope (exit 1), no CLI call', async () => {
    const res = await replaySkill(recording('flink', 'create'), ['flink', 'create', '--region_id', 'cn-beijing', '--name', LONG, '--instance_type', 'PayAsYouGo', '--vpc_id', 'vpc-a1', '--vswitch_id', 'vsw-b1', '--confirm'])
    refused(res, 1, /--name 'a+…' is 5000 characters long/)
    expect(res.json).toMatchObject({ success: false, operation: 'create', error: { code: 'ValueError' } })
  })

  it.each([
    ['a command substitution', 'eas-registry.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:0.8.5$(id)'],
    ['a command separator', 'eas-registry.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:0.8.5;rm -rf /'],
    ['a backtick', 'eas-registry.cn-hangzhou.cr.aliyuncs.com/pai-eas/`id`'],
  ])('an image URI with %s is refused before eas-deploy enables ai-mode', async (_what, image) => {
    const res = await replaySkill(recording('eas-deploy', 'shared-vllm'), [...EAS, '--image', image])
    refused(res, 2, /--image must be an image reference/)
  })
})

describe('--replay: usage and input errors come first', () => {
  it('flink without --region_id says MissingParameter, not TranscriptNotFullyUsed', async () => {
    const res = await runBin(['flink', 'describe', '--replay', recording('flink', 'describe')])
    expect(res.code).toBe(1)
    expect(res.json.error).toEqual({ code: 'MissingParameter', message: 'the following arguments are required: --region_id' })
    expect(res.json.steps).toEqual([])
  })

  it('an --output whose parent is a file says so, not TranscriptNotFullyUsed', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'notes.txt'), 'a file')
    const res = await runBin(['ecs-review', '--region', 'cn-hangzhou', '--output', join(dir, 'notes.txt', 'review.md'), '--replay', recording('ecs-review', 'healthy-fleet')], { dir })
    expect(res.code).toBe(2)
    expect(res.json.error).toEqual({ code: 'InvalidOutputPath', message: `--output ${join(dir, 'notes.txt', 'review.md')}: ${join(dir, 'notes.txt')} is a file, not a directory.` })
    expect(res.json.steps).toEqual([])
  })

  it('a transcript recorded for another skill is refused, naming both skills', async () => {
    const res = await runBin(['ecs-review', '--region', 'cn-hangzhou', '--replay', recording('ecs-dr', 'happy-path')])
    expect(res.code).toBe(2)
    expect(res.json.error.code).toBe('TranscriptSkillMismatch')
    expect(res.json.error.message).toMatch(/was recorded for the ecs-dr skill, not ecs-review/)
  })
})

describe('the tools', () => {
  it('replay of a command that does not exist: exit 127 and why, no stack trace', async () => {
    const res = await runBin(['replay', recording('ecs-dr', 'happy-path'), '--', '/no/such/command', 'arg'])
    expect(res.code).toBe(127)
    expect(res.stderr).toBe("aliyun-harness replay: cannot run /no/such/command: '/no/such/command' does not exist.\n")
    const onPath = await runBin(['replay', recording('ecs-dr', 'happy-path'), '--', 'no-such-command-anywhere'])
    expect(onPath.code).toBe(127)
    expect(onPath.stderr).toMatch(/^aliyun-harness replay: cannot run no-such-command-anywhere: 'no-such-command-anywhere' was not found on PATH/)
  })

  it('replay of a file that cannot be executed: exit 126', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'notes.sh'), 'echo hi\n')
    const res = await runBin(['replay', recording('ecs-dr', 'happy-path'), '--', join(dir, 'notes.sh')], { dir })
    expect(res.code).toBe(126)
    expect(res.stderr).toMatch(/is not executable \(no execute permission\)/)
  })

  it('record with no real aliyun says so (exit 127) and writes no transcript', async () => {
    const dir = tempDir()
    const out = join(dir, 'run.json')
    const res = await runBin(['record', out, '--skill', 'ecs-dr', '--', 'aliyun', 'version'], { dir, env: { ALIYUN_CLI: '', PATH: '/usr/bin:/bin' } })
    expect(res.code).toBe(127)
    expect(res.stderr).toBe("aliyun-harness record: there is no aliyun CLI to record: 'aliyun' is not on PATH. Install the aliyun CLI, or set ALIYUN_CLI to its path.\n")
    expect(existsSync(out)).toBe(false)
    const missing = await runBin(['record', out, '--', 'aliyun', 'version'], { dir, env: { ALIYUN_CLI: join(dir, 'aliyun') } })
    expect(missing.code).toBe(127)
    expect(missing.stderr).toMatch(/there is no aliyun CLI to record: '.*\/aliyun' does not exist/)
  })

  it('record --skill of an unknown skill is refused like audit --skill', async () => {
    const dir = tempDir()
    const record = await runBin(['record', join(dir, 'run.json'), '--skill', 'ecs-dx', '--', 'true'], { dir })
    const audit = await runBin(['audit', recording('ecs-dr', 'happy-path'), '--skill', 'ecs-dx'], { dir })
    for (const [res, tool] of [[record, 'record'], [audit, 'audit']] as const) {
      expect(res.code).toBe(2)
      expect(res.stderr).toBe(`aliyun-harness ${tool}: unknown skill 'ecs-dx'. Did you mean ecs-dr? Skills: flink, ecs-review, ack-profile, eas-deploy, ecs-dr.\n`)
    }
    expect(existsSync(join(dir, 'run.json'))).toBe(false)
  })

  it.each([
    ['a missing file', () => '/nonexistent/t.json', /cannot read transcript \/nonexistent\/t\.json: no such file/],
    ['an empty file', (dir: string) => (writeFileSync(join(dir, 'e.json'), ''), join(dir, 'e.json')), /transcript .*e\.json is empty/],
    ['a file that is not JSON', (dir: string) => (writeFileSync(join(dir, 'n.json'), 'hello'), join(dir, 'n.json')), /transcript .*n\.json is not JSON/],
    ['JSON that is no transcript', (dir: string) => (writeFileSync(join(dir, 'o.json'), '{"a":1}'), join(dir, 'o.json')), /o\.json is not an aliyun-harness transcript/],
    ['a directory', (dir: string) => (mkdirSync(join(dir, 'd')), join(dir, 'd')), /it is a directory/],
  ])('audit of %s: exit 2, nothing audited', async (_what, make, message) => {
    const dir = tempDir()
    const res = await runBin(['audit', recording('ecs-dr', 'happy-path'), make(dir)], { dir })
    expect(res.code).toBe(2)
    expect(res.stdout).toBe('')
    expect(res.stderr).toMatch(message)
    expect(res.stderr).not.toMatch(NO_STACK)
  })
})

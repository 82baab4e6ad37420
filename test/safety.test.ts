// The safety contract, run the way users run the harness — the real bin with the fake `aliyun` on
// PATH where only a process shows it (paths, state directories, signals), in-process replays
// (`--replay`) for the rest: paths checked before anything runs, replay state kept apart from live
// runs, damaged run state never a second paid image, interrupts that stop SDK calls too, lock
// takeovers, ai-mode left on and a transcript that could not be saved reported as warnings — never
// lost, never a silent failure.

import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { entryStdout, type CliEntry, type Transcript } from '../lib/transcript.js'
import * as ack from './recordings/ack-profile.js'
import * as eas from './recordings/eas-deploy.js'
import * as flink from './recordings/flink.js'
import * as dr from './recordings/ecs-dr.js'
import { scenarios as review } from './recordings/ecs-review.js'
import { transcript } from './support/cli-facts.js'
import { replaySkill } from './support/replay.js'
import { calls, interruptWhenHeld, replayBin, runBin, tempDir, writeTranscript } from './support/run.js'

const none = (skill: string) => transcript(skill, 'nothing may run', [])

describe('--record: the path is checked before the first CLI call', () => {
  it.each([
    ['a /proc entry', '/proc/self/harness-transcript.json', /--record \/proc\/self\/harness-transcript\.json: cannot be written/],
    ['a path under a file', 'FILE/t.json', /is a file, not a directory/],
    ['a directory', 'DIR', /is a directory; name a file/],
  ])('%s: exit 2, a clear message, nothing run, no stack trace', async (_name, target, message) => {
    const dir = tempDir()
    writeFileSync(join(dir, 'FILE'), 'x')
    mkdirSync(join(dir, 'DIR'))
    const path = target.startsWith('/') ? target : join(dir, target)
    const res = await replayBin(dr.scenarios['happy-path'], [...dr.HAPPY_ARGS, '--record', path], { dir, allowUnused: true })
    expect(res.code).toBe(2)
    expect(res.json).toMatchObject({ status: 'failed', error: { code: 'InvalidOutputPath', message: expect.stringMatching(message) } })
    expect(calls(res)).toEqual([])
    expect(res.stderr).not.toMatch(/internal error|\n\s+at /)
  })

  it('the record tool refuses an unwritable path before running its command', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'FILE'), 'x')
    const marker = join(dir, 'ran')
    const res = await runBin(['record', join(dir, 'FILE', 't.json'), '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`], { dir })
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/is a file, not a directory/)
    expect(existsSync(marker)).toBe(false)
  })
})

describe('replays keep their own state', () => {
  it('a replay (in process, or under `aliyun-harness replay`) writes nothing into the real state directory', async () => {
    const dir = tempDir()
    const file = writeTranscript(dr.scenarios['decision-target-zone'], dir)
    const inProcess = await runBin([...dr.ARGS['decision-target-zone'], '--replay', file], { dir })
    expect(inProcess.code).toBe(3)
    const viaTool = await runBin(['replay', file, '--', 'aliyun-harness', ...dr.ARGS['decision-target-zone']], { dir })
    expect(viaTool.code).toBe(3)
    // cleanEnv points ALIYUN_HARNESS_STATE_DIR at <dir>/state: a live run's state would be there.
    expect(existsSync(join(dir, 'state', 'runs'))).toBe(false)
  })

  it('a live run never continues a run a replay wrote', async () => {
    const dir = tempDir()
    const first = await replaySkill(dr.scenarios['decision-target-zone'], dr.ARGS['decision-target-zone'], { dir })
    const runId = first.json.data.run_id
    // Move the replayed run where a live run looks, as if replay state had leaked.
    const live = join(dir, 'live-state')
    mkdirSync(join(live, 'runs', 'ecs-dr'), { recursive: true })
    writeFileSync(join(live, 'runs', 'ecs-dr', `${runId}.json`), readFileSync(join(dir, 'state', 'runs', 'ecs-dr', `${runId}.json`)))
    const res = await runBin([...dr.BASE_ARGS, '--resume', runId, '--json'], { dir, env: { ALIYUN_HARNESS_STATE_DIR: live } })
    expect(res.code).toBe(1)
    expect(res.json.error).toMatchObject({ code: 'RunStateUnreadable', message: expect.stringContaining('was written by a replay run; a live run never continues it') })
  })
})

describe('damaged or unfinished run state is never a second paid image', () => {
  function withState(dir: string, name: string, content: string) {
    const runs = join(dir, 'state', 'runs', 'ecs-dr')
    mkdirSync(runs, { recursive: true })
    writeFileSync(join(runs, name), content)
  }

  it.each([
    ['truncated JSON of this instance', `{"format": "aliyun-harness-run", "version": 1, "skill": "ecs-dr", "run_id": "a1b2c3d4e5f6", "key": "k", "status": "active", "state": {"instance_id": "${dr.SOURCE_ID}", "image": {"id": "m-`],
    ['an empty file (it names no instance)', ''],
    ['the wrong schema', JSON.stringify({ format: 'aliyun-harness-run', version: 1, skill: 'ecs-dr', run_id: 'a1b2c3d4e5f6', key: 'k', status: 'active', state: { instance_id: dr.SOURCE_ID } })],
  ])('%s: the run stops before any CLI call and says how to get out', async (_name, content) => {
    const dir = tempDir()
    withState(dir, 'a1b2c3d4e5f6.json', content)
    const res = await replaySkill(none('ecs-dr'), dr.HAPPY_ARGS, { dir })
    expect(res.code).toBe(1)
    expect(res.json).toMatchObject({ status: 'stopped', error: { code: 'RunStateDamaged' } })
    expect(res.json.error.message).toContain(join(dir, 'state', 'runs', 'ecs-dr', 'a1b2c3d4e5f6.json'))
    expect(res.json.next_action).toMatch(/--resume a1b2c3d4e5f6/)
    expect(res.json.next_action).toMatch(/--new-run/)
    expect(calls(res)).toEqual([])
  })

  it('damaged state of another instance does not stop the run', async () => {
    const dir = tempDir()
    withState(dir, 'a1b2c3d4e5f6.json', '{"state": {"instance_id": "i-someoneelse0001", "region": "cn-hangzhou"')
    const res = await replaySkill(dr.scenarios['happy-path'], dr.HAPPY_ARGS, { dir })
    expect(res.code).toBe(0)
  })

  it('--new-run is the user saying so: the run starts (and creates its image)', async () => {
    const dir = tempDir()
    withState(dir, 'a1b2c3d4e5f6.json', '')
    const res = await replaySkill(dr.scenarios['happy-path'], [...dr.HAPPY_ARGS, '--new-run'], { dir })
    expect(res.code).toBe(0)
    expect(calls(res).filter((c) => c.startsWith('aliyun ecs create-image'))).toHaveLength(1)
  })

  it('an unfinished run of the same instance with other arguments is a decision, never a silent second image', async () => {
    const dir = tempDir()
    const first = await replaySkill(dr.scenarios['decision-target-zone'], dr.ARGS['decision-target-zone'], { dir })
    const runId = first.json.data.run_id
    // The same instance, other arguments (an image name given up front this time).
    const second = await replaySkill(none('ecs-dr'), [...dr.BASE_ARGS, '--image-name', 'another-name'], { dir })
    expect(second.code).toBe(3)
    expect(second.json.input).toMatchObject({ id: 'unfinished-run', flag: '--resume' })
    expect(second.json.input.options[0].argv.slice(-2)).toEqual(['--resume', runId])
    expect(second.json.input.options[0]).toMatchObject({ value: runId, recommended: true })
    expect(second.json.input.options[1].argv).toContain('--new-run')
    expect(calls(second)).toEqual([])
  })
})

describe('interrupts', () => {
  let server: Server | undefined
  afterEach(() => server?.close())

  it('SIGINT during the SDK step stops it at once: exit 130, ai-mode disabled, no diagnosis', async () => {
    let requested: () => void = () => undefined
    const gotRequest = new Promise<void>((r) => (requested = r))
    // A SysOM endpoint that accepts the request and never answers.
    server = createServer(() => requested())
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const t = structuredClone(ack.scenarios['realtime-happy-path'])
    const disable = t.entries.at(-1)!
    t.entries = [...t.entries.slice(0, t.entries.findIndex((e) => e.kind === 'sdk')), disable]
    const started = performance.now()
    const res = await replayBin(t, ack.ARGS['realtime-happy-path'], {
      env: { ALIYUN_HARNESS_SYSOM_ENDPOINT: url },
      onSpawn: (child) => void gotRequest.then(() => child.kill('SIGINT')),
    })
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(res.code).toBe(130)
    expect(res.json).toMatchObject({ status: 'stopped', error: { code: 'Interrupted' } })
    expect(calls(res).at(-1)).toBe('aliyun configure ai-mode disable')
    expect(calls(res).some((c) => c.includes('invoke-diagnosis'))).toBe(false)
  })

  it('eas-deploy interrupted during create-service says the service may exist and how to check', async () => {
    const t = structuredClone(eas.scenarios['shared-vllm'])
    const create = t.entries.find((e): e is CliEntry => e.kind === 'cli' && e.argv[1] === 'create-service')!
    create.hang = true
    const res = await replayBin(t, eas.args['shared-vllm'], { onSpawn: interruptWhenHeld(/eas create-service/, 'SIGTERM') })
    expect(res.code).toBe(143)
    expect(res.json.next_action).toMatch(/may or may not exist: check with `aliyun eas describe-service --region cn-hangzhou --cluster-id cn-hangzhou --service-name qwen_chat` before running again/)
  })
})

describe('warnings instead of lost results', () => {
  it('a stale (empty) ai-mode lock is taken over and the takeover is in the JSON result', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'state'), { recursive: true })
    writeFileSync(join(dir, 'state', 'ai-mode.lock'), '')
    const res = await replaySkill(ack.scenarios['realtime-happy-path'], ack.ARGS['realtime-happy-path'], { dir })
    expect(res.code).toBe(0)
    expect(res.json.warnings).toEqual([expect.objectContaining({ code: 'AiModeLockTakenOver', message: expect.stringContaining('it is empty') })])
  })

  it('a failed ai-mode disable after a successful deployment is a warning, not a failure', async () => {
    const t: Transcript = structuredClone(eas.scenarios['shared-vllm'])
    const disable = t.entries.at(-1) as CliEntry
    expect(disable.argv).toEqual(['configure', 'ai-mode', 'disable'])
    Object.assign(disable, { exit_code: 1, stderr: 'ERROR: load ai-mode config failed: open /root/.aliyun/ai-mode.json: permission denied\n' })
    const res = await replaySkill(t, eas.args['shared-vllm'])
    expect(res.code).toBe(0)
    expect(res.json).toMatchObject({ success: true, status: 'completed', error: null })
    expect(res.json.warnings).toEqual([
      { code: 'AiModeDisableFailed', message: expect.stringContaining('ai-mode could not be disabled'), next_action: 'Run `aliyun configure ai-mode disable` yourself.' },
    ])
  })
})

describe('a transcript that cannot be saved', () => {
  /** A fake `aliyun` answering each call as the recording does; its first call (`version`)
   * removes the directory the transcript is to be saved in, after the path was checked up front. */
  function fakeThatRemoves(dir: string, recording: Transcript, sub: string): { cli: string; calls: number } {
    const answers = Object.fromEntries(
      recording.entries.filter((e): e is CliEntry => e.kind === 'cli').map((e) => [e.argv.join(' '), { stdout: entryStdout(e), stderr: e.stderr, code: e.exit_code }]),
    )
    const cli = join(dir, 'aliyun')
    writeFileSync(
      cli,
      [
        `#!${process.execPath}`,
        `const argv = process.argv.slice(2)`,
        `if (argv[0] === 'version') require('fs').rmSync(${JSON.stringify(sub)}, { recursive: true, force: true })`,
        `const a = ${JSON.stringify(answers)}[argv.join(' ')] ?? { stdout: '', stderr: 'ERROR: not recorded: ' + argv.join(' ') + '\\n', code: 1 }`,
        `process.stdout.write(a.stdout)`,
        `process.stderr.write(a.stderr)`,
        `process.exitCode = a.code`,
      ].join('\n'),
    )
    chmodSync(cli, 0o755)
    return { cli, calls: Object.keys(answers).length }
  }

  const SAVE_FAILED = (target: string) => [{ code: 'TranscriptNotSaved', message: expect.stringContaining(`The transcript could not be written to ${target}`), next_action: expect.any(String) }]

  it('--record whose directory disappears during the run: the full result is printed anyway, exit as the run, with a TranscriptNotSaved warning', async () => {
    const dir = tempDir()
    const sub = join(dir, 'sub')
    mkdirSync(sub)
    const fake = fakeThatRemoves(dir, review['healthy-fleet'], sub)
    const target = join(sub, 't.json')
    const res = await runBin(['ecs-review', '--region', 'cn-hangzhou', '--record', target], { dir, env: { ALIYUN_CLI: fake.cli } })
    expect(res.code, res.stderr).toBe(0)
    expect(res.json).toMatchObject({ success: true, status: 'completed', error: null })
    // The whole result, not a stub: every call the run made, and the review itself.
    expect(res.json.steps).toHaveLength(fake.calls)
    expect(res.json.data).toMatchObject({ regions: ['cn-hangzhou'], coverage: 'complete', images: { custom_images: 1 }, cloud_assistant: { total: 2 } })
    expect(res.json.warnings).toEqual(SAVE_FAILED(target))
    expect(existsSync(target)).toBe(false)
    expect(res.stderr).not.toMatch(/internal error|\n\s+at /)
  })

  it('flink keeps its envelope and adds the same warning after the original fields', async () => {
    const dir = tempDir()
    const sub = join(dir, 'sub')
    mkdirSync(sub)
    const fake = fakeThatRemoves(dir, flink.scenarios.describe, sub)
    const target = join(sub, 't.json')
    const res = await runBin(['flink', 'describe', '--region_id', 'cn-beijing', '--record', target], { dir, env: { ALIYUN_CLI: fake.cli } })
    expect(res.code, res.stderr).toBe(0)
    expect(Object.keys(res.json)).toEqual(['success', 'operation', 'data', 'request_id', 'status', 'warnings', 'steps'])
    expect(res.json.steps).toHaveLength(fake.calls)
    expect(res.json.warnings).toEqual(SAVE_FAILED(target))
  })
})

describe('replay state is thrown away', () => {
  it('the replay tool leaves no state behind unless --state-dir names where to keep it', async () => {
    const dir = tempDir()
    const file = writeTranscript(dr.scenarios['decision-target-zone'], dir)
    const before = new Set(readdirSync(join(dir)))
    await runBin(['replay', file, '--', 'aliyun-harness', ...dr.ARGS['decision-target-zone']], { dir })
    expect(new Set(readdirSync(dir))).toEqual(before)
  })
})

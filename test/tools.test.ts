// The transcript tools as users run them: `aliyun-harness replay|record|audit` as processes, with
// the fake `aliyun` on PATH serving any command (here the CLI itself, as an agent would call it).

import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builder, configureListText, transcript } from './support/cli-facts.js'
import { packageRoot } from '../lib/paths.js'
import { runBin, tempDir, writeTranscript } from './support/run.js'

const b = builder('ecs-dr')
const region = 'cn-beijing'
const describeRegions = ['ecs', 'describe-regions']

describe('replay', () => {
  it('serves any command that calls aliyun from PATH, and reports what it served', async () => {
    const dir = tempDir()
    const file = writeTranscript(transcript('ecs-dr', 'version', [b.version('3.4.11')]), dir)
    const res = await runBin(['replay', file, '--report', join(dir, 'r.json'), '--', 'aliyun', 'version'], { dir })
    expect(res.stdout).toBe('3.4.11\n')
    expect(res.code).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'))
    expect(report.calls).toEqual([{ kind: 'cli', call: 'aliyun version', entry: 0 }])
  })

  it('answers a call with a recorded delay at once: an hour of replay time is never waited for', async () => {
    const dir = tempDir()
    const file = writeTranscript(transcript('ecs-dr', 'slow', [{ ...b.version('3.4.11'), delay_ms: 3_600_000 }]), dir)
    const res = await runBin(['replay', file, '--', 'aliyun', 'version'], { dir })
    expect(res.code).toBe(0)
    expect(res.stdout).toBe('3.4.11\n')
  })

  it('passes the recorded exit code and stderr through', async () => {
    const dir = tempDir()
    const argv = [...describeRegions, '--biz-region-id', region]
    const file = writeTranscript(transcript('ecs-dr', 'err', [b.apiError(argv, { code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.' })]), dir)
    const res = await runBin(['replay', file, '--', 'aliyun', ...argv, '--user-agent', b.userAgent], { dir })
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^ERROR: SDK\.ServerError\nErrorCode: Forbidden\.RAM/)
  })

  it('fails an unmatched call with a diff and never falls through to a real CLI', async () => {
    const dir = tempDir()
    const file = writeTranscript(transcript('ecs-dr', 'x', [b.version()]), dir)
    const res = await runBin(['replay', file, '--', 'sh', '-c', 'aliyun version --read-timeout 60; aliyun version'], { dir })
    expect(res.code).toBe(98)
    expect(res.stderr).toMatch(/aliyun version --read-timeout 60\n\s*was never recorded/)
    expect(res.stderr).toMatch(/--read-timeout: sent but not recorded/)
  })

  it('fails when recorded calls were never made', async () => {
    const dir = tempDir()
    const file = writeTranscript(transcript('ecs-dr', 'x', [b.version(), b.configureList()]), dir)
    const res = await runBin(['replay', file, '--', 'aliyun', 'version'], { dir })
    expect(res.code).toBe(98)
    expect(res.stderr).toMatch(/1 recorded call\(s\) never made:\n\s*#1 aliyun configure list/)
    const lenient = await runBin(['replay', file, '--allow-unused', '--', 'aliyun', 'version'], { dir })
    expect(lenient.code).toBe(0)
  })

  it('rejects a transcript that is not one', async () => {
    const dir = tempDir()
    const res = await runBin(['replay', join(dir, 'missing.json'), '--', 'true'], { dir })
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/cannot read transcript/)
  })
})

describe('record', () => {
  it('records every call through a shim, scrubbed, while passing output through', async () => {
    // The "real" CLI here is itself a replay of a transcript whose output carries secrets.
    const dir = tempDir()
    const seeded = 'Q2hlY2tNZVNlY3JldDEyMzQ1Njc4OTA'
    const real = transcript('ecs-dr', 'real', [
      // What the real CLI prints, before any scrubbing: the AccessKey id's last three characters.
      b.system(['configure', 'list'], configureListText([{ name: 'default', current: true, valid: true, region, last3: 'z7q' }])),
      b.system(['configure', 'get'], `{\n\t"access_key_id": "LTAI5tRealLookingKey01",\n\t"access_key_secret": "${seeded}"\n}\n`),
    ])
    const source = writeTranscript(real, dir)
    const out = join(dir, 'recorded.json')
    const res = await runBin(['replay', source, '--', 'aliyun-harness', 'record', out, '--skill', 'ecs-dr', '--', 'sh', '-c', 'aliyun configure list >/dev/null && aliyun configure get >/dev/null'], {
      dir,
      env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: seeded },
    })
    expect(res.code).toBe(0)
    const recorded = readFileSync(out, 'utf8')
    const t = JSON.parse(recorded)
    expect(t.entries.map((e: { argv: string[] }) => e.argv.join(' '))).toEqual(['configure list', 'configure get'])
    expect(recorded).not.toContain(seeded)
    expect(recorded).not.toContain('LTAI5tRealLookingKey01')
    expect(recorded).not.toContain('z7q')
    expect(t.skill).toBe('ecs-dr')
    // Marked as a real run's recording, so recordings/ accepts it without a builder.
    expect(t.origin).toBe('recorded')
  })

  it('refuses a --skill that is not the skill the command runs, naming both, before anything runs', async () => {
    const dir = tempDir()
    const out = join(dir, 'recorded.json')
    const res = await runBin(['record', out, '--skill', 'ecs-dr', '--', 'aliyun-harness', 'ecs-review', '--region', region], { dir })
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/^aliyun-harness record: --skill ecs-dr does not match the command, which runs the ecs-review skill; pass --skill ecs-review, or leave --skill out\.\n/)
    expect(existsSync(out)).toBe(false)
  })
})

describe('audit', () => {
  const api = (argv: string[]) => b.api([...argv, '--biz-region-id', region], { Regions: { Region: [] } })

  it('passes a transcript that follows the policy', async () => {
    const dir = tempDir()
    const file = writeTranscript(transcript('ecs-dr', 'ok', [b.version(), b.autoPluginInstall(), b.pluginUpdate([['aliyun-cli-ecs', '0.2.1']]), b.configureList(), api(describeRegions)]), dir)
    const res = await runBin(['audit', file, '--human'], { dir })
    expect(res.stdout).toBe(`ok   ${file}\n1 passed, 0 failed\n`)
    expect(res.code).toBe(0)
  })

  it('prints each violation and exits non-zero', async () => {
    const dir = tempDir()
    const noUa = { ...api(describeRegions), argv: ['ecs', 'describe-regions', '--biz-region-id', region] }
    const wrongUa = { ...api(['ecs', 'describe-instances']), argv: ['ecs', 'describe-instances', '--biz-region-id', region, '--user-agent', 'AlibabaCloud-Agent-Skills/alibabacloud-ecs-disaster-recovery-image'] }
    const uaOnSystem = b.system(['plugin', 'update', '--user-agent', b.userAgent])
    const forbidden = b.api(['ecs', 'delete-image', '--image-id', 'm-1'], {})
    const aiMode = b.aiModeEnable()
    const leak = b.api(['ecs', 'describe-disks', '--biz-region-id', region], { Note: 'LTAI5tLeakedKeyId000001' })
    const file = writeTranscript(transcript('ecs-dr', 'bad', [noUa, wrongUa, uaOnSystem, forbidden, aiMode, leak]), dir)
    const res = await runBin(['audit', file, '--json'], { dir })
    expect(res.code).toBe(1)
    const v = res.json.results[0].violations.map((x: { entry: number; rule: string }) => `${x.entry}:${x.rule}`)
    expect(v).toEqual(expect.arrayContaining(['0:user-agent', '1:user-agent', '2:user-agent', '3:allow-list', '4:allow-list', '5:secret']))
  })

  it('checks the ai-mode order for ai-mode skills', async () => {
    const a = builder('ack-profile')
    const dir = tempDir()
    const cs = a.api(['cs', 'GET', '/clusters/c0123456789abcdef0123456789abcdef'], { cluster_id: 'c0123456789abcdef0123456789abcdef' })
    const file = writeTranscript(transcript('ack-profile', 'late', [cs, a.aiModeEnable(), a.aiModeSetUserAgent()]), dir)
    const res = await runBin(['audit', file, '--json'], { dir })
    expect(res.code).toBe(1)
    const messages = res.json.results[0].violations.map((x: { message: string }) => x.message)
    expect(messages).toEqual(expect.arrayContaining(['ai-mode is enabled after the first API call', 'ai-mode is not disabled at the end']))
  })
})

describe('--replay (in-process)', () => {
  // The healthy-fleet review, replayed without spawning anything.
  const load = async () => (await import('./recordings/ecs-review.js')).scenarios['healthy-fleet']
  const args = ['ecs-review', '--region', 'cn-hangzhou']

  it('serves the run from the transcript with nothing spawned (no aliyun exists here)', async () => {
    const dir = tempDir()
    const file = writeTranscript(await load(), dir)
    const res = await runBin([...args, '--replay', file], { dir })
    expect(res.code).toBe(0)
    expect(res.json.status).toBe('completed')
  })

  it('fails the run when recorded calls were never made', async () => {
    const dir = tempDir()
    const t = structuredClone(await load())
    t.entries.push(b.version('3.4.11'))
    const res = await runBin([...args, '--replay', writeTranscript(t, dir)], { dir })
    expect(res.code).toBe(1)
    expect(res.json.error.code).toBe('TranscriptNotFullyUsed')
    expect(res.json.error.message).toMatch(new RegExp(`#${t.entries.length - 1} aliyun version`))
  })

  it('fails a call that was never recorded with the diff, as the harness error ReplayMismatch', async () => {
    const dir = tempDir()
    const t = structuredClone(await load())
    t.entries = t.entries.filter((e) => !(e.kind === 'cli' && e.argv[0] === 'configure'))
    const res = await runBin([...args, '--replay', writeTranscript(t, dir)], { dir })
    expect(res.code).toBe(1)
    expect(res.json.error.code).toBe('ReplayMismatch')
    expect(res.json.error.message).toMatch(/aliyun configure list\nwas never recorded/)
  })

  it('--resume of a run that is not there says a replay keeps no state (no temporary path)', async () => {
    const happy = join(packageRoot(), 'recordings/ecs-dr/happy-path.json')
    const res = await runBin(['ecs-dr', '--region', 'cn-hangzhou', '--instance-id', 'i-bp1dr0source0001', '--resume', 'nosuchrun', '--replay', happy])
    expect(res.code).toBe(2)
    expect(res.json.error).toEqual({
      code: 'RunNotFound',
      message: 'There is no ecs-dr run nosuchrun to resume: a replay starts with no run state and throws its own away (keep it with `aliyun-harness replay --state-dir <dir>`).',
    })
  })

  it('keeps a run that stops to ask (needs_input, exit 3); the calls it did not reach are a warning', async () => {
    // The happy path was recorded for zone j; zone h is the source's own zone, so the run asks for another.
    const happy = join(packageRoot(), 'recordings/ecs-dr/happy-path.json')
    const res = await runBin(['ecs-dr', '--region', 'cn-hangzhou', '--instance-id', 'i-bp1dr0source0001', '--image-name', 'Create_from_i-bp1dr0source0001', '--target-zone', 'cn-hangzhou-h', '--replay', happy])
    expect(res.code).toBe(3)
    expect(res.json.status).toBe('needs_input')
    expect(res.json.input).toMatchObject({ id: 'target-zone', flag: '--target-zone' })
    expect(res.json.warnings).toEqual([
      {
        code: 'TranscriptNotFullyUsed',
        message: expect.stringMatching(/^The run stopped to ask for input; \d+ recorded call\(s\) were never made:\n {2}#\d+ aliyun ecs describe-vswitches /),
        next_action: "Replay with the question's answer (one of its continuations) to use the rest of the transcript.",
      },
    ])
  })
})

describe('finding the CLI', () => {
  it('uses `aliyun` from PATH when ALIYUN_CLI is not set (here one too old for the skill)', async () => {
    const dir = tempDir()
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'aliyun'), '#!/bin/sh\n[ "$1" = version ] && echo 3.2.0\n')
    chmodSync(join(bin, 'aliyun'), 0o755)
    const res = await runBin(['ecs-review', '--region', 'cn-hangzhou'], { dir, env: { ALIYUN_CLI: '', PATH: `${bin}:${process.env.PATH}` } })
    expect(res.code).toBe(1)
    expect(res.json.error).toMatchObject({ code: 'CliVersionTooOld', message: 'aliyun CLI 3.2.0 is older than 3.3.1, the minimum for ecs-review.' })
  })
})

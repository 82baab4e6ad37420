// Proof that a sixth skill is one script, one policy entry and its recording (test/sixth-skill/):
// with nothing else, it gets option checks, the allow-list, the user agent, retries from its
// policy, pagination, regional flags, decisions, record/replay and audit from lib/.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { auditTranscript } from '../lib/audit.js'
import { VirtualClock } from '../lib/clock.js'
import { parseArgv } from '../lib/command.js'
import { packageRoot } from '../lib/paths.js'
import { SkillPolicySchema, type SkillPolicy } from '../lib/policy.js'
import { startFakeCli } from '../lib/replay-server.js'
import { runSkill, type RunDeps } from '../lib/skill.js'
import { loadTranscript } from '../lib/transcript.js'
import skill from './sixth-skill/vpc-inventory.js'
import { tempDir } from './support/run.js'

const dir = join(packageRoot(), 'test', 'sixth-skill')
const recording = join(dir, 'vpc-inventory.recording.json')
const policy: SkillPolicy = { ...SkillPolicySchema.parse(JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8'))['vpc-inventory']), name: 'vpc-inventory' }

async function run(args: string[], deps: RunDeps = {}) {
  let stdout = ''
  let stderr = ''
  const home = tempDir()
  const code = await runSkill(skill, args, {
    env: { HOME: home, ALIYUN_HARNESS_STATE_DIR: join(home, 'state'), ...deps.env },
    stdout: { write: (s: string) => (stdout += s), isTTY: deps.stdout?.isTTY },
    stderr: { write: (s: string) => (stderr += s) },
    installSignalHandlers: false,
    policy,
    ...deps,
  })
  return { code, stdout, stderr, json: stdout.startsWith('{') ? JSON.parse(stdout) : undefined }
}

describe('a sixth skill', () => {
  it('adds exactly three files, and its script imports nothing but lib/ (and zod)', () => {
    expect(readdirSync(dir).sort()).toEqual(['policy.json', 'vpc-inventory.recording.json', 'vpc-inventory.ts'])
    const imports = [...readFileSync(join(dir, 'vpc-inventory.ts'), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1])
    expect(imports.filter((i) => !i.startsWith('../../lib/') && i !== 'zod')).toEqual([])
  })

  it('replays its recording: pages read to the end, the throttled page retried by the policy, the user agent on every API call', async () => {
    const r = await run(['--region', 'cn-hangzhou', '--vpc-id', 'vpc-bp1inventory0002', '--replay', recording])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({ success: true, skill: 'vpc-inventory', status: 'completed', warnings: [] })
    expect(r.json.data.vswitches).toHaveLength(12)
    const api = (r.json.steps as { command: string[]; attempt: number; error_code?: string }[]).filter((s) => s.command[1] === 'vpc')
    expect(api.map((s) => [s.attempt, s.error_code ?? null, parseArgv(s.command.slice(1)).groups.find((g) => g.flag === '--page-number')?.values[0]])).toEqual([
      [1, 'Throttling', '1'],
      [2, null, '1'],
      [1, null, '2'],
    ])
    for (const s of api) expect(s.command.slice(-2)).toEqual(['--user-agent', 'AlibabaCloud-Agent-Skills/vpc-inventory'])
    expect(r.stderr).toMatch(/Throttling; trying again in 5 s \(attempt 2 of 3\)/)
  })

  it('asks which VPC when the region has several: exit 3 with a continuation per option', async () => {
    const r = await run(['--region', 'cn-hangzhou', '--replay', recording])
    expect(r.code).toBe(3)
    expect(r.json.input).toMatchObject({ id: 'vpc', flag: '--vpc-id' })
    expect(r.json.input.options.map((o: { command: string }) => o.command)).toEqual([
      `aliyun-harness vpc-inventory --region cn-hangzhou --vpc-id vpc-bp1inventory0001`,
      `aliyun-harness vpc-inventory --region cn-hangzhou --vpc-id vpc-bp1inventory0002`,
    ])
  })

  it('reports a finding and renders a table for people', async () => {
    const r = await run(['--region', 'cn-hangzhou', '--vpc-id', 'vpc-bp1inventory0001', '--replay', recording], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/VSwitches of vpc-bp1inventory0001 in cn-hangzhou/)
    expect(r.stdout).toMatch(/│ vsw-bp1inv0000000007 │ app-7 +│ cn-hangzhou-j │/)
    expect(r.stdout).toMatch(/next: Add address space for vsw-bp1inv0000000007/)
  })

  it('rejects bad input before any call, and its policy refuses what it does not allow', async () => {
    const bad = await run(['--region', 'cn-hangzhou', '--vpc-id', '--endpoint=evil', '--replay', recording])
    expect(bad.code).toBe(2)
    const transcript = loadTranscript(recording)
    expect(auditTranscript(transcript, policy)).toEqual([])
    const tampered = structuredClone(transcript)
    ;(tampered.entries[1] as { argv: string[] }).argv[1] = 'delete-vswitch'
    expect(auditTranscript(tampered, policy).map((v) => v.rule)).toContain('allow-list')
  })

  it('records against a CLI (here a fake one serving the recording) and the new transcript replays and audits clean', async () => {
    const fake = await startFakeCli(loadTranscript(recording))
    const out = join(tempDir(), 'recorded.json')
    try {
      const live = await run(['--region', 'cn-hangzhou', '--vpc-id', 'vpc-bp1inventory0001', '--record', out], { env: { ...fake.env, ALIYUN_CLI: fake.cli }, clock: new VirtualClock(0) })
      expect(live.code, live.stderr).toBe(0)
    } finally {
      await fake.close()
    }
    const recorded = loadTranscript(out)
    expect(recorded.cli_version).toBe('3.4.11')
    expect(auditTranscript(recorded, policy)).toEqual([])
    const again = await run(['--region', 'cn-hangzhou', '--vpc-id', 'vpc-bp1inventory0001', '--replay', out])
    expect(again.code, again.stderr).toBe(0)
  })
})

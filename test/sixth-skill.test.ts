// Proof that a sixth skill is one script, one policy entry and its recording (test/sixth-skill/):
// with nothing else, it gets option checks, the allow-list, the user agent, retries from its
// policy, pagination, regional flags, decisions, record/replay and audit from lib/. The last block
// installs the three files into a copy of the built package, as README "Adding a skill" says, and
// runs them there through the bin: dispatch by name, policy loading, audit — no lib/ change.
//
// The recording is made here from the CLI facts (buildRecording), like the bundled ones by
// test/recordings/*.ts; a test fails when the file is stale (`npx vitest run test/sixth-skill.test.ts -u`
// rewrites it).

import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { auditTranscript } from '../lib/audit.js'
import { VirtualClock } from '../lib/clock.js'
import { api, parseArgv } from '../lib/command.js'
import { packageRoot } from '../lib/paths.js'
import { SkillPolicySchema, type SkillPolicy } from '../lib/policy.js'
import { startFakeCli } from '../lib/replay-server.js'
import { runSkill, type RunDeps } from '../lib/skill.js'
import { loadTranscript, type Transcript } from '../lib/transcript.js'
import skill from './sixth-skill/vpc-inventory.js'
import { builder, transcript } from './support/cli-facts.js'
import { runNode, tempDir } from './support/run.js'

const dir = join(packageRoot(), 'test', 'sixth-skill')
const recording = join(dir, 'vpc-inventory.recording.json')
const policy: SkillPolicy = { ...SkillPolicySchema.parse(JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8'))['vpc-inventory']), name: 'vpc-inventory' }

/** The recording: two VPCs, 52 VSwitches on two pages, page 1 throttled once; one VSwitch short of addresses. */
function buildRecording(): Transcript {
  const b = builder(policy)
  const R = 'cn-hangzhou'
  const page = (n: number) => api('vpc', 'describe-vswitches', { 'biz-region-id': R, region: R, 'page-number': n, 'page-size': 50 })
  const vswitch = (i: number) => ({
    VSwitchId: `vsw-bp1inv${String(i).padStart(10, '0')}`,
    VSwitchName: `app-${i}`,
    VpcId: i < 40 ? 'vpc-bp1inventory0001' : 'vpc-bp1inventory0002',
    ZoneId: ['cn-hangzhou-h', 'cn-hangzhou-j', 'cn-hangzhou-k'][i % 3],
    CidrBlock: `172.16.${i}.0/24`,
    Status: 'Available',
    AvailableIpAddressCount: i === 7 ? 3 : 240,
    IsDefault: false,
    CreationTime: '2026-03-01T08:00:00Z',
  })
  const items = Array.from({ length: 52 }, (_, i) => vswitch(i))
  return transcript('vpc-inventory', 'Two VPCs, 52 VSwitches on two pages; page 1 throttled once and retried; one VSwitch short of addresses.', [
    b.version(),
    b.apiError(page(1), { code: 'Throttling', message: 'Request was denied due to request throttling.', product: 'Vpc' }),
    b.api(page(1), { PageNumber: 1, PageSize: 50, TotalCount: 52, VSwitches: { VSwitch: items.slice(0, 50) } }),
    b.api(page(2), { PageNumber: 2, PageSize: 50, TotalCount: 52, VSwitches: { VSwitch: items.slice(50) } }),
  ])
}

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

  it('its recording is what buildRecording() makes (stale: run `npx vitest run test/sixth-skill.test.ts -u`)', async () => {
    await expect(JSON.stringify(buildRecording(), null, 2) + '\n').toMatchFileSnapshot(recording)
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
    // A real run's recording says so: recordings/ accepts it without a builder (test/recordings.test.ts).
    expect(recorded.origin).toBe('recorded')
    expect(auditTranscript(recorded, policy)).toEqual([])
    const again = await run(['--region', 'cn-hangzhou', '--vpc-id', 'vpc-bp1inventory0001', '--replay', out])
    expect(again.code, again.stderr).toBe(0)
  })
})

/**
 * A copy of the built package (dist/ without its tests, package.json, references/) with the three
 * files installed where README "Adding a skill" puts them: the script compiled into
 * dist/scripts/<name>.js (its imports then read `../lib/` instead of `../../lib/`), its policy entry
 * merged into references/policies.json, and its recording under recordings/<name>/. Nothing else.
 */
function installedPackage(): { root: string; bin: string; policies: string } {
  const here = packageRoot()
  const root = tempDir('sixth-skill-package-')
  cpSync(join(here, 'package.json'), join(root, 'package.json'))
  symlinkSync(join(here, 'node_modules'), join(root, 'node_modules'), 'dir')
  for (const d of ['bin', 'lib', 'scripts']) cpSync(join(here, 'dist', d), join(root, 'dist', d), { recursive: true })
  cpSync(join(here, 'references'), join(root, 'references'), { recursive: true })
  const script = readFileSync(join(here, 'dist', 'test', 'sixth-skill', 'vpc-inventory.js'), 'utf8').replaceAll("from '../../lib/", "from '../lib/")
  writeFileSync(join(root, 'dist', 'scripts', 'vpc-inventory.js'), script)
  const policies = join(root, 'references', 'policies.json')
  const file = JSON.parse(readFileSync(policies, 'utf8'))
  file.skills = { ...file.skills, ...JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8')) }
  writeFileSync(policies, JSON.stringify(file, null, 2) + '\n')
  mkdirSync(join(root, 'recordings', 'vpc-inventory'), { recursive: true })
  cpSync(recording, join(root, 'recordings', 'vpc-inventory', 'two-vpcs.json'))
  return { root, bin: join(root, 'dist', 'bin', 'aliyun-harness.js'), policies }
}

describe('a sixth skill installed in the package (a built copy), run through the bin', () => {
  const pkg = installedPackage()
  const bin = (...args: string[]) => runNode([pkg.bin, ...args], { dir: tempDir() })
  const installed = join(pkg.root, 'recordings', 'vpc-inventory', 'two-vpcs.json')

  it('is dispatched by name: listed in the help, and its recording replays clean', async () => {
    const help = await bin('--help')
    expect(help.stdout).toMatch(/^ {2}vpc-inventory +Read-only VSwitch inventory \(proof of a sixth skill\)$/m)
    const r = await bin('vpc-inventory', '--region', 'cn-hangzhou', '--vpc-id', 'vpc-bp1inventory0002', '--replay', installed, '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({ success: true, skill: 'vpc-inventory', status: 'completed' })
    expect(r.json.data.vswitches).toHaveLength(12)
  })

  it('is audited against its entry in references/policies.json: the recording passes, a tampered copy does not', async () => {
    const clean = await bin('audit', installed, '--json')
    expect(clean.code, clean.stdout + clean.stderr).toBe(0)
    const tampered = loadTranscript(installed)
    ;(tampered.entries[1] as { argv: string[] }).argv[1] = 'delete-vswitch'
    const file = join(tempDir(), 'tampered.json')
    writeFileSync(file, JSON.stringify(tampered))
    const bad = await bin('audit', file, '--json')
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/allow-list/)
  })

  it('runs under that entry: a command it does not allow is refused before the CLI is called', async () => {
    const original = readFileSync(pkg.policies, 'utf8')
    const narrowed = JSON.parse(original)
    narrowed.skills['vpc-inventory'].allow = ['version']
    // The session as far as it can go: the version check only.
    const upToRefusal = loadTranscript(installed)
    upToRefusal.entries = upToRefusal.entries.slice(0, 1)
    const file = join(tempDir(), 'version-only.json')
    writeFileSync(file, JSON.stringify(upToRefusal))
    let r: Awaited<ReturnType<typeof bin>>
    try {
      writeFileSync(pkg.policies, JSON.stringify(narrowed, null, 2) + '\n')
      r = await bin('vpc-inventory', '--region', 'cn-hangzhou', '--vpc-id', 'vpc-bp1inventory0002', '--replay', file, '--json')
    } finally {
      // The other tests of this package copy read its real entry, in whatever order they run.
      writeFileSync(pkg.policies, original)
    }
    expect(r.code).toBe(4)
    expect(r.json).toMatchObject({ success: false, status: 'blocked' })
    expect(r.json.error.message).toMatch(/not on the vpc-inventory allow-list/)
    expect((r.json.steps as { command: string[]; exit_code: number }[]).filter((s) => s.command[1] === 'vpc').map((s) => s.exit_code)).toEqual([-1])
  })
})

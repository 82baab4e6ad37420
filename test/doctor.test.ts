// `aliyun-harness doctor`: run as a process against fake CLIs (test/support/fake-cli.ts) whose texts
// come from the CLI facts, plus the pieces it is built from: the reading of dry-run answers (real
// error texts of several CLI versions), the runner's dry run, doctor's own allow-list, and each
// skill's command templates.

import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../lib/clock.js'
import { api, parseArgv, system } from '../lib/command.js'
import { judgeDryRun } from '../lib/doctor/dry-run-output.js'
import { readsOnly } from '../lib/doctor/templates-check.js'
import { PolicyError } from '../lib/errors.js'
import { createIO } from '../lib/io.js'
import { packageRoot } from '../lib/paths.js'
import { checkCommand, doctorPolicy, getPolicy, SkillPolicySchema, skillNames, userAgentFor } from '../lib/policy.js'
import { Redactor } from '../lib/redact.js'
import { displayWidth } from '../lib/text-width.js'
import { Runner } from '../lib/runner.js'
import type { SkillDefinition } from '../lib/skill.js'
import { templateContext, type CommandTemplate } from '../lib/templates.js'
import { Replayer, type CliEntry } from '../lib/transcript.js'
import { ReplayTransport, type CliRequest, type Transport } from '../lib/transport.js'
import { agentErrorText, hostError, transcript } from './support/cli-facts.js'
import { writeFakeCli, type FakeCliSpec } from './support/fake-cli.js'
import { runInPty } from './support/pty.js'
import { runBin, tempDir } from './support/run.js'

const PRODUCTS = ['ecs', 'ess', 'eci', 'vpc', 'sysom', 'sts', 'eas', 'aiworkspace', 'foasconsole']
const plugins = (except: string[] = []) => PRODUCTS.filter((p) => !except.includes(p)).map((p) => ({ name: `aliyun-cli-${p}`, version: '0.1.0' }))
const GOOD: FakeCliSpec = { version: '3.4.11', plugins: plugins() }
/** SDK credentials for ack-profile's chain, planted to prove doctor never prints them. */
const AK = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tDoctorPlantedKey01', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'dOcToRpLaNtEdSeCrEt0123456789abc' }

/** Every skill's definition, loaded by name from scripts/ as the command table loads it (lib/commands.ts). */
const DEFS: Record<string, SkillDefinition<any, any>> = Object.fromEntries(
  await Promise.all(skillNames().map(async (s) => [s, ((await import(/* @vite-ignore */ `../scripts/${s}.js`)) as { default: SkillDefinition<any, any> }).default] as const)),
)
async function loadTemplates(skill: string): Promise<CommandTemplate[]> {
  return DEFS[skill].templates?.(templateContext(getPolicy(skill))) ?? []
}
const SKILLS_WITH_TEMPLATES = (await Promise.all(skillNames().map(async (s) => [s, (await loadTemplates(s)).length] as const))).filter(([, n]) => n > 0).map(([s]) => s)

/** A transport that records what would be spawned and answers with a dry-run dump. */
function capture(stdout = '---\nStyle:    RPC\n---\n') {
  const sent: CliRequest[] = []
  const transport: Transport = {
    mode: 'live',
    async exec(req) {
      sent.push(req)
      return { exitCode: 0, stdout, stderr: '', durationMs: 1 }
    },
    sdk: () => Promise.reject(new Error('no SDK call in a dry run')),
  }
  return { sent, transport }
}
const runnerFor = (skill: string, transport: Transport, profile?: string) => {
  const policy = getPolicy(skill)
  const io = createIO({ stdout: { write: () => true }, stderr: { write: () => true }, redactor: new Redactor({}), json: true })
  return new Runner({ policy, transport, clock: new VirtualClock(0), io, signal: new AbortController().signal, profile, userAgent: userAgentFor(policy, 'f'.repeat(32)) })
}

/** `aliyun-harness doctor <args>` against a fake CLI on PATH (or none, for `spec` null). */
async function doctor(spec: FakeCliSpec | null, args: string[] = [], env: NodeJS.ProcessEnv | ((fakeDir: string) => NodeJS.ProcessEnv) = {}) {
  const dir = tempDir('doctor-test-')
  const fake = spec ? writeFakeCli(dir, spec) : undefined
  const res = await runBin(['doctor', ...args], {
    dir,
    env: { PATH: `${dir}:${process.env.PATH}`, ALIYUN_CLI: undefined, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...AK, ...(typeof env === 'function' ? env(dir) : env) },
  })
  const checks = (res.json?.checks ?? []) as { name: string; skill: string | null; status: string; detail: string; fix: string | null }[]
  const apiCalls = () => (fake?.calls() ?? []).filter((a) => !['version', 'configure', 'plugin'].includes(a[0]))
  return { ...res, fake, checks, apiCalls, check: (name: string, skill?: string) => checks.find((c) => c.name === name && (skill === undefined || c.skill === skill)) }
}

// -------------------------------------------------------------------------------------------
describe('doctor as a process against fake CLIs', () => {
  it('all good: every check passes, every template is validated with the skill’s user agent, nothing reaches the cloud (exit 0)', async () => {
    const res = await doctor(GOOD)
    expect(res.code, res.stderr).toBe(0)
    expect(res.json).toMatchObject({ success: true, status: 'ok' })
    expect(res.checks.filter((c) => !['ok', 'skipped'].includes(c.status))).toEqual([])
    expect(res.check('cli')?.detail).toMatch(/aliyun 3\.4\.11: .*\/aliyun \(found on PATH\)/)
    expect(res.checks.filter((c) => c.name === 'cli version').map((c) => c.skill)).toEqual(skillNames())
    expect(res.check('credentials')?.detail).toBe("Profile 'default' (the current profile) is valid.")
    expect(res.check('sdk credentials', 'ack-profile')).toMatchObject({ status: 'ok' })

    for (const skill of SKILLS_WITH_TEMPLATES) {
      const templates = await loadTemplates(skill)
      const ua = getPolicy(skill).user_agent
      // Each template, and where the skill's retry rule adds flags, the template as its retry sends it.
      const retryFlags = (t: CommandTemplate) => runnerFor(skill, capture().transport).retryFlags(t)
      const expected = templates.flatMap((t) => [`dry-run ${t.name}`, ...(retryFlags(t).length ? [`dry-run ${t.name} (retried with ${retryFlags(t).join(' ')})`] : [])])
      expect(res.checks.filter((c) => c.skill === skill && c.name.startsWith('dry-run ')).map((c) => [c.name, c.status])).toEqual(expected.map((n) => [n, 'ok']))
      const sent = res.apiCalls().filter((a) => a.includes('--user-agent') && a[a.indexOf('--user-agent') + 1].startsWith(ua))
      expect(sent.map((a) => a.slice(0, a.indexOf('--user-agent')))).toEqual(expect.arrayContaining(templates.map((t) => t.argv)))
    }
    // eas-deploy's timeouts are retried with --read-timeout 60, so its reads were also validated with it; its create never is.
    expect(res.check('dry-run eas describe-machine-spec (retried with --read-timeout 60)', 'eas-deploy')?.status).toBe('ok')
    expect(res.check('dry-run eas create-service (retried with --read-timeout 60)', 'eas-deploy')).toBeUndefined()
    expect(res.apiCalls()).toContainEqual([...(await loadTemplates('eas-deploy')).find((t) => t.name === 'eas describe-machine-spec')!.argv, '--read-timeout', '60', '--user-agent', getPolicy('eas-deploy').user_agent, '--cli-dry-run'])
    // Every API command: the dry-run flag last, the user agent exactly once before it.
    for (const a of res.apiCalls()) {
      expect(a.at(-1)).toBe('--cli-dry-run')
      expect(a.filter((x) => x === '--user-agent')).toHaveLength(1)
      expect(a.at(-3)).toBe('--user-agent')
    }
    expect(res.fake!.realCalls()).toEqual([])
    // D10: nothing but reads and dry runs.
    const local = res.fake!.calls().filter((a) => ['version', 'configure', 'plugin'].includes(a[0]))
    expect(new Set(local.map((a) => parseArgv(a).words.join(' ')))).toEqual(new Set(['version', 'configure list', 'plugin list', 'plugin show', 'configure ai-mode show']))
    // The planted SDK credentials never show.
    for (const secret of Object.values(AK)) expect(res.stdout + res.stderr).not.toContain(secret)
  })

  it('a person at a terminal gets the table: check, result, detail, what to do', async () => {
    const res = await doctor(GOOD, ['--skill', 'ecs-review'], { ALIYUN_HARNESS_OUTPUT: 'human' })
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toMatch(/│ check\s+│ result\s+│ detail\s+│ what to do\s+│/)
    expect(res.stdout).toMatch(/dry-run ecs describe-images/)
    expect(res.stdout).toMatch(/✔ doctor: \d+ ok, 0 warning\(s\), 0 failed, \d+ skipped\n$/)
  })

  it('at a terminal the checks are shown for people by default, fitted to its 80 columns', async () => {
    const dir = tempDir('doctor-test-')
    writeFakeCli(dir, GOOD)
    const res = await runInPty(['doctor', '--skill', 'ack-profile'], { cols: 80, dir, redirect: '2>/dev/null', env: { PATH: `${dir}:${process.env.PATH}`, ALIYUN_CLI: undefined, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...AK } })
    expect(res.code, res.text).toBe(0)
    const lines = res.text.trimEnd().split('\n')
    expect(lines.filter((l) => displayWidth(l) > 80)).toEqual([])
    expect(res.text).not.toMatch(/"checks"/)
    for (const words of ['check', 'result', 'detail', 'what to do', 'credentials', 'dry-run sysom invoke-diagnosis', 'sdk credentials']) expect(res.text).toContain(words)
    expect(lines.at(-1)).toMatch(/^✔ doctor: \d+ ok, 0 warning\(s\), 0 failed, \d+ skipped$/)
  })

  it('--skill limits every check to that skill; --profile names the profile checked and is passed on', async () => {
    const res = await doctor({ ...GOOD, profiles: [{ name: 'default', current: true, valid: false, region: 'cn-hangzhou' }, { name: 'prod', valid: true, region: 'cn-shanghai' }] }, ['--skill', 'ecs-review', '--profile', 'prod'])
    expect(res.code, res.stderr).toBe(0)
    expect(new Set(res.checks.map((c) => c.skill).filter(Boolean))).toEqual(new Set(['ecs-review']))
    expect(res.check('credentials')?.detail).toBe("Profile 'prod' (named by --profile) is valid.")
    for (const a of res.apiCalls()) expect(a.slice(a.indexOf('--profile'), a.indexOf('--profile') + 2)).toEqual(['--profile', 'prod'])
    expect(res.fake!.calls()).toContainEqual(['configure', 'list', '--profile', 'prod'])
  })

  it('an old CLI fails the skills whose minimum it misses, names them, and validates nothing (exit 1)', async () => {
    const res = await doctor({ ...GOOD, version: '3.3.10' })
    expect(res.code).toBe(1)
    expect(res.check('cli version', 'ack-profile')).toMatchObject({ status: 'fail', detail: 'aliyun 3.3.10 is older than 3.3.15, the minimum for ack-profile.' })
    expect(res.check('cli version', 'ack-profile')?.fix).toMatch(/Upgrade the aliyun CLI to 3\.3\.15 or later/)
    expect(res.check('cli version', 'ecs-dr')?.status).toBe('ok')
    expect(res.check('command templates', 'ecs-review')).toMatchObject({ status: 'skipped' })
    expect(res.check('command templates', 'ecs-review')?.detail).toMatch(/predates --cli-dry-run \(added in 3\.4\.8\)/)
    expect(res.apiCalls()).toEqual([])
  })

  it('no valid profile: the credentials check fails with the profile’s name only, and no template is sent (exit 1)', async () => {
    const res = await doctor({ ...GOOD, profiles: [{ name: 'default', current: true, valid: false, region: 'cn-hangzhou', last3: 'q7z' }] })
    expect(res.code).toBe(1)
    expect(res.check('credentials')).toMatchObject({ status: 'fail', detail: "Profile 'default' (the current profile) is not valid." })
    expect(res.check('credentials')?.fix).toMatch(/aliyun configure --profile default/)
    expect(res.stdout).not.toMatch(/AK:|\*\*\*q7z/)
    expect(res.check('command templates', 'ecs-review')?.detail).toMatch(/without a valid profile/)
    expect(res.apiCalls()).toEqual([])
  })

  it('no config file at all: the CLI’s own error is reported (exit 1)', async () => {
    const res = await doctor({ ...GOOD, profiles: null })
    expect(res.code).toBe(1)
    expect(res.check('credentials')?.detail).toMatch(/`aliyun configure list` failed: load configure failed: stat .*config\.json: no such file or directory/)
  })

  it('a config file the CLI cannot load (it exits 0 for every command) is named as such (exit 1)', async () => {
    const res = await doctor({ ...GOOD, brokenConfig: true })
    expect(res.code).toBe(1)
    expect(res.check('cli')).toMatchObject({ status: 'fail' })
    expect(res.check('cli')?.detail).toMatch(/cannot load its configuration: `aliyun version` said "load current configuration failed invalid character 'x'/)
    expect(res.check('cli')?.fix).toMatch(/config\.json/)
    expect(res.apiCalls()).toEqual([])
  })

  it('a missing plugin fails with its install command; its templates are not sent and nothing is installed (exit 1)', async () => {
    const res = await doctor({ ...GOOD, plugins: plugins(['ess']) }, ['--skill', 'ecs-review'])
    expect(res.code).toBe(1)
    expect(res.check('plugin ess')).toMatchObject({ status: 'fail', skill: 'ecs-review', fix: 'aliyun plugin install --names ess' })
    expect(res.check('dry-run ess describe-scaling-groups', 'ecs-review')).toMatchObject({ status: 'skipped', fix: 'aliyun plugin install --names ess' })
    expect(res.check('dry-run ecs describe-instances', 'ecs-review')?.status).toBe('ok')
    expect(res.apiCalls().filter((a) => a[0] === 'ess')).toEqual([])
    expect(res.fake!.calls().filter((a) => a[0] === 'plugin' && a[1] !== 'list' && a[1] !== 'show')).toEqual([])
  })

  it('a plugin that defaults to another API version than the one a skill reads is a warning with the fix', async () => {
    const res = await doctor({ ...GOOD, plugins: [...plugins(['ess']), { name: 'aliyun-cli-ess', version: '0.2.0', apiDefault: '2022-02-22', apiSupported: ['2014-08-28', '2022-02-22'] }] }, ['--skill', 'ecs-review'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.json.status).toBe('warn')
    expect(res.check('plugin ess api version')).toMatchObject({ status: 'warn', fix: 'Set ALIBABA_CLOUD_ESS_API_VERSION=2014-08-28 in the environment the harness runs in (the CLI passes it to the plugin).' })
    expect(res.check('plugin ess api version')?.detail).toMatch(/defaults to API version 2022-02-22 .* ecs-review reads ess 2014-08-28 response shapes/)
    expect(res.fake!.calls()).toContainEqual(['plugin', 'show', '--name', 'aliyun-cli-ess'])
  })

  it('the CLI missing from PATH: the fix names both ways, and every other CLI check is skipped (exit 1)', async () => {
    const res = await doctor(null, [], { PATH: tempDir('empty-path-') })
    expect(res.code).toBe(1)
    expect(res.check('cli')).toMatchObject({ status: 'fail', detail: "No aliyun CLI: ALIYUN_CLI is not set and there is no 'aliyun' on PATH." })
    expect(res.check('cli')?.fix).toMatch(/put `aliyun` on PATH, or set ALIYUN_CLI to the path of its binary/)
    expect(res.checks.filter((c) => ['credentials', 'plugins', 'ai-mode'].includes(c.name)).map((c) => c.status)).toEqual(['skipped', 'skipped', 'skipped'])
  })

  it('a CLI found through ALIYUN_CLI says so (PATH has none)', async () => {
    const res = await doctor(GOOD, ['--skill', 'ecs-review'], (dir) => ({ ALIYUN_CLI: join(dir, 'aliyun'), PATH: tempDir('empty-path-') }))
    expect(res.code, res.stderr).toBe(0)
    expect(res.check('cli')).toMatchObject({ status: 'ok', detail: `aliyun 3.4.11: ${join(res.fake!.dir, 'aliyun')} (from ALIYUN_CLI)` })
  })

  it('ALIYUN_CLI pointing nowhere says so', async () => {
    const res = await doctor(null, [], { ALIYUN_CLI: '/nonexistent/aliyun' })
    expect(res.code).toBe(1)
    expect(res.check('cli')?.detail).toBe('ALIYUN_CLI is set to /nonexistent/aliyun, but it does not exist.')
  })

  it('a plugin that rejects one flag under dry-run fails that template, naming skill, command, flag and suggestion (exit 1)', async () => {
    const answer = { stderr: "Error: '--biz-region-id' is not a valid parameter or flag.\nDid you mean: --region-id\n", exit: 1 }
    const res = await doctor({ ...GOOD, reject: [{ command: 'ess describe-scaling-groups', flag: '--biz-region-id', answer }] }, ['--skill', 'ecs-review'])
    expect(res.code).toBe(1)
    const failed = res.checks.filter((c) => c.status === 'fail')
    expect(failed.map((c) => [c.name, c.skill])).toEqual([['dry-run ess describe-scaling-groups', 'ecs-review']])
    expect(failed[0].detail).toMatch(/^the ess plugin rejects --biz-region-id in ess describe-scaling-groups; did you mean --region-id\? \(ecs-review: /)
    expect(failed[0].detail).toMatch(/Sent: aliyun ess describe-scaling-groups --biz-region-id cn-hangzhou .* --user-agent AlibabaCloud-Agent-Skills\/alibaba-ecs-compute-operator --cli-dry-run$/)
    expect(res.check('dry-run ess describe-scaling-rules')?.status).toBe('ok')
  })

  it('a CLI without dry-run support: the templates are skipped with why, nothing is sent, and the status says nothing was validated (exit 0)', async () => {
    const res = await doctor({ ...GOOD, version: '3.4.7' })
    expect(res.code, res.stderr).toBe(0)
    const skippedRows = res.checks.filter((c) => c.name === 'command templates')
    expect(skippedRows.map((c) => c.skill)).toEqual(skillNames())
    for (const c of skippedRows) expect(c).toMatchObject({ status: 'skipped', fix: 'Upgrade the aliyun CLI to 3.4.8 or later to have every command validated.' })
    expect(res.apiCalls()).toEqual([])
    // Nothing proved about what the skills send: not "ok", though nothing failed.
    expect(res.json).toMatchObject({ success: true, status: 'warn' })
    expect(res.checks.filter((c) => c.status === 'warn')).toEqual([
      {
        name: 'command templates validated',
        skill: skillNames().join(', '),
        status: 'warn',
        detail: expect.stringMatching(/^None of the \d+ command template\(s\) could be validated here, so doctor has not shown that this CLI accepts what these skills send\.$/),
        fix: 'Upgrade the aliyun CLI to 3.4.8 or later to have every command validated.',
      },
    ])
  })

  it('a plugin that does not accept --cli-dry-run: its templates are skipped, the others validated (exit 0)', async () => {
    const res = await doctor({ ...GOOD, noDryRun: ['eci'] }, ['--skill', 'ecs-review'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.check('dry-run eci describe-container-groups')).toMatchObject({ status: 'skipped' })
    expect(res.check('dry-run eci describe-container-groups')?.detail).toMatch(/the eci plugin does not accept --cli-dry-run/)
    expect(res.check('dry-run ecs describe-instances')?.status).toBe('ok')
  })

  it('what an older CLI cannot answer is skipped with why, not failed: plugin show before 3.3.8, ai-mode before 3.3.3 (exit 0)', async () => {
    const noShow = await doctor({ ...GOOD, version: '3.3.5' }, ['--skill', 'ecs-review'])
    expect(noShow.code, noShow.stderr).toBe(0)
    expect(noShow.check('plugin ess api version')).toMatchObject({ status: 'skipped', fix: 'Upgrade the aliyun CLI to 3.3.8 or later to have this checked.' })
    expect(noShow.check('plugin ess api version')?.detail).toMatch(/^aliyun 3\.3\.5 has no `plugin show` \(added in 3\.3\.8\)/)
    expect(noShow.check('ai-mode')?.status).toBe('ok')
    expect(noShow.fake!.calls().filter((a) => a[0] === 'plugin' && a[1] === 'show')).toEqual([])

    const noAiMode = await doctor({ ...GOOD, version: '3.3.1' }, ['--skill', 'ecs-review'])
    expect(noAiMode.code, noAiMode.stderr).toBe(0)
    expect(noAiMode.check('ai-mode')).toMatchObject({ status: 'skipped', detail: 'aliyun 3.3.1 has no ai-mode (added in 3.3.3).' })
    expect(noAiMode.fake!.calls().filter((a) => a[0] === 'configure' && a[1] === 'ai-mode')).toEqual([])
  })

  it('a CLI whose `plugin list` fails (before 3.3.0 `plugin` is no command) fails the plugins check with what it said and the fix', async () => {
    // openapi/errors.go:31-33, InvalidProductError, exit 2 (facts: cli-errors-dryrun.md §1).
    const pluginList = { stderr: "ERROR: 'plugin' is not a valid command or product. See `aliyun help`.\n", exit: 2 }
    const res = await doctor({ ...GOOD, version: '3.2.9', pluginList }, ['--skill', 'ecs-review'])
    expect(res.code).toBe(1)
    expect(res.check('plugins')).toMatchObject({ status: 'fail', skill: 'ecs-review', fix: expect.stringMatching(/^Plugin mode needs aliyun CLI 3\.3\.0 or later/) })
    expect(res.check('plugins')?.detail).toMatch(/^`aliyun plugin list` failed: .*'plugin' is not a valid command or product/)
  })

  it('a command that changes something is sent only after a read of the same plugin proved it honours --cli-dry-run', async () => {
    // This vpc plugin sends the request whatever the flag says: its read shows it, so its create is never sent.
    const res = await doctor({ ...GOOD, ignoresDryRun: ['vpc'] }, ['--skill', 'eas-deploy', '--skill', 'ecs-dr'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.check('dry-run vpc describe-vpcs', 'eas-deploy')).toMatchObject({ status: 'warn' })
    expect(res.check('dry-run vpc describe-vpcs', 'eas-deploy')?.detail).toMatch(/it is an API response, so this read was sent to the cloud/)
    expect(res.check('dry-run vpc create-vswitch', 'ecs-dr')).toMatchObject({ status: 'skipped' })
    expect(res.check('dry-run vpc create-vswitch', 'ecs-dr')?.detail).toMatch(/Not sent: it would change something, and no read-only vpc command showed first that the vpc plugin honours --cli-dry-run/)
    expect(res.fake!.calls().filter((a) => a[1] === 'create-vswitch')).toEqual([])
    // The ecs plugin proved itself: ecs-dr's creates were validated.
    expect(res.check('dry-run ecs run-instances', 'ecs-dr')?.status).toBe('ok')
    const order = res.apiCalls().map((a) => a[1])
    expect(order.indexOf('run-instances')).toBeGreaterThan(order.lastIndexOf('describe-instances'))
  })

  it('ai-mode left enabled with another user agent is a warning with the command that disables it', async () => {
    const res = await doctor({ ...GOOD, aiMode: { enabled: true, user_agent: 'SomeOtherAgent/1.0' } }, ['--skill', 'ecs-review'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.check('ai-mode')).toMatchObject({ status: 'warn', fix: 'If no other tool needs it: aliyun configure ai-mode disable' })
    expect(res.check('ai-mode')?.detail).toMatch(/user agent 'SomeOtherAgent\/1\.0', which is not this harness's/)
    expect(res.fake!.calls().filter((a) => a[1] === 'ai-mode').map((a) => a[2])).toEqual(['show'])
  })

  it('a stale harness ai-mode lock is reported (and left alone)', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!
    const dir = tempDir('doctor-lock-')
    const lockFile = join(dir, 'state', 'ai-mode.lock')
    mkdirSync(join(dir, 'state'), { recursive: true })
    writeFileSync(lockFile, JSON.stringify({ pid: dead, host: hostname(), skill: 'eas-deploy', run_id: 'a1b2c3d4e5f6', started_at: '2026-11-20T08:00:00.000Z' }))
    writeFakeCli(dir, { ...GOOD, aiMode: { enabled: true, user_agent: getPolicy('eas-deploy').user_agent } })
    const res = await runBin(['doctor', '--skill', 'ecs-review'], { dir, env: { PATH: `${dir}:${process.env.PATH}`, ALIYUN_CLI: undefined } })
    const checks = res.json.checks as { name: string; status: string; detail: string; fix: string }[]
    expect(res.code, res.stderr).toBe(0)
    expect(checks.find((c) => c.name === 'ai-mode lock')).toMatchObject({ status: 'warn' })
    expect(checks.find((c) => c.name === 'ai-mode lock')?.detail).toMatch(/is stale \(eas-deploy, run a1b2c3d4e5f6, pid \d+, since .*\): its process is no longer running/)
    expect(checks.find((c) => c.name === 'ai-mode')?.detail).toMatch(/enabled with eas-deploy's user agent .* no eas-deploy run holds it/)
    expect(readFileSync(lockFile, 'utf8')).toContain('a1b2c3d4e5f6')
  })

  it('bad usage is exit 2 with the reason; --help is exit 0', async () => {
    const bad = await doctor(GOOD, ['--skill', 'nope', '--json'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(`--skill must be one of ${skillNames().join(', ')}; got 'nope'`)
    expect(bad.json).toMatchObject({ success: false, status: 'usage', checks: [] })
    expect(bad.fake!.calls()).toEqual([])
    // ALIYUN_HARNESS_OUTPUT=human asks for people's output on a pipe, for a usage error too.
    const human = await doctor(GOOD, ['--skill', 'nope'], { ALIYUN_HARNESS_OUTPUT: 'human' })
    expect([human.code, human.stdout]).toEqual([2, ''])
    expect(human.stderr).toMatch(/--skill must be one of/)
    expect((await doctor(GOOD, ['--record', 'x.json'])).code).toBe(2)
    const help = await doctor(GOOD, ['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^aliyun-harness doctor — /)
    expect(help.stdout).toMatch(/Exit codes: 0 nothing failed/)
    expect(help.fake!.calls()).toEqual([])
    expect((await doctor(GOOD, ['-h'])).stdout).toBe(help.stdout)
    expect((await runBin(['--help'])).stdout).toMatch(/^ {2}doctor +check, read-only, that the aliyun CLI here accepts every command\n +the skills send$/m)
  })
})

// -------------------------------------------------------------------------------------------
describe('reading what the CLI answered to --cli-dry-run', () => {
  const raw = (exitCode: number, stdout: string, stderr: string) => ({ exitCode, stdout, stderr, durationMs: 1 })
  const flag = '--cli-dry-run'
  const sent = ['ecs', 'describe-instances', '--biz-region-id', 'cn-hangzhou', '--user-agent', 'AlibabaCloud-Agent-Skills/x', flag]

  it('dumps: the built-in human form (3.4.8+) and the plugin engine layout are validated', () => {
    expect(judgeDryRun(raw(0, '---\nStyle:    RPC\nEndpoint: ecs.cn-hangzhou.aliyuncs.com\nMethod:   POST\nAction:   DescribeInstances\nVersion:  2014-05-26\n---\n', ''), flag)).toEqual({ kind: 'validated' })
    expect(judgeDryRun(raw(0, `${'='.repeat(60)}\nDRY-RUN MODE: Request Details (No actual API call)\n${'='.repeat(60)}\nMethod: POST\n`, ''), flag)).toEqual({ kind: 'validated' })
  })

  it('an API answer with exit 0 means the request was sent: not a dry run', () => {
    expect(judgeDryRun(raw(0, '{\n\t"RequestId": "7C2F1A4E-3B8D-4E21-9A6F-000000000001",\n\t"Instances": {"Instance": []}\n}\n', ''), flag)).toMatchObject({ kind: 'not-a-dry-run', apiResponse: true })
    expect(judgeDryRun(raw(0, 'something else\n', ''), flag)).toMatchObject({ kind: 'not-a-dry-run', apiResponse: false })
  })

  it('a refused flag names the flag and the CLI’s suggestions, in the host’s coloured form and in the 3.5.x Agent object', () => {
    const host = hostError("'--RegionID' is not a valid parameter or flag. See `aliyun help ecs DescribeInstances`.", { suggestible: ['RegionId'] })
    expect(judgeDryRun(raw(host.exitCode, host.stdout, host.stderr), flag, sent)).toMatchObject({ kind: 'unknown-flag', flag: '--RegionID', suggestions: ['--RegionId'] })
    const agent = agentErrorText({ message: 'unknown flag --instnace-type', did_you_mean: ['--instance-type'], recovery: { action: 'search_parameter', command: 'aliyun ecs describe-instances --help-search instance-type', hint: 'Search request parameters related to instance-type.' } })
    expect(judgeDryRun(raw(2, '', agent), flag, sent)).toMatchObject({ kind: 'unknown-flag', flag: '--instnace-type', suggestions: ['--instance-type'], said: 'unknown flag --instnace-type' })
  })

  it('a refusal printed with exit 0 is still a refusal (plugins’ exit codes are not public)', () => {
    expect(judgeDryRun(raw(0, '', "Error: '--RegionId' is not a valid parameter or flag.\nDid you mean: --biz-region-id\n"), flag, sent)).toMatchObject({ kind: 'unknown-flag', flag: '--RegionId', suggestions: ['--biz-region-id'] })
  })

  it('missing required flags are named', () => {
    expect(judgeDryRun(raw(1, '', 'Error: required flags missing: --page, --page-size\n'), flag, sent)).toMatchObject({ kind: 'missing-required', flags: ['--page', '--page-size'] })
  })

  it('the dry-run flag itself refused means no dry-run support, not a template error', () => {
    const host = hostError("'--cli-dry-run' is not a valid parameter or flag. See `aliyun help cs GET`.", { suggestible: [] })
    expect(judgeDryRun(raw(host.exitCode, host.stdout, host.stderr), flag, sent)).toMatchObject({ kind: 'no-dry-run' })
  })

  it('a profile the CLI cannot use is a refusal classified as configuration', () => {
    const host = hostError("region can't be empty", { tip: 'Configuration failed, use `aliyun configure` to configure it' })
    expect(judgeDryRun(raw(host.exitCode, host.stdout, host.stderr), flag, sent)).toMatchObject({ kind: 'refused', category: 'configuration', said: "region can't be empty" })
  })
})

// -------------------------------------------------------------------------------------------
describe('the runner’s dry run', () => {
  it('sends the step as the skill would — --profile, its user agent — with the dry-run flag last', async () => {
    const { sent, transport } = capture()
    const argv = api('ecs', 'describe-instances', { 'biz-region-id': 'cn-hangzhou', region: 'cn-hangzhou' })
    const res = await runnerFor('ecs-dr', transport, 'prod').dryRun({ argv }, '--cli-dry-run')
    expect(sent[0].argv).toEqual([...argv, '--profile', 'prod', '--user-agent', `${getPolicy('ecs-dr').user_agent}/${'f'.repeat(32)}`, '--cli-dry-run'])
    expect(res.raw.exitCode).toBe(0)
  })

  it('sends a retried step as the runner’s retry sends it: the rule’s flags after --profile, before the user agent', async () => {
    const { sent, transport } = capture()
    const runner = runnerFor('eas-deploy', transport, 'prod')
    const argv = api('eas', 'describe-machine-spec', { region: 'cn-hangzhou' })
    await runner.dryRun({ argv, retry: 'read-timeout' }, '--cli-dry-run', { retried: true })
    expect(sent[0].argv).toEqual([...argv, '--profile', 'prod', '--read-timeout', '60', '--user-agent', getPolicy('eas-deploy').user_agent, '--cli-dry-run'])
    expect(runner.retryFlags({ argv, retry: false })).toEqual([])
    await expect(runner.dryRun({ argv, retry: false }, '--cli-dry-run', { retried: true })).rejects.toThrow(/adds no flags when it is retried/)
  })

  it('a replayed dry run’s recorded delay moves the run’s virtual clock, as a replayed step’s does', async () => {
    const policy = getPolicy('ecs-review')
    const argv = api('ecs', 'describe-regions')
    const entry: CliEntry = { kind: 'cli', argv: [...argv, '--user-agent', policy.user_agent, '--cli-dry-run'], stdout: '---\nStyle:    RPC\n---\n', stderr: '', exit_code: 0, duration_ms: 40, delay_ms: 3_600_000 }
    const transport = new ReplayTransport(new Replayer(transcript('ecs-review', 'dry-run', [entry])))
    const clock = new VirtualClock(0)
    const io = createIO({ stdout: { write: () => true }, stderr: { write: () => true }, redactor: new Redactor({}), json: true })
    const runner = new Runner({ policy, transport, clock, io, signal: new AbortController().signal, userAgent: policy.user_agent })
    expect((await runner.dryRun({ argv }, '--cli-dry-run')).raw.exitCode).toBe(0)
    expect(clock.now()).toBe(3_600_000)
  })

  it('refuses, without spawning, a template the skill’s allow-list does not have, and a local command', async () => {
    const { sent, transport } = capture()
    const runner = runnerFor('ecs-review', transport)
    await expect(runner.dryRun({ argv: api('ecs', 'run-instances', { 'biz-region-id': 'cn-hangzhou' }) }, '--cli-dry-run')).rejects.toBeInstanceOf(PolicyError)
    await expect(runner.dryRun({ argv: system(['configure', 'list']) }, '--cli-dry-run')).rejects.toThrow(/a dry run is for API commands/)
    await expect(runner.dryRun({ argv: api('ecs', 'describe-regions') }, '--dryrun' as '--cli-dry-run')).rejects.toThrow(/not a dry-run flag/)
    expect(sent).toEqual([])
  })
})

// -------------------------------------------------------------------------------------------
describe('what doctor may run (D10)', () => {
  const doctorRules = { ...SkillPolicySchema.parse({ title: 'd', seed: 'd', user_agent: 'AlibabaCloud-Agent-Skills/d', session_id_in_user_agent: false, ai_mode: false, min_cli_version: '0.0.0', allow: doctorPolicy().allow }), name: 'doctor' }

  it('reads only: version, configure list, plugin list/show, configure ai-mode show', () => {
    for (const argv of [['version'], ['configure', 'list'], ['plugin', 'list'], ['plugin', 'show', '--name', 'aliyun-cli-ess'], ['configure', 'ai-mode', 'show']]) expect(() => checkCommand(doctorRules, argv)).not.toThrow()
    for (const argv of [['configure', 'ai-mode', 'disable'], ['configure', 'ai-mode', 'show', '--user-agent', 'x'], ['plugin', 'install', '--names', 'ess'], ['plugin', 'update'], ['configure', 'set', '--auto-plugin-install', 'true'], api('ecs', 'describe-regions')])
      expect(() => checkCommand(doctorRules, argv), argv.join(' ')).toThrow(PolicyError)
  })

  it('a skill still may not run configure ai-mode show', () => {
    expect(() => checkCommand(getPolicy('ecs-review'), ['configure', 'ai-mode', 'show'])).toThrow(/never runs configure ai-mode/)
    expect(() => checkCommand(getPolicy('eas-deploy'), ['configure', 'ai-mode', 'show'])).toThrow(/only by the harness lifecycle/)
  })
})

// -------------------------------------------------------------------------------------------
describe('command templates', () => {
  /** Every API command (product and action) the skill's bundled recordings send. */
  function recordedCommands(skill: string): Set<string> {
    const dir = join(packageRoot(), 'recordings', skill)
    const out = new Set<string>()
    for (const f of readdirSync(dir)) {
      const t = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { entries: { kind: string; argv?: string[] }[] }
      for (const e of t.entries) if (e.kind === 'cli' && e.argv && !['version', 'configure', 'plugin'].includes(e.argv[0])) out.add(e.argv.slice(0, 2).join(' '))
    }
    return out
  }

  it.each(SKILLS_WITH_TEMPLATES)('%s: unique names, each on its own allow-list, and one for every command its recordings send', async (skill) => {
    const templates = await loadTemplates(skill)
    expect(new Set(templates.map((t) => t.name)).size).toBe(templates.length)
    for (const t of templates) {
      expect(() => checkCommand(getPolicy(skill), t.argv), t.name).not.toThrow()
      expect(t.argv).not.toContain('--user-agent')
      expect(t.why.length).toBeGreaterThan(5)
    }
    const covered = new Set(templates.map((t) => t.argv.slice(0, 2).join(' ')))
    expect([...recordedCommands(skill)].filter((c) => !covered.has(c))).toEqual([])
  })

  it('every template sends the flags a recorded run of its skill sends, except the variants no bundled recording reaches', async () => {
    const flagSet = (argv: string[]) => {
      const p = parseArgv(argv)
      return `${p.words.slice(0, 2).join(' ')} ${p.groups.map((g) => g.flag).filter((f) => f !== '--user-agent' && f !== '--profile').sort().join(' ')}`
    }
    const unrecorded: string[] = []
    for (const skill of skillNames()) {
      const dir = join(packageRoot(), 'recordings', skill)
      const recorded = new Set(readdirSync(dir).flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')).entries as { argv?: string[] }[]).flatMap((e) => (e.argv ? [flagSet(e.argv)] : []))))
      for (const t of await loadTemplates(skill)) if (!recorded.has(flagSet(t.argv))) unrecorded.push(`${skill}: ${t.name}`)
    }
    expect(unrecorded).toEqual([
      'flink: foasconsole list-tag-resources (next page)',
      'flink: foasconsole create-instance (subscription)',
      'ecs-review: ecs describe-invocations (next page)',
      'ecs-review: ecs describe-instances (next page)',
      'ecs-review: ecs describe-instances --instance-ids',
      'ecs-review: ecs describe-instances --instance-ids (next page)',
      'eas-deploy: aiworkspace list-workspaces (next page)',
      'eas-deploy: eas list-services (next page)',
      'eas-deploy: eas list-gateway (next page)',
      'eas-deploy: eas list-resources (next page)',
      'ecs-dr: ecs describe-disks (next page)',
      'ecs-dr: ecs describe-vswitches (next page)',
    ])
  })

  it('ecs-review: each template is the argv the review sends (its first pages in a recorded run)', async () => {
    const t = JSON.parse(readFileSync(join(packageRoot(), 'recordings', 'ecs-review', 'healthy-fleet.json'), 'utf8')) as { entries: { argv?: string[] }[] }
    const recorded = t.entries.map((e) => e.argv ?? []).filter((a) => a.includes('--user-agent')).map((a) => a.slice(0, a.indexOf('--user-agent')))
    const firstPages = (await loadTemplates('ecs-review')).filter((x) => !x.name.includes('next page') && !x.argv.includes('--instance-ids'))
    for (const x of firstPages.filter((x) => recorded.some((a) => a[1] === x.argv[1]))) expect(recorded, x.name).toContainEqual(x.argv)
  })

  it('reads are told from changes by the action', () => {
    expect(readsOnly(api('ecs', 'describe-instances'))).toBe(true)
    expect(readsOnly(['cs', 'GET', '/clusters/c1'])).toBe(true)
    expect(readsOnly(api('sysom', 'get-diagnosis-result'))).toBe(true)
    expect(readsOnly(api('ecs', 'run-instances'))).toBe(false)
    expect(readsOnly(api('sysom', 'initial-sysom'))).toBe(false)
  })
})

describe('the SDK step signs with the --profile the CLI uses', () => {
  async function sdkCheck(profiles: { name: string; id: string }[], args: string[]) {
    const dir = tempDir('doctor-sdk-')
    writeFakeCli(dir, GOOD)
    mkdirSync(join(dir, '.aliyun'), { recursive: true })
    const config = { current: 'default', profiles: profiles.map((p) => ({ name: p.name, mode: 'AK', access_key_id: p.id, access_key_secret: `${p.id}secretvalue1234`, region_id: 'cn-hangzhou' })) }
    writeFileSync(join(dir, '.aliyun', 'config.json'), JSON.stringify(config))
    const res = await runBin(['doctor', '--skill', 'ack-profile', '--json', ...args], { dir, env: { PATH: `${dir}:${process.env.PATH}`, ALIYUN_CLI: undefined, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } })
    return { res, check: (res.json.checks as { name: string; status: string; detail: string }[]).find((c) => c.name === 'sdk credentials')! }
  }

  it('--profile prod: that CLI profile, not the default chain', async () => {
    const { res, check } = await sdkCheck([{ name: 'default', id: 'LTAI5tDefaultProfile0001' }, { name: 'prod', id: 'LTAI5tProdProfile0000001' }], ['--profile', 'prod'])
    expect(check).toMatchObject({ status: 'ok', detail: expect.stringContaining("the CLI profile 'prod' (--profile)") })
    expect(res.stdout).not.toContain('LTAI5tProdProfile0000001')
  })

  it('a --profile that does not exist fails the SDK check too', async () => {
    const { check } = await sdkCheck([{ name: 'default', id: 'LTAI5tDefaultProfile0001' }], ['--profile', 'staging'])
    expect(check.status).toBe('fail')
    expect(check.detail).toMatch(/staging/)
  })
})

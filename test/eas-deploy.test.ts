// eas-deploy replayed as users replay it (`--replay`, in process) from the recordings (and a few
// unrecorded variants built the same way); where the AccessToken may and may not appear is checked
// on the real bin against the fake `aliyun`. What is asserted is what a user notices: exit code,
// status, the service.json sent, the calls made and not made, the summary.

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { auditTranscript } from '../lib/audit.js'
import { NEXT_ACTION } from '../lib/cli-output.js'
import { api } from '../lib/command.js'
import { PolicyError } from '../lib/errors.js'
import { packageRoot } from '../lib/paths.js'
import { checkCommand, getPolicy } from '../lib/policy.js'
import { Redactor } from '../lib/redact.js'
import type { Entry, Transcript } from '../lib/transcript.js'
import { isGpuType, pickGpuType, sameImage } from '../scripts/eas-deploy/discovery.js'
import { missingPlugins } from '../scripts/eas-deploy/prechecks.js'
import { invocationExamples } from '../scripts/eas-deploy/summary.js'
import { serialise } from './support/build-recordings.js'
import { transcript } from './support/cli-facts.js'
import { replaySkill } from './support/replay.js'
import { calls, replayBin, tempDir, type RunResult } from './support/run.js'
import {
  args,
  argv,
  b,
  CPU_TYPE,
  created,
  dedicatedResources,
  describedService,
  endpoints,
  gatewayEndpoint,
  GATEWAY,
  gatewayList,
  GPU_TYPE,
  machineSpec,
  officialImages,
  PLUGIN_INSTALL_ARGV,
  pluginListText,
  preChecks,
  REGION,
  scenarios,
  securityGroups,
  services,
  sharedConfig,
  SMALL_GPU_TYPE,
  UNLISTED_CPU_TYPE,
  VLLM_COMMAND,
  VLLM_IMAGE,
  withReadTimeout,
  workspace,
  workspaces,
  WORKSPACE,
  nlbConfig,
  nlbDiscovery,
} from './recordings/eas-deploy.js'

type Name = keyof typeof scenarios
const policy = getPolicy('eas-deploy')
const DISABLE = 'aliyun configure ai-mode disable'
const NLB_NOTICE = 'NLB config failed due to CLI plugin limitation. Deployed with shared gateway instead.'

const memo = new Map<string, Promise<RunResult>>()
/** Each recording is replayed once with its own arguments; tests share the result. */
function replay(name: Name): Promise<RunResult> {
  if (!memo.has(name)) memo.set(name, replaySkill(scenarios[name], args[name].slice(0)))
  return memo.get(name)!
}

/** A variant of a scenario: a transcript built the same way, with the recording's arguments or others. */
function variant(description: string, entries: Entry[], argList: string[], opts: Parameters<typeof replaySkill>[2] & { generated?: Record<string, string[]> } = {}) {
  return replaySkill(transcript('eas-deploy', description, entries, { generated: opts.generated }), argList, opts)
}

const apiCalls = (res: RunResult, action: string) => calls(res).filter((c) => c.startsWith(`aliyun ${action}`))
/** The service.json bodies create-service received, from the step records (argv arrays). */
function createBodies(res: RunResult): Record<string, any>[] {
  return (res.json.steps as { command: string[] }[]).filter((s) => s.command[1] === 'eas' && s.command[2] === 'create-service').map((s) => JSON.parse(s.command[s.command.indexOf('--body') + 1]))
}
/** Two calls of `action`: the seed's command, then the same with --read-timeout 60 after its own flags. */
function expectOneReadTimeoutRetry(res: RunResult, action: string) {
  const tries = apiCalls(res, action)
  expect(tries).toHaveLength(2)
  expect(tries[0]).not.toContain('--read-timeout')
  expect(tries[1]).toBe(`${tries[0].split(' --user-agent ')[0]} --read-timeout 60 --user-agent ${policy.user_agent}`)
}
function expectClean(res: RunResult) {
  expect(res.report?.misses).toEqual([])
  expect(res.report?.unused).toEqual([])
  expect(calls(res).at(-1)).toBe(DISABLE)
}

const EXPECTED: [Name, number, string][] = [
  ['shared-vllm', 0, 'completed'],
  ['oss-autoscale', 0, 'completed'],
  ['dedicated-gateway', 0, 'completed'],
  ['nlb', 0, 'completed'],
  ['nlb-fallback', 0, 'completed'],
  ['resource-group', 0, 'completed'],
  ['resource-group-missing', 1, 'stopped'],
  ['duplicate-name', 1, 'stopped'],
  ['duplicate-check-failed', 1, 'stopped'],
  ['list-images-timeout', 0, 'completed'],
  ['cpu-vllm-switch', 0, 'completed'],
  ['several-workspaces', 3, 'needs_input'],
  ['create-conflict', 1, 'stopped'],
  ['list-images-parse-error', 0, 'completed'],
  ['machine-spec-retried', 0, 'completed'],
  ['cpu-vllm-unlisted-type', 0, 'completed'],
  ['list-images-required-flags', 1, 'failed'],
]

// -------------------------------------------------------------------------------------------
describe('every recording', () => {
  it('is covered here, passes the audit and matches its generated file', () => {
    expect(EXPECTED.map(([n]) => n).sort()).toEqual(Object.keys(scenarios).sort())
    for (const [name, t] of Object.entries(scenarios)) {
      expect(auditTranscript(t, policy), name).toEqual([])
      expect(readFileSync(join(packageRoot(), 'recordings', 'eas-deploy', `${name}.json`), 'utf8'), `${name} is stale: run npm run recordings`).toBe(serialise(t))
    }
  })

  it.each(EXPECTED)('%s: exit %i, status %s, every call served, ai-mode enabled first and disabled last', async (name, code, status) => {
    const res = await replay(name)
    expect(res.code, res.stderr).toBe(code)
    expect(res.json.status).toBe(status)
    expectClean(res)
    expect(calls(res).slice(0, 2)).toEqual(['aliyun configure ai-mode enable', `aliyun configure ai-mode set-user-agent --user-agent ${policy.user_agent}`])
    // The ai-mode lifecycle is the runner's: between enable and disable the skill never touches it.
    expect(calls(res).filter((c) => c.includes('ai-mode'))).toHaveLength(3)
  })
})

// -------------------------------------------------------------------------------------------
describe('the seed workflow, in order', () => {
  it('shared gateway: pre-checks, workspace, duplicate gate, list-images, describe-machine-spec, gate again, create, describe once, endpoints', async () => {
    const res = await replay('shared-vllm')
    const words = calls(res).map((c) => c.replace(/^aliyun /, '').split(' --')[0])
    expect(words).toEqual([
      'configure ai-mode enable',
      'configure ai-mode set-user-agent',
      'version',
      'plugin update',
      'configure set',
      'plugin update',
      'plugin install',
      'plugin list',
      'configure set',
      'aiworkspace list-workspaces',
      'eas list-services',
      'aiworkspace list-images',
      'eas describe-machine-spec',
      'eas list-services',
      'eas create-service',
      'eas describe-service',
      'eas describe-service-endpoints',
      'configure ai-mode disable',
    ])
    expect(createBodies(res)).toEqual([sharedConfig('qwen_chat')])
    expect(res.json.data).toMatchObject({ service_name: 'qwen_chat', service_id: 'eas-m-qwenchat7f3k', status: 'Waiting', workspace_id: WORKSPACE, network: 'shared-gateway', instance_types: [GPU_TYPE] })
    expect(res.json.data.validations.images.images).toEqual([{ image: VLLM_IMAGE, official: true }])
  })

  it('every API call carries the seed user agent exactly once; no local command carries it', async () => {
    const res = await replay('shared-vllm')
    const sent = calls(res).filter((c) => !c.includes('set-user-agent'))
    const isLocal = (c: string) => /^aliyun (configure|plugin|version)\b/.test(c)
    const userAgents = (c: string) => c.split(' --user-agent ').length - 1
    for (const c of sent.filter(isLocal)) expect(userAgents(c), c).toBe(0)
    for (const c of sent.filter((x) => !isLocal(x))) {
      expect(userAgents(c), c).toBe(1)
      expect(c.endsWith(`--user-agent ${policy.user_agent}`), c).toBe(true)
    }
  })

  it('prints the Deployment Summary exactly as the seed formats it', async () => {
    const res = await replay('shared-vllm')
    expect(res.json.data.summary).toBe(
      [
        'Deployment Summary',
        '==================',
        'Service Name: qwen_chat',
        'Status: Waiting',
        '',
        'Endpoints:',
        '- DefaultGateway:',
        '    InternetEndpoint: http://1557702098194904.cn-hangzhou.pai-eas.aliyuncs.com',
        '    IntranetEndpoint: http://1557702098194904.vpc.cn-hangzhou.pai-eas.aliyuncs.com',
        '    Port: 80',
        '',
        'Service Invocation Examples:',
        '  curl http://1557702098194904.cn-hangzhou.pai-eas.aliyuncs.com/api/predict/qwen_chat \\',
        '    -H "Authorization: ***"',
        '  curl http://1557702098194904.vpc.cn-hangzhou.pai-eas.aliyuncs.com/api/predict/qwen_chat \\',
        '    -H "Authorization: ***"',
      ].join('\n'),
    )
  })

  it('on a terminal, prints the summary and the notes', async () => {
    const res = await replaySkill(scenarios['dedicated-gateway'], args['dedicated-gateway'], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('Deployment Summary\n==================\nService Name: qwen_private\nStatus: Waiting\n')
    expect(res.stdout).toContain('- PrivateGateway:\n    InternetEndpoint: (not available for this network type)\n    IntranetEndpoint: http://gw-1uhcqmsc7x22-1557702098194904-vpc.cn-hangzhou.pai-eas.aliyuncs.com\n    Port: 80')
    expect(res.stdout).toContain('Notes:\n- Using workspace llm_team (86431), the only enabled one in cn-hangzhou.')
    expect(res.stdout).toMatch(/✔ eas-deploy: completed/)
  })
})

// -------------------------------------------------------------------------------------------
describe('names, workspaces, duplicates', () => {
  it('a prefix becomes <prefix><6 digits> (recorded, so replays repeat it), and a given workspace skips list-workspaces', async () => {
    const res = await replay('oss-autoscale')
    expect(res.json.data.service_name).toBe('skill_qwen_482917')
    expect(apiCalls(res, 'aiworkspace list-workspaces')).toEqual([])
    const [body] = createBodies(res)
    expect(body.metadata).toEqual({ name: 'skill_qwen_482917', instance: 2, workspace_id: WORKSPACE })
    expect(body.storage).toEqual([{ mount_path: '/model_dir', oss: { path: 'oss://llm-models-hz/qwen2.5-7b-instruct/', readOnly: true } }])
    expect(body.autoscaler).toEqual({ min: 1, max: 4, scaleStrategies: [{ metricName: 'qps', threshold: 20 }] })
    expect(body.containers[0].startup_check).toEqual({ http_get: { path: '/health', port: 8000 }, initial_delay_seconds: 60, period_seconds: 10, failure_threshold: 30 })
  })

  it('several enabled workspaces: exit 3 before the duplicate gate, one continuation per workspace (default first)', async () => {
    const res = await replay('several-workspaces')
    expect(apiCalls(res, 'eas')).toEqual([])
    const input = res.json.input
    expect(input.flag).toBe('--workspace-id')
    expect(input.options.map((o: any) => [o.value, o.recommended])).toEqual([
      [WORKSPACE, true],
      ['92011', false],
      ['77310', false],
    ])
    for (const o of input.options) {
      expect(o.argv).toEqual([...args['several-workspaces'].slice(0), '--workspace-id', o.value])
      expect(o.command).toContain(`--workspace-id ${o.value}`)
    }
    expect(input.context).toContain('86431  llm_team  (default)')
    expect(input.context).not.toContain('archived')
  })

  it('with a name prefix, the continuations keep the generated name instead of drawing new digits', async () => {
    const list = scenarios['several-workspaces'].entries
    const argList = ['eas-deploy', '--region', REGION, '--service-name-prefix', 'skill_qwen_', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE]
    const res = await variant('prefix + several workspaces', list, argList, { generated: { 'service-name-suffix': ['104233'] } })
    expect(res.code).toBe(3)
    expectClean(res)
    for (const o of res.json.input.options) {
      expect(o.argv).toEqual(['eas-deploy', '--region', REGION, '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE, '--workspace-id', o.value, '--service-name', 'skill_qwen_104233'])
    }
  })

  it('continuing with the chosen workspace deploys there without asking again', async () => {
    const t = scenarios['shared-vllm']
    const entries = t.entries.filter((e) => !(e.kind === 'cli' && e.argv[1] === 'list-workspaces')).map((e) =>
      e.kind === 'cli' && e.argv[1] === 'create-service' ? { ...e, argv: [...argv.createService(sharedConfig('qwen_chat', { workspace: '92011' })), '--user-agent', b.userAgent] } : e,
    )
    const res = await variant('continue with --workspace-id', entries, [...args['several-workspaces'], '--workspace-id', '92011'])
    expect(res.code, res.stderr).toBe(0)
    expectClean(res)
    expect(res.json.data.workspace_id).toBe('92011')
  })

  it('a duplicate name stops with the seed text; nothing is validated or created', async () => {
    const res = await replay('duplicate-name')
    expect(res.json.error).toMatchObject({ code: 'ServiceNameTaken', message: 'A service named chatglm_demo already exists (Status: Running). Please choose a different name.' })
    expect(res.json.data).toEqual({ service_name: 'chatglm_demo', region: REGION, existing_status: 'Running' })
    expect(apiCalls(res, 'aiworkspace list-images')).toEqual([])
    expect(apiCalls(res, 'eas create-service')).toEqual([])
  })

  it('the duplicate check failing is a stop: no duplicate was ruled out', async () => {
    const res = await replay('duplicate-check-failed')
    expect(res.json.error.code).toBe('DuplicateCheckFailed')
    expect(res.json.error.message).toMatch(/Could not check whether a service named qwen_chat already exists in cn-hangzhou \(Forbidden\.RAM: /)
    expect(res.json.error.request_id).toMatch(/^7C2F1A4E-/)
    expect(res.json.error.required_permissions).toEqual(policy.permissions?.ram)
    expect(res.json.next_action).toMatch(/^Do not retry yet\. Ask an administrator to grant every RAM permission in error\.required_permissions /)
    expect(apiCalls(res, 'eas create-service')).toEqual([])
  })

  it('the duplicate gate reads every page: a name on page 2 still stops the run', async () => {
    const page = (n: number, names: string[]) =>
      b.api(n === 1 ? argv.listServices() : [...argv.listServices(), '--page-number', String(n), '--page-size', '2'], {
        Services: names.map((ServiceName) => ({ ServiceName, Status: 'Running' })),
        TotalCount: 3,
        PageNumber: n,
        PageSize: 2,
      })
    const res = await variant('duplicate on page 2', [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), page(1, ['a_one', 'b_two']), page(2, ['qwen_chat']), b.aiModeDisable()], args['shared-vllm'])
    expect(res.code).toBe(1)
    expectClean(res)
    expect(res.json.error.message).toBe('A service named qwen_chat already exists (Status: Running). Please choose a different name.')
  })

  it('a body without Services[] (the seed’s wrong .ServiceList path) is not read as "no duplicate"', async () => {
    const drift = b.api(argv.listServices(), { ServiceList: [{ ServiceName: 'qwen_chat', Status: 'Running' }], TotalCount: 1 })
    const res = await variant('ServiceList instead of Services', [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), drift, b.aiModeDisable()], args['shared-vllm'])
    expect(res.json.error.code).toBe('DuplicateCheckFailed')
    expect(res.json.error.message).toMatch(/ResponseShapeDrift/)
    expectClean(res)
  })

  it('no enabled workspace: the mandatory validations still run, then the run stops (metadata.workspace_id is required)', async () => {
    const res = await variant(
      'no enabled workspace',
      [...preChecks(), workspaces(workspace('60005', 'archived', { Status: 'DISABLED' })), services(), officialImages(), machineSpec(), b.aiModeDisable()],
      args['shared-vllm'],
    )
    expect(res.code).toBe(1)
    expectClean(res)
    expect(res.json).toMatchObject({ status: 'stopped', error: { code: 'WorkspaceRequired' } })
    expect(res.json.next_action).toContain('--workspace-id')
    expect(apiCalls(res, 'eas create-service')).toEqual([])
  })
})

// -------------------------------------------------------------------------------------------
describe('mandatory validations', () => {
  it('list-images times out once: one retry with --read-timeout 60, then the workflow goes on', async () => {
    const res = await replay('list-images-timeout')
    expectOneReadTimeoutRetry(res, 'aiworkspace list-images')
    expect(res.stderr).toContain('retrying once with --read-timeout 60')
    const steps = res.json.steps.filter((s: any) => s.command[2] === 'list-images')
    expect(steps.map((s: any) => [s.attempt, s.error_code ?? null])).toEqual([
      [1, 'SDK.TimeoutError'],
      [2, null],
    ])
  })

  it('two timeouts: the mandatory check failed, so nothing is built or created', async () => {
    const timeout = (a: string[]) => b.apiTimeout(a, 'pai-eas.cn-hangzhou.aliyuncs.com')
    const res = await variant(
      'describe-machine-spec times out twice',
      [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), services(), officialImages(), timeout(argv.machineSpec()), timeout(withReadTimeout(argv.machineSpec())), b.aiModeDisable()],
      args['shared-vllm'],
    )
    expect(res.code).toBe(1)
    expectClean(res)
    expect(res.json.error.code).toBe('MandatoryCheckFailed')
    expect(res.json.error.message).toMatch(/describe-machine-spec \(instance type validation\) failed: SDK\.TimeoutError; then SDK\.TimeoutError \(with --read-timeout 60\)\. Last error: /)
  })

  it('describe-machine-spec failing in any way (ServiceUnavailable) is retried once with --read-timeout 60', async () => {
    const res = await replay('machine-spec-retried')
    expectOneReadTimeoutRetry(res, 'eas describe-machine-spec')
    expect(res.stderr).toContain('eas describe-machine-spec (validate instance type) failed (ServiceUnavailable: The request has failed due to a temporary failure of the server.); retrying once with --read-timeout 60.')
    expect(createBodies(res)[0].cloud.computing.instance_type).toBe(GPU_TYPE)
  })

  it('a failure that is not retried says so: no --read-timeout retry is claimed, and a permission refusal lists every permission', async () => {
    const res = await variant(
      'list-images refused',
      [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), services(), b.apiError(argv.listImages(), { code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM." }), b.aiModeDisable()],
      args['shared-vllm'],
    )
    expect(res.code).toBe(1)
    expectClean(res)
    expect(res.json.error.message).toMatch(/^aiworkspace list-images \(image validation\) failed: Forbidden\.RAM\. Last error: Forbidden\.RAM: /)
    expect(res.json.error.message).not.toContain('read-timeout')
    expect(res.json.error.required_permissions).toEqual(policy.permissions?.ram)
    expect(res.json.next_action).toMatch(/error\.required_permissions/)
    expect(apiCalls(res, 'eas describe-machine-spec')).toEqual([])
  })

  it('the plugin refuses list-images ("required flags missing"): the check fails naming the flag and the command, points to doctor; no reinstall, no retry', async () => {
    const res = await replay('list-images-required-flags')
    expect(res.code).toBe(1)
    expectClean(res)
    expect(res.json.error.code).toBe('MandatoryCheckFailed')
    expect(res.json.error.message).toMatch(/^aiworkspace list-images \(image validation\) failed: CliMissingRequiredFlags\. Last error: CliMissingRequiredFlags: `aliyun aiworkspace list-images` was refused: .*requires --page-number, which this harness did not send\./)
    expect(res.json.next_action).toBe(NEXT_ACTION.mismatch)
    expect(apiCalls(res, 'aiworkspace list-images')).toHaveLength(1)
    expect(calls(res).filter((c) => c.startsWith('aliyun plugin install'))).toHaveLength(1)
    expect(apiCalls(res, 'eas describe-machine-spec')).toEqual([])
    expect(apiCalls(res, 'eas create-service')).toEqual([])
  })

  it('list-images "parse error": reinstall the plugin, list-images again, then once more with --read-timeout 60 (the seed\'s sequence)', async () => {
    const res = await replay('list-images-parse-error')
    expect(res.code, res.stderr).toBe(0)
    const order = calls(res).filter((c) => c.includes('list-images') || c.startsWith('aliyun plugin install'))
    expect(order.map((c) => (c.startsWith('aliyun plugin install') ? 'install' : c.includes('--read-timeout 60') ? 'list-images --read-timeout 60' : 'list-images'))).toEqual([
      'install', // pre-checks
      'list-images',
      'install', // the reinstall
      'list-images',
      'list-images --read-timeout 60',
    ])
    expect(res.stderr).toContain('the aiworkspace plugin may not have installed: reinstalling it')
    expect(res.stderr).toContain('aiworkspace list-images (validate image) failed (ServiceUnavailable: The request has failed due to a temporary failure of the server.); retrying once with --read-timeout 60.')
    expect(res.json.data.validations.images.official_images_listed).toBe(4)
  })

  it('list-images still failing after the whole sequence: the message lists exactly what was tried', async () => {
    const entries = scenarios['list-images-parse-error'].entries
    const last = entries.findIndex((e) => e.kind === 'cli' && e.argv.includes('--read-timeout'))
    const failing = { ...b.apiError(withReadTimeout(argv.listImages()), { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' }) }
    const res = await variant('parse error, then failures to the end', [...entries.slice(0, last), failing, b.aiModeDisable()], args['list-images-parse-error'])
    expect(res.code).toBe(1)
    expectClean(res)
    expect(res.json.error.code).toBe('MandatoryCheckFailed')
    expect(res.json.error.message).toMatch(
      /^aiworkspace list-images \(image validation\) failed: output that is not the expected JSON; then plugin install --names aiworkspace eas; then ServiceUnavailable; then ServiceUnavailable \(with --read-timeout 60\)\. Last error: ServiceUnavailable: /,
    )
    expect(res.json.error.required_permissions).toBeUndefined()
  })

  it('list-images failing like a missing plugin: plugin install, then list-images once more', async () => {
    const missing = { ...b.system([...argv.listImages(), '--user-agent', b.userAgent], '', { exitCode: 1, stderr: "ERROR: 'aiworkspace' is not a valid built-in product.\nA plugin 'aliyun-cli-aiworkspace' is available which supports this product.\nRun 'aliyun plugin install --names aliyun-cli-aiworkspace' to install it.\n" }) }
    const t = scenarios['shared-vllm'].entries
    const at = t.findIndex((e) => e.kind === 'cli' && e.argv[1] === 'list-images')
    const entries = [...t.slice(0, at), missing, b.system(PLUGIN_INSTALL_ARGV, 'Installed: 2\n'), ...t.slice(at)]
    const res = await variant('plugin missing on list-images', entries, args['shared-vllm'])
    expect(res.code, res.stderr).toBe(0)
    expectClean(res)
    expect(res.stderr).toContain('the aiworkspace plugin may not have installed: reinstalling it, then trying again')
  })

  it('vLLM on a CPU type: the smallest GPU type with stock is used, and the user is told', async () => {
    const res = await replay('cpu-vllm-switch')
    expect(createBodies(res)[0].cloud.computing.instance_type).toBe(SMALL_GPU_TYPE)
    expect(res.json.data.validations.machine.switched).toEqual({ from: CPU_TYPE, to: SMALL_GPU_TYPE, reason: `vLLM/SGLang needs a GPU and ${CPU_TYPE} has none` })
    expect(res.stderr).toContain(`using ${SMALL_GPU_TYPE} instead (1 × A10 24 GB, 8 vCPU, 30 GB)`)
    expect(res.json.data.notices.some((n: string) => n.includes(SMALL_GPU_TYPE))).toBe(true)
  })

  it('vLLM on a type describe-machine-spec does not list as a GPU type (ecs.g7.2xlarge, not listed): a GPU type is picked, and the summary says which and why', async () => {
    const res = await replay('cpu-vllm-unlisted-type')
    expect(res.code, res.stderr).toBe(0)
    expect(createBodies(res).map((c) => c.cloud.computing.instance_type)).toEqual([SMALL_GPU_TYPE])
    const reason = `vLLM/SGLang needs a GPU and ${UNLISTED_CPU_TYPE} is not a GPU type describe-machine-spec lists in ${REGION}`
    expect(res.json.data.validations.machine.switched).toEqual({ from: UNLISTED_CPU_TYPE, to: SMALL_GPU_TYPE, reason })
    expect(res.json.data.instance_types).toEqual([SMALL_GPU_TYPE])
    expect(res.json.data.summary).toContain(`Status: Waiting\nInstance Type: ${SMALL_GPU_TYPE} (picked instead of ${UNLISTED_CPU_TYPE}: ${reason})\n`)
  })

  it('a GPU type is GPUAmount > 0 or a GPU model present; anything else is a CPU type', () => {
    expect(isGpuType({ InstanceType: 'a', GPUAmount: 1, GPU: 'A10' })).toBe(true)
    expect(isGpuType({ InstanceType: 'b', GPU: 'T4' })).toBe(true)
    expect(isGpuType({ InstanceType: 'c', GPUAmount: 0 })).toBe(false)
    expect(isGpuType({ InstanceType: 'd' })).toBe(false)
    // pickGpuType never offers a type without a GPU, nor one without stock
    expect(pickGpuType([{ InstanceType: 'cpu', GPUAmount: 0, CPU: 2 }, { InstanceType: 'nostock', GPUAmount: 1, GPU: 'T4', StockStatus: 'NoStock' }, { InstanceType: 'gpu', GPU: 'A10', CPU: 8 }])?.InstanceType).toBe('gpu')
  })

  it('a CPU type without vLLM/SGLang is kept; an image outside the official list is deployed as given, with a note', async () => {
    const image = 'registry.example.com/team/fastapi-app:1.2'
    const config = sharedConfig('api_svc', { image, type: CPU_TYPE, command: null })
    const res = await variant(
      'custom image on CPU',
      [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), services(), officialImages(), machineSpec(), services(), b.api(argv.createService(config), created('api_svc')), describedService('api_svc'), endpoints('api_svc', [gatewayEndpoint('api_svc')]), b.aiModeDisable()],
      ['eas-deploy', '--region', REGION, '--service-name', 'api_svc', '--image', image, '--instance-type', CPU_TYPE],
    )
    expect(res.code, res.stderr).toBe(0)
    expectClean(res)
    expect(res.json.data.validations.images.images).toEqual([{ image, official: false }])
    expect(res.stderr).toContain(`Image ${image} is not among the 4 official EAS images`)
  })

  it('matches the -vpc registry host with the public one', () => {
    expect(sameImage('eas-registry.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:1', 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:1')).toBe(true)
    expect(sameImage('eas-registry.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:1', 'eas-registry.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:2')).toBe(false)
  })
})

// -------------------------------------------------------------------------------------------
describe('networks and resource groups', () => {
  it('dedicated gateway: networking.gateway + cloud.networking with the comma-joined VSwitches of describe-gateway', async () => {
    const res = await replay('dedicated-gateway')
    const [body] = createBodies(res)
    expect(body.networking).toEqual({ gateway: GATEWAY })
    expect(body.cloud.networking).toEqual({ vpc_id: 'vpc-bp1gw0001', vswitch_id: 'vsw-bp1gwa0001,vsw-bp1gwb0001', security_group_id: 'sg-bp1gw0001' })
    expect(res.json.data.network).toBe('dedicated-gateway')
    expect(res.json.data.endpoints[0]).toEqual({ EndpointType: 'PrivateGateway', InternetEndpoint: null, IntranetEndpoint: `http://${GATEWAY}-1557702098194904-vpc.cn-hangzhou.pai-eas.aliyuncs.com`, Port: 80 })
  })

  it('dedicated gateway from the IntranetLinkedVpcList shape (SDK model), discovered without --gateway-id', async () => {
    const other = { GatewayId: 'gw-0stopped000', GatewayName: 'old', Status: 'Stopped' }
    const running = { GatewayId: GATEWAY, GatewayName: 'llm-gw', Status: 'Running' }
    const config = { ...sharedConfig('qwen_private'), cloud: { computing: { instance_type: GPU_TYPE }, networking: { vpc_id: 'vpc-bp1gw0001', vswitch_id: 'vsw-bp1gwa0001,vsw-bp1gwb0001', security_group_id: 'sg-bp1linked01' } }, networking: { gateway: GATEWAY } }
    const res = await variant(
      'IntranetLinkedVpcList',
      [
        ...preChecks(),
        workspaces(workspace(WORKSPACE, 'llm_team')),
        services(),
        officialImages(),
        machineSpec(),
        gatewayList([other, running]),
        b.api(argv.describeGateway(GATEWAY), {
          GatewayId: GATEWAY,
          IntranetLinkedVpcList: [
            { VpcId: 'vpc-bp1gw0001', VSwitchId: 'vsw-bp1gwa0001', SecurityGroupId: 'sg-bp1linked01', Status: 'Running' },
            { VpcId: 'vpc-bp1gw0001', VSwitchId: 'vsw-bp1gwb0001', SecurityGroupId: 'sg-bp1linked01', Status: 'Running' },
          ],
        }),
        services(),
        b.api(argv.createService(config), created('qwen_private')),
        describedService('qwen_private'),
        endpoints('qwen_private'),
        b.aiModeDisable(),
      ],
      ['eas-deploy', '--region', REGION, '--service-name', 'qwen_private', '--image', VLLM_IMAGE, '--command', VLLM_COMMAND, '--instance-type', GPU_TYPE, '--network', 'gateway'],
    )
    expect(res.code, res.stderr).toBe(0)
    expectClean(res)
    expect(apiCalls(res, 'ecs describe-security-groups')).toEqual([])
    expect(res.stderr).toContain(`Using dedicated gateway llm-gw (${GATEWAY}), one of 2; pass --gateway-id to choose another.`)
  })

  const discoverGateway = ['eas-deploy', '--region', REGION, '--service-name', 'qwen_private', '--image', VLLM_IMAGE, '--command', VLLM_COMMAND, '--instance-type', GPU_TYPE, '--network', 'gateway']
  it.each([
    ['no gateway exists', [gatewayList([])], 'GatewayNotFound', /No dedicated gateway exists in cn-hangzhou/, discoverGateway],
    ['the given gateway does not exist', [gatewayList([{ GatewayId: 'gw-someoneelse', Status: 'Running' }])], 'GatewayNotFound', /gw-1uhcqmsc7x22 does not exist/, args['dedicated-gateway']],
    [
      'the gateway VPC has no security group',
      [gatewayList(), b.api(argv.describeGateway(GATEWAY), { LoadBalancerList: [{ VpcId: 'vpc-bp1gw0001', VSwitchIds: ['vsw-bp1gwa0001'] }] }), securityGroups('vpc-bp1gw0001')],
      'SecurityGroupNotFound',
      /No security group exists in VPC vpc-bp1gw0001/,
      args['dedicated-gateway'],
    ],
    ['describe-gateway shows no VPC', [gatewayList(), b.api(argv.describeGateway(GATEWAY), { GatewayId: GATEWAY, Status: 'Running' })], 'GatewayVpcNotFound', /shows no VPC for dedicated gateway/, args['dedicated-gateway']],
  ] as [string, Entry[], string, RegExp, string[]][])('dedicated gateway: %s → stop, nothing created', async (_name, step4, code, message, argList) => {
    const res = await variant(_name, [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), services(), officialImages(), machineSpec(), ...step4, b.aiModeDisable()], argList)
    expect(res.code).toBe(1)
    expectClean(res)
    expect(res.json.status).toBe('stopped')
    expect(res.json.error.code).toBe(code)
    expect(res.json.error.message).toMatch(message)
  })

  it('NLB: two VSwitches in different zones (one per zone), listener 9000, and a domain:port example', async () => {
    const res = await replay('nlb')
    const [body] = createBodies(res)
    expect(body).toEqual(nlbConfig('qwen_nlb'))
    expect(res.json.data.network).toBe('nlb')
    expect(res.json.data.invocation_examples).toEqual(['curl nlb-8x1ivk0dnr2a5m4t6q.cn-hangzhou.nlb.aliyuncsslb.com:9000/api/predict/qwen_nlb \\\n    -H "Authorization: ***"'])
  })

  it('NLB plugin 400 twice: two NLB attempts, then the shared gateway and the seed notice, exactly', async () => {
    const res = await replay('nlb-fallback')
    const bodies = createBodies(res)
    expect(bodies).toEqual([nlbConfig('qwen_nlb'), nlbConfig('qwen_nlb'), sharedConfig('qwen_nlb')])
    expect(bodies[2].networking).toBeUndefined()
    expect(bodies[2].cloud).toEqual({ computing: { instance_type: GPU_TYPE } })
    expect(res.stderr.split('\n')).toContain(NLB_NOTICE)
    expect(res.json.data).toMatchObject({ network: 'shared-gateway', requested_network: 'nlb', create_service_calls: 3 })
    expect(res.json.data.notices).toContain(NLB_NOTICE)
  })

  it('NLB plugin 400 once: the second NLB attempt succeeds and the NLB is kept', async () => {
    const t = scenarios['nlb'].entries
    const at = t.findIndex((e) => e.kind === 'cli' && e.argv[1] === 'create-service')
    const entries = [...t.slice(0, at), b.apiError(argv.createService(nlbConfig('qwen_nlb')), { code: 'BadRequest', message: 'vswitch can not be null' }), ...t.slice(at)]
    const res = await variant('NLB bug once', entries, args['nlb'])
    expect(res.code, res.stderr).toBe(0)
    expectClean(res)
    expect(res.json.data).toMatchObject({ network: 'nlb', create_service_calls: 2 })
    expect(res.stderr).not.toContain(NLB_NOTICE)
  })

  it('another 400 on the NLB config is not the plugin bug: no second attempt, no fallback', async () => {
    const t = scenarios['nlb'].entries
    const at = t.findIndex((e) => e.kind === 'cli' && e.argv[1] === 'create-service')
    const entries = [...t.slice(0, at), b.apiError(argv.createService(nlbConfig('qwen_nlb')), { code: 'InvalidParameter', message: 'listener port 9000 is in use' }), b.aiModeDisable()]
    const res = await variant('other NLB error', entries, args['nlb'])
    expect(res.code).toBe(1)
    expectClean(res)
    expect(res.json).toMatchObject({ status: 'failed', error: { code: 'InvalidParameter' } })
    expect(apiCalls(res, 'eas create-service')).toHaveLength(1)
  })

  it('NLB with all VSwitches in one zone → stop', async () => {
    const discovery = nlbDiscovery()
    const oneZone = b.api(argv.describeVSwitches('vpc-bp1llm0001'), { VSwitches: { VSwitch: [{ VSwitchId: 'vsw-bp1zonei0001', ZoneId: 'cn-hangzhou-i', Status: 'Available' }, { VSwitchId: 'vsw-bp1zonei0002', ZoneId: 'cn-hangzhou-i', Status: 'Available' }] }, TotalCount: 2 })
    const res = await variant('one zone', [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), services(), officialImages(), machineSpec(), discovery[0], oneZone, b.aiModeDisable()], args['nlb'])
    expect(res.json.error.code).toBe('NlbNeedsTwoZones')
    expect(res.json.error.message).toMatch(/in only cn-hangzhou-i/)
    expectClean(res)
  })

  it('NLB with given VSwitches in the same zone → stop; given VPC, VSwitches and SG skip discovery otherwise', async () => {
    const res = await variant(
      'given VSwitches, one zone',
      [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), services(), officialImages(), machineSpec(), nlbDiscovery()[1], b.aiModeDisable()],
      [...args['nlb'], '--vpc-id', 'vpc-bp1llm0001', '--vswitch-id', 'vsw-bp1zonei0001,vsw-bp1zonei0002', '--security-group-id', 'sg-bp1llm0001'],
    )
    expect(res.json.error.code).toBe('NlbNeedsTwoZones')
    expect(res.json.error.message).toMatch(/vsw-bp1zonei0001, vsw-bp1zonei0002 are in only cn-hangzhou-i/)
    expect(apiCalls(res, 'vpc describe-vpcs')).toEqual([])
    expectClean(res)
  })

  it('dedicated resource group: metadata.resource, no cloud.computing, and describe-machine-spec still runs', async () => {
    const res = await replay('resource-group')
    const [body] = createBodies(res)
    expect(body.metadata).toEqual({ name: 'qwen_dedicated', instance: 1, resource: 'eas-r-4gt8twzwllfo', workspace_id: WORKSPACE })
    expect(body.cloud).toBeUndefined()
    expect(apiCalls(res, 'eas describe-machine-spec')).toHaveLength(1)
    expect(res.json.data.resource_id).toBe('eas-r-4gt8twzwllfo')
  })

  it('no ready dedicated resource group → stop, never the public group instead', async () => {
    const res = await replay('resource-group-missing')
    expect(res.json.error).toMatchObject({ code: 'DedicatedResourceGroupNotFound', message: 'No dedicated resource group (ResourceType Dedicated, Status ResourceReady) exists in cn-hangzhou. Nothing was created.' })
    expect(apiCalls(res, 'eas create-service')).toEqual([])
  })

  it('a named resource group that is not ResourceReady → stop', async () => {
    const res = await variant(
      'resource group creating',
      [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), services(), officialImages(), machineSpec(), dedicatedResources([['eas-r-h2k9creating', 'Dedicated', 'ResourceCreating']]), b.aiModeDisable()],
      ['eas-deploy', '--region', REGION, '--service-name', 'qwen_dedicated', '--image', VLLM_IMAGE, '--resource-id', 'eas-r-h2k9creating'],
    )
    expect(res.json.error.code).toBe('DedicatedResourceGroupNotReady')
    expect(res.json.error.message).toMatch(/is Dedicated with status ResourceCreating/)
    expectClean(res)
  })
})

// -------------------------------------------------------------------------------------------
describe('create-service, describe-service, endpoints', () => {
  it('409 on create-service → stop; the service is neither reused nor deleted', async () => {
    const res = await replay('create-conflict')
    expect(res.json.error.code).toBe('ServiceAlreadyExists')
    expect(res.json.error.message).toBe('A service named qwen_chat already exists (create-service answered Conflict: Service qwen_chat already exists.). Please choose a different name.')
    expect(apiCalls(res, 'eas describe-service')).toEqual([])
  })

  it('describe-service is called exactly once in every deploy, and never before create-service', async () => {
    for (const name of ['shared-vllm', 'oss-autoscale', 'dedicated-gateway', 'nlb', 'nlb-fallback', 'resource-group', 'list-images-timeout', 'cpu-vllm-switch'] as Name[]) {
      const res = await replay(name)
      const all = calls(res)
      expect(all.filter((c) => c.startsWith('aliyun eas describe-service ')), name).toHaveLength(1)
      expect(all.findIndex((c) => c.startsWith('aliyun eas describe-service '))).toBeGreaterThan(all.findLastIndex((c) => c.startsWith('aliyun eas create-service')))
      expect(all.filter((c) => c.startsWith('aliyun eas list-services')), name).toHaveLength(2)
      expect(all.some((c) => c.includes('file://')), name).toBe(false)
    }
  })

  it('describe-service failing is reported, not retried: the create-service status is used', async () => {
    const t = scenarios['shared-vllm'].entries
    const entries = t.map((e) => (e.kind === 'cli' && e.argv[1] === 'describe-service' ? b.apiTimeout(argv.describeService('qwen_chat'), 'pai-eas.cn-hangzhou.aliyuncs.com') : e))
    const res = await variant('describe-service times out', entries, args['shared-vllm'])
    expect(res.code, res.stderr).toBe(0)
    expectClean(res)
    expect(res.json.data.status).toBe('Creating')
    expect(apiCalls(res, 'eas describe-service ')).toHaveLength(1)
    expect(res.json.data.notices.some((n: string) => n.startsWith('describe-service failed'))).toBe(true)
  })

  it('create-service failing otherwise: status failed with the API error code', async () => {
    const t = scenarios['create-conflict'].entries
    const entries = t.map((e) => (e.kind === 'cli' && e.argv[1] === 'create-service' ? b.apiError(argv.createService(sharedConfig('qwen_chat')), { code: 'QuotaExceeded', message: 'GPU quota exceeded in cn-hangzhou' }) : e))
    const res = await variant('create fails', entries, args['create-conflict'])
    expect(res.code).toBe(1)
    expect(res.json).toMatchObject({ status: 'failed', error: { code: 'QuotaExceeded', message: 'GPU quota exceeded in cn-hangzhou' } })
    expect(res.json.data.service_config).toEqual(sharedConfig('qwen_chat'))
    expectClean(res)
  })

  it('examples: internet first, then intranet, then NLB domain:port; a URL that already has the path is not doubled', () => {
    const ep = (EndpointType: string, InternetEndpoints: string[], IntranetEndpoints: string[], Port = 80) => ({ EndpointType, InternetEndpoints, IntranetEndpoints, Port, PathType: 'Service' })
    expect(
      invocationExamples('svc', [ep('Nlb', [], ['nlb-1.example.com'], 9000), ep('DefaultGateway', ['http://pub/api/predict/svc'], ['http://vpc/'])], 'TOKEN').map((e) => e.split(' \\')[0]),
    ).toEqual(['curl http://pub/api/predict/svc', 'curl http://vpc/api/predict/svc', 'curl nlb-1.example.com:9000/api/predict/svc'])
    expect(invocationExamples('svc', [ep('DefaultGateway', ['http://pub'], [])], undefined)).toEqual(['curl http://pub/api/predict/svc \\\n    -H "Authorization: <AccessToken>"'])
  })
})

// -------------------------------------------------------------------------------------------
describe('the AccessToken', () => {
  const TOKEN = 'NjM0ZGJlYzItZXhhbXBsZS1lYXMtdG9rZW4tOWYxYQ=='

  function withToken(): Transcript {
    const t = structuredClone(scenarios['shared-vllm'])
    t.entries = t.entries.map((e) => {
      if (e.kind !== 'cli') return e
      if (e.argv[1] === 'describe-service-endpoints') return endpoints('qwen_chat', [gatewayEndpoint('qwen_chat')], TOKEN)
      if (e.argv[1] === 'describe-service') return { ...e, stdout_json: { ...(e.stdout_json as object), AccessToken: TOKEN } }
      return e
    })
    return t
  }

  it('reaches the summary, the examples and data.AccessToken, and nothing else (stderr, steps, the rest of the result) — the bin as a process', async () => {
    const res = await replayBin(withToken(), args['shared-vllm'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.json.data.AccessToken).toBe(TOKEN)
    expect(res.json.data.summary).toContain(`-H "Authorization: ${TOKEN}"`)
    expect(res.json.data.invocation_examples.every((e: string) => e.endsWith(`-H "Authorization: ${TOKEN}"`))).toBe(true)
    expect(res.stderr).not.toContain(TOKEN)
    expect(JSON.stringify(res.json.steps)).not.toContain(TOKEN)
    expect(JSON.stringify({ ...res.json, data: null })).not.toContain(TOKEN)
    const { AccessToken, summary, invocation_examples, ...rest } = res.json.data
    expect(JSON.stringify(rest)).not.toContain(TOKEN)
  })

  it('on a terminal the summary shows it too; stderr never does', async () => {
    const res = await replaySkill(withToken(), args['shared-vllm'], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(res.stdout).toContain(`  curl http://1557702098194904.cn-hangzhou.pai-eas.aliyuncs.com/api/predict/qwen_chat \\\n    -H "Authorization: ${TOKEN}"`)
    expect(res.stderr).not.toContain(TOKEN)
  })

  it('a recording made with --record stores it scrubbed (what the recorder writes)', () => {
    const stored = new Redactor({}).scrub(JSON.stringify({ AccessToken: TOKEN, Endpoints: [] }, null, 2))
    expect(stored).not.toContain(TOKEN)
    expect(JSON.stringify(scenarios['shared-vllm'])).not.toContain(TOKEN)
  })
})

// -------------------------------------------------------------------------------------------
describe('pre-checks never stop the run, except a CLI older than 3.3.3', () => {
  it('plugin install failing and plugin list missing eas: reinstall once, note, and deploy anyway', async () => {
    const fail = b.system(PLUGIN_INSTALL_ARGV, 'Installing aiworkspace...\n', { exitCode: 1, stderr: 'Failed to install eas: failed to fetch plugin index: timeout\nERROR: 1 plugin(s) failed to install\n' })
    const list = b.system(['plugin', 'list'], pluginListText([['aliyun-cli-aiworkspace', '0.1.4']]))
    const entries = [...preChecks({ install: fail, list, extra: [fail] }), ...scenarios['shared-vllm'].entries.slice(preChecks().length)]
    const res = await variant('plugin install fails', entries, args['shared-vllm'])
    expect(res.code, res.stderr).toBe(0)
    expectClean(res)
    expect(calls(res).filter((c) => c.startsWith('aliyun plugin install'))).toEqual(['aliyun plugin install --names aiworkspace eas', 'aliyun plugin install --names aiworkspace eas'])
    expect(res.json.data.notices).toContain('plugin list does not show eas; installing once more (non-blocking: auto-plugin-install fetches plugins on first use).')
    expect(res.json.data.notices.filter((n: string) => n.startsWith('plugin install --names aiworkspace eas failed'))).toHaveLength(2)
  })

  it('a CLI older than 3.3.3 stops right away; ai-mode is still disabled', async () => {
    const res = await variant('old CLI', [b.aiModeEnable(), b.aiModeSetUserAgent(), b.version('3.3.2'), b.aiModeDisable()], args['shared-vllm'])
    expect(res.code).toBe(1)
    expectClean(res)
    expect(res.json.error.code).toBe('CliVersionTooOld')
  })

  it('finds missing plugins by their aliyun-cli-<code> names', () => {
    expect(missingPlugins(pluginListText())).toEqual([])
    expect(missingPlugins(pluginListText([['aliyun-cli-ecs', '1.0.0'], ['aliyun-cli-eas', '0.2.0']]))).toEqual(['aiworkspace'])
    expect(missingPlugins('Name                Version             Description\n----                -------             -----------\n')).toEqual(['aiworkspace', 'eas'])
  })
})

// -------------------------------------------------------------------------------------------
describe('usage errors and --config', () => {
  it.each([
    ['a hyphenated service name', ['--service-name', 'my-vllm-service', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE], /--service-name must be 3-63 lower-case letters/],
    ['an OSS path without the trailing slash', ['--service-name', 'qwen_chat', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE, '--oss-path', 'oss://llm-models/qwen'], /--oss-path must be oss:\/\/<bucket>\/<path>\/ ending with \//],
  ])('%s: exit 2 before anything runs', async (_n, extra, message) => {
    const res = await variant('usage', [], ['eas-deploy', '--region', REGION, ...extra])
    expect(res.code).toBe(2)
    expect(res.json.error.message).toMatch(message)
    expect(calls(res)).toEqual([])
  })

  it.each([
    ['--service-name and a prefix together', ['--service-name', 'qwen_chat', '--service-name-prefix', 'q_', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE], /not both/],
    ['a system mount path', ['--service-name', 'qwen_chat', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE, '--oss-path', 'oss://llm-models/qwen/', '--mount-path', '/etc'], /--mount-path \/etc must not be a system path/],
    ['NLB listener 8080', ['--service-name', 'qwen_chat', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE, '--nlb-listener-port', '8080'], /must not be 8080/],
    ['NLB with one VSwitch', ['--service-name', 'qwen_chat', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE, '--network', 'nlb', '--vswitch-id', 'vsw-bp1a'], /at least two VSwitches/],
    ['autoscale max not above min', ['--service-name', 'qwen_chat', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE, '--autoscale', 'min=3,max=3,threshold=10'], /max \(3\) must be greater than min \(3\)/],
    ['instance type with a resource group', ['--service-name', 'qwen_chat', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE, '--resource-id', 'auto'], /does not apply with --resource-id/],
    ['no instance type', ['--service-name', 'qwen_chat', '--image', VLLM_IMAGE], /--instance-type is required/],
    ['VPC flags on the shared gateway', ['--service-name', 'qwen_chat', '--image', VLLM_IMAGE, '--instance-type', GPU_TYPE, '--vpc-id', 'vpc-bp1a'], /only apply with --network gateway or --network nlb/],
  ])('%s: exit 2 before anything runs — not even the ai-mode lifecycle', async (_n, extra, message) => {
    const res = await variant('usage', [], ['eas-deploy', '--region', REGION, ...extra])
    expect(res.code).toBe(2)
    expect(res.json.error.message).toMatch(message)
    expect(calls(res)).toEqual([])
    expect(res.report?.unused).toEqual([])
  })

  function configFile(config: unknown): string {
    const file = join(tempDir('eas-config-'), 'service.json')
    writeFileSync(file, JSON.stringify(config))
    return file
  }

  it('a --config file breaking the rules: exit 2 listing each violation', async () => {
    const file = configFile({ metadata: { name: 'qwen_chat', instance: 1 }, containers: [{ image: VLLM_IMAGE, port: 8000 }], spec: {}, cloud: { computing: { instanceType: GPU_TYPE } }, storage: [{ mount_path: '/', oss: { path: 'oss://llm-models/qwen' } }] })
    const res = await variant('bad config', [], ['eas-deploy', '--region', REGION, '--config', file])
    expect(res.code).toBe(2)
    expect(calls(res)).toEqual([])
    expect(res.json.error.code).toBe('InvalidServiceConfig')
    const lines = res.json.error.message.split('\n').slice(1)
    expect(lines.map((l: string) => l.replace(/^ {2}- /, '').split(':')[0]).sort()).toEqual(['cloud.computing.instanceType', 'cloud.computing.instance_type', 'spec', 'storage[0].mount_path', 'storage[0].oss.path'])
  })

  it('a --config file: the workspace is discovered and filled in, vLLM on CPU is switched, the rest is sent as written', async () => {
    const file = configFile({ metadata: { name: 'cfg_svc', instance: 1 }, containers: [{ image: VLLM_IMAGE, port: 8000, command: VLLM_COMMAND }], cloud: { computing: { instance_type: CPU_TYPE } } })
    const sent = { metadata: { name: 'cfg_svc', instance: 1, workspace_id: WORKSPACE }, containers: [{ image: VLLM_IMAGE, port: 8000, command: VLLM_COMMAND }], cloud: { computing: { instance_type: SMALL_GPU_TYPE } } }
    const res = await variant(
      'config file',
      [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team')), services(), officialImages(), machineSpec(), services(), b.api(argv.createService(sent), created('cfg_svc')), describedService('cfg_svc'), endpoints('cfg_svc'), b.aiModeDisable()],
      ['eas-deploy', '--region', REGION, '--config', file],
    )
    expect(res.code, res.stderr).toBe(0)
    expectClean(res)
    expect(createBodies(res)).toEqual([sent])
  })

  it('a --config file together with building flags: exit 2', async () => {
    const file = configFile({ metadata: { name: 'cfg_svc' } })
    const res = await variant('config and flags', [], ['eas-deploy', '--region', REGION, '--config', file, '--image', VLLM_IMAGE, '--port', '9000'])
    expect(res.code).toBe(2)
    expect(calls(res)).toEqual([])
    expect(res.json.error.message).toMatch(/--image, --port cannot be used with it/)
  })
})

describe('policy', () => {
  it('create-service never takes file:// (seed TOP RULE 3); nothing outside the workflow runs', () => {
    const refused = [
      api('eas', 'create-service', { region: REGION, body: 'file://service.json' }),
      api('eas', 'delete-service', { 'cluster-id': REGION, 'service-name': 'qwen_chat' }),
      api('eas', 'update-service', { 'cluster-id': REGION, 'service-name': 'qwen_chat' }),
      api('nlb', 'list-load-balancers', { 'biz-region-id': REGION }),
      api('ecs', 'run-instances', { 'biz-region-id': REGION }),
      ['configure', 'list'],
    ]
    for (const a of refused) expect(() => checkCommand(policy, a), a.join(' ')).toThrow(PolicyError)
    expect(() => checkCommand(policy, argv.createService(sharedConfig('x_y_z')))).not.toThrow()
  })
})

describe('--config: the image and the instance type obey the rules of --image and --instance-type', () => {
  const config = (image: string, instanceType: Record<string, unknown>) => {
    const file = join(tempDir('eas-config-'), 'service.json')
    writeFileSync(file, JSON.stringify({ metadata: { name: 'cfg_svc', instance: 1 }, containers: [{ image, port: 8000 }], cloud: { computing: instanceType } }))
    return file
  }
  it.each([
    ['an image with a shell substitution', config(`${VLLM_IMAGE}$(id)`, { instance_type: GPU_TYPE }), /containers\[0\]\.image: must be an image reference such as registry\/namespace\/name:tag/],
    ['an image of 5000 characters', config(`${VLLM_IMAGE}${'a'.repeat(5000)}`, { instance_type: GPU_TYPE }), /containers\[0\]\.image: is longer than 512 characters/],
    ['an image with a space', config(`${VLLM_IMAGE} --privileged`, { instance_type: GPU_TYPE }), /containers\[0\]\.image: must be an image reference/],
    ['an instance type with a semicolon', config(VLLM_IMAGE, { instance_type: `${GPU_TYPE};reboot` }), /cloud\.computing\.instance_type: must be an instance type such as ecs\.gn7i-c16g1\.4xlarge/],
    ['an instance type of 300 characters', config(VLLM_IMAGE, { instance_type: 'e'.repeat(300) }), /cloud\.computing\.instance_type: is longer than 256 characters/],
    ['an instances[].type with a quote', config(VLLM_IMAGE, { instances: [{ type: `${GPU_TYPE}"` }] }), /cloud\.computing\.instances\[0\]\.type: must be an instance type/],
  ])('%s: exit 2, no CLI call (not even ai-mode)', async (_n, file, message) => {
    const res = await variant('bad config value', [], ['eas-deploy', '--region', REGION, '--config', file])
    expect(res.code).toBe(2)
    expect(res.json.error.code).toBe('InvalidServiceConfig')
    expect(res.json.error.message).toMatch(message)
    expect(calls(res)).toEqual([])
  })
})

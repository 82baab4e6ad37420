// flink: the drop-in for instance_ops.py, replayed as users replay it (`--replay`, in process) from
// recordings/flink, with the envelope and --help also read from the real bin against the fake
// `aliyun` — plus the pieces it is built from (the flag table, the capacity arithmetic, the
// argument contract) and the policy that keeps it to create + query.

import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { auditTranscript } from '../lib/audit.js'
import { api } from '../lib/command.js'
import { PolicyError } from '../lib/errors.js'
import { packageRoot } from '../lib/paths.js'
import { checkCommand, getPolicy } from '../lib/policy.js'
import { templateContext } from '../lib/templates.js'
import { runSkill } from '../lib/skill.js'
import { loadTranscript, type CliEntry, type Transcript } from '../lib/transcript.js'
import { lenientRead, validateArgs, type RawOptions } from '../scripts/flink/args.js'
import { resolveSpec } from '../scripts/flink/create-instance.js'
import { capacityFor, insufficientMessage } from '../scripts/flink/create-namespace.js'
import { namespaceSpec } from '../scripts/flink/spec.js'
import { foasArgv } from '../scripts/flink/flags.js'
import flinkSkill from '../scripts/flink.js'
import { argv, b, FORBIDDEN_RAM, NAME, namespace, namespacesPage, NEW_ID, REGION, scenarios, subscriptionNamespace, THROTTLING, VPC, VSW } from './recordings/flink.js'
import { replaySkill } from './support/replay.js'
import { expectCleanReplay } from './support/expect.js'
import { transcript } from './support/cli-facts.js'
import { calls, cleanEnv, replayBin, tempDir, writeTranscript, type RunResult } from './support/run.js'

const policy = getPolicy('flink')
const at = templateContext(policy)
const UA = 'AlibabaCloud-Agent-Skills/alibabacloud-flink-instance-manage'
const SLOW = 60_000

const CREATE = ['flink', 'create', '--region_id', REGION, '--name', NAME, '--instance_type', 'PayAsYouGo', '--vpc_id', VPC, '--vswitch_id', VSW]
const NS = (id = NEW_ID) => ['flink', 'create_namespace', '--region_id', REGION, '--instance_id', id, '--name', 'dev']
const LIFECYCLE = [...CREATE.map((a) => (a === 'create' ? 'lifecycle' : a)), '--cu_count', '8', '--namespace', 'dev', '--namespace_cpu', '4', '--namespace_memory_gb', '16', '--confirm']

const CREATE_CONFIRM = 'Creating an instance is a cost-incurring operation. Please confirm by adding --confirm flag.'
const NS_CONFIRM = 'Creating a namespace consumes cluster resources. Please confirm by adding --confirm flag.'
const PASSED = { required_flag: '--confirm', provided: true, status: 'passed' }
const MISSING = { required_flag: '--confirm', provided: false, status: 'missing' }

/** The API calls the fake served (without `aliyun version`). */
const apiCalls = (res: RunResult) => calls(res).filter((c) => c !== 'aliyun version')
const actions = (res: RunResult) => apiCalls(res).map((c) => c.split(' ').slice(1, 3).join(' '))

/** The recorded body of the first entry whose argv starts with `product action`. */
function recorded(t: Transcript, action: string, nth = 0): Record<string, unknown> {
  const hits = t.entries.filter((e): e is CliEntry => e.kind === 'cli' && e.argv[1] === action)
  return hits[nth].stdout_json as Record<string, unknown>
}

/** Argument errors: the empty transcript proves no call at all (not even `aliyun version`). */
async function noCall(args: string[], scenario = 'create-without-confirm') {
  const res = await replaySkill(scenarios[scenario], args)
  expect(calls(res)).toEqual([])
  expectCleanReplay(res)
  expect(res.code).toBe(1)
  expect(res.stdout.startsWith('{\n  "success": false,')).toBe(true)
  return res
}

// -------------------------------------------------------------------------------------------
describe('argument errors: JSON envelope, exit 1, no cloud call', () => {
  it('create without --confirm: SafetyCheckRequired with the original message, confirmation_check missing', async () => {
    const res = await noCall([...CREATE, '--cu_count', '4'])
    expect(res.json).toMatchObject({ success: false, operation: 'create', confirmation_check: MISSING, status: 'failed' })
    expect(res.json.error).toEqual({ code: 'SafetyCheckRequired', message: CREATE_CONFIRM })
    expect(res.json.next_action).toMatch(/--confirm/)
  }, SLOW)

  it('create --cpu without --memory_gb: MissingParameter with the exact message, confirmation_check passed', async () => {
    const res = await noCall([...CREATE, '--cpu', '4', '--confirm'], 'create-cpu-without-memory')
    expect(res.json.error).toEqual({ code: 'MissingParameter', message: '--cpu and --memory_gb must be provided together.' })
    expect(res.json.confirmation_check).toEqual(PASSED)
  }, SLOW)

  it('create with no resource spec at all: MissingParameter', async () => {
    const res = await noCall([...CREATE, '--confirm'])
    expect(res.json.error).toEqual({ code: 'MissingParameter', message: 'Must specify --cpu and --memory_gb, or --cu_count parameter' })
  }, SLOW)

  it.each(['pay-as-you-go', 'PAYASYOUGO', 'payasyougo', 'Postpaid'])('create --instance_type %s: ValueError, nothing sent', async (bad) => {
    const args = [...CREATE, '--cu_count', '4', '--confirm']
    args[args.indexOf('PayAsYouGo')] = bad
    const res = await noCall(args, 'create-bad-instance-type')
    expect(res.json.operation).toBe('create')
    expect(res.json.error.code).toBe('ValueError')
    expect(res.json.error.message).toContain(`argument --instance_type: invalid choice: '${bad}' (choose from 'Subscription', 'PayAsYouGo')`)
    expect(res.json.confirmation_check).toEqual(PASSED)
  }, SLOW)

  it('a missing required option is MissingParameter naming it (argparse wording), not a usage dump', async () => {
    const res = await noCall(['flink', 'create', '--region_id', REGION, '--name', NAME, '--instance_type', 'PayAsYouGo', '--cu_count', '4', '--confirm'])
    expect(res.json.error).toEqual({ code: 'MissingParameter', message: 'the following arguments are required: --vswitch_id, --vpc_id' })
    expect(res.stderr).not.toMatch(/Usage:/)
  }, SLOW)

  it('an unknown option fails in option parsing and still names the sub-command and --confirm', async () => {
    const res = await noCall([...CREATE, '--cu_count', '4', '--confirm', '--bogus'])
    expect(res.json.operation).toBe('create')
    expect(res.json.confirmation_check).toEqual(PASSED)
    expect(res.json.error).toEqual({ code: 'ValueError', message: 'unrecognized arguments: --bogus' })
  }, SLOW)

  it('an option the sub-command does not take is rejected (describe_regions --region_id)', async () => {
    const res = await noCall(['flink', 'describe_regions', '--region_id', REGION])
    expect(res.json).toMatchObject({ operation: 'describe_regions', error: { code: 'ValueError', message: 'unrecognized arguments: --region_id' } })
    expect(res.json).not.toHaveProperty('confirmation_check')
  }, SLOW)

  it('--period outside 1, 2, 3, 6, 12 and a non-integer --cu_count are ValueError', async () => {
    const subscription = CREATE.map((a) => (a === 'PayAsYouGo' ? 'Subscription' : a))
    const period = await noCall([...subscription, '--cu_count', '4', '--period', '5', '--confirm'])
    expect(period.json.error).toEqual({ code: 'ValueError', message: 'argument --period: invalid choice: 5 (choose from 1, 2, 3, 6, 12)' })
    const half = await noCall([...CREATE, '--cu_count', '0.5', '--confirm'])
    expect(half.json.error).toEqual({ code: 'ValueError', message: "argument --cu_count: invalid int value: '0.5'" })
  }, SLOW)

  it('an option given twice is a ValueError, not "the last one wins"', async () => {
    const twice = await noCall([...CREATE, '--instance_type', 'Subscription', '--cu_count', '4', '--confirm'])
    expect(twice.json.error).toEqual({ code: 'ValueError', message: '--instance_type was given more than once; pass it once.' })
  }, SLOW)

  it('create_namespace without --confirm, and with --cpu alone', async () => {
    const gate = await noCall([...NS(), '--cpu', '4', '--memory_gb', '16'])
    expect(gate.json).toMatchObject({ operation: 'create_namespace', confirmation_check: MISSING, error: { code: 'SafetyCheckRequired', message: NS_CONFIRM } })
    const half = await noCall([...NS(), '--cpu', '4', '--confirm'])
    expect(half.json.error).toEqual({ code: 'MissingParameter', message: '--cpu and --memory_gb must be provided together when specifying namespace resources.' })
  }, SLOW)

  it.each(['delete', 'update', 'modify_spec', 'renew', 'convert', 'scale_up', 'untag_resources'])('%s is out of scope: a clear error naming the scope', async (cmd) => {
    const res = await noCall(['flink', cmd, '--region_id', REGION], 'out-of-scope-delete')
    expect(res.json.operation).toBe(cmd)
    expect(res.json.error.code).toBe('OutOfScope')
    expect(res.json.error.message).toContain(`'${cmd}' is out of scope`)
    expect(res.json.error.message).toContain('only creates and queries Flink instances and namespaces')
  }, SLOW)

  it('no sub-command, or an unknown one', async () => {
    const none = await noCall(['flink'])
    expect(none.json).toMatchObject({ operation: null, error: { code: 'MissingParameter' } })
    const typo = await noCall(['flink', 'describe_instances', '--region_id', REGION])
    expect(typo.json.error.code).toBe('ValueError')
    expect(typo.json.error.message).toMatch(/^argument command: invalid choice: 'describe_instances'/)
  }, SLOW)

  it('lifecycle checks the namespace size against the instance before creating anything', async () => {
    const res = await noCall(LIFECYCLE.map((a, i, all) => (all[i - 1] === '--cu_count' ? '2' : a)))
    expect(res.json.error.code).toBe('ValueError')
    expect(res.json.error.message).toContain('could never fit')
  }, SLOW)
})

// -------------------------------------------------------------------------------------------
describe('queries', () => {
  it('describe_regions: DescribeSupportedRegions on the cn-beijing endpoint; data is the API body', async () => {
    const t = scenarios['describe-regions']
    const res = await replaySkill(t, ['flink', 'describe_regions'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(calls(res)).toEqual(['aliyun version', `aliyun foasconsole describe-supported-regions --region cn-beijing --user-agent ${UA}`])
    const body = recorded(t, 'describe-supported-regions')
    expect(res.json.data).toEqual(body)
    expect(res.json.request_id).toBe(body.RequestId)
  }, SLOW)

  it('envelope of a query, field by field (the bin as a process): success, operation, data, request_id, then the harness fields', async () => {
    const res = await replayBin(scenarios['describe-zones'], ['flink', 'describe_zones', '--region_id', REGION])
    expectCleanReplay(res)
    expect(Object.keys(res.json)).toEqual(['success', 'operation', 'data', 'request_id', 'status', 'steps'])
    expect(res.json.success).toBe(true)
    expect(res.json.operation).toBe('describe_zones')
    expect(res.json.data.ZoneIds).toEqual(['cn-beijing-f', 'cn-beijing-g', 'cn-beijing-h', 'cn-beijing-i'])
    expect(res.json.request_id).toMatch(/^7C2F1A4E-/)
    expect(res.json.status).toBe('completed')
    expect(res.json.steps.map((s: { command: string[] }) => s.command.slice(1, 3).join(' '))).toEqual(['version', 'foasconsole describe-supported-zones'])
    // 2-space JSON, like json.dumps(indent=2)
    expect(res.stdout).toBe(JSON.stringify(res.json, null, 2) + '\n')
  }, SLOW)

  it('describe returns the instances with the region as business and endpoint region', async () => {
    const res = await replaySkill(scenarios.describe, ['flink', 'describe', '--region_id', REGION])
    expectCleanReplay(res)
    expect(res.json.data.Instances.map((i: { InstanceId: string }) => i.InstanceId)).toEqual(['f-cn-other0001', 'f-cn-other0002'])
    expect(apiCalls(res)).toEqual([`aliyun foasconsole describe-instances --region ${REGION} --biz-region ${REGION} --page-index 1 --page-size 100 --user-agent ${UA}`])
  }, SLOW)

  it('describe_namespaces and list_tags (ids split on commas into one repeated flag)', async () => {
    const ns = await replaySkill(scenarios['describe-namespaces'], ['flink', 'describe_namespaces', '--region_id', REGION, '--instance_id', 'f-cn-other0001'])
    expectCleanReplay(ns)
    expect(ns.json.data.Namespaces.map((n: { Namespace: string }) => n.Namespace)).toEqual(['default', 'etl'])
    const tags = await replaySkill(scenarios['list-tags'], ['flink', 'list_tags', '--region_id', REGION, '--resource_type', 'vvpinstance', '--resource_ids', 'f-cn-other0001,f-cn-other0002'])
    expectCleanReplay(tags)
    expect(tags.code).toBe(0)
    expect(apiCalls(tags)[0]).toContain('--biz-region-id cn-beijing --resource-type vvpinstance --resource-id f-cn-other0001 f-cn-other0002')
    expect(tags.json.data.TagResources).toHaveLength(2)
  }, SLOW)

  it('a query is retried once on Throttling (2 attempts, 3 s apart on the virtual clock)', async () => {
    const res = await replaySkill(scenarios['describe-throttled-once'], ['flink', 'describe', '--region_id', REGION])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json.success).toBe(true)
    expect(res.json.steps.slice(1).map((s: { attempt: number; error_code?: string }) => [s.attempt, s.error_code ?? null])).toEqual([
      [1, 'Throttling'],
      [2, null],
    ])
  }, SLOW)

  it('the advice after an error follows the run’s own policy: a code it does not name as transient is not "transient"', async () => {
    const t = transcript('flink', 'Throttling once, under a policy that does not retry it', [b.version(), b.apiError(argv.instances(), THROTTLING)])
    const dir = tempDir()
    let stdout = ''
    const code = await runSkill(flinkSkill, ['describe', '--region_id', REGION, '--replay', writeTranscript(t, dir)], {
      env: cleanEnv(dir),
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      installSignalHandlers: false,
      policy: { ...policy, retries: { default: { on: ['ServiceUnavailable'], attempts: 2, delay_ms: 0, add_flags: [] } } },
    })
    const json = JSON.parse(stdout)
    expect(code).toBe(1)
    expect(json.steps.slice(1)).toHaveLength(1)
    expect(json.error.code).toBe('Throttling')
    expect(json.next_action).toMatch(/^Report the error code and message to the user/)
  })

  it('never more than 2 attempts: Throttling twice ends with the API code Throttling, exit 1', async () => {
    const res = await replaySkill(scenarios['describe-throttled-twice'], ['flink', 'describe', '--region_id', REGION])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(apiCalls(res)).toHaveLength(2)
    expect(res.json.error.code).toBe('Throttling')
    expect(res.json.error.message).toBe('Request was denied due to request throttling.')
    expect(res.json.error.request_id).toMatch(/^7C2F1A4E-/)
    expect(res.json).not.toHaveProperty('data')
    expect(res.json.next_action).toMatch(/once more/)
  }, SLOW)
})

// -------------------------------------------------------------------------------------------
describe('create', () => {
  it('creates, reads back until the new InstanceId is seen (2nd check), and only then reports success', async () => {
    const t = scenarios.create
    const res = await replaySkill(t, [...CREATE, '--cu_count', '8', '--confirm'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(actions(res)).toEqual(['foasconsole describe-instances', 'foasconsole create-instance', 'foasconsole describe-instances', 'foasconsole describe-instances'])
    const create = apiCalls(res)[1]
    expect(create).toContain(`--instance-name ${NAME} --charge-type POST --vpc-id ${VPC}`)
    // JSON parameters are one argv element each (the step record keeps the real argv array).
    const createArgv: string[] = res.json.steps.find((s: { step: string }) => s.step === 'create instance').command
    const after = (flag: string) => createArgv[createArgv.indexOf(flag) + 1]
    expect([after('--vswitch-ids'), after('--resource-spec'), after('--storage')]).toEqual([`["${VSW}"]`, '{"Cpu":8,"MemoryGB":32}', '{"FullyManaged":true}'])
    expect(createArgv.filter((a) => a === '--user-agent')).toHaveLength(1)
    expect(createArgv.at(-1)).toBe(UA)
    expect(create).not.toMatch(/--zone-id|--auto-renew|--duration/)
    expect(apiCalls(res)[2]).toContain(`--instance-id ${NEW_ID}`)

    // The envelope, field by field, against the original contract (catalogue §1.e).
    const body = recorded(t, 'create-instance')
    expect(Object.keys(res.json).slice(0, 5)).toEqual(['success', 'operation', 'confirmation_check', 'data', 'request_id'])
    expect(res.json.success).toBe(true)
    expect(res.json.operation).toBe('create')
    expect(res.json.confirmation_check).toEqual(PASSED)
    expect(res.json.data).toEqual(body)
    expect(res.json.request_id).toBe(body.RequestId)
    expect(res.json).not.toHaveProperty('error')
    expect(res.json).not.toHaveProperty('idempotent_noop')
    expect(res.json.status).toBe('completed')
    expect(res.json.verification).toMatchObject({ verified: true, method: 'describe', instance_id: NEW_ID, checks: 2, observed: { ClusterStatus: 'CREATING', Cpu: 8, MemoryGB: 32 } })
    expect(res.json.next_action).toContain(`${NEW_ID} is not RUNNING yet`)
  }, SLOW)

  it('the same name with the same charge type and spec is an idempotent no-op (exit 0, no CreateInstance)', async () => {
    const res = await replaySkill(scenarios['create-idempotent'], [...CREATE, '--cpu', '8', '--memory_gb', '32', '--confirm'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(actions(res)).toEqual(['foasconsole describe-instances'])
    expect(Object.keys(res.json).slice(0, 7)).toEqual(['success', 'operation', 'confirmation_check', 'idempotent_noop', 'message', 'data', 'request_id'])
    expect(res.json).toMatchObject({
      success: true,
      operation: 'create',
      confirmation_check: PASSED,
      idempotent_noop: true,
      message: `Instance '${NAME}' already exists with the same configuration. Skipped duplicate create.`,
      request_id: '',
      status: 'noop',
    })
    expect(res.json.data.ExistingInstance).toMatchObject({ InstanceId: NEW_ID, InstanceName: NAME, ResourceSpec: { Cpu: 8, MemoryGB: 32 }, VpcId: VPC })
  }, SLOW)

  it('a conflicting name on page 2 of describe is found (the original read page 1 only): InstanceNameConflict', async () => {
    const res = await replaySkill(scenarios['create-name-conflict-page-2'], [...CREATE, '--cu_count', '8', '--confirm'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(apiCalls(res).map((c) => c.match(/--page-index (\d)/)?.[1])).toEqual(['1', '2'])
    expect(actions(res)).not.toContain('foasconsole create-instance')
    expect(Object.keys(res.json).slice(0, 4)).toEqual(['success', 'operation', 'confirmation_check', 'error'])
    expect(res.json.error).toEqual({
      code: 'InstanceNameConflict',
      message: `Instance name '${NAME}' already exists with a different configuration. Refuse to create to avoid non-idempotent side effects.`,
    })
    expect(res.json.confirmation_check).toEqual(PASSED)
    expect(res.json.status).toBe('failed')
    expect(res.json.existing_instance).toMatchObject({ InstanceId: 'f-cn-conflict01', ChargeType: 'PRE', Cpu: 4 })
  }, SLOW)

  it('Forbidden.RAM is reported with the API code (not an exception class), is not retried, and names every RAM action the skill needs', async () => {
    const res = await replaySkill(scenarios['create-forbidden-ram'], [...CREATE, '--cu_count', '4', '--confirm'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(apiCalls(res)).toHaveLength(1)
    expect(res.json.error).toMatchObject({ code: 'Forbidden.RAM', message: FORBIDDEN_RAM.message })
    expect(res.json.error.request_id).toMatch(/^7C2F1A4E-/)
    expect(res.json.confirmation_check).toEqual(PASSED)
    expect(res.json.error.required_permissions).toEqual(['stream:CreateVvpInstance', 'stream:DescribeVvpInstances', 'stream:CreateVvpNamespace', 'stream:DescribeVvpNamespaces', 'stream:QueryTagVvpResources'])
    expect(res.json.error.required_permissions).toEqual(policy.permissions?.ram)
    expect(res.json.next_action).toMatch(/^Do not retry\. .*error\.required_permissions/)
  }, SLOW)

  it('--wait polls the same InstanceId every 30 s until RUNNING', async () => {
    const started = Date.now()
    const res = await replaySkill(scenarios['create-wait-running'], [...CREATE, '--cu_count', '8', '--confirm', '--wait'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json.readiness).toMatchObject({ instance_id: NEW_ID, cluster_status: 'RUNNING', running: true, polls: 3, waited_seconds: 90 })
    expect(apiCalls(res).slice(2).every((c) => c.includes(`--instance-id ${NEW_ID}`))).toBe(true)
    expect(res.json).not.toHaveProperty('next_action')
    expect(Date.now() - started).toBeLessThan(20_000)
  }, SLOW)
})

// -------------------------------------------------------------------------------------------
describe('create_namespace', () => {
  it('lists namespaces, checks the parent is RUNNING and the capacity, creates, reads back', async () => {
    const t = scenarios['create-namespace']
    const res = await replaySkill(t, [...NS(), '--cpu', '4', '--memory_gb', '16', '--confirm'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(actions(res)).toEqual(['foasconsole describe-namespaces', 'foasconsole describe-instances', 'foasconsole create-namespace', 'foasconsole describe-namespaces'])
    expect(apiCalls(res)[2]).toContain(`--instance-id ${NEW_ID} --namespace dev --resource-spec {"Cpu":4,"MemoryGB":16}`)
    const body = recorded(t, 'create-namespace')
    expect(res.json).toMatchObject({ success: true, operation: 'create_namespace', confirmation_check: PASSED, data: body, request_id: body.RequestId, status: 'completed' })
    expect(res.json.capacity).toEqual({ requested: { cpu: 4, memory_gb: 16 }, available: { cpu: 6, memory_gb: 24 }, instance_total: { cpu: 8, memory_gb: 32 }, allocated: { cpu: 2, memory_gb: 8 } })
    expect(res.json.verification).toMatchObject({ verified: true, namespace: 'dev', checks: 1 })
  }, SLOW)

  it('an existing namespace with the same spec is an idempotent no-op', async () => {
    const res = await replaySkill(scenarios['create-namespace-idempotent'], [...NS(), '--cpu', '4', '--memory_gb', '16', '--confirm'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json).toMatchObject({
      idempotent_noop: true,
      message: "Namespace 'dev' already exists with the same resource specification. Skipped duplicate create.",
      request_id: '',
      data: { ExistingNamespace: { Namespace: 'dev' } },
    })
  }, SLOW)

  it('an existing namespace and no --cpu/--memory_gb is a no-op too; a different spec is NamespaceConflict', async () => {
    const bare = await replaySkill(scenarios['create-namespace-idempotent'], [...NS(), '--confirm'])
    expectCleanReplay(bare)
    expect(bare.json.message).toBe("Namespace 'dev' already exists. Skipped duplicate create.")
    const other = await replaySkill(scenarios['create-namespace-idempotent'], [...NS(), '--cpu', '2', '--memory_gb', '8', '--confirm'])
    expectCleanReplay(other)
    expect(other.code).toBe(1)
    expect(other.json.error).toEqual({ code: 'NamespaceConflict', message: "Namespace 'dev' already exists with a different configuration. Refuse to create to avoid non-idempotent side effects." })
  }, SLOW)

  it('on an instance that is still CREATING: not_ready, no CreateNamespace', async () => {
    const res = await replaySkill(scenarios['create-namespace-creating-instance'], [...NS(), '--cpu', '4', '--memory_gb', '16', '--confirm'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(actions(res)).not.toContain('foasconsole create-namespace')
    expect(res.json).toMatchObject({ success: false, status: 'not_ready', error: { code: 'InstanceNotReady' } })
    expect(res.json.error.message).toContain(`'${NEW_ID}' is CREATING, not RUNNING`)
    expect(res.json.next_action).toContain('same instance')
  }, SLOW)

  it('insufficient capacity: the exact arithmetic and message, no CreateNamespace', async () => {
    const res = await replaySkill(scenarios['create-namespace-insufficient'], [...NS(), '--cpu', '4', '--memory_gb', '16', '--confirm'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(actions(res)).not.toContain('foasconsole create-namespace')
    expect(res.json.error).toEqual({
      code: 'InsufficientResources',
      message:
        'Requested namespace resources exceed available capacity. requested=(4 CPU, 16 GB), available=(2 CPU, 8 GB), instance_total=(8 CPU, 32 GB), allocated=(6 CPU, 24 GB). This skill does not support instance scale-up. Please manually expand or reallocate instance resources, then retry create_namespace.',
    })
    expect(res.json.status).toBe('failed')
  }, SLOW)

  it('a subscription namespace (GuaranteedResourceSpec 6/24, ElasticResourceSpec 0/0) counts 6/24: InsufficientResources, no CreateNamespace', async () => {
    const res = await replaySkill(scenarios['create-namespace-subscription-full'], [...NS(), '--cpu', '4', '--memory_gb', '16', '--confirm'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(actions(res)).toEqual(['foasconsole describe-namespaces', 'foasconsole describe-instances'])
    expect(res.json.error.code).toBe('InsufficientResources')
    expect(res.json.capacity).toEqual({ requested: { cpu: 4, memory_gb: 16 }, available: { cpu: 2, memory_gb: 8 }, instance_total: { cpu: 8, memory_gb: 32 }, allocated: { cpu: 6, memory_gb: 24 } })
    expect(res.json.next_action).toMatch(/expand or reallocate .* manually/)
  }, SLOW)

  it('the parent instance must exist: NamespaceNotFound', async () => {
    const res = await replaySkill(scenarios['create-namespace-instance-missing'], [...NS('f-cn-missing01'), '--cpu', '1', '--memory_gb', '4', '--confirm'])
    expectCleanReplay(res)
    expect(res.json.error).toEqual({ code: 'NamespaceNotFound', message: `Instance 'f-cn-missing01' was not found in region '${REGION}'.` })
  }, SLOW)
})

// -------------------------------------------------------------------------------------------
describe('lifecycle: create → wait → create_namespace on the same InstanceId', () => {
  it('completed only after both creates succeeded and were read back', async () => {
    const res = await replaySkill(scenarios['lifecycle-completed'], LIFECYCLE)
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json).toMatchObject({ success: true, operation: 'lifecycle', confirmation_check: PASSED, status: 'completed', instance_id: NEW_ID })
    expect(res.json.create).toMatchObject({ success: true, verification: { verified: true, instance_id: NEW_ID } })
    expect(res.json.readiness).toMatchObject({ running: true, polls: 3 })
    expect(res.json.create_namespace).toMatchObject({ success: true, verification: { verified: true, namespace: 'dev', instance_id: NEW_ID } })
    const nsCreate = apiCalls(res).find((c) => c.includes('create-namespace'))
    expect(nsCreate).toContain(`--instance-id ${NEW_ID}`)
    expect(res.json.data.instance.OrderInfo.InstanceId).toBe(NEW_ID)
    expect(res.json.data.namespace.Success).toBe(true)
    // one version check for the whole chain
    expect(calls(res).filter((c) => c === 'aliyun version')).toHaveLength(1)
  }, SLOW)

  it('not RUNNING after 10 min (20 polls every 30 s, replayed instantly): not_ready with next_action, no namespace call', async () => {
    const started = Date.now()
    const res = await replaySkill(scenarios['lifecycle-not-ready'], LIFECYCLE)
    expectCleanReplay(res)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(res.code).toBe(1)
    expect(res.json).toMatchObject({ success: false, operation: 'lifecycle', status: 'not_ready', error: { code: 'InstanceNotReady' }, create_namespace: null })
    expect(res.json.readiness).toMatchObject({ instance_id: NEW_ID, cluster_status: 'CREATING', running: false, polls: 20, waited_seconds: 600 })
    expect(res.json.create).toMatchObject({ success: true, verification: { verified: true } })
    expect(res.json.next_action).toContain(`--instance_id ${NEW_ID}`)
    expect(res.json.next_action).toContain('Do not create another instance')
    expect(actions(res).filter((a) => a === 'foasconsole create-instance')).toHaveLength(1)
    expect(actions(res)).not.toContain('foasconsole describe-namespaces')
    expect(apiCalls(res).slice(2).every((c) => c.includes(`--instance-id ${NEW_ID}`))).toBe(true)
  }, SLOW)

  it('a namespace failure fails the chain (never completed), and keeps the created instance in the envelope', async () => {
    const res = await replaySkill(scenarios['lifecycle-namespace-insufficient'], LIFECYCLE)
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json).toMatchObject({ success: false, status: 'failed', error: { code: 'InsufficientResources' }, instance_id: NEW_ID })
    expect(res.json.create.success).toBe(true)
    expect(res.json.create_namespace).toMatchObject({ success: false, error: { code: 'InsufficientResources' } })
    expect(res.json.data.instance.OrderInfo.InstanceId).toBe(NEW_ID)
    expect(res.json.next_action).toMatch(/expand or reallocate/)
  }, SLOW)
})

// -------------------------------------------------------------------------------------------
describe('output', () => {
  it('--help (the bin as a process) documents the 0/1 exit codes and the envelope, and exits 0', async () => {
    const res = await replayBin(scenarios['create-without-confirm'], ['flink', '--help'])
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('Exit codes: 0 success (an idempotent no-op included), 1 every error')
    expect(res.stdout).not.toContain('2 invalid usage')
    expect(calls(res)).toEqual([])
  }, SLOW)

  it('in JSON mode (a pipe, an agent) stdout is the original envelope and nothing else', async () => {
    const res = await replaySkill(scenarios.describe, ['flink', 'describe', '--region_id', REGION])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.stdout).toBe(JSON.stringify(res.json, null, 2) + '\n')
    expect(Object.keys(res.json).slice(0, 4)).toEqual(['success', 'operation', 'data', 'request_id'])
    expect(res.stderr).toContain('describe instances')
  }, SLOW)

  it('for people (a terminal, --human) the same facts are tables; the exit codes stay 0/1', async () => {
    const res = await replaySkill(scenarios.describe, ['flink', 'describe', '--region_id', REGION], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json).toBeUndefined()
    expect(res.stdout).toMatch(/│ Instance ID +│ Name +│ Status +│ Billing +│ Resources +│ Zone +│/)
    expect(res.stdout).toMatch(/│ f-cn-other0002 │ etl +│ RUNNING │ Subscription │ 8 CPU · 32 GB │ cn-beijing-g │/)
    expect(res.stdout).toMatch(/^✔ flink describe: completed$/m)
    const missing = await replaySkill(scenarios['create-without-confirm'], [...CREATE, '--cu_count', '4', '--human'])
    expect(missing.code).toBe(1)
    expect(missing.stdout).toMatch(/^Confirmation: --confirm missing: nothing was created \(check missing\)$/m)
    expect(missing.stdout).toMatch(/SafetyCheckRequired: Creating an instance is a cost-incurring operation/)
  }, SLOW)

  it('a terminal shows a namespace\'s size as the capacity check counts it, in the namespace table and for an existing namespace', async () => {
    // A subscription namespace DescribeNamespaces returns without the older ResourceSpec (the model marks it optional)…
    const { ResourceSpec: _older, ...subscription } = subscriptionNamespace('dev', 4, 16)
    // …and a pay-as-you-go one whose elastic cap is above its older ResourceSpec.
    const payg = namespace('etl', 4, 16, { ResourceSpec: { Cpu: 2, MemoryGB: 8 } })
    const page = () => b.api(argv.namespaces(NEW_ID), namespacesPage([subscription, payg]))
    const table = await replaySkill(transcript('flink', 'describe_namespaces, subscription without ResourceSpec', [b.version(), page()]), ['flink', 'describe_namespaces', '--region_id', REGION, '--instance_id', NEW_ID, '--human'])
    expectCleanReplay(table)
    expect(table.stdout).toMatch(/│ dev +│ SUCCESS +│ 4 CPU · 16 GB +│/)
    expect(table.stdout).toMatch(/│ etl +│ SUCCESS +│ 4 CPU · 16 GB +│/)
    const existing = await replaySkill(transcript('flink', 'create_namespace dev again, subscription without ResourceSpec', [b.version(), page()]), [...NS(), '--cpu', '4', '--memory_gb', '16', '--confirm', '--human'])
    expectCleanReplay(existing)
    expect(existing.stdout).toMatch(/already exists with the same resource specification/)
    expect(existing.stdout).toMatch(/│ dev +│ SUCCESS +│ 4 CPU · 16 GB +│/)
  }, SLOW)

  it('a terminal run of the lifecycle shows the confirmation, verification, readiness and capacity', async () => {
    const res = await replaySkill(scenarios['lifecycle-completed'], [...LIFECYCLE, '--human'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^Confirmation: +--confirm given \(check passed\)$/m)
    expect(res.stdout).toMatch(/^Instance verified: +yes, by describe \(2 check\(s\)\)$/m)
    expect(res.stdout).toMatch(/^Readiness: RUNNING after 3 poll\(s\), 90 s waited/m)
    expect(res.stdout).toMatch(/^Namespace verified: +yes, by describe_namespaces/m)
    expect(res.stdout).toMatch(/│ Requested +│ 4 +│ 16 +│/)
  }, SLOW)
})

// -------------------------------------------------------------------------------------------
describe('building blocks', () => {
  it('the flag table: one argv element per JSON parameter, the endpoint region first, the cn-beijing client for regions', () => {
    expect(foasArgv(at, 'CreateNamespace', 'cn-shanghai', { Region: 'cn-shanghai', InstanceId: 'f-1', Namespace: 'dev', ResourceSpec: { Cpu: 1, MemoryGB: 4 } })).toEqual([
      'foasconsole',
      'create-namespace',
      '--region',
      'cn-shanghai',
      '--biz-region',
      'cn-shanghai',
      '--instance-id',
      'f-1',
      '--namespace',
      'dev',
      '--resource-spec',
      '{"Cpu":1,"MemoryGB":4}',
    ])
    expect(foasArgv(at, 'ListTagResources', 'cn-beijing', { RegionId: 'cn-beijing', ResourceType: 'vvpinstance', ResourceId: ['a', 'b'] })).toEqual(
      api('foasconsole', 'list-tag-resources', { region: 'cn-beijing', 'biz-region-id': 'cn-beijing', 'resource-type': 'vvpinstance', 'resource-id': ['a', 'b'] }),
    )
    expect(() => foasArgv(at, 'DescribeInstances', 'cn-beijing', { ZoneId: 'x' } as never)).toThrow(/no flag is mapped for parameter ZoneId/)
  })

  it('the endpoint flags are the policy’s region data (lib/region.ts), not a spelling of flink’s own', () => {
    const zones = (p: typeof policy) => foasArgv(templateContext(p), 'DescribeSupportedZones', 'cn-shanghai', { Region: 'cn-shanghai' })
    expect(zones(policy)).toEqual(['foasconsole', 'describe-supported-zones', '--region', 'cn-shanghai', '--biz-region', 'cn-shanghai'])
    const byEndpoint = { ...policy, region: { endpoint: 'endpoint' as const, business_flags: {} } }
    expect(zones(byEndpoint)).toEqual(['foasconsole', 'describe-supported-zones', '--endpoint', 'foasconsole.cn-shanghai.aliyuncs.com', '--biz-region', 'cn-shanghai'])
  })

  it('capacity: the larger of ElasticResourceSpec and ResourceSpec, value by value (not Elastic first), fractions truncated, available never negative', () => {
    const c = capacityFor({ cpu: 8, memoryGb: 32 }, [
      // Elastic first (the original wrapper) would count 3 CPU / 8 GB here
      { Namespace: 'a', ElasticResourceSpec: { Cpu: 3, MemoryGB: 8 }, ResourceSpec: { Cpu: 1, MemoryGB: 12 } },
      { Namespace: 'b', ResourceSpec: { cpu: 2.7, memory_gb: 8 } },
      { Namespace: 'c' },
    ], 4, 16)
    expect(c).toEqual({ requested: { cpu: 4, memory_gb: 16 }, available: { cpu: 3, memory_gb: 12 }, instance_total: { cpu: 8, memory_gb: 32 }, allocated: { cpu: 5, memory_gb: 20 } })
    const over = capacityFor({ cpu: 2, memoryGb: 8 }, [{ Namespace: 'a', ElasticResourceSpec: { Cpu: 4, MemoryGB: 16 } }], 1, 1)
    expect(over.available).toEqual({ cpu: 0, memory_gb: 0 })
    expect(insufficientMessage(over)).toContain('available=(0 CPU, 0 GB), instance_total=(2 CPU, 8 GB), allocated=(4 CPU, 16 GB)')
  })

  it('capacity: what each namespace really reserves — subscription, pay-as-you-go, older and spec-less namespaces', () => {
    const zero = { Cpu: 0, MemoryGB: 0 }
    const c = capacityFor({ cpu: 32, memoryGb: 128 }, [
      // subscription: Guaranteed, with Elastic present but zero
      { Namespace: 'sub', ResourceSpec: { Cpu: 6, MemoryGB: 24 }, GuaranteedResourceSpec: { Cpu: 6, MemoryGB: 24 }, ElasticResourceSpec: zero },
      // subscription without the older field
      { Namespace: 'sub2', GuaranteedResourceSpec: { Cpu: 2, MemoryGB: 8 }, ElasticResourceSpec: zero },
      // zero Elastic and no Guaranteed: ResourceSpec still counts
      { Namespace: 'old', ResourceSpec: { Cpu: 3, MemoryGB: 12 }, ElasticResourceSpec: zero },
      // pay-as-you-go: the elastic cap, Guaranteed zero
      { Namespace: 'payg', ResourceSpec: { Cpu: 4, MemoryGB: 16 }, GuaranteedResourceSpec: zero, ElasticResourceSpec: { Cpu: 4, MemoryGB: 16 } },
      // hybrid: the subscription part is what the instance ResourceSpec gives (the caps use the elastic quota)
      { Namespace: 'hybrid', GuaranteedResourceSpec: { Cpu: 1, MemoryGB: 4 }, ElasticResourceSpec: { Cpu: 10, MemoryGB: 40 } },
      // no spec at all: what it uses, rounded up
      { Namespace: 'shared', ElasticResourceSpec: zero, GuaranteedResourceSpec: zero, ResourceUsed: { Cpu: 1.5, Cu: 1.5, MemoryGB: 5.5 } },
    ], 4, 16)
    expect(c.allocated).toEqual({ cpu: 6 + 2 + 3 + 4 + 1 + 2, memory_gb: 24 + 8 + 12 + 16 + 4 + 6 })
    expect(c.available).toEqual({ cpu: 32 - 18, memory_gb: 128 - 70 })
    // the no-op check compares the same spec: a subscription namespace 6/24 is "the same" as --cpu 6 --memory_gb 24
    expect(namespaceSpec({ Namespace: 'sub', GuaranteedResourceSpec: { Cpu: 6, MemoryGB: 24 }, ElasticResourceSpec: zero })).toEqual({ cpu: 6, memoryGb: 24 })
  })

  it('the argument contract: sizes parse like Python int(), ids are checked, --cu_count N means N CPU and 4N GB', () => {
    const opts = { region_id: REGION, name: NAME, instance_type: 'Subscription', vpc_id: VPC, vswitch_id: VSW, cpu: '+4', memory_gb: ' 16 ', period: '12', auto_renew: true, confirm: true } as unknown as RawOptions
    expect(validateArgs('create', opts)).toMatchObject({ command: 'create', cpu: 4, memoryGb: 16, period: 12, autoRenew: true, instanceType: 'Subscription', wait: false })
    expect(() => validateArgs('create', { ...opts, vpc_id: VSW } as RawOptions)).toThrow(/argument --vpc_id: expected a VPC id/)
    expect(lenientRead(['create_namespace', '--name', 'x', '--confirm', '--nope'])).toEqual({ command: 'create_namespace', confirm: true })
    expect(resolveSpec({ cuCount: 3 })).toEqual({ cpu: 3, memoryGb: 12 })
    // --cpu/--memory_gb override --cu_count, as the original's help says
    expect(resolveSpec({ cuCount: 3, cpu: 2, memoryGb: 6 })).toEqual({ cpu: 2, memoryGb: 6 })
  })

  it('the policy allows the seven foasconsole actions and refuses writes outside the scope', () => {
    for (const action of ['describe-supported-regions', 'describe-supported-zones', 'describe-instances', 'describe-namespaces', 'list-tag-resources', 'create-instance', 'create-namespace'])
      expect(() => checkCommand(policy, api('foasconsole', action, { region: REGION }))).not.toThrow()
    for (const action of ['delete-instance', 'modify-instance-spec', 'renew-instance', 'convert-prepay-instance', 'tag-resources', 'untag-resources', 'delete-namespace', 'update-namespace'])
      expect(() => checkCommand(policy, api('foasconsole', action, { region: REGION })), action).toThrow(PolicyError)
    expect(() => checkCommand(policy, ['configure', 'ai-mode', 'enable'])).toThrow(PolicyError)
    expect(policy.ai_mode).toBe(false)
  })

  it('every flink recording passes audit', () => {
    const dir = join(packageRoot(), 'recordings', 'flink')
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
    expect(files.length).toBe(Object.keys(scenarios).length)
    for (const f of files) expect(auditTranscript(loadTranscript(join(dir, f)), policy), f).toEqual([])
  })

  it('the recordings spell argv on their own: they agree with the script flag table', () => {
    expect(argv.instance(NEW_ID)).toEqual(foasArgv(at, 'DescribeInstances', REGION, { Region: REGION, InstanceId: NEW_ID, PageIndex: 1, PageSize: 100 }))
  })
})

// ack-profile scenarios, built from the CLI facts and the SysOM/CS response shapes (api-shapes §6, §7).
// Every scenario starts with the runner's ai-mode enable + set-user-agent and ends with disable.

import { api, roa } from '../../lib/command.js'
import type { CliEntry, Entry, Transcript } from '../../lib/transcript.js'
import { diagnosisParams, type Mode } from '../../scripts/ack-profile/inputs.js'
import { builder, transcript } from '../support/cli-facts.js'

export const b = builder('ack-profile')
export const CLUSTER = 'c0ee8f62dd10541c598af3627d5b6cda7'
export const REGION = 'cn-hangzhou'
export const NAMESPACE = 'default'
export const POD = 'web-64cdcb7b98-gchks'
export const TASK = 'c7d9f2a1b3e54c6d'
export const RECORDED_AT = '2026-11-20T08:00:00.000Z'
export const NOW = Date.parse(RECORDED_AT) / 1000
export const HISTORY = { start: NOW - 3 * 3600, end: NOW - 2 * 3600 }
export const SDK_PATH = '/api/v1/k8sProxy/access/createClusterVpcEndpointConnection'

export const BASE_ARGS = ['ack-profile', '--cluster-id', CLUSTER, '--namespace', NAMESPACE, '--pod', POD]

const start = (): Entry[] => [b.aiModeEnable(), b.aiModeSetUserAgent()]
const preflight = (): Entry[] => [b.pluginUpdate([['aliyun-cli-cs', '0.4.2'], ['aliyun-cli-sysom', '0.3.1']]), b.version('3.4.11'), b.autoPluginInstall(), b.configureList()]
const end = (): Entry[] => [b.aiModeDisable()]

export const clusterArgv = roa('cs', 'GET', `/clusters/${CLUSTER}`)

export function cluster(o: { profile?: string; state?: string } = {}): CliEntry {
  // DescribeClusterDetail's body is the cluster itself, snake_case, without a RequestId.
  return b.api(
    clusterArgv,
    {
      cluster_id: CLUSTER,
      cluster_type: 'ManagedKubernetes',
      cluster_spec: 'ack.pro.small',
      name: 'prod-web',
      region_id: REGION,
      zone_id: 'cn-hangzhou-j',
      vpc_id: 'vpc-bp1k8s00000001',
      profile: o.profile ?? 'Default',
      state: o.state ?? 'running',
      current_version: '1.31.1-aliyun.1',
      created: '2025-03-02T10:21:44+08:00',
    },
    { requestId: false },
  )
}

export const initialArgv = api('sysom', 'initial-sysom', { 'check-only': 'false', source: 'aes-skills' })
export const initialOk = (): CliEntry => b.api(initialArgv, { RequestId: b.nextRequestId(), code: 'Success', message: '', data: { role_exist: true } })

export function endpoint(o: { status?: number; body?: unknown } = {}) {
  return b.sdk({
    product: 'sysom',
    action: 'CreateClusterVpcEndpointConnection',
    request: { method: 'POST', path: SDK_PATH, body: { clusterId: CLUSTER, region: REGION, dryRun: false } },
    response: { status: o.status ?? 200, body: o.body ?? { code: 'Success', message: '', requestId: b.nextRequestId(), data: { endpointConnectionId: 'ep-k8s-8d2f4c1a' } } },
  })
}

export function invokeArgv(mode: Mode = { kind: 'real-time' }, description = '') {
  return api('sysom', 'invoke-diagnosis', { 'service-name': 'ocd', channel: 'ecs', params: diagnosisParams({ region: REGION, clusterId: CLUSTER, namespace: NAMESPACE, pod: POD, description, mode }) })
}
export const invokeOk = (mode?: Mode, description?: string): CliEntry => b.api(invokeArgv(mode, description), { code: 'Success', message: '', request_id: b.nextRequestId(), data: { task_id: TASK } })
export const taskInProgress = (mode?: Mode, description?: string): CliEntry =>
  b.apiError(invokeArgv(mode, description), { code: 'Sysom.TaskInProgress', message: `There is a running diagnosis task on instance ack-${CLUSTER}, please retry later.`, product: 'sysom' })

export const pollArgv = api('sysom', 'get-diagnosis-result', { 'task-id': TASK })
export function poll(status: 'Ready' | 'Running' | 'Success' | 'Fail', extra: Record<string, unknown> = {}): CliEntry {
  return b.api(pollArgv, {
    code: 'Success',
    message: '',
    request_id: b.nextRequestId(),
    data: { task_id: TASK, service_name: 'ocd', status, code: 0, err_msg: '', created_at: '2026-11-20 16:00:01', updated_at: '2026-11-20 16:00:41', ...extra },
  })
}

export const RESULT = {
  diagnose_mode: 'realtime',
  summary: {
    overall_status: 'Warn',
    root_cause: 'The container hits its CPU limit: cgroup throttling peaks at 38% of periods while the Pod serves requests.',
    suggestions: ['Raise the CPU limit of container web from 1 to 2 cores, or scale the Deployment out.', 'Check the request rate on the web Service for a recent spike.'],
  },
  issues: [
    { name: 'cpu_throttled', level: 'warning', description: 'CPU throttling 38% (limit 1 core)' },
    { name: 'run_queue_latency', level: 'info', description: 'run-queue latency p99 4.1 ms' },
  ],
}

export const THROTTLING = { code: 'Throttling', message: 'Request was denied due to request throttling.', product: 'sysom' }
export const UNAVAILABLE = { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.', product: 'sysom' }
export const FORBIDDEN_RAM = { code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.", product: 'sysom' }
/** Transient failures while polling, as the CLI prints them: a throttled request, a 503, a read timeout. */
export const pollFailures = () => [b.apiError(pollArgv, THROTTLING), b.apiError(pollArgv, UNAVAILABLE), b.apiTimeout(pollArgv, 'sysom.aliyuncs.com')]

const pollsThenSuccess = (result: unknown = RESULT) => [poll('Ready'), poll('Running'), poll('Success', { result })]

const historical: Mode = { kind: 'historical', ...HISTORY }
const full = (middle: Entry[]) => [...start(), ...preflight(), ...middle, ...end()]
const t = (scenario: string, entries: Entry[]) => transcript('ack-profile', scenario, entries, { recordedAt: RECORDED_AT })

export const ARGS: Record<string, string[]> = {
  'realtime-happy-path': [...BASE_ARGS, '--description', 'high cpu load'],
  historical: [...BASE_ARGS, '--start-time', String(HISTORY.start), '--end-time', String(HISTORY.end)],
  'cluster-not-found': BASE_ARGS,
  'cluster-forbidden-ram': BASE_ARGS,
  'cluster-serverless': BASE_ARGS,
  'cluster-not-running': BASE_ARGS,
  'initial-sysom-failed': BASE_ARGS,
  'vpc-endpoint-failed': BASE_ARGS,
  'task-in-progress-then-success': BASE_ARGS,
  'task-in-progress-three-times': BASE_ARGS,
  'poll-timeout': BASE_ARGS,
  'diagnosis-fail': BASE_ARGS,
  'poll-transient-errors': BASE_ARGS,
  'description-sanitised': [...BASE_ARGS, '--description', 'Pod OOM, 高负载! (p99)'],
  'temporal-description': [...BASE_ARGS, '--description', 'latency spike this morning'],
}

const diagnosis = (mode?: Mode, description?: string, polls: Entry[] = pollsThenSuccess()) => [cluster(), initialOk(), endpoint(), invokeOk(mode, description), ...polls]

export const scenarios: Record<string, Transcript> = {
  'realtime-happy-path': t('Real-time diagnosis: the full chain, polls Ready → Running → Success, the report.', full(diagnosis({ kind: 'real-time' }, 'high_cpu_load'))),
  historical: t('Historical diagnosis over a past window: times in the params, enable_diagnosis false, result as a JSON string.', full(diagnosis(historical, '', pollsThenSuccess(JSON.stringify({ ...RESULT, diagnose_mode: 'history' }))))),
  'cluster-not-found': t('cs GET /clusters/<id> answers 404 ErrorClusterNotFound: stop, nothing after it.', full([b.apiError(clusterArgv, { code: 'ErrorClusterNotFound', message: `cluster ${CLUSTER} not found`, product: 'CS' })])),
  'cluster-forbidden-ram': t('cs GET /clusters/<id> answers Forbidden.RAM: stop, nothing after it.', full([b.apiError(clusterArgv, { code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.", product: 'CS' })])),
  'cluster-serverless': t('A Serverless (ASK) cluster: the Unsupported cluster type template, stop.', full([cluster({ profile: 'Serverless' })])),
  'cluster-not-running': t('A cluster that is updating: stop before SysOM is touched.', full([cluster({ state: 'updating' })])),
  'initial-sysom-failed': t('initial-sysom fails: stop, no VPC endpoint, no diagnosis.', full([cluster(), b.apiError(initialArgv, { code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.', product: 'sysom' })])),
  'vpc-endpoint-failed': t('The SDK step answers 403: stop before invoke-diagnosis.', full([cluster(), initialOk(), endpoint({ status: 403, body: { RequestId: 'E1B2C3D4-0000-4000-8000-00000000AAAA', HostId: 'sysom.aliyuncs.com', Code: 'Forbidden.RAM', Message: 'User not authorized to operate on the specified resource.', Recommend: 'https://api.aliyun.com/troubleshoot?q=Forbidden.RAM&product=sysom&requestId=E1B2C3D4-0000-4000-8000-00000000AAAA' } })])),
  'task-in-progress-then-success': t('Sysom.TaskInProgress twice, then a task id on the third invocation (30 s apart).', full([cluster(), initialOk(), endpoint(), taskInProgress(), taskInProgress(), invokeOk(), ...pollsThenSuccess()])),
  'task-in-progress-three-times': t('Sysom.TaskInProgress on all three invocations: the TaskInProgress template, no polling.', full([cluster(), initialOk(), endpoint(), taskInProgress(), taskInProgress(), taskInProgress()])),
  'poll-timeout': t('The task is still Running after 60 polls (10 minutes): the timeout template only.', full(diagnosis(undefined, undefined, Array.from({ length: 60 }, () => poll('Running'))))),
  'poll-transient-errors': t(
    'While polling, Throttling, ServiceUnavailable and a read timeout each use up one poll; polling goes on and the task ends in Success.',
    full(diagnosis(undefined, undefined, [poll('Ready'), ...pollFailures(), poll('Running'), poll('Success', { result: RESULT })])),
  ),
  'diagnosis-fail': t('The task ends in Fail: failed, with err_msg.', full(diagnosis(undefined, undefined, [poll('Running'), poll('Fail', { code: 1, err_msg: `pod ${POD} not found in namespace ${NAMESPACE}` })]))),
  'description-sanitised': t('A description with spaces, punctuation and Chinese is sent as pod_oom_p99.', full(diagnosis({ kind: 'real-time' }, 'pod_oom_p99'))),
  'temporal-description': t('A description naming a past time and no range: the mode decision (exit 3) before anything runs.', []),
}

// ack-profile: ACK Pod performance profiling through SysOM (seed 002,
// alibabacloud-aes-ack-pod-performance-profiling). A fixed chain — no step skipped, reordered or
// substituted: ai-mode (the runner's lifecycle), plugin update, version ≥ 3.3.15, auto plugin
// install, credentials, cluster detail, initial-sysom once, the VPC endpoint connection through
// the SDK (D1), invoke-diagnosis, polling, the report — and ai-mode disabled on every way out.

import { api, roa } from '../lib/command.js'
import { CliError, HarnessError, StopError, TimedOutError, UsageError } from '../lib/errors.js'
import type { Result } from '../lib/result.js'
import { ClusterDetail } from './ack-profile/schemas.js'
import { CreateClusterVpcEndpointConnection, GetDiagnosisResult, InitialSysom, InvokeDiagnosis } from './ack-profile/schemas.js'
import { autorun, defineSkill, type SkillContext } from '../lib/skill.js'
import { SAMPLE } from '../lib/templates.js'
import { diagnosisParams, modeFrom, namesPastTime, sanitizeDescription, suggestWindow, type Description, type Mode } from './ack-profile/inputs.js'
import { readFindings, reportMarkdown } from './ack-profile/report.js'

const POLL_EVERY_MS = 10_000
const POLL_MAX = 60
const TASK_IN_PROGRESS = 'Sysom.TaskInProgress'

const unsupportedCluster = (id: string, profile: string) =>
  [
    '❌ Unsupported cluster type',
    `- Cluster ID: ${id}`,
    `- Cluster profile: ${profile}`,
    '- This skill ONLY supports diagnosis on standard ACK managed clusters (profile = "Default").',
    '- ACS clusters, ASK (Serverless Kubernetes) clusters, Edge clusters, and other non-Default profile clusters are NOT supported.',
    '- Please provide a standard ACK cluster ID to proceed.',
  ].join('\n')

const taskInProgress = (id: string) =>
  [
    '⚠️ An existing diagnosis task is running on this instance.',
    `- Instance: ack-${id}`,
    `- Error: ${TASK_IN_PROGRESS}`,
    '- Suggestion: Please wait for the running task to complete (typically 3–5 minutes), then retry.',
  ].join('\n')

/** The seed's permission flow: the full list (lib/finish.ts puts it in error.required_permissions), then a pause. */
const GRANT_ALL =
  'Ask an administrator to grant every RAM permission in error.required_permissions (the policy JSON is in references/ack-profile.md, RAM; the ram-permission-diagnose skill guides the request), wait until they confirm it is granted, then run again.'

const pollTimedOut = (taskId: string, status: string) =>
  ['⏳ SysOM diagnosis task timed out', `- Task ID: ${taskId}`, `- Current status: ${status}`, '- Suggestion: Please continue waiting for the diagnosis to complete.'].join('\n')

interface Prepared {
  clusterId: string
  namespace: string
  pod: string
  description: Description
  mode: Mode
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const POD_NAME = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/

const skill = defineSkill({
  name: 'ack-profile',
  summary: 'ACK Pod performance profiling through SysOM: a fixed chain from cluster check to diagnosis report.',
  usage: 'aliyun-harness ack-profile --cluster-id <c + 32 hex> --namespace <ns> --pod <pod> [--description <text>] [--start-time <unix s> --end-time <unix s>] [--realtime]',
  options: {
    'cluster-id': { type: 'string', required: true, pattern: /^c[0-9a-f]{32}$/, hint: "'c' followed by 32 lower-case hex characters", description: 'ACK cluster id.', valueName: 'c…' },
    namespace: { type: 'string', required: true, pattern: K8S_NAME, hint: 'a Kubernetes namespace name', description: 'Namespace of the Pod.', valueName: 'ns' },
    pod: { type: 'string', required: true, pattern: POD_NAME, hint: 'a Kubernetes Pod name', description: 'Pod to diagnose.', valueName: 'pod' },
    description: { type: 'string', default: '', freeText: true, maxLength: 1024, description: 'What is wrong. Sent as lower-case [a-z0-9_-] (spaces become _, other characters are dropped, and the output says so).', valueName: 'text' },
    'start-time': { type: 'string', pattern: /^\d{1,10}$/, hint: 'Unix seconds', description: 'Historical mode: start of the window (with --end-time).', valueName: 'unix s' },
    'end-time': { type: 'string', pattern: /^\d{1,10}$/, hint: 'Unix seconds', description: 'Historical mode: end of the window (not in the future).', valueName: 'unix s' },
    realtime: { type: 'boolean', description: 'Real-time diagnosis (the default); answers the mode question for a description that names a past time.' },
  },
  examples: [
    'aliyun-harness ack-profile --cluster-id c0ee8f62dd10541c598af3627d5b6cda7 --namespace default --pod web-64cdcb7b98-gchks --description "high cpu load"',
    'aliyun-harness ack-profile --cluster-id c0ee8f62dd10541c598af3627d5b6cda7 --namespace default --pod web-64cdcb7b98-gchks --start-time 1763625600 --end-time 1763629200',
  ],

  // Inputs, and the mode question, are settled before ai-mode or any cloud call is touched.
  async validate(ctx, opts): Promise<Prepared> {
    const now = Math.floor(ctx.clock.now() / 1000)
    const description = sanitizeDescription(opts.description ?? '')
    let mode = modeFrom(opts, now)
    if (!mode && namesPastTime(description.original)) {
      const w = suggestWindow(description.original, now)
      const answer = await ctx.decide({
        id: 'diagnosis-mode',
        question: `The description ("${description.original}") names a past time. Diagnose that time window, or what is happening now?`,
        flag: '--start-time',
        replaces: ['--start-time', '--end-time', '--realtime'],
        options: [
          { value: `${w.start}-${w.end}`, label: `Historical: ${new Date(w.start * 1000).toISOString()} – ${new Date(w.end * 1000).toISOString()} (adjust the times as needed)`, recommended: true, args: ['--start-time', String(w.start), '--end-time', String(w.end)] },
          { value: 'realtime', label: 'Real-time: diagnose the Pod as it is now', args: ['--realtime'] },
        ],
      })
      mode = answer === 'realtime' ? { kind: 'real-time' } : { kind: 'historical', start: w.start, end: w.end }
    }
    return { clusterId: opts['cluster-id'], namespace: opts.namespace, pod: opts.pod, description, mode: mode ?? { kind: 'real-time' } }
  },

  async run(ctx, _opts, _positionals, input) {
    const { clusterId, namespace, pod, description, mode } = input
    if (description.dropped) ctx.note(`Description sent as "${description.sanitized}": SysOM accepts only [a-z0-9_-], so other characters were left out.`)
    Object.assign(ctx.partial, { cluster_id: clusterId, namespace, pod, mode: mode.kind, description })

    // Steps 0.3–3, in the seed's order (ai-mode enable + set-user-agent already ran).
    await ctx.preflight.pluginUpdate()
    await ctx.preflight.cliVersion()
    await ctx.preflight.autoPluginInstall()
    await ctx.preflight.credentials()

    const cluster = await clusterDetail(ctx, clusterId)
    const region = cluster.region_id
    Object.assign(ctx.partial, { cluster: { id: clusterId, name: cluster.name, region, profile: cluster.profile, state: cluster.state } })

    await initialSysom(ctx)
    await vpcEndpointConnection(ctx, clusterId, region)
    const taskId = await invokeDiagnosis(ctx, { region, clusterId, namespace, pod, description: description.sanitized, mode })
    ctx.partial.task_id = taskId
    const final = await pollResult(ctx, taskId)

    const modeText = mode.kind === 'historical' ? `Historical (${new Date(mode.start * 1000).toISOString()} – ${new Date(mode.end * 1000).toISOString()})` : 'Real-time'
    const base = {
      cluster: { id: clusterId, name: cluster.name, region, profile: cluster.profile, state: cluster.state },
      pod: { namespace, name: pod },
      mode: mode.kind,
      ...(mode.kind === 'historical' ? { time_range: { start_time: mode.start, end_time: mode.end } } : {}),
      description,
      task_id: taskId,
      diagnosis_status: final.data.status,
    }
    if (final.data.status === 'Fail') {
      throw new HarnessError('DiagnosisFailed', `SysOM diagnosis task ${taskId} failed: ${final.data.err_msg || 'no error message was returned'}.`, {
        data: base,
        nextAction: 'Check that the Pod exists in that namespace and is running (Pending, Windows and virtual-node/ECI Pods are not supported), then run the diagnosis again.',
      })
    }
    const findings = readFindings(final.data.result)
    return {
      status: 'completed',
      data: { ...base, ...findings, report: reportMarkdown({ namespace, pod, clusterId, mode: modeText, findings }) },
    }
  },

  templates() {
    const clusterId = `c${'d0c7'.repeat(8)}`
    const pod = { region: SAMPLE.region, clusterId, namespace: 'default', pod: 'web-0', description: 'high_cpu' }
    return [
      { name: 'cs GET /clusters/<id>', argv: clusterDetailArgv(clusterId), why: 'step 5: the cluster detail (profile, state, region)' },
      { name: 'sysom initial-sysom', argv: initialSysomArgv(), why: 'step 6: SysOM initialisation, once per run' },
      { name: 'sysom invoke-diagnosis', argv: invokeDiagnosisArgv({ ...pod, mode: { kind: 'real-time' } }), why: 'step 8: start a real-time diagnosis' },
      { name: 'sysom invoke-diagnosis (historical)', argv: invokeDiagnosisArgv({ ...pod, mode: { kind: 'historical', start: 1763625600, end: 1763629200 } }), why: 'step 8: start a diagnosis of a past time window' },
      { name: 'sysom get-diagnosis-result', argv: diagnosisResultArgv('doctor-sample-task'), why: 'step 8: poll the diagnosis every 10 s' },
    ]
  },

  render(result: Result, h) {
    const data = result.data as { report?: string } | null
    if (data?.report) h.line(data.report + '\n')
  },
})

// The commands of steps 5, 6 and 8, built here for the steps and for doctor's templates.
export const clusterDetailArgv = (clusterId: string) => roa('cs', 'GET', `/clusters/${clusterId}`)
export const initialSysomArgv = () => api('sysom', 'initial-sysom', { 'check-only': 'false', source: 'aes-skills' })
export const invokeDiagnosisArgv = (p: Parameters<typeof diagnosisParams>[0]) => api('sysom', 'invoke-diagnosis', { 'service-name': 'ocd', channel: 'ecs', params: diagnosisParams(p) })
export const diagnosisResultArgv = (taskId: string) => api('sysom', 'get-diagnosis-result', { 'task-id': taskId })

/** Step 5: any failure stops the run, with the CLI's error verbatim; nothing after it runs. */
async function clusterDetail(ctx: SkillContext, clusterId: string) {
  const res = await ctx.cli.attempt({ argv: clusterDetailArgv(clusterId), schema: ClusterDetail, label: 'cs GET /clusters/<id> (cluster detail)' })
  if (!res.ok) {
    const e = res.error
    throw new StopError('ClusterLookupFailed', `aliyun cs GET /clusters/${clusterId} failed: ${e.code}: ${e.message}`, {
      requestId: e.requestId,
      cause: e,
      nextAction: `Check the cluster id and provide a corrected one (format: c followed by 32 hex characters).${e.kind === 'permission' ? ` ${GRANT_ALL}` : ''}`,
    })
  }
  const c = res.data
  if (c.profile !== 'Default') throw new StopError('UnsupportedClusterType', unsupportedCluster(clusterId, c.profile ?? '(none)'), { nextAction: 'Provide a standard ACK managed cluster id (profile Default).' })
  if (c.state !== 'running')
    throw new StopError('ClusterNotRunning', `Cluster ${clusterId} (${c.name}) is in state '${c.state}', not running; SysOM cannot diagnose it now.`, {
      nextAction: 'Wait until the cluster is running (or provide another cluster id), then run the diagnosis again.',
    })
  return c
}

/** Step 6: exactly once, always --check-only false. */
async function initialSysom(ctx: SkillContext): Promise<void> {
  const res = await ctx.cli.attempt({ argv: initialSysomArgv(), schema: InitialSysom, label: 'sysom initial-sysom' })
  const failure = !res.ok ? `${res.error.code}: ${res.error.message}` : res.data.code !== 'Success' ? `${res.data.code}: ${res.data.message ?? ''}` : undefined
  if (failure)
    throw new StopError('InitialSysomFailed', `sysom initial-sysom failed: ${failure}`, {
      requestId: res.ok ? res.data.RequestId : res.error.requestId,
      cause: res.ok ? undefined : res.error,
      nextAction: `${!res.ok && res.error.kind === 'permission' ? `${GRANT_ALL} Also c` : 'C'}heck that SysOM is activated for this account and its service role can be created (sysom:InitialSysom), then run again.`,
    })
}

/** Step 7: the SDK call the CLI cannot make; runs without a question, after the banner (D4). */
async function vpcEndpointConnection(ctx: SkillContext, clusterId: string, region: string): Promise<void> {
  ctx.note(
    [
      'Creating the cluster VPC endpoint connection (required before diagnosis; runs without confirmation):',
      `- Cluster ID: ${clusterId}`,
      `- Region: ${region}`,
      '- Impact: establishes an internal diagnosis channel between SysOM and this cluster',
      '- Idempotent: re-running on a cluster that already has the connection is safe',
    ].join('\n'),
  )
  const failed = (code: string, message: string, requestId?: string, cause?: CliError) =>
    new StopError('VpcEndpointConnectionFailed', `Creation failed: ${code} - ${message}`, {
      requestId,
      cause,
      nextAction:
        cause?.kind === 'permission' ? GRANT_ALL : 'The diagnosis cannot reach the cluster without this connection. Check the permission sysom:CreateClusterVpcEndpointConnection and the cluster, then run again.',
    })
  let res
  try {
    res = await ctx.cli.sdk({
      request: {
        product: 'sysom',
        version: '2023-12-30',
        action: 'CreateClusterVpcEndpointConnection',
        method: 'POST',
        path: '/api/v1/k8sProxy/access/createClusterVpcEndpointConnection',
        body: { clusterId, region, dryRun: false },
        endpoint: 'sysom.aliyuncs.com',
        regionId: region,
      },
      schema: CreateClusterVpcEndpointConnection,
      label: 'sysom CreateClusterVpcEndpointConnection (SDK)',
    })
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    throw failed(e.code, e.message, e.requestId, e)
  }
  if (res.code !== 'Success') throw failed(res.code, res.message ?? '', res.requestId)
  ctx.note('[OK] Cluster VPC endpoint connection created successfully.')
}

/** Step 8: ≤ 3 invocations 30 s apart while a task is in progress; the task id only from a success. */
async function invokeDiagnosis(ctx: SkillContext, p: Parameters<typeof diagnosisParams>[0]): Promise<string> {
  try {
    const res = await ctx.cli.json({
      argv: invokeDiagnosisArgv(p),
      schema: InvokeDiagnosis,
      label: 'sysom invoke-diagnosis',
      retry: 'task-in-progress',
    })
    if (res.code !== 'Success' || !res.data?.task_id)
      throw new StopError('DiagnosisNotStarted', `sysom invoke-diagnosis did not start a task: ${res.code}: ${res.message ?? ''}`, { requestId: res.request_id })
    return res.data.task_id
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    if (e.code === TASK_IN_PROGRESS) throw new StopError(TASK_IN_PROGRESS, taskInProgress(p.clusterId), { requestId: e.requestId, nextAction: 'Wait 3–5 minutes for the running task, then run the diagnosis again.' })
    if (e.code === 'Sysom.InvalidParameter') throw new UsageError(`SysOM rejected the diagnosis parameters: ${e.message}`, e.code)
    throw new StopError('DiagnosisInvocationFailed', `sysom invoke-diagnosis failed: ${e.code}: ${e.message}`, {
      requestId: e.requestId,
      cause: e,
      nextAction: e.kind === 'permission' ? GRANT_ALL : 'Check the credentials and the sysom:InvokeDiagnosis permission, then run again.',
    })
  }
}

/**
 * Step 8, polling: every 10 s, at most 60 times; a timeout reports only the timeout template.
 * Polling is the only thing allowed meanwhile: a transient failure (the policy's `poll-transient`
 * codes) uses up one of the 60 polls and polling goes on; any other failure ends the run.
 */
async function pollResult(ctx: SkillContext, taskId: string) {
  const { data } = await ctx.cli.poll({
    step: { argv: diagnosisResultArgv(taskId), schema: GetDiagnosisResult, label: 'sysom get-diagnosis-result' },
    everyMs: POLL_EVERY_MS,
    maxAttempts: POLL_MAX,
    waitFirst: true,
    transient: 'poll-transient',
    until: (r) => r.data.status === 'Success' || r.data.status === 'Fail',
    progress: (r, n) => `diagnosis ${taskId}: ${r.data.status} (poll ${n} of ${POLL_MAX})`,
    onExhausted: (last) => {
      // Every poll may have failed transiently: then no status was ever read.
      const status = last?.data.status ?? 'unknown'
      return new TimedOutError('DiagnosisTimedOut', pollTimedOut(taskId, status), { data: { task_id: taskId, status }, nextAction: 'Please continue waiting for the diagnosis to complete.' })
    },
  })
  return data
}

export default skill
await autorun(skill, import.meta.url)

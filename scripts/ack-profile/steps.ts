// The SysOM chain's steps 5–8 (scripts/ack-profile.ts runs them in the seed's order): each call,
// its schema and the seed's message when it fails. Loaded when a diagnosis runs.

import { CliError, StopError, TimedOutError, UsageError } from '../../lib/errors.js'
import type { SkillContext } from '../../lib/skill.js'
import { clusterDetailArgv, diagnosisResultArgv, initialSysomArgv, invokeDiagnosisArgv } from './commands.js'
import type { diagnosisParams } from './inputs.js'
import { ClusterDetail, CreateClusterVpcEndpointConnection, GetDiagnosisResult, InitialSysom, InvokeDiagnosis } from './schemas.js'

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

/** Step 5: any failure stops the run, with the CLI's error verbatim; nothing after it runs. */
export async function clusterDetail(ctx: SkillContext, clusterId: string) {
  const res = await ctx.cli.attempt({ argv: clusterDetailArgv(clusterId), schema: ClusterDetail, label: 'cs GET /clusters/<id> (cluster detail)' })
  if (!res.ok) {
    const e = res.error
    throw new StopError('ClusterLookupFailed', `aliyun cs GET /clusters/${clusterId} failed: ${e.code}: ${e.message}`, {
      requestId: e.requestId,
      cause: e,
      // A refused lookup says nothing about the id (seed: not found → check the id; no permission → the grant, then wait).
      nextAction: e.kind === 'permission' ? GRANT_ALL : 'Check the cluster id and provide a corrected one (format: c followed by 32 hex characters).',
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
export async function initialSysom(ctx: SkillContext): Promise<void> {
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
export async function vpcEndpointConnection(ctx: SkillContext, clusterId: string, region: string): Promise<void> {
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
export async function invokeDiagnosis(ctx: SkillContext, p: Parameters<typeof diagnosisParams>[0]): Promise<string> {
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
export async function pollResult(ctx: SkillContext, taskId: string) {
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

// `create`: the original's gates in its order (confirm, cpu/memory pairing, some spec), the
// duplicate-name check over every page of instances, CreateInstance, then a read-back (≤ 3 checks
// at 0, 5 and 10 s) that must see the new InstanceId before success is reported. With --wait the
// same InstanceId is polled every 30 s for up to 10 min until RUNNING.

import { formatDuration } from '../../lib/clock.js'
import { CreateInstanceBody, DescribeInstancesBody, type FlinkInstance } from './schemas.js'
import { specValues } from './spec.js'
import type { SkillContext } from '../../lib/skill.js'
import type { CreateArgs } from './args.js'
import { foasArgv, type Regional } from './flags.js'
import { describeInstancesArgv, findInstance } from './read.js'
import { FlinkFailure, withReply, type Reply } from './reply.js'

export const CREATE_CONFIRM_MESSAGE = 'Creating an instance is a cost-incurring operation. Please confirm by adding --confirm flag.'

export const READ_BACK = { checks: 3, everyMs: 5_000 }
export const READINESS = { everyMs: 30_000, timeoutMs: 10 * 60_000 }
/** States an instance does not leave for RUNNING. */
const GONE = new Set(['DELETING', 'DELETED', 'RELEASING', 'RELEASED'])

export function confirmGate(confirm: boolean, message: string, what: string): void {
  if (!confirm)
    throw new FlinkFailure('SafetyCheckRequired', message, {
      nextAction: `Confirm with the user that ${what} should be created, then run the same command with --confirm added (once).`,
    })
}

export interface Spec {
  cpu: number
  memoryGb: number
}

/** `cpu = --cpu or --cu_count`, `memory = --memory_gb or 4 × --cu_count` (1 CU = 1 CPU + 4 GB). */
export function resolveSpec(a: Pick<CreateArgs, 'cpu' | 'memoryGb' | 'cuCount'>): Spec {
  const hasCpu = a.cpu !== undefined
  const hasMemory = a.memoryGb !== undefined
  const next = 'Give both --cpu and --memory_gb, or --cu_count alone, then run the command again.'
  if (hasCpu !== hasMemory) throw new FlinkFailure('MissingParameter', '--cpu and --memory_gb must be provided together.', { nextAction: next })
  if (!(a.cuCount !== undefined || (hasCpu && hasMemory))) throw new FlinkFailure('MissingParameter', 'Must specify --cpu and --memory_gb, or --cu_count parameter', { nextAction: next })
  return hasCpu ? { cpu: a.cpu!, memoryGb: a.memoryGb! } : { cpu: a.cuCount!, memoryGb: a.cuCount! * 4 }
}

export function chargeTypeOf(instanceType: CreateArgs['instanceType']): 'POST' | 'PRE' {
  return instanceType === 'PayAsYouGo' ? 'POST' : 'PRE'
}

function summary(i: FlinkInstance) {
  const { cpu, memoryGb } = specValues(i.ResourceSpec)
  return { InstanceId: i.InstanceId, InstanceName: i.InstanceName, ClusterStatus: i.ClusterStatus, ChargeType: i.ChargeType, Cpu: cpu, MemoryGB: memoryGb }
}

/** The CreateInstance command (built once, for the step and for doctor's template). */
export function createInstanceArgv(at: Regional, a: Pick<CreateArgs, 'region' | 'name' | 'vpcId' | 'vswitchId' | 'autoRenew' | 'period'>, chargeType: 'POST' | 'PRE', spec: Spec): string[] {
  return foasArgv(at, 'CreateInstance', a.region, {
    Region: a.region,
    InstanceName: a.name,
    ChargeType: chargeType,
    VpcId: a.vpcId,
    VSwitchIds: [a.vswitchId],
    ResourceSpec: { Cpu: spec.cpu, MemoryGB: spec.memoryGb },
    Storage: { FullyManaged: true },
    AutoRenew: a.autoRenew ? true : undefined,
    Duration: a.period,
    PricingCycle: a.period !== undefined ? 'Month' : undefined,
  })
}

export interface CreatedInstance {
  reply: Reply
  instanceId: string
  noop: boolean
  running: boolean
}

export async function createInstance(ctx: SkillContext, a: CreateArgs): Promise<CreatedInstance> {
  confirmGate(a.confirm, CREATE_CONFIRM_MESSAGE, 'this cost-incurring Flink instance')
  const spec = resolveSpec(a)
  const chargeType = chargeTypeOf(a.instanceType)
  await ctx.preflight.cliVersion()
  if (a.zoneId) ctx.note(`--zone_id ${a.zoneId} is not sent: CreateInstance has no ZoneId parameter; the instance's zone follows vSwitch ${a.vswitchId}.`)

  // Duplicate-name check over every page (the original read page 1 only).
  const existing = await findInstance(ctx, a.region, (i) => i.InstanceName === a.name)
  if (existing) {
    const have = specValues(existing.ResourceSpec)
    if (existing.ChargeType === chargeType && have.cpu === spec.cpu && have.memoryGb === spec.memoryGb) {
      const reply: Reply = {
        idempotent_noop: true,
        message: `Instance '${a.name}' already exists with the same configuration. Skipped duplicate create.`,
        data: { ExistingInstance: existing },
        request_id: '',
        extra: { instance_id: existing.InstanceId },
      }
      const running = a.wait ? await waitUntilRunning(ctx, a.region, existing, reply) : existing.ClusterStatus === 'RUNNING'
      return { reply, instanceId: existing.InstanceId, noop: true, running }
    }
    throw new FlinkFailure(
      'InstanceNameConflict',
      `Instance name '${a.name}' already exists with a different configuration. Refuse to create to avoid non-idempotent side effects.`,
      {
        nextAction: `Ask the user: use a different --name, or work with the existing instance ${existing.InstanceId} (deleting or resizing it is out of this skill's scope).`,
        reply: { extra: { existing_instance: summary(existing), requested: { ChargeType: chargeType, Cpu: spec.cpu, MemoryGB: spec.memoryGb } } },
      },
    )
  }

  const body = await ctx.cli.json({
    argv: createInstanceArgv(ctx, a, chargeType, spec),
    schema: CreateInstanceBody,
    label: 'create instance',
    // Never retried: a create that failed transiently may still have been applied.
    retry: false,
  })
  const instanceId = body.OrderInfo.InstanceId
  const reply: Reply = { data: body, request_id: body.RequestId ?? '', extra: { instance_id: instanceId } }
  const seen = await readBack(ctx, a.region, instanceId, reply)
  const running = a.wait ? await waitUntilRunning(ctx, a.region, seen, reply) : seen.ClusterStatus === 'RUNNING'
  return { reply, instanceId, noop: false, running }
}

/** ≤ 3 describe checks (0, 5, 10 s) on the new InstanceId; success only once it is seen. */
async function readBack(ctx: SkillContext, region: string, instanceId: string, reply: Reply): Promise<FlinkInstance> {
  const find = (b: DescribeInstancesBody) => b.Instances.find((i) => i.InstanceId === instanceId)
  const res = await ctx.cli
    .poll({
      step: { argv: describeInstancesArgv(ctx, region, 1, instanceId), schema: DescribeInstancesBody, label: `read back instance ${instanceId}` },
      everyMs: READ_BACK.everyMs,
      maxAttempts: READ_BACK.checks,
      until: (b) => Boolean(find(b)),
      onExhausted: (_last, checks) =>
        new FlinkFailure(
          'CreateNotVerified',
          `CreateInstance returned InstanceId '${instanceId}', but describe did not show it after ${checks} checks (0 s, 5 s, 10 s). The create is not confirmed yet.`,
          {
            status: 'not_ready',
            nextAction: `Do not create it again. Check later with \`aliyun-harness flink describe --region_id ${region}\`; re-running the same create command is safe (it becomes a no-op once ${instanceId} is visible).`,
            reply: { ...reply, extra: { ...reply.extra, verification: { verified: false, method: 'describe', instance_id: instanceId, checks } } },
          },
        ),
    })
    .catch((e: unknown) => Promise.reject(withReply(e, reply)))
  const seen = find(res.data)!
  reply.extra = { ...reply.extra, verification: { verified: true, method: 'describe', instance_id: instanceId, checks: res.attempts, observed: summary(seen) } }
  return seen
}

/**
 * Polls describe on the same InstanceId every 30 s for up to 10 min until RUNNING. Not RUNNING in
 * time → not_ready with the next action; gone from the list → failed. Returns true when RUNNING.
 */
async function waitUntilRunning(ctx: SkillContext, region: string, instance: FlinkInstance, reply: Reply): Promise<true> {
  const id = instance.InstanceId
  const readiness = (status: string | undefined, polls: number, waitedMs: number) => ({
    instance_id: id,
    cluster_status: status ?? null,
    running: status === 'RUNNING',
    polls,
    waited_seconds: Math.round(waitedMs / 1000),
    interval_seconds: READINESS.everyMs / 1000,
    max_wait_seconds: READINESS.timeoutMs / 1000,
  })
  if (instance.ClusterStatus === 'RUNNING') {
    reply.extra = { ...reply.extra, readiness: readiness('RUNNING', 0, 0) }
    return true
  }
  const find = (b: DescribeInstancesBody) => b.Instances.find((i) => i.InstanceId === id)
  const res = await ctx.cli
    .poll({
      step: { argv: describeInstancesArgv(ctx, region, 1, id), schema: DescribeInstancesBody, label: `wait for ${id} to be RUNNING` },
      everyMs: READINESS.everyMs,
      timeoutMs: READINESS.timeoutMs,
      waitFirst: true,
      until: (b) => {
        const i = find(b)
        return !i || i.ClusterStatus === 'RUNNING' || GONE.has(i.ClusterStatus ?? '')
      },
      progress: (b, n, ms) => `${id} is ${find(b)?.ClusterStatus ?? 'not listed'} after ${formatDuration(ms)} (check ${n}, every 30 s, up to 10 min)`,
      onExhausted: (last, polls, waited) => {
        const status = find(last)?.ClusterStatus
        return new FlinkFailure(
          'InstanceNotReady',
          `Instance '${id}' is still ${status ?? 'not RUNNING'} after waiting ${formatDuration(waited)} (${polls} checks every 30 s). It was created and verified, but it is not RUNNING yet.`,
          {
            status: 'not_ready',
            nextAction: `Wait until ${id} is RUNNING (check with \`aliyun-harness flink describe --region_id ${region}\`), then create the namespace on this same instance. Do not create another instance.`,
            reply: { ...reply, extra: { ...reply.extra, readiness: readiness(status, polls, waited) } },
          },
        )
      },
    })
    .catch((e: unknown) => Promise.reject(withReply(e, reply)))
  const now = find(res.data)
  reply.extra = { ...reply.extra, readiness: readiness(now?.ClusterStatus, res.attempts, res.elapsedMs) }
  if (now?.ClusterStatus !== 'RUNNING')
    throw new FlinkFailure('InstanceNotAvailable', `Instance '${id}' is ${now ? now.ClusterStatus : 'no longer listed by describe'} while waiting for RUNNING.`, {
      nextAction: `Check the instance in the Realtime Compute console; do not switch to another instance without the user's approval.`,
      reply,
    })
  return true
}

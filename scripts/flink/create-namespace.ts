// `create_namespace`: the original's gates in its order (confirm, cpu/memory pairing, existing
// namespace → no-op or conflict, a new namespace needs a spec, the parent instance must exist,
// capacity over all namespaces), plus the skill's pre-check that the instance is RUNNING; then
// CreateNamespace and a read-back (≤ 3 checks at 0, 5, 10 s) before success is reported. The
// capacity rule is references/flink.md "Capacity"; it counts what each namespace really reserves.

import { CreateNamespaceBody, DescribeNamespacesBody, type FlinkNamespace } from './schemas.js'
import { holdsSome, namespaceSpec, specValues, type SpecValues } from './spec.js'
import type { SkillContext } from '../../lib/skill.js'
import type { NamespaceArgs } from './args.js'
import { confirmGate, READ_BACK } from './create-instance.js'
import { foasArgv, type Regional } from './flags.js'
import { allNamespaces, describeNamespacesArgv, findInstance } from './read.js'
import { FlinkFailure, withReply, type Reply } from './reply.js'

export const NAMESPACE_CONFIRM_MESSAGE = 'Creating a namespace consumes cluster resources. Please confirm by adding --confirm flag.'

/** Python's int(x or 0): a missing value counts 0, fractions are truncated. */
const whole = (n: number | undefined) => Math.trunc(n ?? 0)

/**
 * What a namespace takes from the instance: its spec; a namespace with no spec at all shares the
 * instance pool, so what it uses now (`ResourceUsed`, floats) is taken, rounded up to whole units.
 */
export function reservedBy(ns: FlinkNamespace): { cpu: number; memory_gb: number } {
  const spec = namespaceSpec(ns)
  if (holdsSome(spec)) return { cpu: whole(spec.cpu), memory_gb: whole(spec.memoryGb) }
  return { cpu: Math.ceil(ns.ResourceUsed?.Cpu ?? 0), memory_gb: Math.ceil(ns.ResourceUsed?.MemoryGB ?? 0) }
}

export interface Capacity {
  requested: { cpu: number; memory_gb: number }
  available: { cpu: number; memory_gb: number }
  instance_total: { cpu: number; memory_gb: number }
  allocated: { cpu: number; memory_gb: number }
}

export function capacityFor(instanceSpec: SpecValues, namespaces: FlinkNamespace[], cpu: number, memoryGb: number): Capacity {
  const total = { cpu: whole(instanceSpec.cpu), memory_gb: whole(instanceSpec.memoryGb) }
  const allocated = { cpu: 0, memory_gb: 0 }
  for (const ns of namespaces) {
    const r = reservedBy(ns)
    allocated.cpu += r.cpu
    allocated.memory_gb += r.memory_gb
  }
  return {
    requested: { cpu, memory_gb: memoryGb },
    available: { cpu: Math.max(total.cpu - allocated.cpu, 0), memory_gb: Math.max(total.memory_gb - allocated.memory_gb, 0) },
    instance_total: total,
    allocated,
  }
}

export function insufficientMessage(c: Capacity): string {
  return (
    'Requested namespace resources exceed available capacity. ' +
    `requested=(${c.requested.cpu} CPU, ${c.requested.memory_gb} GB), ` +
    `available=(${c.available.cpu} CPU, ${c.available.memory_gb} GB), ` +
    `instance_total=(${c.instance_total.cpu} CPU, ${c.instance_total.memory_gb} GB), ` +
    `allocated=(${c.allocated.cpu} CPU, ${c.allocated.memory_gb} GB). ` +
    'This skill does not support instance scale-up. ' +
    'Please manually expand or reallocate instance resources, then retry create_namespace.'
  )
}

/** The CreateNamespace command (built once, for the step and for doctor's template). */
export function createNamespaceArgv(at: Regional, a: Pick<NamespaceArgs, 'region' | 'instanceId' | 'name'>, spec: { cpu: number; memoryGb: number }): string[] {
  return foasArgv(at, 'CreateNamespace', a.region, { Region: a.region, InstanceId: a.instanceId, Namespace: a.name, ResourceSpec: { Cpu: spec.cpu, MemoryGB: spec.memoryGb } })
}

export interface CreatedNamespace {
  reply: Reply
  noop: boolean
}

export async function createNamespace(ctx: SkillContext, a: NamespaceArgs, opts: { preflightDone?: boolean } = {}): Promise<CreatedNamespace> {
  confirmGate(a.confirm, NAMESPACE_CONFIRM_MESSAGE, `namespace '${a.name}' (it consumes instance capacity)`)
  const hasCpu = a.cpu !== undefined
  const hasMemory = a.memoryGb !== undefined
  if (hasCpu !== hasMemory)
    throw new FlinkFailure('MissingParameter', '--cpu and --memory_gb must be provided together when specifying namespace resources.', {
      nextAction: 'Give both --cpu and --memory_gb (or neither, to reuse an existing namespace), then run the command again.',
    })
  if (!opts.preflightDone) await ctx.preflight.cliVersion()

  // All namespaces: the existing-name rules first, then the allocations for the capacity check.
  const { body: listing } = await allNamespaces(ctx, a.region, a.instanceId)
  const existing = listing.Namespaces.find((n) => n.Namespace === a.name)
  if (existing) {
    const have = namespaceSpec(existing)
    const noop = (message: string) => ({ reply: { idempotent_noop: true, message, data: { ExistingNamespace: existing }, request_id: '' } as Reply, noop: true })
    if (!hasCpu && !hasMemory) return noop(`Namespace '${a.name}' already exists. Skipped duplicate create.`)
    if (have.cpu === a.cpu && have.memoryGb === a.memoryGb) return noop(`Namespace '${a.name}' already exists with the same resource specification. Skipped duplicate create.`)
    throw new FlinkFailure('NamespaceConflict', `Namespace '${a.name}' already exists with a different configuration. Refuse to create to avoid non-idempotent side effects.`, {
      nextAction: `Report the mismatch to the user (existing: ${have.cpu ?? '?'} CPU, ${have.memoryGb ?? '?'} GB): use another --name, or reuse '${a.name}' as it is. Changing a namespace is out of this skill's scope.`,
      reply: { extra: { existing_namespace: { Namespace: existing.Namespace, Status: existing.Status, Cpu: have.cpu, MemoryGB: have.memoryGb } } },
    })
  }
  if (!hasCpu && !hasMemory)
    throw new FlinkFailure(
      'MissingParameter',
      'New namespace creation requires explicit --cpu and --memory_gb. If the target namespace already exists, reuse the same --name to perform an idempotent create.',
      { nextAction: 'Ask the user for the namespace CPU and memory, then run the command again with --cpu and --memory_gb.' },
    )

  const instance = await findInstance(ctx, a.region, (i) => i.InstanceId === a.instanceId, a.instanceId)
  if (!instance)
    throw new FlinkFailure('NamespaceNotFound', `Instance '${a.instanceId}' was not found in region '${a.region}'.`, {
      nextAction: 'Ask the user to verify --instance_id and --region_id; do not switch to another instance on your own.',
    })
  if (instance.ClusterStatus !== 'RUNNING')
    throw new FlinkFailure('InstanceNotReady', `Instance '${a.instanceId}' is ${instance.ClusterStatus ?? 'in an unknown state'}, not RUNNING. A namespace can only be created on a RUNNING instance.`, {
      status: 'not_ready',
      nextAction: `Wait until ${a.instanceId} is RUNNING (check with \`aliyun-harness flink describe --region_id ${a.region}\`), then retry create_namespace on this same instance.`,
      reply: { extra: { instance: { InstanceId: instance.InstanceId, ClusterStatus: instance.ClusterStatus } } },
    })

  const capacity = capacityFor(specValues(instance.ResourceSpec), listing.Namespaces, a.cpu!, a.memoryGb!)
  if (a.cpu! > capacity.available.cpu || a.memoryGb! > capacity.available.memory_gb)
    throw new FlinkFailure('InsufficientResources', insufficientMessage(capacity), {
      nextAction: 'Ask the user to expand or reallocate the instance resources manually (outside this skill), then retry create_namespace. Do not retry before that.',
      reply: { extra: { capacity } },
    })

  const body = await ctx.cli.json({
    argv: createNamespaceArgv(ctx, a, { cpu: a.cpu!, memoryGb: a.memoryGb! }),
    schema: CreateNamespaceBody,
    label: 'create namespace',
    // Never retried: a create that failed transiently may still have been applied.
    retry: false,
  })
  const reply: Reply = { data: body, request_id: body.RequestId ?? '', extra: { capacity } }
  await readBack(ctx, a, reply)
  return { reply, noop: false }
}

/** ≤ 3 describe_namespaces checks (0, 5, 10 s); success only once the namespace is listed. */
async function readBack(ctx: SkillContext, a: NamespaceArgs, reply: Reply): Promise<void> {
  const find = (b: DescribeNamespacesBody) => b.Namespaces.find((n) => n.Namespace === a.name)
  const res = await ctx.cli
    .poll({
      step: { argv: describeNamespacesArgv(ctx, a.region, a.instanceId, 1, a.name), schema: DescribeNamespacesBody, label: `read back namespace ${a.name}` },
      everyMs: READ_BACK.everyMs,
      maxAttempts: READ_BACK.checks,
      until: (b) => Boolean(find(b)),
      onExhausted: (_last, checks) =>
        new FlinkFailure('CreateNotVerified', `CreateNamespace was accepted, but describe_namespaces did not show '${a.name}' on ${a.instanceId} after ${checks} checks (0 s, 5 s, 10 s).`, {
          status: 'not_ready',
          nextAction: `Do not create it again. Check later with \`aliyun-harness flink describe_namespaces --region_id ${a.region} --instance_id ${a.instanceId}\`; re-running the same create_namespace is safe (it becomes a no-op once '${a.name}' is listed).`,
          reply: { ...reply, extra: { ...reply.extra, verification: { verified: false, method: 'describe_namespaces', namespace: a.name, checks } } },
        }),
    })
    .catch((e: unknown) => Promise.reject(withReply(e, reply)))
  const seen = find(res.data)!
  const spec = namespaceSpec(seen)
  reply.extra = {
    ...reply.extra,
    verification: { verified: true, method: 'describe_namespaces', instance_id: a.instanceId, namespace: a.name, checks: res.attempts, observed: { Namespace: seen.Namespace, Status: seen.Status, Cpu: spec.cpu, MemoryGB: spec.memoryGb } },
  }
}

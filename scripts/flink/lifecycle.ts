// `lifecycle` (a harness addition): create → wait until RUNNING → create_namespace, always on the
// InstanceId this run created (or, on a re-run, the same-name same-spec instance the create no-op
// found). `completed` only when both creates succeeded and were read back; the instance not
// RUNNING within 10 min is `not_ready`; a namespace failure is `failed` (`not_ready` when the
// namespace create could not be read back yet).

import { HarnessError } from '../../lib/errors.js'
import type { SkillContext } from '../../lib/skill.js'
import { annotate } from './advice.js'
import type { CreateArgs, NamespaceArgs } from './args.js'
import { confirmGate, CREATE_CONFIRM_MESSAGE, createInstance, resolveSpec, type CreatedInstance } from './create-instance.js'
import { createNamespace } from './create-namespace.js'
import { done, FlinkFailure, isReply, type Reply } from './reply.js'

/** The per-create part of the lifecycle envelope: the original's fields for that create. */
function stage(reply: Reply | undefined, err?: HarnessError) {
  if (!reply && !err) return null
  const { data: _data, extra, ...fields } = reply ?? {}
  return {
    success: !err,
    ...fields,
    ...(err ? { error: err.toInfo(), status: err.status === 'not_ready' ? 'not_ready' : 'failed' } : {}),
    ...(extra?.verification ? { verification: extra.verification } : {}),
    ...(extra?.capacity ? { capacity: extra.capacity } : {}),
  }
}

function failure(err: HarnessError, lifecycleReply: Reply, nextAction?: string): FlinkFailure {
  const f = new FlinkFailure(err.code, err.message, {
    status: err.status === 'not_ready' ? 'not_ready' : 'failed',
    nextAction: nextAction ?? err.nextAction,
    reply: lifecycleReply,
    requestId: err.requestId,
  })
  f.recommend = err.recommend
  return f
}

export async function lifecycle(ctx: SkillContext, instance: CreateArgs, ns: Omit<NamespaceArgs, 'instanceId'>) {
  confirmGate(instance.confirm, CREATE_CONFIRM_MESSAGE, 'this cost-incurring Flink instance and its namespace')
  const spec = resolveSpec(instance)
  if (ns.cpu! > spec.cpu || ns.memoryGb! > spec.memoryGb)
    throw new FlinkFailure(
      'ValueError',
      `The namespace (${ns.cpu} CPU, ${ns.memoryGb} GB) is larger than the instance (${spec.cpu} CPU, ${spec.memoryGb} GB) and could never fit. Lower --namespace_cpu/--namespace_memory_gb or raise the instance size.`,
      { nextAction: 'Fix the sizes, then run the command again. Nothing was created.' },
    )

  let created: CreatedInstance
  try {
    created = await createInstance(ctx, { ...instance, wait: true })
  } catch (e) {
    if (!(e instanceof HarnessError)) throw e
    annotate(e, 'create', ctx.policy)
    const partial = isReply(e.data) ? (e.data as Reply) : undefined
    const id = partial?.extra?.instance_id as string | undefined
    const verified = (partial?.extra?.verification as { verified?: boolean } | undefined)?.verified === true
    const reply: Reply = {
      data: { instance: partial?.data ?? null, namespace: null },
      // Created and read back but not RUNNING in time: the create itself succeeded; the wait did not.
      extra: { instance_id: id ?? null, create: stage(partial, verified ? undefined : e), readiness: partial?.extra?.readiness ?? null, create_namespace: null },
    }
    const next =
      e.status === 'not_ready' && id
        ? `Wait until ${id} is RUNNING, then run \`aliyun-harness flink create_namespace --region_id ${ns.region} --instance_id ${id} --name ${ns.name} --cpu ${ns.cpu} --memory_gb ${ns.memoryGb} --confirm\` on this same instance (or re-run this lifecycle command: the instance create is then a no-op). Do not create another instance.`
        : undefined
    throw failure(e, reply, next)
  }

  const base = {
    instance_id: created.instanceId,
    create: stage(created.reply),
    readiness: created.reply.extra?.readiness ?? null,
  }
  try {
    const made = await createNamespace(ctx, { ...ns, instanceId: created.instanceId }, { preflightDone: true })
    const reply: Reply = {
      data: { instance: created.reply.data, namespace: made.reply.data },
      request_id: made.reply.request_id ?? '',
      extra: { ...base, create_namespace: stage(made.reply) },
    }
    if (created.noop && made.noop) {
      reply.idempotent_noop = true
      reply.message = `Instance '${instance.name}' and namespace '${ns.name}' already exist with the same configuration. Skipped duplicate create.`
      return done(reply, 'noop')
    }
    return done(reply)
  } catch (e) {
    if (!(e instanceof HarnessError)) throw e
    annotate(e, 'create_namespace', ctx.policy)
    const partial = isReply(e.data) ? (e.data as Reply) : undefined
    const reply: Reply = {
      data: { instance: created.reply.data, namespace: partial?.data ?? null },
      extra: { ...base, create_namespace: stage(partial ?? {}, e) },
    }
    throw failure(e, reply)
  }
}

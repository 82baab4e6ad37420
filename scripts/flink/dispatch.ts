// Each flink sub-command to its workflow (scripts/flink.ts declares the command line; this is
// loaded when a sub-command runs, with the response schemas).

import type { SkillContext } from '../../lib/skill.js'
import type { Args } from './args.js'
import { createInstance } from './create-instance.js'
import { createNamespace } from './create-namespace.js'
import { lifecycle } from './lifecycle.js'
import { describe, describeNamespaces, describeRegions, describeZones, listTags } from './queries.js'
import { done } from './reply.js'

/** Queries run one `aliyun version` check first (≥ 3.3.1, the first CLI with --user-agent). */
async function query<T>(ctx: SkillContext, call: () => Promise<T>): Promise<T> {
  await ctx.preflight.cliVersion()
  return call()
}

export async function dispatch(ctx: SkillContext, args: Args) {
  switch (args.command) {
    case 'describe_regions':
      return query(ctx, () => describeRegions(ctx))
    case 'describe_zones':
      return query(ctx, () => describeZones(ctx, args.region))
    case 'describe':
      return query(ctx, () => describe(ctx, args.region))
    case 'describe_namespaces':
      return query(ctx, () => describeNamespaces(ctx, args.region, args.instanceId))
    case 'list_tags':
      return query(ctx, () => listTags(ctx, args.region, args.resourceType, args.resourceIds))
    case 'create': {
      const made = await createInstance(ctx, args)
      const next = made.running
        ? undefined
        : `Instance ${made.instanceId} is not RUNNING yet. Before create_namespace, wait until it is RUNNING (\`create … --wait\` polls for up to 10 min), and create the namespace on this same instance.`
      return done(made.reply, made.noop ? 'noop' : 'completed', next)
    }
    case 'create_namespace': {
      const made = await createNamespace(ctx, args)
      return done(made.reply, made.noop ? 'noop' : 'completed')
    }
    case 'lifecycle':
      return lifecycle(ctx, args.instance, args.namespace)
  }
}

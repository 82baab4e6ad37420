// flink: Flink (VVP) instance and namespace management, create + query only (seed 000,
// alibabacloud-flink-instance-manage). A drop-in for the skill's `python scripts/instance_ops.py
// <command>`: the same seven sub-commands and underscore options, the same JSON envelope, gates
// and messages, exit 0/1 (D1). The transport is `aliyun foasconsole <kebab-action>` through the
// runner (allow-list, user agent, retries, zod); the flag spellings live in scripts/flink/flags.ts.
// Additions: every list is read to its last page, creates are read back before success,
// `create --wait` and `lifecycle` wait for RUNNING on the same InstanceId.

import { autorun, defineSkill, type SkillContext } from '../lib/skill.js'
import { SAMPLE } from '../lib/templates.js'
import { annotate } from './flink/advice.js'
import { FLINK_OPTIONS, parseCommand, validateArgs, type Args, type Command } from './flink/args.js'
import { chargeTypeOf, createInstance, createInstanceArgv, resolveSpec } from './flink/create-instance.js'
import { createNamespace, createNamespaceArgv } from './flink/create-namespace.js'
import { buildEnvelope } from './flink/envelope.js'
import { lifecycle } from './flink/lifecycle.js'
import { describe, describeNamespaces, describeRegions, describeZones, listTags, listTagsArgv, supportedRegionsArgv, supportedZonesArgv } from './flink/queries.js'
import { describeInstancesArgv, describeNamespacesArgv } from './flink/read.js'
import { done } from './flink/reply.js'

/** Queries run one `aliyun version` check first (≥ 3.3.1, the first CLI with --user-agent). */
async function query<T>(ctx: SkillContext, call: () => Promise<T>): Promise<T> {
  await ctx.preflight.cliVersion()
  return call()
}

async function dispatch(ctx: SkillContext, args: Args) {
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

const skill = defineSkill({
  name: 'flink',
  summary: 'Flink instance and namespace management (create + query), a drop-in for instance_ops.py.',
  usage:
    'aliyun-harness flink <create|create_namespace|describe|describe_regions|describe_zones|describe_namespaces|list_tags|lifecycle> [--region_id <region>] [options]',
  options: FLINK_OPTIONS,
  positionals: true,
  exitCodes:
    'Output: one JSON envelope on stdout (success, operation, confirmation_check, data, request_id, idempotent_noop, message, error; plus status, next_action, steps). Exit codes: 0 success (an idempotent no-op included), 1 every error (argument errors too).',
  examples: [
    'aliyun-harness flink describe_regions',
    'aliyun-harness flink describe --region_id cn-beijing',
    'aliyun-harness flink describe_namespaces --region_id cn-beijing --instance_id f-cn-xxx',
    'aliyun-harness flink list_tags --region_id cn-beijing --resource_type vvpinstance --resource_ids f-cn-a,f-cn-b',
    'aliyun-harness flink create --region_id cn-beijing --name my-flink --instance_type PayAsYouGo --vpc_id vpc-… --vswitch_id vsw-… --cu_count 4 --confirm [--wait]',
    'aliyun-harness flink create_namespace --region_id cn-beijing --instance_id f-cn-xxx --name dev --cpu 2 --memory_gb 8 --confirm',
    'aliyun-harness flink lifecycle --region_id cn-beijing --name my-flink --instance_type PayAsYouGo --vpc_id vpc-… --vswitch_id vsw-… --cu_count 8 --namespace dev --namespace_cpu 4 --namespace_memory_gb 16 --confirm',
  ],
  operation: (_opts, positionals) => positionals[0] ?? '',

  async run(ctx, opts, positionals) {
    const command: Command = parseCommand(positionals)
    const args = validateArgs(command, opts)
    try {
      return await dispatch(ctx, args)
    } catch (e) {
      throw annotate(e, command)
    }
  },

  envelope: buildEnvelope,

  templates() {
    const region = SAMPLE.region
    const instanceId = 'f-cn-doctor0001'
    const instance = { region, name: 'doctor-sample', vpcId: 'vpc-bp1doctor0000000001', vswitchId: 'vsw-bp1doctor0000000001' }
    return [
      { name: 'foasconsole describe-supported-regions', argv: supportedRegionsArgv(), why: 'describe_regions' },
      { name: 'foasconsole describe-supported-zones', argv: supportedZonesArgv(region), why: 'describe_zones' },
      { name: 'foasconsole describe-instances', argv: describeInstancesArgv(region, 1), why: 'describe, and the duplicate-name check of create (every page)' },
      { name: 'foasconsole describe-instances --instance-id', argv: describeInstancesArgv(region, 1, instanceId), why: 'the read-back after create, --wait, and create_namespace’s instance check' },
      { name: 'foasconsole describe-namespaces', argv: describeNamespacesArgv(region, instanceId, 1), why: 'describe_namespaces, and create_namespace’s capacity check (every page)' },
      { name: 'foasconsole describe-namespaces --namespace', argv: describeNamespacesArgv(region, instanceId, 1, 'dev'), why: 'the read-back after create_namespace' },
      { name: 'foasconsole list-tag-resources', argv: listTagsArgv(region, 'vvpinstance', [instanceId]), why: 'list_tags' },
      { name: 'foasconsole list-tag-resources (next page)', argv: listTagsArgv(region, 'vvpinstance', [instanceId], SAMPLE.nextToken), why: 'list_tags: every page after the first' },
      { name: 'foasconsole create-instance', argv: createInstanceArgv({ ...instance, autoRenew: false }, chargeTypeOf('PayAsYouGo'), resolveSpec({ cuCount: 4 })), why: 'create with --instance_type PayAsYouGo' },
      { name: 'foasconsole create-instance (subscription)', argv: createInstanceArgv({ ...instance, autoRenew: true, period: 1 }, chargeTypeOf('Subscription'), resolveSpec({ cpu: 4, memoryGb: 16 })), why: 'create with a subscription period and --auto_renew' },
      { name: 'foasconsole create-namespace', argv: createNamespaceArgv({ region, instanceId, name: 'dev' }, { cpu: 2, memoryGb: 8 }), why: 'create_namespace' },
    ]
  },
})

export default skill
await autorun(skill, import.meta.url)

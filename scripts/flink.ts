// flink: Flink (VVP) instance and namespace management, create + query only (seed 000,
// alibabacloud-flink-instance-manage). A drop-in for the skill's `python scripts/instance_ops.py
// <command>`: the same seven sub-commands and underscore options, the same JSON envelope, gates
// and messages, exit 0/1 (D1). The transport is `aliyun foasconsole <kebab-action>` through the
// runner (allow-list, user agent, retries, zod); the flag spellings live in scripts/flink/flags.ts.
// Additions: every list is read to its last page, creates are read back before success,
// `create --wait` and `lifecycle` wait for RUNNING on the same InstanceId.

import { autorun, defineSkill } from '../lib/skill.js'
import { COMMANDS, FLINK_OPTIONS, parseCommand, validateArgs, type Command } from './flink/args.js'
import { buildEnvelope } from './flink/envelope.js'
import { renderFlink } from './flink/render.js'

const skill = defineSkill({
  name: 'flink',
  summary: 'Flink instance and namespace management (create + query), a drop-in for instance_ops.py.',
  usage:
    'aliyun-harness flink <create|create_namespace|describe|describe_regions|describe_zones|describe_namespaces|list_tags|lifecycle> [--region_id <region>] [options]',
  options: FLINK_OPTIONS,
  positionals: true,
  commands: COMMANDS,
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

  // The original's argument contract, checked before anything runs.
  validate: (_ctx, opts, positionals) => validateArgs(parseCommand(positionals), opts),

  async run(ctx, _opts, _positionals, args) {
    const command: Command = args.command
    // The sub-commands and their schemas (zod) load when one runs: `--help` stays light.
    const [{ dispatch }, { annotate }] = await Promise.all([import('./flink/dispatch.js'), import('./flink/advice.js')])
    try {
      return await dispatch(ctx, args)
    } catch (e) {
      throw annotate(e, command, ctx.policy)
    }
  },

  envelope: buildEnvelope,
  render: renderFlink,

  async templates(tc) {
    return (await import('./flink/templates.js')).flinkTemplates(tc)
  },
})

export default skill
await autorun(skill, import.meta.url)

// eas-deploy: deploy a PAI-EAS inference service (seed 003, alibabacloud-pai-eas-service-deploy).
// The runner enables ai-mode with the skill's user agent before this runs and disables it on every
// way out (D3). The workflow (eas-deploy/workflow.ts) is the seed's, in its order: pre-checks,
// workspace, duplicate gate, the two mandatory validations, network/resource group, service.json
// (built and validated by the seed's rules), the duplicate gate again, create-service,
// describe-service once, endpoints.

import type { Result } from '../lib/result.js'
import { autorun, defineSkill, type SkillContext } from '../lib/skill.js'
import type { TemplateContext } from '../lib/templates.js'
import { DEFAULTS, IMAGE_HINT, IMAGE_MAX_LENGTH, IMAGE_RE, INSTANCE_TYPE_HINT, INSTANCE_TYPE_MAX_LENGTH, INSTANCE_TYPE_RE, SERVICE_NAME_HINT, SERVICE_NAME_RE } from './eas-deploy/defaults.js'
import type { RawOptions } from './eas-deploy/inputs.js'

const skill = defineSkill({
  name: 'eas-deploy',
  summary: 'Deploy a PAI-EAS inference service: validated image and machine type, shared/dedicated gateway or NLB, duplicate-name gate, Deployment Summary.',
  usage:
    'aliyun-harness eas-deploy --region <r> --service-name <name> --image <uri> --instance-type <type> [--command <cmd>] [--workspace-id <id>] [--replicas 1] [--port 8000] [--oss-path oss://b/p/ [--mount-path /model_dir]] [--network shared|gateway|nlb] [--gateway-id <gw>] [--resource-id <rg>|auto] [--vpc-id <vpc> --vswitch-id <a,b> --security-group-id <sg>] [--nlb-listener-port <p>] [--autoscale min=1,max=4,metric=qps,threshold=20] [--health-check-path <path>] [--config <service.json>] [--json]',
  options: {
    region: { type: 'string', required: true, description: 'Region to deploy in (also set as the CLI profile region, as the seed does).', pattern: /^[a-z]+-[a-z0-9-]+$/, hint: 'a region id such as cn-hangzhou', valueName: 'region' },
    'service-name': { type: 'string', description: 'Service name, used exactly as given.', pattern: SERVICE_NAME_RE, hint: SERVICE_NAME_HINT, valueName: 'name' },
    'service-name-prefix': { type: 'string', description: 'Instead of --service-name: the name is <prefix><6 random digits>.', pattern: /^[a-z0-9_]{1,57}$/, hint: '1-57 lower-case letters, digits or underscores', valueName: 'prefix' },
    image: { type: 'string', pattern: IMAGE_RE, maxLength: IMAGE_MAX_LENGTH, hint: IMAGE_HINT, description: 'Container image URI (validated against the official EAS images; a custom image is deployed as given).', valueName: 'uri' },
    'instance-type': { type: 'string', description: 'Machine type (validated with describe-machine-spec; vLLM/SGLang on a CPU type is switched to a GPU type).', pattern: INSTANCE_TYPE_RE, maxLength: INSTANCE_TYPE_MAX_LENGTH, hint: INSTANCE_TYPE_HINT, valueName: 'type' },
    command: { type: 'string', freeText: true, maxLength: 4096, description: 'Container start command (containers[].command).', valueName: 'cmd' },
    'workspace-id': { type: 'string', description: 'PAI workspace (metadata.workspace_id). Default: the only enabled workspace; several → a question.', pattern: /^[A-Za-z0-9_-]{1,64}$/, hint: 'a PAI workspace id', valueName: 'id' },
    replicas: { type: 'string', description: `Instances (metadata.instance). Default ${DEFAULTS.replicas}.`, valueName: 'n' },
    port: { type: 'string', description: `Container port. Default ${DEFAULTS.port}.`, valueName: 'port' },
    'oss-path': { type: 'string', description: 'OSS directory to mount read-only, oss://<bucket>/<path>/ (trailing slash).', pattern: /^oss:\/\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\/(?:[^/\s]+\/)*$/, hint: 'oss://<bucket>/<path>/ ending with /', valueName: 'oss://b/p/' },
    'mount-path': { type: 'string', pattern: /^[A-Za-z0-9._/-]+$/, hint: 'a path of letters, digits and . _ / -, such as /model_dir', description: `Where --oss-path is mounted. Default ${DEFAULTS.mountPath}; never /, /bin, /etc, /usr.`, valueName: 'path' },
    network: { type: 'string', choices: ['shared', 'gateway', 'nlb'], description: 'shared gateway (default), dedicated gateway, or NLB.' },
    'gateway-id': { type: 'string', description: 'Dedicated gateway (implies --network gateway). Default: discovered with list-gateway.', pattern: /^gw-[A-Za-z0-9]+$/, hint: 'a gateway id such as gw-1uhcqmsc7x22', valueName: 'gw' },
    'resource-id': { type: 'string', description: 'Dedicated resource group (metadata.resource), or `auto` for the first ready one. Must be Dedicated and ResourceReady.', pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, hint: 'a resource group id such as eas-r-4gt8twzwllfo, or auto', valueName: 'rg' },
    'vpc-id': { type: 'string', description: 'VPC for a dedicated gateway or NLB. Default: discovered.', pattern: /^vpc-[0-9a-z]+$/, hint: 'a VPC id (vpc-…)', valueName: 'vpc' },
    'vswitch-id': { type: 'strings', description: 'VSwitches (comma-separated). NLB: at least two, in different zones. Default: discovered.', pattern: /^vsw-[0-9a-z]+$/, hint: 'VSwitch ids (vsw-…)', valueName: 'vsw-a,vsw-b' },
    'security-group-id': { type: 'string', description: 'Security group in that VPC. Default: discovered.', pattern: /^sg-[0-9a-z]+$/, hint: 'a security group id (sg-…)', valueName: 'sg' },
    'nlb-listener-port': { type: 'string', description: 'NLB listener port (implies --network nlb); never 8080. Default: the container port.', valueName: 'port' },
    autoscale: { type: 'string', pattern: /^[A-Za-z0-9=.,]+$/, hint: 'min=<n>,max=<n>,metric=qps|cpu|gpu|memory,threshold=<number>', description: 'Autoscaler: min=<n>,max=<n>,metric=qps|cpu|gpu|memory,threshold=<number> (max > min).', valueName: 'spec' },
    'health-check-path': { type: 'string', pattern: /^[A-Za-z0-9._~!$&'()*+,;=:@%/?-]+$/, hint: 'a URL path such as /health', description: 'HTTP startup check path on the container port (containers[].startup_check).', valueName: 'path' },
    config: { type: 'string', maxLength: 4096, description: 'A complete service.json to deploy instead of the flags above; validated by the same rules.', valueName: 'file' },
  },
  examples: [
    'aliyun-harness eas-deploy --region cn-hangzhou --service-name qwen_chat --image eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:0.8.5 --instance-type ecs.gn7i-c16g1.4xlarge --command "vllm serve /model_dir --port 8000"',
    'aliyun-harness eas-deploy --region cn-hangzhou --service-name-prefix skill_qwen_ --image <uri> --instance-type ecs.gn7i-c16g1.4xlarge --oss-path oss://my-models/qwen/ --autoscale min=1,max=4,metric=qps,threshold=20',
    'aliyun-harness eas-deploy --region cn-hangzhou --service-name qwen_nlb --image <uri> --instance-type ecs.gn7i-c16g1.4xlarge --network nlb --nlb-listener-port 9000',
    'aliyun-harness eas-deploy --region cn-hangzhou --config service.json',
  ],

  // Every input mistake is found here, before the ai-mode lifecycle touches the machine.
  async validate(ctx: SkillContext, opts) {
    const { parseRequest } = await import('./eas-deploy/inputs.js')
    return parseRequest(opts as RawOptions, (name, make) => ctx.generate(name, make))
  },

  async run(ctx: SkillContext, _opts, _positionals, req) {
    // The deployment steps and their schemas (zod) load when one runs: `--help` stays light.
    const { deploy } = await import('./eas-deploy/workflow.js')
    return deploy(ctx, req)
  },

  async templates(t: TemplateContext) {
    return (await import('./eas-deploy/templates.js')).easTemplates(t)
  },

  render(result: Result, h) {
    const data = result.data as { summary?: string; notices?: string[] } | null
    if (!data || typeof data.summary !== 'string') return
    h.line(data.summary)
    if (data.notices?.length) {
      h.line()
      h.line('Notes:')
      for (const n of data.notices) h.line(`- ${n}`)
    }
    h.line()
  },
})

export default skill
await autorun(skill, import.meta.url)

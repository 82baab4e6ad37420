// eas-deploy: deploy a PAI-EAS inference service (seed 003, alibabacloud-pai-eas-service-deploy).
// The runner enables ai-mode with the skill's user agent before this runs and disables it on every
// way out (D3). The workflow is the seed's, in its order: pre-checks, workspace, duplicate gate,
// the two mandatory validations, network/resource group, service.json (built here and validated
// by the seed's rules), the duplicate gate again, create-service, describe-service once, endpoints.

import { HarnessError, StopError } from '../lib/errors.js'
import { buildServiceConfig, serviceConfigIssues, SERVICE_NAME_RE, withInstanceTypes, type NetworkPlan } from './eas-deploy/service-config.js'
import type { Result } from '../lib/result.js'
import { autorun, defineSkill, type SkillContext } from '../lib/skill.js'
import { SAMPLE, type CommandTemplate, type TemplateContext } from '../lib/templates.js'
import { laterPageArgv, Notices } from './eas-deploy/calls.js'
import { createService, createServiceArgv, describeEndpoints, describeOnce, describeServiceArgv, serviceEndpointsArgv } from './eas-deploy/deploy.js'
import { duplicateGate, listImagesArgv, listServicesArgv, listWorkspacesArgv, machineSpecArgv, resolveWorkspace, validateImages, validateMachineTypes, type MachineCheck } from './eas-deploy/discovery.js'
import { DEFAULTS, parseRequest, type DeployRequest, type RawOptions } from './eas-deploy/inputs.js'
import { describeGatewayArgv, describeVpcsArgv, describeVSwitchesArgv, listGatewayArgv, listResourcesArgv, resolveNetwork, resolveResourceGroup, securityGroupsArgv } from './eas-deploy/network.js'
import { preChecks } from './eas-deploy/prechecks.js'
import { deploymentSummary, invocationExamples, summaryEndpoints } from './eas-deploy/summary.js'

const NETWORK_LABEL = { shared: 'shared-gateway', gateway: 'dedicated-gateway', nlb: 'nlb' } as const

/** Every API command the deployment can send (doctor), with representative values. */
function templates(t: TemplateContext): CommandTemplate[] {
  const region = SAMPLE.region
  const vpcId = 'vpc-bp1doctor0000000001'
  const listed = (name: string, argv: string[], why: string): CommandTemplate[] => [
    { name, argv, why },
    { name: `${name} (next page)`, argv: laterPageArgv(argv, 2, 10), why: `${why}: every page after the first` },
  ]
  const config = buildServiceConfig({ name: 'doctor_sample', replicas: DEFAULTS.replicas, image: 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:0.8.5.post1', command: 'vllm serve /model_dir', port: DEFAULTS.port, instanceType: 'ecs.gn7i-c16g1.4xlarge', network: { kind: 'shared' } })
  return [
    ...listed('aiworkspace list-workspaces', listWorkspacesArgv(t, region), 'Step 1: find the workspace when --workspace-id is not given'),
    ...listed('eas list-services', listServicesArgv(t, region), 'Steps 1.5 and 6: the duplicate-name check'),
    { name: 'aiworkspace list-images', argv: listImagesArgv(t, region), why: 'Step 2: validate the image against the official EAS images' },
    { name: 'eas describe-machine-spec', argv: machineSpecArgv(t, region), why: 'Step 3: validate the instance type', retry: 'read-timeout' },
    ...listed('eas list-gateway', listGatewayArgv(t, region), 'Step 4, --network gateway: the dedicated gateways'),
    { name: 'eas describe-gateway', argv: describeGatewayArgv(t, region, 'gw-doctor0000000001'), why: 'Step 4, --network gateway: the gateway’s VPC' },
    { name: 'ecs describe-security-groups', argv: securityGroupsArgv(t, region, vpcId), why: 'Step 4, gateway or NLB: a security group of the VPC' },
    { name: 'vpc describe-vpcs', argv: describeVpcsArgv(t, region), why: 'Step 4, --network nlb without --vpc-id' },
    { name: 'vpc describe-vswitches', argv: describeVSwitchesArgv(t, region, vpcId), why: 'Step 4, --network nlb: VSwitches in two zones' },
    ...listed('eas list-resources', listResourcesArgv(t, region), 'Step 4, --resource-group: the dedicated resource groups'),
    { name: 'eas create-service', argv: createServiceArgv(t, region, config as unknown as Record<string, unknown>), why: 'Step 6: create the service from service.json, inline', retry: false },
    { name: 'eas describe-service', argv: describeServiceArgv(t, region, 'doctor_sample'), why: 'Step 7: the service, once', retry: false },
    { name: 'eas describe-service-endpoints', argv: serviceEndpointsArgv(t, region, 'doctor_sample'), why: 'Step 8: the endpoints and the AccessToken' },
  ]
}

/** The service.json to send: built from the flags, or the user's file with what was discovered filled in. */
function assembleConfig(req: DeployRequest, found: { workspaceId?: string; machine: MachineCheck; network: NetworkPlan; resourceId?: string }): Record<string, any> {
  if (req.source.kind === 'flags')
    return buildServiceConfig({ ...req.source.build, workspaceId: found.workspaceId, instanceType: found.machine.instance_types[0], resourceId: found.resourceId, network: found.network }) as unknown as Record<string, any>
  const config = structuredClone(req.source.config)
  if (found.workspaceId && config.metadata.workspace_id === undefined) config.metadata.workspace_id = found.workspaceId
  // Every type validateMachineTypes replaced (vLLM/SGLang on a type that is not a listed GPU type).
  const replaced = new Map(req.instanceTypes.map((t, i) => [t, found.machine.instance_types[i] ?? t]))
  return found.machine.switched ? withInstanceTypes(config, (t) => replaced.get(t) ?? t) : config
}

function checkBuiltConfig(config: Record<string, any>, region: string): void {
  const issues = serviceConfigIssues(config)
  if (!issues.length) return
  if (issues.every((i) => i.startsWith('metadata.workspace_id:')))
    throw new StopError('WorkspaceRequired', `service.json needs metadata.workspace_id (the seed makes it REQUIRED), and no workspace could be chosen in ${region}. Nothing was created.`, {
      nextAction: `Pass --workspace-id <id> (see \`aliyun aiworkspace list-workspaces --region ${region}\`), or create a PAI workspace in ${region}.`,
    })
  throw new HarnessError('ServiceConfigInvalid', `The service.json breaks the rules, so it was not sent:\n${issues.map((i) => `  - ${i}`).join('\n')}`, {
    nextAction: 'Correct the values named above, then run the same command again.',
  })
}

const skill = defineSkill({
  name: 'eas-deploy',
  summary: 'Deploy a PAI-EAS inference service: validated image and machine type, shared/dedicated gateway or NLB, duplicate-name gate, Deployment Summary.',
  usage:
    'aliyun-harness eas-deploy --region <r> --service-name <name> --image <uri> --instance-type <type> [--command <cmd>] [--workspace-id <id>] [--replicas 1] [--port 8000] [--oss-path oss://b/p/ [--mount-path /model_dir]] [--network shared|gateway|nlb] [--gateway-id <gw>] [--resource-id <rg>|auto] [--vpc-id <vpc> --vswitch-id <a,b> --security-group-id <sg>] [--nlb-listener-port <p>] [--autoscale min=1,max=4,metric=qps,threshold=20] [--health-check-path <path>] [--config <service.json>] [--json]',
  options: {
    region: { type: 'string', required: true, description: 'Region to deploy in (also set as the CLI profile region, as the seed does).', pattern: /^[a-z]+-[a-z0-9-]+$/, hint: 'a region id such as cn-hangzhou', valueName: 'region' },
    'service-name': { type: 'string', description: 'Service name, used exactly as given.', pattern: SERVICE_NAME_RE, hint: '3-63 lower-case letters, digits or underscores (no hyphens)', valueName: 'name' },
    'service-name-prefix': { type: 'string', description: 'Instead of --service-name: the name is <prefix><6 random digits>.', pattern: /^[a-z0-9_]{1,57}$/, hint: '1-57 lower-case letters, digits or underscores', valueName: 'prefix' },
    image: { type: 'string', pattern: /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/, maxLength: 512, hint: 'an image reference such as registry/namespace/name:tag (letters, digits and . _ / : @ + -)', description: 'Container image URI (validated against the official EAS images; a custom image is deployed as given).', valueName: 'uri' },
    'instance-type': { type: 'string', description: 'Machine type (validated with describe-machine-spec; vLLM/SGLang on a CPU type is switched to a GPU type).', pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, hint: 'an instance type such as ecs.gn7i-c16g1.4xlarge', valueName: 'type' },
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
  validate: (ctx: SkillContext, opts) => parseRequest(opts as RawOptions, (name, make) => ctx.generate(name, make)),

  async run(ctx: SkillContext, _opts, _positionals, req) {
    const { region, name } = req
    const notices = new Notices(ctx)
    Object.assign(ctx.partial, { service_name: name, region })
    if (req.nameSource === 'prefix') notices.add(`Service name ${name}: the prefix plus 6 random digits.`)

    await preChecks(ctx, region, notices)
    const workspace = await resolveWorkspace(ctx, region, req.workspaceId, notices, req.nameSource === 'prefix' ? name : undefined)
    ctx.partial.workspace_id = workspace.id ?? null

    await duplicateGate(ctx, region, name, 'before validation')
    const images = await validateImages(ctx, region, req.images, notices)
    const machine = await validateMachineTypes(ctx, region, req.instanceTypes, req.llmEngine, notices)
    const network = await resolveNetwork(ctx, region, req.network, notices)
    const resourceId = req.resourceId ? await resolveResourceGroup(ctx, region, req.resourceId, notices) : undefined

    const config = assembleConfig(req, { workspaceId: workspace.id, machine, network, resourceId })
    checkBuiltConfig(config, region)
    ctx.partial.service_config = config

    await duplicateGate(ctx, region, name, 'before create-service')
    const created = await createService(ctx, region, name, config, network.kind === 'nlb', notices)
    const status = await describeOnce(ctx, region, name, created.response, notices)
    const { accessToken, endpoints } = await describeEndpoints(ctx, region, name, created.response, notices)

    const listenerPort = network.kind === 'nlb' ? network.listenerPort : undefined
    const examples = invocationExamples(name, endpoints, accessToken, listenerPort)
    const shown = summaryEndpoints(endpoints)
    return {
      status: 'completed',
      data: {
        service_name: name,
        service_id: created.response.ServiceId,
        region,
        status,
        workspace_id: config.metadata.workspace_id,
        network: created.nlbFallback ? NETWORK_LABEL.shared : NETWORK_LABEL[network.kind],
        requested_network: NETWORK_LABEL[network.kind],
        resource_id: resourceId ?? null,
        instance_types: machine.instance_types,
        endpoints: shown,
        AccessToken: accessToken ?? null,
        invocation_examples: examples,
        summary: deploymentSummary({ name, status, endpoints: shown, examples, switched: machine.switched }),
        validations: { images, machine },
        create_service_calls: created.attempts,
        notices: notices.list,
        service_config: created.config,
      },
    }
  },

  templates,

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

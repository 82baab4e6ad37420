// eas-deploy scenarios, built from the CLI-fact builders with the real field names of api-shapes §9
// (EAS: Services[], InstanceMetas[]/GPUAmount, Gateways[], Resources[], Endpoints[]), §10
// (AIWorkSpace Workspaces[], Images[]) and the wrapped ECS/VPC lists. Each scenario comes with the
// arguments it was made for (`args`), so tests, the demo and the docs run exactly those.
//
// The AccessToken in recorded describe-service-endpoints bodies is `***`: that is what `--record`
// stores (the recorder scrubs it) and what the audit accepts. test/eas-deploy.test.ts proves with
// an unrecorded token that the value reaches the summary and nothing else.

import { api, system } from '../../lib/command.js'
import type { CliEntry, Entry } from '../../lib/transcript.js'
import { builder, transcript } from '../support/cli-facts.js'

export const b = builder('eas-deploy')
export const REGION = 'cn-hangzhou'
export const WORKSPACE = '86431'
export const VLLM_IMAGE = 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:0.8.5.post1'
export const SGLANG_IMAGE = 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/sglang:0.4.6.post4'
export const GPU_TYPE = 'ecs.gn7i-c16g1.4xlarge'
export const SMALL_GPU_TYPE = 'ecs.gn7i-c8g1.2xlarge'
export const CPU_TYPE = 'ecs.g6.xlarge'
/** A CPU type describe-machine-spec does not list in the region. */
export const UNLISTED_CPU_TYPE = 'ecs.g7.2xlarge'
export const VLLM_COMMAND = 'vllm serve /model_dir --host 0.0.0.0 --port 8000 --served-model-name qwen'
export const RECORDED_TOKEN = '***'
const INSTALLED: [string, string][] = [
  ['aliyun-cli-aiworkspace', '0.1.4'],
  ['aliyun-cli-eas', '0.2.0'],
]

type Obj = Record<string, unknown>

// ---- local command output (aliyun-cli-facts §2.5) ------------------------------------------

/** `plugin list`: tabwriter, min width 20, padding 3. */
export function pluginListText(plugins: [string, string][] = INSTALLED): string {
  const rows = [['Name', 'Version', 'Description'], ['----', '-------', '-----------'], ...plugins.map(([n, v]) => [n, v, `Alibaba Cloud ${n.replace('aliyun-cli-', '').toUpperCase()} CLI plugin`])]
  const widths = [0, 1].map((i) => Math.max(20, ...rows.map((r) => r[i].length + 3)))
  return rows.map((r) => r[0].padEnd(widths[0]) + r[1].padEnd(widths[1]) + r[2]).join('\n') + '\n'
}

/** `plugin install --names aiworkspace eas` with both already installed (re-installing re-downloads). */
export function pluginInstallText(plugins: [string, string][] = INSTALLED): string {
  return [
    ...plugins.flatMap(([n, v]) => [
      `Installing ${n.replace('aliyun-cli-', '')}...`,
      `Downloading ${n} ${v}...`,
      `Note: plugin "${n}" is already installed (version ${v}); continuing will replace it with version ${v}.`,
      `Plugin ${n} ${v} installed successfully!`,
    ]),
    `Installed: ${plugins.length}`,
    '',
  ].join('\n')
}

export const PLUGIN_INSTALL_ARGV = system(['plugin', 'install'], { names: ['aiworkspace', 'eas'] })

/** Pre-checks after the runner's ai-mode enable + set-user-agent, in the seed's order. */
export function preChecks(opts: { install?: CliEntry; list?: CliEntry; extra?: Entry[] } = {}): Entry[] {
  return [
    b.aiModeEnable(),
    b.aiModeSetUserAgent(),
    b.version(),
    b.pluginUpdate(INSTALLED),
    b.autoPluginInstall(),
    b.pluginUpdate(INSTALLED),
    opts.install ?? b.system(PLUGIN_INSTALL_ARGV, pluginInstallText()),
    opts.list ?? b.system(['plugin', 'list'], pluginListText()),
    ...(opts.extra ?? []),
    b.system(['configure', 'set', '--region', REGION]),
  ]
}

// ---- API entries ---------------------------------------------------------------------------

export const argv = {
  listWorkspaces: () => api('aiworkspace', 'list-workspaces', { region: REGION }),
  listServices: () => api('eas', 'list-services', { region: REGION, 'cluster-id': REGION }),
  listImages: () => api('aiworkspace', 'list-images', { region: REGION, verbose: 'true', labels: 'system.official=true,system.supported.eas=true', 'page-size': '50' }),
  machineSpec: () => api('eas', 'describe-machine-spec', { region: REGION }),
  listGateway: () => api('eas', 'list-gateway', { region: REGION }),
  describeGateway: (gw: string) => api('eas', 'describe-gateway', { region: REGION, 'cluster-id': REGION, 'gateway-id': gw }),
  securityGroups: (vpc: string) => api('ecs', 'describe-security-groups', { 'biz-region-id': REGION, 'vpc-id': vpc, region: REGION }),
  describeVpcs: () => api('vpc', 'describe-vpcs', { 'biz-region-id': REGION, region: REGION }),
  describeVSwitches: (vpc: string) => api('vpc', 'describe-vswitches', { 'biz-region-id': REGION, 'vpc-id': vpc, 'page-size': '50', region: REGION }),
  listResources: () => api('eas', 'list-resources', { region: REGION }),
  createService: (config: Obj) => api('eas', 'create-service', { region: REGION, body: JSON.stringify(config) }),
  describeService: (name: string) => api('eas', 'describe-service', { region: REGION, 'cluster-id': REGION, 'service-name': name }),
  endpoints: (name: string) => api('eas', 'describe-service-endpoints', { region: REGION, 'cluster-id': REGION, 'service-name': name }),
}
export const withReadTimeout = (a: string[]) => [...a, '--read-timeout', '60']

export const SERVICE_UNAVAILABLE = { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' }

/**
 * list-images while the aiworkspace plugin is missing and auto-install is on (aliyun-cli-facts
 * §2.4, §2.5): the host installs it — its notes on stderr, the install output on stdout — then runs
 * the plugin, whose JSON follows on stdout. Exit 0, but stdout as a whole is not JSON: the seed's
 * `| jq` answers "parse error" with exit code 4.
 */
export function listImagesAfterAutoInstall(): CliEntry {
  const json = officialImages().stdout_json
  return {
    kind: 'cli',
    argv: [...argv.listImages(), '--user-agent', b.userAgent],
    stdout: ['Downloading aliyun-cli-aiworkspace 0.1.4...', 'Plugin aliyun-cli-aiworkspace 0.1.4 installed successfully!', JSON.stringify(json, null, 2), ''].join('\n'),
    stderr: "Plugin 'aliyun-cli-aiworkspace' is required for command 'aiworkspace list-images' but not installed.\nAuto-installing plugin 'aliyun-cli-aiworkspace'...\n",
    exit_code: 0,
    duration_ms: 4200,
  }
}

export function workspace(id: string, name: string, o: Obj = {}): Obj {
  return { WorkspaceId: id, WorkspaceName: name, Status: 'ENABLED', IsDefault: false, Creator: '1557702098194904', GmtCreateTime: '2026-03-02T08:14:55Z', EnvTypes: ['prod'], resourceGroupId: 'rg-acfmwp7rky4gpay', ...o }
}

export function workspaces(...list: Obj[]): CliEntry {
  return b.api(argv.listWorkspaces(), { Workspaces: list, TotalCount: list.length })
}

export function services(list: [string, string][] = [['chatglm_demo', 'Running'], ['sd_webui', 'Stopped']]): CliEntry {
  return b.api(argv.listServices(), {
    Services: list.map(([ServiceName, Status], i) => ({ ServiceName, Status, ServiceId: `eas-m-${ServiceName.replace(/_/g, '')}${i}`, Region: REGION, Resource: 'eas-r-public', RunningInstance: 1, TotalInstance: 1, CreateTime: '2026-10-01T02:03:04Z' })),
    TotalCount: list.length,
    PageNumber: 1,
    PageSize: 100,
  })
}

export function officialImages(): CliEntry {
  const image = (id: string, uri: string, name: string) => ({
    ImageId: id,
    ImageUri: uri,
    Name: name,
    Accessibility: 'PUBLIC',
    Labels: [
      { Key: 'system.official', Value: 'true' },
      { Key: 'system.supported.eas', Value: 'true' },
      { Key: 'system.chipType', Value: 'GPU' },
    ],
    GmtCreateTime: '2026-09-12T06:00:00Z',
  })
  const images = [
    image('image-05cefd0be2e5a1b2c3', VLLM_IMAGE, 'vllm:0.8.5.post1'),
    image('image-1d8f0c4a9b7e6d5c4b', SGLANG_IMAGE, 'sglang:0.4.6.post4'),
    image('image-2a7b6c5d4e3f2a1b0c', 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/comfyui:1.9', 'comfyui:1.9'),
    image('image-3b8c7d6e5f4a3b2c1d', 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/pytorch-inference:2.5-gpu-py311', 'pytorch-inference:2.5'),
  ]
  return b.api(argv.listImages(), { Images: images, TotalCount: images.length })
}

/** `GPU` (the GPU model) "is not returned for non-GPU instance types" (DescribeMachineSpec model). */
export function machineSpec(a: string[] = argv.machineSpec()): CliEntry {
  const meta = (InstanceType: string, CPU: number, Memory: number, GPUAmount: number, GPU = '', GPUMemory = 0, StockStatus = 'WithStock') => ({
    InstanceType, CPU, Memory, ...(GPU ? { GPU } : {}), GPUAmount, GPUMemory, IsAvailable: StockStatus === 'WithStock', StockStatus, Vendor: 'ECS', SpotDiscount: 0.1, NonProtectSpotDiscount: 0.1,
  })
  return b.api(a, {
    InstanceMetas: [
      meta(CPU_TYPE, 4, 16, 0),
      meta('ecs.c7.2xlarge', 8, 16, 0),
      meta('ecs.gn6i-c4g1.xlarge', 4, 15, 1, 'T4', 16, 'WithoutStock'),
      meta(SMALL_GPU_TYPE, 8, 30, 1, 'A10', 24),
      meta(GPU_TYPE, 16, 60, 1, 'A10', 24),
      meta('ecs.gn7i-c32g1.16xlarge', 64, 376, 2, 'A10', 24),
    ],
    Types: [{ CPU: 4, Memory: [8, 16] }, { CPU: 8, Memory: [16, 32] }],
  })
}

export function created(name: string, o: Obj = {}): Obj {
  return {
    ServiceId: `eas-m-${name.replace(/_/g, '')}7f3k`,
    ServiceName: name,
    Region: REGION,
    Status: 'Creating',
    InternetEndpoint: `http://1557702098194904.cn-hangzhou.pai-eas.aliyuncs.com/api/predict/${name}`,
    IntranetEndpoint: `http://1557702098194904.vpc.cn-hangzhou.pai-eas.aliyuncs.com/api/predict/${name}`,
    ...o,
  }
}

export function describedService(name: string, status = 'Waiting'): CliEntry {
  return b.api(argv.describeService(name), {
    ServiceName: name,
    ServiceId: `eas-m-${name.replace(/_/g, '')}7f3k`,
    Status: status,
    Message: 'Waiting for instances to be ready',
    Reason: 'CREATING',
    Region: REGION,
    RunningInstance: 0,
    PendingInstance: 1,
    TotalInstance: 1,
    WorkspaceId: WORKSPACE,
    ServiceConfig: '{"metadata":{"instance":1}}',
  })
}

export const gatewayEndpoint = (name: string) => ({
  BackendId: `eas-m-${name.replace(/_/g, '')}7f3k`,
  EndpointType: 'DefaultGateway',
  InternetEndpoints: ['http://1557702098194904.cn-hangzhou.pai-eas.aliyuncs.com'],
  IntranetEndpoints: ['http://1557702098194904.vpc.cn-hangzhou.pai-eas.aliyuncs.com'],
  PathType: 'Service',
  Port: 80,
})

export function endpoints(name: string, list: Obj[] = [gatewayEndpoint(name)], token: string = RECORDED_TOKEN): CliEntry {
  return b.api(argv.endpoints(name), { AccessToken: token, Endpoints: list })
}

/** create-service → describe-service (once) → describe-service-endpoints → ai-mode disable. */
export function deployTail(name: string, config: Obj, eps?: Obj[]): Entry[] {
  return [b.api(argv.createService(config), created(name)), describedService(name), endpoints(name, eps), b.aiModeDisable()]
}

// ---- expected service.json (the exact bytes create-service must receive) ---------------------

export function sharedConfig(name: string, o: { workspace?: string; type?: string; image?: string; command?: string | null } = {}): Obj {
  const container: Obj = { image: o.image ?? VLLM_IMAGE, port: 8000 }
  if (o.command !== null) container.command = o.command ?? VLLM_COMMAND
  return { metadata: { name, instance: 1, workspace_id: o.workspace ?? WORKSPACE }, containers: [container], cloud: { computing: { instance_type: o.type ?? GPU_TYPE } } }
}

const NLB_VPC = { vpc_id: 'vpc-bp1llm0001', vswitch_id: 'vsw-bp1zonei0001,vsw-bp1zonej0001', security_group_id: 'sg-bp1llm0001' }
export function nlbConfig(name: string): Obj {
  return {
    metadata: { name, instance: 1, workspace_id: WORKSPACE },
    containers: [{ image: VLLM_IMAGE, port: 8000, command: VLLM_COMMAND }],
    cloud: { computing: { instance_type: GPU_TYPE }, networking: NLB_VPC },
    networking: { nlb: [{ id: 'default', listener_port: 9000, netType: 'intranet' }] },
  }
}

/** NLB discovery: the VPC, its VSwitches (two in zone i, one in zone j) and its security group. */
export function nlbDiscovery(): Entry[] {
  return [
    b.api(argv.describeVpcs(), { Vpcs: { Vpc: [{ VpcId: 'vpc-bp1llm0001', VpcName: 'llm-vpc', IsDefault: false, Status: 'Available', CidrBlock: '172.16.0.0/12', RegionId: REGION }] }, TotalCount: 1, PageNumber: 1, PageSize: 10 }),
    b.api(argv.describeVSwitches('vpc-bp1llm0001'), {
      VSwitches: {
        VSwitch: [
          { VSwitchId: 'vsw-bp1zonei0001', ZoneId: 'cn-hangzhou-i', VpcId: 'vpc-bp1llm0001', Status: 'Available', CidrBlock: '172.16.1.0/24', AvailableIpAddressCount: 250 },
          { VSwitchId: 'vsw-bp1zonei0002', ZoneId: 'cn-hangzhou-i', VpcId: 'vpc-bp1llm0001', Status: 'Available', CidrBlock: '172.16.2.0/24', AvailableIpAddressCount: 250 },
          { VSwitchId: 'vsw-bp1zonej0001', ZoneId: 'cn-hangzhou-j', VpcId: 'vpc-bp1llm0001', Status: 'Available', CidrBlock: '172.16.3.0/24', AvailableIpAddressCount: 250 },
        ],
      },
      TotalCount: 3,
      PageNumber: 1,
      PageSize: 50,
    }),
    securityGroups('vpc-bp1llm0001', 'sg-bp1llm0001', 'llm-sg'),
  ]
}

export function securityGroups(vpc: string, ...group: string[]): CliEntry {
  const list = group.length ? [{ SecurityGroupId: group[0], SecurityGroupName: group[1] ?? '', VpcId: vpc, SecurityGroupType: 'normal', CreationTime: '2026-05-01T00:00Z' }] : []
  return b.api(argv.securityGroups(vpc), { SecurityGroups: { SecurityGroup: list }, TotalCount: list.length, PageNumber: 1, PageSize: 10 })
}

export const GATEWAY = 'gw-1uhcqmsc7x22'
export function gatewayList(list: Obj[] = [{ GatewayId: GATEWAY, GatewayName: 'llm-gw', Status: 'Running', InstanceType: 'ecs.c6.4xlarge', Replicas: 2, IsDefault: false, InternetEnabled: false, IntranetEnabled: true, ChargeType: 'PostPaid' }]): CliEntry {
  return b.api(argv.listGateway(), { Gateways: list, TotalCount: list.length, PageNumber: 1, PageSize: 100 })
}

export function dedicatedResources(list: [string, string, string][]): CliEntry {
  return b.api(argv.listResources(), {
    Resources: list.map(([ResourceId, ResourceType, Status]) => ({ ResourceId, ResourceName: `${ResourceId.slice(-6)}_group`, ResourceType, Status, ClusterId: REGION, GpuCount: 8, GpuUsed: 2, CpuCount: 128, CpuUsed: 16, InstanceCount: 2 })),
    TotalCount: list.length,
    PageNumber: 1,
    PageSize: 100,
  })
}

/** The validation pair every deploy runs (Steps 2 and 3). */
const validations = (): Entry[] => [officialImages(), machineSpec()]
const found = (): Entry[] => [workspaces(workspace(WORKSPACE, 'llm_team', { IsDefault: true })), services(), ...validations()]

const base = ['eas-deploy', '--region', REGION]
const vllm = ['--image', VLLM_IMAGE, '--command', VLLM_COMMAND]

// ---- scenarios -----------------------------------------------------------------------------

const OSS_NAME = 'skill_qwen_482917'
const ossConfig = {
  metadata: { name: OSS_NAME, instance: 2, workspace_id: WORKSPACE },
  containers: [{ image: VLLM_IMAGE, port: 8000, command: VLLM_COMMAND, startup_check: { http_get: { path: '/health', port: 8000 }, initial_delay_seconds: 60, period_seconds: 10, failure_threshold: 30 } }],
  storage: [{ mount_path: '/model_dir', oss: { path: 'oss://llm-models-hz/qwen2.5-7b-instruct/', readOnly: true } }],
  cloud: { computing: { instance_type: GPU_TYPE } },
  autoscaler: { min: 1, max: 4, scaleStrategies: [{ metricName: 'qps', threshold: 20 }] },
}

const GW_NAME = 'qwen_private'
const gwConfig = {
  metadata: { name: GW_NAME, instance: 1, workspace_id: WORKSPACE },
  containers: [{ image: VLLM_IMAGE, port: 8000, command: VLLM_COMMAND }],
  cloud: { computing: { instance_type: GPU_TYPE }, networking: { vpc_id: 'vpc-bp1gw0001', vswitch_id: 'vsw-bp1gwa0001,vsw-bp1gwb0001', security_group_id: 'sg-bp1gw0001' } },
  networking: { gateway: GATEWAY },
}
const privateEndpoint = {
  BackendId: 'eas-m-qwenprivate7f3k',
  EndpointType: 'PrivateGateway',
  InternetEndpoints: [],
  IntranetEndpoints: [`http://${GATEWAY}-1557702098194904-vpc.cn-hangzhou.pai-eas.aliyuncs.com`],
  PathType: 'Service',
  Port: 80,
}

const NLB_NAME = 'qwen_nlb'
const nlbEndpoint = { BackendId: 'eas-m-qwennlb7f3k', EndpointType: 'Nlb', InternetEndpoints: [], IntranetEndpoints: ['nlb-8x1ivk0dnr2a5m4t6q.cn-hangzhou.nlb.aliyuncsslb.com'], PathType: 'Service', Port: 9000 }
const NLB_BUG_1 = { code: 'BadRequest', message: 'vswitch can not be null' }
const NLB_BUG_2 = { code: 'BadRequest', message: 'vpcId, vswId and securityGroupId are required' }

const RG = 'eas-r-4gt8twzwllfo'
const rgConfig = (name: string) => ({ metadata: { name, instance: 1, resource: RG, workspace_id: WORKSPACE }, containers: [{ image: VLLM_IMAGE, port: 8000, command: VLLM_COMMAND }] })

export const args: Record<string, string[]> = {
  'shared-vllm': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', GPU_TYPE],
  'oss-autoscale': [...base, '--service-name-prefix', 'skill_qwen_', ...vllm, '--instance-type', GPU_TYPE, '--replicas', '2', '--oss-path', 'oss://llm-models-hz/qwen2.5-7b-instruct/', '--autoscale', 'min=1,max=4,metric=qps,threshold=20', '--health-check-path', '/health', '--workspace-id', WORKSPACE],
  'dedicated-gateway': [...base, '--service-name', GW_NAME, ...vllm, '--instance-type', GPU_TYPE, '--gateway-id', GATEWAY],
  'nlb': [...base, '--service-name', NLB_NAME, ...vllm, '--instance-type', GPU_TYPE, '--network', 'nlb', '--nlb-listener-port', '9000'],
  'nlb-fallback': [...base, '--service-name', NLB_NAME, ...vllm, '--instance-type', GPU_TYPE, '--network', 'nlb', '--nlb-listener-port', '9000'],
  'resource-group': [...base, '--service-name', 'qwen_dedicated', ...vllm, '--resource-id', RG],
  'resource-group-missing': [...base, '--service-name', 'qwen_dedicated', ...vllm, '--resource-id', 'auto'],
  'duplicate-name': [...base, '--service-name', 'chatglm_demo', ...vllm, '--instance-type', GPU_TYPE],
  'duplicate-check-failed': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', GPU_TYPE],
  'list-images-timeout': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', GPU_TYPE],
  'cpu-vllm-switch': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', CPU_TYPE],
  'several-workspaces': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', GPU_TYPE],
  'create-conflict': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', GPU_TYPE],
  'list-images-parse-error': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', GPU_TYPE],
  'machine-spec-retried': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', GPU_TYPE],
  'cpu-vllm-unlisted-type': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', UNLISTED_CPU_TYPE],
  'list-images-required-flags': [...base, '--service-name', 'qwen_chat', ...vllm, '--instance-type', GPU_TYPE],
}

/**
 * The aiworkspace plugin refusing list-images for a flag the harness does not send, in the plugin
 * runtime's documented words (S:…/dataphin/…/manage-tenant-member/SKILL.md:181 `Error: required
 * flags missing: --page, --page-size`; the runtime is not public, so its exit code is unknown and
 * 1 is assumed). `--page-number` is ListImages' PageNumber, which the harness leaves to its default.
 */
export function listImagesRequiredFlags(): CliEntry {
  return b.apiRaw(argv.listImages(), { stderr: 'Error: required flags missing: --page-number\n', exitCode: 1 })
}

/** A qwen_chat deploy whose list-images answers only with --read-timeout 60, after `failures`. */
function listImagesThenReadTimeout(failures: Entry[]): Entry[] {
  return [
    ...preChecks(),
    workspaces(workspace(WORKSPACE, 'llm_team', { IsDefault: true })),
    services(),
    ...failures,
    { ...officialImages(), argv: [...withReadTimeout(argv.listImages()), '--user-agent', b.userAgent] },
    machineSpec(),
    services(),
    ...deployTail('qwen_chat', sharedConfig('qwen_chat')),
  ]
}

export const scenarios = {
  'shared-vllm': transcript('eas-deploy', 'vLLM on the shared gateway: the only enabled workspace is used, both mandatory validations run, describe-service once', [
    ...preChecks(),
    ...found(),
    services(),
    ...deployTail('qwen_chat', sharedConfig('qwen_chat')),
  ]),

  'oss-autoscale': transcript(
    'eas-deploy',
    'name from a prefix (+6 recorded digits), given workspace (no list-workspaces), OSS mount, autoscaler, startup check, 2 replicas',
    [...preChecks(), services(), ...validations(), services(), ...deployTail(OSS_NAME, ossConfig)],
    { generated: { 'service-name-suffix': ['482917'] } },
  ),

  'dedicated-gateway': transcript('eas-deploy', 'dedicated gateway: list-gateway, describe-gateway (LoadBalancerList) → VPC + comma VSwitches, security group of that VPC; no internet endpoint', [
    ...preChecks(),
    ...found(),
    gatewayList(),
    b.api(argv.describeGateway(GATEWAY), {
      GatewayId: GATEWAY,
      GatewayName: 'llm-gw',
      Status: 'Running',
      InternetEnabled: false,
      IntranetEnabled: true,
      IntranetDomain: `${GATEWAY}-1557702098194904-vpc.cn-hangzhou.pai-eas.aliyuncs.com`,
      LoadBalancerList: [{ VpcId: 'vpc-bp1gw0001', VSwitchIds: ['vsw-bp1gwa0001', 'vsw-bp1gwb0001'], NetType: 'intranet' }],
    }),
    securityGroups('vpc-bp1gw0001', 'sg-bp1gw0001', 'gw-sg'),
    services(),
    ...deployTail(GW_NAME, gwConfig, [privateEndpoint]),
  ]),

  nlb: transcript('eas-deploy', 'NLB: VPC, VSwitches in two zones (one per zone) and security group discovered, listener 9000; the Nlb endpoint gets a domain:port example', [
    ...preChecks(),
    ...found(),
    ...nlbDiscovery(),
    services(),
    ...deployTail(NLB_NAME, nlbConfig(NLB_NAME), [nlbEndpoint]),
  ]),

  'nlb-fallback': transcript('eas-deploy', 'NLB: the plugin 400 twice (two NLB attempts), then the shared-gateway redeploy without networking.nlb / cloud.networking and the seed notice', [
    ...preChecks(),
    ...found(),
    ...nlbDiscovery(),
    services(),
    b.apiError(argv.createService(nlbConfig(NLB_NAME)), NLB_BUG_1),
    b.apiError(argv.createService(nlbConfig(NLB_NAME)), NLB_BUG_2),
    ...deployTail(NLB_NAME, sharedConfig(NLB_NAME)),
  ]),

  'resource-group': transcript('eas-deploy', 'dedicated resource group: Dedicated + ResourceReady → metadata.resource and no cloud.computing; describe-machine-spec still runs', [
    ...preChecks(),
    ...found(),
    dedicatedResources([
      ['eas-r-h2k9creating', 'Dedicated', 'ResourceCreating'],
      [RG, 'Dedicated', 'ResourceReady'],
    ]),
    services(),
    ...deployTail('qwen_dedicated', rgConfig('qwen_dedicated')),
  ]),

  'resource-group-missing': transcript('eas-deploy', 'no dedicated resource group is ready: stop, never the public resource group instead', [
    ...preChecks(),
    ...found(),
    dedicatedResources([
      ['eas-r-h2k9creating', 'Dedicated', 'ResourceCreating'],
      ['eas-r-selfmanaged1', 'SelfManaged', 'ResourceReady'],
    ]),
    b.aiModeDisable(),
  ]),

  'duplicate-name': transcript('eas-deploy', 'a service with the name exists: the seed stop message, nothing validated or created', [
    ...preChecks(),
    workspaces(workspace(WORKSPACE, 'llm_team', { IsDefault: true })),
    services(),
    b.aiModeDisable(),
  ]),

  'duplicate-check-failed': transcript('eas-deploy', 'list-services itself fails: no duplicate proven, so stop', [
    ...preChecks(),
    workspaces(workspace(WORKSPACE, 'llm_team', { IsDefault: true })),
    b.apiError(argv.listServices(), { code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.", product: 'eas' }),
    b.aiModeDisable(),
  ]),

  'list-images-timeout': transcript('eas-deploy', 'list-images times out once; the one retry carries --read-timeout 60 and succeeds', listImagesThenReadTimeout([b.apiTimeout(argv.listImages(), 'aiworkspace.cn-hangzhou.aliyuncs.com')])),

  'cpu-vllm-switch': transcript('eas-deploy', 'vLLM asked on a CPU type: the smallest GPU type with stock is used instead (the T4 without stock is skipped), and the user is told', [
    ...preChecks(),
    ...found(),
    services(),
    ...deployTail('qwen_chat', sharedConfig('qwen_chat', { type: SMALL_GPU_TYPE })),
  ]),

  'list-images-parse-error': transcript(
    'eas-deploy',
    'list-images prints the auto-install output before its JSON ("parse error"): the plugin is reinstalled, list-images fails again (ServiceUnavailable), and the retry with --read-timeout 60 succeeds',
    listImagesThenReadTimeout([listImagesAfterAutoInstall(), b.system(PLUGIN_INSTALL_ARGV, pluginInstallText()), b.apiError(argv.listImages(), SERVICE_UNAVAILABLE)]),
  ),

  'machine-spec-retried': transcript('eas-deploy', 'describe-machine-spec answers ServiceUnavailable; the one retry carries --read-timeout 60 and succeeds', [
    ...preChecks(),
    ...found().slice(0, -1),
    b.apiError(argv.machineSpec(), SERVICE_UNAVAILABLE),
    machineSpec(withReadTimeout(argv.machineSpec())),
    services(),
    ...deployTail('qwen_chat', sharedConfig('qwen_chat')),
  ]),

  'cpu-vllm-unlisted-type': transcript('eas-deploy', 'vLLM asked on ecs.g7.2xlarge, which describe-machine-spec does not list as a GPU type (it is not listed at all): the smallest GPU type with stock is used, and the summary says so', [
    ...preChecks(),
    ...found(),
    services(),
    ...deployTail('qwen_chat', sharedConfig('qwen_chat', { type: SMALL_GPU_TYPE })),
  ]),

  'several-workspaces': transcript('eas-deploy', 'three enabled workspaces and no --workspace-id: a needs_input decision (exit 3) before any other API call', [
    ...preChecks(),
    workspaces(workspace('92011', 'research'), workspace(WORKSPACE, 'llm_team', { IsDefault: true }), workspace('77310', 'sandbox'), workspace('60005', 'archived', { Status: 'DISABLED' })),
    b.aiModeDisable(),
  ]),

  'create-conflict': transcript('eas-deploy', 'create-service answers 409 (the name was taken between the check and the create): stop, never reuse or delete', [
    ...preChecks(),
    ...found(),
    services(),
    b.apiError(argv.createService(sharedConfig('qwen_chat')), { code: 'Conflict', message: 'Service qwen_chat already exists.' }),
    b.aiModeDisable(),
  ]),

  'list-images-required-flags': transcript(
    'eas-deploy',
    'the installed aiworkspace plugin refuses list-images: "Error: required flags missing: --page-number". The mandatory image validation fails (MandatoryCheckFailed, cause CliMissingRequiredFlags) naming the flag and the command, points to aliyun-harness doctor; no plugin reinstall, no retry, nothing created',
    [...preChecks(), workspaces(workspace(WORKSPACE, 'llm_team', { IsDefault: true })), services(), listImagesRequiredFlags(), b.aiModeDisable()],
  ),
}


// Flags (or a --config service.json) → one deploy request. Everything here runs before the first
// cloud call, so every mistake is a UsageError (exit 2) and nothing has been touched.

import { readFileSync } from 'node:fs'
import { UsageError } from '../../lib/errors.js'
import { DEFAULTS, SERVICE_NAME_RE } from './defaults.js'
import { mountPathProblem, RESERVED_NLB_PORT, serviceConfigIssues, type BuildInput } from './service-config.js'

/** What the user asked for on the network side; discovery fills in what is missing (Step 4). */
export type NetworkRequest =
  | { kind: 'shared' }
  | { kind: 'gateway'; gatewayId?: string; vpcId?: string; vswitchIds?: string[]; securityGroupId?: string }
  | { kind: 'nlb'; listenerPort: number; netType: 'intranet' | 'internet'; vpcId?: string; vswitchIds?: string[]; securityGroupId?: string }

export interface DeployRequest {
  region: string
  name: string
  nameSource: 'flag' | 'prefix' | 'config'
  workspaceId?: string
  /** Every container image, validated against list-images. */
  images: string[]
  /** The machine types asked for (empty with a dedicated resource group). */
  instanceTypes: string[]
  /** vLLM or SGLang: never on a CPU machine (seed TOP RULE 3). */
  llmEngine: boolean
  /** A dedicated resource group id, or `auto` for the first ready one. */
  resourceId?: string
  network: NetworkRequest
  /** flags: the parts of service.json known now; config: the user's file (name filled in). */
  source: { kind: 'flags'; build: Omit<BuildInput, 'network' | 'workspaceId' | 'instanceType'> } | { kind: 'config'; file: string; config: Record<string, any> }
}

export interface RawOptions {
  region: string
  'service-name'?: string
  'service-name-prefix'?: string
  image?: string
  'instance-type'?: string
  command?: string
  'workspace-id'?: string
  replicas?: string
  port?: string
  'oss-path'?: string
  'mount-path'?: string
  network?: string
  'gateway-id'?: string
  'resource-id'?: string
  'vpc-id'?: string
  'vswitch-id': string[]
  'security-group-id'?: string
  'nlb-listener-port'?: string
  autoscale?: string
  'health-check-path'?: string
  config?: string
}

const LLM_ENGINE = /vllm|sglang/i

export function isLlmEngine(...texts: (string | undefined)[]): boolean {
  return texts.some((t) => t !== undefined && LLM_ENGINE.test(t))
}

function int(name: string, value: string, min: number, max: number): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}; got '${value}'.`, 'InvalidParameter')
  return n
}

/** `min=1,max=4,metric=qps,threshold=20` (min defaults to 1, metric to qps). */
export function parseAutoscale(value: string): NonNullable<BuildInput['autoscale']> {
  const fields: Record<string, string> = {}
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = part.match(/^(min|max|metric|threshold)=(.+)$/)
    if (!m) throw new UsageError(`--autoscale: '${part}' is not one of min=<n>, max=<n>, metric=qps|cpu|gpu|memory, threshold=<number>.`, 'InvalidParameter')
    fields[m[1]] = m[2]
  }
  if (fields.max === undefined || fields.threshold === undefined) throw new UsageError('--autoscale needs max=<n> and threshold=<number> (e.g. min=1,max=4,metric=qps,threshold=20).', 'InvalidParameter')
  const min = int('autoscale min', fields.min ?? '1', 0, 1000)
  const max = int('autoscale max', fields.max, 1, 1000)
  if (max <= min) throw new UsageError(`--autoscale: max (${max}) must be greater than min (${min}).`, 'InvalidParameter')
  const metric = fields.metric ?? 'qps'
  if (!['qps', 'cpu', 'gpu', 'memory'].includes(metric)) throw new UsageError(`--autoscale: metric must be qps, cpu, gpu or memory; got '${metric}'.`, 'InvalidParameter')
  const threshold = Number(fields.threshold)
  if (!Number.isFinite(threshold) || threshold <= 0) throw new UsageError(`--autoscale: threshold must be a number above 0; got '${fields.threshold}'.`, 'InvalidParameter')
  return { min, max, metric, threshold }
}

/** The service name exactly as given, or `<prefix><6 random digits>` (recorded, so replays repeat it). */
function serviceName(o: RawOptions, generate: (name: string, make: () => string) => string, fromConfig?: unknown): { name: string; source: DeployRequest['nameSource'] } | undefined {
  if (o['service-name'] && o['service-name-prefix']) throw new UsageError('Pass --service-name or --service-name-prefix, not both.', 'InvalidParameter')
  if (o['service-name-prefix']) {
    if (fromConfig !== undefined) throw new UsageError('--service-name-prefix cannot be used with a --config file that already sets metadata.name.', 'InvalidParameter')
    const suffix = generate('service-name-suffix', () => String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0'))
    return { name: `${o['service-name-prefix']}${suffix}`, source: 'prefix' }
  }
  if (o['service-name']) {
    if (fromConfig !== undefined && fromConfig !== o['service-name'])
      throw new UsageError(`--service-name ${o['service-name']} differs from metadata.name '${String(fromConfig)}' in --config; the service name is used exactly as given, so pass one of them.`, 'InvalidParameter')
    return { name: o['service-name'], source: 'flag' }
  }
  if (typeof fromConfig === 'string') {
    if (!SERVICE_NAME_RE.test(fromConfig)) throw new UsageError(`metadata.name '${fromConfig}' in --config must be 3-63 lower-case letters, digits or underscores (no hyphens).`, 'InvalidParameter')
    return { name: fromConfig, source: 'config' }
  }
  return undefined
}

const BUILD_FLAGS = ['image', 'instance-type', 'command', 'replicas', 'port', 'oss-path', 'mount-path', 'network', 'gateway-id', 'resource-id', 'vpc-id', 'security-group-id', 'nlb-listener-port', 'autoscale', 'health-check-path'] as const

export function parseRequest(o: RawOptions, generate: (name: string, make: () => string) => string): DeployRequest {
  return o.config ? fromConfigFile(o, generate) : fromFlags(o, generate)
}

function fromFlags(o: RawOptions, generate: (name: string, make: () => string) => string): DeployRequest {
  const named = serviceName(o, generate)
  if (!named) throw new UsageError('--service-name is required (or --service-name-prefix, or a --config file with metadata.name).', 'MissingParameter')
  if (!o.image) throw new UsageError('--image is required (an image URI; it is validated against the official EAS images).', 'MissingParameter')
  if (o['resource-id'] && o['instance-type'])
    throw new UsageError('--instance-type does not apply with --resource-id: a dedicated resource group supplies the machines (metadata.resource, no cloud.computing).', 'InvalidParameter')
  if (!o['resource-id'] && !o['instance-type']) throw new UsageError('--instance-type is required (e.g. ecs.gn7i-c16g1.4xlarge), unless --resource-id names a dedicated resource group.', 'MissingParameter')

  const replicas = o.replicas === undefined ? DEFAULTS.replicas : int('replicas', o.replicas, 1, 1000)
  const port = o.port === undefined ? DEFAULTS.port : int('port', o.port, 1, 65535)
  if (o['mount-path'] && !o['oss-path']) throw new UsageError('--mount-path needs --oss-path (the OSS directory to mount there).', 'InvalidParameter')
  const mountPath = o['mount-path'] ?? DEFAULTS.mountPath
  const mountProblem = o['oss-path'] ? mountPathProblem(mountPath) : undefined
  if (mountProblem) throw new UsageError(`--mount-path ${mountPath} ${mountProblem}.`, 'InvalidParameter')
  if (o['health-check-path'] && !o['health-check-path'].startsWith('/')) throw new UsageError(`--health-check-path must start with /; got '${o['health-check-path']}'.`, 'InvalidParameter')

  return {
    region: o.region,
    name: named.name,
    nameSource: named.source,
    workspaceId: o['workspace-id'],
    images: [o.image],
    instanceTypes: o['instance-type'] ? [o['instance-type']] : [],
    llmEngine: isLlmEngine(o.image, o.command),
    resourceId: o['resource-id'],
    network: networkRequest(o, port),
    source: {
      kind: 'flags',
      build: {
        name: named.name,
        replicas,
        image: o.image,
        command: o.command,
        port,
        resourceId: o['resource-id'],
        oss: o['oss-path'] ? { path: o['oss-path'], mountPath } : undefined,
        autoscale: o.autoscale ? parseAutoscale(o.autoscale) : undefined,
        healthCheckPath: o['health-check-path'],
      },
    },
  }
}

function networkRequest(o: RawOptions, port: number): NetworkRequest {
  // A gateway id or a listener port says which network is meant when --network is not given.
  const implied = o['gateway-id'] ? 'gateway' : o['nlb-listener-port'] ? 'nlb' : 'shared'
  const kind = o.network ?? implied
  if (o['gateway-id'] && kind !== 'gateway') throw new UsageError(`--gateway-id only applies with --network gateway (got --network ${kind}).`, 'InvalidParameter')
  if (o['nlb-listener-port'] && kind !== 'nlb') throw new UsageError(`--nlb-listener-port only applies with --network nlb (got --network ${kind}).`, 'InvalidParameter')
  const vswitchIds = o['vswitch-id'].length ? [...new Set(o['vswitch-id'])] : undefined
  const vpc = { vpcId: o['vpc-id'], vswitchIds, securityGroupId: o['security-group-id'] }
  if (kind === 'shared') {
    if (vpc.vpcId || vswitchIds || vpc.securityGroupId)
      throw new UsageError('--vpc-id, --vswitch-id and --security-group-id only apply with --network gateway or --network nlb; the shared gateway needs no VPC.', 'InvalidParameter')
    return { kind: 'shared' }
  }
  if (kind === 'gateway') return { kind: 'gateway', gatewayId: o['gateway-id'], ...vpc }
  if (vswitchIds && vswitchIds.length < 2) throw new UsageError('--network nlb needs at least two VSwitches in different zones: --vswitch-id vsw-a,vsw-b.', 'InvalidParameter')
  let listenerPort: number
  if (o['nlb-listener-port'] !== undefined) {
    listenerPort = int('nlb-listener-port', o['nlb-listener-port'], 1, 65535)
    if (listenerPort === RESERVED_NLB_PORT) throw new UsageError(`--nlb-listener-port must not be ${RESERVED_NLB_PORT}: EAS reserves it.`, 'InvalidParameter')
  } else listenerPort = port === RESERVED_NLB_PORT ? DEFAULTS.fallbackListenerPort : port
  return { kind: 'nlb', listenerPort, netType: DEFAULTS.netType, ...vpc }
}

function fromConfigFile(o: RawOptions, generate: (name: string, make: () => string) => string): DeployRequest {
  const given = BUILD_FLAGS.filter((f) => o[f] !== undefined).concat(o['vswitch-id'].length ? ['vswitch-id' as never] : [])
  if (given.length) throw new UsageError(`--config gives the whole service.json, so ${given.map((f) => `--${f}`).join(', ')} cannot be used with it; put the values in the file.`, 'InvalidParameter')
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(o.config!, 'utf8'))
  } catch (e) {
    throw new UsageError(`--config ${o.config}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not readable JSON (${(e as Error).message})`}.`, 'InvalidParameter')
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`--config ${o.config}: service.json must be a JSON object.`, 'InvalidParameter')
  const config = structuredClone(raw) as Record<string, any>
  const metadata = config.metadata !== null && typeof config.metadata === 'object' && !Array.isArray(config.metadata) ? config.metadata : undefined

  const named = serviceName(o, generate, metadata?.name)
  if (!named) throw new UsageError(`--config ${o.config} has no metadata.name: set it, or pass --service-name / --service-name-prefix.`, 'MissingParameter')
  if (metadata && o['workspace-id'] && metadata.workspace_id !== undefined && metadata.workspace_id !== o['workspace-id'])
    throw new UsageError(`--workspace-id ${o['workspace-id']} differs from metadata.workspace_id '${String(metadata.workspace_id)}' in --config; pass one of them.`, 'InvalidParameter')
  if (metadata) {
    metadata.name = named.name
    if (o['workspace-id']) metadata.workspace_id = o['workspace-id']
  }

  const issues = serviceConfigIssues(config, { workspacePending: true })
  if (issues.length) throw new UsageError(`--config ${o.config} breaks the service.json rules:\n${issues.map((i) => `  - ${i}`).join('\n')}`, 'InvalidServiceConfig')

  const containers = config.containers as { image: string; command?: string; script?: string }[]
  const computing = config.cloud?.computing
  const networking = config.networking ?? {}
  const cloudNet = config.cloud?.networking
  const vpc = cloudNet ? { vpcId: cloudNet.vpc_id as string, vswitchIds: String(cloudNet.vswitch_id).split(','), securityGroupId: cloudNet.security_group_id as string } : {}
  let network: NetworkRequest = { kind: 'shared' }
  if (networking.nlb) network = { kind: 'nlb', listenerPort: networking.nlb[0].listener_port, netType: networking.nlb[0].netType, ...vpc }
  else if (networking.gateway) network = { kind: 'gateway', gatewayId: networking.gateway, ...vpc }

  return {
    region: o.region,
    name: named.name,
    nameSource: named.source,
    workspaceId: config.metadata.workspace_id,
    images: [...new Set(containers.map((c) => c.image))],
    instanceTypes: computing?.instance_type ? [computing.instance_type] : (computing?.instances ?? []).map((i: { type: string }) => i.type),
    llmEngine: containers.some((c) => isLlmEngine(c.image, c.command, c.script)),
    resourceId: config.metadata.resource,
    network,
    source: { kind: 'config', file: o.config!, config },
  }
}

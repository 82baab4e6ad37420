// The EAS service.json: built in code from the deploy plan, and validated by one zod schema that
// encodes the seed's rules (003, Step 5 and catalogue §4.e). The same schema checks a user's
// `--config` file, so a built config and a hand-written one obey the same rules.

import { z } from 'zod'
import { IMAGE_HINT, IMAGE_MAX_LENGTH, IMAGE_RE, INSTANCE_TYPE_HINT, INSTANCE_TYPE_MAX_LENGTH, INSTANCE_TYPE_RE, SERVICE_NAME_HINT, SERVICE_NAME_RE } from './defaults.js'

export const ALLOWED_TOP_LEVEL_KEYS = ['metadata', 'containers', 'storage', 'cloud', 'autoscaler', 'networking'] as const
/** Seed: "NEVER use as top-level keys". */
export const FORBIDDEN_TOP_LEVEL_KEYS = ['spec', 'ServiceName', 'Image', 'Cpu', 'Memory', 'Gpu', 'processor_path', 'resourceGroupId', 'instance', 'port', 'command', 'access'] as const
/** Seed: "FORBIDDEN fields" — at any depth. */
export const FORBIDDEN_FIELDS = ['processor_path', 'resourceGroupId', 'spec', 'access'] as const
/** The autoscaler is camelCase; these snake_case spellings are silently ignored by EAS. */
export const SNAKE_AUTOSCALER_NAMES: Record<string, string> = { min_replica: 'min', max_replica: 'max', scale_strategies: 'scaleStrategies', metric_name: 'metricName' }
export const AUTOSCALER_METRICS = ['qps', 'cpu', 'gpu', 'memory'] as const
/** System paths a volume may not be mounted on (nor under, except `/` itself which would cover everything). */
export const SYSTEM_MOUNT_PATHS = ['/bin', '/etc', '/usr'] as const
/** The NLB listener port EAS reserves. */
export const RESERVED_NLB_PORT = 8080
/** `oss://<bucket>/<path>/`: the bucket name rules of OSS, and a trailing slash (a directory). */
export const OSS_PATH_RE = /^oss:\/\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\/(?:[^/\s]+\/)*$/

export interface CloudNetworking {
  vpc_id: string
  /** Comma-separated VSwitch ids (NLB: at least two, in different zones). */
  vswitch_id: string
  security_group_id: string
}

export interface StartupCheck {
  http_get: { path: string; port: number }
  initial_delay_seconds: number
  period_seconds: number
  failure_threshold: number
}

export interface Container {
  image: string
  port: number
  command?: string
  startup_check?: StartupCheck
}

export interface NlbListener {
  id: string
  listener_port: number
  netType: 'intranet' | 'internet'
}

export interface ServiceConfig {
  metadata: { name: string; instance: number; resource?: string; workspace_id?: string }
  containers: Container[]
  storage?: { mount_path: string; oss: { path: string; readOnly: boolean } }[]
  cloud?: { computing?: { instance_type: string }; networking?: CloudNetworking }
  autoscaler?: { min: number; max: number; scaleStrategies: { metricName: string; threshold: number }[] }
  networking?: { gateway?: string; nlb?: NlbListener[] }
}

export type NetworkPlan =
  | { kind: 'shared' }
  | { kind: 'gateway'; gatewayId: string; vpc: CloudNetworking }
  | { kind: 'nlb'; listenerPort: number; netType: 'intranet' | 'internet'; vpc: CloudNetworking }

export interface BuildInput {
  name: string
  workspaceId?: string
  replicas: number
  image: string
  command?: string
  port: number
  /** Public resource group: the machine type. Absent with a dedicated resource group. */
  instanceType?: string
  /** Dedicated resource group: `metadata.resource`, and no `cloud.computing` (seed Step 4). */
  resourceId?: string
  oss?: { path: string; mountPath: string }
  autoscale?: { min: number; max: number; metric: string; threshold: number }
  healthCheckPath?: string
  network: NetworkPlan
}

/** Defaults for a startup check (deployment-workflow: initial delay 60 s, every 10 s); 30 failures ≈ 5 more minutes. */
export const STARTUP_CHECK_DEFAULTS = { initial_delay_seconds: 60, period_seconds: 10, failure_threshold: 30 } as const

/** The service.json in the seed's skeleton order: metadata, containers, storage, cloud, autoscaler, networking. */
export function buildServiceConfig(input: BuildInput): ServiceConfig {
  const container: Container = { image: input.image, port: input.port }
  if (input.command) container.command = input.command
  if (input.healthCheckPath) container.startup_check = { http_get: { path: input.healthCheckPath, port: input.port }, ...STARTUP_CHECK_DEFAULTS }

  const metadata: ServiceConfig['metadata'] = { name: input.name, instance: input.replicas }
  if (input.resourceId) metadata.resource = input.resourceId
  if (input.workspaceId) metadata.workspace_id = input.workspaceId

  const config: ServiceConfig = { metadata, containers: [container] }
  if (input.oss) config.storage = [{ mount_path: input.oss.mountPath, oss: { path: input.oss.path, readOnly: true } }]

  const cloud: NonNullable<ServiceConfig['cloud']> = {}
  if (!input.resourceId && input.instanceType) cloud.computing = { instance_type: input.instanceType }
  if (input.network.kind !== 'shared') cloud.networking = { ...input.network.vpc }
  if (cloud.computing || cloud.networking) config.cloud = cloud

  if (input.autoscale) {
    const a = input.autoscale
    config.autoscaler = { min: a.min, max: a.max, scaleStrategies: [{ metricName: a.metric, threshold: a.threshold }] }
  }
  if (input.network.kind === 'gateway') config.networking = { gateway: input.network.gatewayId }
  if (input.network.kind === 'nlb') config.networking = { nlb: [{ id: 'default', listener_port: input.network.listenerPort, netType: input.network.netType }] }
  return config
}

/**
 * The NLB fallback (seed Step 4): the same service without `networking.nlb` and `cloud.networking`,
 * i.e. on the shared gateway. Other networking (none today) and cloud.computing are kept.
 */
export function withoutNlb<T extends Record<string, unknown>>(config: T): T {
  const out = structuredClone(config) as Record<string, any>
  if (isRecord(out.networking)) {
    delete out.networking.nlb
    if (Object.keys(out.networking).length === 0) delete out.networking
  }
  if (isRecord(out.cloud)) {
    delete out.cloud.networking
    if (Object.keys(out.cloud).length === 0) delete out.cloud
  }
  return out as T
}

// ---------------------------------------------------------------------------------------------
// Validation

function isRecord(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** Why a mount path is not allowed, or undefined (absolute, not `/`, not a system path). */
export function mountPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must be an absolute path'
  if (path.split('/').some((seg) => seg === '..' || seg === '.')) return 'must not contain . or .. segments'
  const clean = path.replace(/\/+$/, '') || '/'
  if (clean === '/') return 'must not be / (it would cover the whole container file system)'
  const system = SYSTEM_MOUNT_PATHS.find((p) => clean === p || clean.startsWith(p + '/'))
  if (system) return `must not be a system path (${SYSTEM_MOUNT_PATHS.join(', ')}); ${system} would be hidden`
  return undefined
}

function overlaps(a: string, b: string): boolean {
  const x = a.replace(/\/+$/, '')
  const y = b.replace(/\/+$/, '')
  return x === y || x.startsWith(y + '/') || y.startsWith(x + '/')
}

const named = (what: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? `is required (${what})` : `has the wrong type (${what})`),
})
const text = (what: string) => z.string(named(what)).min(1, `must not be empty (${what})`)
/** A value the command line also takes as a flag: the flag's format and length rules, the same words. */
const asFlag = (what: string, re: RegExp, max: number, hint: string) =>
  text(what)
    .max(max, `is longer than ${max} characters (${what})`)
    .regex(re, `must be ${hint}`)
const port = (what: string) => z.int(named(what)).min(1, `must be a port from 1 to 65535 (${what})`).max(65535, `must be a port from 1 to 65535 (${what})`)

const StartupCheckSchema = z.looseObject({
  http_get: z.looseObject({
    path: z.string(named('the health check path')).regex(/^\//, 'must start with / (the health check path)'),
    port: port('the health check port'),
  }, named('startup_check.http_get {path, port}')),
  initial_delay_seconds: z.int(named('seconds before the first check')).min(0, 'must be 0 or more').optional(),
  period_seconds: z.int(named('seconds between checks')).min(1, 'must be 1 or more').optional(),
  failure_threshold: z.int(named('failed checks before the instance is restarted')).min(1, 'must be 1 or more').optional(),
})

const ContainerSchema = z.looseObject({
  image: asFlag('containers[].image = the image URI', IMAGE_RE, IMAGE_MAX_LENGTH, IMAGE_HINT),
  port: port('containers[].port = the port the service listens on'),
  command: z.string(named('containers[].command = the start command')).optional(),
  startup_check: StartupCheckSchema.optional(),
})

const CloudNetworkingSchema = z.looseObject({
  vpc_id: z.string(named('the VPC id')).regex(/^vpc-[0-9a-z]+$/, 'must be a VPC id (vpc-…)'),
  vswitch_id: z.string(named('comma-separated VSwitch ids')).regex(/^vsw-[0-9a-z]+(,vsw-[0-9a-z]+)*$/, 'must be VSwitch ids (vsw-…), comma-separated without spaces'),
  security_group_id: z.string(named('the security group id')).regex(/^sg-[0-9a-z]+$/, 'must be a security group id (sg-…)'),
})

const ComputingSchema = z.looseObject({
  instance_type: asFlag('cloud.computing.instance_type = the instance type', INSTANCE_TYPE_RE, INSTANCE_TYPE_MAX_LENGTH, INSTANCE_TYPE_HINT).optional(),
  instances: z.array(z.looseObject({ type: asFlag('the instance type', INSTANCE_TYPE_RE, INSTANCE_TYPE_MAX_LENGTH, INSTANCE_TYPE_HINT) })).min(1).optional(),
})

const StorageSchema = z.looseObject({
  mount_path: z.string(named('the path inside the container')).superRefine((p, ctx) => {
    const problem = mountPathProblem(p)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  }),
  oss: z
    .looseObject({
      path: z.string(named('oss://<bucket>/<path>/')).regex(OSS_PATH_RE, 'must be oss://<bucket>/<path>/ (starting with oss:// and ending with /)'),
      readOnly: z.boolean(named('true or false')).optional(),
    })
    .optional(),
})

const AutoscalerSchema = z.looseObject({
  min: z.int(named('autoscaler.min = the fewest instances')).min(0, 'must be 0 or more'),
  max: z.int(named('autoscaler.max = the most instances')).min(1, 'must be 1 or more'),
  scaleStrategies: z
    .array(
      z.looseObject({
        metricName: z.enum(AUTOSCALER_METRICS, { error: `must be one of ${AUTOSCALER_METRICS.join(', ')}` }),
        threshold: z.number(named('the metric value that triggers scaling')).positive('must be more than 0'),
      }),
      named('autoscaler.scaleStrategies = [{metricName, threshold}]'),
    )
    .min(1, 'needs at least one strategy'),
})

const NetworkingSchema = z.looseObject({
  gateway: z
    .string(named('a dedicated gateway id'))
    .min(1)
    .refine((g) => g !== 'shared', 'must not be "shared": the shared gateway is the default, so leave networking out')
    .optional(),
  nlb: z
    .array(
      z.looseObject({
        id: text('"default" or an NLB instance id'),
        listener_port: port('the NLB listener port').refine((p) => p !== RESERVED_NLB_PORT, `must not be ${RESERVED_NLB_PORT} (reserved by EAS)`),
        netType: z.enum(['intranet', 'internet'], { error: 'must be intranet or internet' }),
      }),
    )
    .min(1, 'needs at least one listener')
    .optional(),
})

const MetadataSchema = z.looseObject({
  name: z.string(named('metadata.name = the service name')).regex(SERVICE_NAME_RE, `must be ${SERVICE_NAME_HINT}`),
  workspace_id: text('metadata.workspace_id = the PAI workspace; the seed makes it REQUIRED'),
  instance: z.int(named('metadata.instance = replicas')).min(1, 'must be 1 or more').optional(),
  resource: text('metadata.resource = a dedicated resource group id').optional(),
})

type Ctx = z.RefinementCtx

/** Rules that look at keys anywhere, or at more than one field. Runs even when the shape has issues. */
function crossRules(value: Record<string, unknown>, ctx: Ctx): void {
  for (const key of Object.keys(value)) {
    if ((ALLOWED_TOP_LEVEL_KEYS as readonly string[]).includes(key)) continue
    const message = (FORBIDDEN_TOP_LEVEL_KEYS as readonly string[]).includes(key)
      ? `is forbidden at the top level (the seed never allows ${FORBIDDEN_TOP_LEVEL_KEYS.join(', ')} there)`
      : `is not an allowed top-level key (allowed: ${ALLOWED_TOP_LEVEL_KEYS.join(', ')})`
    ctx.addIssue({ code: 'custom', path: [key], message })
  }
  // Below the top level: forbidden fields, snake_case autoscaler names, instanceType.
  const walk = (v: unknown, path: (string | number)[]) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, i]))
    if (!isRecord(v)) return
    for (const [k, x] of Object.entries(v)) {
      const at = [...path, k]
      if ((FORBIDDEN_FIELDS as readonly string[]).includes(k)) ctx.addIssue({ code: 'custom', path: at, message: `is a forbidden field (the seed forbids ${FORBIDDEN_FIELDS.join(', ')})` })
      else if (k in SNAKE_AUTOSCALER_NAMES) ctx.addIssue({ code: 'custom', path: at, message: `is snake_case; the autoscaler is camelCase: use ${SNAKE_AUTOSCALER_NAMES[k]}` })
      else if (k === 'instanceType') ctx.addIssue({ code: 'custom', path: at, message: 'use instance_type (cloud.computing.instance_type)' })
      walk(x, at)
    }
  }
  for (const key of ALLOWED_TOP_LEVEL_KEYS) walk(value[key], [key])

  const metadata = isRecord(value.metadata) ? value.metadata : {}
  const cloud = isRecord(value.cloud) ? value.cloud : {}
  const networking = isRecord(value.networking) ? value.networking : {}
  const computing = cloud.computing

  if (metadata.resource !== undefined) {
    if (computing !== undefined) ctx.addIssue({ code: 'custom', path: ['cloud', 'computing'], message: 'must be left out with metadata.resource (a dedicated resource group supplies the machines)' })
  } else if (!isRecord(computing) || (computing.instance_type === undefined && computing.instances === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['cloud', 'computing', 'instance_type'], message: 'is required (the instance type is mandatory unless metadata.resource names a dedicated resource group)' })
  }

  const wantsVpc = networking.gateway !== undefined || networking.nlb !== undefined
  if (wantsVpc && !isRecord(cloud.networking))
    ctx.addIssue({ code: 'custom', path: ['cloud', 'networking'], message: 'is required with a dedicated gateway or NLB: {vpc_id, vswitch_id, security_group_id}' })
  if (networking.nlb !== undefined && isRecord(cloud.networking) && typeof cloud.networking.vswitch_id === 'string') {
    const ids = new Set(cloud.networking.vswitch_id.split(',').filter(Boolean))
    if (ids.size < 2) ctx.addIssue({ code: 'custom', path: ['cloud', 'networking', 'vswitch_id'], message: 'NLB needs at least two VSwitches in different zones, comma-separated' })
  }

  if (Array.isArray(value.storage)) {
    const paths = value.storage.map((s) => (isRecord(s) && typeof s.mount_path === 'string' ? s.mount_path : undefined))
    paths.forEach((p, i) => {
      if (p === undefined) return
      const j = paths.findIndex((q, k) => k < i && q !== undefined && overlaps(p, q))
      if (j >= 0) ctx.addIssue({ code: 'custom', path: ['storage', i, 'mount_path'], message: `overlaps storage[${j}].mount_path (${paths[j]}); mount paths must not overlap` })
    })
  }

  const autoscaler = value.autoscaler
  if (isRecord(autoscaler) && Number.isInteger(autoscaler.min) && Number.isInteger(autoscaler.max) && autoscaler.max <= autoscaler.min)
    ctx.addIssue({ code: 'custom', path: ['autoscaler', 'max'], message: `must be greater than autoscaler.min (${autoscaler.min})` })
}

/** The seed's service.json rules as one zod schema (shape + the cross-field and forbidden-key rules). */
export const ServiceConfigSchema = z
  .looseObject(
    {
      metadata: MetadataSchema,
      containers: z.array(ContainerSchema, named('containers = [{image, port, command}]')).min(1, 'needs at least one container'),
      storage: z.array(StorageSchema).optional(),
      cloud: z.looseObject({ computing: ComputingSchema.optional(), networking: CloudNetworkingSchema.optional() }).optional(),
      autoscaler: AutoscalerSchema.optional(),
      networking: NetworkingSchema.optional(),
    },
    { error: 'service.json must be a JSON object' },
  )
  .superRefine((v, ctx) => crossRules(v as Record<string, unknown>, ctx), { when: (payload) => isRecord(payload.value) })

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') || '(root)'
}

export interface ValidateOptions {
  /** The workspace will be discovered later (list-workspaces), so its absence is not an issue yet. */
  workspacePending?: boolean
}

/** Every rule the config breaks, as `path: message` lines (empty when it is valid). */
export function serviceConfigIssues(value: unknown, opts: ValidateOptions = {}): string[] {
  const parsed = ServiceConfigSchema.safeParse(value)
  if (parsed.success) return []
  const out: string[] = []
  for (const issue of parsed.error.issues) {
    if (opts.workspacePending && pathText(issue.path) === 'metadata.workspace_id' && isRecord(value) && isRecord(value.metadata) && value.metadata.workspace_id === undefined) continue
    const line = `${pathText(issue.path)}: ${issue.message}`
    if (!out.includes(line)) out.push(line)
  }
  return out
}

/** The machine types a config asks for (`instance_type`, or each `instances[].type`). */
export function instanceTypesOf(config: Record<string, any>): string[] {
  const computing = config.cloud?.computing
  if (!isRecord(computing)) return []
  if (typeof computing.instance_type === 'string') return [computing.instance_type]
  if (Array.isArray(computing.instances)) return computing.instances.map((i: any) => i?.type).filter((t: unknown): t is string => typeof t === 'string')
  return []
}

/** The same config with every CPU machine type replaced (the vLLM/SGLang CPU→GPU switch). */
export function withInstanceTypes<T extends Record<string, any>>(config: T, replace: (type: string) => string): T {
  const out = structuredClone(config) as Record<string, any>
  const computing = out.cloud?.computing
  if (!isRecord(computing)) return out as T
  if (typeof computing.instance_type === 'string') computing.instance_type = replace(computing.instance_type)
  if (Array.isArray(computing.instances)) for (const i of computing.instances) if (isRecord(i) && typeof i.type === 'string') i.type = replace(i.type)
  return out as T
}

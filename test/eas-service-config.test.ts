// The service.json rules of seed 003 (Step 5, catalogue §4.e) as one zod schema: every forbidden
// key and pattern is refused with a message naming it, the seed's skeletons pass, and the builder
// produces exactly those skeletons.

import { describe, expect, it } from 'vitest'
import {
  buildServiceConfig,
  FORBIDDEN_FIELDS,
  FORBIDDEN_TOP_LEVEL_KEYS,
  instanceTypesOf,
  mountPathProblem,
  serviceConfigIssues,
  withInstanceTypes,
  withoutNlb,
  type BuildInput,
} from '../scripts/eas-deploy/service-config.js'

const IMG = 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:0.8.5.post1'
const NET = { vpc_id: 'vpc-bp1a', vswitch_id: 'vsw-bp1a,vsw-bp1b', security_group_id: 'sg-bp1a' }

/** The seed's "Base (Shared Gateway)" skeleton. */
function base(): Record<string, any> {
  return {
    metadata: { name: 'qwen_chat', instance: 1, workspace_id: '86431' },
    containers: [{ image: IMG, port: 8000, command: 'vllm serve /model_dir' }],
    cloud: { computing: { instance_type: 'ecs.gn7i-c16g1.4xlarge' } },
  }
}

function withChange(change: (c: Record<string, any>) => void): Record<string, any> {
  const c = base()
  change(c)
  return c
}

const issues = (c: unknown) => serviceConfigIssues(c)
const issueAt = (c: unknown, path: string) => issues(c).filter((i) => i.startsWith(`${path}: `))

describe('the seed skeletons are valid', () => {
  const skeletons: [string, Record<string, any>][] = [
    ['shared gateway', base()],
    ['+ OSS', withChange((c) => (c.storage = [{ mount_path: '/model_dir', oss: { path: 'oss://llm-models/qwen/', readOnly: true } }]))],
    ['+ autoscaling', withChange((c) => (c.autoscaler = { min: 1, max: 4, scaleStrategies: [{ metricName: 'qps', threshold: 20 }] }))],
    ['+ health check', withChange((c) => (c.containers[0].startup_check = { http_get: { path: '/health', port: 8000 }, initial_delay_seconds: 60, period_seconds: 10, failure_threshold: 30 }))],
    ['NLB', withChange((c) => ((c.cloud.networking = NET), (c.networking = { nlb: [{ id: 'default', listener_port: 9000, netType: 'intranet' }] })))],
    ['dedicated resource group', { metadata: { name: 'qwen_chat', instance: 1, resource: 'eas-r-4gt8', workspace_id: '86431' }, containers: [{ image: IMG, port: 8000, command: 'x' }] }],
    ['dedicated gateway', withChange((c) => ((c.networking = { gateway: 'gw-1uhc' }), (c.cloud.networking = NET)))],
    ['instances[{type}] instead of instance_type', withChange((c) => (c.cloud.computing = { instances: [{ type: 'ecs.gn7i-c16g1.4xlarge' }] }))],
    ['extra EAS fields inside allowed keys', withChange((c) => ((c.metadata.rpc = { keepalive: 600 }), (c.containers[0].env = [{ name: 'spec', value: 'x' }])))],
  ]
  it.each(skeletons)('%s', (_name, config) => expect(issues(config)).toEqual([]))
})

describe('top-level keys', () => {
  it.each(FORBIDDEN_TOP_LEVEL_KEYS.map((k) => [k]))('%s at the top level is refused', (key) => {
    const found = issueAt(withChange((c) => (c[key] = 'x')), key)
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/is forbidden at the top level/)
  })

  it.each([['runtime'], ['features'], ['eas'], ['rpc'], ['processor']])('%s is not an allowed top-level key', (key) => {
    expect(issueAt(withChange((c) => (c[key] = {})), key)[0]).toMatch(/not an allowed top-level key \(allowed: metadata, containers, storage, cloud, autoscaler, networking\)/)
  })
})

describe('forbidden fields anywhere', () => {
  it.each(FORBIDDEN_FIELDS.map((k) => [k]))('%s inside metadata and inside a container is refused', (key) => {
    const c = withChange((x) => ((x.metadata[key] = 'x'), (x.containers[0][key] = 'y')))
    expect(issueAt(c, `metadata.${key}`)[0]).toMatch(/is a forbidden field/)
    expect(issueAt(c, `containers[0].${key}`)[0]).toMatch(/is a forbidden field/)
  })

  it.each([
    ['min_replica', 'min'],
    ['max_replica', 'max'],
    ['scale_strategies', 'scaleStrategies'],
  ])('snake_case autoscaler %s is refused (use %s)', (snake, camel) => {
    const c = withChange((x) => (x.autoscaler = { min: 1, max: 4, scaleStrategies: [{ metricName: 'qps', threshold: 20 }], [snake]: 1 }))
    expect(issueAt(c, `autoscaler.${snake}`)[0]).toBe(`autoscaler.${snake}: is snake_case; the autoscaler is camelCase: use ${camel}`)
  })

  it('snake_case metric_name inside a strategy is refused, and the missing metricName is named too', () => {
    const c = withChange((x) => (x.autoscaler = { min: 1, max: 4, scaleStrategies: [{ metric_name: 'qps', threshold: 20 }] }))
    expect(issueAt(c, 'autoscaler.scaleStrategies[0].metric_name')[0]).toMatch(/use metricName/)
    expect(issueAt(c, 'autoscaler.scaleStrategies[0].metricName')[0]).toMatch(/must be one of qps, cpu, gpu, memory/)
  })

  it('instanceType is refused wherever it appears', () => {
    const c = withChange((x) => (x.cloud.computing = { instanceType: 'ecs.gn7i-c16g1.4xlarge' }))
    expect(issueAt(c, 'cloud.computing.instanceType')[0]).toMatch(/use instance_type/)
    expect(issueAt(c, 'cloud.computing.instance_type')[0]).toMatch(/is required/)
  })

  it('networking.gateway "shared" is refused (the shared gateway is the default)', () => {
    expect(issueAt(withChange((c) => (c.networking = { gateway: 'shared' })), 'networking.gateway')[0]).toMatch(/must not be "shared"/)
  })
})

describe('metadata and containers', () => {
  it('metadata.workspace_id is required, unless discovery will fill it (workspacePending)', () => {
    const c = withChange((x) => delete x.metadata.workspace_id)
    expect(issues(c)).toEqual(['metadata.workspace_id: is required (metadata.workspace_id = the PAI workspace; the seed makes it REQUIRED)'])
    expect(serviceConfigIssues(c, { workspacePending: true })).toEqual([])
    // Pending covers a missing value only, never a wrong one.
    expect(serviceConfigIssues(withChange((x) => (x.metadata.workspace_id = '')), { workspacePending: true })).toHaveLength(1)
  })

  it.each([['My-Service'], ['my-vllm-service'], ['ab'], ['x'.repeat(64)], ['my.vllm.service']])('metadata.name %s is refused', (name) => {
    expect(issueAt(withChange((c) => (c.metadata.name = name)), 'metadata.name')[0]).toMatch(/3-63 lower-case letters, digits or underscores/)
  })

  it('a container needs an image and a port in range', () => {
    expect(issueAt(withChange((c) => delete c.containers[0].port), 'containers[0].port')[0]).toMatch(/is required/)
    expect(issueAt(withChange((c) => (c.containers[0].port = 70000)), 'containers[0].port')[0]).toMatch(/1 to 65535/)
    expect(issueAt(withChange((c) => delete c.containers[0].image), 'containers[0].image')[0]).toMatch(/is required/)
    expect(issueAt(withChange((c) => (c.containers = [])), 'containers')[0]).toMatch(/at least one container/)
  })

  it('cloud.computing.instance_type is mandatory without a dedicated resource group', () => {
    expect(issueAt(withChange((c) => delete c.cloud), 'cloud.computing.instance_type')[0]).toMatch(/is required/)
  })

  it('a dedicated resource group must not keep cloud.computing', () => {
    expect(issueAt(withChange((c) => (c.metadata.resource = 'eas-r-4gt8')), 'cloud.computing')[0]).toMatch(/must be left out with metadata.resource/)
  })
})

describe('autoscaler', () => {
  it.each([
    [4, 4],
    [4, 2],
  ])('min %i, max %i is refused (max must be greater than min)', (min, max) => {
    const c = withChange((x) => (x.autoscaler = { min, max, scaleStrategies: [{ metricName: 'qps', threshold: 20 }] }))
    expect(issueAt(c, 'autoscaler.max')).toEqual([`autoscaler.max: must be greater than autoscaler.min (${min})`])
  })

  it('needs a strategy with a known metric and a positive threshold', () => {
    expect(issueAt(withChange((x) => (x.autoscaler = { min: 1, max: 2, scaleStrategies: [] })), 'autoscaler.scaleStrategies')[0]).toMatch(/at least one strategy/)
    expect(issueAt(withChange((x) => (x.autoscaler = { min: 1, max: 2, scaleStrategies: [{ metricName: 'rps', threshold: 1 }] })), 'autoscaler.scaleStrategies[0].metricName')).toHaveLength(1)
    expect(issueAt(withChange((x) => (x.autoscaler = { min: 1, max: 2, scaleStrategies: [{ metricName: 'cpu', threshold: 0 }] })), 'autoscaler.scaleStrategies[0].threshold')).toHaveLength(1)
  })
})

describe('storage', () => {
  const oss = (path: string, mount = '/model_dir') => withChange((c) => (c.storage = [{ mount_path: mount, oss: { path, readOnly: true } }]))

  it.each([['bucket/models/'], ['oss://bucket/models'], ['s3://bucket/models/'], ['oss://Bucket/models/'], ['oss:///models/']])('OSS path %s is refused', (path) => {
    expect(issueAt(oss(path), 'storage[0].oss.path')[0]).toMatch(/must be oss:\/\/<bucket>\/<path>\/ \(starting with oss:\/\/ and ending with \/\)/)
  })

  it.each([['oss://bucket/'], ['oss://llm-models-hz/qwen2.5-7b/instruct/']])('OSS path %s is accepted', (path) => expect(issues(oss(path))).toEqual([]))

  it.each([
    ['/', /must not be \//],
    ['/bin', /system path/],
    ['/etc', /system path/],
    ['/usr', /system path/],
    ['/usr/local/models', /system path/],
    ['/etc/', /system path/],
    ['model_dir', /absolute/],
    ['/models/../etc', /\.\./],
  ])('mount path %s is refused', (mount, why) => {
    expect(issueAt(oss('oss://bucket/m/', mount), 'storage[0].mount_path')[0]).toMatch(why)
  })

  it('mount paths must not overlap (equal or nested)', () => {
    const c = withChange(
      (x) =>
        (x.storage = [
          { mount_path: '/models', oss: { path: 'oss://bucket/a/' } },
          { mount_path: '/models/qwen', oss: { path: 'oss://bucket/b/' } },
          { mount_path: '/data', oss: { path: 'oss://bucket/c/' } },
          { mount_path: '/data/', oss: { path: 'oss://bucket/d/' } },
          { mount_path: '/models2', oss: { path: 'oss://bucket/e/' } },
        ]),
    )
    expect(issues(c)).toEqual([
      'storage[1].mount_path: overlaps storage[0].mount_path (/models); mount paths must not overlap',
      'storage[3].mount_path: overlaps storage[2].mount_path (/data); mount paths must not overlap',
    ])
  })

  it('mountPathProblem accepts ordinary absolute paths', () => {
    expect([mountPathProblem('/model_dir'), mountPathProblem('/mnt/data/'), mountPathProblem('/usrdata')]).toEqual([undefined, undefined, undefined])
  })
})

describe('networking', () => {
  const nlb = (listener: number, vswitch = NET.vswitch_id) =>
    withChange((c) => ((c.cloud.networking = { ...NET, vswitch_id: vswitch }), (c.networking = { nlb: [{ id: 'default', listener_port: listener, netType: 'intranet' }] })))

  it('the NLB listener port must not be 8080', () => {
    expect(issueAt(nlb(8080), 'networking.nlb[0].listener_port')[0]).toMatch(/must not be 8080/)
  })

  it('NLB needs at least two VSwitches (comma-separated, no spaces)', () => {
    expect(issueAt(nlb(9000, 'vsw-bp1a'), 'cloud.networking.vswitch_id')[0]).toMatch(/at least two VSwitches/)
    expect(issueAt(nlb(9000, 'vsw-bp1a,vsw-bp1a'), 'cloud.networking.vswitch_id')[0]).toMatch(/at least two VSwitches/)
    expect(issueAt(nlb(9000, 'vsw-bp1a, vsw-bp1b'), 'cloud.networking.vswitch_id')[0]).toMatch(/comma-separated without spaces/)
  })

  it('a dedicated gateway or an NLB needs cloud.networking', () => {
    expect(issueAt(withChange((c) => (c.networking = { gateway: 'gw-1uhc' })), 'cloud.networking')[0]).toMatch(/is required with a dedicated gateway or NLB/)
    expect(issueAt(withChange((c) => (c.networking = { nlb: [{ id: 'default', listener_port: 9000, netType: 'intranet' }] })), 'cloud.networking')).toHaveLength(1)
  })

  it('netType is intranet or internet, and VPC ids have their prefixes', () => {
    const c = withChange((x) => ((x.cloud.networking = { vpc_id: 'v-1', vswitch_id: 'a,b', security_group_id: 'g' }), (x.networking = { nlb: [{ id: 'default', listener_port: 9000, netType: 'public' }] })))
    expect(issues(c).map((i) => i.split(':')[0]).sort()).toEqual(['cloud.networking.security_group_id', 'cloud.networking.vpc_id', 'cloud.networking.vswitch_id', 'networking.nlb[0].netType'])
  })
})

describe('health check', () => {
  const check = (sc: unknown) => withChange((c) => (c.containers[0].startup_check = sc))
  it('needs http_get with a path starting with / and a port', () => {
    expect(issueAt(check({ initial_delay_seconds: 60 }), 'containers[0].startup_check.http_get')[0]).toMatch(/is required/)
    expect(issueAt(check({ http_get: { path: 'health', port: 8000 } }), 'containers[0].startup_check.http_get.path')[0]).toMatch(/must start with \//)
    expect(issueAt(check({ http_get: { path: '/health' } }), 'containers[0].startup_check.http_get.port')[0]).toMatch(/is required/)
  })
  it('delays and thresholds are whole numbers in range', () => {
    const found = issues(check({ http_get: { path: '/health', port: 8000 }, initial_delay_seconds: -1, period_seconds: 0, failure_threshold: 1.5 }))
    expect(found.map((i) => i.split(':')[0])).toEqual(['containers[0].startup_check.initial_delay_seconds', 'containers[0].startup_check.period_seconds', 'containers[0].startup_check.failure_threshold'])
  })
})

it('lists every violation of a bad config at once, each once', () => {
  const bad = { spec: {}, ServiceName: 'x', metadata: { name: 'Bad-Name', resourceGroupId: 'rg-1' }, containers: [{ image: IMG }], autoscaler: { min_replica: 1, max: 1, min: 1, scaleStrategies: [{ metricName: 'qps', threshold: 1 }] } }
  expect(issues(bad)).toEqual([
    'metadata.name: must be 3-63 lower-case letters, digits or underscores (no hyphens)',
    'metadata.workspace_id: is required (metadata.workspace_id = the PAI workspace; the seed makes it REQUIRED)',
    'containers[0].port: is required (containers[].port = the port the service listens on)',
    'spec: is forbidden at the top level (the seed never allows spec, ServiceName, Image, Cpu, Memory, Gpu, processor_path, resourceGroupId, instance, port, command, access there)',
    'ServiceName: is forbidden at the top level (the seed never allows spec, ServiceName, Image, Cpu, Memory, Gpu, processor_path, resourceGroupId, instance, port, command, access there)',
    'metadata.resourceGroupId: is a forbidden field (the seed forbids processor_path, resourceGroupId, spec, access)',
    'autoscaler.min_replica: is snake_case; the autoscaler is camelCase: use min',
    'cloud.computing.instance_type: is required (the instance type is mandatory unless metadata.resource names a dedicated resource group)',
    'autoscaler.max: must be greater than autoscaler.min (1)',
  ])
  expect(issues(null)).toEqual(['(root): service.json must be a JSON object'])
  expect(issues([])).toEqual(['(root): service.json must be a JSON object'])
})

describe('buildServiceConfig', () => {
  const input = (o: Partial<BuildInput> = {}): BuildInput => ({ name: 'qwen_chat', workspaceId: '86431', replicas: 1, image: IMG, command: 'vllm serve /model_dir', port: 8000, instanceType: 'ecs.gn7i-c16g1.4xlarge', network: { kind: 'shared' }, ...o })

  it('builds the seed skeleton for the shared gateway, key for key and in order', () => {
    expect(JSON.stringify(buildServiceConfig(input()))).toBe(JSON.stringify(base()))
  })

  it('dedicated resource group: metadata.resource before workspace_id, no cloud at all', () => {
    const c = buildServiceConfig(input({ resourceId: 'eas-r-4gt8', instanceType: undefined }))
    expect(JSON.stringify(c)).toBe(JSON.stringify({ metadata: { name: 'qwen_chat', instance: 1, resource: 'eas-r-4gt8', workspace_id: '86431' }, containers: [{ image: IMG, port: 8000, command: 'vllm serve /model_dir' }] }))
    expect(serviceConfigIssues(c)).toEqual([])
  })

  it('dedicated gateway and NLB carry cloud.networking; every built variant passes the schema', () => {
    const gw = buildServiceConfig(input({ network: { kind: 'gateway', gatewayId: 'gw-1uhc', vpc: NET } }))
    expect(gw.networking).toEqual({ gateway: 'gw-1uhc' })
    expect(gw.cloud).toEqual({ computing: { instance_type: 'ecs.gn7i-c16g1.4xlarge' }, networking: NET })
    const nlb = buildServiceConfig(input({ network: { kind: 'nlb', listenerPort: 9000, netType: 'intranet', vpc: NET }, oss: { path: 'oss://llm-models/m/', mountPath: '/model_dir' }, autoscale: { min: 1, max: 3, metric: 'gpu', threshold: 70 }, healthCheckPath: '/health' }))
    expect(nlb.networking).toEqual({ nlb: [{ id: 'default', listener_port: 9000, netType: 'intranet' }] })
    expect(Object.keys(nlb)).toEqual(['metadata', 'containers', 'storage', 'cloud', 'autoscaler', 'networking'])
    for (const c of [gw, nlb]) expect(serviceConfigIssues(c)).toEqual([])
  })

  it('leaves out the command when none is given, and workspace_id until one is known', () => {
    const c = buildServiceConfig(input({ command: undefined, workspaceId: undefined }))
    expect(c.containers[0]).toEqual({ image: IMG, port: 8000 })
    expect(c.metadata).toEqual({ name: 'qwen_chat', instance: 1 })
  })
})

describe('withoutNlb and instance types', () => {
  it('drops networking.nlb and cloud.networking, keeps cloud.computing, and does not touch the original', () => {
    const nlb = withChange((c) => ((c.cloud.networking = NET), (c.networking = { nlb: [{ id: 'default', listener_port: 9000, netType: 'intranet' }] })))
    const shared = withoutNlb(nlb)
    expect(shared).toEqual(base())
    expect(nlb.networking.nlb).toHaveLength(1)
    expect(serviceConfigIssues(shared)).toEqual([])
  })

  it('replaces both instance_type and instances[].type', () => {
    const single = withInstanceTypes(base(), () => 'ecs.gn7i-c8g1.2xlarge')
    expect(instanceTypesOf(single)).toEqual(['ecs.gn7i-c8g1.2xlarge'])
    const many = withInstanceTypes(withChange((c) => (c.cloud.computing = { instances: [{ type: 'a' }, { type: 'b' }] })), (t) => t.toUpperCase())
    expect(instanceTypesOf(many)).toEqual(['A', 'B'])
  })
})

// flink scenarios, built from the CLI-fact builders with foasconsole 2021-10-28's real field names
// (api-shapes §11: flat arrays, PascalCase, Cpu/MemoryGB numbers, epoch-ms times). The argv of
// every entry is written out here on its own (not taken from the script's flag table), so a change
// of spelling in scripts/flink/flags.ts fails the replays until the recordings agree.

import { api } from '../../lib/command.js'
import type { Entry } from '../../lib/transcript.js'
import { builder, transcript } from '../support/cli-facts.js'

export const b = builder('flink')
export const REGION = 'cn-beijing'
export const VPC = 'vpc-2zeflinkvpc00001'
export const VSW = 'vsw-2zeflinkvsw00001'
export const NEW_ID = 'f-cn-wwo36qj4g06'
export const NAME = 'my-flink'
const CREATED_AT = Date.parse('2026-11-20T08:00:00.000Z')

export const FORBIDDEN_RAM = { code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM." }
export const THROTTLING = { code: 'Throttling', message: 'Request was denied due to request throttling.' }

type Obj = Record<string, unknown>

// ---- argv (without the user agent, which b.api appends) ------------------------------------

const base = (region = REGION) => ({ region, 'biz-region': region })

export const argv = {
  regions: () => api('foasconsole', 'describe-supported-regions', { region: 'cn-beijing' }),
  zones: (region = REGION) => api('foasconsole', 'describe-supported-zones', base(region)),
  instances: (page = 1, region = REGION) => api('foasconsole', 'describe-instances', { ...base(region), 'page-index': page, 'page-size': 100 }),
  instance: (id: string, region = REGION) => api('foasconsole', 'describe-instances', { ...base(region), 'instance-id': id, 'page-index': 1, 'page-size': 100 }),
  namespaces: (id: string, page = 1, region = REGION) => api('foasconsole', 'describe-namespaces', { ...base(region), 'instance-id': id, 'page-index': page, 'page-size': 100 }),
  namespace: (id: string, name: string, region = REGION) =>
    api('foasconsole', 'describe-namespaces', { ...base(region), 'instance-id': id, namespace: name, 'page-index': 1, 'page-size': 100 }),
  tags: (ids: string[], region = REGION) =>
    api('foasconsole', 'list-tag-resources', { region, 'biz-region-id': region, 'resource-type': 'vvpinstance', ...(ids.length ? { 'resource-id': ids } : {}) }),
  createInstance: (o: { name?: string; charge?: string; cpu: number; memory: number; extra?: Obj }) =>
    api('foasconsole', 'create-instance', {
      ...base(),
      'instance-name': o.name ?? NAME,
      'charge-type': o.charge ?? 'POST',
      'vpc-id': VPC,
      'vswitch-ids': JSON.stringify([VSW]),
      'resource-spec': JSON.stringify({ Cpu: o.cpu, MemoryGB: o.memory }),
      storage: JSON.stringify({ FullyManaged: true }),
      ...(o.extra as Record<string, string> | undefined),
    }),
  createNamespace: (id: string, name: string, cpu: number, memory: number) =>
    api('foasconsole', 'create-namespace', { ...base(), 'instance-id': id, namespace: name, 'resource-spec': JSON.stringify({ Cpu: cpu, MemoryGB: memory }) }),
}

// ---- bodies ------------------------------------------------------------------------------------

export function instance(id: string, name: string, o: Obj = {}): Obj {
  return {
    InstanceId: id,
    InstanceName: name,
    ClusterStatus: 'RUNNING',
    ChargeType: 'POST',
    OrderState: 'NORMAL',
    ArchitectureType: 'X86',
    Region: REGION,
    ZoneId: 'cn-beijing-g',
    VpcId: VPC,
    VSwitchIds: [VSW],
    ResourceSpec: { Cpu: 4, MemoryGB: 16 },
    Storage: { FullyManaged: true, OrderState: 'NORMAL' },
    ResourceCreateTime: CREATED_AT - 86_400_000,
    ResourceGroupId: 'rg-acfmflinkdefault',
    Uid: '1234567890123456',
    Ha: false,
    Tags: [],
    ...o,
  }
}

/** A small instance entry for long lists (page fillers). */
function filler(n: number): Obj {
  const id = `f-cn-fill${String(n).padStart(6, '0')}`
  return { InstanceId: id, InstanceName: `team-${n}`, ClusterStatus: 'RUNNING', ChargeType: 'PRE', Region: REGION, ResourceSpec: { Cpu: 2, MemoryGB: 8 } }
}

export function instancesPage(instances: Obj[], o: { index?: number; totalCount?: number; totalPage?: number } = {}): Obj {
  const totalCount = o.totalCount ?? instances.length
  return { Success: true, PageIndex: o.index ?? 1, PageSize: 100, TotalCount: totalCount, TotalPage: o.totalPage ?? Math.max(1, Math.ceil(totalCount / 100)), Instances: instances }
}

export function namespace(name: string, cpu: number, memory: number, o: Obj = {}): Obj {
  return {
    Namespace: name,
    Status: 'SUCCESS',
    Ha: false,
    GmtCreate: CREATED_AT - 3_600_000,
    GmtModified: CREATED_AT - 3_600_000,
    ResourceSpec: { Cpu: cpu, MemoryGB: memory },
    ElasticResourceSpec: { Cpu: cpu, MemoryGB: memory },
    GuaranteedResourceSpec: { Cpu: 0, MemoryGB: 0 },
    ResourceUsed: { Cpu: 0, Cu: 0, MemoryGB: 0 },
    Tags: [],
    ...o,
  }
}

/**
 * A namespace of a subscription (PRE) instance: the spec is subscription resources
 * (GuaranteedResourceSpec, and the older ResourceSpec), and ElasticResourceSpec is present but
 * zero, as DescribeNamespaces returns it for a namespace without pay-as-you-go resources.
 */
export function subscriptionNamespace(name: string, cpu: number, memory: number, used: { cpu: number; memory: number } = { cpu: 0, memory: 0 }): Obj {
  return namespace(name, cpu, memory, {
    ResourceSpec: { Cpu: cpu, MemoryGB: memory },
    GuaranteedResourceSpec: { Cpu: cpu, MemoryGB: memory },
    ElasticResourceSpec: { Cpu: 0, MemoryGB: 0 },
    ResourceUsed: { Cpu: used.cpu, Cu: used.cpu, MemoryGB: used.memory },
  })
}

export function namespacesPage(namespaces: Obj[]): Obj {
  return { Success: true, PageIndex: 1, PageSize: 100, TotalCount: namespaces.length, TotalPage: 1, Namespaces: namespaces }
}

const created = (id = NEW_ID) => ({ Success: true, OrderInfo: { InstanceId: id, OrderId: 224403456789012, StorageInstanceId: '', StorageOrderId: 0 } })

// ---- reusable chains ---------------------------------------------------------------------------

/** A new 8 CPU / 32 GB PayAsYouGo instance: duplicate check, create, read-back seen CREATING at 5 s. */
function createChain(o: { cpu?: number; memory?: number } = {}): Entry[] {
  const cpu = o.cpu ?? 8
  const memory = o.memory ?? 32
  return [
    b.api(argv.instances(), instancesPage([instance('f-cn-other0001', 'analytics')])),
    b.api(argv.createInstance({ cpu, memory }), created()),
    b.api(argv.instance(NEW_ID), instancesPage([]), { note: 'read-back check 1 (0 s): not listed yet' }),
    b.api(argv.instance(NEW_ID), instancesPage([instance(NEW_ID, NAME, { ClusterStatus: 'CREATING', ResourceSpec: { Cpu: cpu, MemoryGB: memory } })]), {
      note: 'read-back check 2 (5 s): listed, CREATING',
    }),
  ]
}

const newInstance = (status: string, o: Obj = {}) => instance(NEW_ID, NAME, { ClusterStatus: status, ResourceSpec: { Cpu: 8, MemoryGB: 32 }, ...o })

function polls(count: number, status: string, final?: string): Entry[] {
  const out: Entry[] = []
  for (let i = 1; i <= count; i++) {
    const s = final && i === count ? final : status
    out.push(b.api(argv.instance(NEW_ID), instancesPage([newInstance(s)]), { note: `readiness poll ${i} (${i * 30} s): ${s}` }))
  }
  return out
}

/** create_namespace on the new instance: listing, parent RUNNING, create, read-back. */
function namespaceChain(): Entry[] {
  return [
    b.api(argv.namespaces(NEW_ID), namespacesPage([namespace('default', 2, 8)])),
    b.api(argv.instance(NEW_ID), instancesPage([newInstance('RUNNING')]), { note: 'parent instance lookup' }),
    b.api(argv.createNamespace(NEW_ID, 'dev', 4, 16), { Success: true }),
    b.api(argv.namespace(NEW_ID, 'dev'), namespacesPage([namespace('dev', 4, 16)])),
  ]
}

const T = (name: string, description: string, entries: Entry[]) => [name, transcript('flink', description, entries)] as const

export const scenarios = Object.fromEntries([
  T('describe-regions', 'describe_regions: DescribeSupportedRegions through the cn-beijing endpoint, as the original client did', [
    b.version(),
    b.api(argv.regions(), {
      Success: true,
      PageIndex: 1,
      PageSize: 3,
      TotalCount: 3,
      TotalPage: 1,
      Regions: [
        { Region: 'cn-beijing', RegionName: 'China (Beijing)', Description: '', Extra: '' },
        { Region: 'cn-hangzhou', RegionName: 'China (Hangzhou)', Description: '', Extra: '' },
        { Region: 'ap-southeast-1', RegionName: 'Singapore', Description: '', Extra: '' },
      ],
    }),
  ]),
  T('describe-zones', 'describe_zones --region_id cn-beijing', [
    b.version(),
    b.api(argv.zones(), { Success: true, PageIndex: 1, PageSize: 4, TotalCount: 4, TotalPage: 1, ZoneIds: ['cn-beijing-f', 'cn-beijing-g', 'cn-beijing-h', 'cn-beijing-i'] }),
  ]),
  T('describe', 'describe --region_id cn-beijing: two instances on one page', [
    b.version(),
    b.api(argv.instances(), instancesPage([instance('f-cn-other0001', 'analytics'), instance('f-cn-other0002', 'etl', { ChargeType: 'PRE', ResourceSpec: { Cpu: 8, MemoryGB: 32 } })])),
  ]),
  T('describe-namespaces', 'describe_namespaces --region_id cn-beijing --instance_id f-cn-other0001', [
    b.version(),
    b.api(argv.namespaces('f-cn-other0001'), namespacesPage([namespace('default', 2, 8), namespace('etl', 1, 4)])),
  ]),
  T('list-tags', 'list_tags --resource_type vvpinstance --resource_ids f-cn-other0001,f-cn-other0002', [
    b.version(),
    b.api(argv.tags(['f-cn-other0001', 'f-cn-other0002']), {
      Success: true,
      NextToken: '',
      TagResources: [
        { ResourceId: 'f-cn-other0001', ResourceType: 'vvpinstance', TagKey: 'team', TagValue: 'data' },
        { ResourceId: 'f-cn-other0002', ResourceType: 'vvpinstance', TagKey: 'env', TagValue: 'prod' },
      ],
    }),
  ]),
  T('create', 'create (8 CPU / 32 GB, PayAsYouGo): no duplicate, CreateInstance, read-back sees the new id on the 2nd check (CREATING)', [
    b.version(),
    ...createChain(),
  ]),
  T('create-without-confirm', 'create without --confirm: SafetyCheckRequired before any call', []),
  T('create-cpu-without-memory', 'create --cpu 4 --confirm without --memory_gb: MissingParameter before any call', []),
  T('create-bad-instance-type', 'create --instance_type pay-as-you-go: ValueError before any call', []),
  T('out-of-scope-delete', 'delete: out of scope, refused before any call', []),
  T('create-idempotent', 'create again with the same name, charge type and spec: idempotent no-op, no CreateInstance', [
    b.version(),
    b.api(argv.instances(), instancesPage([instance('f-cn-other0001', 'analytics'), newInstance('RUNNING')])),
  ]),
  T('create-name-conflict-page-2', 'create: the same name with a different spec sits on page 2 of 2 (the original read page 1 only): InstanceNameConflict', [
    b.version(),
    b.api(argv.instances(1), instancesPage(Array.from({ length: 100 }, (_, i) => filler(i + 1)), { index: 1, totalCount: 101, totalPage: 2 })),
    b.api(argv.instances(2), instancesPage([instance('f-cn-conflict01', NAME, { ChargeType: 'PRE', ResourceSpec: { Cpu: 4, MemoryGB: 16 } })], { index: 2, totalCount: 101, totalPage: 2 })),
  ]),
  T('create-forbidden-ram', 'create: the duplicate check is refused with Forbidden.RAM (not retried)', [
    b.version(),
    b.apiError(argv.instances(), FORBIDDEN_RAM),
  ]),
  T('describe-throttled-once', 'describe: Throttling on the first attempt, retried once after 3 s', [
    b.version(),
    b.apiError(argv.instances(), THROTTLING),
    b.api(argv.instances(), instancesPage([instance('f-cn-other0001', 'analytics')])),
  ]),
  T('describe-throttled-twice', 'describe: Throttling on both attempts: error Throttling after exactly 2 attempts', [
    b.version(),
    b.apiError(argv.instances(), THROTTLING),
    b.apiError(argv.instances(), THROTTLING),
  ]),
  T('create-namespace', 'create_namespace dev (4 CPU / 16 GB) on a RUNNING 8/32 instance with default 2/8 allocated', [b.version(), ...namespaceChain()]),
  T('create-namespace-idempotent', 'create_namespace dev again with the same spec: idempotent no-op', [
    b.version(),
    b.api(argv.namespaces(NEW_ID), namespacesPage([namespace('default', 2, 8), namespace('dev', 4, 16)])),
  ]),
  T('create-namespace-creating-instance', 'create_namespace on an instance that is still CREATING: not_ready, no CreateNamespace', [
    b.version(),
    b.api(argv.namespaces(NEW_ID), namespacesPage([])),
    b.api(argv.instance(NEW_ID), instancesPage([newInstance('CREATING')])),
  ]),
  T('create-namespace-insufficient', 'create_namespace 4/16 on an 8/32 instance with 6/24 allocated: InsufficientResources', [
    b.version(),
    b.api(argv.namespaces(NEW_ID), namespacesPage([namespace('default', 4, 16), namespace('etl', 2, 8)])),
    b.api(argv.instance(NEW_ID), instancesPage([newInstance('RUNNING')])),
  ]),
  T('create-namespace-subscription-full', 'create_namespace 4/16 on a subscription 8/32 instance whose default namespace holds 6/24 as GuaranteedResourceSpec (ElasticResourceSpec 0/0): InsufficientResources, no CreateNamespace', [
    b.version(),
    b.api(argv.namespaces(NEW_ID), namespacesPage([subscriptionNamespace('default', 6, 24, { cpu: 2.5, memory: 10 })])),
    b.api(argv.instance(NEW_ID), instancesPage([newInstance('RUNNING', { ChargeType: 'PRE' })])),
  ]),
  T('create-namespace-instance-missing', 'create_namespace on an instance id that describe does not list: NamespaceNotFound', [
    b.version(),
    b.api(argv.namespaces('f-cn-missing01'), namespacesPage([])),
    b.api(argv.instance('f-cn-missing01'), instancesPage([])),
  ]),
  T('create-wait-running', 'create --wait: RUNNING at the 3rd readiness poll (90 s)', [b.version(), ...createChain(), ...polls(3, 'CREATING', 'RUNNING')]),
  T('lifecycle-completed', 'lifecycle: create, read-back, RUNNING after 90 s, then namespace dev on the same new instance, read back', [
    b.version(),
    ...createChain(),
    ...polls(3, 'CREATING', 'RUNNING'),
    ...namespaceChain(),
  ]),
  T('lifecycle-not-ready', 'lifecycle: the new instance stays CREATING for 10 min (20 polls every 30 s): not_ready, no namespace call', [
    b.version(),
    ...createChain(),
    ...polls(20, 'CREATING'),
  ]),
  T('lifecycle-namespace-insufficient', 'lifecycle: the instance is RUNNING but its default namespace holds 6/24: namespace InsufficientResources, chain failed', [
    b.version(),
    ...createChain(),
    ...polls(1, 'RUNNING'),
    b.api(argv.namespaces(NEW_ID), namespacesPage([namespace('default', 6, 24)])),
    b.api(argv.instance(NEW_ID), instancesPage([newInstance('RUNNING')])),
  ]),
])

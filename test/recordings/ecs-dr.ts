// ecs-dr scenarios, built from the CLI-fact builders with the real field names of api-shapes.md
// (ECS 2014-05-26 and VPC 2016-04-28 wrapped lists). The argv of every entry is written out here
// flag by flag, independently of the script; only the opaque idempotency token is computed with the
// script's own helper (it is a hash of the rest of the argv).

import { api, type Flags } from '../../lib/command.js'
import type { Entry } from '../../lib/transcript.js'
import { withClientToken } from '../../scripts/ecs-dr/calls.js'
import { agentErrorText, builder, transcript } from '../support/cli-facts.js'

export const b = builder('ecs-dr')
export const RECORDED_AT = '2026-11-20T08:00:00.000Z'
/** The token nonce recordings replay (`generated['client-token-nonce']`). */
export const NONCE = '4c1e9a7b2d30'
const GENERATED = { 'client-token-nonce': [NONCE] }

export const REGION = 'cn-hangzhou'
export const SOURCE_ID = 'i-bp1dr0source0001'
export const SOURCE_NAME = 'web-prod-01'
export const SOURCE_ZONE = 'cn-hangzhou-h'
export const SOURCE_TYPE = 'ecs.g7.xlarge'
export const VPC = 'vpc-bp1dr0vpc00001'
export const SOURCE_VSW = 'vsw-bp1dr0h000001'
export const ZONE_J_VSW = 'vsw-bp1dr0j000001'
export const NEW_VSW = 'vsw-bp1dr0k000001'
export const SG = 'sg-bp1dr0web00001'
export const IMAGE_ID = 'm-bp1dr0image00001'
export const IMAGE_NAME = `Create_from_${SOURCE_ID}`
export const NEW_ID = 'i-bp1dr0recovery01'
export const TARGET = 'cn-hangzhou-j'
export const CONSOLE = `https://ecs.console.aliyun.com/image/${REGION}/images`

export const BASE_ARGS = ['ecs-dr', '--region', REGION, '--instance-id', SOURCE_ID]
/** Every decision answered up front: the happy path needs no input. */
export const HAPPY_ARGS = [...BASE_ARGS, '--image-name', IMAGE_NAME, '--target-zone', TARGET, '--instance-type', SOURCE_TYPE]

type Obj = Record<string, unknown>

// ---- the source -------------------------------------------------------------------------------
export interface Disk {
  id: string
  type: 'system' | 'data'
  device: string
  category: string
  size: number
  pl?: string
}

export const SOURCE_DISKS: Disk[] = [
  { id: 'd-bp1dr0sys000001', type: 'system', device: '/dev/xvda', category: 'cloud_essd', size: 40, pl: 'PL0' },
  { id: 'd-bp1dr0data00001', type: 'data', device: '/dev/xvdb', category: 'cloud_essd', size: 100, pl: 'PL1' },
  { id: 'd-bp1dr0data00002', type: 'data', device: '/dev/xvdc', category: 'cloud_auto', size: 200 },
]

export interface World {
  type: string
  disks: Disk[]
  chargeType: string
  internetChargeType: string
  bandwidth: number
}

export const WORLD: World = { type: SOURCE_TYPE, disks: SOURCE_DISKS, chargeType: 'PostPaid', internetChargeType: 'PayByTraffic', bandwidth: 5 }

const ecs = (action: string, flags: Flags = {}) => api('ecs', action, { 'biz-region-id': REGION, endpoint: `ecs.${REGION}.aliyuncs.com`, ...flags })

export function instanceBody(o: { id: string; name: string; zone: string; type: string; status: string; vsw: string; ip: string; world: World; extra?: Obj }): Obj {
  const w = o.world
  return {
    Instances: {
      Instance: [
        {
          InstanceId: o.id,
          InstanceName: o.name,
          HostName: o.name,
          RegionId: REGION,
          ZoneId: o.zone,
          InstanceType: o.type,
          InstanceTypeFamily: o.type.split('.').slice(0, 2).join('.'),
          Cpu: 4,
          Memory: 16384,
          Status: o.status,
          ImageId: o.id === SOURCE_ID ? 'aliyun_3_x64_20G_alibase_20261015.vhd' : IMAGE_ID,
          OSName: 'Alibaba Cloud Linux 3.2104 LTS 64 bit',
          OSType: 'linux',
          InstanceNetworkType: 'vpc',
          InstanceChargeType: w.chargeType,
          InternetChargeType: w.internetChargeType,
          InternetMaxBandwidthIn: 100,
          InternetMaxBandwidthOut: w.bandwidth,
          SpotStrategy: 'NoSpot',
          StoppedMode: 'Not-applicable',
          CreationTime: '2026-09-01T02:10Z',
          ExpiredTime: '2099-12-31T15:59Z',
          IoOptimized: true,
          DeletionProtection: false,
          VpcAttributes: { VpcId: VPC, VSwitchId: o.vsw, PrivateIpAddress: { IpAddress: o.ip ? [o.ip] : [] }, NatIpAddress: '' },
          PublicIpAddress: { IpAddress: [] },
          EipAddress: { AllocationId: '', IpAddress: '', Bandwidth: 0, InternetChargeType: '' },
          SecurityGroupIds: { SecurityGroupId: o.id === SOURCE_ID ? [SG, 'sg-bp1dr0ops00001'] : [SG] },
          OperationLocks: { LockReason: [] },
          Tags: { Tag: [] },
          ...o.extra,
        },
      ],
    },
    TotalCount: 1,
    PageNumber: 1,
    PageSize: 10,
    NextToken: '',
  }
}

function disksBody(instanceId: string, zone: string, disks: Disk[]): Obj {
  return {
    Disks: {
      Disk: disks.map((d) => ({
        DiskId: d.id,
        DiskName: '',
        Type: d.type,
        Device: d.device,
        Category: d.category,
        Size: d.size,
        PerformanceLevel: d.pl ?? '',
        Status: 'In_use',
        InstanceId: instanceId,
        RegionId: REGION,
        ZoneId: zone,
        DiskChargeType: 'PostPaid',
        DeleteWithInstance: d.type === 'system',
        Portable: d.type === 'data',
        Encrypted: false,
        BurstingEnabled: false,
        CreationTime: '2026-09-01T02:10Z',
        Attachments: { Attachment: [{ InstanceId: instanceId, Device: d.device, AttachedTime: '2026-09-01T02:11Z' }] },
        Tags: { Tag: [] },
      })),
    },
    TotalCount: disks.length,
    PageNumber: 1,
    PageSize: 10,
  }
}

// ---- steps --------------------------------------------------------------------------------------
export function preflight(cliVersion?: string): Entry[] {
  return [b.version(cliVersion), b.autoPluginInstall(), b.pluginUpdate([['aliyun-cli-ecs', '0.3.2'], ['aliyun-cli-vpc', '0.2.4']]), b.configureList()]
}

export const describeSourceArgv = () => ecs('describe-instances', { 'instance-ids': JSON.stringify([SOURCE_ID]) })
export const describeSourceDisksArgv = () => ecs('describe-disks', { 'instance-id': SOURCE_ID })

export function source(world: World = WORLD): Entry[] {
  return [
    b.api(describeSourceArgv(), instanceBody({ id: SOURCE_ID, name: SOURCE_NAME, zone: SOURCE_ZONE, type: world.type, status: 'Running', vsw: SOURCE_VSW, ip: '172.16.0.23', world })),
    b.api(describeSourceDisksArgv(), disksBody(SOURCE_ID, SOURCE_ZONE, world.disks)),
  ]
}

export const createImageArgv = (name = IMAGE_NAME) =>
  withClientToken(ecs('create-image', { 'instance-id': SOURCE_ID, 'image-name': name, description: 'System image for AZ disaster recovery' }), NONCE, 'image')

export function createImage(name = IMAGE_NAME): Entry {
  return b.api(createImageArgv(name), { ImageId: IMAGE_ID })
}

export const describeImageArgv = () => ecs('describe-images', { 'image-id': IMAGE_ID, status: 'Creating,Available,UnAvailable' })

export function imagePoll(status: string, progress: string, o: { description?: string; delayMs?: number; world?: World } = {}): Entry {
  const disks = (o.world ?? WORLD).disks
  return b.api(
    describeImageArgv(),
    {
      Images: {
        Image: [
          {
            ImageId: IMAGE_ID,
            ImageName: IMAGE_NAME,
            ImageOwnerAlias: 'self',
            Status: status,
            Progress: progress,
            Description: o.description ?? 'System image for AZ disaster recovery',
            OSName: 'Alibaba Cloud Linux 3.2104 LTS 64 bit',
            OSType: 'linux',
            Architecture: 'x86_64',
            Platform: 'Aliyun',
            Size: 40,
            Usage: 'none',
            IsSelfShared: '',
            CreationTime: '2026-11-20T08:00Z',
            DiskDeviceMappings: {
              DiskDeviceMapping: disks.map((d, i) => ({ Device: d.device, Size: String(d.size), Type: d.type, SnapshotId: `s-bp1dr0snap0000${i + 1}`, Progress: progress, Format: '', RemainTime: 0 })),
            },
            Tags: { Tag: [] },
          },
        ],
      },
      TotalCount: 1,
      PageNumber: 1,
      PageSize: 10,
      RegionId: REGION,
    },
    o.delayMs ? { delayMs: o.delayMs } : {},
  )
}

/** Stock per zone of the source type: zone → [zone status, type status, category]. */
export type Stock = Record<string, [string, string, string]>
export const STOCK: Stock = {
  [SOURCE_ZONE]: ['Available', 'Available', 'WithStock'],
  'cn-hangzhou-i': ['Available', 'SoldOut', 'WithoutStock'],
  [TARGET]: ['Available', 'Available', 'WithStock'],
  'cn-hangzhou-k': ['Available', 'Available', 'WithStock'],
}

export const stockArgv = (world: World = WORLD) => ecs('describe-available-resource', { 'destination-resource': 'InstanceType', 'instance-type': world.type, 'instance-charge-type': world.chargeType })

function zoneResources(zone: string, type: string, values: [string, string, string][], extra: Obj = {}): Obj {
  return {
    ZoneId: zone,
    RegionId: REGION,
    Status: 'Available',
    StatusCategory: 'WithStock',
    AvailableResources: {
      AvailableResource: [{ Type: type, SupportedResources: { SupportedResource: values.map(([Value, Status, StatusCategory]) => ({ Value, Status, StatusCategory, ...extra })) } }],
    },
  }
}

export function stock(s: Stock = STOCK, world: World = WORLD): Entry {
  return b.api(stockArgv(world), {
    AvailableZones: {
      AvailableZone: Object.entries(s).map(([zone, [zoneStatus, status, category]]) => ({
        ...zoneResources(zone, 'InstanceType', [[world.type, status, category]]),
        Status: zoneStatus,
        StatusCategory: status === 'Available' ? 'WithStock' : 'WithoutStock',
      })),
    },
  })
}

export const zoneTypesArgv = (zone: string, world: World = WORLD) => ecs('describe-available-resource', { 'destination-resource': 'InstanceType', 'zone-id': zone, 'instance-charge-type': world.chargeType })

/** Every type in stock in a zone (the listing the type decision's alternatives come from). */
export function zoneTypes(zone: string, inStock: string[], soldOut: string[] = [], world: World = WORLD): Entry {
  const values: [string, string, string][] = [...inStock.map((t): [string, string, string] => [t, 'Available', 'WithStock']), ...soldOut.map((t): [string, string, string] => [t, 'SoldOut', 'WithoutStock'])]
  return b.api(zoneTypesArgv(zone, world), { AvailableZones: { AvailableZone: [zoneResources(zone, 'InstanceType', values)] } })
}

export const J_TYPES = ['ecs.c7.xlarge', 'ecs.g6.xlarge', 'ecs.g7.2xlarge', 'ecs.g7.xlarge', 'ecs.g8i.xlarge', 'ecs.r7.xlarge']

export const VSWITCHES = [
  { id: SOURCE_VSW, zone: SOURCE_ZONE, cidr: '172.16.0.0/24', free: 240 },
  { id: ZONE_J_VSW, zone: TARGET, cidr: '172.16.1.0/24', free: 251 },
]

export const vswitchesArgv = () => ecs('describe-vswitches', { 'vpc-id': VPC })

export function vswitches(list = VSWITCHES): Entry {
  return b.api(vswitchesArgv(), {
    VSwitches: {
      VSwitch: list.map((v) => ({
        VSwitchId: v.id,
        VSwitchName: `dr-${v.zone.slice(-1)}`,
        VpcId: VPC,
        ZoneId: v.zone,
        CidrBlock: v.cidr,
        Status: 'Available',
        AvailableIpAddressCount: v.free,
        IsDefault: false,
        Description: '',
        CreationTime: '2026-08-01T02:00:00Z',
        ResourceGroupId: 'rg-acfmdr0000001',
      })),
    },
    TotalCount: list.length,
    PageNumber: 1,
    PageSize: 10,
  })
}

export const createVSwitchArgv = (zone: string, cidr: string) =>
  withClientToken(api('vpc', 'create-vswitch', { 'biz-region-id': REGION, endpoint: `vpc.${REGION}.aliyuncs.com`, 'vpc-id': VPC, 'zone-id': zone, 'cidr-block': cidr }), NONCE, 'vswitch')

export const systemDiskArgv = (zone: string, type: string, world: World = WORLD) =>
  ecs('describe-available-resource', { 'zone-id': zone, 'destination-resource': 'SystemDisk', 'instance-type': type, 'instance-charge-type': world.chargeType })

export function systemDisks(zone: string, type: string, categories: string[], world: World = WORLD): Entry {
  return b.api(systemDiskArgv(zone, type, world), {
    AvailableZones: { AvailableZone: [zoneResources(zone, 'SystemDisk', categories.map((c): [string, string, string] => [c, 'Available', 'WithStock']), { Min: 20, Max: 2048, Unit: 'GiB' })] },
  })
}

export interface Launch {
  zone: string
  type: string
  vsw: string
  systemCategory?: string
  systemPl?: string | null
  world?: World
}

/** run-instances exactly as the seed's template: source network, billing, bandwidth; Device= per data disk. */
export function runInstancesArgv(l: Launch): string[] {
  const w = l.world ?? WORLD
  const sys = w.disks.find((d) => d.type === 'system')!
  const category = l.systemCategory ?? sys.category
  const pl = l.systemPl === undefined ? sys.pl : l.systemPl
  const data = w.disks.filter((d) => d.type === 'data')
  const argv = [
    ...ecs('run-instances', {
      'zone-id': l.zone,
      'image-id': IMAGE_ID,
      'instance-type': l.type,
      'vswitch-id': l.vsw,
      'security-group-id': SG,
      'instance-name': `recovery-${SOURCE_NAME}`,
      'instance-charge-type': w.chargeType,
      'internet-charge-type': w.internetChargeType,
      'internet-max-bandwidth-out': w.bandwidth,
      'system-disk-category': category,
      'system-disk-size': sys.size,
      ...(pl ? { 'system-disk-performance-level': pl } : {}),
    }),
    ...data.flatMap((d) => ['--data-disk', `Device=${d.device}`, `Category=${d.category}`, `Size=${d.size}`, ...(d.pl ? [`PerformanceLevel=${d.pl}`] : [])]),
    '--amount',
    '1',
  ]
  return withClientToken(argv, NONCE, 'instance')
}

export function runInstances(l: Launch): Entry {
  return b.api(runInstancesArgv(l), { InstanceIdSets: { InstanceIdSet: [NEW_ID] } })
}

export const describeNewArgv = () => ecs('describe-instances', { 'instance-ids': JSON.stringify([NEW_ID]) })

/** Polls of the new instance until Running, then its disks. */
export function verify(l: Launch, o: { statuses?: string[]; disks?: Disk[] } = {}): Entry[] {
  const w = l.world ?? WORLD
  const sys = w.disks.find((d) => d.type === 'system')!
  const planned: Disk[] =
    o.disks ??
    w.disks.map((d, i) => ({
      ...d,
      id: `d-bp1dr0newd0000${i + 1}`,
      ...(d.type === 'system' ? { category: l.systemCategory ?? sys.category, pl: (l.systemPl === undefined ? sys.pl : l.systemPl) ?? undefined } : {}),
    }))
  const statuses = o.statuses ?? ['Pending', 'Starting', 'Running']
  return [
    ...statuses.map((status) => b.api(describeNewArgv(), instanceBody({ id: NEW_ID, name: `recovery-${SOURCE_NAME}`, zone: l.zone, type: l.type, status, vsw: l.vsw, ip: '172.16.1.45', world: w }))),
    b.api(ecs('describe-disks', { 'instance-id': NEW_ID }), disksBody(NEW_ID, l.zone, planned)),
  ]
}

export const HAPPY: Launch = { zone: TARGET, type: SOURCE_TYPE, vsw: ZONE_J_VSW }
/** System disk categories zone j offers for ecs.g7.xlarge. */
export const J_DISKS = ['cloud_essd', 'cloud_auto', 'cloud_efficiency']

/** Everything after the image is Available, for a launch in zone j with the source type. */
export function placeAndLaunch(l: Launch = HAPPY): Entry[] {
  return [stock(), vswitches(), systemDisks(l.zone, l.type, J_DISKS), runInstances(l), ...verify(l)]
}

const t = (scenario: string, entries: Entry[]) => transcript('ecs-dr', scenario, entries, { recordedAt: RECORDED_AT, generated: GENERATED })

/** The CLI that answers with Agent errors (3.5.x; observed in 3.5.1, facts cli-errors-dryrun §1.4). */
export const AGENT_CLI_VERSION = '3.5.1'

/**
 * A 3.5.x CLI in AI mode refusing `--instance-ids` on describe-instances: the compact Agent error
 * object on stderr, exit 2 (IDX docs/en/integrations.md "Agent-mode errors"; the agent message has
 * no "See …" part, IDX cli/errors.go).
 */
export function refusedInstanceIds(): Entry {
  return b.apiRaw(describeSourceArgv(), {
    exitCode: 2,
    stderr: agentErrorText({
      message: '"--instance-ids" is not a valid parameter or flag.',
      did_you_mean: ['--instance-id'],
      recovery: { action: 'search_parameter', command: 'aliyun ecs describe-instances --help-search instance-ids', hint: 'Search request parameters related to instance-ids.' },
    }),
  })
}

/** The POP gateway's refusal of an action the RAM identity may not call (api-shapes §1). */
export const FORBIDDEN_RAM = { code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM." }

/** The source's system disk is cloud_essd_entry, which zone j does not offer for the type. */
export const ENTRY_WORLD: World = { ...WORLD, disks: [{ ...SOURCE_DISKS[0], category: 'cloud_essd_entry', pl: undefined }, ...SOURCE_DISKS.slice(1)] }
/** ecs.g7.xlarge is sold out in zone j. */
export const J_SOLD_OUT: Stock = { ...STOCK, [TARGET]: ['Available', 'SoldOut', 'WithoutStock'] }

/** Zone j still has ecs.g7.xlarge, but ClosedWithStock (low, not replenished); zone k has it WithStock. */
export const J_CLOSING: Stock = { ...STOCK, [TARGET]: ['Available', 'Available', 'ClosedWithStock'] }
/** Zone j is the only zone with ecs.g7.xlarge in stock. */
export const ONLY_J: Stock = { ...STOCK, 'cn-hangzhou-k': ['Available', 'SoldOut', 'WithoutStock'] }
/** The new instance's first data disk came back at PL0 instead of the source's PL1 (the PL downgrade the seed warns about). */
export const DOWNGRADED_DISKS: Disk[] = SOURCE_DISKS.map((d, i) => ({ ...d, id: `d-bp1dr0newd0000${i + 1}`, ...(d.device === '/dev/xvdb' ? { pl: 'PL0' } : {}) }))

const sixCreatingPolls = () => ['5%', '18%', '31%', '44%', '52%', '60%'].map((p) => imagePoll('Creating', p))
const imageReady = () => [createImage(), imagePoll('Creating', '35%'), imagePoll('Creating', '80%'), imagePoll('Available', '100%')]

/** A fresh run up to run-instances in zone j with the source type: source, image Available, stock, VSwitches, disk categories. */
const upToLaunch = () => [...preflight(), ...source(), ...imageReady(), stock(), vswitches(), systemDisks(TARGET, SOURCE_TYPE, J_DISKS)]

export const ARGS = {
  'happy-path': HAPPY_ARGS,
  'image-creating-at-5-min': [...HAPPY_ARGS, '--on-image-timeout', 'wait'],
  'image-unavailable': HAPPY_ARGS,
  'vswitch-missing-created': [...BASE_ARGS, '--image-name', IMAGE_NAME, '--target-zone', 'cn-hangzhou-k', '--instance-type', SOURCE_TYPE, '--create-vswitch', '--cidr-block', '172.16.2.0/24'],
  'type-out-of-stock-alternative': [...BASE_ARGS, '--image-name', IMAGE_NAME, '--target-zone', TARGET, '--instance-type', 'ecs.g8i.xlarge'],
  'system-disk-unsupported': [...HAPPY_ARGS, '--system-disk-category', 'cloud_essd'],
  'quota-exceeded': HAPPY_ARGS,
  'resumed-after-quota': HAPPY_ARGS,
  'no-stock-on-run-instances': HAPPY_ARGS,
  'disk-category-rejected': HAPPY_ARGS,
  'image-not-ready-on-run-instances': HAPPY_ARGS,
  'transient-then-success': HAPPY_ARGS,
  'killed-after-create-image': HAPPY_ARGS,
  /** Plus `--resume <run id of the killed run>`. */
  'resumed-after-kill': HAPPY_ARGS,
  'decision-image-name': BASE_ARGS,
  'decision-image-timeout': HAPPY_ARGS,
  'decision-target-zone': [...BASE_ARGS, '--image-name', IMAGE_NAME],
  'decision-instance-type': [...BASE_ARGS, '--image-name', IMAGE_NAME, '--target-zone', TARGET],
  'decision-instance-type-sold-out': [...BASE_ARGS, '--image-name', IMAGE_NAME, '--target-zone', TARGET],
  'decision-vswitch': [...BASE_ARGS, '--image-name', IMAGE_NAME, '--target-zone', 'cn-hangzhou-k', '--instance-type', SOURCE_TYPE],
  'decision-system-disk': HAPPY_ARGS,
  'decision-target-zone-closed-with-stock': [...BASE_ARGS, '--image-name', IMAGE_NAME],
  'decision-instance-type-other-sizes': [...BASE_ARGS, '--image-name', IMAGE_NAME, '--target-zone', TARGET],
  'decision-instance-type-only-original': [...BASE_ARGS, '--image-name', IMAGE_NAME, '--target-zone', TARGET],
  'verification-mismatch': HAPPY_ARGS,
  /** Plus `--resume <run id of the failed verification>`. */
  'verification-rechecked': HAPPY_ARGS,
  'cli-refused-flag': HAPPY_ARGS,
  'permission-denied-source': HAPPY_ARGS,
} satisfies Record<string, string[]>

export const scenarios = {
  'happy-path': t('A Running source with two data disks (ESSD PL1 and ESSD AutoPL): image, zone j in stock, its existing VSwitch, new instance Running, every comparison row matching.', [
    ...preflight(),
    ...source(),
    ...imageReady(),
    ...placeAndLaunch(),
  ]),
  'image-creating-at-5-min': t('The image is still Creating at the 5-minute poll; --on-image-timeout wait keeps polling every 60 s until it is Available, then the recovery completes.', [
    ...preflight(),
    ...source(),
    createImage(),
    ...sixCreatingPolls(),
    imagePoll('Creating', '85%'),
    imagePoll('Available', '100%'),
    ...placeAndLaunch(),
  ]),
  'image-unavailable': t('The image becomes UnAvailable: the run stops with the image Description; nothing else is created.', [
    ...preflight(),
    ...source(),
    createImage(),
    imagePoll('Creating', '40%'),
    imagePoll('UnAvailable', '40%', { description: 'Create snapshot failed: the disk d-bp1dr0data00001 is in an abnormal state.' }),
  ]),
  'vswitch-missing-created': t('Zone k has no VSwitch in the source VPC; --create-vswitch --cidr-block 172.16.2.0/24 creates one (vpc create-vswitch on the VPC endpoint) and the instance uses it.', [
    ...preflight(),
    ...source(),
    ...imageReady(),
    stock(),
    vswitches(),
    b.api(createVSwitchArgv('cn-hangzhou-k', '172.16.2.0/24'), { VSwitchId: NEW_VSW }),
    systemDisks('cn-hangzhou-k', SOURCE_TYPE, ['cloud_essd', 'cloud_auto']),
    runInstances({ zone: 'cn-hangzhou-k', type: SOURCE_TYPE, vsw: NEW_VSW }),
    ...verify({ zone: 'cn-hangzhou-k', type: SOURCE_TYPE, vsw: NEW_VSW }),
  ]),
  'type-out-of-stock-alternative': t('ecs.g7.xlarge is sold out in zone j; the alternative ecs.g8i.xlarge (chosen with --instance-type, checked against the zone listing) is used and the comparison explains the type difference.', [
    ...preflight(),
    ...source(),
    ...imageReady(),
    stock(J_SOLD_OUT),
    zoneTypes(TARGET, ['ecs.c7.xlarge', 'ecs.g7.2xlarge', 'ecs.g8i.xlarge', 'ecs.g7e.xlarge'], [SOURCE_TYPE]),
    vswitches(),
    systemDisks(TARGET, 'ecs.g8i.xlarge', ['cloud_essd', 'cloud_auto']),
    runInstances({ zone: TARGET, type: 'ecs.g8i.xlarge', vsw: ZONE_J_VSW }),
    ...verify({ zone: TARGET, type: 'ecs.g8i.xlarge', vsw: ZONE_J_VSW }),
  ]),
  'system-disk-unsupported': t('The source system disk is cloud_essd_entry, which zone j does not offer for ecs.g7.xlarge; --system-disk-category cloud_essd answers the decision (explicit PL0) and the comparison says why the system disk differs.', [
    ...preflight(),
    ...source(ENTRY_WORLD),
    createImage(),
    imagePoll('Available', '100%', { world: ENTRY_WORLD }),
    stock(),
    vswitches(),
    systemDisks(TARGET, SOURCE_TYPE, ['cloud_essd', 'cloud_auto'], ENTRY_WORLD),
    runInstances({ zone: TARGET, type: SOURCE_TYPE, vsw: ZONE_J_VSW, systemCategory: 'cloud_essd', systemPl: 'PL0', world: ENTRY_WORLD }),
    ...verify({ zone: TARGET, type: SOURCE_TYPE, vsw: ZONE_J_VSW, systemCategory: 'cloud_essd', systemPl: 'PL0', world: ENTRY_WORLD }),
  ]),
  'quota-exceeded': t('run-instances fails with QuotaExceed.ElasticQuota: the run stops with the Quota Center link; the image is kept and the run stays resumable.', [
    ...upToLaunch(),
    b.apiError(runInstancesArgv(HAPPY), { code: 'QuotaExceed.ElasticQuota', message: 'No additional quota is available for the specified ECS instance type.' }),
  ]),
  'resumed-after-quota': t('The same command run again after the quota stop: the unfinished run continues — no describe of the source, no create-image, no image poll — and completes.', [
    ...preflight(),
    ...placeAndLaunch(),
  ]),
  'no-stock-on-run-instances': t('run-instances fails with OperationDenied.NoStock although the stock check said in stock: a decision offers in-stock alternatives in zone j and another zone (exit 3).', [
    ...upToLaunch(),
    b.apiError(runInstancesArgv(HAPPY), { code: 'OperationDenied.NoStock', message: 'The requested resource is sold out in the specified zone; try other types of resources or other regions and zones.' }),
    zoneTypes(TARGET, ['ecs.g7.2xlarge', 'ecs.g8i.xlarge', 'ecs.g6.xlarge', 'ecs.c7.xlarge'], [SOURCE_TYPE]),
  ]),
  'disk-category-rejected': t('run-instances fails with InvalidDiskCategory.NotSupported: a decision offers the other categories zone j supports (exit 3).', [
    ...upToLaunch(),
    b.apiError(runInstancesArgv(HAPPY), { code: 'InvalidDiskCategory.NotSupported', message: 'The specified disk category is not support the specified instance type.' }),
  ]),
  'image-not-ready-on-run-instances': t('run-instances fails with IncorrectImageStatus: the run goes back to the image wait, then run-instances succeeds with the same idempotency token.', [
    ...upToLaunch(),
    b.apiError(runInstancesArgv(HAPPY), { code: 'IncorrectImageStatus', message: 'The specified Image is not available.' }),
    imagePoll('Available', '100%'),
    runInstances(HAPPY),
    ...verify(HAPPY),
  ]),
  'transient-then-success': t('create-image answers ServiceUnavailable twice; it is retried 15 s apart with the same idempotency token and succeeds, and the recovery completes.', [
    ...preflight(),
    ...source(),
    b.apiError(createImageArgv(), { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' }),
    b.apiError(createImageArgv(), { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' }),
    createImage(),
    imagePoll('Creating', '50%'),
    imagePoll('Available', '100%'),
    ...placeAndLaunch(),
  ]),
  'killed-after-create-image': t('The run is killed (SIGTERM) during the first image poll, right after create-image returned and its ImageId was saved.', [
    ...preflight(),
    ...source(),
    createImage(),
    imagePoll('Creating', '12%', { delayMs: 30_000 }),
  ]),
  'resumed-after-kill': t('The killed run continued with --resume: the same session id, no second create-image, the image polled to Available, then the recovery completes.', [
    ...preflight(),
    imagePoll('Creating', '64%'),
    imagePoll('Available', '100%'),
    ...placeAndLaunch(),
  ]),
  'decision-image-name': t('No --image-name: the image-name decision (exit 3) after the source is read.', [...preflight(), ...source()]),
  'decision-image-timeout': t('No --on-image-timeout: the image is still Creating at 5 minutes, so the keep waiting / console / abort decision ends the run (exit 3).', [
    ...preflight(),
    ...source(),
    createImage(),
    ...sixCreatingPolls(),
  ]),
  'decision-target-zone': t('No --target-zone: the zone decision with the stock table (exit 3).', [...preflight(), ...source(), ...imageReady(), stock()]),
  'decision-instance-type': t('No --instance-type and the source type in stock in zone j: keep it (Recommended) or choose another type (exit 3).', [
    ...preflight(),
    ...source(),
    ...imageReady(),
    stock(),
    zoneTypes(TARGET, J_TYPES),
  ]),
  'decision-instance-type-sold-out': t('No --instance-type and the source type sold out in zone j: alternatives of the same size, or another zone (exit 3).', [
    ...preflight(),
    ...source(),
    ...imageReady(),
    stock(J_SOLD_OUT),
    zoneTypes(TARGET, ['ecs.c7.xlarge', 'ecs.g7.2xlarge', 'ecs.g8i.xlarge', 'ecs.g7e.xlarge'], [SOURCE_TYPE]),
  ]),
  'decision-vswitch': t('Zone k has no VSwitch in the source VPC and no --create-vswitch: Create VSwitch (Recommended, suggested CIDR) or pick another zone (exit 3).', [
    ...preflight(),
    ...source(),
    ...imageReady(),
    stock(),
    vswitches(),
  ]),
  'decision-system-disk': t('The source system disk cloud_essd_entry is not offered in zone j: the supported categories, closest first (exit 3).', [
    ...preflight(),
    ...source(ENTRY_WORLD),
    createImage(),
    imagePoll('Available', '100%', { world: ENTRY_WORLD }),
    stock(),
    vswitches(),
    systemDisks(TARGET, SOURCE_TYPE, ['cloud_essd', 'cloud_auto'], ENTRY_WORLD),
  ]),
  'decision-target-zone-closed-with-stock': t('No --target-zone; zone j has ecs.g7.xlarge ClosedWithStock (low, not replenished) and zone k WithStock: k is recommended first, j second with what ClosedWithStock means (exit 3).', [
    ...preflight(),
    ...source(),
    ...imageReady(),
    stock(J_CLOSING),
  ]),
  'decision-instance-type-other-sizes': t('No --instance-type; ecs.g7.xlarge is in stock in zone j but no other type of its size is: keep it (Recommended), the closest types of another size, or zone k where it is in stock (exit 3).', [
    ...preflight(),
    ...source(),
    ...imageReady(),
    stock(),
    zoneTypes(TARGET, [SOURCE_TYPE, 'ecs.g7.2xlarge', 'ecs.c7.4xlarge'], ['ecs.g7e.xlarge']),
  ]),
  'decision-instance-type-only-original': t('No --instance-type; zone j is the only zone with ecs.g7.xlarge in stock and lists no other type: keep it (Recommended), or the zone question again as the way out (exit 3).', [
    ...preflight(),
    ...source(),
    ...imageReady(),
    stock(ONLY_J),
    zoneTypes(TARGET, [SOURCE_TYPE], ['ecs.g7e.xlarge', 'ecs.g8i.xlarge']),
  ]),
  'verification-mismatch': t('The new instance is Running but its data disk /dev/xvdb is PL0 where the source has PL1, a difference no decision made: the comparison is reported and the run fails VerificationFailed (exit 1), resources kept, run resumable.', [
    ...upToLaunch(),
    runInstances(HAPPY),
    ...verify(HAPPY, { disks: DOWNGRADED_DISKS }),
  ]),
  'verification-rechecked': t('The failed verification continued with --resume after the disk was corrected in the console: only the new instance and its disks are read again, every row matches, completed.', [
    ...preflight(),
    ...verify(HAPPY, { statuses: ['Running'] }),
  ]),
  'cli-refused-flag': {
    ...t('A 3.5.1 CLI in AI mode refuses the first API call: "--instance-ids" is not a valid parameter or flag, did_you_mean --instance-id (Agent error object, exit 2). The run fails CliUnknownFlag, names the flag, the command and the suggestion, points to aliyun-harness doctor, and retries nothing.', [
      ...preflight(AGENT_CLI_VERSION),
      refusedInstanceIds(),
    ]),
    cli_version: AGENT_CLI_VERSION,
  },
  'permission-denied-source': t('The source lookup is refused with Forbidden.RAM: the run stops (PermissionDenied) with every RAM action ecs-dr needs in error.required_permissions and nothing created.', [
    ...preflight(),
    b.apiError(describeSourceArgv(), FORBIDDEN_RAM),
  ]),
}

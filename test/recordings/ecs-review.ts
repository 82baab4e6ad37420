// ecs-review scenarios, built from the CLI-fact builders with the real field names of api-shapes.md
// (ECS and ESS 2014-08-28 wrapped lists, ECI flat lists). The fleet builders are exported so tests
// can generate larger transcripts (the 100-page instance list) the same way.

import { api, type Flags } from '../../lib/command.js'
import type { Entry } from '../../lib/transcript.js'
import { builder, COLOUR, transcript } from '../support/cli-facts.js'

export const b = builder('ecs-review')
/** Every recording's clock starts here (replays start their virtual clock at `recorded_at`). */
export const RECORDED_AT = '2026-11-20T08:00:00.000Z'
const NOW = Date.parse(RECORDED_AT)
const DAY = 86_400_000
/** `yyyy-MM-ddTHH:mmZ`, the ECS time format, `days` from the recording time. */
export const ecsTime = (days: number) => new Date(NOW + days * DAY).toISOString().slice(0, 16) + 'Z'

export const FORBIDDEN_RAM = { code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM." }

/** The argv ecs-review sends for one page (without the user agent, which `b.api` appends). */
export function reviewArgv(product: string, action: string, region: string, flags: Flags = {}): string[] {
  return api(product, action, { 'biz-region-id': region, region, ...flags })
}

// ---- resource factories (real wire names; extra fields the review ignores are kept on purpose) --

type Obj = Record<string, unknown>

export function instance(id: string, region: string, o: Obj = {}): Obj {
  const type = (o.InstanceType as string) ?? 'ecs.g7.large'
  return {
    InstanceId: id,
    InstanceName: `web-${id.slice(-4)}`,
    HostName: `web-${id.slice(-4)}`,
    RegionId: region,
    ZoneId: `${region}-h`,
    InstanceType: type,
    InstanceTypeFamily: type.split('.').slice(0, 2).join('.'),
    Cpu: 2,
    Memory: 8192,
    Status: 'Running',
    ImageId: 'm-bp1webbase20261101',
    OSName: 'Alibaba Cloud Linux 3.2104 LTS 64 bit',
    OSType: 'linux',
    InstanceNetworkType: 'vpc',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByTraffic',
    SpotStrategy: 'NoSpot',
    StoppedMode: 'Not-applicable',
    DeploymentSetId: '',
    ExpiredTime: '2099-12-31T15:59Z',
    CreationTime: ecsTime(-40),
    VpcAttributes: { VpcId: 'vpc-bp1fleet0001', VSwitchId: 'vsw-bp1fleet0001', PrivateIpAddress: { IpAddress: ['172.16.0.10'] }, NatIpAddress: '' },
    SecurityGroupIds: { SecurityGroupId: ['sg-bp1fleet0001'] },
    OperationLocks: { LockReason: [] },
    Tags: { Tag: [] },
    ...o,
  }
}

export function image(id: string, o: Obj = {}): Obj {
  return {
    ImageId: id,
    ImageName: `web-base-${id.slice(-8)}`,
    ImageOwnerAlias: 'self',
    CreationTime: ecsTime(-20),
    Status: 'Available',
    Progress: '100%',
    ImageFamily: 'web-base',
    ImageVersion: '2026.11.1',
    OSName: 'Alibaba Cloud Linux 3.2104 LTS 64 bit',
    OSType: 'linux',
    Architecture: 'x86_64',
    Size: 40,
    Usage: 'instance',
    DiskDeviceMappings: { DiskDeviceMapping: [{ Device: '/dev/xvda', Size: '40', SnapshotId: 's-bp1webbase0001', Type: 'system', Progress: '100%' }] },
    ...o,
  }
}

export function scalingGroup(id: string, region: string, o: Obj = {}): Obj {
  return {
    ScalingGroupId: id,
    ScalingGroupName: `group-${id.slice(-4)}`,
    RegionId: region,
    LifecycleState: 'Active',
    MinSize: 2,
    MaxSize: 6,
    DesiredCapacity: 2,
    DefaultCooldown: 300,
    HealthCheckType: 'ECS',
    GroupType: 'ECS',
    MultiAZPolicy: 'BALANCE',
    ScalingPolicy: 'recycle',
    SpotInstanceRemedy: false,
    CompensateWithOnDemand: false,
    TotalCapacity: 2,
    ActiveCapacity: 2,
    VpcId: 'vpc-bp1fleet0001',
    VSwitchIds: { VSwitchId: ['vsw-bp1fleet0001'] },
    RemovalPolicies: { RemovalPolicy: ['OldestScalingConfiguration', 'OldestInstance'] },
    LoadBalancerIds: { LoadBalancerId: [] },
    DBInstanceIds: { DBInstanceId: [] },
    SuspendedProcesses: { SuspendedProcess: [] },
    CreationTime: ecsTime(-200),
    ...o,
  }
}

export function scalingRule(id: string, groupId: string, region: string, o: Obj = {}): Obj {
  return {
    ScalingRuleId: id,
    ScalingRuleName: `rule-${id.slice(-4)}`,
    ScalingGroupId: groupId,
    ScalingRuleAri: `ari:acs:ess:${region}:1234567890123456:scalingrule/${id}`,
    ScalingRuleType: 'SimpleScalingRule',
    AdjustmentType: 'QuantityChangeInCapacity',
    AdjustmentValue: 1,
    Cooldown: 300,
    Alarms: { Alarm: [] },
    StepAdjustments: { StepAdjustment: [] },
    ...o,
  }
}

export function scheduledTask(id: string, o: Obj = {}): Obj {
  return { ScheduledTaskId: id, ScheduledTaskName: `task-${id.slice(-4)}`, TaskEnabled: true, RecurrenceType: 'Daily', RecurrenceValue: '1', LaunchTime: ecsTime(1), LaunchExpirationTime: 600, ...o }
}

export function scalingInstance(instanceId: string, groupId: string, o: Obj = {}): Obj {
  return { InstanceId: instanceId, ScalingGroupId: groupId, HealthStatus: 'Healthy', LifecycleState: 'InService', CreationType: 'AutoCreated', CreationTime: ecsTime(-10), ScalingConfigurationId: 'asc-bp1fleet0001', ...o }
}

export function deploymentSet(id: string, instanceIds: string[], o: Obj = {}): Obj {
  return { DeploymentSetId: id, DeploymentSetName: `spread-${id.slice(-4)}`, Strategy: 'Availability', Domain: 'Default', Granularity: 'Host', InstanceAmount: instanceIds.length, InstanceIds: { InstanceId: instanceIds }, CreationTime: ecsTime(-100), ...o }
}

export function containerGroup(id: string, region: string, o: Obj = {}): Obj {
  return { ContainerGroupId: id, ContainerGroupName: `job-${id.slice(-4)}`, RegionId: region, ZoneId: `${region}-h`, Status: 'Running', Cpu: 2, Memory: 4, SpotStrategy: 'NoSpot', CreationTime: ecsTime(-1), Containers: [], Events: [], Tags: [], ...o }
}

export function invocation(id: string, instanceIds: string[], o: Obj & { perInstance?: Obj } = {}): Obj {
  const { perInstance, ...rest } = o
  const status = (rest.InvocationStatus as string) ?? 'Success'
  return {
    InvokeId: id,
    CommandId: 'c-hz01fleetpatch',
    CommandName: 'apply-security-updates',
    CommandType: 'RunShellScript',
    InvocationStatus: status,
    InvokeStatus: status === 'Success' ? 'Finished' : status,
    RepeatMode: 'Once',
    CreationTime: ecsTime(-2),
    Timed: false,
    InvokeInstances: {
      InvokeInstance: instanceIds.map((i) => ({ InstanceId: i, InvocationStatus: status === 'Success' ? 'Success' : 'Failed', InstanceInvokeStatus: 'Finished', ExitCode: status === 'Success' ? 0 : 1, ErrorCode: status === 'Success' ? '' : 'ExitCodeNonzero', Repeats: 1, ...perInstance })),
    },
    ...rest,
  }
}

// ---- list pages, in the styles the APIs use ------------------------------------------------

/** PageNumber/PageSize pages of a wrapped list (`{Plural: {Singular: [...]}}`, TotalCount). */
export function numberedPages(product: string, action: string, region: string, flags: Flags, plural: string, singular: string, items: Obj[], pageSize: number): Entry[] {
  const pages = Math.max(1, Math.ceil(items.length / pageSize))
  return Array.from({ length: pages }, (_, i) =>
    b.api(reviewArgv(product, action, region, { ...flags, 'page-size': pageSize, 'page-number': i + 1 }), {
      PageNumber: i + 1,
      PageSize: pageSize,
      TotalCount: items.length,
      [plural]: { [singular]: items.slice(i * pageSize, (i + 1) * pageSize) },
    }),
  )
}

/** NextToken pages; `body` wraps one page's items. Tokens are opaque strings. */
export function tokenPages(product: string, action: string, region: string, flags: Flags, sizeFlag: string, items: Obj[], pageSize: number, body: (page: Obj[]) => Obj): Entry[] {
  const pages = Math.max(1, Math.ceil(items.length / pageSize))
  const token = (i: number) => `AAAAAV${region.replace(/-/g, '')}${String(i).padStart(4, '0')}==`
  return Array.from({ length: pages }, (_, i) =>
    b.api(reviewArgv(product, action, region, { ...flags, [sizeFlag]: pageSize, ...(i > 0 ? { 'next-token': token(i) } : {}) }), {
      ...body(items.slice(i * pageSize, (i + 1) * pageSize)),
      TotalCount: items.length,
      NextToken: i + 1 < pages ? token(i + 1) : '',
    }),
  )
}

export function instancePages(region: string, instances: Obj[], flags: Flags = {}): Entry[] {
  return tokenPages('ecs', 'describe-instances', region, flags, 'max-results', instances, 100, (page) => ({ Instances: { Instance: page } }))
}

export interface FleetSpec {
  region: string
  images?: Obj[]
  groups?: Obj[]
  rules?: Obj[]
  tasks?: Obj[]
  scalingInstances?: Obj[]
  deploymentSets?: Obj[]
  containerGroups?: Obj[]
  invocations?: Obj[]
  instances?: Obj[]
  /** `--instance-ids` as the review sends it (ECI is not read then). */
  instanceIds?: string[]
  /** Replaces the instance pages (e.g. a generated 100-page list). */
  instanceEntries?: Entry[]
}

/** Every call ecs-review makes for one region, in its order. */
export function regionEntries(s: FleetSpec): Entry[] {
  const r = s.region
  const groups = s.groups ?? []
  return [
    ...numberedPages('ecs', 'describe-images', r, { 'image-owner-alias': 'self' }, 'Images', 'Image', s.images ?? [], 100),
    ...numberedPages('ess', 'describe-scaling-groups', r, {}, 'ScalingGroups', 'ScalingGroup', groups, 50),
    ...(groups.length
      ? [
          ...numberedPages('ess', 'describe-scaling-rules', r, {}, 'ScalingRules', 'ScalingRule', s.rules ?? [], 50),
          ...numberedPages('ess', 'describe-scheduled-tasks', r, {}, 'ScheduledTasks', 'ScheduledTask', s.tasks ?? [], 50),
          ...numberedPages('ess', 'describe-scaling-instances', r, {}, 'ScalingInstances', 'ScalingInstance', s.scalingInstances ?? [], 50),
        ]
      : []),
    ...numberedPages('ecs', 'describe-deployment-sets', r, {}, 'DeploymentSets', 'DeploymentSet', s.deploymentSets ?? [], 50),
    ...(s.instanceIds ? [] : tokenPages('eci', 'describe-container-groups', r, {}, 'limit', s.containerGroups ?? [], 20, (page) => ({ ContainerGroups: page }))),
    ...tokenPages('ecs', 'describe-invocations', r, {}, 'max-results', s.invocations ?? [], 50, (page) => ({ Invocations: { Invocation: page } })),
    ...(s.instanceEntries ?? instancePages(r, s.instances ?? [], s.instanceIds ? { 'instance-ids': JSON.stringify(s.instanceIds) } : {})),
  ]
}

/** A region where every list is refused (a RAM policy without this region, for example). */
export function forbiddenRegionEntries(region: string): Entry[] {
  const no = (product: string, action: string, flags: Flags) => b.apiError(reviewArgv(product, action, region, flags), FORBIDDEN_RAM)
  return [
    no('ecs', 'describe-images', { 'image-owner-alias': 'self', 'page-size': 100, 'page-number': 1 }),
    no('ess', 'describe-scaling-groups', { 'page-size': 50, 'page-number': 1 }),
    no('ecs', 'describe-deployment-sets', { 'page-size': 50, 'page-number': 1 }),
    no('eci', 'describe-container-groups', { limit: 20 }),
    no('ecs', 'describe-invocations', { 'max-results': 50 }),
    no('ecs', 'describe-instances', { 'max-results': 100 }),
  ]
}

export const preflight = (): Entry[] => [b.version(), b.configureList()]

/**
 * The same answer from a plugin that colours its JSON whatever NO_COLOR says (whether the plugin
 * runtime honours NO_COLOR is not public; the host colours even into pipes, facts
 * cli-errors-dryrun §5): the body wrapped in the CLI's notice colour and a reset.
 */
export function coloured(e: Entry): Entry {
  if (e.kind !== 'cli' || e.stdout_json === undefined) return e
  const { stdout_json, ...rest } = e
  return { ...rest, stdout: `${COLOUR.notice}${JSON.stringify(stdout_json, null, 2)}\n${COLOUR.off}` }
}

// ---- the fleets --------------------------------------------------------------------------

/** A small healthy fleet: current families, a fresh versioned image, a health-checked elastic group. */
export function healthyFleet(region: string): FleetSpec {
  const p = region === 'cn-hangzhou' ? 'bp1' : 'uf6'
  const web = [`i-${p}healthyweb01`, `i-${p}healthyweb02`]
  const api = `i-${p}healthyapi01`
  const cache = `i-${p}healthycache1`
  return {
    region,
    images: [image(`m-${p}webbase20261101`)],
    groups: [scalingGroup(`asg-${p}healthyweb1`, region)],
    rules: [
      scalingRule(`asr-${p}healthytt01`, `asg-${p}healthyweb1`, region, { ScalingRuleType: 'TargetTrackingScalingRule', MetricName: 'CpuUtilization', TargetValue: 60 }),
      scalingRule(`asr-${p}healthysim01`, `asg-${p}healthyweb1`, region),
    ],
    tasks: [scheduledTask(`sst-${p}healthymorn`, { ScalingGroupId: `asg-${p}healthyweb1`, MinValue: 2, MaxValue: 8, DesiredCapacity: 4 })],
    scalingInstances: web.map((i) => scalingInstance(i, `asg-${p}healthyweb1`)),
    deploymentSets: [deploymentSet(`ds-${p}healthyspread`, [api, cache])],
    containerGroups: [containerGroup(`eci-${p}healthyjob01`, region)],
    invocations: [invocation(`t-${p}healthyinv01`, web), invocation(`t-${p}healthyinv02`, [api, cache], { CreationTime: ecsTime(-1) })],
    instances: [
      ...web.map((i) => instance(i, region, { ImageId: `m-${p}webbase20261101` })),
      instance(api, region, { InstanceType: 'ecs.c7.xlarge', ImageId: `m-${p}webbase20261101`, DeploymentSetId: `ds-${p}healthyspread` }),
      instance(cache, region, { InstanceType: 'ecs.r7.xlarge', ImageId: `m-${p}webbase20261101`, DeploymentSetId: `ds-${p}healthyspread`, InstanceChargeType: 'PrePaid', ExpiredTime: ecsTime(200) }),
    ],
  }
}

/** One fleet with every finding the review knows. */
export function troubledFleet(region = 'cn-hangzhou'): FleetSpec {
  const i = (name: string) => `i-bp1${name}`
  const groups = [
    scalingGroup('asg-bp1nohealthck', region, { HealthCheckType: 'NONE', MinSize: 2, MaxSize: 2 }),
    scalingGroup('asg-bp1spotnoremd', region, { MinSize: 1, MaxSize: 4, SpotInstanceRemedy: false }),
    scalingGroup('asg-bp1inactive01', region, { LifecycleState: 'Inactive', MinSize: 0, MaxSize: 3 }),
  ]
  // ECI: two pages of the 20-per-page list, one group Failed and one on spot.
  const containerGroups = [
    ...Array.from({ length: 20 }, (_, n) => containerGroup(`eci-bp1batch${String(n).padStart(4, '0')}`, region, { Status: 'Succeeded' })),
    containerGroup('eci-bp1failedjob1', region, { Status: 'Failed' }),
    containerGroup('eci-bp1spotjob001', region, { SpotStrategy: 'SpotAsPriceGo' }),
  ]
  return {
    region,
    images: [image('m-bp1oldunversion', { CreationTime: ecsTime(-400), ImageFamily: '', ImageVersion: '' }), image('m-bp1webbase20261101')],
    groups,
    rules: [scalingRule('asr-bp1spotrule01', 'asg-bp1spotnoremd', region), scalingRule('asr-bp1inactive01', 'asg-bp1inactive01', region)],
    tasks: [scheduledTask('sst-bp1bynamerule', { ScheduledAction: `ari:acs:ess:${region}:1234567890123456:scalingrule/asr-bp1inactive01` })],
    scalingInstances: [
      scalingInstance(i('spotingroup01'), 'asg-bp1spotnoremd', { HealthStatus: 'Unhealthy' }),
      scalingInstance(i('fixedmember01'), 'asg-bp1nohealthck'),
      scalingInstance(i('fixedmember02'), 'asg-bp1nohealthck'),
    ],
    deploymentSets: [deploymentSet('ds-bp1lonely00001', [i('fixedmember01')])],
    containerGroups,
    invocations: [
      invocation('t-bp1failedpatch1', [i('fixedmember01'), i('fixedmember02')], { InvocationStatus: 'Failed' }),
      invocation('t-bp1partialpatch', [i('fixedmember01'), i('stopped00001')], { InvocationStatus: 'PartialFailed', CreationTime: ecsTime(-12), perInstance: { ErrorCode: 'InstanceNotRunning' } }),
      invocation('t-bp1okpatch00001', [i('fixedmember01')]),
    ],
    instances: [
      instance(i('stopped00001'), region, { Status: 'Stopped', StoppedMode: 'KeepCharging' }),
      instance(i('expiresoon001'), region, { InstanceChargeType: 'PrePaid', ExpiredTime: ecsTime(3) }),
      instance(i('expiring00001'), region, { InstanceChargeType: 'PrePaid', ExpiredTime: ecsTime(20) }),
      instance(i('locked0000001'), region, { InstanceChargeType: 'PrePaid', ExpiredTime: ecsTime(-2), Status: 'Stopped', OperationLocks: { LockReason: [{ LockReason: 'financial', LockMsg: '' }] } }),
      instance(i('spotalone0001'), region, { SpotStrategy: 'SpotAsPriceGo', SpotInterruptionBehavior: 'Terminate' }),
      instance(i('spotingroup01'), region, { SpotStrategy: 'SpotWithPriceLimit', SpotPriceLimit: 0.5 }),
      instance(i('publicold0001'), region, { ImageId: 'centos_7_9_x64_20G_alibase_20230613.vhd', OSName: 'CentOS 7.9 64 bit' }),
      instance(i('publicnew0001'), region, { ImageId: 'ubuntu_24_04_x64_20G_alibase_20261001.vhd', OSName: 'Ubuntu 24.04 64 bit' }),
      instance(i('oldimage00001'), region, { ImageId: 'm-bp1oldunversion' }),
      instance(i('sharedimage01'), region, { ImageId: 'm-bp1sharedbyother' }),
      instance(i('burstable0001'), region, { InstanceType: 'ecs.t5-lc1m2.small', InstanceTypeFamily: 'ecs.t5' }),
      instance(i('oldgen0000001'), region, { InstanceType: 'ecs.g5.large' }),
      instance(i('fixedmember01'), region, { DeploymentSetId: 'ds-bp1lonely00001' }),
      instance(i('fixedmember02'), region),
    ],
  }
}

export const scenarios = {
  'healthy-fleet': transcript('ecs-review', 'A small healthy fleet in one region: HEALTHY, every list read, exit 0.', [...preflight(), ...regionEntries(healthyFleet('cn-hangzhou'))], { recordedAt: RECORDED_AT }),
  'fleet-with-findings': transcript(
    'ecs-review',
    'One region with every finding: stopped, expiring and locked instances, spot without ASG or remedy, public and old images, unversioned images, ASG without health check / min = max / inactive / unhealthy members, failed Cloud Assistant jobs, a one-instance deployment set, a failed ECI group (ECI list on two pages).',
    [...preflight(), ...regionEntries(troubledFleet())],
    { recordedAt: RECORDED_AT },
  ),
  'two-regions-one-forbidden': transcript(
    'ecs-review',
    'cn-hangzhou is healthy; every list in cn-shanghai fails with Forbidden.RAM. The review completes (exit 0) with partial coverage and says which conclusions are unverified.',
    [...preflight(), ...regionEntries(healthyFleet('cn-hangzhou')), ...forbiddenRegionEntries('cn-shanghai')],
    { recordedAt: RECORDED_AT },
  ),
  'no-access': transcript(
    'ecs-review',
    'The only region asked for refuses every list (Forbidden.RAM): no live evidence, status failed, exit 1, the report still says so.',
    [...preflight(), ...forbiddenRegionEntries('cn-beijing')],
    { recordedAt: RECORDED_AT },
  ),
  'coloured-output': transcript(
    'ecs-review',
    'The healthy fleet of healthy-fleet, every API answer wrapped in ANSI colour codes (a plugin that colours its JSON): every list still parses, the same HEALTHY review, exit 0.',
    [...preflight(), ...regionEntries(healthyFleet('cn-hangzhou')).map(coloured)],
    { recordedAt: RECORDED_AT },
  ),
}

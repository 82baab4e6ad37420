// Step 1: what the source instance is — zone, type, network, billing, bandwidth, and every disk.

import { api, type Flags } from '../../lib/command.js'
import { StopError } from '../../lib/errors.js'
import { pages } from '../../lib/paginate.js'
import { DescribeDisksResponse, DescribeInstancesResponse, type EcsDisk, type EcsInstance } from './schemas.js'
import type { DiskFacts, SourceFacts } from './model.js'
import type { DrRun } from './run.js'

/** DescribeDisks pages hold 10 disks by default; an instance has at most 65, so 7 pages always suffice. */
const MAX_DISK_PAGES = 7

// The step-1 commands, built once for the steps and for doctor's templates (`ecs`: the regional flags).
export const describeInstanceArgv = (ecs: Flags, instanceId: string) => api('ecs', 'describe-instances', { ...ecs, 'instance-ids': JSON.stringify([instanceId]) })
export const describeDisksArgv = (ecs: Flags, instanceId: string, page: number) => api('ecs', 'describe-disks', { ...ecs, 'instance-id': instanceId, ...(page > 1 ? { 'page-number': page } : {}) })

export function describeInstanceStep(run: DrRun, instanceId: string, label: string) {
  return {
    argv: describeInstanceArgv(run.flags('ecs'), instanceId),
    schema: DescribeInstancesResponse,
    label,
  }
}

/** Every disk of an instance: the seed's command for page 1, then `--page-number N` while TotalCount says more. */
export async function describeDisks(run: DrRun, instanceId: string, label: string): Promise<EcsDisk[]> {
  const disks: EcsDisk[] = []
  const list = pages(run, {
    argv: ({ number }) => describeDisksArgv(run.flags('ecs'), instanceId, number),
    schema: DescribeDisksResponse,
    label,
    count: (r) => r.Disks.Disk.length,
    total: (r) => r.TotalCount,
    maxPages: MAX_DISK_PAGES,
  })
  for await (const { data } of list) disks.push(...data.Disks.Disk)
  return disks
}

export function diskFacts(d: EcsDisk): DiskFacts {
  return {
    disk_id: d.DiskId,
    type: d.Type === 'system' ? 'system' : 'data',
    device: d.Device,
    category: d.Category,
    size: d.Size,
    performance_level: d.PerformanceLevel || null,
  }
}

/** System disk first, then data disks by device name. */
export function sortDisks<T extends { type: string; device: string }>(disks: T[]): T[] {
  return [...disks].sort((a, b) => (a.type === b.type ? (a.device < b.device ? -1 : a.device > b.device ? 1 : 0) : a.type === 'system' ? -1 : 1))
}

export function sourceFacts(inst: EcsInstance, disks: EcsDisk[]): SourceFacts {
  const groups = inst.SecurityGroupIds.SecurityGroupId
  return {
    instance_id: inst.InstanceId,
    instance_name: inst.InstanceName,
    region_id: inst.RegionId,
    zone_id: inst.ZoneId,
    instance_type: inst.InstanceType,
    image_id: inst.ImageId,
    os_name: inst.OSName,
    status: inst.Status,
    vpc_id: inst.VpcAttributes.VpcId,
    vswitch_id: inst.VpcAttributes.VSwitchId,
    security_group_id: groups[0] ?? '',
    security_group_ids: groups,
    instance_charge_type: inst.InstanceChargeType,
    internet_charge_type: inst.InternetChargeType,
    internet_max_bandwidth_out: inst.InternetMaxBandwidthOut,
    private_ip: inst.VpcAttributes.PrivateIpAddress.IpAddress[0] ?? null,
    disks: sortDisks(disks.map(diskFacts)),
  }
}

export async function describeSource(run: DrRun): Promise<SourceFacts> {
  const { region } = run
  const id = run.state.instance_id
  const res = await run.call(describeInstanceStep(run, id, 'describe source instance'))
  const inst = res.Instances.Instance.find((i) => i.InstanceId === id)
  if (!inst)
    throw new StopError('InstanceNotFound', `Instance ${id} was not found in ${region}: describe-instances returned no instance with that id.`, {
      nextAction: `Check the instance id and that the instance is in ${region} (pass the region it runs in with --region).`,
    })
  if (!inst.VpcAttributes.VpcId)
    throw new StopError('ClassicNetworkNotSupported', `Instance ${id} is not in a VPC; this workflow recovers VPC instances into another zone of the same VPC.`)
  if (!inst.SecurityGroupIds.SecurityGroupId.length) throw new StopError('NoSecurityGroup', `Instance ${id} reports no security group to reuse for the new instance.`)
  const disks = await describeDisks(run, id, 'describe source disks')
  if (!disks.some((d) => d.Type === 'system')) throw new StopError('NoSystemDisk', `describe-disks returned no system disk for ${id}; the image and the new instance cannot be planned.`)
  return sourceFacts(inst, disks)
}

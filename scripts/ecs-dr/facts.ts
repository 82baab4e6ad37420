// The reads placement decides from, each made once per run and cached: the source type's stock
// per zone (4a), the types in stock in a zone (4a'), the VSwitches of the source VPC (4b) and the
// system disk categories a zone offers for a type (4c). Reads only — nothing here decides.

import { api, type Flags } from '../../lib/command.js'
import { pages } from '../../lib/paginate.js'
import { DescribeAvailableResourceResponse, DescribeVSwitchesResponse, type AvailableZone, type EcsVSwitch } from './schemas.js'
import type { SourceFacts, ZoneStock } from './model.js'
import type { DrRun } from './run.js'
import { zoneStock } from './stock.js'

const VPC_MAX_PAGES = 20

// The step-4 reads, built once for the reads below and for doctor's templates (`ecs`: the regional flags).
export const typeStockArgv = (ecs: Flags, type: string, chargeType?: string) =>
  api('ecs', 'describe-available-resource', { ...ecs, 'destination-resource': 'InstanceType', 'instance-type': type, 'instance-charge-type': chargeType })
export const zoneTypesArgv = (ecs: Flags, zone: string, chargeType?: string) =>
  api('ecs', 'describe-available-resource', { ...ecs, 'destination-resource': 'InstanceType', 'zone-id': zone, 'instance-charge-type': chargeType })
export const systemDiskArgv = (ecs: Flags, zone: string, type: string, chargeType?: string) =>
  api('ecs', 'describe-available-resource', { ...ecs, 'zone-id': zone, 'destination-resource': 'SystemDisk', 'instance-type': type, 'instance-charge-type': chargeType })
export const vpcVSwitchesArgv = (ecs: Flags, vpcId: string, page: number) => api('ecs', 'describe-vswitches', { ...ecs, 'vpc-id': vpcId, ...(page > 1 ? { 'page-number': page } : {}) })

/** The values of one resource type a zone offers that are Available. */
function availableValues(zone: AvailableZone | undefined, type: string): string[] {
  const res = zone?.AvailableResources.AvailableResource.find((r) => r.Type === type)
  return (res?.SupportedResources.SupportedResource ?? []).filter((s) => s.Status === 'Available').map((s) => s.Value)
}

export class PlacementFacts {
  private stockRead?: ZoneStock[]
  private zoneTypes = new Map<string, string[]>()
  private systemDisks = new Map<string, string[]>()
  private vpcVSwitches?: EcsVSwitch[]

  constructor(
    private run: DrRun,
    readonly source: SourceFacts,
  ) {}

  private get flags(): Flags {
    return this.run.flags('ecs')
  }

  /** The stock checks use the source's charge type, not a literal PostPaid (D6). */
  private get chargeType(): string | undefined {
    return this.source.instance_charge_type || undefined
  }

  /** 4a: the source type's stock in every zone but the source zone. */
  async stock(): Promise<ZoneStock[]> {
    if (this.stockRead) return this.stockRead
    const res = await this.run.call({
      argv: typeStockArgv(this.flags, this.source.instance_type, this.chargeType),
      schema: DescribeAvailableResourceResponse,
      label: 'check instance type stock',
    })
    this.stockRead = zoneStock(res, this.source)
    return this.stockRead
  }

  /** 4a': every instance type in stock in a zone. */
  async typesInZone(zone: string): Promise<string[]> {
    const known = this.zoneTypes.get(zone)
    if (known) return known
    const res = await this.run.call({
      argv: zoneTypesArgv(this.flags, zone, this.chargeType),
      schema: DescribeAvailableResourceResponse,
      label: `list instance types in stock in ${zone}`,
    })
    const types = availableValues(res.AvailableZones.AvailableZone.find((z) => z.ZoneId === zone), 'InstanceType')
    this.zoneTypes.set(zone, types)
    return types
  }

  /** 4b: every VSwitch of the source VPC (the seed's command for page 1, then `--page-number N`). */
  async vswitches(): Promise<EcsVSwitch[]> {
    if (this.vpcVSwitches) return this.vpcVSwitches
    const all: EcsVSwitch[] = []
    const list = pages(this.run, {
      argv: ({ number }) => vpcVSwitchesArgv(this.flags, this.source.vpc_id, number),
      schema: DescribeVSwitchesResponse,
      label: `list VSwitches of ${this.source.vpc_id}`,
      count: (r) => r.VSwitches.VSwitch.length,
      total: (r) => r.TotalCount,
      maxPages: VPC_MAX_PAGES,
    })
    for await (const { data } of list) all.push(...data.VSwitches.VSwitch)
    this.vpcVSwitches = all
    return all
  }

  /** 4c: the system disk categories the zone offers for the type. */
  async systemDiskCategories(zone: string, type: string): Promise<string[]> {
    const key = `${zone}/${type}`
    const known = this.systemDisks.get(key)
    if (known) return known
    const res = await this.run.call({
      argv: systemDiskArgv(this.flags, zone, type, this.chargeType),
      schema: DescribeAvailableResourceResponse,
      label: 'check system disk categories',
    })
    const values = availableValues(res.AvailableZones.AvailableZone.find((z) => z.ZoneId === zone), 'SystemDisk')
    this.systemDisks.set(key, values)
    return values
  }
}

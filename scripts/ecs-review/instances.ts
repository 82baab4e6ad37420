// Instance assessment: each instance of a DescribeInstances page is checked against the region's
// other evidence (custom images, scaling-group membership) the moment it arrives, then only
// counters, a capped set of table rows and the per-kind findings are kept.

import type { DescribeInstancesPage, FleetInstance } from './schemas.js'
import { DAY_MS, type RegionEvidence } from './evidence.js'
import { classifyFamily, familyOf } from './families.js'
import { EXPIRY_WINDOW_DAYS, shortLabel, URGENT_EXPIRY_DAYS, type FindingCode } from './findings.js'
import type { InventoryRow } from './model.js'

/** Table rows in the result and the printed report (instances with findings first); `--output` json/csv files hold every row. */
export const ROW_LIMIT = 200

const SPOT = new Set(['SpotWithPriceLimit', 'SpotAsPriceGo'])
const STOPPED = new Set(['Stopped', 'Stopping'])
/** Public image ids end in their release date: `ubuntu_22_04_x64_20G_alibase_20240130.vhd`. */
const PUBLIC_IMAGE_DATE = /_(\d{4})(\d{2})(\d{2})\.vhd$/

export interface FamilyTally {
  workloadClass: string
  inGuidance: boolean
  instances: number
}

export class RegionFleet {
  total = 0
  readonly byState: Record<string, number> = {}
  readonly byCharge: Record<string, number> = {}
  readonly families = new Map<string, FamilyTally>()
  readonly flaggedRows: InventoryRow[] = []
  readonly cleanRows: InventoryRow[] = []
  /** Image id → instances using it. */
  readonly imageUse = new Map<string, number>()
  readonly deploymentSetsInUse = new Set<string>()
  readonly spot = { total: 0, inGroup: 0, withRemedy: 0, withoutGroup: 0, unverified: 0 }

  constructor(private ev: RegionEvidence) {}

  addPage(page: DescribeInstancesPage): number {
    for (const inst of page.Instances.Instance) this.add(inst)
    return page.Instances.Instance.length
  }

  private add(inst: FleetInstance): void {
    this.total++
    this.byState[inst.Status] = (this.byState[inst.Status] ?? 0) + 1
    const charge = inst.InstanceChargeType || 'unknown'
    this.byCharge[charge] = (this.byCharge[charge] ?? 0) + 1
    const family = familyOf(inst.InstanceTypeFamily, inst.InstanceType)
    const info = classifyFamily(family)
    const tally = this.families.get(family) ?? { workloadClass: info.workloadClass, inGuidance: info.inGuidance, instances: 0 }
    tally.instances++
    this.families.set(family, tally)
    if (inst.ImageId) this.imageUse.set(inst.ImageId, (this.imageUse.get(inst.ImageId) ?? 0) + 1)
    if (inst.DeploymentSetId) this.deploymentSetsInUse.add(inst.DeploymentSetId)

    const codes: FindingCode[] = []
    if (!info.inGuidance) codes.push('family-outside-guidance')
    if (info.previousGeneration) codes.push('family-previous-generation')
    if (STOPPED.has(inst.Status)) codes.push('instance-stopped')
    if ((inst.OperationLocks?.LockReason.length ?? 0) > 0) codes.push('instance-locked')
    codes.push(...this.expiry(inst), ...this.image(inst.ImageId), ...this.spotHandling(inst))
    for (const code of codes) this.ev.findings.hit(code, inst.InstanceId)

    const row: InventoryRow = {
      instance_id: inst.InstanceId,
      region: this.ev.region,
      zone: inst.ZoneId,
      family,
      type: inst.InstanceType,
      state: inst.Status,
      charge_type: charge,
      spot_strategy: inst.SpotStrategy,
      image_id: inst.ImageId,
      deployment_set_id: inst.DeploymentSetId,
      expired_time: inst.InstanceChargeType === 'PrePaid' ? inst.ExpiredTime : '',
      findings: codes.map(shortLabel),
    }
    const rows = codes.length ? this.flaggedRows : this.cleanRows
    if (rows.length < this.ev.settings.rowLimit) rows.push(row)
  }

  private expiry(inst: FleetInstance): FindingCode[] {
    if (inst.InstanceChargeType !== 'PrePaid') return []
    const t = Date.parse(inst.ExpiredTime)
    if (!Number.isFinite(t)) return []
    const daysLeft = (t - this.ev.settings.now) / DAY_MS
    if (daysLeft <= URGENT_EXPIRY_DAYS) return ['instance-expiring-soon']
    if (daysLeft <= EXPIRY_WINDOW_DAYS) return ['instance-expiring']
    return []
  }

  private image(imageId: string): FindingCode[] {
    if (!imageId) return []
    const { imageAgeDays, now } = this.ev.settings
    const own = this.ev.images.get(imageId)
    if (own) return own.ageDays !== null && own.ageDays > imageAgeDays ? ['instance-old-custom-image'] : []
    if (!imageId.startsWith('m-')) {
      // Custom, shared and marketplace images all have `m-` ids; anything else is a public image.
      const m = PUBLIC_IMAGE_DATE.exec(imageId)
      const released = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : NaN
      const old = Number.isFinite(released) && (now - released) / DAY_MS > imageAgeDays
      return old ? ['instance-public-image', 'instance-old-public-image'] : ['instance-public-image']
    }
    // An `m-` image that is not among this account's available custom images: its lineage is
    // unknown, and only worth saying when the custom-image list itself was read.
    return this.ev.ok('images') ? ['instance-image-lineage-unknown'] : []
  }

  private spotHandling(inst: FleetInstance): FindingCode[] {
    if (!SPOT.has(inst.SpotStrategy)) return []
    this.spot.total++
    const essKnown = this.ev.ok('scaling-groups') && (this.ev.groups.size === 0 || this.ev.ok('scaling-instances'))
    if (!essKnown) {
      this.spot.unverified++
      return ['spot-handling-unverified']
    }
    const member = this.ev.membership.get(inst.InstanceId)
    if (!member) {
      this.spot.withoutGroup++
      return ['spot-no-scaling-group']
    }
    this.spot.inGroup++
    if (this.ev.groups.get(member.groupId)?.spotRemedy) {
      this.spot.withRemedy++
      return []
    }
    return ['spot-no-remedy']
  }
}

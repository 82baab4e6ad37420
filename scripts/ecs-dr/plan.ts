// The run-instances plan: what placement decided (zone, type, VSwitch, system disk category), with
// the source's network, billing, bandwidth and disks reused, and why anything differs from the source.

import { takesPerformanceLevel } from './alternatives.js'
import type { CategoryAnswer } from './choose-disk.js'
import type { TypeAnswer } from './choose-type.js'
import type { Plan, SourceFacts } from './model.js'

const MAX_INSTANCE_NAME = 128

export interface PlacedVSwitch {
  id: string
  created: boolean
  cidr?: string
}

export interface Placed {
  zone: string
  type: TypeAnswer
  vswitch: PlacedVSwitch
  category: CategoryAnswer
  instanceName?: string
}

export function defaultInstanceName(source: SourceFacts): string {
  return `recovery-${source.instance_name || source.instance_id}`.slice(0, MAX_INSTANCE_NAME)
}

export function systemDiskOf(source: SourceFacts) {
  return source.disks.find((d) => d.type === 'system')!
}

/** The source's performance level when the category is kept, PL0 when it becomes cloud_essd, none otherwise. */
function performanceLevel(category: string, sourceCategory: string, sourcePl: string | null): string | null {
  if (!takesPerformanceLevel(category)) return null
  return sourceCategory === category && sourcePl ? sourcePl : 'PL0'
}

export function buildPlan(source: SourceFacts, p: Placed): Plan {
  const sys = systemDiskOf(source)
  const why: Record<string, string> = {}
  if (p.type.why) why.instance_type = p.type.why
  if (p.category.why) why.system_disk_category = p.category.why
  return {
    zone: p.zone,
    instance_type: p.type.type,
    vswitch_id: p.vswitch.id,
    vswitch_created: p.vswitch.created,
    ...(p.vswitch.cidr ? { cidr_block: p.vswitch.cidr } : {}),
    security_group_id: source.security_group_id,
    instance_name: p.instanceName ?? defaultInstanceName(source),
    instance_charge_type: source.instance_charge_type,
    internet_charge_type: source.internet_charge_type,
    internet_max_bandwidth_out: source.internet_max_bandwidth_out,
    system_disk: { device: sys.device, category: p.category.category, size: sys.size, performance_level: performanceLevel(p.category.category, sys.category, sys.performance_level) },
    data_disks: source.disks
      .filter((d) => d.type === 'data')
      .map((d) => ({ device: d.device, category: d.category, size: d.size, performance_level: performanceLevel(d.category, d.category, d.performance_level) })),
    why,
  }
}

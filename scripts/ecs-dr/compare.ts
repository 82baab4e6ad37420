// Step 6's comparison: the source against the new instance, row by row, and for every row that
// differs the reason — a zone that does not offer something, a choice the user made, or a
// configuration error (the catalogue's three causes). Only the last fails the verification.

import type { EcsDisk, EcsInstance } from './schemas.js'
import type { ComparisonRow, DifferenceCause, DiskFacts, ImageFacts, Plan, SourceFacts } from './model.js'
import { diskFacts, sortDisks } from './source.js'

const show = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '-' : String(v))
const diskText = (d: { category: string; size: number; performance_level: string | null } | undefined) =>
  d ? `${d.category} · ${d.size} GiB${d.performance_level ? ` · ${d.performance_level}` : ''}` : '(none)'
const CONFIG = 'configuration error: the new instance does not carry what run-instances asked for; check it in the ECS console'

/** A row; a difference is unexplained unless a decision (`cause`) made it. */
function row(item: string, source: unknown, now: unknown, match: boolean, ok: string, bad: string, cause: DifferenceCause = 'unexplained'): ComparisonRow {
  return { item, source: show(source as string), new: show(now as string), match, note: match ? ok : bad, ...(match ? {} : { cause }) }
}

/** Same value expected: a difference is a configuration error. */
function same(item: string, source: string | number, now: string | number): ComparisonRow {
  return row(item, source, now, source === now, 'same', CONFIG)
}

function diskRow(label: string, src: DiskFacts, planned: { category: string; size: number; performance_level: string | null } | undefined, now: DiskFacts | undefined, why: string | undefined): ComparisonRow {
  const item = `${label} ${src.device || src.disk_id}`
  if (!now) return row(item, diskText(src), undefined, false, '', `${CONFIG} (no disk at ${src.device} on the new instance)`)
  const match = src.category === now.category && src.size === now.size && (src.performance_level ?? null) === (now.performance_level ?? null)
  if (match) return row(item, diskText(src), diskText(now), true, now.device === src.device ? 'same' : `same (device ${now.device})`, '')
  const asPlanned = planned && planned.category === now.category && planned.size === now.size && (planned.performance_level ?? null) === (now.performance_level ?? null)
  if (asPlanned && why) return row(item, diskText(src), diskText(now), false, '', `zone unsupported: ${why}${src.performance_level !== now.performance_level ? ' (the performance level follows the category)' : ''}`, 'zone_unsupported')
  return row(item, diskText(src), diskText(now), false, '', CONFIG)
}

export function compare(source: SourceFacts, image: ImageFacts | undefined, plan: Plan, inst: EcsInstance, newDisks: EcsDisk[]): ComparisonRow[] {
  const disks = sortDisks(newDisks.map(diskFacts))
  const newIp = inst.VpcAttributes.PrivateIpAddress.IpAddress[0] ?? null
  const chosenType = inst.InstanceType === plan.instance_type && Boolean(plan.why.instance_type)
  const rows: ComparisonRow[] = [
    same('Region', source.region_id, inst.RegionId),
    row('Zone', source.zone_id, inst.ZoneId, inst.ZoneId !== source.zone_id && inst.ZoneId === plan.zone, 'differs, as intended', inst.ZoneId === source.zone_id ? 'configuration error: the new instance is in the source zone' : `${CONFIG} (expected ${plan.zone})`),
    row('Status', source.status, inst.Status, inst.Status === 'Running', 'Running, as required', 'the new instance is not Running'),
    row(
      'Instance type',
      source.instance_type,
      inst.InstanceType,
      inst.InstanceType === source.instance_type,
      'same',
      chosenType ? `user-initiated change: ${plan.why.instance_type}` : CONFIG,
      chosenType ? 'user_choice' : 'unexplained',
    ),
    row('Private IP', source.private_ip, newIp, Boolean(newIp), 'assigned', 'no private IP assigned'),
    same('VPC', source.vpc_id, inst.VpcAttributes.VpcId),
    row('VSwitch', source.vswitch_id, inst.VpcAttributes.VSwitchId, inst.VpcAttributes.VSwitchId === plan.vswitch_id, plan.vswitch_created ? 'created by this run' : 'existing, in the target zone', `${CONFIG} (expected ${plan.vswitch_id})`),
    row(
      'Security group',
      source.security_group_ids.join(', '),
      inst.SecurityGroupIds.SecurityGroupId.join(', '),
      inst.SecurityGroupIds.SecurityGroupId.includes(source.security_group_id),
      source.security_group_ids.length > 1 ? `first reused; not reused: ${source.security_group_ids.slice(1).join(', ')}` : 'same',
      `${CONFIG} (expected ${source.security_group_id})`,
    ),
    same('Instance charge type', source.instance_charge_type, inst.InstanceChargeType),
    same('Internet charge type', source.internet_charge_type, inst.InternetChargeType),
    same('Bandwidth out (Mbit/s)', source.internet_max_bandwidth_out, inst.InternetMaxBandwidthOut),
  ]
  if (image?.disk_mappings !== undefined)
    rows.push(row('Image disk mappings', `${source.disks.length} disk(s)`, `${image.disk_mappings} mapping(s)`, image.disk_mappings === source.disks.length, 'every disk mapped', 'the image does not map every source disk'))
  const newSystem = disks.find((d) => d.type === 'system')
  const newData = disks.filter((d) => d.type === 'data')
  for (const src of source.disks) {
    if (src.type === 'system') {
      rows.push(diskRow('System disk', src, plan.system_disk, newSystem, plan.why.system_disk_category))
      continue
    }
    const index = source.disks.filter((d) => d.type === 'data').indexOf(src)
    const now = newData.find((d) => d.device === src.device) ?? (newData.every((d) => !d.device) ? newData[index] : undefined)
    rows.push(diskRow('Data disk', src, plan.data_disks.find((d) => d.device === src.device), now, undefined))
  }
  return rows
}

// The human report: source facts, image, zone stock, target, new instance, and the comparison.

import type { Human } from '../../lib/render.js'
import type { Result } from '../../lib/result.js'
import type { ComparisonRow, DrData } from './model.js'
import { stockLabel } from './stock.js'

const pl = (v: string | null) => v ?? '-'
const list = (rows: ComparisonRow[]) => rows.map((r) => `${r.item} — ${r.note}`).join('; ')

/** The comparison's conclusion: complete, complete with chosen differences, or failed. */
function verdict(rows: ComparisonRow[]): string {
  const differing = rows.filter((r) => !r.match)
  const unexplained = differing.filter((r) => r.cause === 'unexplained')
  const chosen = differing.filter((r) => r.cause === 'user_choice' || r.cause === 'zone_unsupported')
  // A run completed before causes were recorded has differing rows without one.
  const unclassified = differing.filter((r) => !r.cause)
  const kept = 'The source instance was not touched; the image and the new instance are kept.'
  if (unexplained.length) return `Verification failed: ${unexplained.length} row(s) differ with no decision behind them: ${list(unexplained)}${chosen.length ? `. Chosen differences: ${list(chosen)}` : ''}`
  if (unclassified.length) return `${differing.length} row(s) differ: ${list(differing)}`
  if (chosen.length) return `The backup is complete; ${chosen.length} row(s) differ as decided: ${list(chosen)}. ${kept}`
  return `Every row matches: the backup is complete. ${kept}`
}

export function renderReport(result: Result, h: Human): void {
  const d = result.data as Partial<DrData> | null
  if (!d || typeof d !== 'object' || typeof d.run_id !== 'string') return
  h.heading(`ECS cross-zone disaster recovery — run ${d.run_id}${d.resumed ? ' (resumed)' : ''}`)

  const s = d.source
  if (s) {
    h.heading(`Source instance ${s.instance_id}`)
    h.kv([
      ['Name', s.instance_name],
      ['Region / zone', `${s.region_id} / ${s.zone_id}`],
      ['Instance type', s.instance_type],
      ['Status', s.status],
      ['Image / OS', `${s.image_id} (${s.os_name || 'unknown OS'})`],
      ['VPC / VSwitch', `${s.vpc_id} / ${s.vswitch_id}`],
      ['Security groups', s.security_group_ids.join(', ')],
      ['Billing', `${s.instance_charge_type}; internet ${s.internet_charge_type || '-'}, ${s.internet_max_bandwidth_out} Mbit/s out`],
      ['Private IP', s.private_ip],
    ])
    h.table(['Disk', 'Type', 'Device', 'Category', 'Size (GiB)', 'PL'], s.disks.map((x) => [x.disk_id, x.type, x.device, x.category, x.size, pl(x.performance_level)]))
  }

  if (d.image) {
    h.heading('Whole-instance image')
    h.kv([
      ['Image', `${d.image.id} (${d.image.name})`],
      ['Status', `${d.image.status} ${d.image.progress}`.trim()],
      ...(d.image.disk_mappings !== undefined ? [['Disk mappings', d.image.disk_mappings] as [string, unknown]] : []),
      ...(d.image.description ? [['Description', d.image.description] as [string, unknown]] : []),
    ])
  }

  if (d.stock) {
    h.heading(`Zone stock: ${d.stock.instance_type} (${d.stock.instance_charge_type})`)
    h.table(['Zone', 'Stock'], d.stock.zones.map((z) => [z.zone, stockLabel(z)]))
  }

  const t = d.target
  if (t) {
    h.heading('Target')
    h.kv([
      ['Zone', t.zone],
      ['Instance type', t.instance_type],
      ['VSwitch', `${t.vswitch_id}${t.vswitch_created ? ` (created by this run${t.cidr_block ? `, ${t.cidr_block}` : ''})` : ''}`],
      ['Security group', t.security_group_id],
      ['Name', t.instance_name],
      ['System disk', `${t.system_disk.category} · ${t.system_disk.size} GiB${t.system_disk.performance_level ? ` · ${t.system_disk.performance_level}` : ''}`],
      ['Data disks', t.data_disks.map((x) => `${x.device} ${x.category} ${x.size} GiB${x.performance_level ? ` ${x.performance_level}` : ''}`).join('; ') || 'none'],
      ...Object.values(t.why).map((w) => ['Changed', w] as [string, unknown]),
    ])
  }

  if (d.new_instance) {
    h.heading(`New instance ${d.new_instance.instance_id}`)
    h.kv([
      ['Status', d.new_instance.status],
      ['Zone', d.new_instance.zone_id],
      ['Private IP', d.new_instance.private_ip],
    ])
  }

  if (d.comparison) {
    h.heading('Source vs new instance')
    h.table(['Item', 'Source', 'New', 'OK', 'Note'], d.comparison.map((r) => [r.item, r.source, r.new, r.match ? '✔' : '✖', r.note]))
    h.line(verdict(d.comparison))
  }
  h.line()
}

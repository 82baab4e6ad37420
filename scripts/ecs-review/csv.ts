// The instance inventory as CSV (RFC 4180), the form people open in a spreadsheet: one row per
// instance, every instance of the review (an `--output` file is never capped).

import type { InventoryRow } from './model.js'

const COLUMNS: [keyof InventoryRow, string][] = [
  ['instance_id', 'Instance ID'],
  ['region', 'Region'],
  ['zone', 'Zone'],
  ['family', 'Family'],
  ['type', 'Instance type'],
  ['state', 'State'],
  ['charge_type', 'Charge type'],
  ['spot_strategy', 'Spot strategy'],
  ['image_id', 'Image ID'],
  ['deployment_set_id', 'Deployment set'],
  ['expired_time', 'Expires'],
  ['findings', 'Findings'],
]

/** A cell quoted when it must be; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
function cell(value: unknown): string {
  let text = Array.isArray(value) ? value.join('; ') : String(value ?? '')
  if (/^[=+\-@]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function inventoryCsv(rows: readonly InventoryRow[]): string {
  const lines = [COLUMNS.map(([, title]) => cell(title)).join(','), ...rows.map((r) => COLUMNS.map(([key]) => cell(r[key])).join(','))]
  return lines.join('\r\n') + '\r\n'
}

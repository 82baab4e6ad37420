// The report in the skill's output contract (catalogue 2.e), built once as blocks and rendered two
// ways: markdown text with pipe tables (for --output files) and the terminal form with cli-table3
// tables (render()). Both come from the review data alone, so JSON and text never disagree.

import type { Human } from '../../lib/render.js'
import type { Review } from './model.js'

export type Block = { kind: 'h1' | 'h2'; text: string } | { kind: 'line'; text: string } | { kind: 'table'; head: string[]; rows: string[][] }

const h1 = (text: string): Block => ({ kind: 'h1', text })
const h2 = (text: string): Block => ({ kind: 'h2', text })
const line = (text: string): Block => ({ kind: 'line', text })
const table = (head: string[], rows: (string | number | null | undefined)[][]): Block => ({ kind: 'table', head, rows: rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c)))) })

function counts(rec: Record<string, number>): string {
  const parts = Object.entries(rec).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return parts.length ? parts.map(([k, v]) => `${k} ${v}`).join(', ') : 'none'
}

function inventory(r: Review): Block[] {
  const inv = r.inventory
  const out: Block[] = [h2('Instance inventory and type review')]
  if (inv.total === 0) return [...out, line('- No ECS instances found in scope.')]
  out.push(line(`- Instances: ${inv.total} (${counts(inv.by_state)}); charge type: ${counts(inv.by_charge_type)}`))
  out.push(table(['Instance ID', 'Family', 'Type', 'State', 'Finding'], inv.rows.map((row) => [row.instance_id, row.family, row.type, row.state, row.findings.join('; ') || 'none'])))
  if (inv.rows_omitted > 0) out.push(line(`- ${inv.rows_omitted} more instance${inv.rows_omitted === 1 ? '' : 's'} not listed; the counts include them, and instances with findings are listed first. \`--output <file>.csv\` (or .json) lists every instance.`))
  out.push(table(['Family', 'Workload class', 'Instances', 'In g/c/r/hfc/ebm guidance'], inv.by_family.map((f) => [f.family, f.workload_class, f.instances, f.in_guidance ? 'yes' : 'no'])))
  return out
}

function autoScaling(r: Review): Block[] {
  const groups = r.auto_scaling.groups
  const out: Block[] = [h2('Auto Scaling configuration')]
  const asgFindings = r.findings.filter((f) => f.code.startsWith('asg-'))
  if (groups.length === 0) {
    return [...out, line('- Scaling group: none in scope'), line('- Health check type: not applicable'), line('- Scaling rules: not applicable'), line(`- Findings: ${asgFindings.length ? asgFindings.map((f) => f.title).join('; ') : 'none'}`)]
  }
  const hc: Record<string, number> = {}
  const rules: Record<string, number> = {}
  for (const g of groups) {
    hc[g.health_check_type ?? 'not stated'] = (hc[g.health_check_type ?? 'not stated'] ?? 0) + 1
    for (const rule of g.rules) rules[rule.type] = (rules[rule.type] ?? 0) + rule.count
  }
  const tasks = groups.reduce((n, g) => n + g.scheduled_tasks, 0)
  out.push(line(`- Scaling group: ${groups.length} (${groups.map((g) => g.scaling_group_id).join(', ')})`))
  out.push(line(`- Health check type: ${counts(hc)}`))
  out.push(line(`- Scaling rules: ${counts(rules)}; scheduled tasks: ${tasks}`))
  out.push(line(`- Findings: ${asgFindings.length ? asgFindings.map((f) => `${f.title} [${f.region}]`).join('; ') : 'none'}`))
  out.push(
    table(
      ['Region', 'Scaling group', 'State', 'Min/Max', 'Cooldown (s)', 'Health check', 'Rules', 'Scheduled tasks', 'Instances', 'Findings'],
      groups.map((g) => [
        g.region,
        `${g.scaling_group_id}${g.name ? ` (${g.name})` : ''}`,
        g.lifecycle_state,
        `${g.min_size}/${g.max_size}`,
        g.default_cooldown,
        g.health_check_type ?? 'not stated',
        g.rules.map((x) => `${x.type} ×${x.count}`).join(', ') || 'none',
        g.scheduled_tasks,
        g.instances,
        g.findings.join('; ') || 'none',
      ]),
    ),
  )
  return out
}

function images(r: Review): Block[] {
  const im = r.images
  const out: Block[] = [h2('Patch and image compliance')]
  const onOld = r.findings.filter((f) => f.code === 'instance-old-custom-image' || f.code === 'instance-old-public-image').reduce((n, f) => n + f.count, 0)
  const onPublic = r.findings.filter((f) => f.code === 'instance-public-image').reduce((n, f) => n + f.count, 0)
  if (im.in_use.length === 0) out.push(line('- Current image: no instance images in scope'))
  else {
    out.push(line(`- Current image: ${im.in_use.length + im.in_use_omitted} image${im.in_use.length + im.in_use_omitted === 1 ? '' : 's'} in use`))
    out.push(
      table(
        ['Image', 'Region', 'Owner', 'Family / Version', 'Created', 'Age (days)', 'Instances'],
        im.in_use.map((i) => [i.image_id, i.region, i.owner, i.image_family || i.image_version ? `${i.image_family || '-'} / ${i.image_version || '-'}` : 'none', i.created, i.age_days, i.instances]),
      ),
    )
    if (im.in_use_omitted) out.push(line(`- ${im.in_use_omitted} more image(s) in use are not listed.`))
  }
  out.push(line('- Last patched: unknown — in-guest patch levels are not visible to these APIs; image creation (or public release) date is used as a proxy'))
  const problems = [
    onOld ? `${onOld} instance(s) on images older than ${im.image_age_days} days` : '',
    onPublic ? `${onPublic} instance(s) on public images` : '',
    im.unversioned ? `${im.unversioned} custom image(s) without ImageFamily/ImageVersion` : '',
    im.older_than_limit ? `${im.older_than_limit} custom image(s) older than ${im.image_age_days} days` : '',
  ].filter(Boolean)
  out.push(line(`- Compliance status: ${problems.length ? `not compliant — ${problems.join('; ')}` : `compliant by image age (≤ ${im.image_age_days} days) and versioning`} (${im.custom_images} custom image(s) in the account's lists)`))
  return out
}

function spot(r: Review): Block[] {
  const s = r.spot
  const out: Block[] = [h2('Spot and preemptible assessment')]
  out.push(line(`- Spot usage: ${s.spot_instances} of ${r.inventory.total} instance(s); ECI spot container groups: ${s.eci_spot_container_groups}`))
  if (s.spot_instances === 0) {
    out.push(line('- Interruption handling: not applicable (no spot instances)'))
    out.push(line('- Fallback strategy: not applicable'))
    return out
  }
  out.push(
    line(
      `- Interruption handling: ${s.with_spot_remedy} in scaling groups with spot remedy; ${s.in_scaling_group - s.with_spot_remedy} in scaling groups without it; ${s.without_scaling_group} outside any scaling group${s.unverified ? `; ${s.unverified} unverified` : ''}`,
    ),
  )
  out.push(
    line(
      `- Fallback strategy: ${s.without_scaling_group || s.in_scaling_group - s.with_spot_remedy ? 'missing for some spot capacity — nothing replaces a reclaimed instance outside a scaling group, and groups without spot remedy replace it only after it is gone' : 'scaling groups with spot remedy replace spot capacity ahead of reclaim'}; in-guest graceful shutdown is unverified`,
    ),
  )
  return out
}

function cloudAssistant(r: Review): Block[] {
  const ca = r.cloud_assistant
  const out: Block[] = [h2('Cloud Assistant job status')]
  out.push(line(`- Recent jobs: ${ca.recent} in the last ${ca.recent_days} days (${ca.total} in the retained history)`))
  out.push(line(`- Failures: ${ca.failed ? `${ca.failed} job(s) Failed or PartialFailed` : 'none'}`))
  if (ca.failures.length) {
    out.push(table(['Invoke ID', 'Region', 'Command', 'Status', 'Created', 'Failed instances', 'Error codes'], ca.failures.map((f) => [f.invoke_id, f.region, f.command_name, f.status, f.created, f.failed_instances, f.error_codes.join(', ')])))
    if (ca.failures_omitted) out.push(line(`- ${ca.failures_omitted} more failed job(s) not listed.`))
  }
  return out
}

function placement(r: Review): Block[] {
  const out: Block[] = [h2('ECI container groups and placement')]
  out.push(line(`- ECI container groups: ${r.eci.total} (${counts(r.eci.by_status)})`))
  const single = r.deployment_sets.single_instance
  out.push(line(`- Deployment sets: ${r.deployment_sets.total}; single-instance sets: ${single.length ? single.map((d) => `${d.deployment_set_id} (${d.strategy || 'strategy not stated'}, ${d.region})`).join(', ') : 'none'}`))
  return out
}

function findings(r: Review): Block[] {
  const out: Block[] = [h2('Findings and evidence')]
  if (!r.findings.length) return [...out, line('- none')]
  out.push(
    table(
      ['Severity', 'Finding', 'Region', 'Evidence', 'Source API', 'Resources'],
      r.findings.map((f) => [f.severity, f.title, f.region, f.evidence, f.source, `${f.resources.join(', ')}${f.count > f.resources.length ? ` (+${f.count - f.resources.length} more)` : ''}`]),
    ),
  )
  return out
}

export function reportBlocks(r: Review): Block[] {
  return [
    h1(`Alibaba Cloud ECS Compute Review: ${r.scope}`),
    line(`Reviewed at ${r.reviewed_at}. Read-only: nothing was changed.`),
    h2('Executive verdict'),
    line(`- Status: ${r.verdict.status}`),
    line(`- Biggest risk: ${r.verdict.biggest_risk}`),
    line(`- Evidence level: ${r.verdict.evidence_level}`),
    ...inventory(r),
    ...autoScaling(r),
    ...images(r),
    ...spot(r),
    ...cloudAssistant(r),
    ...placement(r),
    ...findings(r),
    h2('Recommendations'),
    ...(r.recommendations.length
      ? r.recommendations.map((x, i) => line(`${i + 1}. ${x.action} — owner: ${x.owner}, validation: ${x.validation}, rollback: ${x.rollback} (${x.evidence})`))
      : [line('1. No change is called for by the evidence — owner: platform owner, validation: re-run this review on a schedule, rollback: not applicable')]),
    h2('Open risks'),
    ...(r.open_risks.length ? r.open_risks.map((x) => line(`- ${x}`)) : [line('- none')]),
    h2('Evidence coverage'),
    table(
      ['Region', 'Region status', 'API', 'Result', 'Pages', 'Items'],
      r.coverage_by_region.flatMap((c) =>
        c.sources.map((s) => [c.region, c.status, s.api, s.status === 'failed' ? `failed: ${s.error?.code}${s.note ? ` (${s.note})` : ''}` : s.status === 'skipped' ? `skipped: ${s.note}` : 'read', s.pages, s.items]),
      ),
    ),
  ]
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

export function toMarkdown(blocks: Block[]): string {
  const out: string[] = []
  for (const b of blocks) {
    if (b.kind === 'table') out.push('', `| ${b.head.map(cell).join(' | ')} |`, `|${b.head.map(() => '---').join('|')}|`, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`), '')
    else if (b.kind === 'h1') out.push(`# ${b.text}`, '')
    else if (b.kind === 'h2') out.push('', `## ${b.text}`, '')
    else out.push(b.text)
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n'
}

export function renderBlocks(blocks: Block[], h: Human): void {
  for (const b of blocks) {
    if (b.kind === 'table') h.table(b.head, b.rows)
    else if (b.kind === 'h1') h.prose(`# ${b.text}`)
    else if (b.kind === 'h2') h.heading(`## ${b.text}`)
    else h.prose(b.text)
  }
}

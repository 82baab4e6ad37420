// Turns the regions' evidence into the review: region-level findings (scaling groups, images,
// deployment sets), coverage, the verdict, recommendations and open risks. Pure: the same evidence
// and clock give the same review, whatever order the regions answered in.

import type { RegionResult } from './collect.js'
import { DAY_MS, FAILURE_LIMIT } from './evidence.js'
import { EXPIRY_WINDOW_DAYS, RECENT_DAYS, sortFindings, type Limits } from './findings.js'
import type { Finding, ImageUse, RegionCoverage, ReportFormat, Review, ScalingGroupReview, SourceId } from './model.js'
import { accessRecommendation, DOCUMENTED_BASELINE, recommend } from './recommendations.js'

/** Images listed in the compliance table, most used first. */
export const IMAGE_LIMIT = 50
export const NO_LIVE_STATE = "I can't query live state here, so I'm falling back to official Alibaba Cloud docs."

const CONCLUSIONS: Record<SourceId, string> = {
  images: 'custom image versioning and age, and which instances run old custom images',
  'scaling-groups': 'Auto Scaling health checks and sizes, and spot interruption handling',
  'scaling-rules': 'scaling rules per group',
  'scheduled-tasks': 'scheduled scaling tasks',
  'scaling-instances': 'scaling-group membership, unhealthy members and spot interruption handling',
  'deployment-sets': 'deployment set placement',
  'container-groups': 'ECI container group status',
  invocations: 'Cloud Assistant job status',
  instances: 'the instance inventory, families, stopped and expiring instances, spot usage and instance image compliance',
}

const PUBLIC_IMAGE_DATE = /_(\d{4})(\d{2})(\d{2})\.vhd$/

export interface ReviewInput {
  profile: string
  format: ReportFormat
  /** Inventory rows kept (the rest are counted in rows_omitted). */
  rowLimit: number
  regions: string[]
  instanceIds: string[] | null
  now: number
  imageAgeDays: number
}

function scopeText(input: ReviewInput): string {
  const where = input.regions.join(', ')
  return input.instanceIds ? `${where} (${input.instanceIds.length} instance id${input.instanceIds.length === 1 ? '' : 's'})` : `${where} (all instances)`
}

/** Scaling-group, image and deployment-set findings need the whole region's instances first. */
function finishRegion({ ev, fleet }: RegionResult): ScalingGroupReview[] {
  const scoped = ev.settings.scope !== null
  const { imageAgeDays } = ev.settings
  const groups: ScalingGroupReview[] = []
  for (const g of ev.groups.values()) {
    if (scoped && g.scopedMembers === 0) continue
    const codes: string[] = []
    const hit = (code: Parameters<typeof ev.findings.hit>[0], label: string) => {
      ev.findings.hit(code, g.id)
      codes.push(label)
    }
    if (g.healthCheckType === 'NONE') hit('asg-no-health-check', 'no health-check replacement')
    else if (g.healthCheckType === null) hit('asg-health-check-unknown', 'health check not stated')
    if (g.min === g.max) hit('asg-fixed-size', 'min = max')
    if (g.state && g.state !== 'Active') hit('asg-inactive', `${g.state}`)
    if (ev.ok('scaling-rules') && ev.ok('scheduled-tasks') && g.rules.size === 0 && g.scheduledTasks === 0) hit('asg-no-scaling-policy', 'no rules or scheduled tasks')
    if (ev.ok('scaling-instances') && g.unhealthy > 0) hit('asg-unhealthy-instances', `${g.unhealthy} unhealthy`)
    groups.push({
      region: ev.region,
      scaling_group_id: g.id,
      name: g.name,
      lifecycle_state: g.state,
      min_size: g.min,
      max_size: g.max,
      default_cooldown: g.cooldown,
      health_check_type: g.healthCheckType,
      spot_instance_remedy: g.spotRemedy,
      rules: [...g.rules.entries()].map(([type, count]) => ({ type, count })),
      scheduled_tasks: g.scheduledTasks,
      instances: g.instances,
      unhealthy_instances: g.unhealthy,
      findings: codes,
    })
  }
  for (const [id, img] of ev.images) {
    if (scoped && !fleet.imageUse.has(id)) continue
    if (!img.family || !img.version) ev.findings.hit('image-unversioned', id)
    if (img.ageDays !== null && img.ageDays > imageAgeDays) ev.findings.hit('image-old', id)
  }
  for (const [id, set] of ev.deploymentSets) {
    if (scoped && !fleet.deploymentSetsInUse.has(id)) continue
    if (set.amount === 1) ev.findings.hit('deployment-set-single-instance', id)
  }
  return groups
}

function imageUses({ ev, fleet }: RegionResult, now: number): ImageUse[] {
  return [...fleet.imageUse.entries()].map(([id, instances]) => {
    const own = ev.images.get(id)
    if (own) return { region: ev.region, image_id: id, owner: 'self', name: own.name, image_family: own.family, image_version: own.version, created: own.created || null, age_days: own.ageDays, instances }
    const m = PUBLIC_IMAGE_DATE.exec(id)
    const released = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : NaN
    const isPublic = !id.startsWith('m-')
    return {
      region: ev.region,
      image_id: id,
      owner: isPublic ? 'public' : 'other',
      name: '',
      image_family: '',
      image_version: '',
      created: isPublic && Number.isFinite(released) ? new Date(released).toISOString().slice(0, 10) : null,
      age_days: isPublic && Number.isFinite(released) ? Math.floor((now - released) / DAY_MS) : null,
      instances,
    }
  })
}

function coverageOf({ ev }: RegionResult): RegionCoverage {
  const attempted = ev.sources.filter((s) => s.status !== 'skipped')
  const failed = attempted.filter((s) => s.status === 'failed')
  const status = failed.length === 0 ? 'reviewed' : failed.length === attempted.length ? 'unavailable' : 'partial'
  return { region: ev.region, status, sources: ev.sources }
}

function unverifiedOf(c: RegionCoverage): string[] {
  const failed = c.sources.filter((s) => s.status === 'failed')
  if (c.status === 'unavailable') {
    const codes = [...new Set(failed.map((s) => s.error?.code))].join(', ')
    return [`${c.region}: could not be queried (every list failed: ${codes}) — unverified there: the instance inventory and type review, Auto Scaling configuration, patch and image compliance, the spot assessment, Cloud Assistant job status, ECI container groups and deployment sets`]
  }
  return failed.map((s) => `${c.region}: ${CONCLUSIONS[s.source]} — unverified (${s.api} failed with ${s.error?.code}${s.note ? `; ${s.note}` : ''})`)
}

function tally(into: Record<string, number>, from: Record<string, number>) {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v
}

export function buildReview(results: RegionResult[], input: ReviewInput): Review {
  const limits: Limits = { imageAgeDays: input.imageAgeDays, expiryDays: EXPIRY_WINDOW_DAYS, recentDays: RECENT_DAYS }
  const groups = results.flatMap(finishRegion)
  const findings = sortFindings(results.flatMap((r) => r.ev.findings.list(limits)), input.regions)
  const coverageByRegion = results.map(coverageOf)
  const unverified = coverageByRegion.flatMap(unverifiedOf)
  const unavailable = coverageByRegion.filter((c) => c.status === 'unavailable')
  const coverage = unavailable.length === results.length ? 'none' : coverageByRegion.every((c) => c.status === 'reviewed') ? 'complete' : 'partial'

  // Inventory: counters summed, capped rows merged (flagged first), families by size.
  const fleets = results.map((r) => r.fleet)
  const total = fleets.reduce((n, f) => n + f.total, 0)
  const byState: Record<string, number> = {}
  const byCharge: Record<string, number> = {}
  const families = new Map<string, { workload_class: string; in_guidance: boolean; instances: number }>()
  for (const f of fleets) {
    tally(byState, f.byState)
    tally(byCharge, f.byCharge)
    for (const [family, t] of f.families) {
      const cur = families.get(family) ?? { workload_class: t.workloadClass, in_guidance: t.inGuidance, instances: 0 }
      cur.instances += t.instances
      families.set(family, cur)
    }
  }
  const rows = [...fleets.flatMap((f) => f.flaggedRows), ...fleets.flatMap((f) => f.cleanRows)].slice(0, input.rowLimit)

  const images = results.flatMap((r) => imageUses(r, input.now)).sort((a, b) => b.instances - a.instances || a.image_id.localeCompare(b.image_id))
  const count = (code: string) => findings.filter((f) => f.code === code).reduce((n, f) => n + f.count, 0)

  const spot = {
    spot_instances: fleets.reduce((n, f) => n + f.spot.total, 0),
    in_scaling_group: fleets.reduce((n, f) => n + f.spot.inGroup, 0),
    with_spot_remedy: fleets.reduce((n, f) => n + f.spot.withRemedy, 0),
    without_scaling_group: fleets.reduce((n, f) => n + f.spot.withoutGroup, 0),
    unverified: fleets.reduce((n, f) => n + f.spot.unverified, 0),
    eci_spot_container_groups: results.reduce((n, r) => n + r.ev.eci.spot, 0),
  }
  const failures = results.flatMap((r) => r.ev.invocations.failures)
  const eciByStatus: Record<string, number> = {}
  for (const r of results) tally(eciByStatus, r.ev.eci.byStatus)

  const recommendations = coverage === 'none' ? [] : recommend(findings)
  if (coverage !== 'complete') {
    const failedRegions = coverageByRegion.filter((c) => c.status !== 'reviewed')
    const codes = [...new Set(failedRegions.flatMap((c) => c.sources.filter((s) => s.status === 'failed').map((s) => s.error?.code ?? 'unknown')))]
    recommendations.push(accessRecommendation(failedRegions.map((c) => c.region), codes))
  }
  if (coverage === 'none') recommendations.push(DOCUMENTED_BASELINE)

  return {
    scope: scopeText(input),
    profile: input.profile,
    format: input.format,
    regions: input.regions,
    instance_ids: input.instanceIds,
    reviewed_at: new Date(input.now).toISOString(),
    coverage,
    verdict: verdictOf(findings, coverage, unverified, coverageByRegion),
    inventory: {
      total,
      by_state: byState,
      by_charge_type: byCharge,
      by_family: [...families.entries()].map(([family, v]) => ({ family, ...v })).sort((a, b) => b.instances - a.instances || a.family.localeCompare(b.family)),
      rows,
      rows_omitted: total - rows.length,
    },
    auto_scaling: { groups },
    images: {
      image_age_days: input.imageAgeDays,
      custom_images: results.reduce((n, r) => n + r.ev.images.size, 0),
      unversioned: count('image-unversioned'),
      older_than_limit: count('image-old'),
      in_use: images.slice(0, IMAGE_LIMIT),
      in_use_omitted: Math.max(0, images.length - IMAGE_LIMIT),
    },
    spot,
    cloud_assistant: {
      total: results.reduce((n, r) => n + r.ev.invocations.total, 0),
      recent_days: RECENT_DAYS,
      recent: results.reduce((n, r) => n + r.ev.invocations.recent, 0),
      failed: results.reduce((n, r) => n + r.ev.invocations.failed, 0),
      failures: failures.slice(0, FAILURE_LIMIT),
      failures_omitted: results.reduce((n, r) => n + r.ev.invocations.failuresOmitted, 0) + Math.max(0, failures.length - FAILURE_LIMIT),
    },
    eci: { total: results.reduce((n, r) => n + r.ev.eci.total, 0), by_status: eciByStatus },
    deployment_sets: {
      total: results.reduce((n, r) => n + r.ev.deploymentSets.size, 0),
      single_instance: results.flatMap((r) =>
        [...r.ev.deploymentSets.entries()]
          .filter(([id, s]) => s.amount === 1 && (r.ev.settings.scope === null || r.fleet.deploymentSetsInUse.has(id)))
          .map(([id, s]) => ({ region: r.ev.region, deployment_set_id: id, name: s.name, strategy: s.strategy })),
      ),
    },
    findings,
    recommendations,
    open_risks: openRisks(input, total, spot.spot_instances, unverified),
    unverified,
    coverage_by_region: coverageByRegion,
  }
}

function verdictOf(findings: Finding[], coverage: Review['coverage'], unverified: string[], regions: RegionCoverage[]): Review['verdict'] {
  const pages = regions.flatMap((r) => r.sources).reduce((n, s) => n + s.pages, 0)
  if (coverage === 'none') {
    return { status: 'ATTENTION NEEDED', biggest_risk: `No live evidence: ${unverified.join('; ')}`, evidence_level: `none — ${NO_LIVE_STATE}` }
  }
  const serious = findings.filter((f) => f.severity !== 'low')
  const status = findings.some((f) => f.severity === 'high') ? 'ACTION REQUIRED' : serious.length || coverage === 'partial' ? 'ATTENTION NEEDED' : 'HEALTHY'
  const top = serious[0]
  const biggest = top ? `${top.title} in ${top.region} (${top.evidence}, ${top.source})` : coverage === 'partial' ? unverified[0] : `none found in the live evidence${findings.length ? ` (${findings.length} low-severity note${findings.length === 1 ? '' : 's'})` : ''}`
  const reviewed = regions.filter((r) => r.status === 'reviewed').map((r) => r.region)
  const level =
    coverage === 'complete'
      ? `live evidence: ${regions.length} region${regions.length === 1 ? '' : 's'}, every list read to its last page (${pages} pages); findings marked inference are derived, not observed`
      : `partial live evidence: fully reviewed ${reviewed.length ? reviewed.join(', ') : 'no region'}; ${regions
          .filter((r) => r.status !== 'reviewed')
          .map((r) => `${r.region} ${r.status === 'unavailable' ? 'could not be queried' : 'partly read'}`)
          .join(', ')} — see Open risks for what is unverified`
  return { status, biggest_risk: biggest, evidence_level: level }
}

function openRisks(input: ReviewInput, instances: number, spotInstances: number, unverified: string[]): string[] {
  const risks = [...unverified.map((u) => `Unverified — ${u}`)]
  if (instances > 0) {
    risks.push('Last patched: in-guest patch levels are not visible to these APIs; image age is only a proxy (confirm with your patch tooling or a Cloud Assistant inventory job).')
    risks.push('Workload per instance is not in the API: whether each family (g/c/r/hfc/ebm) fits its workload is an inference to confirm with the service owners.')
  }
  if (spotInstances > 0) risks.push('Graceful shutdown on the 5-minute spot reclaim notice happens inside the guest and cannot be verified from the API.')
  if (input.instanceIds) risks.push('The review is limited to the instance ids given; other instances, scaling groups and ECI container groups in these regions were not reviewed.')
  return risks
}

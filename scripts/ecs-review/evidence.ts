// Per-region evidence, reduced page by page into compact facts. Each add* method takes one parsed
// page and keeps only what the review needs, so no API page outlives its own reduction.

import type {
  DescribeContainerGroupsPage,
  DescribeDeploymentSetsPage,
  DescribeImagesPage,
  DescribeInvocationsPage,
  DescribeScalingGroupsPage,
  DescribeScalingInstancesPage,
  DescribeScalingRulesPage,
  DescribeScheduledTasksPage,
} from './schemas.js'
import { FindingSet, RECENT_DAYS, SAMPLE_LIMIT } from './findings.js'
import type { InvocationFailure, SourceId, SourceStatus } from './model.js'

export const DAY_MS = 86_400_000

export interface ReviewSettings {
  now: number
  imageAgeDays: number
  /** Instance ids the review is limited to, or null for the whole region. */
  scope: ReadonlySet<string> | null
  /** Inventory rows kept (instances with findings first); every row when an --output file needs them. */
  rowLimit: number
}

export interface ImageFact {
  name: string
  family: string
  version: string
  created: string
  ageDays: number | null
}

export interface GroupFact {
  id: string
  name: string
  state: string
  min: number
  max: number
  cooldown: number | null
  healthCheckType: string | null
  spotRemedy: boolean | null
  rules: Map<string, number>
  scheduledTasks: number
  instances: number
  unhealthy: number
  /** Members among the instance ids in scope (only counted when the review is scoped). */
  scopedMembers: number
}

export interface DeploymentSetFact {
  name: string
  strategy: string
  amount: number
}

export const FAILED_INVOCATION = new Set(['Failed', 'PartialFailed'])
const FAILED_ON_INSTANCE = new Set(['Failed', 'Error', 'Timeout', 'Aborted', 'Invalid'])
const FAILED_CONTAINER_GROUP = new Set(['Failed', 'ScheduleFailed'])
/** Failed jobs listed per region; `failuresOmitted` counts the rest. */
export const FAILURE_LIMIT = 20

export function ageInDays(time: string, now: number): number | null {
  const t = Date.parse(time)
  return Number.isFinite(t) ? Math.floor((now - t) / DAY_MS) : null
}

export class RegionEvidence {
  readonly sources: SourceStatus[] = []
  readonly findings: FindingSet
  readonly images = new Map<string, ImageFact>()
  readonly groups = new Map<string, GroupFact>()
  /** Rule ARI → scaling group, to attach scheduled tasks that name a rule instead of a group. */
  private ruleGroups = new Map<string, string>()
  readonly membership = new Map<string, { groupId: string; healthy: boolean }>()
  readonly deploymentSets = new Map<string, DeploymentSetFact>()
  readonly eci = { total: 0, byStatus: {} as Record<string, number>, spot: 0 }
  readonly invocations = { total: 0, recent: 0, failed: 0, failures: [] as InvocationFailure[], failuresOmitted: 0 }

  constructor(
    readonly region: string,
    readonly settings: ReviewSettings,
  ) {
    this.findings = new FindingSet(region)
  }

  status(source: SourceId): SourceStatus | undefined {
    return this.sources.find((s) => s.source === source)
  }

  /** True when the source was read to its end. */
  ok(source: SourceId): boolean {
    return this.status(source)?.status === 'ok'
  }

  addImages(page: DescribeImagesPage): number {
    for (const img of page.Images.Image) {
      this.images.set(img.ImageId, {
        name: img.ImageName,
        family: img.ImageFamily,
        version: img.ImageVersion,
        created: img.CreationTime,
        ageDays: ageInDays(img.CreationTime, this.settings.now),
      })
    }
    return page.Images.Image.length
  }

  addScalingGroups(page: DescribeScalingGroupsPage): number {
    for (const g of page.ScalingGroups.ScalingGroup) {
      this.groups.set(g.ScalingGroupId, {
        id: g.ScalingGroupId,
        name: g.ScalingGroupName,
        state: g.LifecycleState,
        min: g.MinSize,
        max: g.MaxSize,
        cooldown: g.DefaultCooldown ?? null,
        healthCheckType: g.HealthCheckType ?? null,
        spotRemedy: g.SpotInstanceRemedy ?? null,
        rules: new Map(),
        scheduledTasks: 0,
        instances: 0,
        unhealthy: 0,
        scopedMembers: 0,
      })
    }
    return page.ScalingGroups.ScalingGroup.length
  }

  addScalingRules(page: DescribeScalingRulesPage): number {
    for (const r of page.ScalingRules.ScalingRule) {
      const g = this.groups.get(r.ScalingGroupId)
      if (r.ScalingRuleAri) this.ruleGroups.set(r.ScalingRuleAri, r.ScalingGroupId)
      if (!g) continue
      const type = r.ScalingRuleType || 'SimpleScalingRule'
      g.rules.set(type, (g.rules.get(type) ?? 0) + 1)
    }
    return page.ScalingRules.ScalingRule.length
  }

  addScheduledTasks(page: DescribeScheduledTasksPage): number {
    for (const t of page.ScheduledTasks.ScheduledTask) {
      const groupId = t.ScalingGroupId || (t.ScheduledAction ? this.ruleGroups.get(t.ScheduledAction) : undefined)
      const g = groupId ? this.groups.get(groupId) : undefined
      if (g && t.TaskEnabled !== false) g.scheduledTasks++
    }
    return page.ScheduledTasks.ScheduledTask.length
  }

  addScalingInstances(page: DescribeScalingInstancesPage): number {
    const scope = this.settings.scope
    for (const si of page.ScalingInstances.ScalingInstance) {
      const g = this.groups.get(si.ScalingGroupId)
      const healthy = si.HealthStatus !== 'Unhealthy'
      if (g) {
        g.instances++
        if (!healthy) g.unhealthy++
        if (scope?.has(si.InstanceId)) g.scopedMembers++
      }
      if (!scope || scope.has(si.InstanceId)) this.membership.set(si.InstanceId, { groupId: si.ScalingGroupId, healthy })
    }
    return page.ScalingInstances.ScalingInstance.length
  }

  addDeploymentSets(page: DescribeDeploymentSetsPage): number {
    for (const d of page.DeploymentSets.DeploymentSet) {
      this.deploymentSets.set(d.DeploymentSetId, {
        name: d.DeploymentSetName,
        strategy: d.Strategy,
        amount: d.InstanceAmount ?? d.InstanceIds?.InstanceId.length ?? 0,
      })
    }
    return page.DeploymentSets.DeploymentSet.length
  }

  addContainerGroups(page: DescribeContainerGroupsPage): number {
    for (const cg of page.ContainerGroups) {
      this.eci.total++
      const status = cg.Status || 'Unknown'
      this.eci.byStatus[status] = (this.eci.byStatus[status] ?? 0) + 1
      if (cg.SpotStrategy && cg.SpotStrategy !== 'NoSpot') this.eci.spot++
      if (FAILED_CONTAINER_GROUP.has(status)) this.findings.hit('eci-failed', cg.ContainerGroupId)
    }
    return page.ContainerGroups.length
  }

  addInvocations(page: DescribeInvocationsPage): number {
    const { scope, now } = this.settings
    for (const inv of page.Invocations.Invocation) {
      const targets = inv.InvokeInstances?.InvokeInstance ?? []
      if (scope && !targets.some((t) => scope.has(t.InstanceId))) continue
      this.invocations.total++
      const age = ageInDays(inv.CreationTime, now)
      if (age !== null && age < RECENT_DAYS) this.invocations.recent++
      const status = inv.InvocationStatus ?? inv.InvokeStatus ?? 'Unknown'
      if (!FAILED_INVOCATION.has(status)) continue
      this.invocations.failed++
      this.findings.hit('cloud-assistant-failed', inv.InvokeId)
      if (this.invocations.failures.length >= FAILURE_LIMIT) {
        this.invocations.failuresOmitted++
        continue
      }
      const failedTargets = targets.filter((t) => FAILED_ON_INSTANCE.has(t.InvocationStatus ?? ''))
      this.invocations.failures.push({
        region: this.region,
        invoke_id: inv.InvokeId,
        command_name: inv.CommandName,
        status,
        created: inv.CreationTime,
        failed_instances: failedTargets.length,
        error_codes: [...new Set(failedTargets.map((t) => t.ErrorCode).filter((c): c is string => Boolean(c)))].slice(0, SAMPLE_LIMIT),
      })
    }
    return page.Invocations.Invocation.length
  }
}

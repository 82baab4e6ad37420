// The findings the review can raise: severity, evidence label, the API each comes from, and a
// title. Findings are aggregated per kind and region (a count and the first few resource ids), so
// a fleet of ten thousand stopped instances is one finding, not ten thousand.

import type { EvidenceLabel, Finding, Severity } from './model.js'

export interface FindingKind {
  severity: Severity
  evidence: EvidenceLabel
  source: string
  /** Short label for the instance table's Finding column (instance-level kinds only). */
  short?: string
  title: (count: number, limits: Limits) => string
}

export interface Limits {
  imageAgeDays: number
  expiryDays: number
  recentDays: number
}

/** Subscription instances expiring within this many days are a finding (7 days is urgent). */
export const EXPIRY_WINDOW_DAYS = 30
export const URGENT_EXPIRY_DAYS = 7
/** Cloud Assistant invocations created within this many days count as recent. */
export const RECENT_DAYS = 7
/** Resource ids named per finding; the count says how many there are in all. */
export const SAMPLE_LIMIT = 10

const s = (n: number) => (n === 1 ? '' : 's')
/** The verb after a count: `1 instance runs`, `2 instances run`. */
const v = (n: number, one: string, many: string) => (n === 1 ? one : many)

export const KINDS = {
  'instance-locked': {
    severity: 'high',
    evidence: 'live evidence',
    source: 'ecs DescribeInstances (OperationLocks)',
    short: 'locked',
    title: (n) => `${n} instance${s(n)} locked by an operation lock (financial or security): expired, in arrears or suspended`,
  },
  'instance-expiring-soon': {
    severity: 'high',
    evidence: 'live evidence',
    source: 'ecs DescribeInstances (ExpiredTime)',
    short: `expires ≤ ${URGENT_EXPIRY_DAYS} d`,
    title: (n) => `${n} subscription instance${s(n)} expired or expiring within ${URGENT_EXPIRY_DAYS} days`,
  },
  'instance-expiring': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'ecs DescribeInstances (ExpiredTime)',
    short: 'expiring',
    title: (n, l) => `${n} subscription instance${s(n)} expiring within ${l.expiryDays} days`,
  },
  'instance-stopped': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'ecs DescribeInstances (Status)',
    short: 'stopped',
    title: (n) => `${n} instance${s(n)} stopped or stopping (not serving; KeepCharging instances still bill)`,
  },
  'spot-no-scaling-group': {
    severity: 'high',
    evidence: 'live evidence',
    source: 'ecs DescribeInstances (SpotStrategy) + ess DescribeScalingInstances',
    short: 'spot without ASG',
    title: (n) => `${n} spot instance${s(n)} outside any scaling group: no interruption handling evidence (reclaim gives 5 minutes' notice)`,
  },
  'spot-no-remedy': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'ess DescribeScalingGroups (SpotInstanceRemedy) + ess DescribeScalingInstances',
    short: 'spot, no spot remedy',
    title: (n) => `${n} spot instance${s(n)} in scaling groups without spot-aware replacement (SpotInstanceRemedy off)`,
  },
  'spot-handling-unverified': {
    severity: 'medium',
    evidence: 'inference',
    source: 'ecs DescribeInstances (SpotStrategy); Auto Scaling not readable',
    short: 'spot, handling unverified',
    title: (n) => `${n} spot instance${s(n)} whose interruption handling could not be checked (Auto Scaling evidence missing)`,
  },
  'instance-old-custom-image': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'ecs DescribeInstances (ImageId) + ecs DescribeImages (CreationTime)',
    short: 'old image',
    title: (n, l) => `${n} instance${s(n)} ${v(n, 'runs', 'run')} a custom image older than ${l.imageAgeDays} days`,
  },
  'instance-old-public-image': {
    severity: 'medium',
    evidence: 'inference',
    source: 'ecs DescribeInstances (ImageId; release date read from the public image id)',
    short: 'old public image',
    title: (n, l) => `${n} instance${s(n)} ${v(n, 'runs', 'run')} a public image released more than ${l.imageAgeDays} days ago`,
  },
  'instance-public-image': {
    severity: 'medium',
    evidence: 'inference',
    source: 'ecs DescribeInstances (ImageId) + ecs DescribeImages (self)',
    short: 'public image',
    title: (n) => `${n} instance${s(n)} ${v(n, 'runs', 'run')} a public (system) image rather than a versioned custom image`,
  },
  'instance-image-lineage-unknown': {
    severity: 'low',
    evidence: 'inference',
    source: 'ecs DescribeInstances (ImageId) + ecs DescribeImages (self)',
    short: 'image lineage unknown',
    title: (n) => `${n} instance${s(n)} ${v(n, 'runs', 'run')} an image that is not an available custom image of this account (shared, marketplace or no longer available)`,
  },
  'family-outside-guidance': {
    severity: 'low',
    evidence: 'inference',
    source: 'ecs DescribeInstances (InstanceTypeFamily)',
    short: 'family outside g/c/r/hfc/ebm',
    title: (n) => `${n} instance${s(n)} ${v(n, 'uses', 'use')} a family outside the g/c/r/hfc/ebm guidance (burstable, shared, GPU or storage)`,
  },
  'family-previous-generation': {
    severity: 'low',
    evidence: 'inference',
    source: 'ecs DescribeInstances (InstanceTypeFamily)',
    short: 'previous generation',
    title: (n) => `${n} instance${s(n)} ${v(n, 'uses', 'use')} a previous-generation family`,
  },
  'asg-no-health-check': {
    severity: 'high',
    evidence: 'live evidence',
    source: 'ess DescribeScalingGroups (HealthCheckType)',
    title: (n) => `${n} scaling group${s(n)} with HealthCheckType NONE: unhealthy instances are never replaced`,
  },
  'asg-health-check-unknown': {
    severity: 'low',
    evidence: 'inference',
    source: 'ess DescribeScalingGroups (HealthCheckType)',
    title: (n) => `${n} scaling group${s(n)} whose health check type the response did not state`,
  },
  'asg-fixed-size': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'ess DescribeScalingGroups (MinSize, MaxSize)',
    title: (n) => `${n} scaling group${s(n)} with MinSize = MaxSize: no elasticity`,
  },
  'asg-no-scaling-policy': {
    severity: 'low',
    evidence: 'live evidence',
    source: 'ess DescribeScalingRules + ess DescribeScheduledTasks',
    title: (n) => `${n} scaling group${s(n)} with no scaling rule and no scheduled task`,
  },
  'asg-inactive': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'ess DescribeScalingGroups (LifecycleState)',
    title: (n) => `${n} scaling group${s(n)} not Active (no scaling and no health-check replacement happens)`,
  },
  'asg-unhealthy-instances': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'ess DescribeScalingInstances (HealthStatus)',
    title: (n) => `${n} scaling group${s(n)} with instances reported Unhealthy`,
  },
  'image-unversioned': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'ecs DescribeImages (ImageFamily, ImageVersion)',
    title: (n) => `${n} custom image${s(n)} without versioning (ImageFamily or ImageVersion empty)`,
  },
  'image-old': {
    severity: 'low',
    evidence: 'live evidence',
    source: 'ecs DescribeImages (CreationTime)',
    title: (n, l) => `${n} custom image${s(n)} older than ${l.imageAgeDays} days`,
  },
  'cloud-assistant-failed': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'ecs DescribeInvocations (InvocationStatus)',
    title: (n) => `${n} Cloud Assistant job${s(n)} Failed or PartialFailed`,
  },
  'deployment-set-single-instance': {
    severity: 'low',
    evidence: 'live evidence',
    source: 'ecs DescribeDeploymentSets (InstanceAmount)',
    title: (n) => `${n} deployment set${s(n)} holding a single instance: no dispersion`,
  },
  'eci-failed': {
    severity: 'medium',
    evidence: 'live evidence',
    source: 'eci DescribeContainerGroups (Status)',
    title: (n) => `${n} ECI container group${s(n)} Failed or ScheduleFailed`,
  },
} satisfies Record<string, FindingKind>

export type FindingCode = keyof typeof KINDS
export const FINDING_ORDER = Object.keys(KINDS) as FindingCode[]
const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 }

/** Findings of one region, accumulated as evidence streams in. */
export class FindingSet {
  private hits = new Map<FindingCode, { count: number; resources: string[] }>()
  constructor(readonly region: string) {}

  hit(code: FindingCode, resource: string): void {
    let h = this.hits.get(code)
    if (!h) this.hits.set(code, (h = { count: 0, resources: [] }))
    h.count++
    if (h.resources.length < SAMPLE_LIMIT) h.resources.push(resource)
  }

  list(limits: Limits): Finding[] {
    return FINDING_ORDER.filter((code) => this.hits.has(code)).map((code) => {
      const kind: FindingKind = KINDS[code]
      const h = this.hits.get(code)!
      return { code, severity: kind.severity, evidence: kind.evidence, source: kind.source, region: this.region, title: kind.title(h.count, limits), count: h.count, resources: h.resources }
    })
  }
}

/** Severity first, then the catalogue order; regions keep the order the user gave. */
export function sortFindings(findings: Finding[], regions: readonly string[]): Finding[] {
  const order = (f: Finding) => FINDING_ORDER.indexOf(f.code as FindingCode)
  return [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || order(a) - order(b) || regions.indexOf(a.region) - regions.indexOf(b.region))
}

export function shortLabel(code: FindingCode): string {
  const kind: FindingKind = KINDS[code]
  return kind.short ?? code
}

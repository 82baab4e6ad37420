// One recommendation per finding kind: the smallest safe action, who owns it, how to check it
// worked, and how to back it out. The review itself changes nothing (D8): these are for people.

import type { FindingCode } from './findings.js'
import type { Finding, Recommendation } from './model.js'

interface Template {
  action: (ids: string, regions: string) => string
  owner: string
  validation: string
  rollback: string
}

const RERUN = 're-run `aliyun-harness ecs-review` for the same scope and confirm the finding is gone'

const TEMPLATES: Record<FindingCode, Template> = {
  'instance-locked': {
    action: (ids, r) => `Check the billing and security notices for the locked instances ${ids} (${r}) and settle arrears or renew before the instances are released`,
    owner: 'account billing owner',
    validation: `${RERUN} (no OperationLocks on these instances)`,
    rollback: 'not applicable (no configuration changes)',
  },
  'instance-expiring-soon': {
    action: (ids, r) => `Renew ${ids} (${r}) now or confirm they are meant to lapse; enable auto-renew where the service must stay up`,
    owner: 'service owner with billing rights',
    validation: `${RERUN} (ExpiredTime beyond the 30-day window)`,
    rollback: 'turn auto-renew off again; a paid renewal is not undone',
  },
  'instance-expiring': {
    action: (ids, r) => `Schedule renewal or replacement of ${ids} (${r}) before ExpiredTime`,
    owner: 'service owner with billing rights',
    validation: `${RERUN} (ExpiredTime beyond the 30-day window)`,
    rollback: 'turn auto-renew off again; a paid renewal is not undone',
  },
  'instance-stopped': {
    action: (ids, r) => `Confirm whether the stopped instances ${ids} (${r}) are still needed; keep them in StopCharging mode or retire them through change control`,
    owner: 'instance owner',
    validation: `${RERUN} (no unexplained Stopped instances)`,
    rollback: 'start the instance again (capacity is not guaranteed after StopCharging)',
  },
  'spot-no-scaling-group': {
    action: (ids, r) => `Put the spot workload on ${ids} (${r}) behind a scaling group with SpotInstanceRemedy and CompensateWithOnDemand, or move it to pay-as-you-go; until then confirm it is stateless or checkpointed and handles the 5-minute reclaim notice`,
    owner: 'workload owner',
    validation: `${RERUN} (spot instances are members of a scaling group with spot remedy)`,
    rollback: 'keep the existing instances serving until the scaling group passes health checks; scale the group back to 0 to back out',
  },
  'spot-no-remedy': {
    action: (ids, r) => `Enable SpotInstanceRemedy (and CompensateWithOnDemand) on the scaling groups of ${ids} (${r}) so reclaimed spot capacity is replaced ahead of the reclaim`,
    owner: 'scaling group owner',
    validation: `${RERUN} (ess DescribeScalingGroups shows SpotInstanceRemedy true)`,
    rollback: 'disable SpotInstanceRemedy again on the group',
  },
  'spot-handling-unverified': {
    action: (ids, r) => `Grant Auto Scaling read access (for example AliyunESSReadOnlyAccess) in ${r} and re-run to check how the spot instances ${ids} are protected`,
    owner: 'account administrator',
    validation: RERUN,
    rollback: 'revoke the read-only policy',
  },
  'instance-old-custom-image': {
    action: (ids, r) => `Build a patched image version in the same ImageFamily and roll it out in stages (one zone or group first) to ${ids} (${r}) through the launch template or scaling configuration`,
    owner: 'image pipeline owner',
    validation: 'new instances boot from the new ImageVersion and pass health checks; ecs-review shows image ages within the limit',
    rollback: 'point the launch template or scaling configuration back to the previous ImageVersion',
  },
  'instance-old-public-image': {
    action: (ids, r) => `Bake a custom image from a current public base image and move ${ids} (${r}) to it in stages`,
    owner: 'image pipeline owner',
    validation: 'new instances run the custom image and pass health checks',
    rollback: 'keep the previous instances until the new ones serve traffic',
  },
  'instance-public-image': {
    action: (ids, r) => `Create a versioned custom image (ImageFamily/ImageVersion) for the workload on ${ids} (${r}) so patching follows an image lineage`,
    owner: 'image pipeline owner',
    validation: 'ecs DescribeImages lists the new image with ImageFamily and ImageVersion set',
    rollback: 'not applicable (running instances are unchanged until a staged replacement)',
  },
  'instance-image-lineage-unknown': {
    action: (ids, r) => `Find out where the images of ${ids} (${r}) come from (shared, marketplace or deleted) and who patches them`,
    owner: 'image owner',
    validation: 'the image is a versioned custom image of this account, or its provider’s patch policy is documented',
    rollback: 'not applicable',
  },
  'family-outside-guidance': {
    action: (ids, r) => `Check the workload profile of ${ids} (${r}) against the g/c/r/hfc/ebm families; move steady workloads off burstable or shared families at the next maintenance window`,
    owner: 'capacity planner',
    validation: 'CloudMonitor CPU credit and steal metrics stay within targets after the change',
    rollback: 'change the instance type back (needs a stop and start)',
  },
  'family-previous-generation': {
    action: (ids, r) => `Plan a move of ${ids} (${r}) to a current generation of the same class when they are next changed`,
    owner: 'capacity planner',
    validation: 'a canary on the new generation meets the latency and cost targets',
    rollback: 'change the instance type back (needs a stop and start)',
  },
  'asg-no-health-check': {
    action: (ids, r) => `After confirming the instances are stateless, set HealthCheckType ECS (or LOAD_BALANCER behind a load balancer) on scaling groups ${ids} (${r})`,
    owner: 'scaling group owner',
    validation: 'ess DescribeScalingGroups shows the new health check type and a stopped test instance is replaced',
    rollback: 'set HealthCheckType back to NONE',
  },
  'asg-health-check-unknown': {
    action: (ids, r) => `Read scaling groups ${ids} (${r}) in the console or with the 2022-02-22 API (HealthCheckTypes) to confirm their health checks`,
    owner: 'scaling group owner',
    validation: 'the health check type of each group is recorded',
    rollback: 'not applicable',
  },
  'asg-fixed-size': {
    action: (ids, r) => `Decide whether scaling groups ${ids} (${r}) should be elastic; if so raise MaxSize and add a target-tracking rule, otherwise document the fixed size`,
    owner: 'scaling group owner',
    validation: 'the group scales out and back in during a load test',
    rollback: 'restore MaxSize to MinSize',
  },
  'asg-no-scaling-policy': {
    action: (ids, r) => `Add a target-tracking rule or scheduled task to scaling groups ${ids} (${r}), or document why they are static`,
    owner: 'scaling group owner',
    validation: 'ess DescribeScalingRules lists the rule and a scaling activity follows a test trigger',
    rollback: 'remove the rule or task',
  },
  'asg-inactive': {
    action: (ids, r) => `Confirm whether scaling groups ${ids} (${r}) are still needed; enable them, or retire them through change control`,
    owner: 'scaling group owner',
    validation: `${RERUN} (LifecycleState Active, or the group is gone)`,
    rollback: 'disable the group again',
  },
  'asg-unhealthy-instances': {
    action: (ids, r) => `Investigate the Unhealthy members of scaling groups ${ids} (${r}) before they are replaced (ess DescribeScalingInstances --health-status Unhealthy)`,
    owner: 'scaling group owner',
    validation: 'every member reports Healthy',
    rollback: 'not applicable',
  },
  'image-unversioned': {
    action: (ids, r) => `Set ImageFamily and ImageVersion on custom images ${ids} (${r}) and on every new build, so launch templates follow a family`,
    owner: 'image pipeline owner',
    validation: 'ecs DescribeImages shows both fields on every custom image',
    rollback: 'the attributes can be changed back',
  },
  'image-old': {
    action: (ids, r) => `Rebuild or retire custom images older than the limit (${ids}, ${r}); keep the last known-good version for rollback`,
    owner: 'image pipeline owner',
    validation: `${RERUN} (image ages within the limit)`,
    rollback: 'keep the previous image version until its replacement is proven',
  },
  'cloud-assistant-failed': {
    action: (ids, r) => `Read the per-instance results of failed Cloud Assistant jobs ${ids} (${r}) (ecs DescribeInvocationResults) and fix or re-run them through change control`,
    owner: 'O&M owner',
    validation: 'the next run of each job reports Success on every instance',
    rollback: 'per job: the job’s own undo step',
  },
  'deployment-set-single-instance': {
    action: (ids, r) => `Add the service’s other instances to deployment sets ${ids} (${r}) so the strategy actually disperses them, or drop the set`,
    owner: 'service owner',
    validation: 'ecs DescribeDeploymentSets shows InstanceAmount ≥ 2 across zones or hosts',
    rollback: 'move the instances out of the set',
  },
  'eci-failed': {
    action: (ids, r) => `Inspect the events of failed ECI container groups ${ids} (${r}) (eci DescribeContainerGroups --with-event true) and fix image, quota or scheduling errors`,
    owner: 'container workload owner',
    validation: 'the replacement container groups reach Running or Succeeded',
    rollback: 'not applicable',
  },
}

function idList(findings: Finding[]): string {
  const ids = findings.flatMap((f) => f.resources)
  const total = findings.reduce((n, f) => n + f.count, 0)
  const shown = ids.slice(0, 5)
  return `${shown.join(', ')}${total > shown.length ? ` and ${total - shown.length} more` : ''}`
}

/** Findings are sorted already; one recommendation per kind, in that order. */
export function recommend(findings: Finding[]): Recommendation[] {
  const byCode = new Map<string, Finding[]>()
  for (const f of findings) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f])
  return [...byCode.entries()].map(([code, list]) => {
    const t = TEMPLATES[code as FindingCode]
    return {
      finding: code,
      action: t.action(idList(list), [...new Set(list.map((f) => f.region))].join(', ')),
      owner: t.owner,
      validation: t.validation,
      rollback: t.rollback,
      evidence: list[0].evidence,
    }
  })
}

/** When some evidence could not be read: the grant that would let the review see it. */
export function accessRecommendation(regions: string[], codes: string[]): Recommendation {
  return {
    finding: 'unverified-evidence',
    action: `Grant read-only access (AliyunECSReadOnlyAccess, AliyunESSReadOnlyAccess, AliyunECIReadOnlyAccess) for ${regions.join(', ')} (errors: ${codes.join(', ')}) and re-run the review`,
    owner: 'account administrator',
    validation: 're-run `aliyun-harness ecs-review`: every region shows as reviewed',
    rollback: 'revoke the read-only policies',
    evidence: 'live evidence',
  }
}

/** With no live evidence at all, the documented baseline the skill holds fleets to. */
export const DOCUMENTED_BASELINE: Recommendation = {
  finding: 'no-live-evidence',
  action: 'Until live state is readable, hold the fleet to the documented baseline: ECS or load-balancer health checks on stateless scaling groups, spot capacity only behind scaling groups with spot remedy, custom images versioned with ImageFamily/ImageVersion and rolled out in stages',
  owner: 'platform owner',
  validation: 're-run `aliyun-harness ecs-review` once access is granted',
  rollback: 'not applicable',
  evidence: 'documentation-based',
}

// Evidence collection for one region: every page of every list, read-only, in a fixed order
// (custom images and Auto Scaling first, instances last, so each instance is assessed against
// them as its page arrives). A list that cannot be read is recorded with the CLI's error and the
// rest of the region is still read; only errors that would fail every call end the review.

import { CliError } from '../../lib/errors.js'
import { paginate, type PagedCall } from '../../lib/paginate.js'
import type { SkillContext } from '../../lib/skill.js'
import {
  DescribeContainerGroupsPage,
  DescribeDeploymentSetsPage,
  DescribeImagesPage,
  DescribeInstancesPage,
  DescribeInvocationsPage,
  DescribeScalingGroupsPage,
  DescribeScalingInstancesPage,
  DescribeScalingRulesPage,
  DescribeScheduledTasksPage,
} from './schemas.js'
import { RegionEvidence, type ReviewSettings } from './evidence.js'
import { RegionFleet } from './instances.js'
import type { SourceId, SourceStatus } from './model.js'

/**
 * Failures that no other call of the run could escape (credentials, no CLI, a command line the
 * installed CLI rejects — every region would fail the same way): the review stops.
 */
const FATAL_KINDS = new Set(['configuration', 'not-found', 'replay', 'usage'])
/** DescribeInstances takes at most 100 ids per call. */
export const IDS_PER_CALL = 100

export interface RegionResult {
  ev: RegionEvidence
  fleet: RegionFleet
}

type Reducer<T> = (page: T) => number

async function readSource<T>(cli: SkillContext['cli'], ev: RegionEvidence, source: SourceId, apiName: string, calls: PagedCall<T>[], reduce: Reducer<T>): Promise<boolean> {
  const status: SourceStatus = { source, api: apiName, status: 'ok', pages: 0, items: 0 }
  ev.sources.push(status)
  try {
    for (const call of calls) {
      for await (const page of paginate(cli, call)) {
        status.pages++
        status.items += reduce(page.data)
      }
    }
    return true
  } catch (e) {
    if (!(e instanceof CliError) || FATAL_KINDS.has(e.kind)) throw e
    status.status = 'failed'
    status.error = { code: e.code, message: e.message.split('\n')[0], ...(e.requestId ? { request_id: e.requestId } : {}) }
    if (status.pages) status.note = `stopped after ${status.pages} page(s): the list is incomplete`
    return false
  }
}

function skip(ev: RegionEvidence, source: SourceId, apiName: string, note: string) {
  ev.sources.push({ source, api: apiName, status: 'skipped', pages: 0, items: 0, note })
}

/** Every list the review reads in one region, built once for the run and for doctor's templates. */
export function reviewCalls(ctx: Pick<SkillContext, 'region'>, region: string, instanceIds: readonly string[] | null) {
  const call = <T>(product: string, action: string, schema: PagedCall<T>['schema'], paging: PagedCall<T>['paging'], flags: PagedCall<T>['flags'] = {}): PagedCall<T> => ({
    product,
    action,
    flags: { ...ctx.region(product, region), ...flags },
    schema,
    paging,
    label: `${region}: ${product} ${action}`,
  })
  const pages = <T>(pageSize: number, count: (p: T) => number) => ({ style: 'page-number' as const, pageSize, count, total: (p: T) => (p as { TotalCount?: number }).TotalCount })
  const instancePaging = { style: 'next-token' as const, pageSize: 100, nextToken: (p: DescribeInstancesPage) => p.NextToken }
  return {
    images: call('ecs', 'describe-images', DescribeImagesPage, pages(100, (p) => p.Images.Image.length), { 'image-owner-alias': 'self' }),
    scalingGroups: call('ess', 'describe-scaling-groups', DescribeScalingGroupsPage, pages(50, (p) => p.ScalingGroups.ScalingGroup.length)),
    scalingRules: call('ess', 'describe-scaling-rules', DescribeScalingRulesPage, pages(50, (p) => p.ScalingRules.ScalingRule.length)),
    scheduledTasks: call('ess', 'describe-scheduled-tasks', DescribeScheduledTasksPage, pages(50, (p) => p.ScheduledTasks.ScheduledTask.length)),
    scalingInstances: call('ess', 'describe-scaling-instances', DescribeScalingInstancesPage, pages(50, (p) => p.ScalingInstances.ScalingInstance.length)),
    deploymentSets: call('ecs', 'describe-deployment-sets', DescribeDeploymentSetsPage, pages(50, (p) => p.DeploymentSets.DeploymentSet.length)),
    containerGroups: call('eci', 'describe-container-groups', DescribeContainerGroupsPage, { style: 'next-token', pageSize: 20, sizeFlag: 'limit', nextToken: (p) => p.NextToken }),
    invocations: call('ecs', 'describe-invocations', DescribeInvocationsPage, { style: 'next-token', pageSize: 50, nextToken: (p) => p.NextToken }),
    instances: instanceIds
      ? chunk(instanceIds, IDS_PER_CALL).map((ids) => call('ecs', 'describe-instances', DescribeInstancesPage, instancePaging, { 'instance-ids': JSON.stringify(ids) }))
      : [call('ecs', 'describe-instances', DescribeInstancesPage, instancePaging)],
  }
}

export async function collectRegion(ctx: SkillContext, region: string, settings: ReviewSettings, instanceIds: readonly string[] | null): Promise<RegionResult> {
  const ev = new RegionEvidence(region, settings)
  const fleet = new RegionFleet(ev)
  const cli = ctx.cli
  const calls = reviewCalls(ctx, region, instanceIds)

  await readSource(cli, ev, 'images', 'ecs DescribeImages', [calls.images], (p) => ev.addImages(p))

  const groupsRead = await readSource(cli, ev, 'scaling-groups', 'ess DescribeScalingGroups', [calls.scalingGroups], (p) => ev.addScalingGroups(p))
  const essFollowUps: [SourceId, string][] = [
    ['scaling-rules', 'ess DescribeScalingRules'],
    ['scheduled-tasks', 'ess DescribeScheduledTasks'],
    ['scaling-instances', 'ess DescribeScalingInstances'],
  ]
  if (groupsRead && ev.groups.size > 0) {
    await readSource(cli, ev, 'scaling-rules', 'ess DescribeScalingRules', [calls.scalingRules], (p) => ev.addScalingRules(p))
    await readSource(cli, ev, 'scheduled-tasks', 'ess DescribeScheduledTasks', [calls.scheduledTasks], (p) => ev.addScheduledTasks(p))
    await readSource(cli, ev, 'scaling-instances', 'ess DescribeScalingInstances', [calls.scalingInstances], (p) => ev.addScalingInstances(p))
  } else {
    const why = groupsRead ? 'no scaling groups in the region' : 'the scaling-group list could not be read'
    for (const [source, apiName] of essFollowUps) skip(ev, source, apiName, why)
  }

  await readSource(cli, ev, 'deployment-sets', 'ecs DescribeDeploymentSets', [calls.deploymentSets], (p) => ev.addDeploymentSets(p))

  if (instanceIds) skip(ev, 'container-groups', 'eci DescribeContainerGroups', 'the review is limited to ECS instance ids')
  else await readSource(cli, ev, 'container-groups', 'eci DescribeContainerGroups', [calls.containerGroups], (p) => ev.addContainerGroups(p))

  await readSource(cli, ev, 'invocations', 'ecs DescribeInvocations', [calls.invocations], (p) => ev.addInvocations(p))

  await readSource(cli, ev, 'instances', 'ecs DescribeInstances', calls.instances, (p) => fleet.addPage(p))

  return { ev, fleet }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

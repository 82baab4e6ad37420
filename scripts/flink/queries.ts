// The five query sub-commands. `data` is the API body as the original returned it; lists that
// page (instances, namespaces, tags) are read to the end and returned as one body.

import { ListTagResourcesBody, DescribeSupportedRegionsBody, DescribeSupportedZonesBody, type ListTagResourcesBody as TagsBody } from './schemas.js'
import type { SkillContext } from '../../lib/skill.js'
import { pages as readPages } from '../../lib/paginate.js'
import { foasArgv, REGIONS_CLIENT_REGION, type Regional } from './flags.js'
import { allInstances, allNamespaces } from './read.js'
import { done, type Reply } from './reply.js'

const MAX_TAG_PAGES = 1_000

function pagesNote(pages: number): Record<string, unknown> | undefined {
  return pages > 1 ? { pages_read: pages } : undefined
}

// The query commands, built once for the steps and for doctor's templates.
export const supportedRegionsArgv = (at: Regional) => foasArgv(at, 'DescribeSupportedRegions', REGIONS_CLIENT_REGION, {})
export const supportedZonesArgv = (at: Regional, region: string) => foasArgv(at, 'DescribeSupportedZones', region, { Region: region })
export const listTagsArgv = (at: Regional, region: string, resourceType: string, resourceIds: string[], token?: string) =>
  foasArgv(at, 'ListTagResources', region, { RegionId: region, ResourceType: resourceType, ResourceId: resourceIds.length ? resourceIds : undefined, NextToken: token })

export async function describeRegions(ctx: SkillContext) {
  const body = await ctx.cli.json({
    argv: supportedRegionsArgv(ctx),
    schema: DescribeSupportedRegionsBody,
    label: 'describe supported regions',
  })
  return done({ data: body, request_id: body.RequestId ?? '' })
}

export async function describeZones(ctx: SkillContext, region: string) {
  const body = await ctx.cli.json({
    argv: supportedZonesArgv(ctx, region),
    schema: DescribeSupportedZonesBody,
    label: 'describe supported zones',
  })
  return done({ data: body, request_id: body.RequestId ?? '' })
}

export async function describe(ctx: SkillContext, region: string) {
  const { body, pages } = await allInstances(ctx, region)
  return done({ data: body, request_id: body.RequestId ?? '', extra: pagesNote(pages) })
}

export async function describeNamespaces(ctx: SkillContext, region: string, instanceId: string) {
  const { body, pages } = await allNamespaces(ctx, region, instanceId)
  return done({ data: body, request_id: body.RequestId ?? '', extra: pagesNote(pages) })
}

/** ListTagResources pages with NextToken; all TagResources are returned as one body. */
export async function listTags(ctx: SkillContext, region: string, resourceType: string, resourceIds: string[]) {
  let first: TagsBody | undefined
  const tags: TagsBody['TagResources'] = []
  let pages = 0
  const list = readPages(ctx.cli, {
    argv: ({ token }) => listTagsArgv(ctx, region, resourceType, resourceIds, token),
    schema: ListTagResourcesBody,
    label: 'list tag resources',
    count: (b) => b.TagResources.length,
    nextToken: (b) => b.NextToken,
    maxPages: MAX_TAG_PAGES,
  })
  for await (const { data, number } of list) {
    first ??= data
    tags.push(...data.TagResources)
    pages = number
  }
  const data = pages > 1 ? { ...first!, TagResources: tags, NextToken: '' } : first!
  const reply: Reply = { data, request_id: first!.RequestId ?? '', extra: pagesNote(pages) }
  return done(reply)
}

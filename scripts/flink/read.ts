// Reading instances and namespaces. The original read only the first page of DescribeInstances and
// DescribeNamespaces (catalogue §1.g-10), so a duplicate name or an instance on page 2 was missed;
// here every lookup reads PageIndex 1…TotalPage (PageSize 100, the API's maximum).

import type { ZodType } from 'zod'
import { pages as readPages } from '../../lib/paginate.js'
import type { Runner } from '../../lib/runner.js'
import type { SkillContext } from '../../lib/skill.js'
import {
  DescribeInstancesBody,
  DescribeNamespacesBody,
  type FlinkInstance,
  type FlinkNamespace,
} from './schemas.js'
import { foasArgv, type Regional } from './flags.js'

export const PAGE_SIZE = 100
const MAX_PAGES = 1_000

interface PagingFields {
  PageIndex?: number
  TotalPage?: number
  TotalCount?: number
}

/** Pages of one list, in order (lib/paginate); the caller may stop early (e.g. once a name is found). */
async function* pages<B extends PagingFields, T>(
  cli: Runner,
  opts: { argv: (index: number) => string[]; schema: ZodType<B>; items: (body: B) => T[]; label: string },
): AsyncGenerator<{ body: B; items: T[]; index: number }> {
  const list = readPages(cli, {
    argv: ({ number }) => opts.argv(number),
    schema: opts.schema,
    label: opts.label,
    count: (b) => opts.items(b).length,
    // TotalPage when the API gives it, else TotalCount, else a short page ends the list.
    totalPages: (b) => b.TotalPage,
    total: (b) => b.TotalCount,
    pageSize: PAGE_SIZE,
    maxPages: MAX_PAGES,
  })
  for await (const { data, number } of list) yield { body: data, items: opts.items(data), index: number }
}

/** DescribeInstances page `index`, optionally filtered by InstanceId. */
export function describeInstancesArgv(at: Regional, region: string, index: number, instanceId?: string): string[] {
  return foasArgv(at, 'DescribeInstances', region, { Region: region, InstanceId: instanceId, PageIndex: index, PageSize: PAGE_SIZE })
}

export function describeNamespacesArgv(at: Regional, region: string, instanceId: string, index: number, namespace?: string): string[] {
  return foasArgv(at, 'DescribeNamespaces', region, { Region: region, InstanceId: instanceId, Namespace: namespace, PageIndex: index, PageSize: PAGE_SIZE })
}

function instancePages(ctx: SkillContext, region: string, instanceId?: string) {
  return pages(ctx.cli, {
    argv: (i) => describeInstancesArgv(ctx, region, i, instanceId),
    schema: DescribeInstancesBody,
    items: (b) => b.Instances,
    label: instanceId ? `describe instance ${instanceId}` : 'describe instances',
  })
}

/** The first instance (over all pages) that matches. */
export async function findInstance(ctx: SkillContext, region: string, match: (i: FlinkInstance) => boolean, instanceId?: string): Promise<FlinkInstance | undefined> {
  for await (const page of instancePages(ctx, region, instanceId)) {
    const hit = page.items.find(match)
    if (hit) return hit
  }
  return undefined
}

/** Every instance, as one body: the first page's fields with `Instances` holding all pages. */
export async function allInstances(ctx: SkillContext, region: string): Promise<{ body: DescribeInstancesBody; pages: number }> {
  let first: DescribeInstancesBody | undefined
  const all: FlinkInstance[] = []
  let count = 0
  for await (const page of instancePages(ctx, region)) {
    first ??= page.body
    all.push(...page.items)
    count = page.index
  }
  return { body: { ...first!, Instances: all }, pages: count }
}

/** Every namespace of an instance, as one body (see allInstances). */
export async function allNamespaces(ctx: SkillContext, region: string, instanceId: string): Promise<{ body: DescribeNamespacesBody; pages: number }> {
  let first: DescribeNamespacesBody | undefined
  const all: FlinkNamespace[] = []
  let count = 0
  for await (const page of pages(ctx.cli, {
    argv: (i) => describeNamespacesArgv(ctx, region, instanceId, i),
    schema: DescribeNamespacesBody,
    items: (b) => b.Namespaces,
    label: `describe namespaces of ${instanceId}`,
  })) {
    first ??= page.body
    all.push(...page.items)
    count = page.index
  }
  return { body: { ...first!, Namespaces: all }, pages: count }
}

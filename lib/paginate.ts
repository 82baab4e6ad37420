// A generic pager over `cli.json` for the two list styles Alibaba Cloud APIs use:
// PageNumber/PageSize (stop once TotalCount items were seen, or on a short or empty page) and
// NextToken/MaxResults (stop when the token comes back empty). Pages are yielded one at a time and
// never collected, so a caller that reduces each page as it arrives holds one page in memory,
// whatever the size of the list.

import type { ZodType } from 'zod'
import { api, type Flags } from './command.js'
import { CliError } from './errors.js'
import type { RetryChoice, Runner } from './runner.js'
import { SAMPLE, type CommandTemplate } from './templates.js'

export interface PageNumberPaging<T> {
  style: 'page-number'
  pageSize: number
  /** Items on one page (an empty or short page ends the list when TotalCount is absent). */
  count: (page: T) => number
  total: (page: T) => number | undefined
  /** Plugin flag names; the API wire names are PageSize and PageNumber. */
  sizeFlag?: string
  numberFlag?: string
}

export interface NextTokenPaging<T> {
  style: 'next-token'
  pageSize: number
  nextToken: (page: T) => string | null | undefined
  /** `max-results` for most RPC APIs; ECI calls it `limit`. */
  sizeFlag?: string
  tokenFlag?: string
}

export type Paging<T> = PageNumberPaging<T> | NextTokenPaging<T>

export interface PagedCall<T> {
  product: string
  action: string
  /** The call's own flags; the pager adds the paging flags after them. */
  flags?: Flags
  schema: ZodType<T>
  /** Progress label; the page number is appended. */
  label?: string
  retry?: RetryChoice
  paging: Paging<T>
  /** Safety stop for an API whose pages never end. */
  maxPages?: number
}

export interface Page<T> {
  data: T
  /** 1-based page index. */
  number: number
}

export const DEFAULT_MAX_PAGES = 10_000

type JsonRunner = Pick<Runner, 'json'>

/** Which page to fetch: its 1-based number, and for NextToken lists the token from the page before. */
export interface PageRequest {
  number: number
  token?: string
}

/**
 * One list read page by page with the caller's own argv (a skill whose first page must be the
 * seed's command exactly, or whose paging parameters are spelled its own way). The list ends:
 * with NextToken lists when the token comes back empty; otherwise on an empty page, at
 * `totalPages`, once `total` items were seen, or on a page shorter than `pageSize`.
 */
export interface PageLoop<T> {
  argv: (req: PageRequest) => string[]
  schema: ZodType<T>
  label: string
  retry?: RetryChoice
  count: (page: T) => number
  total?: (page: T) => number | undefined
  totalPages?: (page: T) => number | undefined
  nextToken?: (page: T) => string | null | undefined
  pageSize?: number
  maxPages?: number
}

/** Every page of a list, in order. A failing page throws the runner's error after the pages before it were yielded. */
export async function* pages<T>(cli: JsonRunner, loop: PageLoop<T>): AsyncGenerator<Page<T>, number, undefined> {
  const maxPages = loop.maxPages ?? DEFAULT_MAX_PAGES
  let seen = 0
  let token: string | undefined
  for (let number = 1; ; number++) {
    if (number > maxPages) throw new CliError('output', 'PaginationLimit', `${loop.label}: more than ${maxPages} pages; stopped reading the list.`)
    const label = number === 1 ? loop.label : `${loop.label} (page ${number})`
    const data = await cli.json({ argv: loop.argv({ number, token }), schema: loop.schema, label, ...(loop.retry !== undefined ? { retry: loop.retry } : {}) })
    yield { data, number }
    if (loop.nextToken) {
      const next = loop.nextToken(data) || undefined
      if (!next) return number
      // A token that repeats would page forever; only the previous one is kept, so memory stays flat.
      if (next === token) throw new CliError('output', 'PaginationLoop', `${loop.label}: page ${number} returned the same NextToken as the page before it; the list cannot be read to its end.`)
      token = next
      continue
    }
    const count = loop.count(data)
    seen += count
    const totalPages = loop.totalPages?.(data)
    const total = loop.total?.(data)
    const done =
      count === 0 ||
      (totalPages !== undefined ? number >= totalPages : total !== undefined ? seen >= total : loop.pageSize !== undefined ? count < loop.pageSize : true)
    if (done) return number
  }
}

/** The argv of one page of a plugin-mode list: the paging flags come after the call's own flags. */
export function pageArgv<T>(call: PagedCall<T>, req: PageRequest): string[] {
  const p = call.paging
  return api(
    call.product,
    call.action,
    p.style === 'page-number'
      ? { ...call.flags, [p.sizeFlag ?? 'page-size']: p.pageSize, [p.numberFlag ?? 'page-number']: req.number }
      : { ...call.flags, [p.sizeFlag ?? 'max-results']: p.pageSize, ...(req.token ? { [p.tokenFlag ?? 'next-token']: req.token } : {}) },
  )
}

/**
 * The command templates of a list (doctor): its first page, and for NextToken lists a later page,
 * which is the only one that carries the token flag.
 */
export function pagedTemplates<T>(call: PagedCall<T>, t: { name?: string; why: string }): CommandTemplate[] {
  const name = t.name ?? `${call.product} ${call.action}`
  const first: CommandTemplate = { name, argv: pageArgv(call, { number: 1 }), why: t.why }
  if (call.paging.style === 'page-number') return [first]
  return [first, { name: `${name} (next page)`, argv: pageArgv(call, { number: 2, token: SAMPLE.nextToken }), why: `${t.why}: every page after the first` }]
}

/** Every page of a plugin-mode list, with the paging flags added after the call's own flags. */
export function paginate<T>(cli: JsonRunner, call: PagedCall<T>): AsyncGenerator<Page<T>, number, undefined> {
  const p = call.paging
  const argv = (req: PageRequest) => pageArgv(call, req)
  const common = { argv, schema: call.schema, label: call.label ?? `${call.product} ${call.action}`, retry: call.retry, maxPages: call.maxPages, pageSize: p.pageSize }
  return p.style === 'page-number'
    ? pages(cli, { ...common, count: p.count, total: p.total })
    : pages(cli, { ...common, count: () => 1, nextToken: p.nextToken })
}

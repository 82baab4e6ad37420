// A generic pager over `cli.json` for the two list styles Alibaba Cloud APIs use:
// PageNumber/PageSize (stop once TotalCount items were seen, or on a short or empty page) and
// NextToken/MaxResults (stop when the token comes back empty). Pages are yielded one at a time and
// never collected, so a caller that reduces each page as it arrives holds one page in memory,
// whatever the size of the list.

import type { ZodType } from 'zod'
import { api, type Flags } from './command.js'
import { CliError } from './errors.js'
import type { RetryPolicy, Runner } from './runner.js'

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
  retry?: RetryPolicy
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

/** Every page of a list, in order. A failing page throws the runner's error after the pages before it were yielded. */
export async function* paginate<T>(cli: JsonRunner, call: PagedCall<T>): AsyncGenerator<Page<T>, number, undefined> {
  const maxPages = call.maxPages ?? DEFAULT_MAX_PAGES
  const name = call.label ?? `${call.product} ${call.action}`
  const fetch = (number: number, paging: Flags) =>
    cli.json({ argv: api(call.product, call.action, { ...call.flags, ...paging }), schema: call.schema, label: `${name} (page ${number})`, retry: call.retry })

  const p = call.paging
  if (p.style === 'page-number') {
    let seen = 0
    for (let number = 1; ; number++) {
      guard(name, number, maxPages)
      const data = await fetch(number, { [p.sizeFlag ?? 'page-size']: p.pageSize, [p.numberFlag ?? 'page-number']: number })
      yield { data, number }
      const count = p.count(data)
      seen += count
      const total = p.total(data)
      const done = count === 0 || (total !== undefined ? seen >= total : count < p.pageSize)
      if (done) return number
    }
  }

  let token: string | undefined
  for (let number = 1; ; number++) {
    guard(name, number, maxPages)
    const data = await fetch(number, { [p.sizeFlag ?? 'max-results']: p.pageSize, ...(token ? { [p.tokenFlag ?? 'next-token']: token } : {}) })
    yield { data, number }
    const next = p.nextToken(data) || undefined
    if (!next) return number
    // A token that repeats would page forever; only the previous one is kept, so memory stays flat.
    if (next === token) throw new CliError('output', 'PaginationLoop', `${name}: page ${number} returned the same NextToken as the page before it; the list cannot be read to its end.`)
    token = next
  }
}

function guard(name: string, number: number, maxPages: number) {
  if (number > maxPages) throw new CliError('output', 'PaginationLimit', `${name}: more than ${maxPages} pages; stopped reading the list.`)
}

// What every eas-deploy step shares: reading a paged list to its end, and the notices the user is
// told about (stderr now, `data.notices` at the end). The seed's "timeout? retry with
// --read-timeout 60" is the skill's policy data (retries.default), applied by the runner.

import type { ZodType } from 'zod'
import { CliError } from '../../lib/errors.js'
import { pages } from '../../lib/paginate.js'
import type { SkillContext } from '../../lib/skill.js'

export class Notices {
  readonly list: string[] = []
  constructor(private ctx: SkillContext) {}
  /** Tell the user now (stderr) and keep it for the result. */
  add(text: string): void {
    this.list.push(text)
    this.ctx.note(text)
  }
}

export function firstLine(err: CliError): string {
  return `${err.code}: ${err.message.split('\n')[0]}`
}

const MAX_PAGES = 50

/** A page after the first of a seed command: `--page-number N --page-size <PageSize of page 1>` added. */
export const laterPageArgv = (first: readonly string[], number: number, size: number) => [...first, '--page-number', String(number), '--page-size', String(size)]

/**
 * A PageNumber/PageSize list read to its end. Page 1 is the seed's command as written; later pages
 * (only when TotalCount says there are more) add `--page-number N --page-size <PageSize of page 1>`.
 */
export async function listAll<B extends { TotalCount?: number; PageSize?: number }, T>(
  ctx: SkillContext,
  call: { argv: string[]; schema: ZodType<B>; label: string; items: (body: B) => T[] },
): Promise<T[]> {
  const items: T[] = []
  let size = 0
  const list = pages(ctx.cli, {
    argv: ({ number }) => (number === 1 ? call.argv : laterPageArgv(call.argv, number, size)),
    schema: call.schema,
    label: call.label,
    count: (b) => call.items(b).length,
    total: (b) => b.TotalCount,
    maxPages: MAX_PAGES,
  })
  for await (const { data, number } of list) {
    const more = call.items(data)
    // Later pages ask for the page size the service used for page 1.
    if (number === 1) size = data.PageSize ?? more.length
    items.push(...more)
    if (size === 0) break
  }
  return items
}

// ecs-review: a read-only review of an ECS compute fleet (seed 001, alibaba-ecs-compute-operator).
// The original skill is advice with no commands; this collects the live evidence it asks for —
// every page of instances, custom images, Auto Scaling groups, rules, scheduled tasks and members,
// deployment sets, ECI container groups and Cloud Assistant jobs — region by region in parallel,
// and writes the report in the skill's output contract. Nothing is ever changed (D8).

import { isPermissionCode } from '../lib/cli-output.js'
import { CliError, HarnessError, TimedOutError, UsageError } from '../lib/errors.js'
import { checkOutputPath, writeOutputFile } from '../lib/output-file.js'
import { pagedTemplates } from '../lib/paginate.js'
import type { Result } from '../lib/result.js'
import { autorun, defineSkill } from '../lib/skill.js'
import { SAMPLE } from '../lib/templates.js'
import { mapBounded } from './ecs-review/bounded.js'
import { inventoryCsv } from './ecs-review/csv.js'
import { ROW_LIMIT } from './ecs-review/instances.js'
import type { ReportFormat, Review } from './ecs-review/model.js'
import { renderBlocks, reportBlocks, toMarkdown } from './ecs-review/report.js'
import { buildReview, NO_LIVE_STATE } from './ecs-review/review.js'

export const MAX_CONCURRENCY = 16
export const MAX_IMAGE_AGE_DAYS = 3650

interface Settings {
  regions: string[]
  instanceIds: string[] | null
  concurrency: number
  imageAgeDays: number
  format: ReportFormat
  output?: string
}

/** The report format a file name says (.md, .json, .csv), if any. */
function formatOfFile(output: string | undefined): ReportFormat | undefined {
  const ext = output?.toLowerCase().match(/\.(md|markdown|json|csv)$/)?.[1]
  return ext === 'markdown' ? 'md' : (ext as ReportFormat | undefined)
}

/**
 * --format as given, else the --output file's extension, else markdown. A --format that the file
 * name contradicts (`--format csv --output x.md`) is refused: one of the two is a mistake.
 */
function formatOf(format: string | undefined, output: string | undefined): ReportFormat {
  const named = formatOfFile(output)
  if (format === 'md' || format === 'json' || format === 'csv') {
    if (named && named !== format) throw new UsageError(`--format ${format} does not match --output ${output}, whose name says ${named}; change one of them (--output ${output!.replace(/\.[^./]+$/, `.${format}`)}, or leave --format out).`, 'InvalidParameter')
    return format
  }
  return named ?? 'md'
}

/** The review as the result and the terminal show it: at most ROW_LIMIT inventory rows. */
function capped(review: Review): Review {
  if (review.inventory.rows.length <= ROW_LIMIT) return review
  const rows = review.inventory.rows.slice(0, ROW_LIMIT)
  return { ...review, inventory: { ...review.inventory, rows, rows_omitted: review.inventory.total - rows.length } }
}

function fileText(review: Review, format: ReportFormat): string {
  if (format === 'json') return JSON.stringify(review, null, 2) + '\n'
  if (format === 'csv') return inventoryCsv(review.inventory.rows)
  return toMarkdown(reportBlocks(capped(review)))
}

const skill = defineSkill({
  name: 'ecs-review',
  summary: 'Read-only ECS compute fleet review: instances, images, Auto Scaling, spot, ECI, Cloud Assistant, deployment sets.',
  usage: 'aliyun-harness ecs-review --region <r> [--region <r2> …] [--instance-ids i-…,i-…] [--output <file>] [--format md|json|csv] [--concurrency N] [--image-age-days N]',
  options: {
    region: { type: 'strings', required: true, description: 'Region to review; repeat the flag (or separate with commas) for several. A region that cannot be read is reported as unverified and the review still completes (exit 0); if no region can be read it fails (exit 1).', pattern: /^[a-z]+-[a-z0-9-]+$/, hint: 'a region id such as cn-hangzhou', valueName: 'region' },
    'instance-ids': { type: 'strings', description: 'Limit the review to these ECS instances (comma-separated).', pattern: /^i-[0-9a-z]+$/, hint: 'an ECS instance id such as i-bp1a2b3c4d5e6f7g8h9i', valueName: 'i-…,i-…' },
    format: {
      type: 'string',
      choices: ['md', 'json', 'csv'],
      description: 'Report format: md (the report), json (the review data) or csv (one row per instance, for a spreadsheet; --output only). Default: from the --output file name (.json, .csv), else md.',
    },
    output: { type: 'string', maxLength: 4096, description: 'Also write the report to this file. JSON and CSV files list every instance; the terminal and the result show the first 200.', valueName: 'file' },
    concurrency: { type: 'string', default: '4', pattern: /^[1-9]\d*$/, hint: `a whole number from 1 to ${MAX_CONCURRENCY}`, description: 'Regions read in parallel.', valueName: 'N' },
    'image-age-days': { type: 'string', default: '90', pattern: /^[1-9]\d*$/, hint: 'a whole number of days', description: 'Images older than this many days are a finding.', valueName: 'N' },
  },
  examples: [
    'aliyun-harness ecs-review --region cn-hangzhou',
    'aliyun-harness ecs-review --region cn-hangzhou --region cn-shanghai --output review.md',
    'aliyun-harness ecs-review --region cn-hangzhou --instance-ids i-bp1aaaa,i-bp1bbbb --format json --output review.json',
    'aliyun-harness ecs-review --region cn-hangzhou --output instances.csv',
  ],

  // Every input mistake is found here, before anything touches the machine.
  validate(_ctx, opts): Settings {
    const regions = [...new Set(opts.region)]
    const instanceIds = opts['instance-ids'].length ? [...new Set(opts['instance-ids'])] : null
    const concurrency = Number(opts.concurrency)
    if (concurrency > MAX_CONCURRENCY) throw new UsageError(`--concurrency must be ${MAX_CONCURRENCY} or less; got ${opts.concurrency}.`, 'InvalidParameter')
    const imageAgeDays = Number(opts['image-age-days'])
    if (imageAgeDays > MAX_IMAGE_AGE_DAYS) throw new UsageError(`--image-age-days must be ${MAX_IMAGE_AGE_DAYS} or less; got ${opts['image-age-days']}.`, 'InvalidParameter')
    const format = formatOf(opts.format, opts.output)
    if (format === 'csv' && !opts.output) throw new UsageError('--format csv writes the instance inventory to a file: add --output <file>.csv.', 'InvalidParameter')
    const output = opts.output ? checkOutputPath(opts.output, { flag: '--output' }) : undefined
    return { regions, instanceIds, concurrency, imageAgeDays, format, output }
  },

  async run(ctx, _opts, _positionals, { regions, instanceIds, concurrency, imageAgeDays, format, output }) {
    await ctx.preflight.cliVersion()
    const profile = await ctx.preflight.credentials()

    const now = ctx.clock.now()
    // A JSON or CSV file lists every instance; the result and the terminal keep the first rows.
    const rowLimit = output && format !== 'md' ? Infinity : ROW_LIMIT
    const settings = { now, imageAgeDays, scope: instanceIds ? new Set(instanceIds) : null, rowLimit }
    // The response schemas (zod) load with the collector, when a review runs: `--help` stays light.
    const { collectRegion } = await import('./ecs-review/collect.js')
    const results = await mapBounded(regions, concurrency, (region) => collectRegion(ctx, region, settings, instanceIds))
    const full = buildReview(results, { profile: profile.name, format, regions, instanceIds, now, imageAgeDays, rowLimit })
    const review = capped(full)

    if (output) {
      const text = fileText(full, format)
      try {
        writeOutputFile(output, text, ctx.io.redactor)
        review.report_file = output
        ctx.note(`Report written to ${output}.`)
      } catch (e) {
        // The review itself is complete and printed below; only the copy on disk is missing.
        ctx.warn({ code: 'OutputNotWritten', message: `The review finished but ${output} could not be written: ${(e as Error).message}`, next_action: 'Free space or pick another --output path, then run the review again if you need the file.' })
      }
    }

    if (review.coverage === 'none') {
      const errors = results.flatMap((r) => r.ev.sources).flatMap((s) => (s.error ? [s.error] : []))
      // Every list was stopped at the --cli-timeout limit: the limit is the finding (timed_out, exit 5, as for any stopped call), not access.
      if (errors.length && errors.every((e) => e.code === 'CommandTimeout'))
        throw new TimedOutError('CommandTimeout', `${NO_LIVE_STATE} No region could be queried: every list call was stopped at the time limit. First: ${errors[0].message}`, {
          data: review,
          nextAction: 'Allow the calls longer with --cli-timeout <seconds> (or check the network path to the ECS, ESS and ECI endpoints), then run the review again.',
        })
      // When the API refused the caller, the result lists every permission the review needs.
      const refused = errors.find((e) => isPermissionCode(e.code))
      throw new HarnessError('NoLiveEvidence', `${NO_LIVE_STATE} No region could be queried: ${review.unverified.join('; ')}`, {
        data: review,
        nextAction: 'Grant read-only access to ECS, ESS and ECI in these regions (or check the region ids), then run the review again.',
        ...(refused ? { cause: new CliError('permission', refused.code, refused.message, { requestId: refused.request_id }) } : {}),
      })
    }
    const partial = review.coverage_by_region.filter((c) => c.status !== 'reviewed').map((c) => c.region)
    return {
      status: 'completed',
      data: review,
      nextAction: partial.length ? `Some evidence in ${partial.join(', ')} could not be read; its conclusions are listed as unverified. Grant read access there and run the review again.` : undefined,
    }
  },

  async templates(t) {
    const { reviewCalls } = await import('./ecs-review/collect.js')
    const all = reviewCalls(t, SAMPLE.region, null)
    const scoped = reviewCalls(t, SAMPLE.region, ['i-bp1doctor0000000001', 'i-bp1doctor0000000002'])
    const region = 'in each --region'
    return [
      ...pagedTemplates(all.images, { why: `custom images ${region}` }),
      ...pagedTemplates(all.scalingGroups, { why: `Auto Scaling groups ${region}` }),
      ...pagedTemplates(all.scalingRules, { why: `scaling rules, in a region with scaling groups` }),
      ...pagedTemplates(all.scheduledTasks, { why: `scheduled tasks, in a region with scaling groups` }),
      ...pagedTemplates(all.scalingInstances, { why: `scaling-group members, in a region with scaling groups` }),
      ...pagedTemplates(all.deploymentSets, { why: `deployment sets ${region}` }),
      ...pagedTemplates(all.containerGroups, { why: `ECI container groups ${region}, without --instance-ids` }),
      ...pagedTemplates(all.invocations, { why: `Cloud Assistant invocations ${region}` }),
      ...pagedTemplates(all.instances[0], { why: `every instance ${region}` }),
      ...pagedTemplates(scoped.instances[0], { name: 'ecs describe-instances --instance-ids', why: 'the instances named by --instance-ids' }),
    ]
  },

  render(result: Result, h) {
    const review = result.data as Review | null
    if (!review || typeof review !== 'object' || !('verdict' in review)) return
    if (review.format === 'json') h.line(JSON.stringify(review, null, 2))
    else renderBlocks(reportBlocks(review), h)
    h.line()
  },
})

export default skill
await autorun(skill, import.meta.url)

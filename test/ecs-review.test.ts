// ecs-review: the read-only fleet review, replayed as users replay it (`--replay`, in process), the
// healthy fleet also through the real bin against the fake `aliyun` — plus the pieces it is built
// from (the generic pager, the bounded-concurrency helper, the family classifier) and the policy
// that keeps it read-only.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { auditTranscript } from '../lib/audit.js'
import { VirtualClock } from '../lib/clock.js'
import { api, system } from '../lib/command.js'
import { CliError, PolicyError } from '../lib/errors.js'
import { createIO } from '../lib/io.js'
import { paginate } from '../lib/paginate.js'
import { packageRoot } from '../lib/paths.js'
import { checkCommand, getPolicy } from '../lib/policy.js'
import { Redactor } from '../lib/redact.js'
import { Runner } from '../lib/runner.js'
import type { Transport } from '../lib/transport.js'
import { mapBounded } from '../scripts/ecs-review/bounded.js'
import { inventoryCsv } from '../scripts/ecs-review/csv.js'
import { classifyFamily, familyOf } from '../scripts/ecs-review/families.js'
import { serialise } from './support/build-recordings.js'
import { hostError, transcript } from './support/cli-facts.js'
import { replaySkill } from './support/replay.js'
import { expectCleanReplay, expectRefused } from './support/expect.js'
import { calls, replayBin, tempDir, type RunResult } from './support/run.js'
import {
  b,
  FORBIDDEN_RAM,
  healthyFleet,
  instance,
  invocation,
  preflight,
  RECORDED_AT,
  regionEntries,
  reviewArgv,
  scenarios,
  tokenPages,
  troubledFleet,
} from './recordings/ecs-review.js'

const policy = getPolicy('ecs-review')
const SLOW = 120_000
const apiCalls = (res: RunResult) => calls(res).filter((c) => !/^aliyun (version|configure list)$/.test(c))
const findingCodes = (data: any) => data.findings.map((f: any) => f.code)
const finding = (data: any, code: string) => data.findings.find((f: any) => f.code === code)

// -------------------------------------------------------------------------------------------
describe('policy: the review is read-only', () => {
  const writes: [string, string[]][] = [
    ['ecs run-instances', api('ecs', 'run-instances', { 'biz-region-id': 'cn-hangzhou', 'instance-type': 'ecs.g7.large' })],
    ['ecs invoke-command', api('ecs', 'invoke-command', { 'biz-region-id': 'cn-hangzhou', 'command-id': 'c-1', 'instance-id': JSON.stringify(['i-1']) })],
    ['ess execute-scaling-rule', api('ess', 'execute-scaling-rule', { 'biz-region-id': 'cn-hangzhou', 'scaling-rule-ari': 'ari:acs:ess:cn-hangzhou:1:scalingrule/asr-1' })],
    ['ecs delete-instance', api('ecs', 'delete-instance', { 'instance-id': 'i-1' })],
    ['ecs start-instance', api('ecs', 'start-instance', { 'instance-id': 'i-1' })],
    ['ecs modify-instance-attribute', api('ecs', 'modify-instance-attribute', { 'instance-id': 'i-1' })],
    ['ess create-scaling-rule', api('ess', 'create-scaling-rule', { 'scaling-group-id': 'asg-1' })],
    ['eci create-container-group', api('eci', 'create-container-group', { 'biz-region-id': 'cn-hangzhou' })],
    ['ecs describe-user-data (secrets)', api('ecs', 'describe-user-data', { 'biz-region-id': 'cn-hangzhou', 'instance-id': 'i-1' })],
    ['ecs describe-instance-vnc-url (console access)', api('ecs', 'describe-instance-vnc-url', { 'biz-region-id': 'cn-hangzhou', 'instance-id': 'i-1' })],
    ['ecs describe-invocation-results (command output)', api('ecs', 'describe-invocation-results', { 'biz-region-id': 'cn-hangzhou' })],
    ['configure set (global config)', system(['configure', 'set'], { 'auto-plugin-install': 'true' })],
    ['configure ai-mode enable', system(['configure', 'ai-mode', 'enable'])],
    ['another product', api('rds', 'describe-db-instances', { 'biz-region-id': 'cn-hangzhou' })],
  ]

  it.each(writes)('refuses %s with a PolicyError: status blocked, exit 4', (_name, argv) => expectRefused(policy, argv))

  it('lets every describe/list the review sends through', () => {
    for (const [product, action] of [
      ['ecs', 'describe-instances'], ['ecs', 'describe-images'], ['ecs', 'describe-deployment-sets'], ['ecs', 'describe-invocations'],
      ['ess', 'describe-scaling-groups'], ['ess', 'describe-scaling-rules'], ['ess', 'describe-scheduled-tasks'], ['ess', 'describe-scaling-instances'],
      ['eci', 'describe-container-groups'], ['vpc', 'describe-vpcs'], ['ecs', 'list-tag-resources'],
    ])
      expect(() => checkCommand(policy, reviewArgv(product, action, 'cn-hangzhou'))).not.toThrow()
  })

  it('refuses a write in the runner before anything is spawned', async () => {
    const spawned: string[][] = []
    const transport: Transport = {
      mode: 'replay',
      async exec(req) {
        spawned.push(req.argv)
        return { exitCode: 0, stdout: '{}', stderr: '', durationMs: 1 }
      },
      sdk: () => Promise.reject(new Error('no SDK calls')),
    }
    const io = createIO({ stdout: { write: () => true }, stderr: { write: () => true }, json: true, redactor: new Redactor({}) })
    const runner = new Runner({ policy, transport, clock: new VirtualClock(0), io, userAgent: policy.user_agent, signal: new AbortController().signal })
    await expect(runner.json({ argv: api('ess', 'execute-scaling-rule', { 'biz-region-id': 'cn-hangzhou' }), schema: z.object({}) })).rejects.toBeInstanceOf(PolicyError)
    expect(spawned).toEqual([])
    expect(runner.steps[0]).toMatchObject({ exit_code: -1, error_code: 'BlockedByPolicy' })
  })

  it('every recording passes the audit and matches its generated file', () => {
    for (const [name, t] of Object.entries(scenarios)) {
      expect(auditTranscript(t, policy), name).toEqual([])
      expect(readFileSync(join(packageRoot(), 'recordings', 'ecs-review', `${name}.json`), 'utf8'), `${name} is stale: run npm run recordings`).toBe(serialise(t))
    }
  })
})

// -------------------------------------------------------------------------------------------
describe('paginate (generic pager)', () => {
  const Page = z.object({ Items: z.array(z.number()), TotalCount: z.number().optional(), NextToken: z.string().optional() })
  type Page = z.infer<typeof Page>
  function fakeRunner(answer: (argv: string[]) => Page | Error) {
    const seen: string[][] = []
    return {
      seen,
      json: async ({ argv }: { argv: string[] }) => {
        seen.push(argv)
        const a = answer(argv)
        if (a instanceof Error) throw a
        return a
      },
    } as unknown as Pick<Runner, 'json'> & { seen: string[][] }
  }
  const flag = (argv: string[], name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined)
  const numbered = { style: 'page-number' as const, pageSize: 2, count: (p: Page) => p.Items.length, total: (p: Page) => p.TotalCount }

  it('PageNumber/PageSize: reads pages until TotalCount items were seen', async () => {
    const all = [1, 2, 3, 4, 5]
    const cli = fakeRunner((argv) => {
      const n = Number(flag(argv, '--page-number'))
      return { Items: all.slice((n - 1) * 2, n * 2), TotalCount: all.length }
    })
    const items: number[] = []
    for await (const page of paginate(cli, { product: 'ecs', action: 'describe-images', flags: { 'biz-region-id': 'r' }, schema: Page, paging: numbered })) items.push(...page.data.Items)
    expect(items).toEqual(all)
    expect(cli.seen.map((a) => [flag(a, '--page-number'), flag(a, '--page-size')])).toEqual([['1', '2'], ['2', '2'], ['3', '2']])
    expect(cli.seen[0].slice(0, 4)).toEqual(['ecs', 'describe-images', '--biz-region-id', 'r'])
  })

  it('PageNumber/PageSize without TotalCount: stops on a short or empty page', async () => {
    const short = fakeRunner((argv) => ({ Items: flag(argv, '--page-number') === '1' ? [1, 2] : [3] }))
    let n = 0
    for await (const _ of paginate(short, { product: 'x', action: 'list-y', schema: Page, paging: { ...numbered, total: () => undefined } })) n++
    expect(n).toBe(2)
    const empty = fakeRunner((argv) => ({ Items: flag(argv, '--page-number') === '3' ? [] : [1, 2] }))
    n = 0
    for await (const _ of paginate(empty, { product: 'x', action: 'list-y', schema: Page, paging: { ...numbered, total: () => undefined } })) n++
    expect(n).toBe(3)
  })

  it('NextToken/MaxResults: follows tokens until one comes back empty, with a custom size flag', async () => {
    const cli = fakeRunner((argv) => {
      const t = flag(argv, '--next-token')
      return t === undefined ? { Items: [1], NextToken: 'a' } : t === 'a' ? { Items: [2], NextToken: 'b' } : { Items: [3], NextToken: '' }
    })
    const pages: number[] = []
    for await (const p of paginate(cli, { product: 'eci', action: 'describe-container-groups', schema: Page, paging: { style: 'next-token', pageSize: 20, sizeFlag: 'limit', nextToken: (p) => p.NextToken } })) pages.push(p.number)
    expect(pages).toEqual([1, 2, 3])
    expect(cli.seen.map((a) => [flag(a, '--limit'), flag(a, '--next-token')])).toEqual([['20', undefined], ['20', 'a'], ['20', 'b']])
  })

  it('stops a token that repeats, and a list longer than maxPages', async () => {
    const loop = fakeRunner(() => ({ Items: [1], NextToken: 'same' }))
    const run = async (cli: Pick<Runner, 'json'>, maxPages?: number) => {
      for await (const _ of paginate(cli, { product: 'ecs', action: 'describe-instances', schema: Page, maxPages, paging: { style: 'next-token', pageSize: 1, nextToken: (p) => p.NextToken } })) void _
    }
    await expect(run(loop)).rejects.toMatchObject({ code: 'PaginationLoop' })
    let i = 0
    const endless = fakeRunner(() => ({ Items: [1], NextToken: `t${i++}` }))
    await expect(run(endless, 5)).rejects.toMatchObject({ code: 'PaginationLimit' })
    expect(endless.seen).toHaveLength(5)
  })

  it('yields the pages before a failing one, then throws its error', async () => {
    const cli = fakeRunner((argv) => (flag(argv, '--page-number') === '2' ? new CliError('server', 'InternalError', 'boom') : { Items: [1, 2], TotalCount: 9 }))
    const got: number[] = []
    await expect(
      (async () => {
        for await (const p of paginate(cli, { product: 'ecs', action: 'describe-images', schema: Page, paging: numbered })) got.push(p.number)
      })(),
    ).rejects.toMatchObject({ code: 'InternalError' })
    expect(got).toEqual([1])
  })
})

describe('mapBounded', () => {
  it('never runs more than `limit` tasks at once and keeps the input order', async () => {
    let inFlight = 0
    let peak = 0
    // Tasks of different lengths on a virtual clock: they finish out of order, and nothing waits.
    const clock = new VirtualClock(0)
    const out = await mapBounded([30, 5, 20, 1, 10, 2], 2, async (ms, i) => {
      peak = Math.max(peak, ++inFlight)
      await clock.sleep(ms)
      inFlight--
      return i
    })
    expect(out).toEqual([0, 1, 2, 3, 4, 5])
    expect(peak).toBe(2)
  })

  it('starts nothing new after a failure and throws it once the running tasks end', async () => {
    const started: number[] = []
    await expect(
      mapBounded([0, 1, 2, 3], 1, async (n) => {
        started.push(n)
        if (n === 1) throw new Error('region 1 failed')
        return n
      }),
    ).rejects.toThrow('region 1 failed')
    expect(started).toEqual([0, 1])
  })
})

describe('instance families', () => {
  it('classifies the five families of the guidance and flags the rest', () => {
    expect(['ecs.g7', 'ecs.c7', 'ecs.r7', 'ecs.hfc7', 'ecs.ebmg7'].map((f) => classifyFamily(f).workloadClass)).toEqual([
      'general purpose (g)', 'compute-optimized (c)', 'memory-optimized (r)', 'high clock frequency (hfc)', 'elastic bare metal (ebm)',
    ])
    expect(classifyFamily('ecs.gn7i')).toMatchObject({ workloadClass: 'GPU accelerated', inGuidance: false })
    expect(classifyFamily('ecs.t5')).toMatchObject({ workloadClass: 'burstable (t)', inGuidance: false })
    expect(classifyFamily('ecs.g5')).toMatchObject({ inGuidance: true, previousGeneration: true })
    expect(classifyFamily('ecs.sn2ne')).toMatchObject({ inGuidance: false, previousGeneration: true })
    expect(classifyFamily('ecs.g8i')).toMatchObject({ inGuidance: true, previousGeneration: false })
    expect(familyOf('', 'ecs.c7.2xlarge')).toBe('ecs.c7')
  })
})

// -------------------------------------------------------------------------------------------
describe('ecs-review scenarios, replayed', () => {
  it('healthy fleet (the bin as a process): HEALTHY from live evidence, every list read, only read-only calls', async () => {
    const res = await replayBin(scenarios['healthy-fleet'], ['ecs-review', '--region', 'cn-hangzhou'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json.status).toBe('completed')
    const data = res.json.data
    expect(data.verdict.status).toBe('HEALTHY')
    expect(data.verdict.evidence_level).toMatch(/^live evidence: 1 region, every list read/)
    expect(data.coverage).toBe('complete')
    expect(data.findings).toEqual([])
    expect(data.inventory.total).toBe(4)
    expect(data.inventory.by_family.map((f: any) => f.family)).toEqual(['ecs.g7', 'ecs.c7', 'ecs.r7'])
    expect(data.auto_scaling.groups[0]).toMatchObject({ scaling_group_id: 'asg-bp1healthyweb1', health_check_type: 'ECS', min_size: 2, max_size: 6, default_cooldown: 300, scheduled_tasks: 1, instances: 2, findings: [] })
    expect(data.cloud_assistant).toMatchObject({ total: 2, recent: 2, failed: 0 })
    expect(data.profile).toBe('default')
    // Preflight first, then only describe calls, each with the region and the user agent once.
    expect(calls(res).slice(0, 2)).toEqual(['aliyun version', 'aliyun configure list'])
    for (const c of apiCalls(res)) {
      expect(c).toMatch(/^aliyun (ecs|ess|eci) describe-[a-z-]+ /)
      expect(c).toContain('--biz-region-id cn-hangzhou')
      expect(c.split('--user-agent').length).toBe(2)
      expect(c).toMatch(/--user-agent AlibabaCloud-Agent-Skills\/alibaba-ecs-compute-operator$/)
    }
    expect(apiCalls(res).map((c) => c.split(' ').slice(1, 3).join(' '))).toEqual([
      'ecs describe-images', 'ess describe-scaling-groups', 'ess describe-scaling-rules', 'ess describe-scheduled-tasks', 'ess describe-scaling-instances',
      'ecs describe-deployment-sets', 'eci describe-container-groups', 'ecs describe-invocations', 'ecs describe-instances',
    ])
    expect(apiCalls(res)[0]).toContain('--image-owner-alias self')
  })

  it('fleet with every finding: each finding has its evidence label and API, and a recommendation', async () => {
    const dir = tempDir()
    const out = join(dir, 'review.md')
    const res = await replaySkill(scenarios['fleet-with-findings'], ['ecs-review', '--region', 'cn-hangzhou', '--output', out], { dir })
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    const data = res.json.data
    expect(data.verdict.status).toBe('ACTION REQUIRED')
    expect(data.verdict.biggest_risk).toMatch(/locked/)
    const expected: Record<string, [string, string, string[]]> = {
      'instance-locked': ['high', 'live evidence', ['i-bp1locked0000001']],
      'instance-expiring-soon': ['high', 'live evidence', ['i-bp1expiresoon001', 'i-bp1locked0000001']],
      'instance-expiring': ['medium', 'live evidence', ['i-bp1expiring00001']],
      'instance-stopped': ['medium', 'live evidence', ['i-bp1stopped00001', 'i-bp1locked0000001']],
      'spot-no-scaling-group': ['high', 'live evidence', ['i-bp1spotalone0001']],
      'spot-no-remedy': ['medium', 'live evidence', ['i-bp1spotingroup01']],
      'instance-old-custom-image': ['medium', 'live evidence', ['i-bp1oldimage00001']],
      'instance-old-public-image': ['medium', 'inference', ['i-bp1publicold0001']],
      'instance-public-image': ['medium', 'inference', ['i-bp1publicold0001', 'i-bp1publicnew0001']],
      'instance-image-lineage-unknown': ['low', 'inference', ['i-bp1sharedimage01']],
      'family-outside-guidance': ['low', 'inference', ['i-bp1burstable0001']],
      'family-previous-generation': ['low', 'inference', ['i-bp1oldgen0000001']],
      'asg-no-health-check': ['high', 'live evidence', ['asg-bp1nohealthck']],
      'asg-fixed-size': ['medium', 'live evidence', ['asg-bp1nohealthck']],
      'asg-no-scaling-policy': ['low', 'live evidence', ['asg-bp1nohealthck']],
      'asg-inactive': ['medium', 'live evidence', ['asg-bp1inactive01']],
      'asg-unhealthy-instances': ['medium', 'live evidence', ['asg-bp1spotnoremd']],
      'image-unversioned': ['medium', 'live evidence', ['m-bp1oldunversion']],
      'image-old': ['low', 'live evidence', ['m-bp1oldunversion']],
      'cloud-assistant-failed': ['medium', 'live evidence', ['t-bp1failedpatch1', 't-bp1partialpatch']],
      'deployment-set-single-instance': ['low', 'live evidence', ['ds-bp1lonely00001']],
      'eci-failed': ['medium', 'live evidence', ['eci-bp1failedjob1']],
    }
    expect([...findingCodes(data)].sort()).toEqual(Object.keys(expected).sort())
    for (const [code, [severity, evidence, resources]] of Object.entries(expected)) {
      const f = finding(data, code)
      expect(f, code).toMatchObject({ severity, evidence, region: 'cn-hangzhou', resources })
      expect(f.source, code).toMatch(/^(ecs|ess|eci) Describe/)
    }
    // Severity order: high before medium before low.
    const ranks = data.findings.map((f: any) => ['high', 'medium', 'low'].indexOf(f.severity))
    expect(ranks).toEqual([...ranks].sort())
    for (const code of Object.keys(expected)) {
      const rec = data.recommendations.find((r: any) => r.finding === code)
      expect(rec, code).toBeDefined()
      expect(rec.owner && rec.validation && rec.rollback && rec.action).toBeTruthy()
    }
    // The scheduled task named a rule ARI, not a group: it is attached through the rule.
    expect(data.auto_scaling.groups.find((g: any) => g.scaling_group_id === 'asg-bp1inactive01').scheduled_tasks).toBe(1)
    expect(data.spot).toMatchObject({ spot_instances: 2, in_scaling_group: 1, with_spot_remedy: 0, without_scaling_group: 1, eci_spot_container_groups: 1 })
    expect(data.cloud_assistant).toMatchObject({ total: 3, recent: 2, failed: 2 })
    expect(data.cloud_assistant.failures[1]).toMatchObject({ invoke_id: 't-bp1partialpatch', status: 'PartialFailed', failed_instances: 2, error_codes: ['InstanceNotRunning'] })
    expect(data.inventory.rows.find((r: any) => r.instance_id === 'i-bp1locked0000001').findings).toEqual(['stopped', 'locked', 'expires ≤ 7 d'])
    // The ECI list came on two NextToken pages of 20.
    const eci = apiCalls(res).filter((c) => c.includes('eci describe-container-groups'))
    expect(eci).toHaveLength(2)
    expect(eci[1]).toMatch(/--limit 20 --next-token \S+/)
    expect(data.eci).toMatchObject({ total: 22, by_status: { Succeeded: 20, Failed: 1, Running: 1 } })

    // The report file follows the skill's output contract, section by section.
    expect(data.report_file).toBe(out)
    const md = readFileSync(out, 'utf8')
    const sections = [
      '# Alibaba Cloud ECS Compute Review: cn-hangzhou (all instances)',
      '## Executive verdict',
      '- Status: ACTION REQUIRED',
      '- Biggest risk: ',
      '- Evidence level: live evidence',
      '## Instance inventory and type review',
      '| Instance ID | Family | Type | State | Finding |',
      '## Auto Scaling configuration',
      '- Scaling group: ',
      '- Health check type: ',
      '- Scaling rules: ',
      '- Findings: ',
      '## Patch and image compliance',
      '- Current image: ',
      '- Last patched: ',
      '- Compliance status: not compliant',
      '## Spot and preemptible assessment',
      '- Spot usage: 2 of 14',
      '- Interruption handling: ',
      '- Fallback strategy: ',
      '## Cloud Assistant job status',
      '- Recent jobs: 2 in the last 7 days',
      '- Failures: 2 job(s)',
      '## Recommendations',
      '1. ',
      '## Open risks',
      '- Last patched: in-guest patch levels are not visible',
    ]
    let at = -1
    for (const s of sections) {
      const next = md.indexOf(s, at + 1)
      expect(next, `"${s}" missing or out of order`).toBeGreaterThan(at)
      at = next
    }
    expect(md).toMatch(/^\d+\. .+ — owner: .+, validation: .+, rollback: .+$/m)
    expect(md).toContain('| i-bp1spotalone0001 | ecs.g7 | ecs.g7.large | Running | spot without ASG |')
  })

  it('ages images against the recording clock: a larger --image-age-days clears the 400-day custom image only', async () => {
    const res = await replaySkill(scenarios['fleet-with-findings'], ['ecs-review', '--region', 'cn-hangzhou', '--image-age-days', '500'])
    expectCleanReplay(res)
    const data = res.json.data
    expect(data.reviewed_at).toBe(RECORDED_AT)
    expect(findingCodes(data)).not.toContain('instance-old-custom-image')
    expect(findingCodes(data)).not.toContain('image-old')
    expect(finding(data, 'instance-old-public-image').title).toMatch(/more than 500 days/)
    expect(data.images.in_use.find((i: any) => i.image_id === 'm-bp1oldunversion')).toMatchObject({ owner: 'self', age_days: 400 })
  })

  it('two regions, one refusing every list with Forbidden.RAM: completed (exit 0), partial coverage, unverified conclusions named', async () => {
    const res = await replaySkill(scenarios['two-regions-one-forbidden'], ['ecs-review', '--region', 'cn-hangzhou', '--region', 'cn-shanghai'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json.status).toBe('completed')
    const data = res.json.data
    expect(data.coverage).toBe('partial')
    expect(data.verdict.status).toBe('ATTENTION NEEDED')
    expect(data.verdict.evidence_level).toMatch(/^partial live evidence: fully reviewed cn-hangzhou; cn-shanghai could not be queried/)
    const shanghai = data.coverage_by_region.find((c: any) => c.region === 'cn-shanghai')
    expect(shanghai.status).toBe('unavailable')
    expect(shanghai.sources.filter((s: any) => s.status === 'failed').map((s: any) => s.error.code)).toEqual(Array(6).fill('Forbidden.RAM'))
    expect(data.coverage_by_region.find((c: any) => c.region === 'cn-hangzhou').status).toBe('reviewed')
    expect(data.unverified).toHaveLength(1)
    expect(data.unverified[0]).toMatch(/^cn-shanghai: could not be queried .*Forbidden\.RAM.*instance inventory.*Auto Scaling.*Cloud Assistant/)
    expect(data.open_risks[0]).toMatch(/^Unverified — cn-shanghai/)
    expect(data.recommendations.at(-1)).toMatchObject({ finding: 'unverified-evidence', owner: 'account administrator' })
    expect(res.json.next_action).toMatch(/cn-shanghai/)
    // The rest of the fleet is still reviewed.
    expect(data.inventory.total).toBe(4)
    expect(data.findings).toEqual([])
  })

  it('no region readable: status failed, exit 1, the skill’s no-live-state sentence, and the report still written', async () => {
    const dir = tempDir()
    const out = join(dir, 'review.md')
    const res = await replaySkill(scenarios['no-access'], ['ecs-review', '--region', 'cn-beijing', '--output', out], { dir })
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json.status).toBe('failed')
    expect(res.json.error.code).toBe('NoLiveEvidence')
    expect(res.json.error.message).toContain("I can't query live state here, so I'm falling back to official Alibaba Cloud docs.")
    // The API refused the caller: every permission the review needs, not just the one that failed.
    expect(res.json.error.required_permissions).toEqual(getPolicy('ecs-review').permissions!.ram)
    expect(res.json.data.coverage).toBe('none')
    expect(res.json.data.recommendations.map((r: any) => r.evidence)).toEqual(['live evidence', 'documentation-based'])
    expect(readFileSync(out, 'utf8')).toMatch(/- Evidence level: none — I can't query live state here/)
  })

  it('regions run in parallel up to --concurrency, and the result does not depend on who answered first', async () => {
    // A slow first answer in cn-hangzhou (replay time: nothing waits for it): with two workers
    // cn-shanghai is read meanwhile, so all of it answers before that first cn-hangzhou call.
    const entries = [...preflight(), ...regionEntries(healthyFleet('cn-hangzhou')), ...regionEntries(healthyFleet('cn-shanghai'))]
    const slowFirst = entries.map((e, i) => (i === 2 && e.kind === 'cli' ? { ...e, delay_ms: 1500 } : e))
    const t = transcript('ecs-review', 'parallel', slowFirst, { recordedAt: RECORDED_AT })
    const regionsAnswered = (res: RunResult) => calls(res).map((c) => c.match(/--biz-region-id (\S+)/)?.[1]).filter(Boolean)

    const parallel = await replaySkill(t, ['ecs-review', '--region', 'cn-hangzhou', '--region', 'cn-shanghai', '--concurrency', '2', '--json'])
    expect(parallel.code).toBe(0)
    expect(regionsAnswered(parallel)).toEqual([...Array(9).fill('cn-shanghai'), ...Array(9).fill('cn-hangzhou')])

    const serial = await replaySkill(t, ['ecs-review', '--region', 'cn-hangzhou', '--region', 'cn-shanghai', '--concurrency', '1', '--json'])
    expect(serial.code).toBe(0)
    expect(regionsAnswered(serial)).toEqual([...Array(9).fill('cn-hangzhou'), ...Array(9).fill('cn-shanghai')])

    expect(parallel.json.data).toEqual(serial.json.data)
    expect(parallel.json.data.inventory.total).toBe(8)
    expect(parallel.json.data.inventory.rows.map((r: any) => r.region)).toEqual([...Array(4).fill('cn-hangzhou'), ...Array(4).fill('cn-shanghai')])
  })

  it('100-page instance list: every page is fetched, the report counts every instance, data stays compact', async () => {
    const region = 'cn-hangzhou'
    const pages = 100
    const instances = Array.from({ length: pages * 100 }, (_, n) =>
      instance(`i-bp1bulk${String(n).padStart(8, '0')}`, region, {
        InstanceType: n % 3 === 0 ? 'ecs.c7.large' : 'ecs.g7.large',
        Status: n % 10 === 0 ? 'Stopped' : 'Running',
        ImageId: 'm-bp1webbase20261101',
      }),
    )
    const instanceEntries = tokenPages('ecs', 'describe-instances', region, {}, 'max-results', instances, 100, (page) => ({ Instances: { Instance: page } }))
    expect(instanceEntries).toHaveLength(pages)
    const fleet = { ...healthyFleet(region), instanceEntries }
    const t = transcript('ecs-review', '100-page instance list', [...preflight(), ...regionEntries(fleet)], { recordedAt: RECORDED_AT })
    expect(auditTranscript(t, policy)).toEqual([])

    const res = await replaySkill(t, ['ecs-review', '--region', region])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    const listed = apiCalls(res).filter((c) => c.includes('ecs describe-instances'))
    expect(listed).toHaveLength(pages)
    expect(listed[0]).not.toContain('--next-token')
    expect(listed.at(-1)).toContain(`--next-token AAAAAVcnhangzhou${String(pages - 1).padStart(4, '0')}==`)

    const data = res.json.data
    expect(data.inventory.total).toBe(10_000)
    expect(data.inventory.by_state).toEqual({ Running: 9000, Stopped: 1000 })
    expect(data.inventory.by_family).toEqual([
      { family: 'ecs.g7', workload_class: 'general purpose (g)', in_guidance: true, instances: 6666 },
      { family: 'ecs.c7', workload_class: 'compute-optimized (c)', in_guidance: true, instances: 3334 },
    ])
    expect(finding(data, 'instance-stopped')).toMatchObject({ count: 1000, resources: expect.any(Array) })
    expect(finding(data, 'instance-stopped').resources).toHaveLength(10)
    expect(data.coverage_by_region[0].sources.find((s: any) => s.source === 'instances')).toMatchObject({ pages: 100, items: 10_000 })
    // Bounded: capped rows (stopped ones first), no raw page fields, a small JSON whatever the fleet size.
    expect(data.inventory.rows).toHaveLength(200)
    expect(data.inventory.rows_omitted).toBe(9800)
    expect(data.inventory.rows.every((r: any) => r.state === 'Stopped')).toBe(true)
    expect(data.images.in_use).toEqual([expect.objectContaining({ image_id: 'm-bp1webbase20261101', instances: 10_000 })])
    const text = JSON.stringify(data)
    for (const raw of ['"Instances"', '"Instance"', 'VpcAttributes', 'SecurityGroupIds', 'NextToken', 'HostName']) expect(text).not.toContain(raw)
    expect(text.length).toBeLessThan(100_000)
  }, SLOW)

  it('--instance-ids limits the review to those instances (and skips ECI)', async () => {
    const ids = ['i-bp1spotalone0001', 'i-bp1fixedmember01']
    const fleet = troubledFleet()
    const scoped = { ...fleet, instanceIds: ids, instances: (fleet.instances ?? []).filter((i) => ids.includes(i.InstanceId as string)) }
    const t = transcript('ecs-review', 'scoped', [...preflight(), ...regionEntries(scoped)], { recordedAt: RECORDED_AT })
    const res = await replaySkill(t, ['ecs-review', '--region', 'cn-hangzhou', '--instance-ids', ids.join(',')])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(apiCalls(res).some((c) => c.includes('eci '))).toBe(false)
    expect(apiCalls(res).at(-1)).toContain(`--instance-ids ${JSON.stringify(ids)}`)
    const data = res.json.data
    expect(data.scope).toBe('cn-hangzhou (2 instance ids)')
    expect(data.instance_ids).toEqual(ids)
    // Findings about things the scoped instances do not touch are left out.
    expect([...findingCodes(data)].sort()).toEqual(['asg-fixed-size', 'asg-no-health-check', 'asg-no-scaling-policy', 'cloud-assistant-failed', 'deployment-set-single-instance', 'spot-no-scaling-group'])
    expect(finding(data, 'cloud-assistant-failed').resources).toEqual(['t-bp1failedpatch1', 't-bp1partialpatch'])
    expect(data.auto_scaling.groups.map((g: any) => g.scaling_group_id)).toEqual(['asg-bp1nohealthck'])
    expect(data.coverage_by_region[0].sources.find((s: any) => s.source === 'container-groups')).toMatchObject({ status: 'skipped' })
    expect(data.open_risks).toContain('The review is limited to the instance ids given; other instances, scaling groups and ECI container groups in these regions were not reviewed.')
  })

  it('more than 100 --instance-ids are asked for in chunks of 100, each chunk paged', async () => {
    const region = 'cn-hangzhou'
    const ids = Array.from({ length: 101 }, (_, n) => `i-bp1chunk${String(n).padStart(6, '0')}`)
    const chunk = (list: string[]) => tokenPages('ecs', 'describe-instances', region, { 'instance-ids': JSON.stringify(list) }, 'max-results', list.map((id) => instance(id, region, { ImageId: 'm-bp1webbase20261101' })), 100, (page) => ({ Instances: { Instance: page } }))
    const fleet = { ...healthyFleet(region), instanceIds: ids, instanceEntries: [...chunk(ids.slice(0, 100)), ...chunk(ids.slice(100))] }
    const res = await replaySkill(transcript('ecs-review', 'chunks', [...preflight(), ...regionEntries(fleet)], { recordedAt: RECORDED_AT }), ['ecs-review', '--region', region, '--instance-ids', ids.join(',')])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(apiCalls(res).filter((c) => c.includes('describe-instances'))).toHaveLength(2)
    expect(res.json.data.inventory.total).toBe(101)
    expect(res.json.data.coverage_by_region[0].sources.find((s: any) => s.source === 'instances')).toMatchObject({ pages: 2, items: 101 })
  })

  it('a region partly readable: spot handling becomes unverified inference; a list failing on page 2 is marked incomplete', async () => {
    const region = 'cn-hangzhou'
    const spot = 'i-bp1spotunknown1'
    const invocations = Array.from({ length: 51 }, (_, n) => invocation(`t-bp1bulkinv${String(n).padStart(5, '0')}`, [spot]))
    const [firstInvocations] = tokenPages('ecs', 'describe-invocations', region, {}, 'max-results', invocations, 50, (page) => ({ Invocations: { Invocation: page } }))
    const entries = [
      ...preflight(),
      ...regionEntries({ region, images: [], deploymentSets: [], containerGroups: [], invocations: [], instances: [instance(spot, region, { SpotStrategy: 'SpotAsPriceGo', ImageId: 'm-bp1webbase20261101' })] }).flatMap((e) => {
        if (e.kind !== 'cli') return [e]
        if (e.argv.includes('describe-scaling-groups')) return [b.apiError(reviewArgv('ess', 'describe-scaling-groups', region, { 'page-size': 50, 'page-number': 1 }), FORBIDDEN_RAM)]
        if (e.argv.includes('describe-invocations'))
          return [firstInvocations, b.apiError(reviewArgv('ecs', 'describe-invocations', region, { 'max-results': 50, 'next-token': 'AAAAAVcnhangzhou0001==' }), { code: 'InternalError', message: 'The request processing has failed due to some unknown error.' })]
        return [e]
      }),
    ]
    const res = await replaySkill(transcript('ecs-review', 'partial', entries, { recordedAt: RECORDED_AT }), ['ecs-review', '--region', region])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    const data = res.json.data
    expect(data.coverage).toBe('partial')
    expect(data.coverage_by_region[0].status).toBe('partial')
    expect(finding(data, 'spot-handling-unverified')).toMatchObject({ evidence: 'inference', resources: [spot] })
    expect(findingCodes(data)).not.toContain('spot-no-scaling-group')
    expect(data.spot.unverified).toBe(1)
    const inv = data.coverage_by_region[0].sources.find((s: any) => s.source === 'invocations')
    expect(inv).toMatchObject({ status: 'failed', pages: 1, items: 50, error: { code: 'InternalError' }, note: 'stopped after 1 page(s): the list is incomplete' })
    expect(data.unverified.some((u: string) => /Cloud Assistant job status — unverified \(ecs DescribeInvocations failed with InternalError; stopped after 1 page/.test(u))).toBe(true)
    expect(data.unverified.some((u: string) => /Auto Scaling health checks .* unverified \(ess DescribeScalingGroups failed with Forbidden\.RAM\)/.test(u))).toBe(true)
    expect(data.verdict.status).toBe('ATTENTION NEEDED')
  })

  it('a throttled page is asked again after the retry pause (virtual time), once', async () => {
    const region = 'cn-hangzhou'
    const entries = regionEntries(healthyFleet(region))
    const throttled = b.apiError(reviewArgv('ecs', 'describe-images', region, { 'image-owner-alias': 'self', 'page-size': 100, 'page-number': 1 }), { code: 'Throttling', message: 'Request was denied due to request throttling.' })
    const res = await replaySkill(transcript('ecs-review', 'throttled', [...preflight(), throttled, ...entries], { recordedAt: RECORDED_AT }), ['ecs-review', '--region', region])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json.data.coverage).toBe('complete')
    expect(apiCalls(res).filter((c) => c.includes('describe-images'))).toHaveLength(2)
    expect(res.json.steps.filter((s: any) => s.step.includes('describe-images')).map((s: any) => [s.attempt, s.error_code ?? null])).toEqual([[1, 'Throttling'], [2, null]])
  })

  it('preflight: an old CLI or no valid profile stops before any API call', async () => {
    const old = await replaySkill(transcript('ecs-review', 'old', [b.version('3.3.0')]), ['ecs-review', '--region', 'cn-hangzhou'])
    expectCleanReplay(old)
    expect(old.code).toBe(1)
    expect(old.json).toMatchObject({ status: 'stopped', error: { code: 'CliVersionTooOld' } })
    const noCreds = await replaySkill(transcript('ecs-review', 'nocreds', [b.version(), b.configureList([{ name: 'default', current: true, valid: false, region: 'cn-hangzhou' }])]), ['ecs-review', '--region', 'cn-hangzhou'])
    expectCleanReplay(noCreds)
    expect(noCreds.code).toBe(1)
    expect(noCreds.json).toMatchObject({ status: 'stopped', error: { code: 'NoValidCredentials' } })
    expect(apiCalls(noCreds)).toEqual([])
  })

  it.each([
    ['no --region', []],
    ['a malformed region', ['--region', 'Hangzhou']],
    ['a malformed instance id', ['--region', 'cn-hangzhou', '--instance-ids', 'i-ok1,not-an-id']],
    ['--concurrency 0', ['--region', 'cn-hangzhou', '--concurrency', '0']],
    ['--concurrency above 16', ['--region', 'cn-hangzhou', '--concurrency', '17']],
    ['--format xml', ['--region', 'cn-hangzhou', '--format', 'xml']],
    ['--image-age-days abc', ['--region', 'cn-hangzhou', '--image-age-days', 'abc']],
    ['--output in a missing directory', ['--region', 'cn-hangzhou', '--output', '/nonexistent-dir/review.md']],
  ])('bad input (%s) is exit 2 before any call', async (_name, args) => {
    const res = await replaySkill(transcript('ecs-review', 'none', []), ['ecs-review', ...args])
    expect(res.code).toBe(2)
    expect(calls(res)).toEqual([])
  })

  it('on a terminal: the markdown report with cli-table3 tables; --format json writes the review as JSON', async () => {
    const human = await replaySkill(scenarios['fleet-with-findings'], ['ecs-review', '--region', 'cn-hangzhou'], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expectCleanReplay(human)
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^# Alibaba Cloud ECS Compute Review: cn-hangzhou \(all instances\)/)
    expect(human.stdout).toMatch(/┌─+┬/)
    expect(human.stdout).toMatch(/│ Instance ID\s+│ Family\s+│ Type\s+│ State\s+│ Finding\s+│/)
    expect(human.stdout).toContain('- Status: ACTION REQUIRED')
    expect(human.stdout).toContain('✔ ecs-review: completed')

    const humanJson = await replaySkill(scenarios['healthy-fleet'], ['ecs-review', '--region', 'cn-hangzhou', '--format', 'json'], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expectCleanReplay(humanJson)
    const printed = humanJson.stdout.slice(0, humanJson.stdout.lastIndexOf('\n}\n') + 2)
    expect(JSON.parse(printed)).toMatchObject({ format: 'json', verdict: { status: 'HEALTHY' } })

    const dir = tempDir()
    const out = join(dir, 'review.json')
    const json = await replaySkill(scenarios['healthy-fleet'], ['ecs-review', '--region', 'cn-hangzhou', '--format', 'json', '--output', out], { dir })
    expectCleanReplay(json)
    const file = JSON.parse(readFileSync(out, 'utf8'))
    expect(file.verdict.status).toBe('HEALTHY')
    expect({ ...file, report_file: out }).toEqual(json.json.data)
  })
})

describe('every instance in a file', () => {
  const region = 'cn-hangzhou'
  const ids = Array.from({ length: 250 }, (_, n) => `i-bp1many${String(n).padStart(8, '0')}`)
  const fleet = () => {
    const instances = ids.map((id, n) => instance(id, region, { Status: n % 50 === 0 ? 'Stopped' : 'Running', ImageId: 'm-bp1webbase20261101' }))
    const instanceEntries = tokenPages('ecs', 'describe-instances', region, {}, 'max-results', instances, 100, (page) => ({ Instances: { Instance: page } }))
    return transcript('ecs-review', '250 instances', [...preflight(), ...regionEntries({ ...healthyFleet(region), instanceEntries })], { recordedAt: RECORDED_AT })
  }
  /** The review of the 250-instance fleet with `--output <name>`: the run and the file's path. */
  const reviewInto = async (name: string) => {
    const dir = tempDir()
    const out = join(dir, name)
    const res = await replaySkill(fleet(), ['ecs-review', '--region', region, '--output', out], { dir })
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    return { res, out }
  }

  it('--output x.json holds all 250 rows; the result and the terminal keep 200 and say how to get the rest', async () => {
    const { res, out } = await reviewInto('review.json')
    const file = JSON.parse(readFileSync(out, 'utf8'))
    expect(file.format).toBe('json')
    expect(file.inventory.rows.map((r: any) => r.instance_id).sort()).toEqual([...ids].sort())
    expect(file.inventory.rows_omitted).toBe(0)
    expect(res.json.data.inventory.rows).toHaveLength(200)
    expect(res.json.data.inventory.rows_omitted).toBe(50)
    const human = await replaySkill(fleet(), ['ecs-review', '--region', region], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(human.stdout).toContain('- 50 more instances not listed; the counts include them, and instances with findings are listed first. `--output <file>.csv` (or .json) lists every instance.')
  }, SLOW)

  it('--output x.csv is one spreadsheet row per instance, every instance, quoted where needed', async () => {
    const { res, out } = await reviewInto('instances.csv')
    const lines = readFileSync(out, 'utf8').split('\r\n').filter(Boolean)
    expect(lines[0]).toBe('Instance ID,Region,Zone,Family,Instance type,State,Charge type,Spot strategy,Image ID,Deployment set,Expires,Findings')
    expect(lines).toHaveLength(251)
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual([...ids].sort())
    expect(lines.find((l) => l.startsWith('i-bp1many00000000,'))).toMatch(/,Stopped,.*,stopped$/)
    expect(res.json.data.report_file).toBe(out)
  }, SLOW)

  it('CSV cells with commas, quotes or a formula-like start are quoted and defused', () => {
    const row = { instance_id: 'i-1', region, zone: 'cn-hangzhou-h', family: 'ecs.g7', type: 'ecs.g7.large', state: 'Running', charge_type: 'PostPaid', spot_strategy: 'NoSpot', image_id: '=HYPERLINK("x")', deployment_set_id: '', expired_time: '', findings: ['spot, no spot remedy', 'old "public" image'] }
    expect(inventoryCsv([row]).split('\r\n')[1]).toBe(`i-1,cn-hangzhou,cn-hangzhou-h,ecs.g7,ecs.g7.large,Running,PostPaid,NoSpot,"'=HYPERLINK(""x"")",,,"spot, no spot remedy; old ""public"" image"`)
  })
})

describe('a command line the installed CLI rejects', () => {
  it('stops the review at once (every region would fail the same way), naming the flag and doctor', async () => {
    const t = structuredClone(scenarios['healthy-fleet'])
    const first = t.entries.findIndex((e) => e.kind === 'cli' && e.argv[1] === 'describe-images')
    const argv = (t.entries[first] as { argv: string[] }).argv.slice(0, -2)
    t.entries = [...t.entries.slice(0, first), b.apiRaw(argv, hostError("'--image-owner-alias' is not a valid parameter or flag. See `aliyun help ecs describe-images`.", { suggestible: ['--image-owner-id'] }))]
    const res = await replaySkill(t, ['ecs-review', '--region', 'cn-hangzhou'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json.status).toBe('failed')
    expect(res.json.error.code).toBe('CliUnknownFlag')
    expect(JSON.stringify(res.json)).toMatch(/aliyun-harness doctor/)
  })
})

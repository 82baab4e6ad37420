// The one runner: refusal before spawn, retries as policy data through the injected clock, polls,
// parsing with the path that drifted, SDK calls — driven in-process by a probe skill under its own
// policy and a strict replay transport.

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { api } from '../lib/command.js'
import { VirtualClock } from '../lib/clock.js'
import { CliError, InterruptedError } from '../lib/errors.js'
import { parseOutput, retryNotice } from '../lib/runner.js'
import { Replayer } from '../lib/transcript.js'
import { ReplayTransport } from '../lib/transport.js'
import { builder, transcript } from './support/cli-facts.js'
import { describeRegions, probePolicy, runProbe } from './support/probe.js'

const Regions = z.object({ Regions: z.object({ Region: z.array(z.object({ RegionId: z.string() })) }) })
const regionsBody = { Regions: { Region: [{ RegionId: 'cn-beijing' }] } }
const policy = probePolicy()
const b = builder(policy)
const unavailable = () => b.apiError(describeRegions(), { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' })

describe('policy refusal', () => {
  it('blocks a forbidden command before it runs: exit 4, status blocked, the refusal in steps', async () => {
    const r = await runProbe(policy, [], (ctx) => ctx.cli.json({ argv: api('ecs', 'delete-instance', { 'instance-id': 'i-1' }), schema: z.object({}) }))
    expect(r.code).toBe(4)
    expect(r.json).toMatchObject({ status: 'blocked', error: { code: 'BlockedByPolicy', message: expect.stringMatching(/no skill deletes anything/) } })
    expect(r.json.steps).toEqual([expect.objectContaining({ step: 'ecs delete-instance', exit_code: -1, error_code: 'BlockedByPolicy' })])
  })

  it('blocks a command outside the injected policy, whatever real skill it might look like', async () => {
    const r = await runProbe(policy, [], (ctx) => ctx.cli.json({ argv: api('vpc', 'describe-vpcs'), schema: z.object({}) }))
    expect(r.code).toBe(4)
    expect(r.json.error.message).toMatch(/'vpc describe-vpcs' is not on the probe allow-list/)
  })
})

describe('retries are the policy’s data', () => {
  it('the default rule retries every API call through the clock, and records each attempt', async () => {
    const r = await runProbe(policy, [unavailable(), b.api(describeRegions(), regionsBody)], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions }))
    expect(r.code).toBe(0)
    expect(r.clock.now()).toBe(15_000)
    expect(r.json.steps.map((s: { attempt: number; error_code?: string }) => [s.attempt, s.error_code ?? null])).toEqual([[1, 'ServiceUnavailable'], [2, null]])
    expect(r.stderr).toMatch(/ecs describe-regions: ServiceUnavailable; trying again in 15 s \(attempt 2 of 4\)/)
  })

  it('stops after the rule’s attempts, with the last error', async () => {
    const r = await runProbe(policy, [unavailable(), unavailable(), unavailable(), unavailable()], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions }))
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('ServiceUnavailable')
    expect(r.json.steps).toHaveLength(4)
    expect(r.clock.now()).toBe(45_000)
  })

  it('does not retry a code the rule does not list, and reports the API fields', async () => {
    const r = await runProbe(policy, [b.apiError(describeRegions(), { code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.', requestId: 'RID-1' })], (ctx) =>
      ctx.cli.json({ argv: describeRegions(), schema: Regions }),
    )
    expect(r.code).toBe(1)
    expect(r.json.error).toEqual({ code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.', request_id: 'RID-1', recommend: expect.stringMatching(/troubleshoot/) })
    expect(r.clock.now()).toBe(0)
  })

  it('retry: false never retries (a create whose repeat could cost twice)', async () => {
    const r = await runProbe(policy, [unavailable()], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions, retry: false }))
    expect(r.code).toBe(1)
    expect(r.json.steps).toHaveLength(1)
  })

  it('a named rule: any failure, flags added from the second attempt on, the rule’s own notice', async () => {
    const withTimeout = [...describeRegions(), '--read-timeout', '60']
    const r = await runProbe(policy, [unavailable(), b.api(withTimeout, regionsBody)], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions, retry: 'slow' }))
    expect(r.code).toBe(0)
    expect(r.unused).toEqual([])
    expect(r.stderr).toContain('retrying ecs describe-regions once more (ServiceUnavailable: The request has failed due to a temporary failure of the server.)')
  })

  it('a rule the policy does not have is a bug, not a silent no-retry', async () => {
    await expect(runProbe(policy, [], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions, retry: 'nope' }))).rejects.toThrow(/the probe policy has no retry rule 'nope'/)
  })

  it('local commands get no default retry', async () => {
    const version = { ...b.version(), exit_code: 1, stderr: 'ERROR: SDK.ServerError\nErrorCode: ServiceUnavailable\nMessage: x\n' }
    const r = await runProbe(policy, [version], (ctx) => ctx.cli.text({ argv: ['version'] }))
    expect(r.code).toBe(1)
    expect(r.json.steps).toHaveLength(1)
  })

  it('notice templates fill in what is known', () => {
    const err = new CliError('server', 'Throttling', 'Request was denied due to request throttling.\nmore')
    expect(retryNotice({ on: ['Throttling'], attempts: 4, delay_ms: 15_000, add_flags: [], notice: '{step}: {code} ({message}); {delay}, retry {retry} of {retries}, attempt {next} of {attempts}' }, { step: 's', err, attempt: 1 })).toBe(
      's: Throttling (Request was denied due to request throttling.); 15 s, retry 1 of 3, attempt 2 of 4',
    )
  })
})

describe('polls', () => {
  it('poll on the clock until the condition holds', async () => {
    const entries = ['Pending', 'Starting', 'Running'].map((s) => b.api(describeRegions(), { Regions: { Region: [{ RegionId: s }] } }))
    const r = await runProbe(policy, entries, async (ctx) => {
      const { attempts } = await ctx.cli.poll({ step: { argv: describeRegions(), schema: Regions }, everyMs: 10_000, timeoutMs: 300_000, until: (d) => d.Regions.Region[0].RegionId === 'Running' })
      return { attempts }
    })
    expect(r.json.data).toEqual({ attempts: 3 })
    expect(r.clock.now()).toBe(20_000)
  })

  it('hands the time waited to onExhausted', async () => {
    const entries = ['Pending', 'Pending'].map((s) => b.api(describeRegions(), { Regions: { Region: [{ RegionId: s }] } }))
    const r = await runProbe(policy, entries, async (ctx) =>
      ctx.cli.poll({
        step: { argv: describeRegions(), schema: Regions },
        everyMs: 10_000,
        maxAttempts: 2,
        until: () => false,
        onExhausted: (_last, attempts, waited) => new CliError('server', 'StillPending', `${attempts} polls in ${waited} ms`),
      }),
    )
    expect(r.json.error).toMatchObject({ code: 'StillPending', message: '2 polls in 10000 ms' })
  })
})

describe('polls that tolerate transient failures (poll({ transient }))', () => {
  // A rule without attempts only names failures as transient; the poll keeps its own interval and limit.
  const tolerant = probePolicy({
    retries: { 'poll-transient': { on: ['Throttling', 'timeout'], delay_ms: 0, add_flags: [], notice: '{step}: {code}; polling on (poll {next} of {attempts} in {delay}).' } },
  })
  const tb = builder(tolerant)
  const state = (s: string) => tb.api(describeRegions(), { Regions: { Region: [{ RegionId: s }] } })
  const throttled = () => tb.apiError(describeRegions(), { code: 'Throttling', message: 'Request was denied due to request throttling.' })
  const poll = (ctx: Parameters<Parameters<typeof runProbe>[2]>[0], maxAttempts = 5) =>
    ctx.cli.poll({
      step: { argv: describeRegions(), schema: Regions },
      everyMs: 10_000,
      maxAttempts,
      transient: 'poll-transient',
      until: (d) => d.Regions.Region[0].RegionId === 'Running',
      onExhausted: (last, attempts) => new CliError('server', 'StillPending', `${attempts} polls, last answer ${last?.Regions.Region[0].RegionId ?? 'none'}`),
    })

  it('a failure the rule names uses up one poll, and polling goes on at its own interval', async () => {
    const r = await runProbe(tolerant, [state('Pending'), throttled(), tb.apiTimeout(describeRegions(), 'ecs.cn-beijing.aliyuncs.com'), state('Running')], async (ctx) => ({ attempts: (await poll(ctx)).attempts }))
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.data).toEqual({ attempts: 4 })
    expect(r.clock.now()).toBe(30_000)
    expect(r.stderr).toContain('ecs describe-regions: Throttling; polling on (poll 3 of 5 in 10 s).')
    // The step itself was not retried: one call per poll.
    expect(r.json.steps.map((s: { attempt: number }) => s.attempt)).toEqual([1, 1, 1, 1])
  })

  it('a failure the rule does not name ends the poll with that error', async () => {
    const r = await runProbe(tolerant, [state('Pending'), tb.apiError(describeRegions(), { code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.' })], (ctx) => poll(ctx))
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('Forbidden.RAM')
    expect(r.json.steps).toHaveLength(2)
  })

  it('failed polls count toward the limit; onExhausted gets the last answer, or none', async () => {
    const some = await runProbe(tolerant, [state('Pending'), throttled()], (ctx) => poll(ctx, 2))
    expect(some.json.error).toMatchObject({ code: 'StillPending', message: '2 polls, last answer Pending' })
    const none = await runProbe(tolerant, [throttled(), throttled()], (ctx) => poll(ctx, 2))
    expect(none.json.error).toMatchObject({ code: 'StillPending', message: '2 polls, last answer none' })
  })

  it('a failure on the last poll ends the poll without saying that polling goes on', async () => {
    const last = await runProbe(tolerant, [throttled(), throttled()], (ctx) => poll(ctx, 2))
    expect(last.stderr).toContain('ecs describe-regions: Throttling; polling on (poll 2 of 2 in 10 s).')
    expect(last.stderr).not.toContain('polling on (poll 3 of 2')
    expect(last.stderr.match(/polling on/g)).toHaveLength(1)
  })

  it('a rule without attempts never retries a step that names it', async () => {
    const r = await runProbe(tolerant, [throttled()], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions, retry: 'poll-transient' }))
    expect(r.code).toBe(1)
    expect(r.json.steps).toHaveLength(1)
  })
})

describe('parsing', () => {
  it('a response that drifted fails naming the path and the value', async () => {
    const r = await runProbe(policy, [b.api(describeRegions(), { Regions: { Region: [{ RegionId: 7 }] } })], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions }))
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('ResponseShapeDrift')
    expect(r.json.error.message).toMatch(/at Regions\.Region\[0\]\.RegionId: .* found 7/)
  })
})

describe('permission errors are one kind for every skill', () => {
  it.each(['Forbidden.RAM', 'NoPermission', 'AccessDenied', 'Sysom.NoPermission', 'InvalidAccessKeyId.NotFound'])('%s', async (code) => {
    let kind: string | undefined
    await runProbe(policy, [b.apiError(describeRegions(), { code, message: 'denied' })], async (ctx) => {
      const res = await ctx.cli.attempt({ argv: describeRegions(), schema: Regions })
      kind = res.ok ? undefined : res.error.kind
    })
    expect(kind).toBe('permission')
  })
})

describe('parseOutput', () => {
  const schema = z.object({ Instances: z.object({ Instance: z.array(z.object({ ZoneId: z.string() })) }) })

  it('names the JSON path that drifted and the value found', () => {
    const stdout = JSON.stringify({ Instances: { Instance: [{ ZoneId: 42 }] } })
    expect(() => parseOutput('describe source', stdout, schema)).toThrow(/at Instances\.Instance\[0\]\.ZoneId: .*found 42/)
  })

  it.each([
    ['', 'EmptyOutput'],
    ['{"Instances": {"Instance": [', 'TruncatedOutput'],
    ['Skip invoke in dry-run mode', 'InvalidJsonOutput'],
  ])('types bad stdout %j as %s', (stdout, code) => {
    try {
      parseOutput('x', stdout, schema)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(CliError)
      expect((e as CliError).code).toBe(code)
    }
  })
})


describe('a CLI that exits 0 on a configuration it cannot load (≤ 3.4.11, main/main.go:83-87)', () => {
  it('is a configuration error, not "printed nothing"', async () => {
    const entry = { ...b.api(describeRegions(), {}), stdout: '', stdout_json: undefined, stderr: 'ERROR: load current configuration failed invalid character \'x\' looking for beginning of value' }
    const r = await runProbe(policy, [entry], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions }))
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('CliConfigurationError')
    expect(r.json.error.message).toMatch(/load current configuration failed/)
  })
})

describe('replayed calls never wait', () => {
  it('a recorded delay moves the run’s virtual clock; nothing waits for it', async () => {
    // An hour of replay time: a test that waited for it could never pass.
    const slow = { ...b.api(describeRegions(), regionsBody), delay_ms: 3_600_000 }
    const r = await runProbe(policy, [slow, b.api(describeRegions(), regionsBody)], async (ctx) => {
      await ctx.cli.json({ argv: describeRegions(), schema: Regions })
      const after = ctx.clock.now()
      await ctx.cli.json({ argv: describeRegions(), schema: Regions })
      return { after, end: ctx.clock.now() }
    })
    expect(r.code).toBe(0)
    expect(r.json.data).toEqual({ after: 3_600_000, end: 3_600_000 })
  })

  it('a call marked hang (fault injection) is held until the run’s signal aborts, then ends with its reason', async () => {
    const transport = new ReplayTransport(new Replayer(transcript(policy.name, 'hang', [{ ...b.api(describeRegions(), regionsBody), hang: true }])))
    const ctl = new AbortController()
    let settled = false
    const call = transport.exec({ argv: b.api(describeRegions(), regionsBody).argv, timeoutMs: 1000, signal: ctl.signal, clock: new VirtualClock(0) }).finally(() => (settled = true))
    await new Promise((r) => setImmediate(r))
    expect(settled).toBe(false)
    ctl.abort(new InterruptedError('SIGINT'))
    await expect(call).rejects.toMatchObject({ code: 'Interrupted', signal: 'SIGINT' })
  })
})

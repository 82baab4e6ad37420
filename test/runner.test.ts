// The shared runner and skill factory, driven in-process with small probe skills under the real
// policies and a strict replay transport (a call nobody recorded fails the run).

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { VirtualClock } from '../lib/clock.js'
import { api } from '../lib/command.js'
import { CliError, StopError } from '../lib/errors.js'
import { defineSkill, runSkill, type RunDeps, type SkillContext } from '../lib/skill.js'
import { Replayer, type Entry } from '../lib/transcript.js'
import { ReplayTransport } from '../lib/transport.js'
import { builder, transcript } from './support/cli-facts.js'
import { tempDir } from './support/run.js'

const Regions = z.object({ Regions: z.object({ Region: z.array(z.object({ RegionId: z.string() })) }) })
const regionsBody = { Regions: { Region: [{ RegionId: 'cn-beijing' }] } }
const describeRegions = () => api('ecs', 'describe-regions', { 'biz-region-id': 'cn-beijing' })

async function run(skill: string, entries: Entry[], body: (ctx: SkillContext) => Promise<unknown>, deps: RunDeps & { argv?: string[] } = {}) {
  const replayer = new Replayer(transcript(skill, 'probe', entries))
  const clock = new VirtualClock(0)
  let stdout = ''
  let stderr = ''
  const def = defineSkill({
    name: skill,
    summary: 'probe',
    usage: 'probe',
    options: { zone: { type: 'string', description: 'zone' } },
    async run(ctx) {
      return { data: await body(ctx) }
    },
  })
  const dir = tempDir()
  const code = await runSkill(def, deps.argv ?? [], {
    env: { HOME: dir, ALIYUN_HARNESS_STATE_DIR: dir },
    stdout: { write: (s: string) => (stdout += s), isTTY: deps.stdout?.isTTY },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: deps.stdin,
    prompter: deps.prompter,
    installSignalHandlers: false,
    transport: new ReplayTransport(replayer),
    clock,
  })
  let json: any
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }
  return { code, stdout, stderr, json, clock, unused: replayer.unused() }
}

describe('policy refusal', () => {
  it('blocks a forbidden command before it runs: exit 4, status blocked, the refusal in steps', async () => {
    const r = await run('ecs-dr', [], (ctx) => ctx.cli.json({ argv: api('ecs', 'delete-instance', { 'instance-id': 'i-1' }), schema: z.object({}) }))
    expect(r.code).toBe(4)
    expect(r.json).toMatchObject({ status: 'blocked', error: { code: 'BlockedByPolicy', message: expect.stringMatching(/no skill deletes anything/) } })
    expect(r.json.steps).toEqual([expect.objectContaining({ step: 'ecs delete-instance', exit_code: -1, error_code: 'BlockedByPolicy' })])
  })
})

describe('retries and waits', () => {
  const b = builder('ecs-dr')
  it('retries a listed error code through the clock, and records each attempt', async () => {
    const entries = [
      b.apiError(describeRegions(), { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' }),
      b.api(describeRegions(), regionsBody),
    ]
    const r = await run('ecs-dr', entries, (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions, retry: { on: ['ServiceUnavailable'], attempts: 4, delayMs: 15_000 } }))
    expect(r.code).toBe(0)
    expect(r.clock.now()).toBe(15_000)
    expect(r.json.steps.map((s: { attempt: number; error_code?: string }) => [s.attempt, s.error_code ?? null])).toEqual([[1, 'ServiceUnavailable'], [2, null]])
    expect(r.stderr).toMatch(/ServiceUnavailable; retrying in 15 s \(attempt 2 of 4\)/)
  })

  it('does not retry an error code that is not listed, and reports the API fields', async () => {
    const entries = [b.apiError(describeRegions(), { code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.', requestId: 'RID-1' })]
    const r = await run('ecs-dr', entries, (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions, retry: { on: ['ServiceUnavailable'], attempts: 4, delayMs: 15_000 } }))
    expect(r.code).toBe(1)
    expect(r.json.error).toEqual({ code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.', request_id: 'RID-1', recommend: expect.stringMatching(/troubleshoot/) })
    expect(r.clock.now()).toBe(0)
  })

  it('polls on the clock until the condition holds', async () => {
    const states = ['Pending', 'Starting', 'Running']
    const entries = states.map((s) => b.api(describeRegions(), { Regions: { Region: [{ RegionId: s }] } }))
    const r = await run('ecs-dr', entries, async (ctx) => {
      const { attempts } = await ctx.cli.poll({ step: { argv: describeRegions(), schema: Regions }, everyMs: 10_000, timeoutMs: 300_000, until: (d) => d.Regions.Region[0].RegionId === 'Running' })
      return { attempts }
    })
    expect(r.json.data).toEqual({ attempts: 3 })
    expect(r.clock.now()).toBe(20_000)
  })
})

describe('parsing', () => {
  it('a response that drifted fails naming the path and the value', async () => {
    const b = builder('ecs-dr')
    const r = await run('ecs-dr', [b.api(describeRegions(), { Regions: { Region: [{ RegionId: 7 }] } })], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions }))
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('ResponseShapeDrift')
    expect(r.json.error.message).toMatch(/at Regions\.Region\[0\]\.RegionId: .* found 7/)
  })
})

describe('ai-mode lifecycle', () => {
  const b = builder('ack-profile')
  const lifecycle = (middle: Entry[]) => [b.aiModeEnable(), b.aiModeSetUserAgent(), ...middle, b.aiModeDisable()]

  it.each([
    ['a stop condition', () => Promise.reject(new StopError('ClusterNotRunning', 'stop'))],
    ['an API failure', () => Promise.reject(new CliError('server', 'Forbidden.RAM', 'no'))],
    ['success', () => Promise.resolve({ ok: true })],
  ])('disables ai-mode after %s', async (_n, body) => {
    const r = await run('ack-profile', lifecycle([]), body)
    expect(r.unused).toEqual([])
    expect(r.json.steps.map((s: { step: string }) => s.step)).toEqual(['configure ai-mode enable', 'configure ai-mode set-user-agent', 'configure ai-mode disable'])
  })

  it('never touches ai-mode for a skill whose policy does not use it', async () => {
    const r = await run('ecs-dr', [], () => Promise.resolve(null))
    expect(r.code).toBe(0)
    expect(r.json.steps).toEqual([])
  })
})

describe('result data shows only the secrets its policy names (reveal_in_result, D7)', () => {
  const TOKEN = 'NjM0ZGJlYzItZXhhbXBsZS1lYXMtdG9rZW4tOWYxYQ=='
  const eas = builder('eas-deploy')
  const easLifecycle = [eas.aiModeEnable(), eas.aiModeSetUserAgent(), eas.aiModeDisable()]

  it("another skill's AccessToken key is scrubbed, even with the value registered under that name", async () => {
    const r = await run('ecs-dr', [], async (ctx) => {
      ctx.io.redactor.addSecret(TOKEN, 'AccessToken')
      return { AccessToken: TOKEN, example: `-H "Authorization: ${TOKEN}"` }
    })
    expect(r.code).toBe(0)
    expect(r.json.data).toEqual({ AccessToken: '***', example: '-H "Authorization: ***"' })
  })

  it("eas-deploy's data keeps its AccessToken and scrubs every other registered secret", async () => {
    const r = await run('eas-deploy', easLifecycle, async (ctx) => {
      ctx.io.redactor.addSecret(TOKEN, 'AccessToken')
      ctx.io.redactor.addSecret('unnamed-secret-123')
      ctx.io.redactor.addSecret('other-named-456', 'Password')
      ctx.io.note(`token ${TOKEN}`)
      return { AccessToken: TOKEN, summary: `-H "Authorization: ${TOKEN}"`, notes: ['unnamed-secret-123', 'other-named-456'], Other: { AccessToken: 'a-different-token-789' } }
    })
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.data).toEqual({ AccessToken: TOKEN, summary: `-H "Authorization: ${TOKEN}"`, notes: ['***', '***'], Other: { AccessToken: '***' } })
    expect(r.stderr).toContain('token ***')
    expect(r.stderr).not.toContain(TOKEN)
  })

  it('the revealed token never reaches the rest of the result (an error carrying it is scrubbed)', async () => {
    const r = await run('eas-deploy', easLifecycle, async (ctx) => {
      ctx.io.redactor.addSecret(TOKEN, 'AccessToken')
      throw new StopError('ServiceFailed', `the service answered with ${TOKEN}`)
    })
    expect(r.json.error.message).toBe('the service answered with ***')
    expect(r.stdout).not.toContain(TOKEN)
  })
})

describe('decisions', () => {
  const spec = {
    id: 'zone',
    question: 'Which zone?',
    flag: '--zone',
    options: [
      { value: 'cn-beijing-k', label: 'cn-beijing-k (WithStock)' },
      { value: 'cn-beijing-h', label: 'cn-beijing-h (WithStock)', recommended: true },
    ],
  }

  it('without a terminal: exit 3, recommended first, a continuation command per option', async () => {
    const r = await run('ecs-dr', [], (ctx) => ctx.decide(spec), { argv: ['--zone', 'old', '--json', '--replay', 'x.json'] })
    expect(r.code).toBe(3)
    expect(r.json.status).toBe('needs_input')
    expect(r.json.input.options.map((o: { value: string }) => o.value)).toEqual(['cn-beijing-h', 'cn-beijing-k'])
    expect(r.json.input.options[0]).toMatchObject({ recommended: true, argv: ['ecs-dr', '--json', '--zone', 'cn-beijing-h'], command: 'aliyun-harness ecs-dr --json --zone cn-beijing-h' })
  })

  it('on a terminal: the prompt answers and the run goes on', async () => {
    const r = await run('ecs-dr', [], async (ctx) => ({ chosen: await ctx.decide(spec) }), {
      stdout: { write: () => true, isTTY: true },
      stdin: { isTTY: true },
      prompter: async (s) => s.options[1].value,
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/✔ ecs-dr: completed/)
  })

  it('on a terminal the context shown before the prompt is scrubbed (it may quote a CLI error)', async () => {
    const r = await run('ecs-dr', [], async (ctx) => ({ chosen: await ctx.decide({ ...spec, context: 'InvalidParameter: password=hunter2hunter2 rejected' }) }), {
      stdout: { write: () => true, isTTY: true },
      stdin: { isTTY: true },
      prompter: async (s) => s.options[0].value,
    })
    expect(r.stderr).toContain('InvalidParameter: password=*** rejected')
    expect(r.stderr).not.toContain('hunter2hunter2')
  })
})

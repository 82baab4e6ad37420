// runSkill, the factory every skill runs in: the ai-mode lifecycle on every way out, result data
// that shows only what the policy reveals, decisions with and without a terminal, regional flags
// from the policy — driven in-process by a probe skill under its own injected policy.

import { describe, expect, it } from 'vitest'
import { CliError, StopError } from '../lib/errors.js'
import type { Entry } from '../lib/transcript.js'
import { builder } from './support/cli-facts.js'
import { probePolicy, runProbe } from './support/probe.js'

describe('ai-mode lifecycle', () => {
  const policy = probePolicy({ ai_mode: true })
  const b = builder(policy)
  const lifecycle = (middle: Entry[]) => [b.aiModeEnable(), b.aiModeSetUserAgent(), ...middle, b.aiModeDisable()]

  it.each([
    ['a stop condition', () => Promise.reject(new StopError('ClusterNotRunning', 'stop'))],
    ['an API failure', () => Promise.reject(new CliError('server', 'Forbidden.RAM', 'no'))],
    ['success', () => Promise.resolve({ ok: true })],
  ])('disables ai-mode after %s', async (_n, body) => {
    const r = await runProbe(policy, lifecycle([]), body)
    expect(r.unused).toEqual([])
    expect(r.json.steps.map((s: { step: string }) => s.step)).toEqual(['configure ai-mode enable', 'configure ai-mode set-user-agent', 'configure ai-mode disable'])
  })

  it('never touches ai-mode for a skill whose policy does not use it', async () => {
    const r = await runProbe(probePolicy(), [], () => Promise.resolve(null))
    expect(r.code).toBe(0)
    expect(r.json.steps).toEqual([])
  })
})

describe('result data shows only the secrets its policy names (reveal_in_result, D7)', () => {
  const TOKEN = 'NjM0ZGJlYzItZXhhbXBsZS1lYXMtdG9rZW4tOWYxYQ=='
  const revealing = probePolicy({ reveal_in_result: ['AccessToken'] })

  it('without reveal_in_result, an AccessToken is scrubbed, even with the value registered under that name', async () => {
    const r = await runProbe(probePolicy(), [], async (ctx) => {
      ctx.io.redactor.addSecret(TOKEN, 'AccessToken')
      return { AccessToken: TOKEN, example: `-H "Authorization: ${TOKEN}"` }
    })
    expect(r.code).toBe(0)
    expect(r.json.data).toEqual({ AccessToken: '***', example: '-H "Authorization: ***"' })
  })

  it('with it, data keeps that one value and scrubs every other registered secret', async () => {
    const r = await runProbe(revealing, [], async (ctx) => {
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

  it('the revealed value never reaches the rest of the result (an error carrying it is scrubbed)', async () => {
    const r = await runProbe(revealing, [], async (ctx) => {
      ctx.io.redactor.addSecret(TOKEN, 'AccessToken')
      throw new StopError('ServiceFailed', `the service answered with ${TOKEN}`)
    })
    expect(r.json.error.message).toBe('the service answered with ***')
    expect(r.stdout).not.toContain(TOKEN)
  })
})

describe('decisions', () => {
  const policy = probePolicy()
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
    const r = await runProbe(policy, [], (ctx) => ctx.decide(spec), { argv: ['--zone', 'old', '--json', '--replay', 'x.json'] })
    expect(r.code).toBe(3)
    expect(r.json.status).toBe('needs_input')
    expect(r.json.input.options.map((o: { value: string }) => o.value)).toEqual(['cn-beijing-h', 'cn-beijing-k'])
    expect(r.json.input.options[0]).toMatchObject({ recommended: true, argv: ['probe', '--json', '--zone', 'cn-beijing-h'], command: 'aliyun-harness probe --json --zone cn-beijing-h' })
  })

  it('continuations carry what the run asks them to (ctx.continueWith)', async () => {
    const r = await runProbe(policy, [], (ctx) => (ctx.continueWith(['--resume', 'abc123']), ctx.decide(spec)))
    expect(r.json.input.options[0].argv).toEqual(['probe', '--zone', 'cn-beijing-h', '--resume', 'abc123'])
  })

  it('on a terminal: the prompt answers and the run goes on', async () => {
    const r = await runProbe(policy, [], async (ctx) => ({ chosen: await ctx.decide(spec) }), {
      stdout: { write: () => true, isTTY: true },
      stdin: { isTTY: true },
      prompter: async (s) => s.options[1].value,
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/✔ probe: completed/)
  })

  it('on a terminal the context, question and labels shown are scrubbed (they may quote a CLI error)', async () => {
    let shown = ''
    const r = await runProbe(policy, [], async (ctx) => ({ chosen: await ctx.decide({ ...spec, question: 'Key LTAI5tAbCdEfGhIjKlMnOpQr?', context: 'InvalidParameter: password=hunter2hunter2 rejected' }) }), {
      stdout: { write: () => true, isTTY: true },
      stdin: { isTTY: true },
      prompter: async (s) => ((shown = `${s.question} ${s.options.map((o) => o.label).join(' ')}`), s.options[0].value),
    })
    expect(r.stderr).toContain('InvalidParameter: password=*** rejected')
    expect(r.stderr).not.toContain('hunter2hunter2')
    expect(shown).toContain('Key LTAI***?')
  })
})

describe('the context', () => {
  it('builds regional flags from the policy (one helper for every skill)', async () => {
    const endpoint = await runProbe(probePolicy(), [], async (ctx) => ctx.region('ecs', 'cn-hangzhou'))
    expect(endpoint.json.data).toEqual({ 'biz-region-id': 'cn-hangzhou', endpoint: 'ecs.cn-hangzhou.aliyuncs.com' })
    const region = await runProbe(probePolicy({ region: { endpoint: 'region', business_flags: {} } }), [], async (ctx) => ctx.region('eas', 'cn-hangzhou'))
    expect(region.json.data).toEqual({ region: 'cn-hangzhou' })
  })

  it('a resumed run takes its run id and session id back', async () => {
    const session = 'abcdefabcdefabcdefabcdefabcdef12'
    const r = await runProbe(probePolicy({ session_id_in_user_agent: true }), [], async (ctx) => {
      ctx.resume({ runId: 'run-old', sessionId: session })
      return { run: ctx.runId, session: ctx.sessionId }
    })
    expect(r.json.data).toEqual({ run: 'run-old', session })
    expect(r.json.run_id).toBe('run-old')
  })

  it('warnings end up in the result', async () => {
    const r = await runProbe(probePolicy(), [], async (ctx) => (ctx.warn({ code: 'Something', message: 'you should know' }), null))
    expect(r.code).toBe(0)
    expect(r.json.warnings).toEqual([{ code: 'Something', message: 'you should know' }])
  })
})

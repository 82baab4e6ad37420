// lib/finish.ts: a run's result as output — here, result data that shows only the secrets its
// policy names (reveal_in_result, D7). Driven in-process by the probe skill.

import { describe, expect, it } from 'vitest'
import { StopError } from '../lib/errors.js'
import { probePolicy, runProbe } from './support/probe.js'

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

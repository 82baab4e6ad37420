// lib/context.ts: the context every skill step receives — run and session ids a resumed run takes
// back, warnings that reach the result. Driven by the probe skill.

import { describe, expect, it } from 'vitest'
import { probePolicy, runProbe } from './support/probe.js'

describe('the context', () => {
  it('ctx.region builds the regional flags from the run’s policy (lib/region.ts)', async () => {
    const r = await runProbe(probePolicy({ region: { endpoint: 'region', business_flags: {} } }), [], async (ctx) => ctx.region('eas', 'cn-hangzhou'))
    expect(r.json.data).toEqual({ region: 'cn-hangzhou' })
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

// runSkill, the factory every skill runs in: the ai-mode lifecycle on every way out — driven
// in-process by a probe skill under its own injected policy. The pieces it is built from have their
// own files: context.test.ts, decide.test.ts, finish.test.ts, run-mode.test.ts.

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

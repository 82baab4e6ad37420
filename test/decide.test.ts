// lib/decide.ts: a decision the run cannot make alone — without a terminal a needs_input result
// (exit 3) with a continuation per option, on a terminal a prompt. Driven by the probe skill.

import { describe, expect, it } from 'vitest'
import { probePolicy, runProbe } from './support/probe.js'

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

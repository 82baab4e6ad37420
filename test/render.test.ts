// What people read (lib/render.ts): table cells capped so cloud data of any size renders at once
// and stays readable (the full value is in the JSON result and the --output file), prose wrapped to
// the terminal under its list marker, and the text of a replay miss ending its sentence once.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../lib/paths.js'
import { CELL_MAX_CHARS, CELL_MAX_LINES, createHuman } from '../lib/render.js'
import { displayWidth } from '../lib/text-width.js'
import { transcript } from './support/cli-facts.js'
import { runInPty } from './support/pty.js'
import { runBin, writeTranscript } from './support/run.js'

function rendered(width: number | undefined, draw: (h: ReturnType<typeof createHuman>) => void): string {
  let out = ''
  draw(createHuman((s) => (out += s), (s) => s, width))
  return out
}

const longName = Array.from({ length: 150 }, (_, i) => `line ${i} of a description someone pasted into the instance name`).join('\n')

describe('a table cell holding a 150-line value', () => {
  it.each([
    ['a wide terminal', 200],
    ['80 columns (wrapped within the column)', 80],
    ['40 columns (narrow columns)', 40],
    ['30 columns (stacked rows)', 30],
    ['a pipe (no width)', undefined],
  ])('on %s shows its first lines, then …', (_where, width) => {
    const out = rendered(width, (h) => h.table(['Region', 'Name', 'Status'], [['cn-hangzhou', longName, 'Running'], ['cn-beijing', 'short', 'Running']]))
    expect(out).toMatch(/\bline 0 /)
    expect(out).not.toContain('line 149')
    expect(out).toContain('…')
    expect(out).toContain('Running')
    expect(out).toContain('short')
    expect(out.split('\n').length).toBeLessThan(40)
  })

  it('a single line longer than the cap is cut at the cap', () => {
    const out = rendered(undefined, (h) => h.table(['Name'], [['x'.repeat(5000)]]))
    expect(out).toContain(`${'x'.repeat(CELL_MAX_CHARS)}…`)
    expect(out).not.toContain('x'.repeat(CELL_MAX_CHARS + 1))
  })

  it('a value within the cap is shown whole', () => {
    const value = Array.from({ length: CELL_MAX_LINES }, (_, i) => `line ${i}`).join('\n')
    const out = rendered(undefined, (h) => h.table(['Name'], [[value]]))
    for (let i = 0; i < CELL_MAX_LINES; i++) expect(out).toContain(`line ${i}`)
    expect(out).not.toContain('…')
  })
})

describe('prose', () => {
  const item = '- Biggest risk: 1 instance locked by an operation lock (financial or security): expired, in arrears or suspended in cn-hangzhou'

  it('is wrapped to the terminal, continuation lines under the text of a "- " or "1. " item', () => {
    const out = rendered(40, (h) => h.prose(`${item}\n  1. numbered items keep their own indent when they run over the width`))
    const lines = out.trimEnd().split('\n')
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(40)
    expect(lines[0]).toMatch(/^- Biggest risk:/)
    const at = lines.findIndex((l) => l.startsWith('  1. numbered'))
    expect(at).toBeGreaterThan(1)
    expect(lines.slice(1, at).filter((l) => !/^ {2}\S/.test(l))).toEqual([])
    expect(lines.length).toBeGreaterThan(at + 1)
    expect(lines.slice(at + 1).filter((l) => !/^ {5}\S/.test(l))).toEqual([])
  })

  it('is left as written when the width is unknown (a pipe, a file)', () => {
    expect(rendered(undefined, (h) => h.prose(item))).toBe(`${item}\n`)
  })

  it('the ecs-review report on an 80-column terminal: no line is wider, and items continue under their text', async () => {
    // The report is stdout; the demo's own lines on stderr are not part of it.
    const res = await runInPty(['demo', 'ecs-review'], { cols: 80, redirect: '2>/dev/null' })
    expect(res.code).toBe(0)
    const lines = res.text.split('\n')
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(80)
    const risk = lines.findIndex((l) => l.startsWith('- Biggest risk:'))
    expect(risk).toBeGreaterThan(0)
    expect(lines[risk + 1]).toMatch(/^ {2}\S/)
  })
})

describe('a replay miss that no recorded call is close to', () => {
  const empty = () => writeTranscript(transcript('ecs-dr', 'no calls', []))
  const args = ['ecs-dr', '--region', 'cn-hangzhou', '--instance-id', 'i-bp1abc']

  it.each([
    ['--human', ['--human']],
    ['JSON', ['--json']],
  ])('ends its sentence with one period (%s)', async (_mode, extra) => {
    const res = await runBin([...args, '--replay', empty(), ...extra])
    expect(res.code).toBe(1)
    expect(res.stdout).toMatch(/No recorded call is close to it\./)
    expect(res.stdout).not.toMatch(/\.\.(?!\.)/)
  })

  it('ends its sentence with one period (the replay tool)', async () => {
    const res = await runBin(['replay', empty(), '--', 'node', join(packageRoot(), 'dist/bin/aliyun-harness.js'), ...args, '--human'])
    expect(res.stderr).toMatch(/No recorded call is close to it\.$/m)
    expect(res.stdout + res.stderr).not.toMatch(/\.\.(?!\.)/)
  })
})

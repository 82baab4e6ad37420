// What a person at a terminal sees, under a real pseudo-terminal (test/support/pty.ts): tables that
// fit the width, progress lines cleared when their step ends, plain lines for TERM=dumb or a
// redirected stderr, Esc at a prompt, flink's tables, and JSON still on demand.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../lib/paths.js'
import { displayWidth } from '../lib/text-width.js'
import { ARGS } from './recordings/ecs-dr.js'
import { finalScreen, runInPty } from './support/pty.js'
import { tempDir } from './support/run.js'

const recording = (skill: string, name: string) => join(packageRoot(), 'recordings', skill, `${name}.json`)
const COMPARISON = ['Region', 'Zone', 'Status', 'Instance type', 'Private IP', 'VPC', 'VSwitch', 'Security group', 'Instance charge type', 'Internet charge type', 'Bandwidth out (Mbit/s)', 'Image disk mappings', 'System disk /dev/xvda', 'Data disk /dev/xvdb', 'Data disk /dev/xvdc']
const BOX = /[┌┐└┘├┤┬┴┼│─]/

/** Lines a layout drew: tables and the comparison block — prose is left to the terminal's own wrapping. */
function layoutLines(text: string): string[] {
  const at = text.indexOf('Source vs new instance')
  const comparison = at < 0 ? [] : text.slice(at, text.indexOf('Every row matches', at)).split('\n')
  return [...text.split('\n').filter((l) => BOX.test(l)), ...comparison]
}

describe('tables fit the terminal', () => {
  it('at 80 columns the ecs-dr comparison is stacked, complete, and nothing drawn is wider than 80', async () => {
    const res = await runInPty(['demo', 'ecs-dr'], { cols: 80 })
    expect(res.code).toBe(0)
    const drawn = layoutLines(res.text)
    expect(drawn.length).toBeGreaterThan(50)
    for (const line of drawn) expect(displayWidth(line), line).toBeLessThanOrEqual(80)
    const comparison = res.text.slice(res.text.indexOf('Source vs new instance'))
    for (const item of COMPARISON) expect(comparison).toMatch(new RegExp(`^Item: +${item.replace(/[()/]/g, '\\$&')}$`, 'm'))
    expect(comparison).toMatch(/^Source: +sg-bp1dr0web00001, sg-bp1dr0ops00001$/m)
  })

  it('at 100 columns it is a table again, wrapped within its columns, ids whole', async () => {
    const res = await runInPty(['demo', 'ecs-dr'], { cols: 100 })
    expect(res.code).toBe(0)
    const comparison = res.text.slice(res.text.indexOf('Source vs new instance'))
    expect(comparison).toMatch(/^│ Item +│ Source +│ New +│ OK │ Note +│$/m)
    expect(comparison).toMatch(/│ VPC +│ vpc-bp1dr0vpc00001 +│ vpc-bp1dr0vpc00001 +│ ✔ +│ same +│/)
    for (const line of layoutLines(res.text)) expect(displayWidth(line), line).toBeLessThanOrEqual(100)
  })

  it('the ecs-review report fits 80 columns too', async () => {
    const res = await runInPty(['demo', 'ecs-review'], { cols: 80 })
    expect(res.code).toBe(0)
    for (const line of layoutLines(res.text)) expect(displayWidth(line), line).toBeLessThanOrEqual(80)
    expect(res.text).toMatch(/│ i-bp1locked0000001 │/)
  })
})

describe('progress', () => {
  it('is rewritten in place and cleared when its step ends: no progress line is left on screen', async () => {
    const res = await runInPty(['demo', 'ecs-dr'], { cols: 100 })
    expect(res.code).toBe(0)
    expect(res.raw).toContain('\r\u001b[2Kdescribe source instance')
    const screen = finalScreen(res.raw)
    // The notes between steps stay; the step lines before them do not.
    expect(screen).toContain('Image m-bp1dr0image00001 is Available (100%, 3 disk mapping(s)).')
    for (const step of ['aliyun version', 'describe source instance', 'create image', 'describe image', 'run instance', 'describe new instance']) expect(screen).not.toContain(step)
    expect(screen.filter((l) => l.startsWith('… '))).toEqual([])
  })

  it('with TERM=dumb: plain lines and no escape code at all', async () => {
    const res = await runInPty(['demo', 'ecs-dr'], { cols: 100, env: { TERM: 'dumb' } })
    expect(res.code).toBe(0)
    expect(res.raw).not.toContain('\u001b')
    expect(res.text).toMatch(/^… describe source instance$/m)
    expect(res.text).toMatch(/^✔ ecs-dr: completed$/m)
  })

  it('with stderr taken off the terminal: plain lines there, the report still on the terminal', async () => {
    const dir = tempDir()
    const log = join(dir, 'stderr.log')
    const res = await runInPty(['demo', 'ecs-dr'], { cols: 100, dir, redirect: `2>${log}` })
    expect(res.code).toBe(0)
    const stderr = readFileSync(log, 'utf8')
    expect(stderr).not.toContain('\u001b')
    expect(stderr).toMatch(/^… describe source instance$/m)
    expect(res.text).toMatch(/Source vs new instance/)
  })
})

describe('prompts', () => {
  const args = [...ARGS['decision-target-zone'], '--replay', recording('ecs-dr', 'decision-target-zone')]
  const answerWith = (keys: string) => (output: string, type: (k: string) => void) => {
    if (output.includes('Which zone should the recovered instance run in?') && !answered) {
      answered = true
      type(keys)
    }
  }
  let answered = false

  it('Esc cancels the question: the run ends needing input, with the command that continues each option', async () => {
    answered = false
    const res = await runInPty(args, { cols: 120, onOutput: answerWith('\u001b') })
    expect(answered).toBe(true)
    expect(res.code).toBe(3)
    expect(res.text).toMatch(/^\? ecs-dr: needs_input$/m)
    expect(res.text).toMatch(/^  - cn-hangzhou-j .*\(Recommended\)\n +aliyun-harness ecs-dr --region cn-hangzhou --instance-id i-bp1dr0source0001 .*--target-zone cn-hangzhou-j/m)
    expect(res.text).not.toMatch(/Interrupted/)
  })

  it('Ctrl-C at the prompt is still an interrupt (exit 130)', async () => {
    answered = false
    const res = await runInPty(args, { cols: 120, onOutput: answerWith('\u0003') })
    expect(answered).toBe(true)
    expect(res.code).toBe(130)
    expect(res.text).toMatch(/Interrupted by SIGINT/)
  })
})

describe('output on a terminal', () => {
  it('flink shows tables, not its JSON envelope', async () => {
    const res = await runInPty(['flink', 'describe', '--region_id', 'cn-beijing', '--replay', recording('flink', 'describe')], { cols: 100 })
    expect(res.code).toBe(0)
    expect(res.text).toMatch(/│ f-cn-other0001 │ analytics │ RUNNING │ PayAsYouGo/)
    expect(res.text).not.toMatch(/"success": true/)
  })

  it('--json on a terminal prints the JSON result', async () => {
    const res = await runInPty(['ecs-review', '--region', 'cn-hangzhou', '--replay', recording('ecs-review', 'healthy-fleet'), '--json'], { cols: 100, redirect: '2>/dev/null' })
    expect(res.code).toBe(0)
    expect(JSON.parse(res.text)).toMatchObject({ success: true, skill: 'ecs-review', status: 'completed' })
  })
})

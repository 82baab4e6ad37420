// Small pure pieces: configure list / version parsing, output parsing, the clock.

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { VirtualClock } from '../lib/clock.js'
import { CliError } from '../lib/errors.js'
import { compareVersions, parseConfigureList, parseVersion } from '../lib/local-commands.js'
import { parseOutput } from '../lib/runner.js'
import { configureListText } from './support/cli-facts.js'

describe('local commands', () => {
  it('parses `aliyun version`', () => {
    expect(parseVersion('3.4.11\n')).toBe('3.4.11')
    expect(parseVersion('garbage')).toBeUndefined()
    expect(compareVersions('3.3.15', '3.3.3')).toBeGreaterThan(0)
    expect(compareVersions('3.3.2', '3.3.3')).toBeLessThan(0)
  })

  it('reads profile name, current marker and validity from `configure list`, never the credential column', () => {
    const text = configureListText([
      { name: 'default', current: true, valid: true, region: 'cn-hangzhou', last3: 'a1b' },
      { name: 'prod', valid: false, region: 'cn-beijing', mode: 'StsToken' },
    ])
    const rows = parseConfigureList(text)
    expect(rows).toEqual([
      { name: 'default', current: true, valid: true, region: 'cn-hangzhou' },
      { name: 'prod', current: false, valid: false, region: 'cn-beijing' },
    ])
    expect(JSON.stringify(rows)).not.toContain('a1b')
  })

  it('returns no profiles for output without the table', () => {
    expect(parseConfigureList('')).toEqual([])
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

it('the virtual clock advances without waiting', async () => {
  const c = new VirtualClock(0)
  const t0 = performance.now()
  await c.sleep(10 * 60_000)
  expect(c.now()).toBe(600_000)
  expect(performance.now() - t0).toBeLessThan(1000)
})

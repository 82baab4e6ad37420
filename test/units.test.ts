// Small pure pieces: configure list / version parsing, redaction, output parsing, the clock.

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { VirtualClock } from '../lib/clock.js'
import { CliError } from '../lib/errors.js'
import { compareVersions, parseConfigureList, parseVersion } from '../lib/local-commands.js'
import { Redactor } from '../lib/redact.js'
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

describe('redaction (D7)', () => {
  const secret = 'Zx9Q3kLmN8pR2sT5vW7yA1bC4dE6fG0h'
  const r = new Redactor({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret, ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tQ9xYz8wV7uT6sR5qP4' })

  it.each([
    ['an AccessKey secret from the environment', `token ${secret} here`, secret],
    ['an AccessKey id', 'id LTAI5tAbCdEfGhIjKlMnOpQr', 'LTAI5tAbCdEfGhIjKlMnOpQr'],
    ['an STS token', 'CAIS' + 'q'.repeat(60), 'q'.repeat(60)],
    ['a JSON secret field', '{"AccessKeySecret": "abcdef123456"}', 'abcdef123456'],
    ['an EAS AccessToken field', '{"AccessToken":"ZmYxMmMzYWY4ZDU="}', 'ZmYxMmMzYWY4ZDU='],
    ['an Authorization header', '-H "Authorization: ZmYxMmMzYWY4ZDU="', 'ZmYxMmMzYWY4ZDU='],
    ['key=value forms', 'access_key_secret=hunter2hunter2', 'hunter2hunter2'],
    ['the credential column of configure list', 'default * | AK:***a1b | Valid', 'a1b'],
  ])('scrubs %s', (_n, text, leaked) => {
    expect(r.scrub(text)).not.toContain(leaked)
  })

  it('scrubs values the run learns are secret', () => {
    const red = new Redactor({})
    red.addSecret('tok-123456789')
    expect(red.scrub('curl -H x: tok-123456789')).toBe('curl -H x: ***')
  })

  it('the result-data redactor keeps the AccessToken key but never environment credentials', () => {
    const data = r.forResultData().scrubValue({ AccessToken: 'ZmYxMmMz', note: `key ${secret}` })
    expect(data).toEqual({ AccessToken: 'ZmYxMmMz', note: 'key ***' })
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

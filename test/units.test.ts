// Small pure pieces: argv building, configure list / version parsing, options, the clock.

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { api, flagsToArgv, parseArgv, repeat, shellLine } from '../lib/command.js'
import { VirtualClock } from '../lib/clock.js'
import { withoutFlags } from '../lib/decide.js'
import { CliError, UsageError } from '../lib/errors.js'
import { compareVersions, parseConfigureList, parseVersion } from '../lib/local-commands.js'
import { parseOptions } from '../lib/options.js'
import { parseOutput } from '../lib/runner.js'
import { configureListText } from './support/cli-facts.js'

describe('argv building', () => {
  it('builds argv arrays: one element per JSON argument, repeated groups for struct flags', () => {
    const argv = api('ecs', 'run-instances', {
      'instance-ids': JSON.stringify(['i-1', 'i-2']),
      'data-disk': repeat(['Device=/dev/xvdb', 'Category=cloud_essd', 'Size=40'], ['Device=/dev/xvdc', 'Category=cloud_efficiency', 'Size=100']),
      amount: 1,
      skipped: undefined,
    })
    expect(argv).toEqual([
      'ecs', 'run-instances',
      '--instance-ids', '["i-1","i-2"]',
      '--data-disk', 'Device=/dev/xvdb', 'Category=cloud_essd', 'Size=40',
      '--data-disk', 'Device=/dev/xvdc', 'Category=cloud_efficiency', 'Size=100',
      '--amount', '1',
    ])
  })

  it('attaches a value that starts with - using =, so the CLI does not read it as a flag', () => {
    expect(flagsToArgv({ description: '-rf' })).toEqual(['--description=-rf'])
  })

  it('reads argv back into words and flag groups', () => {
    expect(parseArgv(['plugin', 'install', '--names', 'aiworkspace', 'eas'])).toEqual({ words: ['plugin', 'install'], groups: [{ flag: '--names', values: ['aiworkspace', 'eas'] }] })
    expect(parseArgv(['cs', 'GET', '/clusters/c1', '--user-agent=x'])).toEqual({ words: ['cs', 'GET', '/clusters/c1'], groups: [{ flag: '--user-agent', values: ['x'] }] })
  })

  it('quotes lines shown to people (nothing is run through a shell)', () => {
    expect(shellLine(['aliyun-harness', 'ecs-dr', '--image-name', "it's mine"])).toBe(`aliyun-harness ecs-dr --image-name 'it'\\''s mine'`)
  })

  it('drops decided flags from a continuation in both --f v and --f=v forms', () => {
    expect(withoutFlags(['--region', 'r', '--target-zone', 'z1', '--json', '--target-zone=z2'], ['--target-zone'])).toEqual(['--region', 'r', '--json'])
  })
})

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

describe('options', () => {
  const specs = {
    region: { type: 'string', required: true, description: 'r', pattern: /^[a-z]+-[a-z0-9-]+$/, hint: 'a region id' },
    mode: { type: 'string', description: 'm', choices: ['wait', 'abort'] },
    ids: { type: 'strings', description: 'i' },
    yes: { type: 'boolean', description: 'y' },
  } as const

  it('parses values, comma lists and globals', () => {
    const p = parseOptions(specs, ['--region', 'cn-hangzhou', '--ids', 'a,b', '--ids', 'c', '--json', '--profile', 'p'])
    expect(p.options).toEqual({ region: 'cn-hangzhou', mode: undefined, ids: ['a', 'b', 'c'], yes: false })
    expect(p.globals.json).toBe(true)
    expect(p.globals.profile).toBe('p')
  })

  it.each([
    [['--mode', 'wait'], /--region is required/],
    [['--region', 'Hangzhou'], /--region must be a region id; got 'Hangzhou'/],
    [['--region', 'cn-hangzhou', '--mode', 'later'], /must be one of wait, abort/],
    [['--region', 'cn-hangzhou', '--nope'], /Unknown option '--nope'/],
    [['--region', 'cn-hangzhou', '--record', 'a', '--replay', 'b'], /cannot be used together/],
  ])('rejects %j with a clear message', (argv, msg) => {
    expect(() => parseOptions(specs, argv)).toThrow(UsageError)
    expect(() => parseOptions(specs, argv)).toThrow(msg)
  })
})

it('the virtual clock advances without waiting', async () => {
  const c = new VirtualClock(0)
  const t0 = performance.now()
  await c.sleep(10 * 60_000)
  expect(c.now()).toBe(600_000)
  expect(performance.now() - t0).toBeLessThan(1000)
})

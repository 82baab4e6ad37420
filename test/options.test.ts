// Option parsing: every value is checked before anything runs — format, length, control
// characters, a leading dash, repeats and empty list items — with a message that says what to fix.

import { describe, expect, it } from 'vitest'
import { UsageError } from '../lib/errors.js'
import { parseOptions } from '../lib/options.js'

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
  it.each([
    [['--region', 'cn-hangzhou', '--region', 'cn-beijing'], /--region was given more than once; pass it once/],
    [['--region', 'cn-hangzhou', '--ids', 'a,,b'], /--ids has an empty item/],
    [['--region', 'cn-hangzhou', '--ids', 'a,'], /--ids has an empty item/],
    [['--region=--endpoint=evil'], /--region '--endpoint=evil' starts with "-", like a flag/],
    [['--region', 'cn-hangzhou', '--profile=--endpoint=evil'], /--profile '--endpoint=evil' starts with "-"/],
    [['--region', 'cn-hangzhou', '--profile', ''], /--profile needs a value/],
    [['--region', 'cn-hangzhou', '--profile', 'a b'], /--profile must be a profile name/],
    [['--region', 'cn-\nhangzhou'.replace('\\n', '\n')], /contains a control character/],
    [['--region', `cn-${'a'.repeat(300)}`], /is 303 characters long; at most 256 are accepted/],
    [['--region', 'cn-hangzhou', 'extra\u0007'], /Unexpected argument|not a valid command word/],
  ])('rejects %j before anything runs', (argv, msg) => {
    expect(() => parseOptions(specs, argv)).toThrow(UsageError)
    expect(() => parseOptions(specs, argv)).toThrow(msg)
  })

  it('lets prose options take a leading dash and longer text, within their own limit', () => {
    const prose = { note: { type: 'string', description: 'n', freeText: true, maxLength: 1000 } } as const
    expect(parseOptions(prose, ['--note=-verbose and long']).options.note).toBe('-verbose and long')
    expect(() => parseOptions(prose, ['--note', 'x'.repeat(1001)])).toThrow(/at most 1000/)
  })

  it('shows a hostile value safely in the message (cut short, control characters escaped)', () => {
    expect(() => parseOptions(specs, ['--region', `bad\u001b[31m${'x'.repeat(100)}`])).toThrow(/--region 'bad\\x1b\[31mx+…' contains a control character/)
  })
})

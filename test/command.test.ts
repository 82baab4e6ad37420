// Commands are argv arrays built by one serializer: values can never become flags or words.

import { describe, expect, it } from 'vitest'
import { api, flagsToArgv, parseArgv, repeat, shellLine } from '../lib/command.js'
import { withoutFlags } from '../lib/decide.js'
import { UsageError } from '../lib/errors.js'

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
  it('refuses a dash-led item inside a list (no =-form exists for it), naming the flag and the item', () => {
    expect(() => flagsToArgv({ 'resource-id': ['f-cn-a', '--endpoint=evil.example.com'] })).toThrow(UsageError)
    expect(() => flagsToArgv({ 'resource-id': ['f-cn-a', '--endpoint=evil.example.com'] })).toThrow(/--resource-id: the list item "--endpoint=evil\.example\.com" starts with "-"/)
    expect(() => flagsToArgv({ 'data-disk': repeat(['Device=/dev/xvdb', '-x']) })).toThrow(/starts with "-"/)
    expect(flagsToArgv({ 'resource-id': ['f-cn-a', 'f-cn-b'] })).toEqual(['--resource-id', 'f-cn-a', 'f-cn-b'])
  })

  it('never builds a flag from a name that is not one', () => {
    expect(() => flagsToArgv({ 'x --y': 'v' })).toThrow(/is not a flag name/)
  })
})

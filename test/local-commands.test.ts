// The two local commands every skill reads: `aliyun version` and `aliyun configure list`.

import { describe, expect, it } from 'vitest'
import { compareVersions, parseConfigureList, parseVersion } from '../lib/local-commands.js'
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


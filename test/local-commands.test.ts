// The local commands the harness reads: `aliyun version`, `aliyun configure list`, and for doctor
// `aliyun plugin list` and `aliyun plugin show`.

import { describe, expect, it } from 'vitest'
import { compareVersions, parseConfigureList, parsePluginList, parsePluginShow, parseVersion, pluginFor } from '../lib/local-commands.js'
import { configureListText } from './support/cli-facts.js'
import { pluginListText, pluginShowText } from './support/fake-cli.js'

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


describe('plugin commands (doctor)', () => {
  it('reads names and versions from `plugin list`, header and dashes skipped, and finds a product’s plugin by short or full name', () => {
    const rows = parsePluginList(pluginListText([{ name: 'aliyun-cli-ess', version: '0.3.1' }, { name: 'aliyun-cli-ecs', version: '0.1.0' }]))
    expect(rows).toEqual([{ name: 'aliyun-cli-ecs', version: '0.1.0' }, { name: 'aliyun-cli-ess', version: '0.3.1' }])
    expect(pluginFor(rows, 'ESS')?.name).toBe('aliyun-cli-ess')
    expect(pluginFor([{ name: 'eas', version: '1.0.0' }], 'eas')?.name).toBe('eas')
    expect(pluginFor(rows, 'eci')).toBeUndefined()
    expect(parsePluginList(pluginListText([]))).toEqual([])
  })

  it('reads the API lines of `plugin show` only when the plugin declares them', () => {
    expect(parsePluginShow(pluginShowText({ name: 'aliyun-cli-ess', version: '0.3.1', apiDefault: '2014-08-28', apiSupported: ['2014-08-28', '2022-02-22'] }))).toEqual({
      name: 'aliyun-cli-ess',
      version: '0.3.1',
      apiDefault: '2014-08-28',
      apiSupported: ['2014-08-28', '2022-02-22'],
    })
    expect(parsePluginShow(pluginShowText({ name: 'aliyun-cli-ecs', version: '0.1.0' }))).toMatchObject({ apiDefault: undefined, apiSupported: [] })
  })
})

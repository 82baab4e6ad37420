// lib/region.ts: the regional flags of an API command, built one way for every skill from its
// policy's `region` style.

import { describe, expect, it } from 'vitest'
import { regionFlags } from '../lib/region.js'
import { probePolicy } from './support/probe.js'

describe('regionFlags', () => {
  it('the business region flag of the product, then the endpoint — or the CLI’s --region', () => {
    expect(regionFlags(probePolicy(), 'ecs', 'cn-hangzhou')).toEqual({ 'biz-region-id': 'cn-hangzhou', endpoint: 'ecs.cn-hangzhou.aliyuncs.com' })
    expect(regionFlags(probePolicy({ region: { endpoint: 'region', business_flags: {} } }), 'eas', 'cn-hangzhou')).toEqual({ region: 'cn-hangzhou' })
  })

  it('a policy that does not say how its commands name a region is a bug, named as such', () => {
    expect(() => regionFlags(probePolicy({ region: undefined }), 'ecs', 'cn-hangzhou')).toThrow(/the probe policy does not say how its commands name a region/)
  })
})

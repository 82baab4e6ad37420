// The shared pre-checks: the CLI version against the skill's minimum, and credentials checked only
// through `aliyun configure list` — on the profile the CLI will really use.

import { describe, expect, it } from 'vitest'
import { builder } from './support/cli-facts.js'
import { probePolicy, runProbe } from './support/probe.js'

const policy = probePolicy()
const b = builder(policy)

describe('Preflight.credentials', () => {
  const profiles = [
    { name: 'default', current: true, valid: false, region: 'cn-hangzhou' },
    { name: 'prod', valid: true, region: 'cn-beijing' },
  ]

  it('stops when the current profile is invalid, even though another one is valid (the CLI would not use it)', async () => {
    const r = await runProbe(policy, [b.configureList(profiles)], (ctx) => ctx.preflight.credentials())
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('NoValidCredentials')
    expect(r.json.error.message).toMatch(/^Profile 'default' \(the current profile\) is not valid\./)
  })

  it('uses the profile ALIBABA_CLOUD_PROFILE names, as the CLI does', async () => {
    const r = await runProbe(policy, [b.configureList(profiles)], async (ctx) => (await ctx.preflight.credentials()).name, { env: { ALIBABA_CLOUD_PROFILE: 'prod' } })
    expect(r.code, r.stdout).toBe(0)
    expect(r.json.data).toBe('prod')
  })

  it('--profile wins, and a profile that is not configured is named', async () => {
    const r = await runProbe(policy, [{ ...b.configureList(profiles), argv: ['configure', 'list', '--profile', 'staging'] }], (ctx) => ctx.preflight.credentials(), { argv: ['--profile', 'staging'] })
    expect(r.json.error.message).toMatch(/^Profile 'staging' \(named by --profile\) is not configured\./)
  })

  it('shows profile names and validity only, never the credential column', async () => {
    const r = await runProbe(policy, [b.configureList(profiles)], (ctx) => ctx.preflight.credentials())
    expect(r.json.data).toEqual({ profiles: [{ name: 'default', valid: false }, { name: 'prod', valid: true }] })
  })
})

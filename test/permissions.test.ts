// The RAM permissions a skill needs are policy data, stated once per skill (policies.json
// `permissions`) and in the skill's reference ("RAM", with a ready policy JSON); whenever a
// permission error stops a run, the result names all of them — in JSON, on a terminal, in every
// skill — so the user asks for everything once instead of one action per failed run.

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CliError, StopError } from '../lib/errors.js'
import { packageRoot } from '../lib/paths.js'
import { getPolicy, skillNames } from '../lib/policy.js'
import { runSkill } from '../lib/skill.js'
import ecsDr from '../scripts/ecs-dr.js'
import { describeRegions, probePolicy, runProbe } from './support/probe.js'
import { builder, transcript } from './support/cli-facts.js'
import { b as drBuilder, describeSourceArgv, HAPPY_ARGS, NONCE, preflight as drPreflight, RECORDED_AT } from './recordings/ecs-dr.js'
import { cleanEnv, replayBin, tempDir, writeTranscript } from './support/run.js'

const reference = (skill: string) => join(packageRoot(), 'references', `${skill}.md`)

/** The reference's "## RAM" section. */
function ramSection(skill: string): string {
  const text = readFileSync(reference(skill), 'utf8')
  const at = text.indexOf('\n## RAM\n')
  expect(at, `references/${skill}.md has a RAM section`).toBeGreaterThan(0)
  const next = text.indexOf('\n## ', at + 8)
  return text.slice(at, next < 0 ? undefined : next)
}

/** Every action of the section's policy JSON. */
function policyJsonActions(section: string): string[] {
  const json = section.match(/```json\n([\s\S]*?)\n```/)?.[1]
  expect(json, 'the RAM section has a policy JSON').toBeDefined()
  const doc = JSON.parse(json!) as { Version: string; Statement: { Effect: string; Action: string | string[] }[] }
  expect(doc.Version).toBe('1')
  return doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
}

/** The skills that declare permissions and have a reference (both optional for a new skill). */
const DOCUMENTED = skillNames().filter((s) => getPolicy(s).permissions && existsSync(reference(s)))

describe('each skill states what it needs from RAM', () => {
  it('the bundled five declare their permissions and document them in references/<skill>.md', () => {
    expect(DOCUMENTED).toEqual(expect.arrayContaining(['ack-profile', 'eas-deploy', 'ecs-dr', 'ecs-review', 'flink']))
  })

  it.each(DOCUMENTED)('%s: the policy list and the reference’s policy JSON are the same actions; derived ones are marked', (skill) => {
    const permissions = getPolicy(skill).permissions
    expect(permissions?.ram.length).toBeGreaterThan(0)
    const section = ramSection(skill)
    expect(new Set(policyJsonActions(section))).toEqual(new Set(permissions!.ram))
    for (const action of permissions!.ram) expect(section, action).toContain(`\`${action}\``)
    for (const action of permissions!.derived) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${action}\``))
      expect(row, `${action} has a table row`).toBeDefined()
      expect(row, `${action} is marked derived`).toMatch(/derived/)
    }
  })

  it('no skill carries a list of its own: the scripts name no RAM action', () => {
    for (const file of ['scripts/flink/advice.ts', 'scripts/ecs-dr/calls.ts', 'scripts/ack-profile.ts']) {
      const code = readFileSync(join(packageRoot(), file), 'utf8')
      for (const skill of skillNames()) for (const action of getPolicy(skill).permissions?.ram ?? []) expect(code, `${file}: ${action}`).not.toContain(`'${action}'`)
    }
  })
})

/** ecs-dr refused on its first API call, the source lookup. */
const denied = () =>
  transcript('ecs-dr', 'Forbidden.RAM on the source lookup', [...drPreflight(), drBuilder.apiError(describeSourceArgv(), { code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM." })], {
    recordedAt: RECORDED_AT,
    generated: { 'client-token-nonce': [NONCE] },
  })

describe('a run stopped by a permission error names the whole list', () => {
  const policy = probePolicy({ permissions: { ram: ['ecs:DescribeRegions', 'ecs:DescribeInstances', 'vpc:DescribeVpcs'], derived: [] } })
  const b = builder(policy)
  const Regions = z.object({ Regions: z.unknown() })
  const forbidden = () => b.apiError(describeRegions(), { code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.' })
  const call = (ctx: Parameters<Parameters<typeof runProbe>[2]>[0]) => ctx.cli.json({ argv: describeRegions(), schema: Regions })

  it('the refusal itself: error.required_permissions, and a next action that asks for all of it', async () => {
    const r = await runProbe(policy, [forbidden()], call)
    expect(r.code).toBe(1)
    expect(r.json.error).toMatchObject({ code: 'Forbidden.RAM', required_permissions: ['ecs:DescribeRegions', 'ecs:DescribeInstances', 'vpc:DescribeVpcs'] })
    expect(r.json.next_action).toMatch(/grant every RAM permission in error\.required_permissions/)
  })

  it('a skill’s stop caused by the refusal too; a stop with another cause, or none, does not', async () => {
    const wrap = (cause?: unknown) => async (ctx: Parameters<typeof call>[0]) => {
      const res = await ctx.cli.attempt({ argv: describeRegions(), schema: Regions })
      if (!res.ok) throw new StopError('LookupFailed', `lookup failed: ${res.error.code}`, { cause: cause === undefined ? res.error : cause, nextAction: 'Fix it.' })
    }
    const caused = await runProbe(policy, [forbidden()], wrap())
    expect(caused.json).toMatchObject({ status: 'stopped', error: { code: 'LookupFailed', required_permissions: policy.permissions!.ram }, next_action: 'Fix it.' })
    const other = await runProbe(policy, [forbidden()], wrap(new CliError('server', 'InternalError', 'x')))
    expect(other.json.error.required_permissions).toBeUndefined()
    const server = await runProbe(policy, [b.apiError(describeRegions(), { code: 'InternalError', message: 'The request processing has failed due to some unknown error.' })], call)
    expect(server.json.error.required_permissions).toBeUndefined()
  })

  // Where the policy JSON is (references/<skill>.md) is named only for a skill that has one: test/ack-profile.test.ts.
  it('on a terminal: one action a line, and no reference named for a skill that has none', async () => {
    const r = await runProbe(policy, [forbidden()], call, { stdout: { isTTY: true } as never })
    expect(r.stdout).toContain('  required RAM permissions (grant them all, then run again):\n    - ecs:DescribeRegions\n    - ecs:DescribeInstances\n    - vpc:DescribeVpcs\n')
  })

  it('ecs-dr: the permission stop carries the list from the policy, in the message and in the result', async () => {
    const res = await replayBin(denied(), HAPPY_ARGS)
    expect(res.json).toMatchObject({ status: 'stopped', error: { code: 'PermissionDenied', required_permissions: getPolicy('ecs-dr').permissions!.ram } })
    expect(res.json.error.message).toContain(`This workflow needs these RAM actions: ${getPolicy('ecs-dr').permissions!.ram.join(', ')}.`)
  })

  it('ecs-dr: the list is the run’s own policy (an injected one too), not the bundled entry read by name', async () => {
    const dir = tempDir()
    let stdout = ''
    const policy = { ...getPolicy('ecs-dr'), permissions: { ram: ['ecs:DescribeInstances', 'ecs:CreateImage'], derived: [] } }
    await runSkill(ecsDr, [...HAPPY_ARGS.slice(1), '--replay', writeTranscript(denied(), dir)], {
      env: cleanEnv(dir),
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      installSignalHandlers: false,
      policy,
    })
    const json = JSON.parse(stdout)
    expect(json.error.code).toBe('PermissionDenied')
    expect(json.error.message).toContain('This workflow needs these RAM actions: ecs:DescribeInstances, ecs:CreateImage.')
  })
})

import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { api, parseArgv, roa, system } from '../lib/command.js'
import { PolicyError } from '../lib/errors.js'
import { packageRoot } from '../lib/paths.js'
import { checkCommand, getPolicy, matchesPattern, refusal, skillNames, userAgentFor, withUserAgent } from '../lib/policy.js'

const ack = getPolicy('ack-profile')
const dr = getPolicy('ecs-dr')
const review = getPolicy('ecs-review')
const eas = getPolicy('eas-deploy')
const flink = getPolicy('flink')

describe('policy data', () => {
  it('has one entry per skill script (scripts/<name>.ts), the bundled five among them', () => {
    const scripts = readdirSync(join(packageRoot(), 'scripts')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3))
    expect(skillNames().sort()).toEqual(scripts.sort())
    expect(skillNames()).toEqual(expect.arrayContaining(['ack-profile', 'eas-deploy', 'ecs-dr', 'ecs-review', 'flink']))
  })

  it('gives the bundled skills the D2 user agents and D6 minimum versions', () => {
    expect(flink.user_agent).toBe('AlibabaCloud-Agent-Skills/alibabacloud-flink-instance-manage')
    expect(review.user_agent).toBe('AlibabaCloud-Agent-Skills/alibaba-ecs-compute-operator')
    expect(ack.user_agent).toBe('AlibabaCloud-Agent-Skills/alibabacloud-aes-ack-pod-performance-profiling')
    expect(eas.user_agent).toBe('AlibabaCloud-Agent-Skills/alibabacloud-pai-eas-service-deploy')
    expect(dr.user_agent).toBe('AlibabaCloud-Agent-Skills/alibabacloud-ecs-disaster-recovery-image')
    expect([ack, eas, dr, flink, review].map((p) => p.min_cli_version)).toEqual(['3.3.15', '3.3.3', '3.3.3', '3.3.1', '3.3.1'])
    expect([ack, eas, dr, flink, review].map((p) => p.ai_mode)).toEqual([true, true, false, false, false])
  })

  it('lets only eas-deploy show a secret in its result: the AccessToken its user calls the service with (D7)', () => {
    expect([ack, eas, dr, flink, review].map((p) => p.reveal_in_result)).toEqual([[], ['AccessToken'], [], [], []])
  })
})

describe('matchesPattern', () => {
  it('matches words position by position with globs that do not cross /', () => {
    expect(matchesPattern('cs GET /clusters/*', parseArgv(['cs', 'GET', '/clusters/c1']))).toBe(true)
    expect(matchesPattern('cs GET /clusters/*', parseArgv(['cs', 'GET', '/clusters/c1/diagnosis']))).toBe(false)
    expect(matchesPattern('ecs describe-*', parseArgv(['ecs', 'describe-instances', '--biz-region-id', 'x']))).toBe(true)
    expect(matchesPattern('ecs describe-*', parseArgv(['ecs', 'describe-instances', 'extra']))).toBe(false)
  })

  it('pins the whole flag set when the pattern names flags', () => {
    const p = 'configure set --auto-plugin-install true'
    expect(matchesPattern(p, parseArgv(['configure', 'set', '--auto-plugin-install', 'true']))).toBe(true)
    expect(matchesPattern(p, parseArgv(['configure', 'set', '--auto-plugin-install', 'true', '--region', 'x']))).toBe(false)
    expect(matchesPattern(p, parseArgv(['configure', 'set', '--auto-plugin-install', 'false']))).toBe(false)
  })
})

describe('refusal', () => {
  const refused: [string, ReturnType<typeof getPolicy>, string[], RegExp][] = [
    ['a credential flag, on any command', dr, ['configure', 'set', '--access-key-id', 'LTAIxxxxxxxxxxxxxxxx'], /credential flag `--access-key-id` is never passed/],
    ['a credential flag on an API command', review, api('ecs', 'describe-instances', { 'access-key-secret': 'x' }), /credential flag/],
    ['help discovery', ack, ['sysom', 'invoke-diagnosis', '--help'], /help discovery/],
    ['a skill writing its own --user-agent', dr, api('ecs', 'describe-instances', { 'user-agent': 'x' }), /never write --user-agent/],
    ['PascalCase actions', ack, ['sysom', 'InvokeDiagnosis'], /not a plugin-mode action/],
    ['upper-case products', ack, ['SysOM', 'invoke-diagnosis'], /lower-case/],
    ['underscore actions', dr, ['ecs', 'describe_instances'], /not a plugin-mode action/],
    ['delete in any skill', review, api('ecs', 'delete-instance', { 'instance-id': 'i-1' }), /no skill deletes/],
    ['a write in the read-only review', review, api('ecs', 'run-instances'), /not on the ecs-review allow-list/],
    ['Cloud Assistant execution in the review', review, api('ecs', 'invoke-command'), /never runs Cloud Assistant/],
    ['the ACK diagnosis API', ack, roa('cs', 'POST', '/clusters/c1/diagnosis'), /strictly forbidden/],
    ['another sysom action', ack, api('sysom', 'list-abnormaly-events'), /not on the ack-profile allow-list/],
    ['ai-mode in ecs-dr', dr, system(['configure', 'ai-mode', 'enable']), /never runs configure ai-mode/],
    ['ai-mode from a skill of an ai-mode policy', ack, system(['configure', 'ai-mode', 'enable']), /only by the harness lifecycle/],
    ['--data-disk-N-* in ecs-dr', dr, api('ecs', 'run-instances', { 'data-disk-1-category': 'cloud_essd' }), /do not exist in plugin mode/],
    ['--data-disk SnapshotId= in ecs-dr', dr, [...api('ecs', 'run-instances'), '--data-disk', 'SnapshotId=s-1', 'Size=40'], /extra disk/],
    ['a system command with --user-agent', ack, ['plugin', 'update', '--user-agent', 'x'], /never carry --user-agent/],
    ['configure set with other flags', ack, system(['configure', 'set'], { 'auto-plugin-install': 'true', region: 'cn-x' }), /not on the ack-profile allow-list/],
  ]
  it.each(refused)('refuses %s', (_name, policy, argv, why) => {
    expect(refusal(policy, argv)).toMatch(why)
    expect(() => checkCommand(policy, argv)).toThrow(PolicyError)
  })

  it('the refusal is a blocked result with exit code 4', () => {
    try {
      checkCommand(dr, ['ecs', 'delete-image'])
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError)
      expect((e as PolicyError).exitCode).toBe(4)
      expect((e as PolicyError).status).toBe('blocked')
    }
  })

  const allowed: [string, ReturnType<typeof getPolicy>, string[], { aiModeLifecycle?: boolean }?][] = [
    ['cs GET cluster detail', ack, roa('cs', 'GET', '/clusters/c0123456789abcdef0123456789abcdef')],
    ['the fixed initial-sysom line', ack, api('sysom', 'initial-sysom', { 'check-only': 'false', source: 'aes-skills' })],
    ['the lifecycle enabling ai-mode', ack, system(['configure', 'ai-mode', 'enable']), { aiModeLifecycle: true }],
    ['the lifecycle setting the skill UA', eas, ['configure', 'ai-mode', 'set-user-agent', '--user-agent', eas.user_agent], { aiModeLifecycle: true }],
    ['a --profile on an allowed command', dr, [...system(['configure', 'set'], { 'auto-plugin-install': 'true' }), '--profile', 'prod']],
    ['a review describe', review, api('ess', 'describe-scaling-groups', { 'biz-region-id': 'cn-hangzhou' })],
  ]
  it.each(allowed)('allows %s', (_name, policy, argv, opts) => {
    expect(refusal(policy, argv, opts)).toBeUndefined()
  })

  it('refuses a set-user-agent with another value even from the lifecycle', () => {
    expect(refusal(ack, ['configure', 'ai-mode', 'set-user-agent', '--user-agent', 'AlibabaCloud-Agent-Skills/other'], { aiModeLifecycle: true })).toMatch(/own value/)
  })
})

describe('user agent', () => {
  it('appends --user-agent exactly once after the action flags on API commands', () => {
    const argv = withUserAgent(api('ecs', 'describe-disks', { 'biz-region-id': 'cn-beijing' }), 'UA/1')
    expect(argv).toEqual(['ecs', 'describe-disks', '--biz-region-id', 'cn-beijing', '--user-agent', 'UA/1'])
  })

  it.each([['version'], ['configure', 'list'], ['plugin', 'update'], ['configure', 'set', '--auto-plugin-install', 'true']])('never on the system command %s', (...argv) => {
    expect(withUserAgent(argv, 'UA/1')).toEqual(argv)
  })

  it('adds the run session id only where the policy says so (ecs-dr)', () => {
    expect(userAgentFor(dr, 'a'.repeat(32))).toBe(`${dr.user_agent}/${'a'.repeat(32)}`)
    expect(userAgentFor(ack, 'a'.repeat(32))).toBe(ack.user_agent)
  })
})

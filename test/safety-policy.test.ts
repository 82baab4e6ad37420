// The skill's rules in the aliyun CLI's own safety-policy syntax (lib/safety-policy.ts). The
// evaluator and the matched strings are pinned to the CLI's behaviour as the facts file reads it
// from aliyun-cli v3.4.11 (/work/scratch/facts/safety-policy-and-mock.md §A.1, A.4, A.5); the
// generated rules must let every call of every bundled recording through and deny what the policy
// refuses.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stripUserAgent } from '../lib/audit.js'
import { packageRoot } from '../lib/paths.js'
import { getPolicy, refusal, skillNames } from '../lib/policy.js'
import { cliCommandString, cliSafetyRules, evaluateSafety, formatCliSafety, rulesValue, userSafetyRules, type SafetyRule } from '../lib/safety-policy.js'
import { loadTranscript } from '../lib/transcript.js'
import { runBin, tempDir } from './support/run.js'

const rules = (text: string): SafetyRule[] => text.split(',').map((e) => ({ pattern: e.split('=')[0], action: e.split('=')[1] as SafetyRule['action'] }))

describe('what the CLI matches (facts §A.4)', () => {
  it.each([
    [['ecs', 'DescribeInstances', '--RegionId', 'cn-hangzhou'], 'ecs:DescribeInstances'],
    [['ecs', 'describe-instances', '--biz-region-id', 'cn-hangzhou'], 'ecs:describe-instances'],
    [['fc', 'function', 'create', '--name', 'x'], 'fc:function:create'],
    [['fc', 'invoke', 'my-fn'], 'fc:invoke:my-fn'],
    [['sls', 'ListProject'], 'sls:ListProject'],
    [['cs', 'GET', '/clusters/x'], 'cs:GET/clusters/x'],
    [['cs', 'get', '/clusters/x', '--user-agent', 'U'], 'cs:GET/clusters/x'],
    [['cs', 'DELETE'], 'cs:DELETE'],
    [['ECS', 'describe-instances'], 'ecs:describe-instances'],
    // A second value of a one-value flag becomes a positional (inference in the facts).
    [['ecs', 'run-instances', '--data-disk', 'Device=/dev/xvdb', 'Size=100', '--amount', '1'], 'ecs:run-instances:Size=100'],
    [['ecs', 'describe-instances', '--dryrun', '--region', 'cn-hangzhou', '--header', 'A=1', 'B=2'], 'ecs:describe-instances'],
  ])('%j → %s', (argv, expected) => {
    expect(cliCommandString(argv)).toBe(expected)
  })

  it('is undefined for what the CLI never checks: configure, plugin, version, mock, help, a lone product', () => {
    for (const argv of [['configure', 'list'], ['plugin', 'update'], ['version'], ['mock', 'list'], ['sysom', 'invoke-diagnosis', '--help'], ['ecs']]) expect(cliCommandString(argv)).toBeUndefined()
  })
})

describe('the CLI\'s evaluation (facts §A.1, worked examples §A.5)', () => {
  const example1 = rules('ecs:Describe*=allow,*:Delete*=deny,ecs:Update*=confirm')
  it.each([
    ['ecs:DescribeInstances', 'allow', 'ecs:Describe*'],
    ['ecs:describe-instances', 'allow', 'ecs:Describe*'],
    ['ecs:DeleteInstance', 'deny', '*:Delete*'],
    ['cs:DELETE/clusters/c1', 'deny', '*:Delete*'],
    ['ecs:UpdateInstance', 'confirm', 'ecs:Update*'],
    ['ecs:ModifyInstanceAttribute', 'allow', undefined],
  ])('example 1: %s → %s', (cmd, action, rule) => {
    const v = evaluateSafety(example1, cmd)
    expect(v.action).toBe(action)
    expect(v.rule?.pattern).toBe(rule)
  })

  it('is anchored at both ends, and * crosses : and /', () => {
    expect(evaluateSafety(rules('*:DELETE=deny'), 'cs:DELETE').action).toBe('deny')
    expect(evaluateSafety(rules('*:DELETE=deny'), 'cs:DELETE/clusters/c1').action).toBe('allow')
    expect(evaluateSafety(rules('cs:DELETE/*=deny'), 'cs:DeleteCluster').action).toBe('allow')
    expect(evaluateSafety(rules('fc:function:*=deny'), 'fc:function:create').action).toBe('deny')
    expect(evaluateSafety(rules('fc:function:*=deny'), 'fc:create-function').action).toBe('allow')
    expect(evaluateSafety(rules('ecs:DeleteInstance=deny'), 'ecs:delete-instance').action).toBe('allow')
    expect(evaluateSafety(rules('*:delete*=deny'), 'fc:invoke:delete-me').action).toBe('deny')
    expect(evaluateSafety(rules('a?b=deny'), 'axb').action).toBe('allow')
  })

  it('treats forbid as confirm', () => {
    expect(evaluateSafety(rules('ecs:Run*=forbid'), 'ecs:RunInstances').action).toBe('confirm')
  })
})

describe('a skill\'s rules', () => {
  const root = join(packageRoot(), 'recordings')

  it.each(readdirSync(root))('let every allowed call of every %s recording through (never block an allowed call)', (skill) => {
    const policy = getPolicy(skill)
    const generated = cliSafetyRules(policy)
    let checked = 0
    for (const file of readdirSync(join(root, skill))) {
      for (const e of loadTranscript(join(root, skill, file)).entries) {
        if (e.kind !== 'cli' || refusal(policy, stripUserAgent(e.argv), { aiModeLifecycle: true })) continue
        const target = cliCommandString(e.argv)
        if (!target) continue
        checked++
        expect(evaluateSafety(generated, target), `${file}: aliyun ${e.argv.join(' ')}`).toEqual({ action: 'allow', rule: expect.objectContaining({ action: 'allow' }) })
      }
    }
    expect(checked).toBeGreaterThan(0)
  })

  it.each([
    ['ack-profile', ['cs', 'POST', '/clusters/c1/diagnosis'], 'cs:POST/clusters/*/diagnosis'],
    ['ack-profile', ['sysom', 'list-abnormaly-events'], '*'],
    ['ack-profile', ['ack', 'invoke-diagnosis'], 'ack:*'],
    ['ecs-review', ['ecs', 'describe-user-data', '--instance-id', 'i-1'], 'ecs:describe-user-data'],
    ['ecs-review', ['ecs', 'invoke-command', '--instance-id', 'i-1', 'extra'], 'ecs:invoke-command:*'],
    ['ecs-review', ['ecs', 'delete-instance'], '*:delete-*'],
    ['ecs-dr', ['ecs', 'DeleteInstance'], '*:DELETE*'],
    ['ecs-dr', ['cs', 'DELETE', '/clusters/c1'], '*:DELETE*'],
    ['eas-deploy', ['eas', 'delete-service'], '*:delete-*'],
    ['flink', ['foasconsole', 'tag-resources'], 'foasconsole:tag-*'],
    ['flink', ['ververica', 'list-deployments'], 'ververica:*'],
  ])('%s: deny what the policy refuses — %j by %s', (skill, argv, rule) => {
    const policy = getPolicy(skill)
    expect(refusal(policy, argv)).toBeDefined()
    expect(evaluateSafety(cliSafetyRules(policy), cliCommandString(argv)!)).toMatchObject({ action: 'deny', rule: { pattern: rule } })
  })

  it('holds only patterns and actions the env syntax can carry, ending with a catch-all deny', () => {
    for (const skill of skillNames()) {
      const r = cliSafetyRules(getPolicy(skill))
      for (const { pattern, action } of r) {
        expect(pattern).not.toMatch(/[,=]/)
        expect(['allow', 'deny']).toContain(action)
      }
      expect(r.at(-1)).toMatchObject({ pattern: '*', action: 'deny' })
    }
  })
})

describe('the user\'s own safety policy stays in front', () => {
  function home(policy: unknown): string {
    const dir = tempDir()
    mkdirSync(join(dir, '.aliyun'))
    writeFileSync(join(dir, '.aliyun', 'safety-policy.json'), typeof policy === 'string' ? policy : JSON.stringify(policy))
    return dir
  }

  it('reads the file when it is enabled; its actions are case-sensitive (an unknown one lets the command run)', () => {
    const dir = home({ enabled: true, rules: [{ pattern: 'ecs:run-instances', action: 'confirm' }, { pattern: '*:Delete*', action: 'Deny' }] })
    expect(userSafetyRules({}, dir).rules).toEqual([
      { pattern: 'ecs:run-instances', action: 'confirm' },
      { pattern: '*:Delete*', action: 'allow' },
    ])
  })

  it('ignores a disabled or invalid file, and lets the environment override it', () => {
    expect(userSafetyRules({}, home({ enabled: false, rules: [{ pattern: '*', action: 'deny' }] })).rules).toEqual([])
    expect(userSafetyRules({}, home('{not json')).rules).toEqual([])
    const dir = home({ enabled: false, rules: [{ pattern: 'a:b', action: 'deny' }] })
    expect(userSafetyRules({ ALIBABA_CLOUD_SAFETY_POLICY_ENABLED: 'T' }, dir).rules).toEqual([{ pattern: 'a:b', action: 'deny' }])
    expect(userSafetyRules({ ALIBABA_CLOUD_SAFETY_POLICY_ENABLED: 'true', ALIBABA_CLOUD_SAFETY_POLICY_RULES: ' *:Delete*=DENY , ecs:Update* = confirm ,bad' }, dir).rules).toEqual([
      { pattern: '*:Delete*', action: 'deny' },
      { pattern: 'ecs:Update*', action: 'confirm' },
    ])
    // No valid entry: the file's rules stay (policy_test.go:402-409); an empty value means none.
    expect(userSafetyRules({ ALIBABA_CLOUD_SAFETY_POLICY_ENABLED: '1', ALIBABA_CLOUD_SAFETY_POLICY_RULES: 'noequals,{x}' }, dir).rules).toEqual([{ pattern: 'a:b', action: 'deny' }])
    expect(userSafetyRules({ ALIBABA_CLOUD_SAFETY_POLICY_ENABLED: '1', ALIBABA_CLOUD_SAFETY_POLICY_RULES: ' ' }, dir).rules).toEqual([])
    expect(userSafetyRules({ ALIBABA_CLOUD_SAFETY_POLICY_RULES: '*=deny' }, tempDir()).rules).toEqual([])
  })
})

describe('aliyun-harness policy <skill> --format cli-safety', () => {
  it('prints shell lines a user can source, one rule per comment line', async () => {
    const res = await runBin(['policy', 'ack-profile', '--format', 'cli-safety'])
    expect(res.code).toBe(0)
    const policy = getPolicy('ack-profile')
    expect(res.stdout).toBe(formatCliSafety(policy))
    const lines = res.stdout.trimEnd().split('\n')
    expect(lines.at(-2)).toBe('export ALIBABA_CLOUD_SAFETY_POLICY_ENABLED=true')
    expect(lines.at(-1)).toBe(`export ALIBABA_CLOUD_SAFETY_POLICY_RULES='${rulesValue(cliSafetyRules(policy))}'`)
    expect(lines.at(-1)).toMatch(/^export ALIBABA_CLOUD_SAFETY_POLICY_RULES='cs:POST\/clusters\/\*\/diagnosis=deny,.*,cs:GET\/clusters\/\*=allow,sysom:initial-sysom=allow,sysom:initial-sysom:\*=allow,.*,\*=deny'$/)
    expect(res.stdout).toMatch(/^# {4}1\. cs:POST\/clusters\/\*\/diagnosis -> deny {2}\(cs CreateClusterDiagnosis is strictly forbidden: the workflow fails\)$/m)
  })

  it('with --json prints the safety-policy.json file', async () => {
    const res = await runBin(['policy', 'ecs-review', '--format', 'cli-safety', '--json'])
    expect(res.code).toBe(0)
    expect(res.json.enabled).toBe(true)
    expect(res.json.rules.slice(0, 2)).toEqual([{ pattern: 'ecs:invoke-command', action: 'deny' }, { pattern: 'ecs:invoke-command:*', action: 'deny' }])
    expect(res.json.rules.at(-1)).toEqual({ pattern: '*', action: 'deny' })
  })

  it('prints the rules for people with --human, and answers --help', async () => {
    const res = await runBin(['policy', 'eas-deploy', '--human'])
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^eas-deploy — PAI-EAS service deployment\n/)
    expect(res.stdout).toMatch(/\n {2}describe-service-once: describe-service exactly once after a successful create-service/)
    const help = await runBin(['policy', '-h'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^aliyun-harness policy — /)
  })

  it('refuses bad usage with exit 2', async () => {
    for (const args of [['policy'], ['policy', 'nope'], ['policy', 'ecs-dr', '--format', 'yaml'], ['policy', 'ecs-dr', '--bogus']]) {
      const res = await runBin(args)
      expect(res.code, args.join(' ')).toBe(2)
      expect(res.stdout).toBe('')
    }
  })
})

// guard's decision for each call an agent makes (lib/guard/judge.ts, lib/guard/hint.ts): what is
// refused and what the agent is told instead, and the user-agent rule on what goes through (D2).

import { describe, expect, it } from 'vitest'
import { CallJudge } from '../lib/guard/judge.js'
import { kebab } from '../lib/guard/hint.js'
import { getPolicy, isHelpCall, refusal, SkillPolicySchema } from '../lib/policy.js'
import { parseArgv } from '../lib/command.js'

const ack = getPolicy('ack-profile')
const dr = getPolicy('ecs-dr')
const eas = getPolicy('eas-deploy')
const ACK_UA = ack.user_agent
const C = 'c0ee8f62dd10541c598af3627d5b6cda7'

function refused(judge: CallJudge, argv: string[]) {
  const d = judge.decide(argv)
  if (d.kind !== 'refuse') throw new Error(`expected a refusal, got ${JSON.stringify(d)}`)
  const [reason, instead] = d.message.trimEnd().split('\n')
  return { reason, instead, lines: d.message.trimEnd().split('\n').length }
}

describe('refusals tell the agent what to do instead, in two lines', () => {
  const judge = new CallJudge(ack)
  it.each([
    ['the skill\'s FORBIDDEN CS diagnosis API', ['cs', 'POST', `/clusters/${C}/diagnosis`], /strictly forbidden/, /allowed: aliyun cs GET \/clusters\/…$/],
    ['help discovery, which the ack-profile skill forbids', ['sysom', '--help'], /the ack-profile skill forbids help discovery/, /run them directly: aliyun sysom initial-sysom --check-only false --source aes-skills; /],
    ['a PascalCase action', ['sysom', 'InvokeDiagnosis'], /not a plugin-mode action/, /^Instead: aliyun sysom invoke-diagnosis … \(plugin mode/],
    ['an upper-case product', ['SysOM', 'invoke-diagnosis'], /lower-case/, /^Instead: aliyun sysom invoke-diagnosis …/],
    ['a credential flag', ['configure', 'set', '--access-key-id', 'LTAI5tExampleExample01'], /credential flag `--access-key-id` is never passed/, /outside this session/],
    ['another sysom action', ['sysom', 'list-abnormaly-events'], /not on the ack-profile allow-list/, /allowed: aliyun sysom initial-sysom --check-only false --source aes-skills; aliyun sysom invoke-diagnosis/],
    ['configure set with another flag set', ['configure', 'set', '--region', 'cn-hangzhou'], /not on the ack-profile allow-list/, /allowed: aliyun configure set --auto-plugin-install true$/],
    ['a global flag other than --profile before the command', ['--region', 'cn-hangzhou', 'cs', 'GET', `/clusters/${C}`], /no command words: the call starts with the flag `--region`; the command words come first\.$/, /command words first/],
  ])('%s', (_what, argv, reason, instead) => {
    const r = refused(judge, argv)
    expect(r.lines).toBe(2)
    expect(r.reason).toMatch(/^aliyun-harness guard: refused by the ack-profile skill's rules, not sent to aliyun: /)
    expect(r.reason).toMatch(reason)
    expect(r.instead).toMatch(/^Instead: /)
    expect(r.instead).toMatch(instead)
  })

  it('points to the policy command when the list of alternatives is long', () => {
    const r = refused(new CallJudge(eas), ['nlb', 'list-load-balancers'])
    expect(r.instead).toMatch(/; … \(all: aliyun-harness policy eas-deploy\)$/)
  })

  it('names the flag rule for a forbidden flag value', () => {
    const r = refused(new CallJudge(eas), ['eas', 'create-service', '--region', 'cn-hangzhou', '--body', 'file:///tmp/service.json'])
    expect(r.reason).toMatch(/never file:\/\//)
    expect(r.instead).toMatch(/allowed: aliyun eas create-service$/)
  })

  it('reads PascalCase and snake_case actions as kebab-case', () => {
    expect(['DescribeInstances', 'describe_instances', 'CreateClusterVpcEndpointConnection', 'DescribeDBInstances'].map(kebab)).toEqual([
      'describe-instances',
      'describe-instances',
      'create-cluster-vpc-endpoint-connection',
      'describe-db-instances',
    ])
  })
})

describe('help, where the skill does not forbid it', () => {
  const review = getPolicy('ecs-review')

  it('goes through for what the skill may run, without a user agent (it reaches no API)', () => {
    const judge = new CallJudge(review)
    for (const argv of [['ecs', 'describe-instances', '--help'], ['ecs', '--help'], ['--help'], ['vpc', 'describe-vpcs', '-h']]) expect(judge.decide(argv)).toEqual({ kind: 'forward', argv })
    expect(new CallJudge(eas).decide(['eas', 'create-service', '--help', '--user-agent', eas.user_agent])).toEqual({ kind: 'forward', argv: ['eas', 'create-service', '--help'], userAgent: 'removed' })
  })

  it('is still refused to the harness\'s own workflows, which never send it', () => {
    expect(refusal(review, ['ecs', 'describe-instances', '--help'])).toBe('help discovery is not part of any workflow')
  })

  it('is refused for a command the skill may not run', () => {
    const r = refused(new CallJudge(review), ['ecs', 'run-instances', '--help'])
    expect(r.reason).toMatch(/'ecs run-instances' is not on the ecs-review allow-list, so neither is its help\.$/)
    // A command no skill may run at all is refused for that reason.
    expect(refused(new CallJudge(review), ['ecs', 'delete-instances', '--help']).reason).toMatch(/no skill deletes anything/)
    expect(r.instead).toMatch(/^Instead: allowed: aliyun ecs describe-…; aliyun ecs list-…$/)
  })

  it('is refused for a command the skill forbids, in every help form: the forbidden call with --help added is still that call', () => {
    const judge = new CallJudge(review)
    for (const argv of [
      ['ecs', 'describe-user-data', '--instance-id', 'i-1', '--help'],
      ['ecs', 'describe-user-data', '-h'],
      ['help', 'ecs', 'describe-user-data'],
    ])
      expect(refused(judge, argv).reason, argv.join(' ')).toMatch(/user data/)
  })

  it('is only a `help` first word or a --help/-h flag: `help` further on is an argument of the command it follows', () => {
    // Not help, so judged as the command it is: not one the skill may run.
    expect(refused(new CallJudge(review), ['ecs', 'describe-user-data', 'help', '--instance-id', 'i-1']).reason).toMatch(/'ecs describe-user-data help' is not on the ecs-review allow-list/)
    expect(isHelpCall(parseArgv(['help', 'ecs']))).toBe(true)
    expect(isHelpCall(parseArgv(['ecs', 'describe-instances', 'help']))).toBe(false)
  })
})

describe('--profile before the command words', () => {
  it('is judged on the command words and forwarded after them, where the CLI reads it the same', () => {
    const judge = new CallJudge(ack)
    expect(judge.decide(['--profile', 'prod', 'cs', 'GET', `/clusters/${C}`])).toEqual({ kind: 'forward', argv: ['cs', 'GET', `/clusters/${C}`, '--profile', 'prod', '--user-agent', ACK_UA], userAgent: 'added' })
    expect(judge.decide(['-p', 'prod', '--profile=dev', 'version'])).toEqual({ kind: 'forward', argv: ['version', '-p', 'prod', '--profile=dev'] })
    expect(refused(judge, ['--profile', 'prod', 'cs', 'POST', `/clusters/${C}/diagnosis`]).reason).toMatch(/strictly forbidden/)
  })
})

describe('flink: a paid create only from the wrapper run with --confirm (guard_require)', () => {
  const flink = getPolicy('flink')
  const create = ['foasconsole', 'create-instance', '--region', 'cn-beijing', '--instance-name', 'f1']
  const wrapper = (...flags: string[]) => [process.execPath, '/opt/aliyun-harness/dist/bin/aliyun-harness.js', 'flink', 'create', '--region_id', 'cn-beijing', ...flags]

  it('goes through when the wrapper with --confirm made it', () => {
    expect(new CallJudge(flink).decide(create, { caller: wrapper('--confirm') })).toMatchObject({ kind: 'forward' })
  })

  it.each([
    ['the agent itself', ['/bin/sh', '/tmp/agent.sh'], /\[confirmed-creates\]; called by: \/bin\/sh \/tmp\/agent\.sh\.$/],
    ['the wrapper without --confirm', wrapper(), /\[confirmed-creates\]; called by: .*aliyun-harness\.js flink create --region_id cn-beijing\.$/],
    ['an unknown caller', undefined, /\[confirmed-creates\]; guard cannot tell which command made this call/],
  ])('is refused when made by %s, naming the wrapper command to use', (_who, caller, reason) => {
    const d = new CallJudge(flink).decide(create, { caller })
    expect(d.kind).toBe('refuse')
    const [first, instead] = (d as { message: string }).message.trimEnd().split('\n')
    expect(first).toMatch(reason)
    expect(instead).toBe('Instead: once the user has confirmed the cost, create through the wrapper: aliyun-harness flink create … --confirm (an instance) or aliyun-harness flink create_namespace … --confirm (a namespace).')
  })

  it('does not apply to help on a create, which creates nothing (in any help form)', () => {
    for (const argv of [['foasconsole', 'create-instance', '--help'], ['help', 'foasconsole', 'create-instance']])
      expect(new CallJudge(flink).decide(argv, { caller: ['/bin/sh', '/tmp/agent.sh'] }), argv.join(' ')).toEqual({ kind: 'forward', argv })
  })

  it('leaves the reads alone (they are reported by wrapper-only, not refused)', () => {
    expect(new CallJudge(flink).decide(['foasconsole', 'describe-instances', '--region', 'cn-beijing'], { caller: ['/bin/sh', '/tmp/agent.sh'] })).toMatchObject({ kind: 'forward' })
  })

  it('is checked when the policies load: guard_require names an each rule that needs no outcome', () => {
    const bad = { ...flink, guard_require: [{ rule: 'read-back-instance', instead: 'x' }] }
    expect(() => SkillPolicySchema.parse(bad)).toThrow(/'read-back-instance' must name an acceptance rule of kind each/)
  })
})

describe('the user-agent rule on what goes through', () => {
  it('adds the skill\'s value to an API call without one, and keeps a correct call byte for byte', () => {
    const judge = new CallJudge(ack)
    expect(judge.decide(['cs', 'GET', `/clusters/${C}`])).toEqual({ kind: 'forward', argv: ['cs', 'GET', `/clusters/${C}`, '--user-agent', ACK_UA], userAgent: 'added' })
    const right = ['sysom', 'get-diagnosis-result', '--task-id', 't1', '--user-agent', ACK_UA]
    expect(judge.decide(right)).toEqual({ kind: 'forward', argv: right })
  })

  it('corrects a wrong or repeated value, in either spelling, and puts it last once', () => {
    const judge = new CallJudge(ack)
    const wrong = judge.decide(['sysom', 'get-diagnosis-result', '--user-agent', 'AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-ack-diagnosis', '--task-id', 't1'])
    expect(wrong).toEqual({ kind: 'forward', argv: ['sysom', 'get-diagnosis-result', '--task-id', 't1', '--user-agent', ACK_UA], userAgent: 'corrected' })
    const twice = judge.decide(['sts', 'get-caller-identity', '--user-agent', ACK_UA, '--user-agent', ACK_UA])
    expect(twice).toMatchObject({ argv: ['sts', 'get-caller-identity', '--user-agent', ACK_UA], userAgent: 'corrected' })
    expect(judge.decide(['sts', 'get-caller-identity', `--user-agent=${ACK_UA}`])).toMatchObject({ argv: ['sts', 'get-caller-identity', '--user-agent', ACK_UA], userAgent: 'corrected' })
  })

  it('removes it from system commands, where the CLI rejects it', () => {
    expect(new CallJudge(ack).decide(['version', '--user-agent', ACK_UA])).toEqual({ kind: 'forward', argv: ['version'], userAgent: 'removed' })
    expect(new CallJudge(ack).decide(['plugin', 'update'])).toEqual({ kind: 'forward', argv: ['plugin', 'update'] })
  })

  it('keeps one ecs-dr session id for the whole session: the agent\'s own when well-formed, else one it makes', () => {
    const own = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'
    const judge = new CallJudge(dr, () => 'f'.repeat(32))
    const first = judge.decide(['ecs', 'describe-instances', '--user-agent', `${dr.user_agent}/${own}`])
    expect(first).toEqual({ kind: 'forward', argv: ['ecs', 'describe-instances', '--user-agent', `${dr.user_agent}/${own}`] })
    const other = judge.decide(['ecs', 'describe-disks', '--user-agent', `${dr.user_agent}/${'0'.repeat(32)}`])
    expect(other).toMatchObject({ argv: ['ecs', 'describe-disks', '--user-agent', `${dr.user_agent}/${own}`], userAgent: 'corrected' })
    const made = new CallJudge(dr, () => 'f'.repeat(32)).decide(['ecs', 'describe-instances'])
    expect(made).toMatchObject({ argv: ['ecs', 'describe-instances', '--user-agent', `${dr.user_agent}/${'f'.repeat(32)}`], userAgent: 'added' })
  })
})

describe('the skill\'s own ai-mode steps', () => {
  it('are answered by guard for an ai-mode skill (it ran them already), never sent', () => {
    const judge = new CallJudge(ack)
    for (const argv of [['configure', 'ai-mode', 'enable'], ['configure', 'ai-mode', 'set-user-agent', '--user-agent', ACK_UA], ['configure', 'ai-mode', 'disable']]) {
      expect(judge.decide(argv)).toMatchObject({ kind: 'answer', message: expect.stringMatching(/ai-mode is managed by guard for this session/) })
    }
  })

  it('refuse another user agent for ai-mode, and every ai-mode command for the other skills', () => {
    expect(refused(new CallJudge(ack), ['configure', 'ai-mode', 'set-user-agent', '--user-agent', 'Other/1']).reason).toMatch(/already set the ai-mode user agent/)
    const r = refused(new CallJudge(dr), ['configure', 'ai-mode', 'enable'])
    expect(r.reason).toMatch(/ecs-dr never runs configure ai-mode/)
    expect(r.instead).toMatch(/guard puts the ecs-dr user agent on every API call itself/)
  })
})

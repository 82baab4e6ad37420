// Acceptance rules (lib/acceptance.ts, data in references/policies.json): each rule kind on small
// sessions, every bundled recording against its skill's rules, and `audit --acceptance` as CI runs
// it on a complete and an incomplete ack-profile session.

import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AcceptanceRuleSchema, type AcceptanceRule } from '../lib/acceptance-schema.js'
import { checkAcceptance, checkRule, sessionCalls, type RuleStatus } from '../lib/acceptance.js'
import { api } from '../lib/command.js'
import { packageRoot } from '../lib/paths.js'
import { getPolicy, skillNames } from '../lib/policy.js'
import { loadTranscript, type CliEntry, type Entry, type Transcript } from '../lib/transcript.js'
import * as ack from './recordings/ack-profile.js'
import { builder, transcript } from './support/cli-facts.js'
import { runBin, tempDir, writeTranscript } from './support/run.js'

const rule = (id: string, skill = 'ack-profile') => getPolicy(skill).acceptance.find((r) => r.id === id)!
const check = (r: AcceptanceRule, entries: Entry[], skill = 'ack-profile') => checkRule(r, sessionCalls(transcript(skill, 'test', entries)))
const parse = (r: unknown) => AcceptanceRuleSchema.parse(r)

describe('the rules are data, one list per skill', () => {
  // Rules are optional for a new skill; the bundled five each have theirs.
  it('the bundled skills have acceptance rules; every skill’s rules have unique ids, each naming its source', () => {
    for (const skill of ['ack-profile', 'eas-deploy', 'ecs-dr', 'ecs-review', 'flink']) expect(getPolicy(skill).acceptance.length, skill).toBeGreaterThan(0)
    for (const skill of skillNames()) {
      const rules = getPolicy(skill).acceptance
      expect(new Set(rules.map((r) => r.id)).size, skill).toBe(rules.length)
      for (const r of rules) expect(r.source, `${skill} ${r.id}`).not.toBe('')
    }
  })

  it('rejects a match that names no call, or two', () => {
    expect(() => parse({ id: 'x', text: 't', source: 's', kind: 'never', match: [{ ok: true }] })).toThrow(/exactly one of call, sdk, api/)
    expect(() => parse({ id: 'x', text: 't', source: 's', kind: 'never', match: [{ call: 'ecs *', sdk: 'ecs X' }] })).toThrow(/exactly one of call, sdk, api/)
  })
})

describe('ack-profile: the diagnosis flow', () => {
  const flow = rule('diagnosis-flow')
  const complete = () => [ack.cluster(), ack.initialOk(), ack.endpoint(), ack.invokeOk(), ack.poll('Running'), ack.poll('Success')]

  it('is kept when every step happens in order and the task is polled to a terminal status', () => {
    const r = check(flow, complete())
    expect(r.status).toBe('kept')
    expect(r.evidence[0]).toBe(`#0 aliyun cs GET /clusters/${ack.CLUSTER}`)
    expect(r.evidence.at(-1)).toMatch(/^#5 aliyun sysom get-diagnosis-result --task-id \S+ \(data\.status Success\)$/)
    // Fail is a terminal status too (the user is told; the flow itself was followed).
    expect(check(flow, [...complete().slice(0, 4), ack.poll('Fail')]).status).toBe('kept')
  })

  it('is broken, naming the last poll, when the task never reached a terminal status', () => {
    const r = check(flow, [...complete().slice(0, 4), ack.poll('Ready'), ack.poll('Running')])
    expect(r.status).toBe('broken')
    expect(r.evidence.at(-1)).toMatch(/^missing: sysom get-diagnosis-result at a terminal status after #3 sysom invoke-diagnosis; #5 aliyun sysom get-diagnosis-result .*: data\.status is Running, not Success or Fail$/)
  })

  it('is broken when a step is out of order, or failed', () => {
    const swapped = check(flow, [ack.initialOk(), ack.cluster(), ack.endpoint(), ack.invokeOk(), ack.poll('Success')])
    expect(swapped.status).toBe('broken')
    expect(swapped.evidence.at(-1)).toBe('out of order: sysom initial-sysom (#0) came before #1 cs GET /clusters/<id>')
    const failed = check(flow, [ack.b.apiError(ack.clusterArgv, { code: 'ErrorClusterNotFound', message: 'not found', product: 'CS' })])
    expect(failed.evidence).toEqual([`missing: cs GET /clusters/<id> after the start of the session; #0 aliyun cs GET /clusters/${ack.CLUSTER} failed`])
  })

  it('marks the VPC endpoint step not checkable when the session holds no SDK call, and checks the rest', () => {
    const noSdk = complete().filter((e) => e.kind === 'cli')
    const r = check(flow, noSdk)
    expect(r.status).toBe('kept')
    expect(r.evidence.at(-1)).toMatch(/^\? the VPC endpoint step \(SDK CreateClusterVpcEndpointConnection\): not checkable — an SDK call the agent makes with its own script .*\[OK\] Cluster VPC endpoint connection created successfully\./)
    // When the session does hold it, a failed one breaks the flow.
    const failedSdk = check(flow, [ack.cluster(), ack.initialOk(), ack.endpoint({ status: 403, body: { Code: 'Forbidden.RAM' } }), ack.invokeOk(), ack.poll('Success')])
    expect(failedSdk.status).toBe('broken')
  })

  it('the CS diagnosis API breaks its own rule, with the call as evidence', () => {
    const cs = ack.b.api(['cs', 'POST', `/clusters/${ack.CLUSTER}/diagnosis`], {})
    const r = check(rule('no-cs-diagnosis'), [...complete(), cs])
    expect(r).toMatchObject({ status: 'broken', evidence: [`#6 aliyun cs POST /clusters/${ack.CLUSTER}/diagnosis`] })
  })

  it('a task id that invoke-diagnosis never returned breaks task-id-from-invoke', () => {
    const made = ack.b.api(api('sysom', 'get-diagnosis-result', { 'task-id': ack.CLUSTER }), { data: { status: 'Success' } })
    const r = check(rule('task-id-from-invoke'), [ack.invokeOk(), made])
    expect(r.status).toBe('broken')
    expect(r.evidence[0]).toMatch(new RegExp(`--task-id ${ack.CLUSTER} was not returned by an earlier aliyun sysom invoke-diagnosis \\(data\\.task_id\\)$`))
  })

  it('after the task exists only polls may follow (polling lockdown), and only the three sysom actions ever', () => {
    const again = check(rule('polling-lockdown'), [ack.invokeOk(), ack.poll('Running'), ack.invokeOk(), ack.poll('Success')])
    expect(again).toMatchObject({ status: 'broken', evidence: [expect.stringMatching(/^#2 aliyun sysom invoke-diagnosis /)] })
    expect(check(rule('polling-lockdown'), [ack.cluster()]).status).toBe('not_applicable')
    const other = check(rule('three-sysom-actions'), [ack.b.api(api('sysom', 'list-abnormaly-events'), {})])
    expect(other).toMatchObject({ status: 'broken', evidence: ['#0 aliyun sysom list-abnormaly-events'] })
  })
})

describe('the rule kinds', () => {
  const e = builder('eas-deploy')
  const create = e.api(api('eas', 'create-service', { region: 'r', body: '{}' }), { ServiceId: 's' })
  const spec = e.api(api('eas', 'describe-machine-spec', { region: 'r' }), {})
  const images = e.api(api('aiworkspace', 'list-images', { region: 'r' }), {})
  const dup = e.api(api('eas', 'list-services', { region: 'r' }), { Services: [] })
  const describe = e.api(api('eas', 'describe-service', { region: 'r' }), {})
  const endpoints = e.api(api('eas', 'describe-service-endpoints', { region: 'r' }), {})

  it('before: every create-service is preceded by both discovery calls', () => {
    const r = rule('discovery-before-create', 'eas-deploy')
    expect(check(r, [images, spec, create], 'eas-deploy').status).toBe('kept')
    expect(check(r, [images, create, spec], 'eas-deploy')).toMatchObject({ status: 'broken', evidence: ["#1 aliyun eas create-service --region r --body '{}'", 'no aliyun eas describe-machine-spec before it'] })
    expect(check(r, [images, spec], 'eas-deploy')).toMatchObject({ status: 'not_applicable', evidence: ['no aliyun eas create-service in this session'] })
  })

  it('count with when: describe-service exactly once after a successful create', () => {
    const r = rule('describe-service-once', 'eas-deploy')
    expect(check(r, [dup, images, spec, create, describe, endpoints], 'eas-deploy').status).toBe('kept')
    expect(check(r, [create, describe, describe], 'eas-deploy')).toMatchObject({ status: 'broken', evidence: ['2 × aliyun eas describe-service (exactly 1 expected)', '#1 aliyun eas describe-service --region r', '#2 aliyun eas describe-service --region r'] })
    expect(check(r, [create], 'eas-deploy').status).toBe('broken')
    const conflict = { ...create, exit_code: 1, stdout_json: undefined, stdout: '' } as CliEntry
    expect(check(r, [conflict], 'eas-deploy').status).toBe('not_applicable')
  })

  it('never with a flag value: a file:// body', () => {
    const fileBody = e.api(api('eas', 'create-service', { region: 'r', body: 'file:///tmp/service.json' }), {})
    expect(check(rule('no-file-body', 'eas-deploy'), [fileBody], 'eas-deploy').status).toBe('broken')
    expect(check(rule('no-file-body', 'eas-deploy'), [create], 'eas-deploy').status).toBe('kept')
  })

  it('before with the same flag value, and each with every group of a flag (ecs-dr)', () => {
    const d = builder('ecs-dr')
    const image = (id: string, status: string) => d.api(api('ecs', 'describe-images', { 'image-id': id }), { Images: { Image: [{ ImageId: id, Status: status }] } })
    const run = (id: string, disks: string[][]) => d.api([...api('ecs', 'run-instances', { 'image-id': id }), ...disks.flatMap((g) => ['--data-disk', ...g])], {})
    const available = rule('image-available-before-run', 'ecs-dr')
    expect(check(available, [image('m-1', 'Creating'), image('m-1', 'Available'), run('m-1', [])], 'ecs-dr').status).toBe('kept')
    const other = check(available, [image('m-2', 'Available'), image('m-1', 'Creating'), run('m-1', [])], 'ecs-dr')
    expect(other.status).toBe('broken')
    expect(other.evidence[1]).toBe('no ecs describe-images showing the image Available for the same --image-id m-1 before it; #1 aliyun ecs describe-images --image-id m-1: Images.Image.0.Status is Creating, not Available')
    const device = rule('data-disk-device', 'ecs-dr')
    expect(check(device, [run('m-1', [['Device=/dev/xvdb', 'Category=cloud_essd', 'Size=100']])], 'ecs-dr').status).toBe('kept')
    expect(check(device, [run('m-1', [['Device=/dev/xvdb', 'Size=100'], ['Category=cloud_essd', 'Size=120']])], 'ecs-dr').evidence[0]).toMatch(/: --data-disk Category=cloud_essd Size=120 has no Device=\*\*$/)
  })

  it('each with a caller: kept, broken, or not checkable when the transcript does not say who called', () => {
    const f = builder('flink')
    const createInstance = f.api(api('foasconsole', 'create-instance', { region: 'cn-beijing' }), {})
    const by = (caller?: string[]) => ({ ...createInstance, ...(caller ? { caller } : {}) })
    const confirmed = rule('confirmed-creates', 'flink')
    const wrapper = ['node', '/usr/lib/node_modules/aliyun-harness/dist/bin/aliyun-harness.js', 'flink', 'create', '--cu_count', '4', '--confirm']
    expect(check(confirmed, [by(wrapper)], 'flink').status).toBe('kept')
    expect(check(confirmed, [by(wrapper.filter((t) => t !== '--confirm'))], 'flink').status).toBe('broken')
    expect(check(rule('wrapper-only', 'flink'), [by(['bash', '-c', 'aliyun foasconsole create-instance'])], 'flink')).toMatchObject({ status: 'broken', evidence: [expect.stringMatching(/called by: bash -c 'aliyun foasconsole create-instance'$/)] })
    expect(check(confirmed, [by()], 'flink')).toMatchObject({ status: 'not_checkable', evidence: [expect.stringMatching(/does not say which command ran aliyun/), expect.any(String)] })
  })

  it('followed_by: a created namespace is read back', () => {
    const f = builder('flink')
    const ns = f.api(api('foasconsole', 'create-namespace', {}), {})
    const read = f.api(api('foasconsole', 'describe-namespaces', {}), {})
    expect(check(rule('read-back-namespace', 'flink'), [ns, read], 'flink').status).toBe('kept')
    expect(check(rule('read-back-namespace', 'flink'), [read, ns], 'flink')).toMatchObject({ status: 'broken', evidence: ['#1 aliyun foasconsole create-namespace', 'not followed by aliyun foasconsole describe-namespaces'] })
  })

  it('only: ecs-review stays read-only', () => {
    const r = builder('ecs-review')
    const kept = check(rule('read-only', 'ecs-review'), [r.api(api('ecs', 'describe-instances'), {}), r.api(api('ess', 'describe-scaling-groups'), {})], 'ecs-review')
    expect(kept).toMatchObject({ status: 'kept', evidence: ['2 call(s), all allowed'] })
    expect(check(rule('read-only', 'ecs-review'), [r.api(api('ecs', 'start-instance'), {})], 'ecs-review')).toMatchObject({ status: 'broken', evidence: ['#0 aliyun ecs start-instance'] })
  })
})

describe('every bundled recording against its skill\'s rules', () => {
  // The harness's own workflows keep every rule, except where a recording is an incomplete
  // session by design: the rule it breaks is the one an acceptance check must catch.
  const expectedBroken: Record<string, string[]> = {
    'ack-profile/cluster-forbidden-ram.json': ['diagnosis-flow'],
    'ack-profile/cluster-not-found.json': ['diagnosis-flow'],
    'ack-profile/cluster-not-running.json': ['diagnosis-flow'],
    'ack-profile/cluster-serverless.json': ['diagnosis-flow'],
    'ack-profile/initial-sysom-failed.json': ['diagnosis-flow'],
    'ack-profile/poll-timeout.json': ['diagnosis-flow'],
    'ack-profile/task-in-progress-three-times.json': ['diagnosis-flow'],
    'ack-profile/temporal-description.json': ['diagnosis-flow'],
    'ack-profile/vpc-endpoint-failed.json': ['diagnosis-flow'],
    // A resumed run: the image was seen Available in the first session, not in this one.
    'ecs-dr/resumed-after-quota.json': ['image-available-before-run'],
  }
  const root = join(packageRoot(), 'recordings')
  const files = readdirSync(root).flatMap((skill) => readdirSync(join(root, skill)).map((f) => `${skill}/${f}`))

  it.each(files)('%s', (file) => {
    const t = loadTranscript(join(root, file))
    const report = checkAcceptance(getPolicy(t.skill), sessionCalls(t))
    expect(report.rules.filter((r) => r.status === 'broken').map((r) => r.id)).toEqual(expectedBroken[file] ?? [])
  })
})

describe('aliyun-harness audit --acceptance', () => {
  const session = (entries: Entry[]): Transcript => transcript('ack-profile', 'an agent session', [ack.b.aiModeEnable(), ack.b.aiModeSetUserAgent(), ...entries, ack.b.aiModeDisable()])
  const complete = session([ack.cluster(), ack.initialOk(), ack.invokeOk(), ack.poll('Running'), ack.poll('Success')])
  const incomplete = session([ack.cluster(), ack.initialOk(), ack.invokeOk(), ack.poll('Running')])

  it('passes a complete ack-profile session (exit 0) and prints each rule', async () => {
    const dir = tempDir()
    const res = await runBin(['audit', writeTranscript(complete, dir), '--acceptance', '--human'], { dir })
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^ok {3}\S+\n {2}Acceptance \(ack-profile\): 6 kept, 0 broken, 0 not applicable, 0 not checkable\n {4}✓ diagnosis-flow: /)
    expect(res.stdout).toMatch(/ {6}\? the VPC endpoint step .*not checkable/)
    expect(res.stdout).toMatch(/1 passed, 0 failed\n$/)
  })

  it('fails an incomplete one (exit 1) with the missing step as evidence, also as JSON', async () => {
    const dir = tempDir()
    const file = writeTranscript(incomplete, dir)
    const res = await runBin(['audit', file, '--acceptance', '--human'], { dir })
    expect(res.code).toBe(1)
    expect(res.stdout).toMatch(/FAIL \S+ \[acceptance\] 1 rule\(s\) broken\n/)
    expect(res.stdout).toMatch(/✗ diagnosis-flow: .*\n(?: {8}.*\n)* {8}missing: sysom get-diagnosis-result at a terminal status after #4 sysom invoke-diagnosis; #5 .*data\.status is Running/)
    const json = await runBin(['audit', file, '--acceptance', '--json'], { dir })
    expect(json.code).toBe(1)
    const statuses = Object.fromEntries(json.json.results[0].acceptance.rules.map((r: { id: string; status: RuleStatus }) => [r.id, r.status]))
    expect(statuses).toEqual({ 'diagnosis-flow': 'broken', 'task-id-from-invoke': 'kept', 'no-cs-diagnosis': 'kept', 'three-sysom-actions': 'kept', 'initial-sysom-once': 'kept', 'polling-lockdown': 'kept' })
  })

  it('without --acceptance checks the policy only, as before', async () => {
    const dir = tempDir()
    const res = await runBin(['audit', writeTranscript(incomplete, dir), '--human'], { dir })
    expect(res.code).toBe(0)
    expect(res.stdout).not.toMatch(/Acceptance/)
  })

  it('still runs the policy audit: a session that keeps every acceptance rule fails on a missing user agent', async () => {
    const dir = tempDir()
    const noUa = { ...ack.cluster(), argv: ack.clusterArgv }
    const t = session([noUa, ack.initialOk(), ack.invokeOk(), ack.poll('Success')])
    const res = await runBin(['audit', writeTranscript(t, dir), '--acceptance', '--human'], { dir })
    expect(res.code).toBe(1)
    expect(res.stdout).toMatch(/FAIL \S+ #2 \[user-agent\] API command 'aliyun cs GET \/clusters\/\S+' carries --user-agent 0 times/)
    expect(res.stdout).toMatch(/Acceptance \(ack-profile\): 6 kept, 0 broken/)
  })
})

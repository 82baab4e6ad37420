// ack-profile, replayed as users replay it (`--replay`, in process); the happy path and the SDK
// step also as users and agents run it: the real bin against the fake `aliyun` (and, for the SDK
// step, the real Alibaba Cloud SDK against a loopback server).

import { createServer, type IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { api, roa } from '../lib/command.js'
import { PolicyError } from '../lib/errors.js'
import { checkCommand, getPolicy } from '../lib/policy.js'
import { diagnosisParams, namesPastTime, sanitizeDescription, suggestWindow } from '../scripts/ack-profile/inputs.js'
import { readFindings } from '../scripts/ack-profile/report.js'
import { ARGS, b, CLUSTER, FORBIDDEN_RAM, HISTORY, NOW, POD, pollArgv, pollFailures, REGION, SDK_PATH, TASK, THROTTLING, scenarios } from './recordings/ack-profile.js'
import { transcript } from './support/cli-facts.js'
import { replaySkill } from './support/replay.js'
import { calls, replayBin, type RunResult } from './support/run.js'

const policy = getPolicy('ack-profile')
const DISABLE = 'aliyun configure ai-mode disable'

async function play(name: keyof typeof scenarios & string, opts: Parameters<typeof replaySkill>[2] = {}) {
  return replaySkill(scenarios[name], ARGS[name], opts)
}

function expectCleanEnd(res: RunResult) {
  expect(res.report?.misses).toEqual([])
  expect(res.report?.unused).toEqual([])
  expect(calls(res).at(-1)).toBe(DISABLE)
}

const apiCalls = (res: RunResult) => calls(res).filter((c) => !/^aliyun (configure|plugin|version)/.test(c))

describe('the chain', () => {
  it('real time (the bin as a process, the SDK step over HTTP): every step in order, the report, ai-mode enabled first and disabled last', async () => {
    const res = await replayBin(scenarios['realtime-happy-path'], ARGS['realtime-happy-path'])
    expect(res.code).toBe(0)
    expectCleanEnd(res)
    expect(calls(res).map((c) => c.split(' --user-agent')[0].split(' --params')[0])).toEqual([
      'aliyun configure ai-mode enable',
      'aliyun configure ai-mode set-user-agent',
      'aliyun plugin update',
      'aliyun version',
      'aliyun configure set --auto-plugin-install true',
      'aliyun configure list',
      `aliyun cs GET /clusters/${CLUSTER}`,
      'aliyun sysom initial-sysom --check-only false --source aes-skills',
      `POST ${SDK_PATH}`,
      'aliyun sysom invoke-diagnosis --service-name ocd --channel ecs',
      `aliyun sysom get-diagnosis-result --task-id ${TASK}`,
      `aliyun sysom get-diagnosis-result --task-id ${TASK}`,
      `aliyun sysom get-diagnosis-result --task-id ${TASK}`,
      DISABLE,
    ])
    expect(calls(res)[1]).toBe(`aliyun configure ai-mode set-user-agent --user-agent ${policy.user_agent}`)
    // Every API call carries the skill's user agent, once.
    for (const c of apiCalls(res).filter((x) => x.startsWith('aliyun '))) expect(c.split('--user-agent').length - 1, c).toBe(1)
    expect(res.json.data).toMatchObject({
      cluster: { id: CLUSTER, region: REGION, profile: 'Default', state: 'running' },
      mode: 'real-time',
      task_id: TASK,
      diagnosis_status: 'Success',
      overall_status: 'Warn',
      root_cause: expect.stringMatching(/CPU limit/),
      description: { sanitized: 'high_cpu_load', dropped: false },
    })
    expect(res.json.data.issues).toHaveLength(2)
    expect(res.json.data.report).toMatch(/^## 🔍 SysOM ACK Pod Diagnosis Results\n\n\*\*Pod\*\*: default\/web-64cdcb7b98-gchks\n\*\*Cluster\*\*: c0ee8f62dd10541c598af3627d5b6cda7\n\*\*Diagnosis Mode\*\*: Real-time\n\*\*Overall Status\*\*: Warn\n\n### Root Cause\n/)
    expect(res.stderr).toMatch(/- Impact: establishes an internal diagnosis channel between SysOM and this cluster\n- Idempotent:/)
    expect(res.stderr).toMatch(/\[OK\] Cluster VPC endpoint connection created successfully\./)
  })

  it('on a terminal: the markdown report, then the status line', async () => {
    const res = await play('realtime-happy-path', { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^## 🔍 SysOM ACK Pod Diagnosis Results\n/)
    expect(res.stdout).toMatch(/### Recommendations\n- Raise the CPU limit/)
    expect(res.stdout).toMatch(/✔ ack-profile: completed/)
  })

  it('sends the ten diagnosis fields, snake_case, with instance ack-<cluster id>', async () => {
    const res = await play('realtime-happy-path')
    const invoke = calls(res).find((c) => c.includes('invoke-diagnosis'))!
    const params = JSON.parse(invoke.match(/--params (\{.*?\}) --user-agent/)![1])
    expect(Object.keys(params)).toEqual(['product', 'region', 'instance', 'cluster_id', 'namespace', 'pod', 'description', 'start_time', 'end_time', 'enable_diagnosis'])
    expect(params).toMatchObject({ product: 'ACK', region: REGION, instance: `ack-${CLUSTER}`, start_time: 0, end_time: 0, enable_diagnosis: true })
  })

  it('historical: the window in the params, enable_diagnosis false, a result given as a JSON string', async () => {
    const res = await play('historical')
    expect(res.code).toBe(0)
    expectCleanEnd(res)
    const invoke = calls(res).find((c) => c.includes('invoke-diagnosis'))!
    expect(JSON.parse(invoke.match(/--params (\{.*?\}) --user-agent/)![1])).toMatchObject({ start_time: HISTORY.start, end_time: HISTORY.end, enable_diagnosis: false })
    expect(res.json.data).toMatchObject({ mode: 'historical', time_range: { start_time: HISTORY.start, end_time: HISTORY.end }, overall_status: 'Warn', diagnose_mode: 'history' })
    expect(res.json.data.report).toMatch(/\*\*Diagnosis Mode\*\*: Historical \(2026-11-20T05:00:00\.000Z – 2026-11-20T06:00:00\.000Z\)/)
  })
})

describe('stops', () => {
  it.each([
    // not found: the id is what is wrong
    ['cluster-not-found', /ErrorClusterNotFound: cluster c0ee8f62dd10541c598af3627d5b6cda7 not found/, /^Check the cluster id and provide a corrected one \(format: c followed by 32 hex characters\)\.$/],
    // refused: the id is fine; the grant, then a pause — never a request for another cluster id
    ['cluster-forbidden-ram', /Forbidden\.RAM: User not authorized/, /^Ask an administrator to grant every RAM permission in error\.required_permissions .* wait until they confirm it is granted, then run again\.$/],
  ] as const)('%s: the error verbatim, the next action for that error, nothing after step 5', async (name, message, next) => {
    const res = await play(name)
    expect(res.code).toBe(1)
    expectCleanEnd(res)
    expect(res.json).toMatchObject({ status: 'stopped', error: { code: 'ClusterLookupFailed' } })
    expect(res.json.error.message).toMatch(message)
    expect(res.json.next_action).toMatch(next)
    expect(apiCalls(res)).toEqual([expect.stringMatching(/^aliyun cs GET /)])
  })

  it('a permission error names every RAM permission the skill needs (not only the one refused), and pauses for the grant', async () => {
    const ram = await play('cluster-forbidden-ram')
    expect(ram.json.error.required_permissions).toEqual(policy.permissions?.ram)
    expect(ram.json.error.required_permissions).toEqual(expect.arrayContaining(['cs:DescribeClusterDetail', 'sysom:InitialSysom', 'sysom:InvokeDiagnosis', 'sysom:GetDiagnosisResult', 'sysom:CreateClusterVpcEndpointConnection']))
    expect(ram.json.next_action).toMatch(/grant every RAM permission in error\.required_permissions .*references\/ack-profile\.md, RAM.* wait until they confirm/)
    // The SDK step's 403 and initial-sysom's refusal too, through the stop that reports them.
    for (const name of ['vpc-endpoint-failed', 'initial-sysom-failed'] as const) expect((await play(name)).json.error.required_permissions, name).toEqual(policy.permissions?.ram)
    // Not for a failure that is not about permissions.
    expect((await play('cluster-not-found')).json.error.required_permissions).toBeUndefined()
  })

  it('on a terminal the permission list is printed, one action a line', async () => {
    const res = await play('cluster-forbidden-ram', { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(res.stdout).toMatch(/required RAM permissions \(grant them all, then run again; policy JSON in references\/ack-profile\.md, RAM\):\n    - sysom:InitialSysom\n    - sysom:InvokeDiagnosis\n/)
    for (const action of policy.permissions!.ram) expect(res.stdout).toContain(`    - ${action}\n`)
  })

  it('a non-Default profile: the Unsupported cluster type template, nothing after it', async () => {
    const res = await play('cluster-serverless')
    expect(res.code).toBe(1)
    expectCleanEnd(res)
    expect(res.json.error.message).toBe(
      [
        '❌ Unsupported cluster type',
        `- Cluster ID: ${CLUSTER}`,
        '- Cluster profile: Serverless',
        '- This skill ONLY supports diagnosis on standard ACK managed clusters (profile = "Default").',
        '- ACS clusters, ASK (Serverless Kubernetes) clusters, Edge clusters, and other non-Default profile clusters are NOT supported.',
        '- Please provide a standard ACK cluster ID to proceed.',
      ].join('\n'),
    )
    expect(apiCalls(res)).toHaveLength(1)
  })

  it('a cluster that is not running: stop before SysOM', async () => {
    const res = await play('cluster-not-running')
    expect(res.json).toMatchObject({ status: 'stopped', error: { code: 'ClusterNotRunning', message: expect.stringMatching(/'updating', not running/) } })
    expectCleanEnd(res)
    expect(apiCalls(res)).toHaveLength(1)
  })

  it('initial-sysom failing: stop, no endpoint connection, no diagnosis', async () => {
    const res = await play('initial-sysom-failed')
    expect(res.json).toMatchObject({ status: 'stopped', error: { code: 'InitialSysomFailed' } })
    expect(res.json.next_action).toMatch(/error\.required_permissions.* SysOM is activated/)
    expectCleanEnd(res)
    expect(apiCalls(res).at(-1)).toMatch(/initial-sysom/)
  })

  it('the SDK step failing: stop before invoke-diagnosis, with the API code', async () => {
    const res = await play('vpc-endpoint-failed')
    expect(res.code).toBe(1)
    expectCleanEnd(res)
    expect(res.json.error.code).toBe('VpcEndpointConnectionFailed')
    expect(res.json.error.message).toMatch(/^Creation failed: Forbidden\.RAM - User not authorized/)
    expect(calls(res).some((c) => c.includes('invoke-diagnosis'))).toBe(false)
  })
})

describe('task in progress and polling', () => {
  it('TaskInProgress twice then success: three invocations, 30 s apart on the virtual clock, then polling', async () => {
    const res = await play('task-in-progress-then-success')
    expect(res.code).toBe(0)
    expectCleanEnd(res)
    expect(calls(res).filter((c) => c.includes('invoke-diagnosis'))).toHaveLength(3)
    expect(res.stderr.match(/waiting 30 s before invocation/g)).toHaveLength(2)
    expect(res.json.data.task_id).toBe(TASK)
  })

  it('TaskInProgress three times: the template, no task id invented, no polling', async () => {
    const res = await play('task-in-progress-three-times')
    expect(res.code).toBe(1)
    expectCleanEnd(res)
    expect(res.json.error).toMatchObject({
      code: 'Sysom.TaskInProgress',
      message: `⚠️ An existing diagnosis task is running on this instance.\n- Instance: ack-${CLUSTER}\n- Error: Sysom.TaskInProgress\n- Suggestion: Please wait for the running task to complete (typically 3–5 minutes), then retry.`,
    })
    expect(calls(res).some((c) => c.includes('get-diagnosis-result'))).toBe(false)
    expect(JSON.stringify(res.json.data)).not.toContain('task_id')
  })

  it('still Running after 60 polls: only the timeout template, exit 5, in no real time', async () => {
    const started = performance.now()
    const res = await play('poll-timeout')
    expect(performance.now() - started).toBeLessThan(30_000)
    expect(res.code).toBe(5)
    expectCleanEnd(res)
    expect(calls(res).filter((c) => c.includes('get-diagnosis-result'))).toHaveLength(60)
    expect(res.json).toMatchObject({ status: 'timed_out', error: { code: 'DiagnosisTimedOut', message: `⏳ SysOM diagnosis task timed out\n- Task ID: ${TASK}\n- Current status: Running\n- Suggestion: Please continue waiting for the diagnosis to complete.` } })
  })

  it('a transient error while polling (Throttling, ServiceUnavailable, a timeout) uses up one poll; polling goes on', async () => {
    const res = await play('poll-transient-errors')
    expect(res.code, res.stderr).toBe(0)
    expectCleanEnd(res)
    expect(calls(res).filter((c) => c.includes('get-diagnosis-result'))).toHaveLength(6)
    expect(res.json).toMatchObject({ status: 'completed', data: { task_id: TASK, diagnosis_status: 'Success' } })
    expect(res.stderr).toContain('sysom get-diagnosis-result: Throttling is transient and the task is still running, so polling goes on (poll 3 of 60 in 10 s).')
    expect(res.stderr).toMatch(/ServiceUnavailable is transient/)
    expect(res.stderr).toMatch(/SDK\.TimeoutError is transient/)
    // Nothing but polling: no second invocation, no other command.
    expect(calls(res).filter((c) => c.includes('invoke-diagnosis'))).toHaveLength(1)
  })

  it('transient errors count toward the 60 polls: the timeout template after 60 in all', async () => {
    const entries = scenarios['poll-timeout'].entries
    const at = entries.findIndex((e) => e.kind === 'cli' && e.argv[1] === 'get-diagnosis-result')
    const t = transcript('ack-profile', 'three transient failures among 60 polls', [...entries.slice(0, at), ...pollFailures(), ...entries.slice(at + 3)], { recordedAt: scenarios['poll-timeout'].recorded_at })
    const res = await replaySkill(t, ARGS['poll-timeout'])
    expect(res.code).toBe(5)
    expectCleanEnd(res)
    expect(calls(res).filter((c) => c.includes('get-diagnosis-result'))).toHaveLength(60)
    expect(res.json.error.message).toContain('- Current status: Running')
  })

  it('a transient error on the 60th poll: the timeout template, and no notice that polling goes on', async () => {
    const entries = scenarios['poll-timeout'].entries
    const last = entries.findLastIndex((e) => e.kind === 'cli' && e.argv[1] === 'get-diagnosis-result')
    const t = transcript('ack-profile', 'Throttling on the 60th poll', [...entries.slice(0, last), b.apiError(pollArgv, THROTTLING), ...entries.slice(last + 1)], { recordedAt: scenarios['poll-timeout'].recorded_at })
    const res = await replaySkill(t, ARGS['poll-timeout'])
    expect(res.code).toBe(5)
    expectCleanEnd(res)
    expect(calls(res).filter((c) => c.includes('get-diagnosis-result'))).toHaveLength(60)
    expect(res.json.error.message).toContain('- Current status: Running')
    expect(res.stderr).not.toMatch(/polling goes on|poll 61 of 60/)
  })

  it('a non-transient error while polling ends the run with it (a permission error with the full list)', async () => {
    const entries = scenarios['realtime-happy-path'].entries
    const at = entries.findIndex((e) => e.kind === 'cli' && e.argv[1] === 'get-diagnosis-result')
    const t = transcript('ack-profile', 'Forbidden.RAM while polling', [...entries.slice(0, at + 1), b.apiError(pollArgv, FORBIDDEN_RAM), entries.at(-1)!], { recordedAt: scenarios['realtime-happy-path'].recorded_at })
    const res = await replaySkill(t, ARGS['realtime-happy-path'])
    expect(res.code).toBe(1)
    expectCleanEnd(res)
    expect(calls(res).filter((c) => c.includes('get-diagnosis-result'))).toHaveLength(2)
    expect(res.json.error).toMatchObject({ code: 'Forbidden.RAM', required_permissions: policy.permissions?.ram })
  })

  it('a diagnosis that ends in Fail: failed, with its err_msg', async () => {
    const res = await play('diagnosis-fail')
    expect(res.code).toBe(1)
    expectCleanEnd(res)
    expect(res.json).toMatchObject({ status: 'failed', error: { code: 'DiagnosisFailed', message: expect.stringMatching(new RegExp(`pod ${POD} not found`)) }, data: { diagnosis_status: 'Fail' } })
  })
})

describe('inputs', () => {
  it('a description with spaces, punctuation and Chinese is sent as [a-z0-9_-] and the output says so', async () => {
    const res = await play('description-sanitised')
    expect(res.code).toBe(0)
    expectCleanEnd(res)
    expect(res.json.data.description).toEqual({ original: 'Pod OOM, 高负载! (p99)', sanitized: 'pod_oom_p99', dropped: true })
    expect(res.stderr).toMatch(/Description sent as "pod_oom_p99"/)
  })

  it('a description naming a past time without a range: a decision before anything runs (exit 3)', async () => {
    const res = await play('temporal-description')
    expect(res.code).toBe(3)
    expect(calls(res)).toEqual([])
    expect(res.json.status).toBe('needs_input')
    const [historical, realtime] = res.json.input.options
    expect(historical).toMatchObject({ recommended: true, argv: [...ARGS['temporal-description'], '--start-time', String(NOW - 3600), '--end-time', String(NOW)] })
    expect(realtime.argv.slice(-1)).toEqual(['--realtime'])
  })

  it.each([
    ['a malformed cluster id', ['--cluster-id', 'c123', '--namespace', 'default', '--pod', POD], /--cluster-id must be 'c' followed by 32 lower-case hex characters/],
    ['no pod', ['--cluster-id', CLUSTER, '--namespace', 'default'], /--pod is required/],
    ['only a start time', ['--cluster-id', CLUSTER, '--namespace', 'default', '--pod', POD, '--start-time', String(HISTORY.start)], /needs both --start-time and --end-time/],
    ['start after end', ['--cluster-id', CLUSTER, '--namespace', 'default', '--pod', POD, '--start-time', String(HISTORY.end), '--end-time', String(HISTORY.start)], /must be before --end-time/],
    ['an end in the future', ['--cluster-id', CLUSTER, '--namespace', 'default', '--pod', POD, '--start-time', String(NOW - 60), '--end-time', String(NOW + 3600)], /is in the future/],
    ['--realtime with a range', ['--cluster-id', CLUSTER, '--namespace', 'default', '--pod', POD, '--realtime', '--start-time', String(HISTORY.start), '--end-time', String(HISTORY.end)], /exclude each other/],
  ])('%s: exit 2, no command at all (ai-mode untouched)', async (_n, args, message) => {
    const res = await replaySkill(transcript('ack-profile', 'usage', [], { recordedAt: '2026-11-20T08:00:00.000Z' }), ['ack-profile', ...args])
    expect(res.code).toBe(2)
    expect(res.json.error.message).toMatch(message)
    expect(calls(res)).toEqual([])
  })

  it.each([
    ['pod oom', 'pod_oom', false],
    ['Pod OOM diagnosis', 'pod_oom_diagnosis', false],
    ['high cpu load', 'high_cpu_load', false],
    ['latency: p99 > 2s.', 'latency_p99_2s', true],
    ['高负载', '', true],
    ['mem-leak_v2', 'mem-leak_v2', false],
  ])('sanitises %j to %j', (text, sanitized, dropped) => {
    expect(sanitizeDescription(text)).toEqual({ original: text, sanitized, dropped })
    expect(sanitized).toMatch(/^[a-z0-9_-]*$/)
  })

  it.each([
    ['slow since this morning', true],
    ['OOM yesterday around 3pm', true],
    ['昨天下午CPU很高', true],
    ['high latency in the past 2 hours', true],
    ['cpu is high right now', false],
    ['现在CPU很高', false],
    ['pod oom', false],
  ])('%j names a past time: %s', (text, expected) => {
    expect(namesPastTime(text)).toBe(expected)
  })

  it('suggests the named window: "past 2 hours" is the last two hours', () => {
    expect(suggestWindow('slow in the past 2 hours', NOW)).toEqual({ start: NOW - 7200, end: NOW })
  })

  it('reads a result given as a JSON string, and a result with no summary', () => {
    expect(readFindings(JSON.stringify({ summary: { overall_status: 'Critical', root_cause: 'OOM' }, issues: ['oom_killed'] }))).toEqual({ overall_status: 'Critical', root_cause: 'OOM', issues: ['oom_killed'], suggestions: [] })
    expect(readFindings(undefined)).toMatchObject({ overall_status: 'Unknown', issues: [] })
  })

  it('builds the params as the skill writes them', () => {
    expect(diagnosisParams({ region: REGION, clusterId: CLUSTER, namespace: 'default', pod: 'p', description: 'x', mode: { kind: 'real-time' } })).toBe(
      `{"product":"ACK","region":"${REGION}","instance":"ack-${CLUSTER}","cluster_id":"${CLUSTER}","namespace":"default","pod":"p","description":"x","start_time":0,"end_time":0,"enable_diagnosis":true}`,
    )
  })
})

describe('the SDK step against a loopback server (real @alicloud/openapi-client)', () => {
  it('POSTs {clusterId, region, dryRun:false} to the SysOM path with the skill user agent', async () => {
    const seen: { method?: string; path?: string; body?: unknown; ua?: string; auth?: string }[] = []
    const server = createServer((req: IncomingMessage, res) => {
      let raw = ''
      req.on('data', (c) => (raw += c))
      req.on('end', () => {
        seen.push({ method: req.method, path: new URL(req.url!, 'http://x').pathname, body: JSON.parse(raw || 'null'), ua: req.headers['user-agent'], auth: req.headers.authorization })
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ code: 'Success', message: '', requestId: 'LOOPBACK-1', data: { endpointConnectionId: 'ep-1' } }))
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    // The CLI part replays; the SDK entry is left out so the SDK really calls this server.
    const t = structuredClone(scenarios['realtime-happy-path'])
    t.entries = t.entries.filter((e) => e.kind !== 'sdk')
    try {
      const res = await replayBin(t, ARGS['realtime-happy-path'], {
        env: { ALIYUN_HARNESS_SYSOM_ENDPOINT: `http://127.0.0.1:${port}`, ALIBABA_CLOUD_ACCESS_KEY_ID: 'loopback-test-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'loopback-test-secret' },
      })
      expect(res.code, res.stderr).toBe(0)
      expectCleanEnd(res)
    } finally {
      server.close()
    }
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ method: 'POST', path: SDK_PATH, body: { clusterId: CLUSTER, region: REGION, dryRun: false } })
    expect(seen[0].ua).toContain(policy.user_agent)
    // Signed with the default credential chain (here: the environment), never a key of ours.
    expect(seen[0].auth).toMatch(/Credential=loopback-test-id\b/)
  })
})

describe('policy', () => {
  it.each([
    ['cs CreateClusterDiagnosis', roa('cs', 'POST', `/clusters/${CLUSTER}/diagnosis`), /strictly forbidden/],
    ['another sysom action', api('sysom', 'list-abnormaly-events'), /not on the ack-profile allow-list/],
    ['sysom describe-metric-list', api('sysom', 'describe-metric-list'), /not on the ack-profile allow-list/],
    ['help discovery', ['sysom', '--help'], /help discovery/],
    ['help on a sub-command', ['sysom', 'invoke-diagnosis', '--help'], /help discovery/],
    ['a PascalCase action', ['sysom', 'InvokeDiagnosis', '--service-name', 'ocd'], /not a plugin-mode action/],
    ['product SysOM', ['SysOM', 'invoke-diagnosis'], /lower-case/],
    ['product alias ack', ['ack', 'invoke-diagnosis'], /alias 'ack' is forbidden/],
    ['invoke-diagnosis with another service', api('sysom', 'invoke-diagnosis', { 'service-name': 'memgraph', channel: 'ecs', params: '{}' }), /not on the ack-profile allow-list/],
    ['initial-sysom in check-only mode', api('sysom', 'initial-sysom', { 'check-only': 'true', source: 'aes-skills' }), /not on the ack-profile allow-list/],
  ])('refuses %s', (_n, argv, why) => {
    expect(() => checkCommand(policy, argv)).toThrow(PolicyError)
    expect(() => checkCommand(policy, argv)).toThrow(why)
  })

  it('allows exactly the chain', () => {
    for (const argv of [roa('cs', 'GET', `/clusters/${CLUSTER}`), api('sysom', 'initial-sysom', { 'check-only': 'false', source: 'aes-skills' }), api('sysom', 'get-diagnosis-result', { 'task-id': TASK }), api('sts', 'get-caller-identity')])
      expect(() => checkCommand(policy, argv)).not.toThrow()
  })
})

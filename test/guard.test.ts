// `aliyun-harness guard` as users run it: the real bin, an agent-like shell script driving `aliyun`
// itself, and — as the "real" CLI behind guard — the fake `aliyun` of `aliyun-harness replay`
// serving a transcript (its report lists exactly what reached the CLI) or a logging script.

import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { processStart, type LockHolder } from '../lib/aimode.js'
import { shellLine, shellQuote } from '../lib/command.js'
import { getPolicy } from '../lib/policy.js'
import { cliSafetyRules, rulesValue } from '../lib/safety-policy.js'
import { entryStdout, Replayer, type CliEntry, type Entry, type Transcript } from '../lib/transcript.js'
import * as ack from './recordings/ack-profile.js'
import * as flink from './recordings/flink.js'
import { transcript } from './support/cli-facts.js'
import { BIN, calls, replayBin, runBin, tempDir, type RunResult } from './support/run.js'

const ACK_UA = getPolicy('ack-profile').user_agent
const C = ack.CLUSTER
const SLOW = 60_000

/** An agent-like script: plain `aliyun …` lines, as an agent types them through its shell tool. */
function agent(dir: string, body: string): string {
  const file = join(dir, 'agent.sh')
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return file
}

const line = (argv: string[]) => `aliyun ${shellLine(argv)}`

interface Guarded extends RunResult {
  /** guard's own report (--report). */
  guard: any
  /** guard's recording (--record). */
  recorded: Transcript
}

/** guard --skill <skill> -- <script>, with the replay fake serving `t` as the real CLI. */
async function guarded(t: Transcript, body: (dir: string) => string, opts: { skill?: string; dir?: string; onSpawn?: (c: import('node:child_process').ChildProcess) => void } = {}): Promise<Guarded> {
  const dir = opts.dir ?? tempDir()
  const script = agent(dir, body(dir))
  const res = await replayBin(t, ['guard', '--skill', opts.skill ?? t.skill, '--report', join(dir, 'guard.json'), '--record', join(dir, 'session.json'), '--', script], { dir, onSpawn: opts.onSpawn })
  const read = (f: string) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : undefined)
  return Object.assign(res, { guard: read('guard.json'), recorded: read('session.json') })
}

/**
 * Sends `signal`, once, to the process a `READY <pid>` line on stderr names — no fixed sleep: the
 * process signalled is the one that said it is ready.
 */
function signalWhenReady(signal: NodeJS.Signals) {
  return (child: import('node:child_process').ChildProcess) => {
    let seen = ''
    let sent = false
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += String(chunk)
      const m = seen.match(/READY (\d+)\n/)
      if (m && !sent) {
        sent = true
        process.kill(Number(m[1]), signal)
      }
    })
  }
}

const lifecycle = (middle: Entry[]): Entry[] => [ack.b.aiModeEnable(), ack.b.aiModeSetUserAgent(), ...middle, ack.b.aiModeDisable()]

describe('an agent driving aliyun itself under guard', () => {
  const wrongSuffix = 'AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-ack-diagnosis'
  const served = transcript('ack-profile', 'agent', lifecycle([ack.b.version('3.4.11'), ack.cluster(), ack.initialOk(), ack.taskInProgress()]))
  let res: Guarded

  // One guarded session; every test below reads it, so each can also run on its own.
  beforeAll(async () => {
    res = await guarded(served, (dir) =>
      [
        `aliyun configure ai-mode enable; echo "enable=$?"`,
        `aliyun version --user-agent ${ACK_UA}; echo "version=$?"`,
        `aliyun cs GET /clusters/${C} > ${shellQuote(join(dir, 'cluster.json'))}; echo "cluster=$?"`,
        `${line([...ack.initialArgv, '--user-agent', wrongSuffix])} > /dev/null; echo "initial=$?"`,
        `aliyun cs POST /clusters/${C}/diagnosis; echo "diagnosis=$?"`,
        `aliyun sysom --help; echo "help=$?"`,
        `aliyun configure set --access-key-id LTAI5tExampleKeyId0001 --access-key-secret nope; echo "credentials=$?"`,
        `${line(ack.invokeArgv())}; echo "invoke=$?"`,
        'exit 7',
      ].join('\n'),
    )
  }, SLOW)

  it('forwards allowed calls, refuses forbidden ones (exit 4, never sent), and exits with the command\'s code', () => {
    expect(res.code).toBe(7)
    expect(res.stdout).toBe(['enable=0', '3.4.11', 'version=0', 'cluster=0', 'initial=0', 'diagnosis=4', 'help=4', 'credentials=4', 'invoke=1', ''].join('\n'))
  })

  it('sends nothing refused to the CLI, and fixes the user agent on what it sends', () => {
    expect(calls(res)).toEqual([
      'aliyun configure ai-mode enable',
      `aliyun configure ai-mode set-user-agent --user-agent ${ACK_UA}`,
      'aliyun version',
      `aliyun cs GET /clusters/${C} --user-agent ${ACK_UA}`,
      `aliyun ${[...ack.initialArgv, '--user-agent', ACK_UA].join(' ')}`,
      `aliyun ${[...ack.invokeArgv(), '--user-agent', ACK_UA].join(' ')}`,
      'aliyun configure ai-mode disable',
    ])
    expect(res.report?.misses).toEqual([])
  })

  it('passes the CLI\'s output through untouched and tells the agent what to do instead of a refused call', () => {
    expect(JSON.parse(readFileSync(join(res.dir, 'cluster.json'), 'utf8'))).toEqual((served.entries[3] as { stdout_json: unknown }).stdout_json)
    expect(res.stderr).toMatch(/^ERROR: SDK\.ServerError\nErrorCode: Sysom\.TaskInProgress$/m)
    expect(res.stderr).toContain(
      "aliyun-harness guard: refused by the ack-profile skill's rules, not sent to aliyun: cs CreateClusterDiagnosis is strictly forbidden: the workflow fails.\nInstead: allowed: aliyun cs GET /clusters/…\n",
    )
    expect(res.stderr).toMatch(/not sent to aliyun: the ack-profile skill forbids help discovery \(--help\)\.\nInstead: the ack-profile skill names every command it needs; run them directly: aliyun sysom initial-sysom/)
    expect(res.stderr).toMatch(/not sent to aliyun: credential flag `--access-key-id` is never passed on a command line\.\nInstead: credentials are set up outside this session/)
    expect(res.stderr).toMatch(/aliyun-harness guard: ai-mode is managed by guard for this session/)
    expect(res.stderr).not.toContain('LTAI5tExampleKeyId0001')
  })

  it('reports every call, the user-agent fixes and the ai-mode bracket (--report)', () => {
    expect(res.guard).toMatchObject({
      skill: 'ack-profile',
      exit_code: 7,
      signal: null,
      counts: { forwarded: 4, refused: 3, answered: 1, user_agent: { added: 2, corrected: 1, removed: 1 } },
      ai_mode: { used: true, user_agent: ACK_UA, enabled: true, disabled: true },
    })
    expect(res.guard.calls.filter((c: { action: string }) => c.action === 'refused').map((c: { call: string }) => c.call)).toEqual([
      `aliyun cs POST /clusters/${C}/diagnosis`,
      'aliyun sysom --help',
      'aliyun configure set --access-key-id *** --access-key-secret ***',
    ])
    expect(res.stderr).toMatch(/aliyun-harness guard \(ack-profile\): the command exited 7\. 4 calls forwarded \(user agent 2 added, 1 corrected, 1 removed from system commands\), 3 refused, 1 answered by guard/)
  })

  it('records what reached the CLI, scrubbed, with the command that made each call (--record)', () => {
    const sent = res.recorded.entries.filter((e) => e.kind === 'cli' && e.refused === undefined)
    expect(sent.map((e) => (e.kind === 'cli' ? e.argv.join(' ') : ''))).toEqual(calls(res).map((c) => c.slice('aliyun '.length)))
    const byAgent = sent.filter((e) => e.kind === 'cli' && e.caller)
    expect(byAgent).toHaveLength(4)
    for (const e of byAgent) expect(e.kind === 'cli' && e.caller?.at(-1)).toBe(join(res.dir, 'agent.sh'))
    expect(res.recorded.cli_version).toBe('3.4.11')
    expect(res.recorded.origin).toBe('recorded')
  })

  it('records the refused attempts too, so CI sees them: replay never serves them, audit reports them, the acceptance rules count them', async () => {
    const attempts = res.recorded.entries.filter((e): e is CliEntry => e.kind === 'cli' && e.refused !== undefined)
    expect(attempts.map((e) => [e.argv.join(' '), e.exit_code, e.refused])).toEqual([
      [`cs POST /clusters/${C}/diagnosis`, 4, 'cs CreateClusterDiagnosis is strictly forbidden: the workflow fails'],
      ['sysom --help', 4, 'the ack-profile skill forbids help discovery (--help)'],
      ['configure set --access-key-id *** --access-key-secret ***', 4, 'credential flag `--access-key-id` is never passed on a command line'],
    ])
    const replayer = new Replayer(res.recorded)
    expect(replayer.matchCli(['cs', 'POST', `/clusters/${C}/diagnosis`])).toMatchObject({ kind: 'never-recorded' })
    expect(replayer.unused().map((u) => u.index)).not.toContain(res.recorded.entries.indexOf(attempts[0]))
    expect(res.guard.acceptance.rules.find((r: { id: string }) => r.id === 'no-cs-diagnosis')).toMatchObject({
      status: 'broken',
      evidence: [expect.stringMatching(/^#\d+ aliyun cs POST \/clusters\/\S+\/diagnosis \(refused by guard, never sent\)$/)],
    })
    const audit = await runBin(['audit', join(res.dir, 'session.json'), '--acceptance', '--json'])
    expect(audit.code).toBe(1)
    expect(audit.json.results[0].violations.filter((v: { rule: string }) => v.rule === 'refused').map((v: { message: string }) => v.message)).toEqual([
      'aliyun cs POST /clusters/' + C + '/diagnosis: refused by guard, never sent: cs CreateClusterDiagnosis is strictly forbidden: the workflow fails',
      'aliyun sysom: refused by guard, never sent: the ack-profile skill forbids help discovery (--help)',
      'aliyun configure set: refused by guard, never sent: credential flag `--access-key-id` is never passed on a command line',
    ])
    expect(audit.json.results[0].acceptance.rules).toEqual(res.guard.acceptance.rules)
  })
})

describe('the acceptance report at the end of an ack-profile session', () => {
  const polls = (n: number) => Array.from({ length: n }, () => line(ack.pollArgv) + ' > /dev/null').join('\n')
  const steps = () => [`aliyun cs GET /clusters/${C} > /dev/null`, line(ack.initialArgv) + ' > /dev/null', line(ack.invokeArgv()) + ' > /dev/null'].join('\n')
  const complete = transcript('ack-profile', 'complete', lifecycle([ack.cluster(), ack.initialOk(), ack.invokeOk(), ack.poll('Running'), ack.poll('Success')]))
  const incomplete = transcript('ack-profile', 'incomplete', lifecycle([ack.cluster(), ack.initialOk(), ack.invokeOk(), ack.poll('Running')]))
  const sessions: Record<string, Guarded> = {}

  // Both sessions first, so each test below can also run on its own.
  beforeAll(async () => {
    sessions.complete = await guarded(complete, () => `${steps()}\n${polls(2)}`)
    sessions.incomplete = await guarded(incomplete, () => `${steps()}\n${polls(1)}`)
  }, 2 * SLOW)

  it('a complete session: every rule kept, the VPC endpoint step marked not checkable', () => {
    const res = sessions.complete
    expect(res.code).toBe(0)
    expect(res.guard.acceptance).toMatchObject({ ok: true, counts: { kept: 6, broken: 0 } })
    expect(res.stderr).toMatch(/\nAcceptance \(ack-profile\): 6 kept, 0 broken, 0 not applicable, 0 not checkable\n {2}✓ diagnosis-flow: cs GET cluster, then initial-sysom, then the VPC endpoint step, then invoke-diagnosis, then get-diagnosis-result polled to a terminal status\n/)
    expect(res.stderr).toMatch(/ {6}#6 aliyun sysom get-diagnosis-result --task-id \S+ \(data\.status Success\)\n {6}\? the VPC endpoint step \(SDK CreateClusterVpcEndpointConnection\): not checkable — an SDK call the agent makes with its own script/)
  }, SLOW)

  it('an incomplete one: the broken rule, with the missing call as evidence; guard still exits with the command\'s code', () => {
    const res = sessions.incomplete
    expect(res.code).toBe(0)
    expect(res.guard.acceptance.ok).toBe(false)
    expect(res.guard.acceptance.rules.find((r: { id: string }) => r.id === 'diagnosis-flow')).toMatchObject({
      status: 'broken',
      evidence: expect.arrayContaining([expect.stringMatching(/^missing: sysom get-diagnosis-result at a terminal status after #4 sysom invoke-diagnosis; #5 aliyun sysom get-diagnosis-result .*data\.status is Running, not Success or Fail$/)]),
    })
    expect(res.stderr).toMatch(/\n {2}✗ diagnosis-flow: /)
  }, SLOW)

  it('audit --acceptance reaches the same verdicts on the recorded sessions (exit 0 and 1)', async () => {
    const ok = await runBin(['audit', join(sessions.complete.dir, 'session.json'), '--acceptance'])
    expect(ok.code).toBe(0)
    const broken = await runBin(['audit', join(sessions.incomplete.dir, 'session.json'), '--acceptance', '--json'])
    expect(broken.code).toBe(1)
    expect(broken.json.results[0].acceptance.rules).toEqual(sessions.incomplete.guard.acceptance.rules)
  })
})

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s to guard', (signal, exitCode) => {
  it('stops the command, disables ai-mode, releases the lock and exits with the signal\'s code', async () => {
    const t = transcript('ack-profile', 'interrupted', lifecycle([ack.cluster()]))
    // The script says when it is ready and who its parent (guard) is; the test signals guard then.
    const onSpawn = signalWhenReady(signal)
    const started = performance.now()
    const res = await guarded(t, () => `aliyun cs GET /clusters/${C} > /dev/null\necho "READY $PPID" >&2\nexec sleep 30`, { onSpawn })
    expect(performance.now() - started).toBeLessThan(25_000)
    expect(res.code).toBe(exitCode)
    expect(calls(res).at(-1)).toBe('aliyun configure ai-mode disable')
    expect(res.guard).toMatchObject({ exit_code: exitCode, signal, ai_mode: { enabled: true, disabled: true } })
    expect(res.stderr).toMatch(new RegExp(`aliyun-harness guard: ${signal} received; the command is stopped and ai-mode disabled before guard exits\\.`))
    expect(existsSync(join(res.dir, 'state', 'ai-mode.lock'))).toBe(false)
  }, SLOW)
})

describe('the real CLI behind guard', () => {
  it('gets the skill\'s safety policy (the user\'s own rules first), the caller\'s stdin and environment, and passes its exit code back', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, '.aliyun'))
    writeFileSync(join(dir, '.aliyun', 'safety-policy.json'), JSON.stringify({ enabled: true, rules: [{ pattern: 'ecs:describe-instance-history*', action: 'confirm' }] }))
    const log = join(dir, 'cli.log')
    const cli = join(dir, 'real-aliyun')
    writeFileSync(
      cli,
      [
        '#!/bin/sh',
        `{ printf 'argv=%s\\n' "$*"`,
        `  echo "enabled=$ALIBABA_CLOUD_SAFETY_POLICY_ENABLED"`,
        `  echo "rules=$ALIBABA_CLOUD_SAFETY_POLICY_RULES"`,
        `  echo "cli=$ALIYUN_CLI fake=\${ALIYUN_HARNESS_FAKE_URL:-unset} agent=$AGENT_VAR"`,
        `  read -r input; echo "stdin=$input"; } >> ${shellQuote(log)}`,
        'exit 3',
      ].join('\n'),
    )
    chmodSync(cli, 0o755)
    const script = agent(dir, `echo from-the-agent | AGENT_VAR=set aliyun ecs describe-instances --biz-region-id cn-hangzhou; echo "rc=$?"`)
    const res = await runBin(['guard', '--skill', 'ecs-review', '--', script], { dir, env: { ALIYUN_CLI: cli } })
    expect(res.code).toBe(0)
    expect(res.stdout).toBe('rc=3\n')
    const logged = readFileSync(log, 'utf8')
    expect(logged).toBe(
      [
        'argv=ecs describe-instances --biz-region-id cn-hangzhou --user-agent AlibabaCloud-Agent-Skills/alibaba-ecs-compute-operator',
        'enabled=true',
        `rules=ecs:describe-instance-history*=confirm,${rulesValue(cliSafetyRules(getPolicy('ecs-review')))}`,
        `cli=${cli} fake=unset agent=set`,
        'stdin=from-the-agent',
        '',
      ].join('\n'),
    )
    // A skill without ai-mode: guard never touches it.
    expect(logged).not.toMatch(/ai-mode/)
  }, SLOW)
})

describe('an ecs-review agent under guard --record, with a CLI that prints an AccessKey', () => {
  const KEY_ID = 'LTAI5tExampleKeyId0001'
  const KEY_SECRET = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY'

  it('the agent reads the output unchanged; the record and the report hold it scrubbed; help and a leading --profile go through; audit passes the record', async () => {
    const dir = tempDir()
    const log = join(dir, 'cli.log')
    const cli = join(dir, 'real-aliyun')
    const answer = JSON.stringify({ AccessKey: { AccessKeyId: KEY_ID, AccessKeySecret: KEY_SECRET } })
    writeFileSync(cli, `#!/bin/sh\nprintf '%s\\n' "$*" >> ${shellQuote(log)}\nprintf '%s\\n' ${shellQuote(answer)}\n`)
    chmodSync(cli, 0o755)
    const out = join(dir, 'out.json')
    const script = agent(dir, [`aliyun --profile prod ecs describe-instances > ${shellQuote(out)}; echo "describe=$?"`, 'aliyun ecs describe-instances --help > /dev/null; echo "help=$?"'].join('\n'))
    const record = join(dir, 'session.json')
    const report = join(dir, 'guard.json')
    const res = await runBin(['guard', '--skill', 'ecs-review', '--record', record, '--report', report, '--', script], { dir, env: { ALIYUN_CLI: cli } })
    expect(res.code).toBe(0)
    expect(res.stdout).toBe('describe=0\nhelp=0\n')
    expect(readFileSync(out, 'utf8')).toBe(answer + '\n')
    const ua = getPolicy('ecs-review').user_agent
    expect(readFileSync(log, 'utf8')).toBe(`ecs describe-instances --profile prod --user-agent ${ua}\necs describe-instances --help\n`)
    for (const file of [record, report]) {
      const text = readFileSync(file, 'utf8')
      expect(text, file).not.toContain(KEY_ID)
      expect(text, file).not.toContain(KEY_SECRET)
    }
    const recorded: Transcript = JSON.parse(readFileSync(record, 'utf8'))
    expect(recorded.entries.map((e) => e.kind === 'cli' && [e.argv.join(' '), JSON.parse(entryStdout(e))])).toEqual([
      [`ecs describe-instances --profile prod --user-agent ${ua}`, { AccessKey: { AccessKeyId: '***', AccessKeySecret: '***' } }],
      ['ecs describe-instances --help', { AccessKey: { AccessKeyId: '***', AccessKeySecret: '***' } }],
    ])
    const audit = await runBin(['audit', record, '--skill', 'ecs-review', '--acceptance'])
    expect(audit.stdout + audit.stderr).not.toContain(KEY_ID)
    expect(audit.code).toBe(0)
  }, SLOW)
})

describe('signals during a forwarded call', () => {
  it('reach the real CLI, and the agent sees the call end the way the CLI did', async () => {
    const dir = tempDir()
    const log = join(dir, 'cli.log')
    const cli = join(dir, 'real-aliyun')
    // The "real" CLI says when it is ready and who its parent (guard's shim) is, then waits.
    writeFileSync(
      cli,
      [
        '#!/bin/sh',
        `trap 'echo TERM >> ${shellQuote(log)}; kill $! 2>/dev/null; trap - TERM; kill -TERM $$' TERM`,
        'sleep 30 </dev/null >/dev/null 2>&1 &',
        'echo "READY $PPID" >&2',
        'wait',
      ].join('\n'),
    )
    chmodSync(cli, 0o755)
    const script = agent(dir, 'aliyun ecs describe-instances; echo "rc=$?"')
    const res = await runBin(['guard', '--skill', 'ecs-review', '--', script], { dir, env: { ALIYUN_CLI: cli }, onSpawn: signalWhenReady('SIGTERM') })
    expect(readFileSync(log, 'utf8')).toBe('TERM\n')
    expect(res.stdout).toBe('rc=143\n')
    expect(res.code).toBe(0)
  }, SLOW)
})

describe('the machine-wide ai-mode lock', () => {
  it('held by another live run: guard fails naming it (exit 1) and the command never runs', async () => {
    const dir = tempDir()
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'aliyun-harness'], { stdio: 'ignore' })
    try {
      await new Promise((resolve) => holder.once('spawn', resolve))
      mkdirSync(join(dir, 'state'))
      const lock: LockHolder = { pid: holder.pid!, host: hostname(), skill: 'eas-deploy', run_id: 'run-other', started_at: '2026-11-20T08:00:00.000Z', process_start: processStart(holder.pid!) }
      writeFileSync(join(dir, 'state', 'ai-mode.lock'), JSON.stringify(lock))
      const marker = join(dir, 'ran')
      const cli = join(dir, 'real-aliyun')
      writeFileSync(cli, `#!/bin/sh\ntouch ${shellQuote(marker)}\n`)
      chmodSync(cli, 0o755)
      const script = agent(dir, `touch ${shellQuote(marker)}`)
      const res = await runBin(['guard', '--skill', 'ack-profile', '--report', join(dir, 'guard.json'), '--', script], { dir, env: { ALIYUN_CLI: cli, ALIYUN_HARNESS_AI_MODE_LOCK_WAIT_MS: '0' } })
      expect(res.code).toBe(1)
      expect(res.stderr).toMatch(new RegExp(`aliyun-harness guard: ai-mode is in use by eas-deploy \\(pid ${holder.pid} on `))
      expect(existsSync(marker)).toBe(false)
      // The report says so: the command did not run, nothing was enabled or disabled, no rule was checked.
      const report = JSON.parse(readFileSync(join(dir, 'guard.json'), 'utf8'))
      const rules = getPolicy('ack-profile').acceptance.length
      expect(report).toMatchObject({ ran: false, error: expect.stringMatching(/^ai-mode is in use by eas-deploy/), ai_mode: { attempted: false, enabled: false, disabled: false } })
      expect(report.acceptance.counts).toEqual({ kept: 0, broken: 0, not_applicable: 0, not_checkable: rules })
      expect(res.stderr).toMatch(/aliyun-harness guard \(ack-profile\): the command did not run \(ai-mode is in use by eas-deploy .*; exit 1\)\. 0 calls forwarded/)
      expect(res.stderr).toMatch(/\nai-mode: never enabled, nothing to disable\.\n/)
      expect(res.stderr).toMatch(new RegExp(`\\nAcceptance \\(ack-profile\\): 0 kept, 0 broken, 0 not applicable, ${rules} not checkable\\n {2}\\? diagnosis-flow: .*\\n {6}the command did not run \\(ai-mode is in use`))
    } finally {
      holder.kill()
    }
  }, SLOW)
})

describe('a CLI whose configure ai-mode enable fails (older than ai-mode)', () => {
  it('guard stops before the command and says so: enabling failed, ai-mode disabled again, the rules not checkable', async () => {
    const dir = tempDir()
    const log = join(dir, 'cli.log')
    const cli = join(dir, 'real-aliyun')
    // The host's answer to an unknown sub-command (aliyun-cli cli/errors.go InvalidCommandError, exit 2).
    writeFileSync(cli, `#!/bin/sh\nprintf '%s\\n' "$*" >> ${shellQuote(log)}\n[ "$*" = "configure ai-mode enable" ] && { echo "ERROR: 'ai-mode' is not a valid command" >&2; exit 2; }\nexit 0\n`)
    chmodSync(cli, 0o755)
    const marker = join(dir, 'ran')
    const script = agent(dir, `touch ${shellQuote(marker)}`)
    const res = await runBin(['guard', '--skill', 'eas-deploy', '--report', join(dir, 'guard.json'), '--', script], { dir, env: { ALIYUN_CLI: cli } })
    expect(existsSync(marker)).toBe(false)
    expect(readFileSync(log, 'utf8')).toBe('configure ai-mode enable\nconfigure ai-mode disable\n')
    const report = JSON.parse(readFileSync(join(dir, 'guard.json'), 'utf8'))
    expect(report).toMatchObject({ ran: false, exit_code: res.code, ai_mode: { attempted: true, enabled: false, disabled: true } })
    expect(res.code).not.toBe(0)
    expect(report.acceptance.counts.kept).toBe(0)
    expect(res.stderr).toMatch(/aliyun-harness guard \(eas-deploy\): the command did not run \(.*; exit \d+\)\./)
    expect(res.stderr).toMatch(/\nai-mode: enabling failed; disabled again\.\n/)
  }, SLOW)
})

describe('flink: who made the call', () => {
  it('a create through the wrapper with --confirm keeps its rules; a raw paid create is refused; a raw foasconsole read breaks wrapper-only', async () => {
    const raw = flink.b.api(flink.argv.instances(), { Success: true, Instances: [] })
    const t = transcript('flink', 'wrapper and raw', [...flink.scenarios.create.entries, raw])
    const create = ['flink', 'create', '--region_id', flink.REGION, '--name', flink.NAME, '--instance_type', 'PayAsYouGo', '--vpc_id', flink.VPC, '--vswitch_id', flink.VSW, '--cu_count', '8', '--confirm']
    const rawCreate = line(flink.argv.createInstance({ cpu: 8, memory: 32 }))
    const res = await guarded(t, () => `${shellLine([process.execPath, BIN, ...create])} > /dev/null\n${rawCreate}; echo "raw-create=$?"\n${line(flink.argv.instances())} > /dev/null`)
    expect(res.code).toBe(0)
    // The raw create never reached the CLI: what was served is the wrapper's session and the raw read, nothing else.
    expect(res.report?.misses).toEqual([])
    expect(res.stdout).toBe('raw-create=4\n')
    expect(res.stderr).toContain(
      "not sent to aliyun: creates only with confirmation evidence: the wrapper ran with --confirm [confirmed-creates]; called by: /bin/sh " + join(res.dir, 'agent.sh') + '.\nInstead: once the user has confirmed the cost, create through the wrapper: aliyun-harness flink create … --confirm (an instance) or aliyun-harness flink create_namespace … --confirm (a namespace).\n',
    )
    const status = Object.fromEntries(res.guard.acceptance.rules.map((r: { id: string; status: string }) => [r.id, r.status]))
    expect(status).toMatchObject({ 'wrapper-only': 'broken', 'confirmed-creates': 'broken', 'name-check-before-create': 'kept', 'read-back-instance': 'kept' })
    const rule = (id: string) => res.guard.acceptance.rules.find((r: { id: string }) => r.id === id)
    const byAgent = `: called by: /bin/sh ${join(res.dir, 'agent.sh')}$`
    // The wrapper's own create kept the rule; the agent's refused attempt is what breaks it (R2: attempts are on the record).
    const attempt = new RegExp(`^#5 aliyun foasconsole create-instance .* \\(refused by guard, never sent\\)${byAgent}`)
    expect(rule('confirmed-creates').evidence).toEqual([expect.stringMatching(attempt)])
    expect(rule('wrapper-only').evidence).toEqual([expect.stringMatching(attempt), expect.stringMatching(new RegExp(`^#6 aliyun foasconsole describe-instances .*${byAgent}`))])
  }, SLOW)
})

describe('guard usage', () => {
  it('answers --help with exit 0', async () => {
    const res = await runBin(['guard', '--help'])
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^aliyun-harness guard — enforce a skill's rules on any command that drives\n`aliyun` itself/)
  })

  it('refuses bad usage with exit 2 before anything runs', async () => {
    const dir = tempDir()
    const marker = join(dir, 'ran')
    const script = agent(dir, `touch ${shellQuote(marker)}`)
    const cli = join(dir, 'real-aliyun')
    writeFileSync(cli, '#!/bin/sh\nexit 0\n')
    chmodSync(cli, 0o755)
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['guard', '--', script], { ALIYUN_CLI: cli }, /usage: aliyun-harness guard --skill <name>/],
      [['guard', '--skill', 'ecs-dr'], { ALIYUN_CLI: cli }, /usage/],
      [['guard', '--skill', 'nope', '--', script], { ALIYUN_CLI: cli }, /unknown skill 'nope'/],
      [['guard', '--skill', 'ecs-dr', '--bogus', '--', script], { ALIYUN_CLI: cli }, /Unknown option '--bogus'/],
      [['guard', '--skill', 'ecs-dr', '--record', dir, '--', script], { ALIYUN_CLI: cli }, /--record .*: is a directory/],
      [['guard', '--skill', 'ecs-dr', '--', join(dir, 'no-such-agent')], { ALIYUN_CLI: cli }, /cannot run '.*no-such-agent': not found/],
      [['guard', '--skill', 'ecs-dr', '--', script], { ALIYUN_CLI: join(dir, 'no-cli') }, /the aliyun CLI was not found \(looked for '.*no-cli'\); install it or set ALIYUN_CLI/],
    ]
    for (const [args, env, message] of cases) {
      const res = await runBin(args, { dir, env })
      expect(res.code, args.join(' ')).toBe(2)
      expect(res.stderr, args.join(' ')).toMatch(message)
    }
    expect(existsSync(marker)).toBe(false)
  }, SLOW)
})

describe('the ecs-dr user agent', () => {
  it('ecs-dr: one session id for every API call of the session (and the report as JSON with --json)', async () => {
    const dir = tempDir()
    const cli = join(dir, 'real-aliyun')
    writeFileSync(cli, `#!/bin/sh\nprintf '%s\\n' "$*" >> ${shellQuote(join(dir, 'argv.log'))}\n`)
    chmodSync(cli, 0o755)
    const script = agent(dir, ['aliyun ecs describe-instances', 'aliyun ecs describe-disks --user-agent AlibabaCloud-Agent-Skills/alibabacloud-ecs-disaster-recovery-image', 'aliyun plugin update'].join('\n'))
    const res = await runBin(['guard', '--skill', 'ecs-dr', '--json', '--', script], { dir, env: { ALIYUN_CLI: cli } })
    expect(res.code).toBe(0)
    // --json: the report on stdout (this command prints nothing of its own), nothing on stderr.
    expect(res.json).toMatchObject({ skill: 'ecs-dr', exit_code: 0, counts: { forwarded: 3, refused: 0, user_agent: { added: 1, corrected: 1 } }, ai_mode: { used: false } })
    expect(res.stderr).toBe('')
    const lines = readFileSync(join(dir, 'argv.log'), 'utf8').trimEnd().split('\n')
    const ids = lines.slice(0, 2).map((l) => l.match(/--user-agent AlibabaCloud-Agent-Skills\/alibabacloud-ecs-disaster-recovery-image\/([0-9a-f]{32})$/)?.[1])
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/)
    expect(ids[1]).toBe(ids[0])
    expect(lines[2]).toBe('plugin update')
  }, SLOW)
})

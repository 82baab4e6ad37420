// One guard session: the command runs with the fake `aliyun` shim first on PATH (the record/replay
// machinery of lib/replay-server.ts); the shim asks this process about every call, and guard
// refuses it, answers it, or has the shim run the real CLI — resolved before the shim went on PATH —
// with the user-agent rule applied and the CLI's own safety policy set as a second lock. For skills
// that use ai-mode, guard runs the workflows' lifecycle around the command (lib/aimode.ts: the same
// machine-wide lock, enable then set-user-agent, disable on every way out) on the real CLI.

import { existsSync, rmSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { checkAcceptance, sessionCalls, uncheckedAcceptance, type AcceptanceReport } from '../acceptance.js'
import { AiModeLock, AiModeSession, lockHolder } from '../aimode.js'
import { clockFor } from '../clock.js'
import { HarnessError, InterruptedError, UsageError } from '../errors.js'
import type { IO } from '../io.js'
import type { SkillPolicy } from '../policy.js'
import type { Redactor } from '../redact.js'
import { makeShimDir, startServer } from '../replay-server.js'
import { liveStateDir, REPLAY_ENV, REPLAY_STATE_ENV } from '../run-mode.js'
import { runCommand, signalExitCode } from '../spawn.js'
import { Runner } from '../runner.js'
import { cliCommandString, cliSafetyRules, evaluateSafety, rulesValue, SAFETY_ENABLED_ENV, SAFETY_RULES_ENV, userSafetyRules } from '../safety-policy.js'
import type { CliEntry, Transcript } from '../transcript.js'
import { newRecording } from '../transcript.js'
import { cliEntry, ProcessTransport, RecordingTransport, resolveCli } from '../transport.js'
import { CallJudge, profileAfterWords, type UserAgentFix } from './judge.js'

/** Exit code of a call guard refuses (the shim's own; nothing reached the CLI). */
export const REFUSED_EXIT = 4

export interface GuardCall {
  call: string
  action: 'forwarded' | 'refused' | 'answered'
  reason?: string
  user_agent?: UserAgentFix
  exit_code?: number
}

export interface GuardReport {
  skill: string
  command: string[]
  /** false when guard stopped before the command started (a busy ai-mode lock, a failed enable, a signal); `error` says why. */
  ran: boolean
  error?: string
  exit_code: number
  signal: string | null
  calls: GuardCall[]
  counts: { forwarded: number; refused: number; answered: number; user_agent: Record<UserAgentFix, number> }
  /** `attempted`: guard sent `configure ai-mode enable`; `disabled`: it sent `disable` afterwards, and it succeeded. */
  ai_mode: { used: false } | { used: true; user_agent: string; attempted: boolean; enabled: boolean; disabled: boolean }
  /** The CLI safety policy set on forwarded calls (second lock): how many rules, the user's own kept in front. */
  safety_policy: { skill_rules: number; user_rules: number }
  warnings: string[]
  acceptance: AcceptanceReport
}

export interface GuardRequest {
  policy: SkillPolicy
  command: string[]
  env: NodeJS.ProcessEnv
  io: IO
  redactor: Redactor
}

/** The real CLI, found before the shim is on PATH: `$ALIYUN_CLI`, else `aliyun` on PATH. */
export async function realCli(env: NodeJS.ProcessEnv): Promise<string> {
  const cli = await resolveCli(env)
  if (!cli.includes('/') || !existsSync(cli))
    throw new UsageError(`the aliyun CLI was not found (looked for '${env.ALIYUN_CLI || 'aliyun'}'${env.ALIYUN_CLI ? '' : ' on PATH'}); install it or set ALIYUN_CLI to its path.`, 'CliNotFound')
  return cli
}

/**
 * Where the ai-mode lock lives: the workflows' state directory (a replay's throw-away one under
 * `replay`), checked like theirs — one that cannot be used is bad usage before anything runs.
 */
function lockDir(env: NodeJS.ProcessEnv): string {
  return env[REPLAY_ENV] === '1' && env[REPLAY_STATE_ENV] ? env[REPLAY_STATE_ENV]! : liveStateDir(env)
}

/** The variables guard changes for its command, and how the real CLI gets them back (set or unset). */
function shimEnv(env: NodeJS.ProcessEnv, shimDir: string, url: string) {
  const changed: NodeJS.ProcessEnv = {
    PATH: `${shimDir}${delimiter}${env.PATH ?? ''}`,
    ALIYUN_CLI: join(shimDir, 'aliyun'),
    ALIYUN_HARNESS_FAKE_URL: url,
    // A guard inside `aliyun-harness record` must not make its own shim record: that is the outer shim's job.
    ALIYUN_HARNESS_REAL_CLI: undefined,
    ALIYUN_HARNESS_RECORD_URL: undefined,
  }
  const child: NodeJS.ProcessEnv = { ...env, ...changed }
  for (const [k, v] of Object.entries(changed)) if (v === undefined) delete child[k]
  const set: Record<string, string> = {}
  const unset: string[] = []
  for (const k of Object.keys(changed)) {
    if (env[k] === undefined) unset.push(k)
    else set[k] = env[k]!
  }
  return { child, set, unset }
}

/** Each ends the session the same way: the command is stopped, ai-mode disabled, the lock released, the report written. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export async function runGuard(req: GuardRequest): Promise<{ report: GuardReport; transcript: Transcript }> {
  const { policy, env, io, redactor } = req
  const cli = await realCli(env)
  const lockFile = policy.ai_mode ? AiModeLock.path(lockDir(env)) : undefined
  const judge = new CallJudge(policy)
  const skillRules = cliSafetyRules(policy)
  const user = userSafetyRules(env)
  const warnings: string[] = user.dropped.map((p) => `your safety-policy rule '${p}' cannot be passed through the environment (a ',' or '=' in it); it does not apply to forwarded calls`)
  const transcript = newRecording(policy.name, redactor.scrub(`aliyun-harness guard --skill ${policy.name} -- ${req.command.join(' ')}`))
  const calls: GuardCall[] = []
  const pending = new Map<number, { entry: CliEntry; sent: string[]; call: GuardCall }>()
  let nextId = 1

  const shimDir = makeShimDir()
  let restore: { set: Record<string, string>; unset: string[] } = { set: {}, unset: [] }
  const server = await startServer({
    exec(argv, body) {
      const caller = Array.isArray(body.caller) ? redactor.scrubArgv(body.caller as string[]) : undefined
      const d = judge.decide(argv, { caller, earlier: () => sessionCalls(transcript) })
      const call: GuardCall = { call: `aliyun ${redactor.scrubArgv(argv).join(' ')}`, action: d.kind === 'forward' ? 'forwarded' : d.kind === 'refuse' ? 'refused' : 'answered' }
      calls.push(call)
      if (d.kind === 'refuse') {
        call.reason = d.reason
        call.exit_code = REFUSED_EXIT
        // Recorded as an attempt (never served by replay): CI's audit and acceptance see what the agent tried.
        transcript.entries.push({ kind: 'cli', argv: redactor.scrubArgv(profileAfterWords(argv)), stderr: redactor.scrub(d.message), exit_code: REFUSED_EXIT, duration_ms: 0, refused: redactor.scrub(d.reason), ...(caller ? { caller } : {}) })
        return { exit_code: REFUSED_EXIT, stdout: '', stderr: redactor.scrub(d.message) }
      }
      if (d.kind === 'answer') {
        call.exit_code = 0
        return { exit_code: 0, stdout: '', stderr: d.message }
      }
      if (d.userAgent) call.user_agent = d.userAgent
      // Its place in the transcript is taken now, so the session keeps the order calls were made in.
      const entry: CliEntry = { kind: 'cli', argv: redactor.scrubArgv(d.argv), stderr: '', exit_code: -1, duration_ms: 0, ...(caller ? { caller } : {}) }
      transcript.entries.push(entry)
      const id = nextId++
      pending.set(id, { entry, sent: d.argv, call })
      return { forward: { id, cli, argv: d.argv, set: { ...restore.set, ...secondLock(d.argv) }, unset: restore.unset } }
    },
    record(p) {
      const slot = pending.get(Number(p.id))
      if (!slot) return
      pending.delete(Number(p.id))
      const exitCode = Number(p.exit_code)
      Object.assign(slot.entry, cliEntry(slot.sent, { stdout: String(p.stdout ?? ''), stderr: String(p.stderr ?? ''), exitCode, durationMs: Number(p.duration_ms ?? 0) }, redactor))
      if (p.signal) slot.entry.note = `ended by ${String(p.signal)}`
      slot.call.exit_code = exitCode
      if (slot.sent[0] === 'version' && exitCode === 0) transcript.cli_version = String(p.stdout).trim()
    },
  })

  /** The CLI's own safety policy for this call: the user's rules first (never weakened), then the skill's. */
  function secondLock(argv: string[]): Record<string, string> {
    const target = cliCommandString(argv)
    const verdict = target ? evaluateSafety(skillRules, target) : { action: 'allow' as const }
    if (verdict.action !== 'allow') {
      warnings.push(`the safety-policy rules would refuse an allowed call (${target}, rule ${verdict.rule?.pattern}); the second lock was left off for it`)
      return {}
    }
    return { [SAFETY_ENABLED_ENV]: 'true', [SAFETY_RULES_ENV]: rulesValue([...user.rules, ...skillRules]) }
  }

  const shim = shimEnv(env, shimDir, server.url)
  restore = { set: shim.set, unset: shim.unset }
  const controller = new AbortController()
  let received: NodeJS.Signals | undefined
  const onSignal = (sig: NodeJS.Signals) => {
    if (received) return
    received = sig
    io.note(`aliyun-harness guard: ${sig} received; the command is stopped${policy.ai_mode ? ' and ai-mode disabled' : ''} before guard exits.`)
    controller.abort(new InterruptedError(sig))
  }
  for (const s of STOP_SIGNALS) process.on(s, onSignal)

  /** Guard's own ai-mode step `configure ai-mode <verb>` reached the CLI (the agent's are answered, never sent). */
  const sent = (verb: string) => transcript.entries.some((e) => e.kind === 'cli' && e.argv.join(' ') === `configure ai-mode ${verb}`)
  const clock = clockFor(env, false)
  let aiMode: AiModeSession | undefined
  let enabled = false
  let disabled = false
  let child: { code: number | null; signal: string | null } | undefined
  let failure: HarnessError | undefined
  try {
    if (policy.ai_mode) {
      const runner = new Runner({ policy, transport: new RecordingTransport(new ProcessTransport({ ...env, ALIYUN_CLI: cli }), transcript, redactor), clock, io, userAgent: policy.user_agent, signal: controller.signal })
      const lock = new AiModeLock(lockFile!, lockHolder(`${policy.name} (guard)`, randomBytes(6).toString('hex'), Date.now()), clock, io, Number(env.ALIYUN_HARNESS_AI_MODE_LOCK_WAIT_MS ?? 120_000))
      aiMode = new AiModeSession(runner, policy, lock)
      await aiMode.start(controller.signal)
      enabled = true
      warnings.push(...lock.takeovers.map((w) => w.message))
    }
    if (!controller.signal.aborted) child = await runCommand(req.command, shim.child)
  } catch (e) {
    failure = e instanceof HarnessError ? e : new HarnessError('GuardFailed', (e as Error).message)
  } finally {
    if (aiMode) {
      try {
        await aiMode.stop()
        disabled = sent('disable')
      } catch (e) {
        warnings.push(`ai-mode could not be disabled: ${(e as Error).message}; run \`aliyun configure ai-mode disable\` yourself.`)
      }
    }
    for (const s of STOP_SIGNALS) process.off(s, onSignal)
    await server.close()
    rmSync(shimDir, { recursive: true, force: true })
  }

  // Calls that never reported back (the shim was killed) have no outcome to keep.
  const unfinished = new Set([...pending.values()].map((s) => s.entry))
  transcript.entries = transcript.entries.filter((e) => !unfinished.has(e as CliEntry))
  if (failure && !received) io.note(`aliyun-harness guard: ${failure.message}${failure.nextAction ? `\n${failure.nextAction}` : ''}`)

  const ran = child !== undefined
  const why = failure?.message ?? (received ? `stopped by ${received} first` : 'stopped before it started')
  const exitCode = received
    ? signalExitCode(received)
    : failure
      ? failure.exitCode
      : child?.code ?? (child?.signal ? signalExitCode(child.signal) : 1)
  const count = (a: GuardCall['action']) => calls.filter((c) => c.action === a).length
  const fixes = (f: UserAgentFix) => calls.filter((c) => c.user_agent === f).length
  const report: GuardReport = {
    skill: policy.name,
    command: redactor.scrubArgv(req.command),
    ran,
    ...(ran ? {} : { error: redactor.scrub(why) }),
    exit_code: exitCode,
    signal: received ?? child?.signal ?? null,
    calls,
    counts: { forwarded: count('forwarded'), refused: count('refused'), answered: count('answered'), user_agent: { added: fixes('added'), corrected: fixes('corrected'), removed: fixes('removed') } },
    ai_mode: policy.ai_mode ? { used: true, user_agent: policy.user_agent, attempted: sent('enable'), enabled, disabled } : { used: false },
    safety_policy: { skill_rules: skillRules.length, user_rules: user.rules.length },
    warnings,
    // A command that never ran made no call to judge: no rule is reported kept (or broken) on that.
    acceptance: ran ? checkAcceptance(policy, sessionCalls(transcript)) : uncheckedAcceptance(policy, `the command did not run (${redactor.scrub(why)})`),
  }
  return { report, transcript }
}

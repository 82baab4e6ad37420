// Transports run one already-checked argv and return what the CLI printed. The live one spawns
// `aliyun` (lib/spawn.ts); the replay one answers from a transcript without spawning; the recording
// one wraps the live one. Runners never know which they have (zx/gh style injection).

import { existsSync } from 'node:fs'
import type { RawResult, TransportFailure } from './cli-output.js'
import type { Clock } from './clock.js'
import { commandName } from './command.js'
import { isPath, spawnProblem } from './executable.js'
import { InterruptedError } from './errors.js'
import type { Redactor } from './redact.js'
import type { SdkRequest, SdkResponse } from './sdk.js'
import { runCli } from './spawn.js'
import { entryStdout, storeStdout, type CliEntry, type Replayer, type SdkEntry, type Transcript } from './transcript.js'

export interface CliRequest {
  argv: string[]
  timeoutMs: number
  signal: AbortSignal
  /** The run's clock: a replayed call's recorded `delay_ms` passes on it (replays never wait). */
  clock?: Clock
}

export type { SdkRequest, SdkResponse } from './sdk.js'

export interface Transport {
  readonly mode: 'live' | 'replay' | 'record'
  exec(req: CliRequest): Promise<RawResult>
  /** An SDK call (D1): made for real by live transports, answered from the transcript by a replay. */
  sdk(req: SdkRequest, signal: AbortSignal): Promise<SdkResponse>
}

/** Exit code of the fake CLI (and of in-process replay) when a call has no recording. */
export const REPLAY_MISS_EXIT = 99

export function cliBinary(env: NodeJS.ProcessEnv): string {
  return env.ALIYUN_CLI || 'aliyun'
}

/**
 * The binary to spawn: `$ALIYUN_CLI` as given when it is a path, else it (or `aliyun`) looked up on
 * PATH once per run with zx's `which` (so every call of a run uses the same CLI, and a missing CLI
 * is named up front). When nothing is found the bare name comes back.
 */
export async function resolveCli(env: NodeJS.ProcessEnv): Promise<string> {
  return (await locateCli(env)).path ?? cliBinary(env)
}

/**
 * Where the CLI comes from: `$ALIYUN_CLI` (a path as given, a bare name looked up on PATH) or
 * `aliyun` on PATH; `path` is absent when nothing is found.
 */
export async function locateCli(env: NodeJS.ProcessEnv): Promise<{ from: 'ALIYUN_CLI' | 'PATH'; path?: string }> {
  const from = env.ALIYUN_CLI ? 'ALIYUN_CLI' : 'PATH'
  if (env.ALIYUN_CLI?.includes('/')) return { from, path: env.ALIYUN_CLI }
  const { which } = await import('zx/core')
  return { from, path: (await which(cliBinary(env), { path: env.PATH ?? '', nothrow: true })) ?? undefined }
}

/** The most a CLI call may print on stdout or stderr before it is stopped as too large. */
export const MAX_CLI_OUTPUT_BYTES = 64 * 1024 * 1024

function seconds(ms: number): string {
  const s = ms / 1000
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`
}

/** A call that produced no CLI output worth reading: why, as a failure the runner classifies. */
function failed(failure: TransportFailure, durationMs: number, exitCode = 1): RawResult {
  return { exitCode, stdout: '', stderr: '', durationMs, failure, timedOut: failure.status === 'timed_out' }
}

/** Why the CLI could not be started: missing, not executable, or a script whose interpreter is missing. */
function startFailure(binary: string, code: string | undefined, env: NodeJS.ProcessEnv): TransportFailure {
  const fromEnv = Boolean(env.ALIYUN_CLI)
  const problem = spawnProblem(binary, code, env)
  const missing = isPath(binary) ? !existsSync(binary) : code === 'ENOENT'
  const fix = fromEnv ? 'Set ALIYUN_CLI to the aliyun binary, or unset it to use aliyun on PATH.' : 'Install the aliyun CLI, or set ALIYUN_CLI to its path.'
  const which = fromEnv ? 'The aliyun CLI named by ALIYUN_CLI' : 'The aliyun CLI'
  return missing
    ? { kind: 'not-found', code: 'CliNotFound', message: `${which} was not found: ${problem} ${fix}` }
    : { kind: 'not-found', code: 'CliNotRunnable', message: `${which} cannot be run: ${problem} ${fix}` }
}

export class ProcessTransport implements Transport {
  readonly mode = 'live' as const
  private binary: Promise<string> | undefined
  /** What every call's child gets: the run's environment, without colours. */
  private childEnv: NodeJS.ProcessEnv
  constructor(protected env: NodeJS.ProcessEnv = process.env) {
    this.childEnv = { ...env, NO_COLOR: '1' }
  }

  async exec(req: CliRequest): Promise<RawResult> {
    this.binary ??= resolveCli(this.env)
    const binary = await this.binary
    const result = await runCli(binary, req.argv, { env: this.childEnv, timeoutMs: req.timeoutMs, signal: req.signal, maxBuffer: MAX_CLI_OUTPUT_BYTES })
    const { durationMs } = result
    const name = `aliyun ${commandName(req.argv)}`
    if (result.canceled) throw req.signal.reason instanceof Error ? req.signal.reason : new InterruptedError('SIGTERM')
    if (result.timedOut)
      return failed({ kind: 'timeout', code: 'CommandTimeout', status: 'timed_out', message: `${name} did not finish within ${seconds(req.timeoutMs)} (the --cli-timeout limit) and was stopped. Run it again, or allow it longer with --cli-timeout <seconds>.` }, durationMs)
    if (result.error?.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
      return failed({ kind: 'output', code: 'CliOutputTooLarge', message: `${name} printed more than ${MAX_CLI_OUTPUT_BYTES / 1024 / 1024} MiB, the most the harness reads from one call, and was stopped. Narrow the request (fewer ids, a smaller page).` }, durationMs)
    if (result.error && result.exitCode === null) return failed(startFailure(binary, result.error.code, this.env), durationMs, 127)
    return {
      exitCode: result.exitCode ?? 1,
      stdout: result.stdout,
      stderr: result.stderr,
      durationMs,
    }
  }

  async sdk(req: SdkRequest, signal: AbortSignal): Promise<SdkResponse> {
    // The SDK (and its credential chain) is loaded only by a run that makes an SDK call.
    const { performRoa } = await import('./sdk.js')
    return performRoa(req, this.env, signal)
  }
}

/** Until the signal aborts: a `hang` entry (fault injection) in an in-process replay. */
function held(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const stop = () => reject(signal.reason instanceof Error ? signal.reason : new InterruptedError('SIGTERM'))
    if (signal.aborted) stop()
    else signal.addEventListener('abort', stop, { once: true })
  })
}

export class ReplayTransport implements Transport {
  readonly mode = 'replay' as const
  constructor(readonly replayer: Replayer) {}

  async exec(req: CliRequest): Promise<RawResult> {
    const hit = this.replayer.matchCli(req.argv)
    if ('kind' in hit) return { exitCode: REPLAY_MISS_EXIT, stdout: '', stderr: `aliyun-harness replay: ${hit.message}\n`, durationMs: 0 }
    if (hit.entry.hang) await held(req.signal)
    if (hit.entry.delay_ms && req.clock) await req.clock.sleep(hit.entry.delay_ms, req.signal)
    return { exitCode: hit.entry.exit_code, stdout: entryStdout(hit.entry), stderr: hit.entry.stderr, durationMs: hit.entry.duration_ms }
  }

  async sdk(req: SdkRequest): Promise<SdkResponse> {
    const hit = this.replayer.matchSdk(req)
    if ('kind' in hit) throw new Error(`aliyun-harness replay: ${hit.message}`)
    return { status: hit.entry.response.status, body: hit.entry.response.body, durationMs: hit.entry.duration_ms }
  }
}

/** A CLI call as a transcript entry, every field scrubbed. */
export function cliEntry(argv: readonly string[], raw: Pick<RawResult, 'stdout' | 'stderr' | 'exitCode' | 'durationMs'>, redactor: Redactor): CliEntry {
  return {
    kind: 'cli',
    argv: redactor.scrubArgv(argv),
    ...storeStdout(redactor.scrub(raw.stdout)),
    stderr: redactor.scrub(raw.stderr),
    exit_code: raw.exitCode,
    duration_ms: raw.durationMs,
  }
}

/** An SDK call as a transcript entry, scrubbed. */
function sdkEntry(req: SdkRequest, res: SdkResponse, redactor: Redactor): SdkEntry {
  return {
    kind: 'sdk',
    product: req.product,
    action: req.action,
    request: { method: req.method, path: req.path, body: redactor.scrubValue(req.body), user_agent: req.userAgent },
    response: { status: res.status, body: redactor.scrubValue(res.body) },
    duration_ms: res.durationMs,
  }
}

/** Wraps a live transport and appends every call, scrubbed, to a transcript. */
export class RecordingTransport implements Transport {
  readonly mode = 'record' as const
  constructor(
    private inner: Transport,
    readonly transcript: Transcript,
    private redactor: Redactor,
  ) {}

  async exec(req: CliRequest): Promise<RawResult> {
    const raw = await this.inner.exec(req)
    this.transcript.entries.push(cliEntry(req.argv, raw, this.redactor))
    if (req.argv[0] === 'version' && raw.exitCode === 0) this.transcript.cli_version = raw.stdout.trim()
    return raw
  }

  async sdk(req: SdkRequest, signal: AbortSignal): Promise<SdkResponse> {
    const res = await this.inner.sdk(req, signal)
    this.transcript.entries.push(sdkEntry(req, res, this.redactor))
    return res
  }
}

/**
 * Under `aliyun-harness record -- …` CLI calls are recorded by the fake `aliyun` shim; SDK calls
 * (and generated values) do not pass through it, so the harness reports them to the session.
 */
export class ShimRecordingTransport extends ProcessTransport {
  constructor(
    env: NodeJS.ProcessEnv,
    private url: string,
    private redactor: Redactor,
  ) {
    super(env)
  }

  override async sdk(req: SdkRequest, signal: AbortSignal): Promise<SdkResponse> {
    const res = await super.sdk(req, signal)
    await this.post(sdkEntry(req, res, this.redactor))
    return res
  }

  async postGenerated(values: Record<string, string[]>): Promise<void> {
    if (Object.keys(values).length) await this.post({ kind: 'generated', values })
  }

  private async post(body: unknown): Promise<void> {
    await fetch(`${this.url}/__aliyun/record`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  }
}

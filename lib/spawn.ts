// The one place that starts processes.
//
// `runCli` runs one `aliyun` call: an argv array straight to the binary (never a shell), output
// collected, a timeout and an abort signal that stop the child. It is bare `child_process.spawn`
// because a call is the unit every workflow pays for hundreds of times, and measured against the
// same static fake (`npm run bench`, README "Performance") zx's `$` and execa each cost 1.6–2× a
// bare spawn per call before the runner adds anything; the runner's target is 1.3×.
//
// `runPassedThrough` runs the real CLI for the fake `aliyun` under `record`/`guard`: the caller's
// stdin, output passed on byte for byte as it comes, signals passed on, the ending passed back.
//
// `runCommand` runs the user's own command under `aliyun-harness replay|record`: once per session,
// with the terminal handed over, so execa's process handling is worth its load time (a child left
// behind is killed when the harness exits; a child that ignores SIGTERM is killed after a delay).

import { spawn } from 'node:child_process'
import { constants } from 'node:os'

export interface CliRun {
  /** null when the child was killed by a signal (timeout, abort) or never started. */
  exitCode: number | null
  stdout: string
  stderr: string
  durationMs: number
  timedOut: boolean
  /** The abort signal stopped the child. */
  canceled: boolean
  /** The child could not be started (ENOENT, EACCES …) or printed more than `maxBuffer`. */
  error?: NodeJS.ErrnoException
}

export interface CliRunOptions {
  env: NodeJS.ProcessEnv
  timeoutMs?: number
  signal?: AbortSignal
  /** Per stream; the child is stopped beyond it. */
  maxBuffer?: number
}

/** A child that ignores SIGTERM gets SIGKILL this long after. */
const FORCE_KILL_AFTER_MS = 5_000

export function runCli(file: string, args: readonly string[], opts: CliRunOptions): Promise<CliRun> {
  const started = performance.now()
  const maxBuffer = opts.maxBuffer ?? 64 * 1024 * 1024
  return new Promise((resolve) => {
    let timedOut = false
    let canceled = false
    let error: NodeJS.ErrnoException | undefined
    let forceKill: NodeJS.Timeout | undefined
    // Appended, not collected in an array and joined: a joined copy of every page is one more
    // large string per call for the collector (measured: twice the bytes promoted on a long list).
    const out = { stdout: '', stderr: '', bytes: 0 }

    if (opts.signal?.aborted) {
      resolve({ exitCode: null, stdout: '', stderr: '', durationMs: 0, timedOut: false, canceled: true })
      return
    }
    const child = spawn(file, args, { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
    const stop = () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      forceKill ??= setTimeout(() => child.kill('SIGKILL'), FORCE_KILL_AFTER_MS)
      forceKill.unref()
    }
    const collect = (name: 'stdout' | 'stderr') => (chunk: string) => {
      out[name] += chunk
      out.bytes += chunk.length
      if (out.bytes > maxBuffer && !error) {
        error = Object.assign(new Error(`the output exceeded ${maxBuffer} bytes`), { code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' })
        stop()
      }
    }
    child.stdout!.setEncoding('utf8').on('data', collect('stdout'))
    child.stderr!.setEncoding('utf8').on('data', collect('stderr'))

    const timer = opts.timeoutMs ? setTimeout(() => ((timedOut = true), stop()), opts.timeoutMs) : undefined
    const onAbort = () => ((canceled = true), stop())
    opts.signal?.addEventListener('abort', onAbort, { once: true })

    child.on('error', (e) => (error ??= e))
    child.on('close', (code) => {
      clearTimeout(timer)
      clearTimeout(forceKill)
      opts.signal?.removeEventListener('abort', onAbort)
      resolve({
        // A child that never started closes with a negative errno.
        exitCode: code !== null && code < 0 ? null : code,
        stdout: out.stdout,
        stderr: out.stderr,
        durationMs: Math.round(performance.now() - started),
        timedOut,
        canceled,
        error,
      })
    })
  })
}

/** Signals sent to the harness that reach the process it runs (a closed terminal's SIGHUP too). */
const PASSED_ON: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * The user's command with the terminal (stdin, stdout, stderr) handed over; SIGINT, SIGTERM and
 * SIGHUP sent to the harness are passed on to it. Resolves with how it ended; rejects when it cannot start.
 */
export async function runCommand(command: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: string | null }> {
  const { execa } = await import('execa')
  const child = execa(command[0], command.slice(1), { stdio: 'inherit', env, extendEnv: false, reject: false })
  const forward = (sig: NodeJS.Signals) => child.kill(sig)
  for (const s of PASSED_ON) process.on(s, forward)
  try {
    const r = await child
    if (r.failed && r.exitCode === undefined && r.signal === undefined) throw Object.assign(new Error(r.shortMessage), { code: (r as { code?: string }).code })
    return { code: r.exitCode ?? null, signal: r.signal ?? null }
  } finally {
    for (const s of PASSED_ON) process.off(s, forward)
  }
}

/** What a shell reports for a process a signal ended: 128 + the signal's number. */
export function signalExitCode(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 0)
}

export interface PassedThrough {
  code: number
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  durationMs: number
}

/**
 * The real CLI as if the caller had run it (see the top of this file); its output is also returned.
 * `say` writes the shim's own message when the CLI cannot be started (the caller scrubs it).
 */
export function runPassedThrough(cli: string, args: string[], env: NodeJS.ProcessEnv, say: (message: string) => void): Promise<PassedThrough> {
  const started = performance.now()
  const child = spawn(cli, args, { stdio: ['inherit', 'pipe', 'pipe'], env })
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => {
    out.push(c)
    process.stdout.write(c)
  })
  child.stderr.on('data', (c: Buffer) => {
    err.push(c)
    process.stderr.write(c)
  })
  const forward = (sig: NodeJS.Signals) => child.kill(sig)
  for (const s of PASSED_ON) process.on(s, forward)
  return new Promise((resolve) => {
    let done = false
    const end = (code: number, signal: NodeJS.Signals | null, extra = '') => {
      if (done) return
      done = true
      for (const s of PASSED_ON) process.off(s, forward)
      const durationMs = Math.round(performance.now() - started)
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') + extra, durationMs })
    }
    child.on('error', (e) => {
      const message = `ERROR: could not run ${cli}: ${e.message}\n`
      say(message)
      end(127, null, message)
    })
    child.on('close', (code, signal) => end(signal ? signalExitCode(signal) : (code ?? 1), signal))
  })
}

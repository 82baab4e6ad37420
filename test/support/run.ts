// Runs the real bin as a process, the way users and agents do, against the fake `aliyun`.

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../../lib/paths.js'
import type { SessionReport } from '../../lib/replay-server.js'
import type { Transcript } from '../../lib/transcript.js'

export const BIN = join(packageRoot(), 'dist', 'bin', 'aliyun-harness.js')

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stdout parsed as JSON when it is JSON. */
  json: any
  report?: SessionReport
  dir: string
}

export function tempDir(prefix = 'harness-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** A clean environment: no credentials, no real aliyun, HOME and state in a fresh directory. */
export function cleanEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    ALIYUN_HARNESS_STATE_DIR: join(dir, 'state'),
    ALIYUN_CLI: join(dir, 'no-real-aliyun-here'),
    ...extra,
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv
  dir?: string
  /** Called with the child once it is spawned (to send signals). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void
  /** Resolve onSpawn only after stderr contains this text. */
  timeoutMs?: number
}

export function runNode(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const dir = opts.dir ?? tempDir()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: cleanEnv(dir, opts.env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
    opts.onSpawn?.(child)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      let json: any
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({ code, signal, stdout, stderr, json, dir })
    })
  })
}

/** `aliyun-harness <args…>` */
export function runBin(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runNode([BIN, ...args], opts)
}

export function writeTranscript(t: Transcript, dir = tempDir()): string {
  const file = join(dir, 'transcript.json')
  writeFileSync(file, JSON.stringify(t, null, 2))
  return file
}

/**
 * `aliyun-harness replay <transcript> --report <f> -- aliyun-harness <args…>`: the skill runs as a
 * process and spawns the fake `aliyun` for every call, exactly as it would spawn the real one.
 */
export async function replayBin(transcript: Transcript | string, args: string[], opts: RunOptions & { allowUnused?: boolean } = {}): Promise<RunResult> {
  const dir = opts.dir ?? tempDir()
  const file = typeof transcript === 'string' ? transcript : writeTranscript(transcript, dir)
  const reportFile = join(dir, 'report.json')
  // The replay's run state is kept in the test's directory (<dir>/state), so tests can read it and
  // a second replay in the same directory can resume the first.
  const res = await runBin(['replay', file, '--report', reportFile, '--state-dir', join(dir, 'state'), ...(opts.allowUnused ? ['--allow-unused'] : []), '--', 'aliyun-harness', ...args], { ...opts, dir })
  try {
    res.report = JSON.parse(readFileSync(reportFile, 'utf8'))
  } catch {
    /* no report: replay itself failed */
  }
  return res
}

/** The argv of every call the fake CLI answered, in order (from the replay report). */
export function calls(res: RunResult): string[] {
  return (res.report?.calls ?? []).map((c) => c.call)
}

/**
 * For `onSpawn`: sends `signal` to the replay tool (which passes it on to the run) as soon as the
 * tool says the fake CLI is holding a call matching `call` open (a transcript entry marked `hang`):
 * the run is then inside that call, whatever the machine's speed — no guessed sleep.
 */
export function interruptWhenHeld(call: RegExp, signal: NodeJS.Signals, onSent?: () => void) {
  return (child: import('node:child_process').ChildProcess) => {
    let seen = ''
    let sent = false
    child.stderr!.on('data', (chunk: Buffer | string) => {
      seen += String(chunk)
      const held = /^aliyun-harness replay: #\d+ (.*) is held open until the run is stopped/m.exec(seen)
      if (!sent && held && call.test(held[1])) {
        sent = true
        child.kill(signal)
        onSent?.()
      }
    })
  }
}

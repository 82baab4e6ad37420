// The fake `aliyun` that `aliyun-harness replay|record|guard` puts first on PATH. It has no logic of
// its own: in replay it asks the session's loopback server for the recorded answer; under guard the
// server's answer may instead say to run the real CLI (with the argv and environment it gives); in
// record it runs the real CLI and reports the call. A real CLI gets this process's stdin, its output
// is passed through byte for byte, signals are passed on and its way of ending is passed back.
// Kept dependency-free so each call starts fast.

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { constants } from 'node:os'

const url = process.env.ALIYUN_HARNESS_FAKE_URL
const argv = process.argv.slice(2)
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

interface Outcome {
  code: number
  signal?: NodeJS.Signals | null
}

function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body)
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let out = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (out += c))
      res.on('end', () => {
        try {
          resolve(JSON.parse(out))
        } catch (e) {
          reject(e)
        }
      })
    })
    req.on('error', reject)
    req.end(data)
  })
}

function write(stream: NodeJS.WriteStream, text: string | Buffer): Promise<void> {
  return new Promise((r) => (text.length ? stream.write(text, () => r()) : r()))
}

/** The command line of whatever ran `aliyun` (Linux /proc), so guard can tell who made a call. */
function caller(): string[] | undefined {
  try {
    return readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0').filter((t, i, all) => t !== '' || i < all.length - 1)
  } catch {
    return undefined
  }
}

interface Ran extends Outcome {
  stdout: string
  stderr: string
  durationMs: number
}

function runReal(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
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
  for (const s of SIGNALS) process.on(s, forward)
  return new Promise((resolve) => {
    let done = false
    const end = (code: number, signal: NodeJS.Signals | null, extra = '') => {
      if (done) return
      done = true
      for (const s of SIGNALS) process.off(s, forward)
      const durationMs = Math.round(performance.now() - started)
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') + extra, durationMs })
    }
    child.on('error', (e) => {
      const message = `ERROR: could not run ${cli}: ${e.message}\n`
      process.stderr.write(message)
      end(127, null, message)
    })
    child.on('close', (code, signal) => end(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1), signal))
  })
}

async function replay(): Promise<Outcome> {
  const answer = await post('/__aliyun/exec', { argv, caller: caller() })
  if (answer.forward) return forward(answer.forward as Forward)
  const delay = Number(answer.delay_ms ?? 0)
  if (delay > 0) await new Promise((r) => setTimeout(r, delay))
  await write(process.stdout, String(answer.stdout ?? ''))
  await write(process.stderr, String(answer.stderr ?? ''))
  return { code: Number(answer.exit_code) }
}

/** guard's answer for a call it lets through: what to run, with which variables set back or unset. */
interface Forward {
  id: number
  cli: string
  argv: string[]
  set: Record<string, string>
  unset: string[]
}

async function forward(f: Forward): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...f.set }
  for (const name of f.unset) delete env[name]
  const ran = await runReal(f.cli, f.argv, env)
  try {
    await post('/__aliyun/record', { kind: 'cli', id: f.id, stdout: ran.stdout, stderr: ran.stderr, exit_code: ran.code, signal: ran.signal ?? null, duration_ms: ran.durationMs })
  } catch (e) {
    // The call itself happened; only guard's record of it is lost. Its outcome stays the CLI's.
    process.stderr.write(`aliyun-harness guard: this call could not be reported to guard (${(e as Error).message}).\n`)
  }
  return ran
}

async function record(realCli: string): Promise<Outcome> {
  // The real CLI must not see this session's variables (it may itself be a replay under test).
  const env = { ...process.env }
  delete env.ALIYUN_HARNESS_REAL_CLI
  delete env.ALIYUN_HARNESS_RECORD_URL
  if (env.ALIYUN_HARNESS_PARENT_FAKE_URL) env.ALIYUN_HARNESS_FAKE_URL = env.ALIYUN_HARNESS_PARENT_FAKE_URL
  else delete env.ALIYUN_HARNESS_FAKE_URL
  const ran = await runReal(realCli, argv, env)
  // The server scrubs before anything is stored.
  await post('/__aliyun/record', { kind: 'cli', argv, stdout: ran.stdout, stderr: ran.stderr, exit_code: ran.code, duration_ms: ran.durationMs })
  return ran
}

async function main(): Promise<void> {
  if (!url) {
    process.stderr.write('aliyun-harness replay: this fake aliyun only runs under `aliyun-harness replay|record|guard`.\n')
    process.exitCode = 99
    return
  }
  const real = process.env.ALIYUN_HARNESS_REAL_CLI
  const outcome = real ? await record(real) : await replay()
  if (outcome.signal) {
    // Ended by a signal: end the same way, once the output is out, so the caller sees what it would have.
    await Promise.all([process.stdout, process.stderr].map((s) => new Promise((r) => s.write('', r))))
    process.kill(process.pid, outcome.signal)
    return
  }
  process.exitCode = outcome.code
}

main().catch((e) => {
  process.stderr.write(`aliyun-harness replay: fake CLI failed: ${(e as Error).message}\n`)
  process.exitCode = 99
})

// The fake `aliyun` that `aliyun-harness replay|record|guard` puts first on PATH. It has no logic of
// its own: in replay it asks the session's loopback server for the recorded answer; under guard the
// server's answer may instead say to run the real CLI (with the argv and environment it gives); in
// record it runs the real CLI and reports the call. A real CLI gets this process's stdin, its output
// is passed through byte for byte, signals are passed on and its way of ending is passed back
// (lib/spawn.ts runPassedThrough). Kept dependency-free (node built-ins and lib/spawn.ts) so each
// call starts fast.

import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { Redactor } from './redact.js'
import { runPassedThrough } from './spawn.js'

const url = process.env.ALIYUN_HARNESS_FAKE_URL
const argv = process.argv.slice(2)

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

async function replay(): Promise<Outcome> {
  const answer = await post('/__aliyun/exec', { argv, caller: caller() })
  if (answer.forward) return forward(answer.forward as Forward)
  // Answered at once (a recorded delay is replay time); a held call (`hang`) is never answered,
  // and this waits until it is stopped.
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

/** The shim's own messages go through the one redactor; what the real CLI prints is forwarded as it is. */
function complain(text: string): void {
  process.stderr.write(new Redactor(process.env).scrub(text))
}

async function forward(f: Forward): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...f.set }
  for (const name of f.unset) delete env[name]
  const ran = await runPassedThrough(f.cli, f.argv, env, complain)
  try {
    await post('/__aliyun/record', { kind: 'cli', id: f.id, stdout: ran.stdout, stderr: ran.stderr, exit_code: ran.code, signal: ran.signal ?? null, duration_ms: ran.durationMs })
  } catch (e) {
    // The call itself happened; only guard's record of it is lost. Its outcome stays the CLI's.
    complain(`aliyun-harness guard: this call could not be reported to guard (${(e as Error).message}).\n`)
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
  const ran = await runPassedThrough(realCli, argv, env, complain)
  // The server scrubs before anything is stored.
  await post('/__aliyun/record', { kind: 'cli', argv, stdout: ran.stdout, stderr: ran.stderr, exit_code: ran.code, duration_ms: ran.durationMs })
  return ran
}

async function main(): Promise<void> {
  if (!url) {
    complain('aliyun-harness replay: this fake aliyun only runs under `aliyun-harness replay|record|guard`.\n')
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
  complain(`aliyun-harness replay: fake CLI failed: ${(e as Error).message}\n`)
  process.exitCode = 99
})

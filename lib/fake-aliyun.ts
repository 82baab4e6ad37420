// The fake `aliyun` that `aliyun-harness replay|record` puts first on PATH. It has no logic of its
// own: in replay it asks the session's loopback server for the recorded answer; in record it runs
// the real CLI, passes its output through untouched and reports the call to the server.
// Kept dependency-free so each call starts fast.

import { spawn } from 'node:child_process'
import { request } from 'node:http'

const url = process.env.ALIYUN_HARNESS_FAKE_URL
const argv = process.argv.slice(2)

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

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((r) => (text ? stream.write(text, () => r()) : r()))
}

async function replay(): Promise<number> {
  const answer = await post('/__aliyun/exec', { argv })
  const delay = Number(answer.delay_ms ?? 0)
  if (delay > 0) await new Promise((r) => setTimeout(r, delay))
  await write(process.stdout, String(answer.stdout ?? ''))
  await write(process.stderr, String(answer.stderr ?? ''))
  return Number(answer.exit_code)
}

async function record(realCli: string): Promise<number> {
  const started = performance.now()
  // The real CLI must not see this session's variables (it may itself be a replay under test).
  const env = { ...process.env }
  delete env.ALIYUN_HARNESS_REAL_CLI
  delete env.ALIYUN_HARNESS_RECORD_URL
  if (env.ALIYUN_HARNESS_PARENT_FAKE_URL) env.ALIYUN_HARNESS_FAKE_URL = env.ALIYUN_HARNESS_PARENT_FAKE_URL
  else delete env.ALIYUN_HARNESS_FAKE_URL
  const child = spawn(realCli, argv, { stdio: ['inherit', 'pipe', 'pipe'], env })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c
    process.stdout.write(c)
  })
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c
    process.stderr.write(c)
  })
  const code = await new Promise<number>((resolve) => {
    child.on('error', (e) => {
      stderr += `ERROR: could not run ${realCli}: ${e.message}\n`
      process.stderr.write(`ERROR: could not run ${realCli}: ${e.message}\n`)
      resolve(127)
    })
    child.on('close', (c) => resolve(c ?? 1))
  })
  // The server scrubs before anything is stored.
  await post('/__aliyun/record', { kind: 'cli', argv, stdout, stderr, exit_code: code, duration_ms: Math.round(performance.now() - started) })
  return code
}

async function main(): Promise<void> {
  if (!url) {
    process.stderr.write('aliyun-harness replay: this fake aliyun only runs under `aliyun-harness replay|record`.\n')
    process.exitCode = 99
    return
  }
  const real = process.env.ALIYUN_HARNESS_REAL_CLI
  process.exitCode = real ? await record(real) : await replay()
}

main().catch((e) => {
  process.stderr.write(`aliyun-harness replay: fake CLI failed: ${(e as Error).message}\n`)
  process.exitCode = 99
})

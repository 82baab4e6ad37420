// `aliyun-harness replay|record <transcript> -- <command…>`: runs any command (our scripts, or an
// agent) with a fake `aliyun` first on PATH. The fake is a thin shim that asks a loopback HTTP
// server in this process for each answer, so state (which entries are used) lives in one place,
// concurrent calls are safe, and SDK calls (D1) are served by the same server.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EXIT } from './errors.js'
import { spawnProblem } from './executable.js'
import { packageRoot } from './paths.js'
import { Redactor } from './redact.js'
import { runCommand } from './spawn.js'
import { REPLAY_ENV, REPLAY_STATE_ENV, REPLAY_STATE_KEPT_ENV } from './run-mode.js'
import { describeEntry, entryStdout, Replayer, type Transcript } from './transcript.js'
import { cliEntry } from './transport.js'

export interface ServedCall {
  kind: 'cli' | 'sdk'
  call: string
  entry: number | null
  miss?: string
}

export interface SessionReport {
  transcript: string
  mode: 'replay' | 'record'
  exit_code: number | null
  signal: string | null
  calls: ServedCall[]
  misses: string[]
  unused: string[]
  /** The command could not be started at all (not found, not executable): the tool exits 127/126. */
  spawn_error?: { code: string; message: string }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = ''
    req.setEncoding('utf8')
    req.on('data', (c) => (data += c))
    req.on('end', () => resolve(data))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-acs-request-id': 'replay' })
  res.end(JSON.stringify(body))
}

export interface Session {
  url: string
  calls: ServedCall[]
  close(): Promise<void>
}

/** An exec answer that never comes (a `hang` entry): the fake CLI waits until it is stopped. */
const HOLD = Symbol('hold')

/**
 * The loopback server the fake `aliyun` shim asks: `exec` answers a call (the body also carries the
 * calling command line, `caller`; HOLD keeps it unanswered), `record` stores one, `sdk` serves SDK
 * calls.
 */
export async function startServer(handlers: {
  exec?: (argv: string[], body: Record<string, unknown>) => unknown
  record?: (payload: Record<string, unknown>) => void
  sdk?: (method: string, path: string, body: unknown, ua: string | undefined) => { status: number; body: unknown }
}): Promise<Session> {
  const calls: ServedCall[] = []
  const server = createServer(async (req, res) => {
    try {
      const raw = await readBody(req)
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (req.method === 'POST' && url.pathname === '/__aliyun/exec' && handlers.exec) {
        const body = JSON.parse(raw) as Record<string, unknown>
        const answer = handlers.exec(body.argv as string[], body)
        // A held call keeps its connection open; closing the session ends it (and the fake CLI).
        return answer === HOLD ? undefined : send(res, 200, answer)
      }
      if (req.method === 'POST' && url.pathname === '/__aliyun/record' && handlers.record) {
        handlers.record(JSON.parse(raw))
        return send(res, 200, { ok: true })
      }
      if (handlers.sdk) {
        let body: unknown = null
        try {
          body = raw ? JSON.parse(raw) : null
        } catch {
          body = raw
        }
        const out = handlers.sdk(req.method ?? 'GET', url.pathname, body, req.headers['user-agent'])
        return send(res, out.status, out.body)
      }
      send(res, 404, { Code: 'NotFound', Message: 'nothing is served here' })
    } catch (e) {
      send(res, 500, { Code: 'ReplayServerError', Message: (e as Error).message })
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${addr.port}`,
    calls,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r())
        server.closeAllConnections()
      }),
  }
}

/** A directory with an `aliyun` executable that runs the fake CLI shim. */
export function makeShimDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aliyun-harness-fake-'))
  // From dist/ the compiled shim sits beside this file; from sources (vitest) it is in dist/ too.
  const beside = fileURLToPath(new URL('./fake-aliyun.js', import.meta.url))
  const shim = existsSync(beside) ? beside : join(packageRoot(), 'dist', 'lib', 'fake-aliyun.js')
  const file = join(dir, 'aliyun')
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${shim}" "$@"\n`)
  chmodSync(file, 0o755)
  return dir
}

interface ChildExit {
  code: number | null
  signal: string | null
  spawnError?: { code: string; message: string }
}

/** The user's command (spawn.ts runCommand); one that cannot start is theirs to fix (a typo, a missing program), not a crash. */
async function runUserCommand(command: string[], env: NodeJS.ProcessEnv): Promise<ChildExit> {
  try {
    return await runCommand(command, env)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'ESPAWN'
    return { code: code === 'ENOENT' ? 127 : 126, signal: null, spawnError: { code, message: `cannot run ${command[0]}: ${spawnProblem(command[0], code, env)}` } }
  }
}

/** Exit code of `replay` when the transcript and the run disagree (a miss, or unused entries). */
export const TRANSCRIPT_MISMATCH_EXIT = 98

/** A replay server and fake `aliyun` shim without a child command (the bench drives calls itself). */
export async function startFakeCli(transcript: Transcript): Promise<{ cli: string; env: NodeJS.ProcessEnv; replayer: Replayer; close(): Promise<void> }> {
  const replayer = new Replayer(transcript)
  const session = await startServer({
    exec(argv) {
      const hit = replayer.matchCli(argv)
      if ('kind' in hit) return { exit_code: 99, stdout: '', stderr: new Redactor().scrub(`aliyun-harness replay: ${hit.message}\n`) }
      return { exit_code: hit.entry.exit_code, stdout: entryStdout(hit.entry), stderr: hit.entry.stderr }
    },
  })
  const shimDir = makeShimDir()
  return {
    cli: join(shimDir, 'aliyun'),
    env: { ALIYUN_HARNESS_FAKE_URL: session.url },
    replayer,
    async close() {
      await session.close()
      rmSync(shimDir, { recursive: true, force: true })
    },
  }
}

export async function replaySession(
  file: string,
  transcript: Transcript,
  command: string[],
  opts: { allowUnused?: boolean; env?: NodeJS.ProcessEnv; /** Keep the replay's run state here (default: a throw-away directory). */ stateDir?: string } = {},
): Promise<SessionReport> {
  const replayer = new Replayer(transcript)
  const redactor = new Redactor(opts.env ?? process.env)
  const misses: string[] = []
  let session: Session
  session = await startServer({
    exec(argv) {
      const hit = replayer.matchCli(argv)
      if ('kind' in hit) {
        misses.push(hit.message)
        session.calls.push({ kind: 'cli', call: `aliyun ${argv.join(' ')}`, entry: null, miss: hit.kind })
        return { exit_code: 99, stdout: '', stderr: redactor.scrub(`aliyun-harness replay: ${hit.message}\n`) }
      }
      session.calls.push({ kind: 'cli', call: `aliyun ${argv.join(' ')}`, entry: hit.index })
      if (hit.entry.hang) {
        // Fault injection: said on stderr once the fake CLI is waiting, so a test signals the run now.
        process.stderr.write(redactor.scrub(`aliyun-harness replay: #${hit.index} ${describeEntry(hit.entry)} is held open until the run is stopped ("hang").\n`))
        return HOLD
      }
      // A recorded delay is replay time, never waited for here (in-process replays move their clock by it).
      return { exit_code: hit.entry.exit_code, stdout: entryStdout(hit.entry), stderr: hit.entry.stderr }
    },
    sdk(method, path, body) {
      const hit = replayer.matchSdk({ method, path, body })
      if ('kind' in hit) {
        misses.push(hit.message)
        session.calls.push({ kind: 'sdk', call: `${method} ${path}`, entry: null, miss: hit.kind })
        return { status: 599, body: { Code: 'ReplayMismatch', Message: `aliyun-harness replay: ${hit.message}` } }
      }
      session.calls.push({ kind: 'sdk', call: `${method} ${path}`, entry: hit.index })
      return { status: hit.entry.response.status, body: hit.entry.response.body }
    },
  })
  // Everything after the server starts is inside the try: whatever fails (a state directory that
  // cannot be made), the server is closed and the process can exit.
  let shimDir: string | undefined
  try {
    shimDir = makeShimDir()
    // Replayed runs keep their state apart from live runs: in one directory for the whole session (a
    // command may run a skill twice), removed afterwards unless the caller asked to keep it.
    const stateDir = opts.stateDir ?? join(shimDir, 'state')
    mkdirSync(stateDir, { recursive: true })
    const base = opts.env ?? process.env
    const env: NodeJS.ProcessEnv = {
      ...base,
      PATH: `${shimDir}${delimiter}${base.PATH ?? ''}`,
      ALIYUN_CLI: join(shimDir, 'aliyun'),
      ALIYUN_HARNESS_FAKE_URL: session.url,
      [REPLAY_ENV]: '1',
      [REPLAY_STATE_ENV]: stateDir,
      ...(opts.stateDir ? { [REPLAY_STATE_KEPT_ENV]: '1' } : {}),
      ALIYUN_HARNESS_VIRTUAL_TIME: '1',
      ALIYUN_HARNESS_NOW: base.ALIYUN_HARNESS_NOW ?? transcript.recorded_at,
      ALIYUN_HARNESS_GENERATED: JSON.stringify(transcript.generated),
      // Nothing real is contacted in a replay (CLI calls go to the fake, SDK calls to loopback), but
      // the SDK's credential chain still wants keys to sign with: placeholders when none are set.
      ALIBABA_CLOUD_ACCESS_KEY_ID: base.ALIBABA_CLOUD_ACCESS_KEY_ID || 'replay-access-key-id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: base.ALIBABA_CLOUD_ACCESS_KEY_SECRET || 'replay-access-key-secret',
    }
    for (const e of transcript.entries) if (e.kind === 'sdk') env[`ALIYUN_HARNESS_${e.product.toUpperCase().replace(/-/g, '_')}_ENDPOINT`] = session.url
    const { code, signal, spawnError } = await runUserCommand(command, env)
    const interrupted = signal !== null || code === EXIT.sighup || code === EXIT.sigint || code === EXIT.sigterm
    const unused = opts.allowUnused || interrupted || spawnError ? [] : replayer.unused().map(({ index, entry }) => `#${index} ${describeEntry(entry)}`)
    return { transcript: file, mode: 'replay', exit_code: code, signal, calls: session.calls, misses, unused, ...(spawnError ? { spawn_error: spawnError } : {}) }
  } finally {
    await session.close()
    if (shimDir) rmSync(shimDir, { recursive: true, force: true })
  }
}

export async function recordSession(file: string, transcript: Transcript, command: string[], opts: { env?: NodeJS.ProcessEnv; /** The real CLI, absolute (never the shim itself). */ realCli?: string } = {}): Promise<SessionReport> {
  const base = opts.env ?? process.env
  const redactor = new Redactor(base)
  let session: Session
  session = await startServer({
    record(p) {
      if (p.kind === 'sdk') {
        transcript.entries.push(redactor.scrubValue(p) as never)
        session.calls.push({ kind: 'sdk', call: `${String(p.action)}`, entry: transcript.entries.length - 1 })
        return
      }
      if (p.kind === 'generated') {
        for (const [k, v] of Object.entries(p.values as Record<string, string[]>)) (transcript.generated[k] ??= []).push(...v)
        return
      }
      const entry = cliEntry(p.argv as string[], { stdout: String(p.stdout ?? ''), stderr: String(p.stderr ?? ''), exitCode: Number(p.exit_code), durationMs: Number(p.duration_ms ?? 0) }, redactor)
      const argv = entry.argv
      transcript.entries.push(entry)
      if (argv[0] === 'version' && Number(p.exit_code) === 0) transcript.cli_version = String(p.stdout).trim()
      session.calls.push({ kind: 'cli', call: `aliyun ${argv.join(' ')}`, entry: transcript.entries.length - 1 })
    },
  })
  const shimDir = makeShimDir()
  const env: NodeJS.ProcessEnv = {
    ...base,
    PATH: `${shimDir}${delimiter}${base.PATH ?? ''}`,
    ALIYUN_CLI: join(shimDir, 'aliyun'),
    ALIYUN_HARNESS_REAL_CLI: opts.realCli ?? (base.ALIYUN_CLI || 'aliyun'),
    ALIYUN_HARNESS_PARENT_FAKE_URL: base.ALIYUN_HARNESS_FAKE_URL ?? '',
    ALIYUN_HARNESS_FAKE_URL: session.url,
    ALIYUN_HARNESS_RECORD_URL: session.url,
  }
  try {
    const { code, signal, spawnError } = await runUserCommand(command, env)
    return { transcript: file, mode: 'record', exit_code: code, signal, calls: session.calls, misses: [], unused: [], ...(spawnError ? { spawn_error: spawnError } : {}) }
  } finally {
    await session.close()
    rmSync(shimDir, { recursive: true, force: true })
  }
}

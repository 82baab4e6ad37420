// `npm run bench`: the harness's own cost, as ratios against doing nothing smarter.
//  1. Per-call overhead of the runner (policy check, user agent, execa spawn, error
//     classification, zod parse, redaction, step record) against a bare child_process.spawn of the
//     same fake CLI — the project's fake `aliyun`, answering instantly from a transcript. Target ≤ 1.10.
//     The same pair against a `/bin/sh` printf fake shows the absolute cost in ms per call.
//  2. `aliyun-harness --help` cold start against `node -e 0`. Target ≤ 3.
// Prints ratios; never fails a build.

import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { RealClock } from '../../lib/clock.js'
import { api } from '../../lib/command.js'
import { createIO } from '../../lib/io.js'
import { binPath } from '../../lib/paths.js'
import { getPolicy } from '../../lib/policy.js'
import { Redactor } from '../../lib/redact.js'
import { startFakeCli } from '../../lib/replay-server.js'
import { Runner } from '../../lib/runner.js'
import { ProcessTransport } from '../../lib/transport.js'
import { builder, transcript } from '../support/cli-facts.js'

const CALLS = Number(process.env.BENCH_CALLS ?? 150)
const STARTS = Number(process.env.BENCH_STARTS ?? 30)
const UA = getPolicy('ecs-review').user_agent
const flags = { 'biz-region-id': 'cn-hangzhou' }
const sentArgv = [...api('ecs', 'describe-regions', flags), '--user-agent', UA]
const regions = { Regions: { Region: [{ RegionId: 'cn-hangzhou', LocalName: 'Hangzhou', RegionEndpoint: 'ecs.cn-hangzhou.aliyuncs.com', Status: 'available' }] } }
const schema = z.object({ Regions: z.object({ Region: z.array(z.object({ RegionId: z.string() })) }) })

function bareCall(cli: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, sentArgv, { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c))
    child.on('error', reject)
    child.on('close', () => {
      JSON.parse(out)
      resolve()
    })
  })
}

function runnerFor(cli: string, env: NodeJS.ProcessEnv): () => Promise<unknown> {
  const silent = { write: () => true }
  const runner = new Runner({
    policy: getPolicy('ecs-review'),
    transport: new ProcessTransport({ ...process.env, ...env, ALIYUN_CLI: cli }),
    clock: new RealClock(),
    io: createIO({ stdout: silent, stderr: silent, redactor: new Redactor(process.env), json: true }),
    userAgent: UA,
    signal: new AbortController().signal,
  })
  return () => runner.json({ argv: api('ecs', 'describe-regions', flags), schema })
}

async function time(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await fn()
  return (performance.now() - t0) / n
}

/** Alternates the two loops in rounds so machine noise hits both alike; returns mean ms per call. */
async function compare(n: number, ours: () => Promise<unknown>, bare: () => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < 5; i++) {
    await ours()
    await bare()
  }
  let a = 0
  let b = 0
  const rounds = 5
  for (let r = 0; r < rounds; r++) {
    a += await time(n / rounds, ours)
    b += await time(n / rounds, bare)
  }
  return [a / rounds, b / rounds]
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y)
  return s[Math.floor(s.length / 2)]
}

function coldStart(args: string[]): number {
  const times: number[] = []
  for (let i = 0; i < STARTS; i++) {
    const t0 = performance.now()
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' })
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`)
    times.push(performance.now() - t0)
  }
  return median(times)
}

function line(name: string, ours: number, base: number, target?: number) {
  const ratio = ours / base
  const verdict = target === undefined ? `(+${(ours - base).toFixed(2)} ms a call)` : `target ≤ ${target.toFixed(2)}   ${ratio <= target ? 'ok' : 'OVER'}`
  process.stdout.write(`${name.padEnd(44)} ${ours.toFixed(2).padStart(8)} ms vs ${base.toFixed(2).padStart(8)} ms   ratio ${ratio.toFixed(3)}   ${verdict}\n`)
}

process.stdout.write(`aliyun-harness bench (${CALLS} calls per loop, ${STARTS} cold starts; node ${process.version})\n`)

// 1. The project's fake aliyun, serving enough recorded answers for every call of both loops.
const b = builder('ecs-review')
const entries = Array.from({ length: CALLS * 2 + 20 }, () => b.api(api('ecs', 'describe-regions', flags), regions, { requestId: 'B3F0' }))
const fake = await startFakeCli(transcript('ecs-review', 'bench', entries))
const [oursFake, bareFake] = await compare(CALLS, runnerFor(fake.cli, fake.env), () => bareCall(fake.cli, fake.env))
await fake.close()
line('runner call vs bare spawn (fake aliyun)', oursFake, bareFake, 1.1)

// The same against the cheapest possible CLI, to show the absolute cost.
const dir = mkdtempSync(join(tmpdir(), 'harness-bench-'))
const sh = join(dir, 'aliyun')
writeFileSync(sh, `#!/bin/sh\nprintf '%s\\n' '${JSON.stringify({ RequestId: 'B3F0', ...regions })}'\n`)
chmodSync(sh, 0o755)
const [oursSh, bareSh] = await compare(CALLS, runnerFor(sh, {}), () => bareCall(sh, {}))
line('runner call vs bare spawn (/bin/sh printf)', oursSh, bareSh)

// 2. Cold start.
line('--help cold start vs node -e 0', coldStart([binPath(), '--help']), coldStart(['-e', '0']), 3)

// Per CLI call: the harness's runner (policy check, user agent, spawn, error classification, zod
// parse, redaction, step record) against a bare `child_process.spawn` + JSON.parse of the same
// static fake — and, for the record, zx's `$` and execa doing the same spawn on their own, which
// is why lib/spawn.ts uses neither for CLI calls.

import { spawn } from 'node:child_process'
import { execa } from 'execa'
import { $ } from 'zx/core'
import { z } from 'zod'
import { RealClock } from '../../lib/clock.js'
import { api } from '../../lib/command.js'
import { createIO } from '../../lib/io.js'
import { getPolicy } from '../../lib/policy.js'
import { Redactor } from '../../lib/redact.js'
import { Runner } from '../../lib/runner.js'
import { ProcessTransport } from '../../lib/transport.js'
import { interleave, median, report, type Verdict } from './measure.js'
import type { StaticFake } from './static-fake.js'

export const PER_CALL_TARGET = 1.3

const policy = getPolicy('ecs-review')
const flags = { 'biz-region-id': 'cn-hangzhou' }
const argv = [...api('ecs', 'describe-regions', flags), '--user-agent', policy.user_agent]
const body = { RequestId: '3C5F2B1A-0D7E-4F6A-9B8C-1D2E3F4A5B6C', Regions: { Region: [{ RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）', RegionEndpoint: 'ecs.cn-hangzhou.aliyuncs.com', Status: 'available' }] } }
const schema = z.object({ Regions: z.object({ Region: z.array(z.object({ RegionId: z.string() })) }) })

export async function perCall(fake: StaticFake, opts: { rounds: number; batch: number }): Promise<Verdict[]> {
  fake.answer(argv, JSON.stringify(body, null, 2) + '\n')
  const env = { ...process.env, ...fake.env, NO_COLOR: '1' }
  const signal = new AbortController().signal

  const bare = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(fake.cli, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
      child.on('error', reject)
      child.on('close', () => resolve(void JSON.parse(out)))
    })
  const silent = { write: () => true }
  const runner = new Runner({
    policy,
    transport: new ProcessTransport({ ...env, ALIYUN_CLI: fake.cli }),
    clock: new RealClock(),
    io: createIO({ stdout: silent, stderr: silent, redactor: new Redactor(env), json: true }),
    userAgent: policy.user_agent,
    signal,
  })
  const harness = () => runner.json({ argv: api('ecs', 'describe-regions', flags), schema })
  const zx = async () => JSON.parse((await $({ nothrow: true, quiet: true, env, timeout: 120_000, signal, stdio: ['ignore', 'pipe', 'pipe'] })`${fake.cli} ${argv}`).stdout)
  const ex = async () =>
    JSON.parse((await execa(fake.cli, argv, { env, extendEnv: false, reject: false, stripFinalNewline: false, timeout: 120_000, cancelSignal: signal, stdin: 'ignore', maxBuffer: 64 * 1024 * 1024 })).stdout)

  /** Mean ms per call over one batch; the garbage of the batch before is collected first, not billed to this one. */
  const batch = (fn: () => Promise<unknown>) => async () => {
    ;(globalThis as { gc?: () => void }).gc?.()
    const t0 = performance.now()
    for (let i = 0; i < opts.batch; i++) await fn()
    return (performance.now() - t0) / opts.batch
  }
  await interleave(2, { bare: batch(bare), harness: batch(harness), zx: batch(zx), execa: batch(ex) })
  const s = await interleave(opts.rounds, { bare: batch(bare), harness: batch(harness), zx: batch(zx), execa: batch(ex) })
  const base = median(s.bare)
  process.stdout.write(`per CLI call (${opts.rounds} interleaved rounds of ${opts.batch} calls; medians; ${fake.kind === 'c' ? 'compiled C' : 'sh'} fake):\n`)
  return [
    report('runner call vs bare spawn + JSON.parse', median(s.harness), base, 'ms', PER_CALL_TARGET),
    report('  zx $ (nothrow, quiet; through a shell)', median(s.zx), base, 'ms'),
    report('  execa (reject: false)', median(s.execa), base, 'ms'),
  ]
}

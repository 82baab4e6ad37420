// `npm run bench [-- section…]`: the harness's costs as ratios against doing nothing smarter, on
// this machine, each target checked; exits 1 when one is missed. Sections: per-call, startup,
// replay, scale (all by default). The machine is often shared: every comparison is interleaved and uses
// medians, and the load average is printed so a noisy run can be told apart.
//   BENCH_ROUNDS  rounds per comparison (default 15; the scale run uses a third of it, at least 3,
//                 and twice that when the load average is above the number of cores)
//   BENCH_BATCH   CLI calls per per-call round (default 10)
//   BENCH_SIZES   instance counts of the scale run (default 10000,50000)

import { availableParallelism, loadavg } from 'node:os'
import type { Verdict } from './measure.js'
import { perCall } from './per-call.js'
import { replay } from './replay.js'
import { scale } from './scale.js'
import { startup } from './startup.js'
import { makeStaticFake } from './static-fake.js'

const rounds = Number(process.env.BENCH_ROUNDS ?? 15)
const batch = Number(process.env.BENCH_BATCH ?? 10)
const sizes = (process.env.BENCH_SIZES ?? '10000,50000').split(',').map(Number)
const wanted = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['per-call', 'startup', 'replay', 'scale'])

const cores = availableParallelism()
const load = loadavg().map((l) => l.toFixed(2)).join(' ')
process.stdout.write(`aliyun-harness bench — node ${process.version}, ${cores} cores, load ${load}\n`)
if (loadavg()[0] > cores) process.stdout.write(`  (the machine is busy: load above ${cores}; ratios stay comparable, absolute times do not)\n`)

const verdicts: Verdict[] = []
if (wanted.has('per-call')) {
  const fake = makeStaticFake()
  verdicts.push(...(await perCall(fake, { rounds, batch })))
  fake.remove()
}
if (wanted.has('startup')) verdicts.push(...(await startup({ rounds })))
if (wanted.has('replay')) verdicts.push(...(await replay({ rounds: Math.max(3, Math.round(rounds / 3)) })))
if (wanted.has('scale')) {
  // Its few long rounds make the noisiest medians: on a busy machine it takes twice as many.
  const busy = loadavg()[0] > cores
  verdicts.push(...(await scale({ sizes, rounds: Math.max(3, Math.round(rounds / 3)) * (busy ? 2 : 1) })))
}

const missed = verdicts.filter((v) => !v.ok)
process.stdout.write(missed.length ? `\n${missed.length} target(s) missed: ${missed.map((v) => v.name.trim()).join('; ')}\n` : `\nevery target met (${verdicts.filter((v) => v.ok).length} checks)\n`)
process.exitCode = missed.length ? 1 : 0

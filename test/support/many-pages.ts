// `node [--max-old-space-size=N] dist/test/support/many-pages.js <pages> [padding-bytes]`: one
// ecs-review run, in process, over a fleet of <pages> DescribeInstances pages of 100 instances.
// The pages are made as they are asked for (never held in a transcript), each instance padded with
// a long description the review ignores, so a run that keeps anything of a page alive runs out of
// a small heap long before the last page. Prints the run's JSON result; exits with its code.

import type { RawResult } from '../../lib/cli-output.js'
import { runSkill } from '../../lib/skill.js'
import { Replayer } from '../../lib/transcript.js'
import { ReplayTransport, type CliRequest } from '../../lib/transport.js'
import ecsReview from '../../scripts/ecs-review.js'
import { transcript } from './cli-facts.js'
import { healthyFleet, instance, preflight, RECORDED_AT, regionEntries } from '../recordings/ecs-review.js'

const REGION = 'cn-hangzhou'
const PAGE = 100

const pages = Number(process.argv[2] ?? 100)
const padding = Number(process.argv[3] ?? 8000)
const token = (i: number) => `AAAAAVmanypages${String(i).padStart(6, '0')}==`

/** The page the CLI would print for `describe-instances [--next-token …]`. */
function instancePage(argv: readonly string[]): string {
  const at = argv.indexOf('--next-token')
  const i = at < 0 ? 0 : Number(argv[at + 1].slice(15, 21))
  const Instance = Array.from({ length: PAGE }, (_, n) =>
    instance(`i-bp1many${String(i * PAGE + n).padStart(9, '0')}`, REGION, { Description: `${'padding '.repeat(padding / 8)}${i}:${n}` }),
  )
  const body = { RequestId: `5A3C${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`, Instances: { Instance }, TotalCount: pages * PAGE, NextToken: i + 1 < pages ? token(i + 1) : '' }
  return JSON.stringify(body, null, 2) + '\n'
}

/** The fleet's other lists come from an ordinary (small) transcript; instance pages are made on demand. */
class ManyPages extends ReplayTransport {
  override async exec(req: CliRequest): Promise<RawResult> {
    if (req.argv[0] === 'ecs' && req.argv[1] === 'describe-instances') return { exitCode: 0, stdout: instancePage(req.argv), stderr: '', durationMs: 1 }
    return super.exec(req)
  }
}

const { instances: _none, ...fleet } = healthyFleet(REGION)
const small = transcript('ecs-review', 'many pages', [...preflight(), ...regionEntries({ ...fleet, instanceEntries: [] })], { recordedAt: RECORDED_AT })
const sink = { chunks: [] as string[], write(s: string) { this.chunks.push(s); return true } }
const code = await runSkill(ecsReview, ['--region', REGION, '--json'], {
  env: { ...process.env, ALIYUN_HARNESS_NOW: RECORDED_AT },
  stdout: sink,
  stderr: { write: () => true },
  transport: new ManyPages(new Replayer(small)),
  installSignalHandlers: false,
})
process.stdout.write(sink.chunks.join(''))
process.exitCode = code

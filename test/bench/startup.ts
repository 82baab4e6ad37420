// Start-up CPU: `aliyun-harness --help` and every skill's `--help` against `node -e 0`, each a
// fresh process, interleaved rounds, CPU time (user + system) from the process itself.

import { binPath } from '../../lib/paths.js'
import { interleave, median, nodeUsage, report, type Verdict } from './measure.js'

export const STARTUP_TARGET = 2
const SKILLS = ['ack-profile', 'eas-deploy', 'ecs-dr', 'ecs-review', 'flink']

export async function startup(opts: { rounds: number }): Promise<Verdict[]> {
  const cpu = (args: string[]) => async () => {
    const u = await nodeUsage(args)
    if (u.code !== 0) throw new Error(`node ${args.join(' ')} exited ${u.code}`)
    return u.cpuMs
  }
  const variants: Record<string, () => Promise<number>> = { node: cpu(['-e', '0']), help: cpu([binPath(), '--help']), version: cpu([binPath(), '--version']) }
  for (const s of SKILLS) variants[s] = cpu([binPath(), s, '--help'])
  const s = await interleave(opts.rounds, variants)
  const base = median(s.node)
  process.stdout.write(`start-up CPU (${opts.rounds} interleaved rounds; medians; vs node -e 0):\n`)
  return [
    report('aliyun-harness --help', median(s.help), base, 'ms', STARTUP_TARGET),
    report('aliyun-harness --version', median(s.version), base, 'ms', STARTUP_TARGET),
    ...SKILLS.map((k) => report(`aliyun-harness ${k} --help`, median(s[k]), base, 'ms', STARTUP_TARGET)),
  ]
}

// Start-up loads only what the command uses: help and --version load no dependency at all, a JSON
// run loads zod for its schemas but no table, prompt, process or SDK code. Checked on the real bin
// with a module log (test/support/module-log.ts); the time it saves is measured by `npm run bench`.

import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../lib/paths.js'
import { BIN, cleanEnv, tempDir } from './support/run.js'

const MODULE_LOG = join(packageRoot(), 'dist', 'test', 'support', 'module-log.js')
const SKILLS = ['ack-profile', 'eas-deploy', 'ecs-dr', 'ecs-review', 'flink']

/** The packages (node_modules/<name>) a run of the bin loaded, and its exit code. */
function packagesLoaded(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; packages: string[] } {
  const dir = tempDir()
  const log = join(dir, 'modules.log')
  const run = spawnSync(process.execPath, ['--import', MODULE_LOG, BIN, ...args], { env: { ...cleanEnv(dir), ...env, MODULE_LOG: log }, encoding: 'utf8' })
  const lines = readFileSync(log, 'utf8').split('\n')
  const packages = new Set(lines.map((l) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(l)?.[1]).filter((p): p is string => Boolean(p)))
  return { code: run.status, packages: [...packages].sort() }
}

const recording = (skill: string, name: string) => join(packageRoot(), 'recordings', skill, `${name}.json`)
const review = ['ecs-review', '--region', 'cn-hangzhou', '--replay', recording('ecs-review', 'healthy-fleet')]

describe('start-up', () => {
  it('help, every skill’s help and --version load no dependency', () => {
    for (const args of [['--help'], ['--version'], ...SKILLS.map((s) => [s, '--help'])]) expect(packagesLoaded(args), args.join(' ')).toEqual({ code: 0, packages: [] })
  })

  it('a JSON run loads zod for its schemas, and no table, prompt, process-runner or SDK code', () => {
    expect(packagesLoaded([...review, '--json'])).toEqual({ code: 0, packages: ['zod'] })
  })

  it('doctor --json loads no table or prompt code', () => {
    // No aliyun CLI here: doctor still runs every check it can and prints its JSON report (exit 1).
    const doctor = packagesLoaded(['doctor', '--skill', 'ecs-review', '--json'])
    expect(doctor.code).toBe(1)
    expect(doctor.packages).not.toContain('cli-table3')
    expect(doctor.packages).not.toContain('prompts')
  })

  it('a run printed for people loads the table code', () => {
    const human = packagesLoaded(review, { ALIYUN_HARNESS_OUTPUT: 'human' })
    expect(human.code).toBe(0)
    expect(human.packages).toContain('cli-table3')
    expect(human.packages).not.toContain('prompts')
  })
})

// D7: every byte the harness writes passes through one redactor. Secrets of every kind are planted
// where a real run meets them — the credential environment, CLI stdout, CLI stderr, API error
// blocks — and checked in every output (stdout, stderr, in JSON mode and on a terminal) and in
// every file the run writes (the --record transcript, ecs-dr run state, the --output report, the
// replay tool's report).

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CREDENTIAL_ENV } from '../lib/redact.js'
import type { CliEntry, Transcript } from '../lib/transcript.js'
import * as dr from './recordings/ecs-dr.js'
import { scenarios as review } from './recordings/ecs-review.js'
import { replayBin, tempDir, type RunResult } from './support/run.js'
import { KINDS } from './support/secret-kinds.js'

/** One distinct value per credential variable, all set for the run. */
const ENV = Object.fromEntries(CREDENTIAL_ENV.map((name, i) => [name, `envS3cr3t${i}${name.toLowerCase().replace(/_/g, '')}`]))
/** What must never appear: every kind's secret (and what goes with it) and every env value. */
const SECRETS = [...KINDS.flatMap((k) => [k.secret, ...(k.alsoGone ?? [])]), ...Object.values(ENV)]
/** All of it as CLI output would carry it. */
const PLANTED = [...KINDS.map((k) => k.text), ...Object.entries(ENV).map(([name, v]) => `${name}=${v} and plain ${v}`)].join('\n')

function cliEntries(t: Transcript): CliEntry[] {
  return t.entries.filter((e): e is CliEntry => e.kind === 'cli')
}

/** Every file under `dir` except the transcript the test itself wrote. */
function writtenFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (p !== join(dir, 'transcript.json')) out.push(p)
    }
  }
  walk(dir)
  return out
}

function expectNoSecret(res: RunResult, files: string[]) {
  const outputs: [string, string][] = [
    ['stdout', res.stdout],
    ['stderr', res.stderr],
    ...files.map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
  ]
  for (const [where, text] of outputs) {
    for (const secret of SECRETS) {
      for (const spelling of [secret, JSON.stringify(secret).slice(1, -1)]) expect(text.includes(spelling), `${where} leaks ${spelling}`).toBe(false)
    }
  }
}

describe('planted secrets never leave the run', () => {
  it(`covers at least 25 kinds (${KINDS.length}) plus every credential variable (${CREDENTIAL_ENV.length})`, () => {
    expect(KINDS.length).toBeGreaterThanOrEqual(25)
  })

  it('ecs-dr: CLI stdout and stderr, the environment → result, notes, transcript and run state', async () => {
    const t = structuredClone(dr.scenarios['happy-path'])
    const entries = cliEntries(t)
    // The source's OS name is kept in the run state and the report; stderr of a successful call
    // only in the transcript.
    for (const e of entries.filter((x) => x.argv[1] === 'describe-instances')) {
      const inst = (e.stdout_json as { Instances: { Instance: Record<string, unknown>[] } }).Instances.Instance[0]
      inst.OSName = PLANTED
    }
    entries.find((e) => e.argv[0] === 'version')!.stderr = PLANTED
    const dir = tempDir()
    const res = await replayBin(t, [...dr.HAPPY_ARGS, '--record', join(dir, 'recorded.json')], { dir, env: ENV })
    expect(res.code).toBe(0)
    const files = writtenFiles(dir)
    expect(files).toEqual(expect.arrayContaining([join(dir, 'recorded.json'), join(dir, 'report.json'), expect.stringMatching(/state\/runs\/ecs-dr\/[0-9a-f]{12}\.json$/)]))
    // The planted text did reach every one of them (scrubbed), so the check below means something.
    expect(res.json.data.source.os_name).toContain('Authorization: Bearer ***')
    expect(readFileSync(files.find((f) => f.includes('/state/runs/'))!, 'utf8')).toContain('Authorization: Bearer ***')
    expectNoSecret(res, files)
  })

  it('ecs-dr: an API error block → the failed result, and on a terminal', async () => {
    const t = structuredClone(dr.scenarios['quota-exceeded'])
    const failing = cliEntries(t).find((e) => e.exit_code !== 0)!
    failing.stderr = failing.stderr.replace(/^Message: .*$/m, `Message: ${PLANTED.replace(/\n/g, ' ')}`)
    for (const output of ['json', 'human']) {
      const dir = tempDir()
      const res = await replayBin(t, [...dr.HAPPY_ARGS, '--record', join(dir, 'recorded.json')], { dir, env: { ...ENV, ALIYUN_HARNESS_OUTPUT: output } })
      expect(res.code).toBe(1)
      expect(output === 'json' ? res.json.error.message : res.stdout).toContain('Bearer ***')
      expectNoSecret(res, writtenFiles(dir))
    }
  })

  it('ecs-review: CLI output → the --output report (markdown and JSON), in JSON mode and on a terminal', async () => {
    const t = structuredClone(review['healthy-fleet'])
    const page = cliEntries(t).find((e) => e.argv[1] === 'describe-instances')!
    const inst = (page.stdout_json as { Instances: { Instance: Record<string, unknown>[] } }).Instances.Instance[0]
    inst.Description = PLANTED
    // Scaling group names are printed in the markdown report and kept in its JSON form.
    const groups = cliEntries(t).find((e) => e.argv[1] === 'describe-scaling-groups')!
    ;(groups.stdout_json as { ScalingGroups: { ScalingGroup: Record<string, unknown>[] } }).ScalingGroups.ScalingGroup[0].ScalingGroupName = `web ${KINDS[0].text}`
    for (const [format, output] of [['md', 'human'], ['json', 'json']]) {
      const dir = tempDir()
      const res = await replayBin(t, ['ecs-review', '--region', 'cn-hangzhou', '--format', format, '--output', join(dir, `review.${format}`), '--record', join(dir, 'recorded.json')], {
        dir,
        env: { ...ENV, ALIYUN_HARNESS_OUTPUT: output },
      })
      expect(res.code).toBe(0)
      expect(readFileSync(join(dir, `review.${format}`), 'utf8')).toContain('Authorization: Bearer ***')
      expectNoSecret(res, writtenFiles(dir))
    }
  })
})

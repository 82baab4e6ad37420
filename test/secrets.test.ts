// D7: every byte the harness writes passes through one redactor. Secrets of every kind are planted
// where a real run meets them — the credential environment, CLI stdout, CLI stderr, API error
// blocks, SDK response bodies — and checked in every output (stdout, stderr, in JSON mode and on a
// terminal) and in every file the run writes (the --record transcript, ecs-dr run state, the
// --output report, the replay tool's report). Every skill is run: each has outputs of its own
// (flink's envelope, eas-deploy's revealing view of its result, ack-profile's SDK step).

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CREDENTIAL_ENV } from '../lib/redact.js'
import type { CliEntry, SdkEntry, Transcript } from '../lib/transcript.js'
import * as ack from './recordings/ack-profile.js'
import * as dr from './recordings/ecs-dr.js'
import * as eas from './recordings/eas-deploy.js'
import * as flink from './recordings/flink.js'
import { scenarios as review } from './recordings/ecs-review.js'
import { replaySkill } from './support/replay.js'
import { replayBin, tempDir, type RunResult } from './support/run.js'
import { KINDS } from './support/secret-kinds.js'

/** One distinct value per credential variable, all set for the run. */
const ENV = Object.fromEntries(CREDENTIAL_ENV.map((name, i) => [name, `envS3cr3t${i}${name.toLowerCase().replace(/_/g, '')}`]))
/** What must never appear: every kind's secret (and what goes with it) and every env value. */
const SECRETS = [...KINDS.flatMap((k) => [k.secret, ...(k.alsoGone ?? [])]), ...Object.values(ENV)]
/** All of it as CLI output would carry it. */
const PLANTED = [...KINDS.map((k) => k.text), ...Object.entries(ENV).map(([name, v]) => `${name}=${v} and plain ${v}`)].join('\n')

/**
 * The same on one line, for fields a terminal shows in a table cell: a cell of a hundred lines takes
 * cli-table3 seconds to lay out, and no secret shape depends on a newline.
 */
const PLANTED_LINE = PLANTED.replace(/\n/g, ' ')

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

/** The API error block of `entry` with `text` as its Message line. */
function plantInError(entry: CliEntry, text: string): void {
  entry.stderr = entry.stderr.replace(/^Message: .*$/m, `Message: ${text}`)
}

type Output = 'json' | 'human'

/** The file a JSON run records its calls to (a terminal run replays in process and records nothing). */
const RECORDED = 'recorded.json'

/**
 * One planted run in `dir`: JSON through the real bin under the replay tool, with --record; a
 * terminal replayed in process (what it prints is the point; the JSON run checks the transcript).
 */
function runPlanted(t: Transcript, args: string[], output: Output, dir: string): Promise<RunResult> {
  const env = { ...ENV, ALIYUN_HARNESS_OUTPUT: output }
  return output === 'json' ? replayBin(t, [...args, '--record', join(dir, RECORDED)], { dir, env }) : replaySkill(t, args, { dir, env })
}

/**
 * `plant` the secrets into a copy of `scenario`, run it (`runPlanted`) and check every output and
 * file the run wrote. The planted text must reach stdout (and the transcript), scrubbed, or the
 * check would prove nothing.
 */
async function plantedRun(scenario: Transcript, args: string[], output: Output, plant: (t: Transcript, text: string) => void, code = 0): Promise<RunResult> {
  const t = structuredClone(scenario)
  plant(t, output === 'json' ? PLANTED : PLANTED_LINE)
  const dir = tempDir()
  const res = await runPlanted(t, args, output, dir)
  expect(res.code, res.stderr).toBe(code)
  expect(res.stdout).toContain('Bearer ***')
  if (output === 'json') expect(readFileSync(join(dir, RECORDED), 'utf8')).toContain('Bearer ***')
  expectNoSecret(res, writtenFiles(dir))
  return res
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
    for (const output of ['json', 'human'] as const) {
      const dir = tempDir()
      const res = await runPlanted(t, dr.HAPPY_ARGS, output, dir)
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
    for (const [format, output] of [['md', 'human'], ['json', 'json']] as const) {
      const dir = tempDir()
      const res = await runPlanted(t, ['ecs-review', '--region', 'cn-hangzhou', '--format', format, '--output', join(dir, `review.${format}`)], output, dir)
      expect(res.code).toBe(0)
      expect(readFileSync(join(dir, `review.${format}`), 'utf8')).toContain('Authorization: Bearer ***')
      expectNoSecret(res, writtenFiles(dir))
    }
  })

  it.each(['json', 'human'] as const)('flink: instance names and CLI stderr → its envelope (%s; the JSON run also its transcript)', async (output) => {
    await plantedRun(flink.scenarios.describe, ['flink', 'describe', '--region_id', flink.REGION], output, (t, text) => {
      const page = cliEntries(t).find((e) => e.argv[1] === 'describe-instances')!
      ;(page.stdout_json as { Instances: Record<string, unknown>[] }).Instances[0].InstanceName = text
      cliEntries(t).find((e) => e.argv[0] === 'version')!.stderr = PLANTED
    })
  })

  it('flink: an API error block → its error envelope', async () => {
    const res = await plantedRun(flink.scenarios['describe-throttled-twice'], ['flink', 'describe', '--region_id', flink.REGION], 'json', (t, text) => {
      for (const e of cliEntries(t).filter((x) => x.exit_code !== 0)) plantInError(e, text.replace(/\n/g, ' '))
    }, 1)
    expect(res.json.success).toBe(false)
  })

  it.each(['json', 'human'] as const)('eas-deploy: workspace and service fields, CLI stderr → the revealing result view (%s; the JSON run also its transcript)', async (output) => {
    const res = await plantedRun(eas.scenarios['shared-vllm'], eas.args['shared-vllm'], output, (t, text) => {
      const entries = cliEntries(t)
      const ws = entries.find((e) => e.argv[1] === 'list-workspaces')!
      ;(ws.stdout_json as { Workspaces: Record<string, unknown>[] }).Workspaces[0].WorkspaceName = text
      ;(entries.find((e) => e.argv[1] === 'describe-service')!.stdout_json as Record<string, unknown>).Message = text
      entries.find((e) => e.argv[0] === 'version')!.stderr = PLANTED
    })
    if (output === 'json') expect(res.json.status).toBe('completed')
  })

  it.each(['json', 'human'] as const)('ack-profile: the diagnosis result, the SDK response body, CLI stderr → the report (%s; the JSON run also its transcript)', async (output) => {
    await plantedRun(ack.scenarios['realtime-happy-path'], ack.ARGS['realtime-happy-path'], output, (t, text) => {
      const polled = cliEntries(t).filter((e) => e.argv[1] === 'get-diagnosis-result').at(-1)!
      const data = (polled.stdout_json as { data: { result: { summary: Record<string, unknown>; issues: Record<string, unknown>[] } } }).data
      data.result.summary.root_cause = text
      data.result.issues[0].description = text
      const sdk = t.entries.find((e): e is SdkEntry => e.kind === 'sdk')!
      ;(sdk.response.body as Record<string, unknown>).message = PLANTED
      cliEntries(t).find((e) => e.argv[0] === 'version')!.stderr = PLANTED
    })
  })
})

// No user value may ever be read by the CLI as a flag or a command word. Property-style: every
// option of every skill, and every global option (--profile, --cli-timeout, --record, --replay),
// gets flag-shaped, shorthand-shaped (`-p:…`), list-smuggling, empty, very long, multi-line and
// shell-metacharacter values. Each run either stops with the skill's usage error before any CLI
// call, or goes on with the value as a harmless literal: no argv element the CLI receives starts
// with `-` and carries user text, except `--<flag>=<value>` where the harness chose the flag, and
// no command word contains user text.

import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../lib/clock.js'
import { parseArgv } from '../lib/command.js'
import { GLOBAL_OPTIONS } from '../lib/options.js'
import { packageRoot } from '../lib/paths.js'
import { runSkill, type SkillDefinition } from '../lib/skill.js'
import { entryStdout, loadTranscript, type CliEntry, type SdkEntry } from '../lib/transcript.js'
import type { CliRequest, SdkRequest, SdkResponse, Transport } from '../lib/transport.js'
import type { RawResult } from '../lib/cli-output.js'
import ackProfile from '../scripts/ack-profile.js'
import easDeploy from '../scripts/eas-deploy.js'
import ecsDr from '../scripts/ecs-dr.js'
import ecsReview from '../scripts/ecs-review.js'
import flink from '../scripts/flink.js'
import { tempDir } from './support/run.js'

const MARK = 'PROBE'
const HOSTILE = [
  `--${MARK}=evil.example.com`,
  `-${MARK}`,
  // aliyun-cli reads `-p:v` and `-p=v` as the shorthand flag -p (cli/parser.go splits a flag at its
  // first `=` or `:`).
  `-p:${MARK}`,
  `-p=${MARK}`,
  `ok,--${MARK}`,
  `ok --${MARK}`,
  `${MARK}\n--x`,
  `$(${MARK})`,
  `\`${MARK}\`;rm -rf /`,
  `${MARK}${'x'.repeat(5000)}`,
  '',
]

/**
 * Answers any call with what the skill's own recordings say for the same command words (the last
 * successful answer, so polls end), so a run with odd values goes as far as the values allow.
 */
class PermissiveTransport implements Transport {
  readonly mode = 'live' as const
  readonly seen: string[][] = []
  private byWords = new Map<string, CliEntry>()
  private sdkAnswer?: SdkEntry

  constructor(skill: string) {
    const dir = join(packageRoot(), 'recordings', skill)
    for (const f of readdirSync(dir)) {
      for (const e of loadTranscript(join(dir, f)).entries) {
        if (e.kind === 'sdk') {
          if (e.response.status < 400) this.sdkAnswer = e
          continue
        }
        const key = parseArgv(e.argv).words.join(' ')
        if (e.exit_code === 0 || !this.byWords.has(key)) this.byWords.set(key, e)
      }
    }
  }

  async exec(req: CliRequest): Promise<RawResult> {
    this.seen.push(req.argv)
    const e = this.byWords.get(parseArgv(req.argv).words.join(' '))
    if (!e) return { exitCode: 0, stdout: '{}\n', stderr: '', durationMs: 0 }
    return { exitCode: e.exit_code, stdout: entryStdout(e), stderr: e.stderr, durationMs: 0 }
  }

  async sdk(_req: SdkRequest): Promise<SdkResponse> {
    return { status: this.sdkAnswer?.response.status ?? 200, body: this.sdkAnswer?.response.body ?? {}, durationMs: 0 }
  }
}

interface Case {
  def: SkillDefinition<any, any>
  /** Valid arguments the hostile value is added to. */
  base: (option: string) => string[]
  /** The exit code of a usage error under the skill's contract (flink: 1). */
  usageExit: number
}

const FLINK_BASES: Record<string, string[]> = {
  create: ['create', '--region_id', 'cn-beijing', '--name', 'my-flink', '--instance_type', 'PayAsYouGo', '--vpc_id', 'vpc-2zeflinkvpc00001', '--vswitch_id', 'vsw-2zeflinkvsw00001', '--cu_count', '4', '--confirm'],
  lifecycle: ['lifecycle', '--region_id', 'cn-beijing', '--name', 'my-flink', '--instance_type', 'PayAsYouGo', '--vpc_id', 'vpc-2zeflinkvpc00001', '--vswitch_id', 'vsw-2zeflinkvsw00001', '--cu_count', '8', '--namespace', 'dev', '--namespace_cpu', '4', '--namespace_memory_gb', '16', '--confirm'],
  list_tags: ['list_tags', '--region_id', 'cn-beijing', '--resource_type', 'vvpinstance', '--resource_ids', 'f-cn-wwo36qj4g06'],
  create_namespace: ['create_namespace', '--region_id', 'cn-beijing', '--instance_id', 'f-cn-wwo36qj4g06', '--name', 'dev', '--cpu', '2', '--memory_gb', '8', '--confirm'],
}
const FLINK_BASE_FOR: Record<string, string> = { resource_type: 'list_tags', resource_ids: 'list_tags', instance_id: 'create_namespace', period: 'create', auto_renew: 'create', zone_id: 'create', cpu: 'create_namespace', memory_gb: 'create_namespace' }

const CASES: Record<string, Case> = {
  'ecs-dr': { def: ecsDr, base: () => ['--region', 'cn-hangzhou', '--instance-id', 'i-bp1dr0source0001', '--image-name', 'Create_from_i-bp1dr0source0001', '--target-zone', 'cn-hangzhou-j', '--instance-type', 'ecs.g7.xlarge'], usageExit: 2 },
  'ecs-review': { def: ecsReview, base: () => ['--region', 'cn-hangzhou'], usageExit: 2 },
  'ack-profile': { def: ackProfile, base: () => ['--cluster-id', 'c0ee8f62dd10541c598af3627d5b6cda7', '--namespace', 'default', '--pod', 'web-64cdcb7b98-gchks'], usageExit: 2 },
  'eas-deploy': {
    def: easDeploy,
    base: () => ['--region', 'cn-hangzhou', '--service-name', 'qwen_chat', '--image', 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:0.8.5.post1', '--command', 'vllm serve /model_dir', '--instance-type', 'ecs.gn7i-c16g1.4xlarge'],
    usageExit: 2,
  },
  flink: { def: flink, base: (option) => FLINK_BASES[FLINK_BASE_FOR[option] ?? (option.startsWith('namespace') ? 'lifecycle' : 'create')], usageExit: 1 },
}

/** Options that name files on this machine: their hostile values stay inside a temporary directory. */
const FILE_OPTIONS = new Set(['output', 'record', 'replay', 'config'])

/** The base arguments with `--option` removed (with its value) and set to `value` instead. */
function withOption(base: string[], option: string, value: string): string[] {
  if (FILE_OPTIONS.has(option) && value) value = join(tempDir('argv-safety-files-'), value)
  const out: string[] = []
  for (let i = 0; i < base.length; i++) {
    if (base[i] === `--${option}`) {
      if (base[i + 1] !== undefined && !base[i + 1].startsWith('--')) i++
      continue
    }
    out.push(base[i])
  }
  // The attached form lets a dash-led value through the option parser, as an attacker would.
  return [...out, `--${option}=${value}`]
}

async function runWith(c: Case, skill: string, argv: string[]) {
  const transport = new PermissiveTransport(skill)
  let stdout = ''
  const dir = tempDir('argv-safety-')
  const code = await runSkill(c.def, argv, {
    env: { HOME: dir, ALIYUN_HARNESS_STATE_DIR: join(dir, 'state'), ALIYUN_HARNESS_AI_MODE_LOCK_WAIT_MS: '0' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    transport,
    clock: new VirtualClock(Date.parse('2026-11-20T08:00:00Z')),
    installSignalHandlers: false,
  })
  return { code, json: JSON.parse(stdout), seen: transport.seen }
}

/** Flag names and command words the CLI would read; user text must never be one of them. */
function cliWordsAndFlags(argv: readonly string[]): string[] {
  const p = parseArgv(argv)
  return [...p.words, ...p.groups.map((g) => g.flag)]
}

/**
 * The argv elements that start with `-` and carry user text, other than `--<flag>=<value>` whose
 * flag name (up to the first `=` or `:`, as aliyun-cli reads it) is a plain name with no user text
 * in it: the form the serializer uses to attach a dash-led value to the harness's own flag.
 */
function userFlags(argv: readonly string[]): string[] {
  return argv.filter((el) => {
    if (!el.startsWith('-') || !el.includes(MARK)) return false
    const attached = /^--([A-Za-z][A-Za-z0-9-]*)=/.exec(el)
    return !attached || attached[1].includes(MARK)
  })
}

/** The run stopped on its input: the skill's usage error (flink: ValueError or MissingParameter, exit 1). */
function refusedInput(c: Case, res: { code: number; json: any }): boolean {
  return c.usageExit === 2 ? res.code === 2 : ['ValueError', 'MissingParameter'].includes(res.json.error?.code)
}

/** Every option a value can be given to: the skill's own and the global ones (--help and the output switches take none). */
function valuedOptions(c: Case): string[] {
  const all: Record<string, { type: string }> = { ...GLOBAL_OPTIONS, ...c.def.options }
  return Object.entries(all)
    .filter(([, spec]) => spec.type !== 'boolean')
    .map(([name]) => name)
}

const rows = Object.entries(CASES).flatMap(([skill, c]) => valuedOptions(c).map((option) => [skill, option] as const))

describe('user values never become CLI flags or command words', () => {
  it('fuzzes the global options too', () => {
    expect(valuedOptions(CASES['ecs-review'])).toEqual(expect.arrayContaining(['profile', 'cli-timeout', 'record', 'replay']))
  })

  it.each(rows)('%s --%s', async (skill, option) => {
    const c = CASES[skill]
    for (const value of HOSTILE) {
      const res = await runWith(c, skill, withOption(c.base(option), option, value))
      const where = `${skill} --${option}=${JSON.stringify(value.slice(0, 40))}`
      if (res.seen.length === 0) {
        // Refused up front: the skill's usage error, with a message, and nothing ran.
        expect(res.code, where).toBe(c.usageExit)
        expect(JSON.stringify(res.json.error), where).toMatch(/"message":"[^"]+/)
        continue
      }
      // Once a call was made the value was accepted: refusing it now would be too late.
      expect(refusedInput(c, res), `${where} was refused only after ${res.seen.length} call(s): ${JSON.stringify(res.json.error)}`).toBe(false)
      for (const argv of res.seen) {
        const shown = `${where}: aliyun ${argv.join(' ')}`
        expect(userFlags(argv), shown).toEqual([])
        for (const token of cliWordsAndFlags(argv)) expect(token, shown).not.toContain(MARK)
      }
    }
  })

  it('a list value cannot smuggle a flag: flink --resource_ids "f-cn-a,--endpoint=evil.example.com" is refused before any call', async () => {
    const res = await runWith(CASES.flink, 'flink', [...FLINK_BASES.list_tags.slice(0, -2), '--resource_ids', 'f-cn-a,--endpoint=evil.example.com'])
    expect(res.seen).toEqual([])
    expect(res.code).toBe(1)
    expect(res.json.error).toEqual({ code: 'ValueError', message: 'argument --resource_ids: expected resource ids such as f-cn-wwo36qj4g06; got "--endpoint=evil.example.com"' })
  })

  it('--profile=--endpoint=evil.example.com is refused before any call (every skill)', async () => {
    for (const [skill, c] of Object.entries(CASES)) {
      const res = await runWith(c, skill, [...c.base('profile'), '--profile=--endpoint=evil.example.com'])
      expect(res.seen, skill).toEqual([])
      expect(res.code, skill).toBe(c.usageExit)
    }
  })

  it('a valid profile reaches the CLI as one --profile value on API and configure commands', async () => {
    const res = await runWith(CASES['ecs-review'], 'ecs-review', ['--region', 'cn-hangzhou', '--profile', 'default'])
    const api = res.seen.filter((a) => a[0] === 'ecs')
    expect(api.length).toBeGreaterThan(0)
    for (const argv of api) expect(parseArgv(argv).groups.filter((g) => g.flag === '--profile')).toEqual([{ flag: '--profile', values: ['default'] }])
  })
})

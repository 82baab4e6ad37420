// A small probe skill for the runner and factory tests: its own policy (never a real skill's name),
// a strict replay transport (a call nobody recorded fails the run) and captured output.

import { VirtualClock } from '../../lib/clock.js'
import { api } from '../../lib/command.js'
import { SkillPolicySchema, type SkillPolicy } from '../../lib/policy.js'
import { defineSkill, runSkill, type RunDeps, type SkillContext } from '../../lib/skill.js'
import { Replayer, type Entry } from '../../lib/transcript.js'
import { ReplayTransport } from '../../lib/transport.js'
import { transcript } from './cli-facts.js'
import { tempDir } from './run.js'

/** A policy for the probe: ECS reads, a transient-error rule, a named rule, no ai-mode, unless overridden. */
export function probePolicy(overrides: Partial<SkillPolicy> = {}): SkillPolicy {
  const base = SkillPolicySchema.parse({
    title: 'Probe',
    seed: 'none',
    user_agent: 'AlibabaCloud-Agent-Skills/probe',
    session_id_in_user_agent: false,
    ai_mode: false,
    min_cli_version: '3.3.1',
    allow: ['version', 'configure list', 'ecs describe-*'],
    region: { endpoint: 'endpoint', business_flags: { ecs: 'biz-region-id' } },
    retries: {
      default: { on: ['ServiceUnavailable', 'timeout'], attempts: 4, delay_ms: 15_000 },
      slow: { on: ['*'], attempts: 2, delay_ms: 0, add_flags: ['--read-timeout', '60'], notice: 'retrying {step} once more ({code}: {message})' },
    },
  })
  return { ...base, name: 'probe', ...overrides }
}

export const describeRegions = () => api('ecs', 'describe-regions', { 'biz-region-id': 'cn-beijing' })

export async function runProbe(policy: SkillPolicy, entries: Entry[], body: (ctx: SkillContext) => Promise<unknown>, deps: RunDeps & { argv?: string[] } = {}) {
  const replayer = new Replayer(transcript(policy.name, 'probe', entries))
  const clock = new VirtualClock(0)
  let stdout = ''
  let stderr = ''
  const def = defineSkill({
    name: policy.name,
    summary: 'probe',
    usage: 'probe',
    options: { zone: { type: 'string', description: 'zone' } },
    async run(ctx) {
      return { data: await body(ctx) }
    },
  })
  const dir = tempDir()
  const code = await runSkill(def, deps.argv ?? [], {
    env: { HOME: dir, ALIYUN_HARNESS_STATE_DIR: dir, ...deps.env },
    stdout: { write: (s: string) => (stdout += s), isTTY: deps.stdout?.isTTY },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: deps.stdin,
    prompter: deps.prompter,
    installSignalHandlers: false,
    transport: new ReplayTransport(replayer),
    clock,
    policy,
  })
  let json: any
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }
  return { code, stdout, stderr, json, clock, unused: replayer.unused(), dir }
}

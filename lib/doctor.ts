// `aliyun-harness doctor [--skill <name>]… [--json] [--profile <name>]`: proves, on the user's
// machine and before any paid workflow, that the real CLI speaks what the harness sends. Read-only
// (D10): `version`, `configure list`, `plugin list`/`show`, `configure ai-mode show`, and each
// skill's command templates with the CLI's dry-run flag, sent through that skill's runner.

import { RealClock } from './clock.js'
import { newHex } from './context.js'
import { isExpected, UsageError } from './errors.js'
import type { CommandDef } from './commands.js'
import { checkOutputEnv, createIO, wantsJson, type IO, type Stream } from './io.js'
import { GLOBAL_OPTIONS, HELP_OPTION, OUTPUT_OPTIONS, parseFlags, type OptionSpecs } from './options.js'
import { doctorPolicy, getPolicy, SkillPolicySchema, skillNames, userAgentFor, type SkillPolicy } from './policy.js'
import { Redactor } from './redact.js'
import { Runner } from './runner.js'
import type { SkillDefinition } from './skill.js'
import { templateContext } from './templates.js'
import { ProcessTransport, type Transport } from './transport.js'
import { checkAiMode } from './doctor/ai-mode-check.js'
import { checkCli } from './doctor/cli-check.js'
import { checkCredentials } from './doctor/credentials-check.js'
import type { Machine, SkillUnderCheck } from './doctor/machine.js'
import { checkPlugins } from './doctor/plugins-check.js'
import { exitCodeOf, printReport, skipped, summarize, type Check } from './doctor/report.js'
import { checkSdk } from './doctor/sdk-check.js'
import { checkTemplates } from './doctor/templates-check.js'

const OPTIONS = {
  skill: { type: 'strings', description: 'Check only this skill; repeat the flag (or separate with commas) for several. Default: every skill.', valueName: 'name' },
  json: OUTPUT_OPTIONS.json,
  human: OUTPUT_OPTIONS.human,
  profile: GLOBAL_OPTIONS.profile,
  ...HELP_OPTION,
} as const satisfies OptionSpecs

export const doctorCommand: CommandDef = {
  name: 'doctor',
  summary: 'check, read-only, that the aliyun CLI here accepts every command the skills send',
  usage: 'aliyun-harness doctor [--skill <name>]… [--json] [--profile <name>]',
  details: [
    'Checks, read-only: nothing that changes anything in the cloud or in the CLI',
    'configuration is run; API commands go out only with --cli-dry-run.',
    '  1. the CLI: found ($ALIYUN_CLI or aliyun on PATH), runs, and meets each',
    '     skill’s minimum version',
    '  2. credentials: `aliyun configure list` shows the profile the CLI will use',
    '     as Valid',
    '  3. plugins: each product a skill calls has its plugin, defaulting to the API',
    '     version the skill reads',
    '  4. ai-mode: not left enabled with another user agent; no stale harness lock',
    '  5. every command template of each skill, validated by the CLI with',
    '     --cli-dry-run, user agent included',
    '  6. the SDK step (ack-profile): its credential chain resolves',
  ],
  options: OPTIONS,
  examples: ['aliyun-harness doctor', 'aliyun-harness doctor --skill ecs-dr --profile prod'],
  exitCodes: 'Exit codes: 0 nothing failed (warnings and skipped checks included), 1 a check failed, 2 invalid usage.',
  run: (args) => runDoctor(args),
}

/** doctor's own commands, under its D10 allow-list. They are all local, so no user agent is ever added. */
function localPolicy(): SkillPolicy {
  const base = SkillPolicySchema.parse({
    title: 'aliyun-harness doctor',
    seed: 'DECISIONS D10',
    user_agent: 'AlibabaCloud-Agent-Skills/aliyun-harness-doctor',
    session_id_in_user_agent: false,
    ai_mode: false,
    min_cli_version: '0.0.0',
    allow: doctorPolicy().allow,
  })
  return { ...base, name: 'doctor' }
}

export interface DoctorDeps {
  env?: NodeJS.ProcessEnv
  stdout?: Stream
  stderr?: Stream
  transport?: Transport
}

async function loadSkill(name: string, parts: { transport: Transport; io: IO; signal: AbortSignal; profile?: string }): Promise<SkillUnderCheck> {
  const def = ((await import(`../scripts/${name}.js`)) as { default: SkillDefinition<OptionSpecs, unknown> }).default
  const policy = getPolicy(name)
  // One session id for the whole doctor run, as a workflow run has one (ecs-dr puts it in its user agent).
  const sessionId = newHex(16)
  const runner = new Runner({ policy, transport: parts.transport, clock: new RealClock(), io: parts.io, signal: parts.signal, profile: parts.profile, userAgent: userAgentFor(policy, sessionId) })
  return { name, policy, runner, templates: (await def.templates?.(templateContext(policy))) ?? [] }
}

export async function runDoctor(argv: readonly string[], deps: DoctorDeps = {}): Promise<number> {
  const env = deps.env ?? process.env
  const redactor = new Redactor(env)
  const stdout = deps.stdout ?? process.stdout
  const stderr = deps.stderr ?? process.stderr
  let values
  try {
    checkOutputEnv(env)
    if (argv.includes('--record') || argv.includes('--replay')) throw new UsageError('doctor checks the real CLI on this machine; --record and --replay do not apply.')
    ;({ values } = parseFlags({ ...OPTIONS, skill: { ...OPTIONS.skill, choices: skillNames() } }, argv, { command: 'doctor' }))
  } catch (e) {
    if (!isExpected(e)) throw e
    stderr.write(redactor.scrub(`aliyun-harness doctor: ${e.message}${e.nextAction ? ` ${e.nextAction}` : ''}\nUsage: ${doctorCommand.usage as string}\n`))
    // The output mode as a run would pick it, the flags read from the raw argv (parsing failed);
    // an ALIYUN_HARNESS_OUTPUT that is neither json nor human picks nothing.
    if (wantsJson({ json: argv.includes('--json'), human: argv.includes('--human') }, env, Boolean(stdout.isTTY)))
      stdout.write(JSON.stringify({ success: false, status: 'usage', error: { code: e.code, message: redactor.scrub(e.message) }, checks: [] }, null, 2) + '\n')
    return e.exitCode
  }
  const io = createIO({ stdout, stderr, redactor, env, json: wantsJson(values, env, Boolean(stdout.isTTY)) })
  const transport = deps.transport ?? new ProcessTransport(env)
  const signal = new AbortController().signal
  const profile = values.profile as string | undefined
  const skills = values.skill as string[]
  const names = skills.length ? [...new Set(skills)] : skillNames()
  const parts = { transport, io, signal, profile }
  const local = localPolicy()
  const m: Machine = {
    env,
    profile,
    doctor: doctorPolicy(),
    local: new Runner({ policy: local, transport, clock: new RealClock(), io, signal, profile, userAgent: local.user_agent }),
    skills: await Promise.all(names.map((n) => loadSkill(n, parts))),
    allPolicies: skillNames().map(getPolicy),
    found: {},
  }

  const checks: Check[] = [...(await checkCli(m))]
  if (m.found.cliVersion) {
    checks.push(...(await checkCredentials(m)), ...(await checkPlugins(m)), ...(await checkAiMode(m)))
  } else {
    const why = 'needs a working aliyun CLI (see cli).'
    checks.push(skipped('credentials', null, `Not checked: it ${why}`), skipped('plugins', null, `Not checked: it ${why}`), skipped('ai-mode', null, `Not checked: it ${why}`))
  }
  checks.push(...(await checkTemplates(m)), ...(await checkSdk(m)))
  io.flush()
  const report = summarize(checks)
  const paint = !io.json && io.color ? (await import('zx/core')).chalk : undefined
  printReport(report, io, paint)
  return exitCodeOf(report)
}

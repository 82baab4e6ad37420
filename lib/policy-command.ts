// `aliyun-harness policy <skill> [--format text|cli-safety] [--json | --human]`: a skill's rules as
// data — what it may run, what it never runs, its user agent and ai-mode use, and the acceptance
// rules a session is checked against — or, with `--format cli-safety`, the same allow/deny rules in
// the aliyun CLI's own safety-policy syntax (lib/safety-policy.ts).
// The rules follow the output-mode rule of every command (lib/io.ts wantsJson). The cli-safety shell
// lines are a file format asked for by name, meant for `eval "$(…)"` — always a pipe — so only
// `--json` turns them into the JSON file.

import type { CommandDef } from './commands.js'
import { usageExit } from './complain.js'
import { UsageError } from './errors.js'
import { checkOutputEnv, wantsJson } from './io.js'
import { HELP_OPTION, OUTPUT_OPTIONS, parseFlags } from './options.js'
import { getPolicy, loadPolicies, skillNames, type SkillPolicy } from './policy.js'
import { formatCliSafety, safetyPolicyFile } from './safety-policy.js'
import { didYouMean } from './suggest.js'

function text(p: SkillPolicy): string {
  const lines = [
    `${p.name} — ${p.title}`,
    `User agent on every API call: ${p.user_agent}${p.session_id_in_user_agent ? '/<32-hex session id>' : ''}; never on configure, plugin, version, help, upgrade.`,
    `ai-mode: ${p.ai_mode ? 'enabled with that user agent for the run, disabled after it' : 'never touched'}. Minimum aliyun CLI: ${p.min_cli_version}.`,
    '',
    'Allowed (aliyun …):',
    ...p.allow.map((a) => `  ${a}`),
    ...(p.sdk_allow.length ? ['Allowed SDK calls:', ...p.sdk_allow.map((a) => `  ${a}`)] : []),
    '',
    'Never:',
    ...[...p.forbid, ...loadPolicies().global_forbid].map((f) => `  ${f.pattern} — ${f.reason}`),
    ...p.forbid_flags.map((f) => `  ${f.flag}${f.value ? ` ${f.value}` : ''} — ${f.reason}`),
    `  credential flags, --user-agent written by hand, help discovery${p.forbid_help ? ' (the skill forbids it)' : ' (under guard an agent may read the help of the allowed commands)'}`,
    '',
    'Acceptance rules (guard, audit --acceptance):',
    ...(p.acceptance.length ? p.acceptance.map((r) => `  ${r.id}: ${r.text}  [${r.source}]`) : ['  none']),
    '',
  ]
  return lines.join('\n')
}

export const policyCommand: CommandDef = {
  name: 'policy',
  summary: "a skill's rules: allow-list, forbidden commands, user agent, ai-mode, acceptance rules",
  usage: 'aliyun-harness policy <skill> [--format text|cli-safety] [--json | --human]',
  options: {
    format: {
      type: 'string',
      choices: ['text', 'cli-safety'],
      default: 'text',
      description:
        "text: the rules — for people on a terminal or with --human, JSON with --json or in a pipe. cli-safety: the allow/deny rules in the aliyun CLI's own safety-policy syntax (CLI >= 3.3.9), as shell lines setting ALIBABA_CLOUD_SAFETY_POLICY_ENABLED/_RULES (also in a pipe, for `eval \"$(…)\"`); with --json, the safety-policy.json file ({\"enabled\": true, \"rules\": [{\"pattern\", \"action\"}]}).",
    },
    json: { type: 'boolean', description: 'The policy as JSON (its references/policies.json entry; the default when stdout is not a terminal), or the safety-policy file with --format cli-safety.' },
    human: OUTPUT_OPTIONS.human,
    ...HELP_OPTION,
  },
  subcommands: skillNames(),
  examples: ['aliyun-harness policy eas-deploy', 'aliyun-harness policy ack-profile --format cli-safety'],
  exitCodes: 'Exit codes: 0, 2 invalid usage.',
  async run(args) {
    let skill: string
    let values: Record<string, unknown>
    try {
      checkOutputEnv(process.env)
      const parsed = parseFlags(policyCommand.options, args, { positionals: true, command: 'policy' })
      values = parsed.values
      if (parsed.positionals.length !== 1) throw new UsageError(`usage: ${policyCommand.usage as string}`)
      skill = parsed.positionals[0]
      if (!skillNames().includes(skill)) throw new UsageError(`unknown skill '${skill}'.${didYouMean(skill, skillNames())} Skills: ${skillNames().join(', ')}.`)
    } catch (e) {
      return usageExit('aliyun-harness policy', e)
    }
    const p = getPolicy(skill)
    if (values.format === 'cli-safety') process.stdout.write(values.json ? JSON.stringify(safetyPolicyFile(p), null, 2) + '\n' : formatCliSafety(p))
    else process.stdout.write(wantsJson(values as { json?: boolean; human?: boolean }, process.env, Boolean(process.stdout.isTTY)) ? JSON.stringify(p, null, 2) + '\n' : text(p))
    return 0
  },
}

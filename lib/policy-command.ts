// `aliyun-harness policy <skill> [--format text|cli-safety] [--json]`: a skill's rules as data — what
// it may run, what it never runs, its user agent and ai-mode use, and the acceptance rules a session
// is checked against — or, with `--format cli-safety`, the same allow/deny rules in the aliyun CLI's
// own safety-policy syntax (lib/safety-policy.ts).

import { parseArgs } from 'node:util'
import { getPolicy, loadPolicies, skillNames, type SkillPolicy } from './policy.js'
import { formatCliSafety, safetyPolicyFile } from './safety-policy.js'

export const POLICY_USAGE = 'policy <skill> [--format text|cli-safety] [--json]'

function help(): string {
  return [
    'aliyun-harness policy — a skill\'s rules: allow-list, forbidden commands, user agent, ai-mode, acceptance rules',
    '',
    `Usage: aliyun-harness ${POLICY_USAGE}`,
    '',
    'Options:',
    '  --format text        (default) the rules for people',
    '  --format cli-safety  the allow/deny rules in the aliyun CLI\'s own safety-policy syntax (CLI >= 3.3.9):',
    '                       shell lines setting ALIBABA_CLOUD_SAFETY_POLICY_ENABLED/_RULES; with --json, the',
    '                       safety-policy.json file ({"enabled": true, "rules": [{"pattern", "action"}]})',
    '  --json               the policy as JSON (references/policies.json entry)',
    '  -h, --help           this help',
    '',
    'Skills: ' + skillNames().join(', '),
    'Exit codes: 0, 2 invalid usage.',
    '',
  ].join('\n')
}

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
    '  credential flags, help discovery, --user-agent written by hand',
    '',
    'Acceptance rules (guard, audit --acceptance):',
    ...(p.acceptance.length ? p.acceptance.map((r) => `  ${r.id}: ${r.text}  [${r.source}]`) : ['  none']),
    '',
  ]
  return lines.join('\n')
}

export function policyCommand(args: string[]): number {
  let values, positionals
  try {
    ;({ values, positionals } = parseArgs({ args, options: { format: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }))
  } catch (e) {
    process.stderr.write(`aliyun-harness policy: ${(e as Error).message}\nUsage: aliyun-harness ${POLICY_USAGE}\n`)
    return 2
  }
  if (values.help) {
    process.stdout.write(help())
    return 0
  }
  const [skill] = positionals
  const format = values.format ?? 'text'
  if (!skill || positionals.length > 1 || !['text', 'cli-safety'].includes(format)) {
    process.stderr.write(`aliyun-harness policy: usage: aliyun-harness ${POLICY_USAGE}\n`)
    return 2
  }
  if (!skillNames().includes(skill)) {
    process.stderr.write(`aliyun-harness policy: unknown skill '${skill}'. Skills: ${skillNames().join(', ')}\n`)
    return 2
  }
  const p = getPolicy(skill)
  if (format === 'cli-safety') process.stdout.write(values.json ? JSON.stringify(safetyPolicyFile(p), null, 2) + '\n' : formatCliSafety(p))
  else process.stdout.write(values.json ? JSON.stringify(p, null, 2) + '\n' : text(p))
  return 0
}

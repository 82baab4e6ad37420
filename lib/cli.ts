// `aliyun-harness` dispatch. Kept light: `--help` reads only references/policies.json, a skill's
// module is imported only when that skill is named, and its workflow and schemas (zod) only when
// it runs: help never loads them.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from './paths.js'

const TOOLS = {
  replay: 'replay <transcript> [--report <file>] [--allow-unused] -- <command…>   run a command with a fake aliyun serving the transcript',
  record: 'record <transcript> [--skill <name>] -- <command…>                    run a command with a shim that records every real aliyun call, scrubbed',
  audit: 'audit <transcript…> [--skill <name>] [--acceptance] [--json]          check transcripts against a skill policy (and its acceptance rules)',
  demo: 'demo [skill]                                                           replay a bundled recording with progress and tables',
  guard: 'guard --skill <name> [--record <file>] [--report <file>] [--json] -- <command…>   run an agent with the skill enforced on every aliyun call',
  policy: 'policy <skill> [--format text|cli-safety] [--json]                     a skill\'s rules (or them in the CLI\'s safety-policy syntax)',
  'export-mock': 'export-mock <transcript> [--output <file>]                          a transcript as the CLI\'s own mock file (aliyun mock)',
}

const DOCTOR = 'doctor [--skill <name>]… [--json] [--profile <name>]                  check, read-only, that the aliyun CLI here accepts every command the skills send'

function skillTitles(): [string, string][] {
  const file = JSON.parse(readFileSync(join(packageRoot(), 'references', 'policies.json'), 'utf8')) as { skills: Record<string, { title: string }> }
  return Object.entries(file.skills).map(([name, p]) => [name, p.title])
}

function usage(): string {
  const skills = skillTitles()
  const w = Math.max(...skills.map(([n]) => n.length)) + 2
  return [
    'aliyun-harness — Alibaba Cloud agent skills as workflows that cannot break their rules',
    '',
    'Usage: aliyun-harness <skill> [options]      (aliyun-harness <skill> --help for its options)',
    '',
    'Skills:',
    ...skills.map(([n, t]) => `  ${n.padEnd(w)}${t}`),
    '',
    'Tools:',
    `  ${DOCTOR}`,
    ...Object.values(TOOLS).map((t) => `  ${t}`),
    '',
    'Global options on every skill: --json, --profile <name>, --record <file>, --replay <file>, --help',
    'Exit codes: 0 completed or no-op, 1 failed or stopped, 2 invalid usage, 3 needs input, 4 blocked by policy, 5 timed out or not ready',
    '',
  ].join('\n')
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage())
    return first ? 0 : 2
  }
  if (first === '--version' || first === '-v') {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
    process.stdout.write(pkg.version + '\n')
    return 0
  }
  if (first === 'doctor') return (await import('./doctor.js')).runDoctor(rest)
  if (first in TOOLS) {
    const tools = await import('./tools.js')
    return tools.runTool(first as keyof typeof TOOLS, rest)
  }
  const skills = skillTitles().map(([n]) => n)
  if (!skills.includes(first)) {
    process.stderr.write(`aliyun-harness: unknown skill or command '${first}'. Skills: ${skills.join(', ')}. Tools: doctor, ${Object.keys(TOOLS).join(', ')}.\n`)
    return 2
  }
  const [{ runSkill }, mod] = await Promise.all([import('./skill.js'), import(`../scripts/${first}.js`)])
  return runSkill(mod.default, rest)
}

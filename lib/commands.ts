// The dispatch table: every command `aliyun-harness` knows — the skills (one per entry in
// references/policies.json), the tools and the help commands — with its summary, and a loader for
// its definition (usage, options, how it runs). Help, `help <command>`, completion and "did you
// mean" are all built from this table, so a command added here gets them with no more code.
// Kept light: listing the table reads only policies.json; a command's module (with zod, execa and
// the rest) is imported only when that command is asked for.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { OptionSpecs } from './options.js'
import { packageRoot } from './paths.js'

export interface CommandDef {
  name: string
  summary: string
  usage: string | readonly string[]
  /** What the command does, in more words than the summary: lines printed under the usage. */
  details?: readonly string[]
  /** The command's own options (help, completion, "did you mean"). */
  options: OptionSpecs
  /** Options a family of commands shares (every skill's global options), in their own help section. */
  globalOptions?: OptionSpecs
  /** Words the first argument may be (flink's sub-commands, the demos), for completion. */
  subcommands?: readonly string[]
  /** Positional arguments are file names (transcripts), for completion. */
  positionals?: 'files'
  examples?: readonly string[]
  /** The help's closing exit-code line. */
  exitCodes?: string
  run(args: readonly string[]): Promise<number>
}

export type CommandGroup = 'Skills' | 'Tools' | 'Help'

export interface CommandEntry {
  name: string
  summary: string
  group: CommandGroup
  load(): Promise<CommandDef>
}

function skillEntries(): CommandEntry[] {
  const file = JSON.parse(readFileSync(join(packageRoot(), 'references', 'policies.json'), 'utf8')) as { skills: Record<string, { title: string }> }
  return Object.entries(file.skills).map(([name, p]) => ({
    name,
    summary: p.title,
    group: 'Skills',
    async load() {
      const [{ skillCommand }, mod] = await Promise.all([import('./skill.js'), import(`../scripts/${name}.js`)])
      return skillCommand(mod.default)
    },
  }))
}

const TOOLS: CommandEntry[] = [
  { name: 'doctor', group: 'Tools', summary: 'check, read-only, that the aliyun CLI here accepts every command the skills send', load: async () => (await import('./doctor.js')).doctorCommand },
  { name: 'guard', group: 'Tools', summary: "run an agent (any command) with a skill's rules enforced on every aliyun call", load: async () => (await import('./guard/command.js')).guardCommand },
  { name: 'policy', group: 'Tools', summary: "a skill's rules (or them in the CLI's safety-policy syntax)", load: async () => (await import('./policy-command.js')).policyCommand },
  { name: 'replay', group: 'Tools', summary: 'run a command with a fake aliyun serving a transcript', load: async () => (await import('./tools.js')).replay },
  { name: 'record', group: 'Tools', summary: 'run a command and record every real aliyun call, scrubbed', load: async () => (await import('./tools.js')).record },
  { name: 'audit', group: 'Tools', summary: "check transcripts against a skill's policy (and its acceptance rules)", load: async () => (await import('./tools.js')).audit },
  { name: 'export-mock', group: 'Tools', summary: "a transcript as the CLI's own mock file (aliyun mock)", load: async () => (await import('./export-mock-command.js')).exportMockCommand },
  { name: 'demo', group: 'Tools', summary: 'replay a bundled recording with progress and tables', load: async () => (await import('./tools.js')).demo },
]

const HELP: CommandEntry[] = [
  { name: 'help', group: 'Help', summary: "this help, or a command's: help <command>", load: async () => (await import('./help-commands.js')).help },
  { name: 'version', group: 'Help', summary: 'the harness version (also --version, -V)', load: async () => (await import('./help-commands.js')).version },
  { name: 'completion', group: 'Help', summary: 'a completion script: completion bash|zsh|fish', load: async () => (await import('./help-commands.js')).completion },
]

/** Every command, in the order help lists them. */
export function commandTable(): CommandEntry[] {
  return [...skillEntries(), ...TOOLS, ...HELP]
}

export function findCommand(name: string): CommandEntry | undefined {
  return commandTable().find((c) => c.name === name)
}

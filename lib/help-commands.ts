// `help`, `version` and `completion`, and the texts they print: the top-level help (commands,
// global options, environment, every exit code) and any command's help, all from the table.

import { commandTable, findCommand, type CommandDef, type CommandEntry } from './commands.js'
import { usageExit } from './complain.js'
import { UsageError } from './errors.js'
import { commandHelp } from './help.js'
import { OUTPUT_ENV } from './io.js'
import { flagLabel, GLOBAL_OPTIONS, HELP_OPTION, parseFlags } from './options.js'
import { didYouMean } from './suggest.js'
import { wrapText } from './text-width.js'
import { HARNESS_VERSION } from './version.js'

/** Every exit code the harness and its tools use. */
export const EXIT_CODES: readonly [string, string][] = [
  ['0', 'completed, or an idempotent no-op; audit: every transcript passes'],
  ['1', 'failed, or stopped at a stop condition (flink: every error, argument errors included)'],
  ['2', 'invalid usage or input: nothing was run, no cloud call was made'],
  ['3', 'needs input: a decision, with the command line that continues each option'],
  ['4', 'blocked by policy: the command was refused before it ran'],
  ['5', 'timed out or not ready (a CLI call stopped by --cli-timeout included)'],
  ['70', 'internal error: a bug in the harness (please report it with the output)'],
  ['98', 'replay: the run and the transcript disagree (an unrecorded call, or recorded calls never made)'],
  ['126', 'replay/record: the command cannot be run (not executable)'],
  ['127', 'replay/record: the command, or the aliyun CLI to record, was not found'],
  ['129', 'interrupted by SIGHUP (the terminal closed); ai-mode is disabled first'],
  ['130', 'interrupted by SIGINT (Ctrl-C); ai-mode is disabled first'],
  ['143', 'interrupted by SIGTERM; ai-mode is disabled first'],
]

/** The environment variables a user may set. */
export const ENVIRONMENT: readonly [string, string][] = [
  ['ALIYUN_CLI', 'the aliyun binary to run (default: aliyun, found on PATH)'],
  ['ALIYUN_HARNESS_STATE_DIR', 'run state, resumable runs and the ai-mode lock (default: ~/.aliyun-harness)'],
  [OUTPUT_ENV, 'json or human: the output mode when neither --json nor --human is given (default: JSON unless stdout is a terminal)'],
  ['ALIYUN_HARNESS_AI_MODE_LOCK_WAIT_MS', "how long a run waits for another run's ai-mode lock (default: 120000)"],
  ['NO_COLOR', 'no colours'],
  ['TERM=dumb', 'no escape codes: progress as plain lines'],
]

/** Name/description rows that fit 80 columns: a long name puts its description on the next line. */
function rows(pairs: readonly (readonly [string, string])[], indent = '  ', width = Math.min(Math.max(...pairs.map(([k]) => k.length)) + 2, 27)): string[] {
  return pairs.flatMap(([k, v]) => {
    const text = wrapText(v, 80 - indent.length - width).map((l) => `${indent}${''.padEnd(width)}${l}`)
    if (k.length + 2 > width) return [`${indent}${k}`, ...text]
    return [`${indent}${k.padEnd(width)}${text[0].trimStart()}`, ...text.slice(1)]
  })
}

export function topHelp(): string {
  const table = commandTable()
  const width = Math.max(...table.map((c) => c.name.length)) + 2
  const group = (g: CommandEntry['group']) => rows(table.filter((c) => c.group === g).map((c) => [c.name, c.summary] as const), '  ', width)
  const globals = Object.entries(GLOBAL_OPTIONS).map(([n, s]) => flagLabel(n, s))
  return [
    ...wrapText(`aliyun-harness ${HARNESS_VERSION} — Alibaba Cloud agent skills as workflows that cannot break their rules`, 80),
    '',
    'Usage: aliyun-harness <skill> [options]',
    '       aliyun-harness <tool> [arguments]',
    '       aliyun-harness help <command>      (or: aliyun-harness <command> --help)',
    '',
    'Skills:',
    ...group('Skills'),
    '',
    'Tools:',
    ...group('Tools'),
    '',
    'Help:',
    ...group('Help'),
    '',
    'Options of every skill:',
    ...wrapText(globals.join(', '), 78).map((l) => `  ${l}`),
    '',
    'Environment:',
    ...rows(ENVIRONMENT),
    '',
    'Exit codes:',
    ...rows(EXIT_CODES),
    '',
  ].join('\n')
}

/** The entry for `name`, or a UsageError naming the closest command. */
export function commandNamed(name: string): CommandEntry {
  const found = findCommand(name)
  if (found) return found
  const names = commandTable().map((c) => c.name)
  throw new UsageError(`unknown command '${name}'.${didYouMean(name, names)} Run \`aliyun-harness --help\` for the list.`)
}

/** A usage error of `help`, `version` or `completion`, named like every other command's. */
const failUsage = (command: string, e: unknown): number => usageExit(`aliyun-harness ${command}`, e)

export const help: CommandDef = {
  name: 'help',
  summary: "Show the list of commands, or one command's usage and options.",
  usage: 'aliyun-harness help [command]',
  options: { ...HELP_OPTION },
  examples: ['aliyun-harness help', 'aliyun-harness help ecs-dr'],
  async run(args) {
    try {
      const { positionals } = parseFlags(help.options, args, { positionals: true, command: 'help' })
      if (positionals.length > 1) throw new UsageError(`usage: ${help.usage}`)
      if (positionals.length === 0) {
        process.stdout.write(topHelp())
        return 0
      }
      process.stdout.write(commandHelp(await commandNamed(positionals[0]).load()))
      return 0
    } catch (e) {
      return failUsage('help', e)
    }
  },
}

export const version: CommandDef = {
  name: 'version',
  summary: 'Print the harness version.',
  usage: 'aliyun-harness version   (or: aliyun-harness --version, -V)',
  options: { ...HELP_OPTION },
  async run(args) {
    try {
      parseFlags(version.options, args, { command: 'version' })
    } catch (e) {
      return failUsage('version', e)
    }
    process.stdout.write(`${HARNESS_VERSION}\n`)
    return 0
  },
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const

export const completion: CommandDef = {
  name: 'completion',
  summary: 'Print a shell completion script for the commands, skills and their options.',
  usage: 'aliyun-harness completion <bash|zsh|fish>',
  options: { ...HELP_OPTION },
  subcommands: SHELLS,
  examples: [
    'source <(aliyun-harness completion bash)   # bash, or add it to ~/.bashrc',
    'aliyun-harness completion zsh > "${fpath[1]}/_aliyun-harness"   # zsh',
    'aliyun-harness completion fish > ~/.config/fish/completions/aliyun-harness.fish',
  ],
  async run(args) {
    let shell: (typeof SHELLS)[number]
    try {
      const { positionals } = parseFlags(completion.options, args, { positionals: true, command: 'completion' })
      const [name] = positionals
      if (positionals.length !== 1) throw new UsageError(`usage: ${completion.usage}`)
      if (!(SHELLS as readonly string[]).includes(name)) throw new UsageError(`no completion for the shell '${name}'.${didYouMean(name, SHELLS)} Shells: ${SHELLS.join(', ')}.`)
      shell = name as (typeof SHELLS)[number]
    } catch (e) {
      return failUsage('completion', e)
    }
    const { completionScript } = await import('./completion.js')
    const table = commandTable()
    const defs = await Promise.all(table.map((c) => c.load()))
    process.stdout.write(completionScript(shell, defs))
    return 0
  },
}

// `aliyun-harness` dispatch through the one command table (lib/commands.ts). Every command gets
// `-h`/`--help`, `help <command>`, completion and "did you mean" from its entry. Kept light: the
// top-level help reads only references/policies.json; a command's module is imported only when
// that command runs or its help is asked for.

import { commandNamed, help, topHelp, version } from './help-commands.js'
import { commandHelp } from './help.js'
import { usageExit } from './complain.js'
import { UsageError } from './errors.js'
import { didYouMean } from './suggest.js'

/** `-h`/`--help` among a command's own arguments (not after `--`, where another command line starts). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--')
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help')
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined) {
    process.stdout.write(topHelp())
    return 0
  }
  if (first === '-h' || first === '--help') return help.run(rest)
  if (first === '--version' || first === '-V' || first === '-v') return version.run(rest)
  if (first.startsWith('-')) return usageExit('aliyun-harness', new UsageError(`unknown option '${first}' before a command.${didYouMean(first, ['--help', '--version'])} Usage: aliyun-harness <command> [options]; run \`aliyun-harness --help\` for the commands.`))
  let entry
  try {
    entry = commandNamed(first)
  } catch (e) {
    return usageExit('aliyun-harness', e)
  }
  const def = await entry.load()
  if (asksForHelp(rest)) {
    process.stdout.write(commandHelp(def))
    return 0
  }
  return def.run(rest)
}

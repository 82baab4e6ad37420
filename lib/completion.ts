// Completion scripts for bash, zsh and fish, generated from the dispatch table: every command,
// every option of each (skills with their global options), the values of options with choices,
// file names where an option or argument takes a file, and sub-commands (flink's, the demos).

import type { CommandDef } from './commands.js'
import type { OptionSpec, OptionSpecs } from './options.js'

interface Flag {
  names: string[]
  spec: OptionSpec
}

function flagsOf(def: CommandDef): Flag[] {
  const all: OptionSpecs = { ...(def.globalOptions ?? {}), ...def.options }
  return Object.entries(all).map(([name, spec]) => ({ names: [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])], spec }))
}

const takesFile = (s: OptionSpec) => s.type !== 'boolean' && /^(file|dir)$/.test(s.valueName ?? '')

/** A full stop that ends a sentence: not the one of an abbreviation ("e.g. cn-beijing"). */
const SENTENCE_END = /(?<!\b(?:e\.g|i\.e|etc|vs|cf)\.)(?<=\.)\s/

/** The first sentence of a description, short enough for a completion menu. */
function brief(text: string): string {
  const first = text.split(SENTENCE_END)[0].replace(/\.$/, '')
  return first.length > 70 ? `${first.slice(0, 69)}…` : first
}

function bash(defs: readonly CommandDef[]): string {
  const cases = defs.map((d) => {
    const flags = flagsOf(d)
    const files = flags.filter((f) => takesFile(f.spec)).flatMap((f) => f.names)
    const choices = flags.filter((f) => f.spec.choices)
    const valued = flags.filter((f) => f.spec.type !== 'boolean' && !takesFile(f.spec) && !f.spec.choices).flatMap((f) => f.names)
    return [
      `    ${d.name})`,
      ...(files.length ? [`      case "$prev" in ${files.join('|')}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;; esac`] : []),
      ...choices.map((f) => `      case "$prev" in ${f.names.join('|')}) COMPREPLY=( $(compgen -W "${f.spec.choices!.join(' ')}" -- "$cur") ); return ;; esac`),
      ...(valued.length ? [`      case "$prev" in ${valued.join('|')}) return ;; esac`] : []),
      `      flags="${flags.flatMap((f) => f.names).join(' ')}"`,
      `      subs="${(d.subcommands ?? []).join(' ')}"`,
      `      files=${d.positionals === 'files' ? 1 : 0}`,
      '      ;;',
    ].join('\n')
  })
  return `# aliyun-harness completion for bash. Load it with: source <(aliyun-harness completion bash)
_aliyun_harness() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" flags="" subs="" files=0 i
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${defs.map((d) => d.name).join(' ')} --help --version" -- "$cur") )
    return
  fi
  # After a bare --, the rest is another command line (replay, record): complete file names.
  for (( i = 2; i < COMP_CWORD; i++ )); do
    if [[ "\${COMP_WORDS[i]}" == "--" ]]; then COMPREPLY=( $(compgen -f -- "$cur") ); return; fi
  done
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
    *) return ;;
  esac
  # A sub-command already given: only flags are left to complete.
  for (( i = 2; i < COMP_CWORD; i++ )); do
    if [[ -n "$subs" && " $subs " == *" \${COMP_WORDS[i]} "* ]]; then subs=""; fi
  done
  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
  elif [[ -n "$subs" ]]; then COMPREPLY=( $(compgen -W "$subs" -- "$cur") )
  elif [[ $files -eq 1 ]]; then COMPREPLY=( $(compgen -f -- "$cur") )
  else COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
  fi
}
complete -o default -F _aliyun_harness aliyun-harness
`
}

/** A zsh `_arguments` spec part: brackets, colons and backslashes escaped; single-quoted safely. */
function zshText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1').replace(/'/g, `'\\''`)
}

function zshSpec(f: Flag): string[] {
  const help = zshText(brief(f.spec.description))
  const repeat = f.spec.type === 'strings' ? '*' : ''
  const value = f.spec.type === 'boolean' ? '' : takesFile(f.spec) ? `:${f.spec.valueName}:${f.spec.valueName === 'dir' ? '_files -/' : '_files'}` : f.spec.choices ? `:value:(${f.spec.choices.join(' ')})` : `:${zshText(f.spec.valueName ?? 'value')}: `
  return f.names.map((n) => `'${repeat}${n}[${help}]${value}'`)
}

function zsh(defs: readonly CommandDef[]): string {
  const described = defs.map((d) => `    '${zshText(d.name)}:${zshText(brief(d.summary))}'`).join('\n')
  const cases = defs.map((d) => {
    const specs = flagsOf(d).flatMap(zshSpec)
    const rest = d.subcommands?.length ? `'1:command:(${d.subcommands.join(' ')})'` : d.positionals === 'files' ? `'*:file:_files'` : ''
    return `    ${d.name}) _arguments -s ${[...specs, rest].filter(Boolean).join(' ')} ;;`
  })
  return `#compdef aliyun-harness
# aliyun-harness completion for zsh. Put it on $fpath as _aliyun-harness, or: source <(aliyun-harness completion zsh)
_aliyun_harness() {
  local -a commands
  commands=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local cmd=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $cmd in
${cases.join('\n')}
  esac
}
compdef _aliyun_harness aliyun-harness
`
}

function fishText(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

function fish(defs: readonly CommandDef[]): string {
  const lines = ['# aliyun-harness completion for fish. Save it as ~/.config/fish/completions/aliyun-harness.fish', 'complete -c aliyun-harness -f']
  for (const d of defs) lines.push(`complete -c aliyun-harness -n __fish_use_subcommand -a ${fishText(d.name)} -d ${fishText(brief(d.summary))}`)
  for (const d of defs) {
    const when = `-n ${fishText(`__fish_seen_subcommand_from ${d.name}`)}`
    if (d.subcommands?.length) lines.push(`complete -c aliyun-harness ${when} -a ${fishText(d.subcommands.join(' '))}`)
    if (d.positionals === 'files') lines.push(`complete -c aliyun-harness ${when} -F`)
    for (const f of flagsOf(d)) {
      const [long, short] = f.names
      const names = `-l ${long.slice(2)}${short ? ` -s ${short.slice(1)}` : ''}`
      const value = f.spec.type === 'boolean' ? '' : takesFile(f.spec) ? ' -r -F' : f.spec.choices ? ` -x -a ${fishText(f.spec.choices.join(' '))}` : ' -x'
      lines.push(`complete -c aliyun-harness ${when} ${names}${value} -d ${fishText(brief(f.spec.description))}`)
    }
  }
  return lines.join('\n') + '\n'
}

export function completionScript(shell: 'bash' | 'zsh' | 'fish', defs: readonly CommandDef[]): string {
  return shell === 'bash' ? bash(defs) : shell === 'zsh' ? zsh(defs) : fish(defs)
}

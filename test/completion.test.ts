// The zsh and fish completion scripts loaded into the real shells and asked for completions, as a
// user's shell does on Tab (bash is run for real in cli.test.ts). zsh completes only inside its line
// editor, so a small driver types each line into an interactive zsh on a pseudo-terminal (zpty) and
// prints the matches compadd receives. A shell that is not installed is reported as skipped.

import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBin, tempDir } from './support/run.js'

const present = (shell: string) => spawnSync(shell, ['--version'], { stdio: 'ignore' }).status === 0

async function scriptFile(shell: 'zsh' | 'fish', dir: string): Promise<string> {
  const res = await runBin(['completion', shell])
  expect(res.code, res.stderr).toBe(0)
  const file = join(dir, `aliyun-harness.${shell}`)
  writeFileSync(file, res.stdout)
  return file
}

/** Loaded into `zsh -i` after compinit: every match compadd adds is printed, then `<done>`. */
const ZSH_SETUP = `PROMPT=
autoload -U compinit && compinit -u -D
source "$ALIYUN_HARNESS_COMPLETION"
bindkey '^I' complete-word
zstyle ':completion:*' insert-tab false
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd "$@"; return $?; fi
  local -a __hits
  builtin compadd -A __hits "$@"
  (( $#__hits )) && print -rl -- "<match>"\${^__hits}
}
__done() { print -r -- '<done>'; comppostfuncs=(__done) }
comppostfuncs=(__done)
print -r -- '<ready>'
`

/** Types each line (argument 2…) followed by Tab into the interactive zsh; prints its matches, then `<end>`. */
const ZSH_DRIVER = `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "source \${(q)1}"
local line
while zpty -r z line; do [[ $line == *'<ready>'* ]] && break; done
for query in "\${@[2,-1]}"; do
  zpty -w -n z $'\\x15'"$query"$'\\t'
  while zpty -r z line; do
    line=\${\${line//$'\\r'/}//$'\\n'/}
    [[ $line == *'<done>'* ]] && break
    [[ $line == *'<match>'* ]] && print -r -- "\${line#*<match>}"
  done
  print -r -- '<end>'
done
`

/** The candidates of each line (`<end>`-separated output), sorted. */
function perLine(stdout: string, count: number): string[][] {
  const groups = stdout.split('<end>\n').slice(0, count)
  expect(groups).toHaveLength(count)
  return groups.map((g) => g.split('\n').filter(Boolean).sort())
}

describe('completion in the real shells', () => {
  const cases: [string, string[]][] = [
    ['aliyun-harness ecs-d', ['ecs-dr']],
    ['aliyun-harness re', ['record', 'replay']],
    ['aliyun-harness ecs-dr --reg', ['--region']],
    ['aliyun-harness ecs-dr --on-image-timeout ', ['abort', 'console', 'wait']],
    ['aliyun-harness flink describe_n', ['describe_namespaces']],
    ['aliyun-harness flink describe --region_', ['--region_id']],
    ['aliyun-harness replay --rep', ['--report']],
    ['aliyun-harness completion ', ['bash', 'fish', 'zsh']],
    ['aliyun-harness demo ea', ['eas-deploy']],
  ]

  it.skipIf(!present('zsh'))('zsh: commands, flags, choices and sub-commands complete on Tab', async () => {
    const dir = tempDir('zsh-completion-')
    const script = await scriptFile('zsh', dir)
    writeFileSync(join(dir, 'setup.zsh'), ZSH_SETUP)
    writeFileSync(join(dir, 'driver.zsh'), ZSH_DRIVER)
    const res = spawnSync('zsh', ['-f', join(dir, 'driver.zsh'), join(dir, 'setup.zsh'), ...cases.map(([line]) => line)], {
      env: { PATH: process.env.PATH, HOME: dir, TERM: 'dumb', ALIYUN_HARNESS_COMPLETION: script },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(res.status, res.stderr).toBe(0)
    expect(perLine(res.stdout, cases.length)).toEqual(cases.map(([, want]) => want))
  })

  it.skipIf(!present('fish'))('fish: commands, flags, choices and sub-commands complete, each flag with its first sentence', async () => {
    const dir = tempDir('fish-completion-')
    const script = await scriptFile('fish', dir)
    const res = spawnSync('fish', ['--no-config', '-c', 'source $argv[1]; for line in $argv[2..-1]; complete -C "$line"; echo "<end>"; end', script, ...cases.map(([line]) => line), 'aliyun-harness flink describe --res'], {
      env: { PATH: process.env.PATH, HOME: dir },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(res.status, res.stderr).toBe(0)
    const groups = perLine(res.stdout, cases.length + 1)
    expect(groups.slice(0, -1).map((g) => g.map((c) => c.split('\t')[0]))).toEqual(cases.map(([, want]) => want))
    // A description is its first sentence: "e.g." does not end it.
    expect(groups.at(-1)).toEqual(['--resource_ids\tComma-separated resource ids (list_tags)', '--resource_type\tTag resource type, e.g. vvpinstance (list_tags)'])
  })
})

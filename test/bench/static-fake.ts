// The bench's `aliyun`: test/bench/static-fake.c compiled with the machine's C compiler, or the
// same file-lookup rule as a /bin/sh script when there is none. Answers are files written up
// front, so every call costs the same and nothing of the harness runs inside the fake.

import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../../lib/paths.js'

export interface StaticFake {
  cli: string
  env: NodeJS.ProcessEnv
  /** 'c' (compiled) or 'sh' (no compiler on this machine: each call also pays for sh and cat). */
  kind: 'c' | 'sh'
  answer(argv: readonly string[], stdout: string): void
  /** Removes the fake and its answers (a scale run's pages are hundreds of MB). */
  remove(): void
}

const SHELL_FAKE = `#!/bin/sh
# The file-lookup rule of test/bench/static-fake.c, for machines without a C compiler.
key=""; suffix=""; words=1
while [ $# -gt 0 ]; do
  case "$1" in
    --next-token|--page-number) suffix="$suffix.$2"; words=0; shift 2; continue ;;
    -*) words=0 ;;
    *) [ "$words" = 1 ] && key="\${key:+$key.}$1" ;;
  esac
  shift
done
[ -f "$FAKE_DIR/$key$suffix" ] || { echo "ERROR: static fake has no answer $FAKE_DIR/$key$suffix" >&2; exit 1; }
exec cat "$FAKE_DIR/$key$suffix"
`

/** The answer file's name for one call (the rule both fakes apply). */
export function answerKey(argv: readonly string[]): string {
  let i = 0
  const words: string[] = []
  for (; i < argv.length && !argv[i].startsWith('-'); i++) words.push(argv[i])
  const suffix: string[] = []
  for (; i + 1 < argv.length; i++) if (argv[i] === '--next-token' || argv[i] === '--page-number') suffix.push(argv[i + 1])
  return [...words, ...suffix].join('.')
}

function compile(source: string, out: string): boolean {
  for (const cc of ['cc', 'gcc', 'clang']) {
    const r = spawnSync(cc, ['-O2', '-o', out, source], { stdio: 'ignore' })
    if (r.status === 0) return true
  }
  return false
}

export function makeStaticFake(): StaticFake {
  const dir = mkdtempSync(join(tmpdir(), 'harness-bench-'))
  const answers = join(dir, 'answers')
  mkdirSync(answers)
  const cli = join(dir, 'aliyun')
  let kind: StaticFake['kind'] = 'c'
  if (!compile(join(packageRoot(), 'test', 'bench', 'static-fake.c'), cli)) {
    kind = 'sh'
    writeFileSync(cli, SHELL_FAKE)
    chmodSync(cli, 0o755)
  }
  return {
    cli,
    kind,
    env: { FAKE_DIR: answers },
    answer: (argv, stdout) => writeFileSync(join(answers, answerKey(argv)), stdout),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

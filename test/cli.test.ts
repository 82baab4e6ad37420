// The command surface as a new user meets it, process-level: help on every command of the table
// (whatever is added to it), version, "did you mean", completion scripts, and the output mode.

import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { commandTable } from '../lib/commands.js'
import { packageRoot } from '../lib/paths.js'
import { getPolicy } from '../lib/policy.js'
import { BIN, cleanEnv, runBin, tempDir } from './support/run.js'

const COMMANDS = commandTable().map((c) => c.name)
const VERSION = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version
const NO_STACK = /^\s+at .+:\d+:\d+\)?$/m

describe('help', () => {
  it('with no arguments prints the top-level help and exits 0', async () => {
    const res = await runBin([])
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^aliyun-harness \d+\.\d+\.\d+ — /)
    for (const name of COMMANDS) expect(res.stdout).toMatch(new RegExp(`^  ${name} `, 'm'))
    expect(res.stderr).toBe('')
  })

  it('lists the environment variables and every exit code in use', async () => {
    const res = await runBin(['--help'])
    expect(res.code).toBe(0)
    const env = res.stdout.slice(res.stdout.indexOf('Environment:'))
    for (const name of ['ALIYUN_CLI', 'ALIYUN_HARNESS_STATE_DIR', 'ALIYUN_HARNESS_OUTPUT']) expect(env).toMatch(new RegExp(`^  ${name} `, 'm'))
    const codes = res.stdout.slice(res.stdout.indexOf('Exit codes:'))
    for (const code of [0, 1, 2, 3, 4, 5, 70, 98, 126, 127, 129, 130, 143]) expect(codes).toMatch(new RegExp(`^  ${code} +\\S`, 'm'))
  })

  it.each(COMMANDS)('%s -h prints its help, exit 0, and runs nothing', async (name) => {
    const res = await runBin([name, '-h'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toBe('')
    expect(res.stdout).toMatch(new RegExp(`^aliyun-harness ${name} — `))
    expect(res.stdout).toMatch(/^Usage: aliyun-harness /m)
    expect(res.stdout).toMatch(/^  -h, --help +Show this help\.$/m)
  })

  // The three forms go through one dispatcher: a skill and a tool stand for every command.
  it.each(['ecs-dr', 'replay'])('%s: -h, --help and `help <command>` print the same help', async (name) => {
    const [short, long, viaHelp] = await Promise.all([runBin([name, '-h']), runBin([name, '--help']), runBin(['help', name])])
    for (const res of [long, viaHelp]) expect(res.code, res.stderr).toBe(0)
    expect(long.stdout).toBe(short.stdout)
    expect(viaHelp.stdout).toBe(short.stdout)
  })

  it('--help wins over missing arguments (replay has no transcript, a skill no required flags)', async () => {
    for (const args of [['replay', '--help'], ['record', '-h'], ['ecs-dr', '--help'], ['flink', 'describe', '-h'], ['demo', '--help'], ['audit', '-h']]) {
      const res = await runBin(args)
      expect(res.code, args.join(' ')).toBe(0)
      expect(res.stdout).toMatch(new RegExp(`^aliyun-harness ${args[0]} — `))
    }
  })

  it('--help after `--` belongs to the replayed command, not to replay', async () => {
    const dir = tempDir()
    const res = await runBin(['replay', join(packageRoot(), 'recordings/ecs-dr/happy-path.json'), '--allow-unused', '--', 'aliyun-harness', 'ecs-dr', '--help'], { dir })
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^aliyun-harness ecs-dr — /)
  })

  it('an empty default is not shown as "Default: ."', async () => {
    const res = await runBin(['ack-profile', '--help'])
    expect(res.stdout).toMatch(/--description <text>/)
    expect(res.stdout).not.toMatch(/Default: \./)
    expect(res.stdout).toMatch(/--cli-timeout <seconds>[\s\S]*?Default: 120\./)
  })

  it('help of an unknown command suggests the closest one (exit 2)', async () => {
    const res = await runBin(['help', 'ecs-dx'])
    expect(res.code).toBe(2)
    expect(res.stderr).toBe("aliyun-harness help: unknown command 'ecs-dx'. Did you mean ecs-dr? Run `aliyun-harness --help` for the list.\n")
  })
})

describe('version', () => {
  it.each([['--version'], ['-V'], ['version']])('%s prints the package version', async (arg) => {
    const res = await runBin([arg])
    expect(res.code).toBe(0)
    expect(res.stdout).toBe(`${VERSION}\n`)
  })
})

describe('did you mean', () => {
  it('an unknown skill names the closest command', async () => {
    const res = await runBin(['ecs-deploy'])
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/^aliyun-harness: unknown command 'ecs-deploy'\. Did you mean eas-deploy\?/)
    expect(res.stderr).not.toMatch(NO_STACK)
  })

  it('a mistyped skill flag: exit 2, no CLI call, the closest flag in next_action', async () => {
    const res = await runBin(['ecs-dr', '--regon', 'cn-hangzhou', '--instance-id', 'i-bp1abc'])
    expect(res.code).toBe(2)
    expect(res.json.error).toEqual({ code: 'InvalidUsage', message: "Unknown option '--regon'." })
    expect(res.json.next_action).toBe('Did you mean --region? See `aliyun-harness ecs-dr --help` for every option.')
    expect(res.json.steps).toEqual([])
  })

  it("flink keeps argparse's wording in its envelope and adds the suggestion as next_action", async () => {
    const res = await runBin(['flink', 'describe', '--region-id', 'cn-beijing'])
    expect(res.code).toBe(1)
    expect(res.json.error).toMatchObject({ code: 'ValueError', message: 'unrecognized arguments: --region-id' })
    expect(res.json.next_action).toMatch(/^Did you mean --region_id\?/)
  })

  it('a mistyped tool flag and a tool value name the closest ones', async () => {
    const flag = await runBin(['replay', 't.json', '--reprot', 'r.json', '--', 'true'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/^aliyun-harness replay: Unknown option '--reprot'\. Did you mean --report\?/)
    const demo = await runBin(['demo', 'ecs-rd'])
    expect(demo.code).toBe(2)
    expect(demo.stderr).toMatch(/no demo for 'ecs-rd'\. Did you mean ecs-dr\?/)
    const shell = await runBin(['completion', 'zhs'])
    expect(shell.code).toBe(2)
    expect(shell.stderr).toMatch(/Did you mean zsh\?/)
  })

  it('a flag before any command says where it goes', async () => {
    const res = await runBin(['--verison'])
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/unknown option '--verison' before a command\. Did you mean --version\?/)
  })
})

describe('completion', () => {
  /** What bash completes for a command line ending in `words` (the last one being typed). */
  function bashComplete(script: string, words: string[]): string[] {
    const dir = tempDir()
    const file = join(dir, 'completion.bash')
    writeFileSync(file, script)
    const line = words.map((w) => `'${w}'`).join(' ')
    const res = spawnSync('bash', ['-c', `source ${file}; COMP_WORDS=(aliyun-harness ${line}); COMP_CWORD=${words.length}; _aliyun_harness; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8', cwd: dir })
    expect(res.stderr).toBe('')
    return res.stdout.split('\n').filter(Boolean).sort()
  }

  it('bash: commands, each skill and tool flag, choices and sub-commands', async () => {
    const res = await runBin(['completion', 'bash'])
    expect(res.code).toBe(0)
    const script = res.stdout
    expect(bashComplete(script, ['ecs-d'])).toEqual(['ecs-dr'])
    expect(bashComplete(script, ['re'])).toEqual(['record', 'replay'])
    expect(bashComplete(script, ['ecs-dr', '--reg'])).toEqual(['--region'])
    expect(bashComplete(script, ['ecs-dr', '--cli'])).toEqual(['--cli-timeout'])
    expect(bashComplete(script, ['ecs-dr', '--on-image-timeout', ''])).toEqual(['abort', 'console', 'wait'])
    expect(bashComplete(script, ['flink', 'describe_n'])).toEqual(['describe_namespaces'])
    expect(bashComplete(script, ['flink', 'describe', '--region_'])).toEqual(['--region_id'])
    expect(bashComplete(script, ['replay', '--rep'])).toEqual(['--report'])
    expect(bashComplete(script, ['completion', ''])).toEqual(['bash', 'fish', 'zsh'])
    expect(bashComplete(script, ['flink', 'describe', ''])).toContain('--region_id')
    expect(bashComplete(script, ['ecs-dr', ''])).toContain('--instance-id')
    expect(bashComplete(script, ['demo', 'ea'])).toEqual(['eas-deploy'])
  })

  it('zsh and fish: every command and every flag of every command, from the same table', async () => {
    const [zsh, fish] = await Promise.all([runBin(['completion', 'zsh']), runBin(['completion', 'fish'])])
    expect(zsh.code).toBe(0)
    expect(fish.code).toBe(0)
    expect(zsh.stdout).toMatch(/^#compdef aliyun-harness\n/)
    for (const name of COMMANDS) {
      expect(zsh.stdout).toMatch(new RegExp(`^    '${name}:`, 'm'))
      expect(zsh.stdout).toMatch(new RegExp(`^    ${name}\\) _arguments `, 'm'))
      expect(fish.stdout).toContain(`-n __fish_use_subcommand -a '${name}'`)
    }
    expect(zsh.stdout).toContain(`'--on-image-timeout[What to do when the image is still Creating after 5 minutes\\: keep wai…]:value:(wait console abort)'`)
    expect(fish.stdout).toContain(`complete -c aliyun-harness -n '__fish_seen_subcommand_from ecs-review' -l format -x -a 'md json csv'`)
    expect(fish.stdout).toContain(`complete -c aliyun-harness -n '__fish_seen_subcommand_from replay' -l report -r -F`)
  })

  it('a missing shell is a usage error', async () => {
    const res = await runBin(['completion'])
    expect(res.code).toBe(2)
    expect(res.stderr).toBe('aliyun-harness completion: usage: aliyun-harness completion <bash|zsh|fish>\n')
  })
})

describe('output mode: the same rule for skills and tools', () => {
  const transcript = join(packageRoot(), 'recordings/ecs-dr/happy-path.json')

  it('audit prints JSON into a pipe, text with --human or ALIYUN_HARNESS_OUTPUT=human', async () => {
    const piped = await runBin(['audit', transcript])
    expect(piped.code).toBe(0)
    expect(piped.json).toEqual({ ok: true, results: [{ transcript, skill: 'ecs-dr', violations: [] }] })
    const human = await runBin(['audit', transcript, '--human'])
    expect(human.stdout).toBe(`ok   ${transcript}\n1 passed, 0 failed\n`)
    const byEnv = await runBin(['audit', transcript], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(byEnv.stdout).toBe(human.stdout)
  })

  it('a skill prints people-readable text into a pipe with --human (e.g. `| less`)', async () => {
    const res = await runBin(['ecs-review', '--region', 'cn-hangzhou', '--replay', join(packageRoot(), 'recordings/ecs-review/healthy-fleet.json'), '--human'])
    expect(res.code).toBe(0)
    expect(res.json).toBeUndefined()
    expect(res.stdout).toMatch(/^✔ ecs-review: completed$/m)
  })

  it('policy prints JSON into a pipe, text with --human or ALIYUN_HARNESS_OUTPUT=human', async () => {
    const piped = await runBin(['policy', 'ecs-dr'])
    expect(piped.code).toBe(0)
    expect(piped.json).toEqual(getPolicy('ecs-dr'))
    const human = await runBin(['policy', 'ecs-dr', '--human'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^ecs-dr — ECS cross-zone disaster recovery/)
    const byEnv = await runBin(['policy', 'ecs-dr'], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(byEnv.stdout).toBe(human.stdout)
    const both = await runBin(['policy', 'ecs-dr', '--json', '--human'])
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/--json and --human cannot be used together/)
  })

  it('demo is for people even in a pipe, and its help says so; --json shows what an agent gets', async () => {
    const help = await runBin(['demo', '--help'])
    expect(help.stdout).toMatch(/--human +Print for people: tables and text\. The default for a demo, even\n +when stdout is a pipe or a file\./)
    expect(help.stdout).not.toMatch(/the default when stdout is not a terminal/)
    const piped = await runBin(['demo', 'ecs-review'])
    expect(piped.code).toBe(0)
    expect(piped.json).toBeUndefined()
    expect(piped.stdout).toMatch(/^✔ ecs-review: completed$/m)
    const json = await runBin(['demo', 'ecs-review', '--json'])
    expect(json.code).toBe(0)
    expect(json.json).toMatchObject({ skill: 'ecs-review', status: 'completed' })
    const badEnv = await runBin(['demo', 'ecs-review'], { env: { ALIYUN_HARNESS_OUTPUT: 'yaml' } })
    expect(badEnv.code).toBe(2)
    expect(badEnv.stderr).toMatch(/^aliyun-harness demo: ALIYUN_HARNESS_OUTPUT must be json or human; got 'yaml'\./)
  })

  it('--json and --human together, or an unknown ALIYUN_HARNESS_OUTPUT, are usage errors', async () => {
    const both = await runBin(['ecs-review', '--region', 'cn-hangzhou', '--json', '--human'])
    expect(both.code).toBe(2)
    expect(both.json.error.message).toBe('--json and --human cannot be used together; pass one of them.')
    const env = await runBin(['ecs-review', '--region', 'cn-hangzhou'], { env: { ALIYUN_HARNESS_OUTPUT: 'yaml' } })
    expect(env.code).toBe(2)
    expect(env.json.error.message).toBe("ALIYUN_HARNESS_OUTPUT must be json or human; got 'yaml'.")
    const tool = await runBin(['audit', transcript], { env: { ALIYUN_HARNESS_OUTPUT: 'yaml' } })
    expect(tool.code).toBe(2)
    expect(tool.stderr).toMatch(/ALIYUN_HARNESS_OUTPUT must be json or human/)
  })
})

describe('a reader that stops early (`| head`)', () => {
  it('closes the pipe without an EPIPE crash: the run ends as it would have, exit 0', async () => {
    const dir = tempDir()
    const child = spawn(process.execPath, [BIN, 'demo'], { env: cleanEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    // Read the first chunk, then go away like `head -1`.
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(stderr).not.toMatch(/EPIPE|internal error/)
    expect(code).toBe(0)
  })
})

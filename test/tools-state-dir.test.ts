// A state directory that cannot be used — ALIYUN_HARNESS_STATE_DIR or `replay --state-dir` naming a
// file, or a path under one — is bad input, as processes see it: exit 2 with a message naming the
// variable or flag, no CLI call, no stack trace; and the replay tool always exits.

import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEMOS } from '../lib/demo.js'
import { packageRoot } from '../lib/paths.js'
import { runBin, runNode, tempDir } from './support/run.js'

const NO_STACK = /^\s+at .+:\d+:\d+\)?$/m

/** A directory with a plain file in it (the unusable state directory) and a fake CLI that leaves a mark when called. */
function setup() {
  const dir = tempDir()
  const file = join(dir, 'not-a-dir')
  writeFileSync(file, 'a file\n')
  mkdirSync(join(dir, 'bin'))
  const cli = join(dir, 'bin', 'aliyun')
  const mark = join(dir, 'called')
  writeFileSync(cli, `#!/bin/sh\necho "$@" >> '${mark}'\nexit 1\n`)
  chmodSync(cli, 0o755)
  return { dir, file, cli, mark }
}

describe('ALIYUN_HARNESS_STATE_DIR that is not a directory', () => {
  it.each([
    ['ecs-dr', 'is a file'],
    ['ack-profile', 'is a file'],
    ['ecs-dr', 'is under a file'],
  ])('%s: exit 2, InvalidEnvironment naming the variable, no CLI call (the path %s)', async (skill, how) => {
    const { dir, file, cli, mark } = setup()
    const state = how === 'is a file' ? file : join(file, 'state')
    const res = await runBin([skill, ...DEMOS[skill].args], { dir, env: { ALIYUN_CLI: cli, ALIYUN_HARNESS_STATE_DIR: state } })
    expect(res.code, res.stderr).toBe(2)
    expect(res.json.status).toBe('failed')
    expect(res.json.error).toEqual({ code: 'InvalidEnvironment', message: `ALIYUN_HARNESS_STATE_DIR ${state}: ${file} is a file, not a directory; point it at a directory (a missing one is created).` })
    expect(res.json.steps).toEqual([])
    expect(existsSync(mark)).toBe(false)
    expect(res.stderr).not.toMatch(NO_STACK)
  })
})

describe('a skill that keeps no state', () => {
  it.each(['ecs-review', 'flink'])('%s does not depend on the state directory: it runs (and reaches the CLI) even when that cannot be used', async (skill) => {
    const { dir, file, cli, mark } = setup()
    const res = await runBin([skill, ...DEMOS[skill].args], { dir, env: { ALIYUN_CLI: cli, ALIYUN_HARNESS_STATE_DIR: file } })
    // The fake CLI fails every call; what matters is that the run got that far.
    expect(existsSync(mark)).toBe(true)
    expect(res.stdout + res.stderr).not.toMatch(/ALIYUN_HARNESS_STATE_DIR|InvalidEnvironment/)
    expect(res.stderr).not.toMatch(NO_STACK)
  })
})

describe('guard with an unusable ALIYUN_HARNESS_STATE_DIR', () => {
  it('an ai-mode skill (its lock lives there): exit 2 naming the variable, before ai-mode and before the command', async () => {
    const { dir, file, cli, mark } = setup()
    const ran = join(dir, 'ran')
    const res = await runBin(['guard', '--skill', 'ack-profile', '--', 'sh', '-c', `echo ran > '${ran}'`], { dir, env: { ALIYUN_CLI: cli, ALIYUN_HARNESS_STATE_DIR: file } })
    expect(res.code, res.stderr).toBe(2)
    expect(res.stderr).toBe(`aliyun-harness guard: ALIYUN_HARNESS_STATE_DIR ${file}: ${file} is a file, not a directory; point it at a directory (a missing one is created).\n`)
    expect(existsSync(mark)).toBe(false)
    expect(existsSync(ran)).toBe(false)
  })
})

describe('replay --state-dir that is not a directory', () => {
  it.each(['is a file', 'is under a file'])('exit 2 before the command runs, and the tool exits (the path %s)', async (how) => {
    const { dir, file, mark } = setup()
    const state = how === 'is a file' ? file : join(file, 'state')
    const transcript = join(packageRoot(), DEMOS['ecs-review'].recording)
    const res = await runBin(['replay', transcript, '--state-dir', state, '--', 'sh', '-c', `echo ran > '${mark}'`], { dir, timeoutMs: 20_000 })
    expect(res.signal).toBeNull()
    expect(res.code).toBe(2)
    expect(res.stderr).toBe(`aliyun-harness replay: --state-dir ${state}: ${file} is a file, not a directory; point it at a directory (a missing one is created).\n`)
    expect(existsSync(mark)).toBe(false)
  })

  it('a replay session whose state directory cannot be made closes its server: the process exits with the error', async () => {
    // The session API itself (the bench and tools call it): the error reaches the caller and
    // nothing keeps the process alive. Killed after 20 s otherwise, which fails the test.
    const { dir, file } = setup()
    const lib = join(packageRoot(), 'dist', 'lib', 'replay-server.js')
    const script = `
      const { replaySession } = await import(${JSON.stringify(lib)})
      const t = { format: 'aliyun-harness-transcript', version: 1, skill: 'ecs-dr', harness_version: '0', cli_version: '3.4.11', recorded_at: '2026-01-01T00:00:00Z', generated: {}, entries: [] }
      await replaySession('t.json', t, ['true'], { stateDir: ${JSON.stringify(join(file, 'state'))} }).then(() => console.log('no error'), (e) => console.log(e.code))
    `
    const res = await runNode(['--input-type=module', '-e', script], { dir, timeoutMs: 20_000 })
    expect(res.signal).toBeNull()
    expect(res.stdout).toBe('ENOTDIR\n')
    expect(res.code).toBe(0)
  })
})

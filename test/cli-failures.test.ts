// When the aliyun CLI itself is the problem, process-level with fake CLIs: a call that hangs is
// stopped at --cli-timeout (status timed_out, exit 5); a missing or unrunnable CLI gets its own
// error code and a message that says which and why; output over the limit is "too large".

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBin, tempDir } from './support/run.js'

const REVIEW = ['ecs-review', '--region', 'cn-hangzhou']

/** A fake `aliyun` in `dir/bin`: a node script with the given body. */
function fakeCli(dir: string, body: string, name = 'aliyun'): string {
  const bin = join(dir, 'bin')
  mkdirSync(bin, { recursive: true })
  const file = join(bin, name)
  writeFileSync(file, `#!${process.execPath}\n${body}\n`)
  chmodSync(file, 0o755)
  return file
}

describe('a CLI call that hangs', () => {
  it('is stopped at --cli-timeout: status timed_out, exit 5, the limit in the message', async () => {
    const dir = tempDir()
    // Never answers and never exits on its own: only the harness's limit ends it.
    const cli = fakeCli(dir, 'setInterval(() => {}, 1 << 30)')
    const res = await runBin([...REVIEW, '--cli-timeout', '0.5'], { dir, env: { ALIYUN_CLI: cli } })
    expect(res.code).toBe(5)
    expect(res.json.status).toBe('timed_out')
    expect(res.json.error).toEqual({
      code: 'CommandTimeout',
      message: 'aliyun version did not finish within 0.5 s (the --cli-timeout limit) and was stopped. Run it again, or allow it longer with --cli-timeout <seconds>.',
    })
    expect(res.json.steps).toEqual([expect.objectContaining({ step: 'aliyun version', error_code: 'CommandTimeout' })])
  })
})

describe('a CLI that cannot run', () => {
  it('an absolute ALIYUN_CLI that does not exist is named as such, not "looked for on PATH"', async () => {
    const dir = tempDir()
    const res = await runBin(REVIEW, { dir, env: { ALIYUN_CLI: join(dir, 'missing', 'aliyun') } })
    expect(res.code).toBe(1)
    expect(res.json.error).toEqual({
      code: 'CliNotFound',
      message: `The aliyun CLI named by ALIYUN_CLI was not found: '${join(dir, 'missing', 'aliyun')}' does not exist. Set ALIYUN_CLI to the aliyun binary, or unset it to use aliyun on PATH.`,
    })
    expect(res.json.error.message).not.toMatch(/on PATH \(/)
  })

  it('no aliyun on PATH says where it looked', async () => {
    const dir = tempDir()
    const res = await runBin(REVIEW, { dir, env: { ALIYUN_CLI: '', PATH: '/usr/bin:/bin' } })
    expect(res.code).toBe(1)
    expect(res.json.error).toEqual({ code: 'CliNotFound', message: "The aliyun CLI was not found: 'aliyun' was not found on PATH (/usr/bin:/bin). Install the aliyun CLI, or set ALIYUN_CLI to its path." })
  })

  it('a script whose interpreter is missing is "cannot be run", naming the interpreter — not "not found"', async () => {
    const dir = tempDir()
    const cli = join(dir, 'aliyun')
    writeFileSync(cli, '#!/no/such/interpreter\necho 3.4.11\n')
    chmodSync(cli, 0o755)
    const res = await runBin(REVIEW, { dir, env: { ALIYUN_CLI: cli } })
    expect(res.code).toBe(1)
    expect(res.json.error.code).toBe('CliNotRunnable')
    expect(res.json.error.message).toBe(`The aliyun CLI named by ALIYUN_CLI cannot be run: '${cli}' cannot run: its interpreter /no/such/interpreter (the #! line) does not exist. Set ALIYUN_CLI to the aliyun binary, or unset it to use aliyun on PATH.`)
  })

  it('a file without execute permission is "not executable"', async () => {
    const dir = tempDir()
    const cli = join(dir, 'aliyun')
    writeFileSync(cli, '#!/bin/sh\necho 3.4.11\n')
    const res = await runBin(REVIEW, { dir, env: { ALIYUN_CLI: cli } })
    expect(res.code).toBe(1)
    expect(res.json.error).toMatchObject({ code: 'CliNotRunnable', message: expect.stringContaining(`'${cli}' is not executable (no execute permission).`) })
  })
})

describe('output over the limit', () => {
  it('is reported as too large, not as truncated JSON', async () => {
    const dir = tempDir()
    // 65 MiB of output, past the 64 MiB the harness reads from one call.
    const cli = fakeCli(dir, 'const mb = Buffer.alloc(1 << 20, 97); let n = 0; const w = () => { while (n < 65) { n++; if (!process.stdout.write(mb)) return process.stdout.once("drain", w) } }; w()')
    const res = await runBin(REVIEW, { dir, env: { ALIYUN_CLI: cli } })
    expect(res.code).toBe(1)
    expect(res.json.error.code).toBe('CliOutputTooLarge')
    expect(res.json.error.message).toBe('aliyun version printed more than 64 MiB, the most the harness reads from one call, and was stopped. Narrow the request (fewer ids, a smaller page).')
  })
})

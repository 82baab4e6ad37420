// When the aliyun CLI itself is the problem, process-level with fake CLIs: a call that hangs is
// stopped at --cli-timeout (status timed_out, exit 5); a missing or unrunnable CLI gets its own
// error code and a message that says which and why; output over the limit is "too large".

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configureListText } from './support/cli-facts.js'
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

describe('every list call of a review hangs', () => {
  it('ecs-review ends timed_out (exit 5) with the --cli-timeout hint, not NoLiveEvidence with a permission hint', async () => {
    const dir = tempDir()
    const listing = join(dir, 'configure-list.txt')
    writeFileSync(listing, configureListText([{ name: 'default', current: true, valid: true, region: 'cn-hangzhou' }]))
    // A shell fake (it answers at once): version and configure list are served, every API call
    // hangs until the harness stops it at the limit.
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    const cli = join(bin, 'aliyun')
    writeFileSync(cli, `#!/bin/sh\ncase "$1" in\n  version) echo 3.4.11 ;;\n  configure) cat '${listing}' ;;\n  *) exec tail -f /dev/null ;;\nesac\n`)
    chmodSync(cli, 0o755)
    const res = await runBin([...REVIEW, '--cli-timeout', '0.5'], { dir, env: { ALIYUN_CLI: cli } })
    expect(res.code, res.stderr).toBe(5)
    expect(res.json.status).toBe('timed_out')
    expect(res.json.error.code).toBe('CommandTimeout')
    expect(res.json.error.message).toMatch(/No region could be queried: every list call was stopped at the time limit\. First: aliyun \S+ describe-\S+ did not finish within 0\.5 s \(the --cli-timeout limit\) and was stopped\./)
    expect(res.json.next_action).toMatch(/^Allow the calls longer with --cli-timeout <seconds>/)
    expect(res.json.next_action).not.toMatch(/Grant/)
    // The preflight answered; only the lists were stopped.
    const steps = res.json.steps as { step: string; exit_code?: number; error_code?: string }[]
    expect(steps.slice(0, 2)).toEqual([expect.objectContaining({ step: 'aliyun version', exit_code: 0 }), expect.objectContaining({ step: 'configure list', exit_code: 0 })])
    expect(steps.length).toBeGreaterThan(2)
    expect(new Set(steps.slice(2).map((s) => s.error_code))).toEqual(new Set(['CommandTimeout']))
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

// The texts of usage errors, in the harness's own words (not node's parseArgs wording), named by
// the command that prints them, echoing values as they were typed; and a --format that contradicts
// the --output file name is refused rather than writing one format under another's name.

import { describe, expect, it } from 'vitest'
import { runBin } from './support/run.js'

describe('usage errors say what to type', () => {
  it.each([
    [['version', 'extra'], "aliyun-harness version: Unexpected argument 'extra': this command takes only options. See `aliyun-harness version --help` for its usage.\n"],
    [['audit', 'x.json', '--skill'], 'aliyun-harness audit: --skill needs a value (a skill name such as ecs-dr).\n'],
    [['export-mock', 'x.json', '-o'], 'aliyun-harness export-mock: --output needs a value (--output <file>).\n'],
    [['version', '--help=yes'], 'aliyun-harness version: --help takes no value; pass it alone.\n'],
    [['completion', 'powershell'], "aliyun-harness completion: no completion for the shell 'powershell'. Shells: bash, zsh, fish.\n"],
  ])('%j', async (args, stderr) => {
    const res = await runBin(args)
    expect(res.code).toBe(2)
    expect(res.stdout).toBe('')
    expect(res.stderr).toBe(stderr)
  })

  it('a skill flag followed by another flag instead of its value', async () => {
    const res = await runBin(['ack-profile', '--cluster-id', 'c0ee8f62dd10541c598af3627d5b6cda7', '--namespace', 'default', '--pod', 'web', '--description', '--json'])
    expect(res.code).toBe(2)
    expect(res.json.error).toEqual({ code: 'MissingParameter', message: '--description needs a value, and the next word starts with "-", like a flag. A value that starts with "-" is written --description=<value>.' })
  })
})

describe('ecs-review: values as typed, a --format that matches its file', () => {
  const review = (...extra: string[]) => runBin(['ecs-review', '--region', 'cn-hangzhou', ...extra, '--json'])

  it('a huge --image-age-days is echoed as typed', async () => {
    const res = await review('--image-age-days', '99999999999999999999')
    expect(res.code).toBe(2)
    expect(res.json.error.message).toBe('--image-age-days must be 3650 or less; got 99999999999999999999.')
  })

  it.each([
    [['--format', 'csv', '--output', 'review.md'], '--format csv does not match --output review.md, whose name says md; change one of them (--output review.csv, or leave --format out).'],
    [['--format', 'json', '--output', 'out/review.csv'], '--format json does not match --output out/review.csv, whose name says csv; change one of them (--output out/review.json, or leave --format out).'],
    [['--format', 'md', '--output', 'review.JSON'], '--format md does not match --output review.JSON, whose name says json; change one of them (--output review.md, or leave --format out).'],
  ])('%j: exit 2 before anything runs', async (extra, message) => {
    const res = await review(...extra)
    expect(res.code).toBe(2)
    expect(res.json.error).toEqual({ code: 'InvalidParameter', message })
    expect(res.json.steps).toEqual([])
  })
})

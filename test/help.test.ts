// Help is laid out for 80 columns (lib/help.ts): the top-level help and every command's help, as
// the bin prints them, with usage lines broken at spaces and examples continued with ` \` so that a
// shell joins each back into the command as written.

import { describe, expect, it } from 'vitest'
import { commandTable } from '../lib/commands.js'
import { displayWidth } from '../lib/text-width.js'
import { runBin } from './support/run.js'

const COMMANDS = commandTable().map((c) => c.name)
const printed = new Map<string, Promise<string>>()
/** What `aliyun-harness <name> --help` prints (run once per command). */
function helpOf(name: string): Promise<string> {
  if (!printed.has(name))
    printed.set(
      name,
      runBin([name, '--help']).then((res) => {
        expect(res.code, res.stderr).toBe(0)
        return res.stdout
      }),
    )
  return printed.get(name)!
}

function tooWide(text: string): string[] {
  return text.split('\n').filter((line) => displayWidth(line) > 80)
}

/** The text between `Examples:` and the next blank line, continuation lines joined as a shell joins them. */
function examplesAsTyped(help: string): string[] {
  const block = help.split('\nExamples:\n')[1]?.split('\n\n')[0].trimEnd() ?? ''
  return block.replace(/ \\\n +/g, ' ').split('\n').map((l) => l.replace(/^ {2}/, ''))
}

describe('help fits 80 columns', () => {
  it('the top-level help: no line is wider than 80 columns', async () => {
    const res = await runBin(['--help'])
    expect(tooWide(res.stdout)).toEqual([])
  })

  it.each(COMMANDS)('%s --help: no line is wider than 80 columns', async (name) => {
    expect(tooWide(await helpOf(name))).toEqual([])
  })

  it.each([
    ['eas-deploy', async () => (await import('../scripts/eas-deploy.js')).default.examples],
    ['replay', async () => (await import('../lib/tools.js')).replay.examples],
    ['completion', async () => (await import('../lib/help-commands.js')).completion.examples],
  ])('%s: the examples, joined back as a shell joins continued lines, are the commands as written', async (name, examples) => {
    const help = await helpOf(name)
    expect(help).toMatch(/ \\\n {6}\S/)
    expect(examplesAsTyped(help)).toEqual(await examples())
  })

  it('a continued example keeps a flag with its value and a quoted value whole', async () => {
    const help = await helpOf('eas-deploy')
    expect(help).toMatch(/ \\\n {6}--image eas-registry-vpc\.cn-hangzhou\.cr\.aliyuncs\.com\/pai-eas\/vllm:0\.8\.5 \\\n/)
    expect(help).toMatch(/ \\\n {6}--command "vllm serve \/model_dir --port 8000"\n/)
  })

  it('a long usage keeps each flag with its value; a long word list is broken after a `|`', async () => {
    const usage = async (name: string) => (await helpOf(name)).split('\n\n')[1]
    expect(await usage('eas-deploy')).toMatch(/^ {11}--image <uri> --instance-type <type>/m)
    expect(await usage('flink')).toMatch(/^Usage: aliyun-harness flink <create\|[a-z_|]+\|\n {11}[a-z_|]+lifecycle>$/m)
  })
})

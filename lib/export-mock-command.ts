// `aliyun-harness export-mock <transcript> [--output <file>]`: the transcript as the aliyun CLI's own
// mock file (lib/mock-export.ts), so the CLI itself replays the recording.

import { parseArgs } from 'node:util'
import { mockFileText, exportMock } from './mock-export.js'
import { checkOutputPath, writeOutputFile } from './output-file.js'
import { Redactor } from './redact.js'
import { loadTranscript, type Transcript } from './transcript.js'

export const EXPORT_MOCK_USAGE = 'export-mock <transcript> [--output <file>]'

function help(): string {
  return [
    'aliyun-harness export-mock — a transcript in the aliyun CLI\'s own mock format (CLI >= 3.3.12)',
    '',
    `Usage: aliyun-harness ${EXPORT_MOCK_USAGE}`,
    '',
    'Writes a JSON array of mock records (name, cmd, exit_code, stdout, stderr, times): one per recorded CLI call,',
    'in call order, each answering once, and a last catch-all that answers any unrecorded call with an error',
    '(exit 99) so nothing reaches the cloud. Replay it with the CLI itself:',
    '  export ALIBABA_CLOUD_CLI_MOCK=true ALIBABA_CLOUD_CLI_MOCK_PATH=$PWD/mocks.json',
    'The CLI uses up records as it answers (and rewrites the file): keep the export and copy it for each replay.',
    'SDK calls are left out (the mock answers aliyun commands only); what cannot be served exactly is listed on stderr.',
    '',
    'Options:',
    '  --output <file>   write the file there (default: stdout)',
    '  -h, --help        this help',
    '',
    'Exit codes: 0, 2 invalid usage or unreadable transcript.',
    '',
  ].join('\n')
}

export function exportMockCommand(args: string[]): number {
  const redactor = new Redactor(process.env)
  const fail = (message: string) => {
    process.stderr.write(redactor.scrub(`aliyun-harness export-mock: ${message}\n`))
    return 2
  }
  let values, positionals
  try {
    ;({ values, positionals } = parseArgs({ args, options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }))
  } catch (e) {
    return fail(`${(e as Error).message}\nUsage: aliyun-harness ${EXPORT_MOCK_USAGE}`)
  }
  if (values.help) {
    process.stdout.write(help())
    return 0
  }
  if (positionals.length !== 1) return fail(`usage: aliyun-harness ${EXPORT_MOCK_USAGE}`)
  let t: Transcript
  let target: string | undefined
  try {
    t = loadTranscript(positionals[0])
    if (values.output) target = checkOutputPath(values.output, { flag: '--output' })
  } catch (e) {
    return fail((e as Error).message)
  }
  const { records, notes } = exportMock(t, positionals[0])
  const text = mockFileText(records)
  if (target) writeOutputFile(target, text, redactor)
  else process.stdout.write(redactor.scrub(text))
  for (const n of notes) process.stderr.write(redactor.scrub(`aliyun-harness export-mock: ${n}\n`))
  if (target) process.stderr.write(`aliyun-harness export-mock: ${records.length - 1} record(s) and a catch-all written to ${target}.\n`)
  return 0
}

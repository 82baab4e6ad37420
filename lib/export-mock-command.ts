// `aliyun-harness export-mock <transcript> [--output <file>]`: the transcript as the aliyun CLI's own
// mock file (lib/mock-export.ts), so the CLI itself replays the recording.

import type { CommandDef } from './commands.js'
import { usageExit } from './complain.js'
import { UsageError } from './errors.js'
import { mockFileText, exportMock } from './mock-export.js'
import { HELP_OPTION, parseFlags } from './options.js'
import { checkOutputPath, writeOutputFile } from './output-file.js'
import { Redactor } from './redact.js'
import { loadTranscriptInput } from './transcript.js'

export const exportMockCommand: CommandDef = {
  name: 'export-mock',
  summary: "a transcript in the aliyun CLI's own mock format (CLI >= 3.3.12)",
  usage: 'aliyun-harness export-mock <transcript> [--output <file>]',
  details: [
    'Writes a JSON array of mock records (name, cmd, exit_code, stdout, stderr,',
    'times): one per recorded CLI call, in call order, each answering once, and a',
    'last catch-all that answers any unrecorded call with an error (exit 99) so',
    'nothing reaches the cloud. Replay it with the CLI itself:',
    '  export ALIBABA_CLOUD_CLI_MOCK=true ALIBABA_CLOUD_CLI_MOCK_PATH=$PWD/mocks.json',
    'The CLI uses up records as it answers (and rewrites the file): keep the export',
    'and copy it for each replay. SDK calls are left out (the mock answers aliyun',
    'commands only); what cannot be served exactly is listed on stderr.',
  ],
  options: {
    output: { type: 'string', short: 'o', description: 'Write the mock file there (default: stdout).', valueName: 'file', maxLength: 4096 },
    ...HELP_OPTION,
  },
  positionals: 'files',
  exitCodes: 'Exit codes: 0, 2 invalid usage or unreadable transcript.',
  async run(args) {
    const redactor = new Redactor(process.env)
    let ready
    try {
      const { values, positionals } = parseFlags(exportMockCommand.options, args, { positionals: true, command: 'export-mock' })
      if (positionals.length !== 1) throw new UsageError(`usage: ${exportMockCommand.usage as string}`)
      const file = positionals[0]
      ready = { file, t: loadTranscriptInput(file), target: values.output ? checkOutputPath(values.output as string, { flag: '--output' }) : undefined }
    } catch (e) {
      return usageExit('aliyun-harness export-mock', e)
    }
    const { file, t, target } = ready
    const { records, notes } = exportMock(t, file)
    const text = mockFileText(records)
    if (target) writeOutputFile(target, text, redactor)
    else process.stdout.write(redactor.scrub(text))
    for (const n of notes) process.stderr.write(redactor.scrub(`aliyun-harness export-mock: ${n}\n`))
    if (target) process.stderr.write(redactor.scrub(`aliyun-harness export-mock: ${records.length - 1} record(s) and a catch-all written to ${target}.\n`))
    return 0
  },
}

// `aliyun-harness guard --skill <name> [--record <file>] [--report <file>] [--json] -- <command…>`:
// puts a skill's policy between any command (an agent, a script, a shell) and the real aliyun CLI,
// and says at the end which of the skill's rules the session kept. guard exits with the command's
// exit code (128+n when a signal stopped it), 2 on bad usage; a refused call exits 4 in the command.

import type { CommandDef } from '../commands.js'
import { complain, usageExit } from '../complain.js'
import { isExpected, UsageError } from '../errors.js'
import { createIO } from '../io.js'
import { HELP_OPTION, parseFlags } from '../options.js'
import { checkOutputPath, writeOutputFile } from '../output-file.js'
import { getPolicy, skillNames } from '../policy.js'
import { Redactor } from '../redact.js'
import { didYouMean } from '../suggest.js'
import { saveTranscript } from '../transcript.js'
import { formatGuardReport } from './report.js'
import { runGuard } from './session.js'

const OPTIONS = {
  skill: { type: 'string', description: 'The skill whose rules apply.', valueName: 'name', pattern: /^[a-z0-9-]{1,64}$/, hint: 'a skill name such as ecs-dr' },
  record: { type: 'string', description: 'Write every forwarded call, scrubbed, as a transcript (replay, audit, export-mock read it).', valueName: 'file', maxLength: 4096 },
  report: { type: 'string', description: 'Write the report as JSON.', valueName: 'file', maxLength: 4096 },
  json: { type: 'boolean', description: "Print the report as JSON on stdout after the command's own output (default: text on stderr)." },
  ...HELP_OPTION,
} as const

export const guardCommand: CommandDef = {
  name: 'guard',
  summary: "enforce a skill's rules on any command that drives `aliyun` itself (an agent, a script, a shell)",
  usage: 'aliyun-harness guard --skill <name> [--record <file>] [--report <file>] [--json] -- <command…>',
  details: [
    'The command runs with an `aliyun` shim first on PATH (and ALIYUN_CLI pointing',
    'at it), in front of the real CLI ($ALIYUN_CLI, else aliyun on PATH, found',
    'before the shim is installed). For every call the shim:',
    "  - refuses what the skill's policy refuses (not on its allow-list, its",
    '    FORBIDDEN items, credential flags, --help): nothing reaches the CLI, the',
    '    call exits 4 and stderr says what is allowed instead;',
    "  - applies the skill's user agent: added to API calls when missing, corrected",
    '    when wrong, removed from system commands;',
    '  - forwards everything else unchanged (stdin, stdout, stderr, exit code,',
    "    signals), with the CLI's own safety policy (ALIBABA_CLOUD_SAFETY_POLICY_*)",
    "    set to the skill's rules as a second lock.",
    "For ack-profile and eas-deploy, guard enables ai-mode with the skill's user",
    "agent before the command and disables it after, on every way out, under the",
    "workflows' machine-wide lock; the skill's own ai-mode steps are answered by",
    'guard. At the end guard checks the session against the skill\'s acceptance',
    'rules (aliyun-harness policy <skill>).',
  ],
  options: OPTIONS,
  examples: ['aliyun-harness guard --skill ack-profile --record session.json --report report.json -- claude -p "profile pod web-1 …"'],
  exitCodes: "Exit codes: the command's own (129/130/143 when guard is stopped by SIGHUP/SIGINT/SIGTERM), 2 invalid usage; a refused call exits 4.",
  run: guard,
}

async function guard(args: readonly string[]): Promise<number> {
  const redactor = new Redactor(process.env)
  const io = { ...createIO({ redactor, json: false }), progress: () => undefined }
  const fail = (message: string) => complain('aliyun-harness guard', message)
  const at = args.indexOf('--')
  const own = at < 0 ? args : args.slice(0, at)
  const command = at < 0 ? [] : args.slice(at + 1)
  let values: Record<string, unknown>
  let skill: string
  try {
    ;({ values } = parseFlags(OPTIONS, own, { command: 'guard' }))
    if (!values.skill || command.length === 0) throw new UsageError(`usage: ${guardCommand.usage as string}`)
    skill = values.skill as string
    if (!skillNames().includes(skill)) throw new UsageError(`unknown skill '${skill}'.${didYouMean(skill, skillNames())} Skills: ${skillNames().join(', ')}.`)
  } catch (e) {
    return usageExit('aliyun-harness guard', e)
  }
  let recordFile: string | undefined
  let reportFile: string | undefined
  try {
    // Checked before anything runs: a session whose record cannot be written must not happen.
    if (values.record) recordFile = checkOutputPath(values.record as string, { flag: '--record', createDirs: true })
    if (values.report) reportFile = checkOutputPath(values.report as string, { flag: '--report' })
    const { which } = await import('zx/core')
    if (!(await which(command[0], { nothrow: true }))) return fail(`cannot run '${command[0]}': not found${command[0].includes('/') ? '' : ' on PATH'}.`)
    const { report, transcript } = await runGuard({ policy: getPolicy(skill), command, env: process.env, io, redactor })
    if (recordFile) {
      try {
        saveTranscript(recordFile, transcript, redactor)
      } catch (e) {
        report.warnings.push(`the transcript could not be written to ${recordFile}: ${(e as Error).message}`)
      }
    }
    if (reportFile) writeOutputFile(reportFile, JSON.stringify(report, null, 2) + '\n', redactor)
    if (values.json) process.stdout.write(redactor.scrub(JSON.stringify(report, null, 2) + '\n'))
    else process.stderr.write(redactor.scrub(formatGuardReport(report)))
    return report.exit_code
  } catch (e) {
    if (!isExpected(e)) throw e
    return fail(e.message)
  }
}

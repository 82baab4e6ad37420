// The transcript tools: replay, record, audit and demo — each a command of the dispatch table
// (lib/commands.ts) with its usage and options, so help, completion and "did you mean" come free.

import { existsSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { checkAcceptance, formatAcceptance, sessionCalls } from './acceptance.js'
import { auditTranscript } from './audit.js'
import { problemWithFile } from './executable.js'
import type { CommandDef } from './commands.js'
import { shellLine } from './command.js'
import { complain, usageExit } from './complain.js'
import { interruptedExit, UsageError } from './errors.js'
import { checkOutputEnv, wantsJson } from './io.js'
import { HELP_OPTION, OUTPUT_OPTIONS, parseFlags, type OptionSpecs } from './options.js'
import { binPath, packageRoot } from './paths.js'
import { getPolicy, skillNames } from './policy.js'
import { recordSession, replaySession, TRANSCRIPT_MISMATCH_EXIT, type SessionReport } from './replay-server.js'
import { cliBinary, locateCli } from './transport.js'
import { checkOutputPath, checkStateDir, writeOutputFile } from './output-file.js'
import { Redactor } from './redact.js'
import { didYouMean } from './suggest.js'
import { loadTranscript, loadTranscriptInput, newRecording, saveTranscript, type Transcript } from './transcript.js'
import { DEMOS } from './demo.js'

// Everything the tools print goes through the redactor, like every other byte the harness writes.
const redactor = new Redactor(process.env)
const out = (text: string): void => void process.stdout.write(redactor.scrub(text))
const err = (text: string): void => void process.stderr.write(redactor.scrub(text))
const fail = (tool: string, message: string, code = 2): number => complain(`aliyun-harness ${tool}`, message, code)

/**
 * Everything a tool checks before it runs anything: what `check` returns, or — for a usage error —
 * its message (with "did you mean" and where to look) on stderr and exit code 2.
 */
function checked<T>(tool: string, check: () => T): T | number {
  try {
    return check()
  } catch (e) {
    return usageExit(`aliyun-harness ${tool}`, e)
  }
}

/** `<transcript> [options] -- <command…>` (replay, record): its options, the file and the command. */
function wrapperArgs(def: CommandDef, args: readonly string[]): { values: Record<string, unknown>; file: string; command: string[] } {
  const at = args.indexOf('--')
  const own = at < 0 ? [...args] : args.slice(0, at)
  const command = at < 0 ? [] : args.slice(at + 1)
  const { values, positionals } = parseFlags(def.options, own, { positionals: true, command: def.name })
  if (positionals.length !== 1 || command.length === 0) throw new UsageError(`usage: ${def.usage}`)
  return { values, file: positionals[0], command }
}

/** `aliyun-harness …` inside a replayed command means this very package's bin, not whatever is on PATH. */
function resolveCommand(command: string[]): string[] {
  if (command[0] === 'aliyun-harness') return [process.execPath, binPath(), ...command.slice(1)]
  return command
}

/** The exit code of a command that could not be started (127 not found, 126 not runnable), with why. */
function notStarted(tool: string, report: SessionReport): number | undefined {
  if (!report.spawn_error) return undefined
  return fail(tool, report.spawn_error.message, report.spawn_error.code === 'ENOENT' ? 127 : 126)
}

function printReport(report: SessionReport) {
  for (const m of report.misses) err(`aliyun-harness replay: unmatched call:\n${m.replace(/^/gm, '  ')}\n`)
  if (report.unused.length) err(`aliyun-harness replay: ${report.unused.length} recorded call(s) never made:\n${report.unused.map((u) => `  ${u}`).join('\n')}\n`)
}

const SKILL_OPTION = {
  skill: { type: 'string', description: 'The skill whose policy applies (default: the one the transcript names).', valueName: 'name', pattern: /^[a-z0-9-]{1,64}$/, hint: 'a skill name such as ecs-dr' },
} as const satisfies OptionSpecs

/** `--skill <name>` must name a skill; otherwise exit 2 with the closest one. */
function checkSkill(name: string | undefined): void {
  if (name !== undefined && !skillNames().includes(name)) throw new UsageError(`unknown skill '${name}'.${didYouMean(name, skillNames())} Skills: ${skillNames().join(', ')}.`)
}

export const replay: CommandDef = {
  name: 'replay',
  summary: 'Run any command with a fake aliyun first on PATH that serves a transcript; fail on any difference.',
  usage: 'aliyun-harness replay <transcript> [--report <file>] [--allow-unused] [--state-dir <dir>] -- <command…>',
  options: {
    report: { type: 'string', description: 'Write what was served (calls, misses, unused entries) to this JSON file.', valueName: 'file', maxLength: 4096 },
    'allow-unused': { type: 'boolean', description: 'Do not fail when recorded calls were never made.' },
    'state-dir': { type: 'string', description: 'Keep the run state of the replayed command here (default: a throw-away directory).', valueName: 'dir', maxLength: 4096 },
    ...HELP_OPTION,
  },
  positionals: 'files',
  examples: ['aliyun-harness replay recordings/ecs-dr/happy-path.json -- aliyun-harness ecs-dr --region cn-hangzhou --instance-id i-bp1dr0source0001 --image-name Create_from_i-bp1dr0source0001 --target-zone cn-hangzhou-j --instance-type ecs.g7.xlarge'],
  exitCodes: "Exit codes: the command's own; 98 when the run and the transcript disagree; 127 (126) when the command cannot be found (run); 2 invalid usage.",
  async run(args) {
    const ready = checked('replay', () => {
      const parsed = wrapperArgs(replay, args)
      const report = parsed.values.report as string | undefined
      const state = parsed.values['state-dir'] as string | undefined
      return {
        ...parsed,
        t: loadTranscriptInput(parsed.file),
        reportFile: report ? checkOutputPath(report, { flag: '--report' }) : undefined,
        stateDir: state === undefined ? undefined : checkStateDir(state, '--state-dir', 'InvalidOutputPath'),
      }
    })
    if (typeof ready === 'number') return ready
    const { values, file, command, t, reportFile, stateDir } = ready
    const report = await replaySession(file, t, resolveCommand(command), { allowUnused: values['allow-unused'] as boolean, stateDir })
    if (reportFile) writeOutputFile(reportFile, JSON.stringify(report, null, 2) + '\n', redactor)
    const failedToStart = notStarted('replay', report)
    if (failedToStart !== undefined) return failedToStart
    printReport(report)
    if (report.misses.length || report.unused.length) return TRANSCRIPT_MISMATCH_EXIT
    return report.exit_code ?? interruptedExit(report.signal ?? 'SIGTERM')
  },
}

export const record: CommandDef = {
  name: 'record',
  summary: 'Run any command with a shim that records every real aliyun call, scrubbed, into a transcript.',
  usage: 'aliyun-harness record <transcript> [--skill <name>] [--scenario <text>] -- <command…>',
  options: {
    ...SKILL_OPTION,
    scenario: { type: 'string', description: 'A line saying what the recording shows.', valueName: 'text', freeText: true, maxLength: 500 },
    ...HELP_OPTION,
  },
  positionals: 'files',
  examples: ['aliyun-harness record my-run.json --skill ecs-dr -- aliyun-harness ecs-dr --region cn-beijing --instance-id i-…'],
  exitCodes: "Exit codes: the command's own; 127 when there is no real aliyun CLI to record (or the command is not found); 2 invalid usage.",
  async run(args) {
    const ready = checked('record', () => {
      const parsed = wrapperArgs(record, args)
      const skill = parsed.values.skill as string | undefined
      checkSkill(skill)
      // A transcript labelled with one skill but holding another's calls would only fail later, at replay.
      const runs = parsed.command[0] === 'aliyun-harness' && skillNames().includes(parsed.command[1]) ? parsed.command[1] : undefined
      if (skill && runs && runs !== skill) throw new UsageError(`--skill ${skill} does not match the command, which runs the ${runs} skill; pass --skill ${runs}, or leave --skill out.`)
      // Checked before the command runs: a recording that cannot be saved must not cost a paid run.
      return { ...parsed, target: checkOutputPath(parsed.file, { flag: 'record', createDirs: true }) }
    })
    if (typeof ready === 'number') return ready
    const { values, file, command, target } = ready
    // The real CLI is found before anything runs: without one there is nothing to record.
    const real = await locateCli(process.env)
    const problem = real.path ? problemWithFile(resolve(real.path)) : `'${cliBinary(process.env)}' is not on PATH.`
    if (!real.path || problem) return fail('record', `there is no aliyun CLI to record: ${problem} Install the aliyun CLI, or set ALIYUN_CLI to its path.`, 127)
    const skill = (values.skill as string | undefined) ?? (command[0] === 'aliyun-harness' ? command[1] : undefined) ?? 'unknown'
    const t = newRecording(skill, values.scenario as string | undefined)
    const report = await recordSession(file, t, resolveCommand(command), { realCli: resolve(real.path) })
    const failedToStart = notStarted('record', report)
    if (failedToStart !== undefined) return failedToStart
    try {
      saveTranscript(target, t, redactor)
    } catch (e) {
      // The command's own output already reached the terminal; only the transcript is lost.
      err(`aliyun-harness record: the transcript could not be written to ${file}: ${(e as Error).message}\n`)
      return report.exit_code || 1
    }
    err(`aliyun-harness record: ${t.entries.length} call(s) written to ${file}, scrubbed.\n`)
    return report.exit_code ?? 1
  },
}

export const audit: CommandDef = {
  name: 'audit',
  summary: "Check transcripts against a skill's policy: allow-list, user agents, ai-mode order, secrets (and its acceptance rules).",
  usage: 'aliyun-harness audit <transcript…> [--skill <name>] [--acceptance] [--json | --human]',
  options: {
    ...SKILL_OPTION,
    acceptance: { type: 'boolean', description: "Also check the skill's acceptance rules (the ones guard checks a session against; see `aliyun-harness policy <skill>`)." },
    ...OUTPUT_OPTIONS,
    ...HELP_OPTION,
  },
  positionals: 'files',
  examples: ['aliyun-harness audit recordings/ecs-dr/*.json', 'aliyun-harness audit my-run.json --skill ecs-dr --acceptance --human'],
  exitCodes: 'Exit codes: 0 every transcript passes, 1 a violation (or a broken acceptance rule), 2 invalid usage or a file that is not a transcript.',
  async run(args) {
    const ready = checked('audit', () => {
      checkOutputEnv(process.env)
      const { values, positionals } = parseFlags(audit.options, args, { positionals: true, command: 'audit' })
      if (positionals.length === 0) throw new UsageError(`usage: ${audit.usage}`)
      checkSkill(values.skill as string | undefined)
      // Every file must be a transcript of a known skill before anything is judged.
      const problems: string[] = []
      const loaded: { file: string; t: Transcript; skill: string }[] = []
      for (const file of positionals) {
        try {
          const t = loadTranscript(file)
          const skill = (values.skill as string | undefined) ?? t.skill
          if (!skillNames().includes(skill)) problems.push(`transcript ${file} names the unknown skill '${skill}'; pass --skill <name>.`)
          else loaded.push({ file, t, skill })
        } catch (e) {
          problems.push((e as Error).message)
        }
      }
      if (problems.length) throw new UsageError(problems.join('\n'))
      return { values, loaded }
    })
    if (typeof ready === 'number') return ready
    const { values, loaded } = ready
    const results = loaded.map(({ file, t, skill }) => {
      const policy = getPolicy(skill)
      // --acceptance: the skill's acceptance rules too (lib/acceptance.ts), the same guard checks a session with.
      const acceptance = values.acceptance ? checkAcceptance(policy, sessionCalls(t)) : undefined
      return { transcript: file, skill, violations: auditTranscript(t, policy), ...(acceptance ? { acceptance } : {}) }
    })
    const bad = results.filter((r) => r.violations.length || (r.acceptance && !r.acceptance.ok))
    if (wantsJson(values as { json?: boolean; human?: boolean }, process.env, Boolean(process.stdout.isTTY))) out(JSON.stringify({ ok: bad.length === 0, results }, null, 2) + '\n')
    else {
      for (const r of results) {
        const accepted = !r.acceptance || r.acceptance.ok
        if (!r.violations.length && accepted) out(`ok   ${r.transcript}\n`)
        else for (const v of r.violations) out(`FAIL ${r.transcript}${v.entry === null ? '' : ` #${v.entry}`} [${v.rule}] ${v.message}\n`)
        if (!accepted) out(`FAIL ${r.transcript} [acceptance] ${r.acceptance!.counts.broken} rule(s) broken\n`)
        if (r.acceptance) out(formatAcceptance(r.acceptance).trimEnd().replace(/^/gm, '  ') + '\n')
      }
      out(`${results.length - bad.length} passed, ${bad.length} failed\n`)
    }
    return bad.length ? 1 : 0
  },
}

/** A path to paste: relative when it is under the current directory, absolute otherwise. */
function pastablePath(file: string): string {
  const rel = relative(process.cwd(), file)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file
}

export const demo: CommandDef = {
  name: 'demo',
  summary: 'Replay a bundled recording with progress and tables (no cloud account needed).',
  usage: 'aliyun-harness demo [skill] [--json | --human]',
  // A demo shows what people see, so it prints for people even into a pipe (`demo | less`), unlike
  // the other commands; --json or ALIYUN_HARNESS_OUTPUT=json still show the JSON an agent gets.
  options: {
    json: { type: 'boolean', description: 'Print the JSON result an agent gets instead (also ALIYUN_HARNESS_OUTPUT=json).' },
    human: { type: 'boolean', description: 'Print for people: tables and text. The default for a demo, even when stdout is a pipe or a file.' },
    ...HELP_OPTION,
  },
  subcommands: Object.keys(DEMOS),
  examples: ['aliyun-harness demo', 'aliyun-harness demo eas-deploy'],
  exitCodes: "Exit codes: the replayed skill's own; 2 for a skill without a demo.",
  async run(args) {
    const ready = checked('demo', () => {
      checkOutputEnv(process.env)
      const { values, positionals } = parseFlags(demo.options, args, { positionals: true, command: 'demo' })
      if (positionals.length > 1) throw new UsageError(`usage: ${demo.usage}`)
      const skill = positionals[0] ?? 'ecs-dr'
      if (!DEMOS[skill]) throw new UsageError(`no demo for '${skill}'.${didYouMean(skill, Object.keys(DEMOS))} Demos: ${Object.keys(DEMOS).join(', ')}.`)
      return { values, skill }
    })
    if (typeof ready === 'number') return ready
    const { values, skill } = ready
    const d = DEMOS[skill]
    const file = join(packageRoot(), d.recording)
    if (!existsSync(file)) return fail('demo', `the bundled recording ${d.recording} is missing`)
    const mode = values.json ? ['--json'] : values.human ? ['--human'] : []
    const argv = [...d.args, '--replay', pastablePath(file)]
    err(`Replaying ${d.recording} (no cloud account needed, no real waits). The same run:\n  ${shellLine(['aliyun-harness', skill, ...argv])}\n\n`)
    const { runSkill } = await import('./skill.js')
    const mod = (await import(`../scripts/${skill}.js`)) as { default: Parameters<typeof runSkill>[0] }
    // A demo is a replay: its run state and ai-mode lock live in a throw-away directory.
    const code = await runSkill(mod.default, [...argv, ...mode], { env: { ...process.env, ALIYUN_HARNESS_OUTPUT: process.env.ALIYUN_HARNESS_OUTPUT || 'human' } })
    err('\nNext, on your machine: aliyun-harness doctor (read-only: proves your aliyun CLI accepts every command the skills send)\n')
    return code
  },
}

// The transcript tools: replay, record, audit and demo.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { checkAcceptance, formatAcceptance, sessionCalls } from './acceptance.js'
import { auditTranscript } from './audit.js'
import { binPath, packageRoot } from './paths.js'
import { getPolicy, skillNames } from './policy.js'
import { recordSession, replaySession, TRANSCRIPT_MISMATCH_EXIT, type SessionReport } from './replay-server.js'
import { checkOutputPath, writeOutputFile } from './output-file.js'
import { Redactor } from './redact.js'
import { loadTranscript, saveTranscript, TRANSCRIPT_FORMAT, type Transcript } from './transcript.js'
import { HARNESS_VERSION } from './version.js'
import { DEMOS } from './demo.js'

// Everything the tools print goes through the redactor, like every other byte the harness writes.
const redactor = new Redactor(process.env)
const out = (text: string): void => void process.stdout.write(redactor.scrub(text))
const err = (text: string): void => void process.stderr.write(redactor.scrub(text))

function fail(message: string, code = 2): number {
  err(`aliyun-harness: ${message}\n`)
  return code
}

/** Splits `<tool args> -- <command…>`. */
function splitCommand(args: string[]): { own: string[]; command: string[] } {
  const at = args.indexOf('--')
  return at < 0 ? { own: args, command: [] } : { own: args.slice(0, at), command: args.slice(at + 1) }
}

/** `aliyun-harness …` inside a replayed command means this very package's bin, not whatever is on PATH. */
function resolveCommand(command: string[]): string[] {
  if (command[0] === 'aliyun-harness') return [process.execPath, binPath(), ...command.slice(1)]
  return command
}

function printReport(report: SessionReport) {
  for (const m of report.misses) err(`aliyun-harness replay: unmatched call:\n${m.replace(/^/gm, '  ')}\n`)
  if (report.unused.length) err(`aliyun-harness replay: ${report.unused.length} recorded call(s) never made:\n${report.unused.map((u) => `  ${u}`).join('\n')}\n`)
}

export async function runTool(tool: 'replay' | 'record' | 'audit' | 'demo' | 'guard' | 'policy' | 'export-mock', args: string[]): Promise<number> {
  switch (tool) {
    case 'guard':
      return (await import('./guard/command.js')).guardCommand(args)
    case 'policy':
      return (await import('./policy-command.js')).policyCommand(args)
    case 'export-mock':
      return (await import('./export-mock-command.js')).exportMockCommand(args)
    case 'replay': {
      const { own, command } = splitCommand(args)
      let values, positionals
      try {
        ;({ values, positionals } = parseArgs({ args: own, options: { report: { type: 'string' }, 'allow-unused': { type: 'boolean' }, 'state-dir': { type: 'string' } }, allowPositionals: true, strict: true }))
      } catch (e) {
        return fail((e as Error).message)
      }
      const file = positionals[0]
      if (!file || command.length === 0) return fail('usage: aliyun-harness replay <transcript> [--report <file>] [--allow-unused] [--state-dir <dir>] -- <command…>')
      let t: Transcript
      let reportFile: string | undefined
      try {
        t = loadTranscript(file)
        if (values.report) reportFile = checkOutputPath(values.report, { flag: '--report' })
      } catch (e) {
        return fail((e as Error).message)
      }
      const report = await replaySession(file, t, resolveCommand(command), { allowUnused: values['allow-unused'], stateDir: values['state-dir'] })
      if (reportFile) writeOutputFile(reportFile, JSON.stringify(report, null, 2) + '\n', redactor)
      printReport(report)
      if (report.misses.length || report.unused.length) return TRANSCRIPT_MISMATCH_EXIT
      return report.exit_code ?? (report.signal === 'SIGINT' ? 130 : 143)
    }
    case 'record': {
      const { own, command } = splitCommand(args)
      let values, positionals
      try {
        ;({ values, positionals } = parseArgs({ args: own, options: { skill: { type: 'string' }, scenario: { type: 'string' } }, allowPositionals: true, strict: true }))
      } catch (e) {
        return fail((e as Error).message)
      }
      const file = positionals[0]
      if (!file || command.length === 0) return fail('usage: aliyun-harness record <transcript> [--skill <name>] [--scenario <text>] -- <command…>')
      let target: string
      try {
        // Checked before the command runs: a recording that cannot be saved must not cost a paid run.
        target = checkOutputPath(file, { flag: 'record', createDirs: true })
      } catch (e) {
        return fail((e as Error).message)
      }
      const skill = values.skill ?? (command[0] === 'aliyun-harness' ? command[1] : undefined) ?? 'unknown'
      const t: Transcript = {
        format: TRANSCRIPT_FORMAT,
        version: 1,
        skill,
        ...(values.scenario ? { scenario: values.scenario } : {}),
        harness_version: HARNESS_VERSION,
        cli_version: 'unknown',
        recorded_at: new Date().toISOString(),
        generated: {},
        entries: [],
      }
      const report = await recordSession(file, t, resolveCommand(command))
      try {
        saveTranscript(target, t, redactor)
      } catch (e) {
        // The command's own output already reached the terminal; only the transcript is lost.
        err(`aliyun-harness record: the transcript could not be written to ${file}: ${(e as Error).message}\n`)
        return report.exit_code || 1
      }
      err(`aliyun-harness record: ${t.entries.length} call(s) written to ${file}, scrubbed.\n`)
      return report.exit_code ?? 1
    }
    case 'audit': {
      let values, positionals
      try {
        ;({ values, positionals } = parseArgs({ args, options: { skill: { type: 'string' }, json: { type: 'boolean' }, acceptance: { type: 'boolean' } }, allowPositionals: true, strict: true }))
      } catch (e) {
        return fail((e as Error).message)
      }
      if (positionals.length === 0) return fail('usage: aliyun-harness audit <transcript…> [--skill <name>] [--acceptance] [--json]')
      if (values.skill && !skillNames().includes(values.skill)) return fail(`unknown skill '${values.skill}'. Skills: ${skillNames().join(', ')}`)
      const results = []
      for (const file of positionals) {
        let t: Transcript
        try {
          t = loadTranscript(file)
        } catch (e) {
          results.push({ transcript: file, violations: [{ entry: null, rule: 'format', message: (e as Error).message }] })
          continue
        }
        const skill = values.skill ?? t.skill
        if (!skillNames().includes(skill)) {
          results.push({ transcript: file, violations: [{ entry: null, rule: 'format', message: `transcript names unknown skill '${skill}'; pass --skill` }] })
          continue
        }
        const policy = getPolicy(skill)
        // --acceptance: the skill's acceptance rules too (lib/acceptance.ts), the same guard checks a session with.
        const acceptance = values.acceptance ? checkAcceptance(policy, sessionCalls(t)) : undefined
        results.push({ transcript: file, skill, violations: auditTranscript(t, policy), ...(acceptance ? { acceptance } : {}) })
      }
      const bad = results.filter((r) => r.violations.length || ('acceptance' in r && r.acceptance && !r.acceptance.ok))
      if (values.json) out(JSON.stringify({ ok: bad.length === 0, results }, null, 2) + '\n')
      else {
        for (const r of results) {
          const accepted = !('acceptance' in r) || !r.acceptance || r.acceptance.ok
          if (!r.violations.length && accepted) out(`ok   ${r.transcript}\n`)
          else for (const v of r.violations) out(`FAIL ${r.transcript}${v.entry === null ? '' : ` #${v.entry}`} [${v.rule}] ${v.message}\n`)
          if (!accepted) out(`FAIL ${r.transcript} [acceptance] ${r.acceptance!.counts.broken} rule(s) broken\n`)
          if ('acceptance' in r && r.acceptance) out(formatAcceptance(r.acceptance).trimEnd().replace(/^/gm, '  ') + '\n')
        }
        out(`${results.length - bad.length} passed, ${bad.length} failed\n`)
      }
      return bad.length ? 1 : 0
    }
    case 'demo': {
      const skill = args[0] ?? 'ecs-dr'
      const demo = DEMOS[skill]
      if (!demo) return fail(`no demo for '${skill}'. Demos: ${Object.keys(DEMOS).join(', ')}`)
      const file = join(packageRoot(), demo.recording)
      if (!existsSync(file)) return fail(`the bundled recording ${demo.recording} is missing`)
      err(`Replaying ${demo.recording} (no cloud account needed, no real waits):\n  aliyun-harness ${skill} ${demo.args.join(' ')}\n\n`)
      const { runSkill } = await import('./skill.js')
      const mod = (await import(`../scripts/${skill}.js`)) as { default: Parameters<typeof runSkill>[0] }
      // A demo is a replay: its run state and ai-mode lock live in a throw-away directory.
      const code = await runSkill(mod.default, [...demo.args, '--replay', file], { env: { ...process.env, ALIYUN_HARNESS_OUTPUT: process.env.ALIYUN_HARNESS_OUTPUT ?? 'human' } })
      err('\nNext, on your machine: aliyun-harness doctor (read-only: proves your aliyun CLI accepts every command the skills send)\n')
      return code
    }
  }
}

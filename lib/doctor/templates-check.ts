// Check 5: every command template of each selected skill, sent exactly as the skill sends it —
// through its runner: its policy (a template not on its allow-list is refused, never run),
// `--profile`, its user agent — with the CLI's dry-run flag added, so the CLI parses every flag
// and calls no API. Safety: nothing runs without a CLI that knows the dry-run flag (3.4.8+) and a
// valid profile (the CLI resolves credentials before it validates); a product whose plugin is not
// installed is never called (the CLI would offer or auto-install it); and a command that would
// change something runs only after a read-only command of the same plugin proved, by its dry-run
// dump, that the plugin honours the flag.

import { commandName, shellLine } from '../command.js'
import { PolicyError } from '../errors.js'
import { compareVersions, pluginFor } from '../local-commands.js'
import type { CommandTemplate } from '../templates.js'
import { judgeDryRun, type DryRunVerdict } from './dry-run-output.js'
import { pluginProduct, type Machine, type SkillUnderCheck } from './machine.js'
import { fail, ok, skipped, warn, type Check } from './report.js'

/** Reads: describe/list/get actions, or an ROA GET. Anything else is treated as a change. */
export function readsOnly(argv: readonly string[]): boolean {
  const [, action] = argv
  return /^(GET|HEAD)$/i.test(action ?? '') || /^(describe|list|get|query)-/.test(action ?? '')
}

/** Which engine parses a template: its plugin, or the CLI's built-in engine (`cs GET /…`). */
const engineOf = (argv: readonly string[]) => pluginProduct(argv) ?? 'built-in'

interface Job {
  skill: SkillUnderCheck
  template: CommandTemplate
  /** Sent as the skill's retry of it sends it (with the flags its retry rule adds). */
  retried: boolean
}

/** Why no template of any skill can run on this machine, or undefined. */
function blocked(m: Machine): string | undefined {
  const v = m.found.cliVersion
  const since = m.doctor.since.dry_run
  if (!v) return 'the aliyun CLI did not run (see the cli check), so nothing can validate the templates'
  if (compareVersions(v, since) < 0) return `aliyun ${v} predates ${m.doctor.dry_run_flag} (added in ${since}): these templates cannot be checked without calling the API`
  if (!m.found.credentials) return `${m.doctor.dry_run_flag} still loads and validates the profile before it looks at a flag, so without a valid profile (see credentials) every template would fail on that`
  return undefined
}

/**
 * Every template's row, and when there were templates but none was validated, one warning that
 * says so: doctor then proved nothing about what the skills send, and `status` must not read "ok".
 */
export async function checkTemplates(m: Machine): Promise<Check[]> {
  const rows = await templateRows(m)
  const total = m.skills.reduce((n, s) => n + s.templates.length, 0)
  if (total === 0 || rows.some((c) => c.status === 'ok')) return rows
  const fix = rows.find((c) => c.fix)?.fix ?? 'See why each template above was not validated, then run doctor again.'
  const skills = m.skills.filter((s) => s.templates.length).map((s) => s.name)
  return [...rows, warn('command templates validated', skills.join(', '), `None of the ${total} command template(s) could be validated here, so doctor has not shown that this CLI accepts what ${skills.length > 1 ? 'these skills send' : `${skills[0]} sends`}.`, fix)]
}

async function templateRows(m: Machine): Promise<Check[]> {
  const why = blocked(m)
  if (why) {
    const fix = m.found.cliVersion && compareVersions(m.found.cliVersion, m.doctor.since.dry_run) < 0 ? `Upgrade the aliyun CLI to ${m.doctor.since.dry_run} or later to have every command validated.` : 'Fix the checks above, then run doctor again.'
    return m.skills.map((s) => skipped('command templates', s.name, `${s.templates.length} command template(s) not validated: ${why}.`, fix))
  }
  const jobs = m.skills.flatMap((skill) =>
    skill.templates.flatMap((template) => [
      { skill, template, retried: false },
      ...(skill.runner.retryFlags(template).length ? [{ skill, template, retried: true }] : []),
    ]),
  )
  const results = new Map<Job, Check>()
  // Reads first: a plugin's dump proves it honours the dry-run flag before any change is sent to it.
  const proven = new Set<string>()
  for (const job of jobs.filter((j) => readsOnly(j.template.argv))) {
    const { check, validated } = await validate(m, job)
    if (validated) proven.add(engineOf(job.template.argv))
    results.set(job, check)
  }
  for (const job of jobs.filter((j) => !readsOnly(j.template.argv))) {
    const engine = engineOf(job.template.argv)
    results.set(
      job,
      proven.has(engine)
        ? (await validate(m, job)).check
        : skipped(name(job), job.skill.name, `${job.template.why}. Not sent: it would change something, and no read-only ${engine} command showed first that ${engine === 'built-in' ? 'the CLI' : `the ${engine} plugin`} honours ${m.doctor.dry_run_flag}.`, null),
    )
  }
  return jobs.map((j) => results.get(j)!)
}

const name = (job: Job) => `dry-run ${job.template.name}${job.retried ? ` (retried with ${job.skill.runner.retryFlags(job.template).join(' ')})` : ''}`

async function validate(m: Machine, job: Job): Promise<{ check: Check; validated: boolean }> {
  const { skill, template } = job
  const product = pluginProduct(template.argv)
  if (product && !m.found.plugins)
    return { check: skipped(name(job), skill.name, `${template.why}. Not sent: \`aliyun plugin list\` could not be read, and a command for a plugin that is not installed makes the CLI offer (or auto-install) it.`, null), validated: false }
  if (product && !pluginFor(m.found.plugins!, product))
    return { check: skipped(name(job), skill.name, `${template.why}. Not sent: the ${product} plugin is not installed (see plugin ${product}).`, `aliyun plugin install --names ${product}`), validated: false }
  let sent: { argv: string[]; raw: Parameters<typeof judgeDryRun>[0] }
  try {
    sent = await skill.runner.dryRun({ argv: template.argv, retry: template.retry, label: `${skill.name}: ${commandName(template.argv)}`, timeoutMs: 60_000 }, m.doctor.dry_run_flag, { retried: job.retried })
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e
    return { check: fail(name(job), skill.name, `${skill.name}'s own policy refuses its template, so the skill would refuse it too: ${e.message}`, 'This is a harness defect: report it with this output.'), validated: false }
  }
  const verdict = judgeDryRun(sent.raw, m.doctor.dry_run_flag, sent.argv)
  return { check: verdictCheck(m, job, verdict, `aliyun ${shellLine(sent.argv)}`), validated: verdict.kind === 'validated' }
}

function verdictCheck(m: Machine, job: Job, v: DryRunVerdict, command: string): Check {
  const { skill, template } = job
  const product = pluginProduct(template.argv)
  const parser = product ? `the ${product} plugin` : 'the CLI'
  const report = `If it persists after \`aliyun plugin update\`, the harness sends a spelling this CLI does not accept: do not run ${skill.name} until it is fixed, and report this output.`
  switch (v.kind) {
    case 'validated':
      return ok(name(job), skill.name, `${template.why}${job.retried ? ', as its retry sends it' : ''}: accepted without calling the API.`)
    case 'unknown-flag':
      return fail(
        name(job),
        skill.name,
        `${parser} rejects ${v.flag} in ${commandName(template.argv)}${v.suggestions.length ? `; did you mean ${v.suggestions.join(' or ')}?` : ''} (${skill.name}: ${template.why}). Sent: ${command}`,
        report,
      )
    case 'missing-required':
      return fail(name(job), skill.name, `${parser} says ${commandName(template.argv)} lacks required ${v.flags.join(', ') || 'parameters'} (${v.said}). Sent: ${command}`, report)
    case 'no-dry-run':
      return skipped(name(job), skill.name, `${parser} does not accept ${m.doctor.dry_run_flag} (${v.said}), so this template cannot be checked without calling the API.`, product ? `aliyun plugin update, then run doctor again.` : null)
    case 'not-a-dry-run':
      return warn(
        name(job),
        skill.name,
        `The CLI exited 0 but printed no dry-run dump${v.apiResponse ? ': it is an API response, so this read was sent to the cloud' : ''}; the template was not validated, and ${parser}'s commands that change something were not sent. Output: ${JSON.stringify(v.excerpt)}`,
        v.apiResponse ? `${parser} ignores ${m.doctor.dry_run_flag}: run \`aliyun plugin update\`, then doctor again.` : null,
      )
    case 'refused':
      return fail(
        name(job),
        skill.name,
        `The CLI refused ${commandName(template.argv)} (${v.code}: ${v.said}${v.suggestions.length ? `; did you mean ${v.suggestions.join(' or ')}?` : ''}). Sent: ${command}`,
        v.category === 'configuration' ? 'Fix the profile (see credentials), then run doctor again.' : v.category === 'plugin-missing' ? `aliyun plugin install --names ${product}` : report,
      )
  }
}

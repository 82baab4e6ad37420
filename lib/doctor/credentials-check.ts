// Check 2: `aliyun configure list` shows the profile the CLI will use as Valid — the one --profile
// names, else the one ALIBABA_CLOUD_PROFILE (or its aliases) names, else the current one. Only its
// name and validity are shown: the credential column is never read (lib/local-commands.ts).

import { system } from '../command.js'
import { CliError } from '../errors.js'
import { chosenProfile, parseConfigureList, profileChoice } from '../local-commands.js'
import type { Machine } from './machine.js'
import { fail, ok, type Check } from './report.js'

export async function checkCredentials(m: Machine): Promise<Check[]> {
  const choice = profileChoice(m)
  const configure = (name?: string) =>
    `Configure credentials outside this session: run \`aliyun configure${name ? ` --profile ${name}` : ''}\` in a terminal (or see https://help.aliyun.com/zh/cli/), then run doctor again.`
  let out: string
  try {
    out = await m.local.text({ argv: system(['configure', 'list']), label: 'configure list' })
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    return [fail('credentials', null, `\`aliyun configure list\` failed: ${e.message.split('\n')[0]}`, configure(choice.name))]
  }
  const rows = parseConfigureList(out)
  const row = chosenProfile(rows, choice)
  if (!row) {
    const what = choice.name ? `Profile '${choice.name}' (${choice.because}) is not configured` : 'No profile is marked current'
    return [fail('credentials', null, `${what}; \`aliyun configure list\` shows ${rows.length ? rows.map((r) => `'${r.name}'`).join(', ') : 'no profile'}.`, configure(choice.name))]
  }
  if (!row.valid) return [fail('credentials', null, `Profile '${row.name}' (${choice.because}) is not valid.`, configure(row.name))]
  m.found.credentials = true
  return [ok('credentials', null, `Profile '${row.name}' (${choice.because}) is valid.`)]
}

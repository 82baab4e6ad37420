// Check 2: `aliyun configure list` shows the profile the CLI will use as Valid — the one --profile
// names, else the one ALIBABA_CLOUD_PROFILE (or its aliases) names, else the current one. Only its
// name and validity are shown: the credential column is never read (lib/local-commands.ts).

import { system } from '../command.js'
import { CliError } from '../errors.js'
import { parseConfigureList } from '../local-commands.js'
import type { Machine } from './machine.js'
import { fail, ok, type Check } from './report.js'

/** The CLI's profile variables, first non-empty wins (aliyun-cli config/flags.go). */
const PROFILE_ENV = ['ALIBABACLOUD_PROFILE', 'ALIBABA_CLOUD_PROFILE', 'ALICLOUD_PROFILE'] as const

/** The profile the CLI will use and why: --profile, a profile variable, or the current one. */
export function profileChoice(m: Pick<Machine, 'profile' | 'env'>): { name?: string; because: string } {
  if (m.profile) return { name: m.profile, because: 'named by --profile' }
  const variable = PROFILE_ENV.find((v) => m.env[v])
  if (variable) return { name: m.env[variable], because: `named by ${variable}` }
  return { because: 'the current profile' }
}

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
  const row = choice.name ? rows.find((r) => r.name === choice.name) : rows.find((r) => r.current)
  if (!row) {
    const what = choice.name ? `Profile '${choice.name}' (${choice.because}) is not configured` : 'No profile is marked current'
    return [fail('credentials', null, `${what}; \`aliyun configure list\` shows ${rows.length ? rows.map((r) => `'${r.name}'`).join(', ') : 'no profile'}.`, configure(choice.name))]
  }
  if (!row.valid) return [fail('credentials', null, `Profile '${row.name}' (${choice.because}) is not valid.`, configure(row.name))]
  m.found.credentials = true
  return [ok('credentials', null, `Profile '${row.name}' (${choice.because}) is valid.`)]
}

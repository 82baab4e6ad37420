// The local pre-checks the skills share: CLI version, auto plugin install, plugin update, and the
// credential check through `configure list` only (D6, D7).

import { system } from './command.js'
import { CliError, StopError } from './errors.js'
import type { IO } from './io.js'
import { chosenProfile, compareVersions, parseConfigureList, parseVersion, profileChoice, type ProfileRow } from './local-commands.js'
import type { SkillPolicy } from './policy.js'
import type { Runner } from './runner.js'

export const CREDENTIALS_GUIDANCE = [
  'No valid credential profile was found by `aliyun configure list`. This workflow never asks for or handles AccessKeys itself.',
  '1. Obtain credentials (AccessKey, STS or OAuth identity) in the RAM console: https://ram.console.aliyun.com/manage/ak',
  '2. Configure them outside this session: run `aliyun configure` in a terminal, or set the ALIBABA_CLOUD_* environment variables in your shell profile.',
  '3. Re-run this command once `aliyun configure list` shows a Valid profile.',
].join('\n')

export class Preflight {
  constructor(
    private cli: Runner,
    private policy: SkillPolicy,
    private io: IO,
    private profile?: string,
    private env: NodeJS.ProcessEnv = {},
  ) {}

  /** `aliyun version` ≥ the skill's minimum. */
  async cliVersion(): Promise<string> {
    const out = await this.cli.text({ argv: system(['version']), label: 'aliyun version' })
    const version = parseVersion(out)
    const min = this.policy.min_cli_version
    if (!version) throw new StopError('CliVersionUnknown', `Could not read a version from \`aliyun version\` (it printed ${JSON.stringify(out.trim().slice(0, 60))}).`)
    if (compareVersions(version, min) < 0)
      throw new StopError('CliVersionTooOld', `aliyun CLI ${version} is older than ${min}, the minimum for ${this.policy.name}.`, {
        nextAction: `Upgrade the aliyun CLI to ${min} or later (https://help.aliyun.com/zh/cli/), then run this command again.`,
        data: { cli_version: version, minimum: min },
      })
    return version
  }

  async autoPluginInstall(): Promise<void> {
    await this.cli.text({ argv: system(['configure', 'set'], { 'auto-plugin-install': 'true' }), label: 'configure set --auto-plugin-install true' })
  }

  /** `aliyun plugin update`. A failure (offline index, one plugin failing) is reported, not fatal. */
  async pluginUpdate(): Promise<void> {
    try {
      await this.cli.text({ argv: system(['plugin', 'update']), label: 'plugin update' })
    } catch (e) {
      if (!(e instanceof CliError)) throw e
      this.io.note(`plugin update failed (${e.code}: ${e.message.split('\n')[0]}); continuing with the installed plugins.`)
    }
  }

  /**
   * The profile the CLI will use (--profile, else ALIBABA_CLOUD_PROFILE and its aliases, else the
   * current one) must be Valid in `configure list` — another valid profile does not help, the CLI
   * would not use it.
   */
  async credentials(): Promise<ProfileRow> {
    const out = await this.cli.text({ argv: system(['configure', 'list']), label: 'configure list' })
    const rows = parseConfigureList(out)
    const choice = profileChoice({ profile: this.profile, env: this.env })
    const wanted = chosenProfile(rows, choice)
    if (!wanted || !wanted.valid) {
      const which = choice.name || wanted ? `Profile '${choice.name ?? wanted!.name}' (${choice.because}) is ${wanted ? 'not valid' : 'not configured'}.\n` : ''
      throw new StopError('NoValidCredentials', which + CREDENTIALS_GUIDANCE, {
        nextAction: 'Configure credentials outside this session, then run this command again.',
        data: { profiles: rows.map((r) => ({ name: r.name, valid: r.valid })) },
      })
    }
    return wanted
  }
}

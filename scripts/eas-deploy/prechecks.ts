// Seed pre-checks, after the runner's `configure ai-mode enable` + `set-user-agent`: they never
// stop the run ("NEVER stop execution at the pre-check stage"), except a CLI older than 3.3.3 (D6),
// which cannot run this workflow at all.

import { system } from '../../lib/command.js'
import { CliError, StopError } from '../../lib/errors.js'
import type { SkillContext } from '../../lib/skill.js'
import { firstLine, type Notices } from './calls.js'

export const REQUIRED_PLUGINS = ['aiworkspace', 'eas'] as const

async function nonBlocking(notices: Notices, what: string, step: () => Promise<unknown>): Promise<boolean> {
  try {
    await step()
    return true
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    notices.add(`${what} failed (${firstLine(e)}); continuing (pre-checks are non-blocking).`)
    return false
  }
}

/** D6: `plugin install --names aiworkspace eas` (the seed's `install aiworkspace --force` is rejected by the CLI). */
export function installPlugins(ctx: SkillContext, notices: Notices): Promise<boolean> {
  return nonBlocking(notices, 'plugin install --names aiworkspace eas', () =>
    ctx.cli.text({ argv: system(['plugin', 'install'], { names: [...REQUIRED_PLUGINS] }), label: 'plugin install --names aiworkspace eas' }),
  )
}

/** The required plugins `plugin list` does not show (its rows start with `aliyun-cli-<code>`). */
export function missingPlugins(pluginList: string): string[] {
  const names = new Set(pluginList.split('\n').map((l) => l.trim().split(/\s+/)[0]?.toLowerCase().replace(/^aliyun-cli-/, '')))
  return REQUIRED_PLUGINS.filter((p) => !names.has(p))
}

export async function preChecks(ctx: SkillContext, region: string, notices: Notices): Promise<{ cliVersion?: string; missingPlugins: string[] }> {
  let cliVersion: string | undefined
  try {
    cliVersion = await ctx.preflight.cliVersion()
  } catch (e) {
    if (e instanceof StopError && e.code === 'CliVersionTooOld') throw e
    if (!(e instanceof CliError) && !(e instanceof StopError)) throw e
    notices.add(`Could not read the aliyun CLI version (${e.code}: ${e.message.split('\n')[0]}); continuing.`)
  }

  await ctx.preflight.pluginUpdate()
  await nonBlocking(notices, 'configure set --auto-plugin-install true', () => ctx.preflight.autoPluginInstall())
  // The seed updates the plugins once more before installing the two it needs.
  await ctx.preflight.pluginUpdate()
  await installPlugins(ctx, notices)

  let missing: string[] = []
  const listed = await nonBlocking(notices, 'plugin list', async () => {
    missing = missingPlugins(await ctx.cli.text({ argv: system(['plugin', 'list']), label: 'plugin list' }))
  })
  if (listed && missing.length) {
    notices.add(`plugin list does not show ${missing.join(', ')}; installing once more (non-blocking: auto-plugin-install fetches plugins on first use).`)
    await installPlugins(ctx, notices)
  }

  // Seed Step 1: the profile region must match --cluster-id, or EAS answers "Region mismatch".
  await nonBlocking(notices, `configure set --region ${region}`, () => ctx.cli.text({ argv: system(['configure', 'set'], { region }), label: `configure set --region ${region}` }))
  return { cliVersion, missingPlugins: missing }
}

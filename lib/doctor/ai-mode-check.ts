// Check 4: ai-mode as `aliyun configure ai-mode show` reports it, and the harness's ai-mode lock.
// ai-mode is one machine-wide setting: left enabled, every API call from this machine — of every
// skill — carries its user-agent segment. The lock is only read here, never taken or removed.

import { z } from 'zod'
import { AiModeLock, inspectLock } from '../aimode.js'
import { system } from '../command.js'
import { CliError } from '../errors.js'
import { compareVersions } from '../local-commands.js'
import { stateDir } from '../paths.js'
import type { Machine } from './machine.js'
import { ok, skipped, warn, type Check } from './report.js'

/** `configure ai-mode show` (aliyun-cli config/configure_ai_mode.go): `user_agent` is omitted when unset. */
const AiModeShow = z.object({ enabled: z.boolean(), user_agent: z.string().optional(), effective_user_agent: z.string().optional() })

const DISABLE = 'aliyun configure ai-mode disable'

export async function checkAiMode(m: Machine): Promise<Check[]> {
  return [await setting(m), lock(m)]
}

async function setting(m: Machine): Promise<Check> {
  const since = m.doctor.since.ai_mode
  if (m.found.cliVersion && compareVersions(m.found.cliVersion, since) < 0) return skipped('ai-mode', null, `aliyun ${m.found.cliVersion} has no ai-mode (added in ${since}).`, null)
  let shown
  try {
    shown = AiModeShow.safeParse(JSON.parse(await m.local.text({ argv: system(['configure', 'ai-mode', 'show']), label: 'configure ai-mode show' })))
  } catch (e) {
    if (!(e instanceof CliError) && !(e instanceof SyntaxError)) throw e
    return skipped('ai-mode', null, `\`aliyun configure ai-mode show\` could not be read (${e.message.split('\n')[0]}).`, null)
  }
  if (!shown.success) return skipped('ai-mode', null, '`aliyun configure ai-mode show` did not print the expected JSON (enabled, user_agent).', null)
  const state = shown.data
  if (!state.enabled) return ok('ai-mode', null, 'ai-mode is disabled.')
  const ua = state.user_agent ?? state.effective_user_agent ?? 'AlibabaCloud-Agent-Skills'
  const held = inspectLock(AiModeLock.path(stateDir(m.env)))
  if (held.kind === 'held') return ok('ai-mode', null, `ai-mode is enabled by a running ${held.holder.skill} run (run ${held.holder.run_id}, pid ${held.holder.pid}) with user agent ${ua}.`)
  const owner = m.allPolicies.find((p) => p.ai_mode && p.user_agent === ua)
  if (owner)
    return warn('ai-mode', null, `ai-mode is enabled with ${owner.name}'s user agent (${ua}) but no ${owner.name} run holds it: a run ended without disabling it. Every API call from this machine now carries "AlibabaCloud-AIMode/enabled ${ua}".`, DISABLE)
  const users = m.allPolicies.filter((p) => p.ai_mode).map((p) => p.name)
  return warn(
    'ai-mode',
    null,
    `ai-mode is enabled with user agent '${ua}', which is not this harness's: every API call from this machine, of every skill, carries "AlibabaCloud-AIMode/enabled ${ua}". ${users.join(' and ')} set their own while they run and disable ai-mode when they finish.`,
    `If no other tool needs it: ${DISABLE}`,
  )
}

function lock(m: Machine): Check {
  const file = AiModeLock.path(stateDir(m.env))
  const state = inspectLock(file)
  if (state.kind === 'free') return ok('ai-mode lock', null, `No harness run holds the ai-mode lock (${file}).`)
  if (state.kind === 'held') {
    const h = state.holder
    return ok('ai-mode lock', null, `Held by a running ${h.skill} run (run ${h.run_id}, pid ${h.pid} on ${h.host}) since ${h.started_at}.`)
  }
  const h = state.holder
  return warn(
    'ai-mode lock',
    null,
    `The ai-mode lock ${file} is stale${h ? ` (${h.skill}, run ${h.run_id}, pid ${h.pid}, since ${h.started_at})` : ''}: ${state.why}.`,
    `The next ai-mode run takes it over and says so; to clear it now, delete ${file}. If \`aliyun configure ai-mode show\` says enabled, run \`${DISABLE}\`.`,
  )
}

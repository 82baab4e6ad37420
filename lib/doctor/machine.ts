// What every doctor check reads, and what the earlier checks learned for the later ones.

import type { PluginRow } from '../local-commands.js'
import type { DoctorPolicy, SkillPolicy } from '../policy.js'
import type { Runner } from '../runner.js'
import type { CommandTemplate } from '../templates.js'

export interface SkillUnderCheck {
  name: string
  policy: SkillPolicy
  /** Sends this skill's templates: its policy, its user agent (the runner's rule), `--profile`. */
  runner: Runner
  templates: CommandTemplate[]
}

export interface Machine {
  env: NodeJS.ProcessEnv
  profile?: string
  doctor: DoctorPolicy
  /** Runs doctor's own local reads under its D10 allow-list. */
  local: Runner
  skills: SkillUnderCheck[]
  /** Every skill's policy, selected or not (ai-mode: whose user agent a setting is). */
  allPolicies: SkillPolicy[]
  /** Learned by the checks, in order. */
  found: {
    cliVersion?: string
    /** The profile the CLI will use is Valid. */
    credentials?: boolean
    /** `plugin list`, when it could be read. */
    plugins?: PluginRow[]
  }
}

/** The plugin a command runs in: the product of a lower-case action (`ecs describe-instances`); none for `cs GET /…`. */
export function pluginProduct(argv: readonly string[]): string | undefined {
  const [product, action] = argv
  if (!product || !action || action.startsWith('-')) return undefined
  if (/^(GET|POST|PUT|DELETE)$/i.test(action) || action !== action.toLowerCase()) return undefined
  return product.toLowerCase()
}

/** Products each selected skill calls in plugin mode, with the skills that call them. */
export function pluginProducts(skills: readonly SkillUnderCheck[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const s of skills)
    for (const t of s.templates) {
      const p = pluginProduct(t.argv)
      if (!p) continue
      const users = out.get(p) ?? []
      if (!users.includes(s.name)) users.push(s.name)
      out.set(p, users)
    }
  return out
}

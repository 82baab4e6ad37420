// Command templates: every command a skill can send, with representative values, built by the very
// functions its steps call. `aliyun-harness doctor` has the real CLI validate each one (dry-run), so
// a template list cannot drift from what the skill runs: there is no second copy of any argv.

import type { Flags } from './command.js'
import type { SkillPolicy } from './policy.js'
import { regionFlags } from './region.js'
import type { RetryChoice } from './runner.js'

export interface CommandTemplate {
  /** Unique within the skill: `ecs describe-instances`, `ecs describe-invocations (next page)`. */
  name: string
  /** The argv exactly as the step builds it, without the user agent (the runner adds that). */
  argv: string[]
  /** Which step sends it, and when. */
  why: string
  /** The step's retry choice (Step.retry): doctor also validates the flags a retry adds (`--read-timeout 60`). */
  retry?: RetryChoice
}

/** What a skill's builders may read when they run outside a workflow: its policy and its regional flags. */
export interface TemplateContext {
  readonly policy: SkillPolicy
  region(product: string, region: string): Flags
}

export function templateContext(policy: SkillPolicy): TemplateContext {
  return { policy, region: (product, region) => regionFlags(policy, product, region) }
}

/** Representative values for templates, shared so every skill's templates read alike. */
export const SAMPLE = {
  region: 'cn-hangzhou',
  zone: 'cn-hangzhou-j',
  /** A next-page token: any non-empty text the CLI accepts as a flag value. */
  nextToken: 'doctor-sample-next-token',
} as const

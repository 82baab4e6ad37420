// A flink resource spec read the original wrapper's way, and the spec a namespace was given: the
// capacity check and the terminal tables count a namespace the same way. Only types come from
// schemas.ts, so the terminal renderer (loaded at start-up) does not load zod.

import type { FlinkNamespace, ResourceSpec } from './schemas.js'

export interface SpecValues {
  cpu: number | undefined
  memoryGb: number | undefined
}

/** `(cpu, memory_gb)` of a spec, either spelling, as the original's `_get_resource_spec_values`. */
export function specValues(spec: ResourceSpec | undefined): SpecValues {
  if (!spec) return { cpu: undefined, memoryGb: undefined }
  return { cpu: spec.Cpu ?? spec.cpu, memoryGb: spec.MemoryGB ?? spec.memory_gb }
}

export const holdsSome = (s: SpecValues) => (s.cpu ?? 0) > 0 || (s.memoryGb ?? 0) > 0
const larger = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b))

/**
 * The spec a namespace was given. `GuaranteedResourceSpec` when it holds anything (a subscription
 * namespace, or the subscription part of a hybrid one, whose pay-as-you-go caps draw on the
 * instance's separate elastic quota); otherwise the larger of `ElasticResourceSpec` and
 * `ResourceSpec`, value by value (pay-as-you-go caps; the older field). A zero ElasticResourceSpec —
 * what a namespace without pay-as-you-go resources returns — never hides what ResourceSpec says.
 * (The original wrapper read ElasticResourceSpec first and counted such a namespace as 0.)
 */
export function namespaceSpec(ns: FlinkNamespace): SpecValues {
  const guaranteed = specValues(ns.GuaranteedResourceSpec)
  if (holdsSome(guaranteed)) return guaranteed
  const elastic = specValues(ns.ElasticResourceSpec)
  const legacy = specValues(ns.ResourceSpec)
  return { cpu: larger(elastic.cpu, legacy.cpu), memoryGb: larger(elastic.memoryGb, legacy.memoryGb) }
}

// Instance families by workload. The seed's guidance names five: ecs.g (general purpose), ecs.c
// (compute-optimized), ecs.r (memory-optimized), ecs.hfc (high clock frequency), ecs.ebm (elastic
// bare metal). Everything else is classified from its well-known prefix so the report can say what
// the family is for; whether it suits the workload is an inference the API cannot settle.

export interface FamilyInfo {
  family: string
  workloadClass: string
  /** One of the five families the skill's guidance names. */
  inGuidance: boolean
  /** A g/c/r generation before 6, or a retired shared/enterprise family (sn1, sn2, se1, n1 …). */
  previousGeneration: boolean
}

const CLASSES: [RegExp, string, boolean][] = [
  // Order matters: bare metal and GPU prefixes start with letters that also begin g/c/r.
  [/^ebm/, 'elastic bare metal (ebm)', true],
  [/^hf[cgr]/, 'high clock frequency (hfc)', true],
  [/^(gn|vgn|sgn|ga)/, 'GPU accelerated', false],
  [/^g/, 'general purpose (g)', true],
  [/^c/, 'compute-optimized (c)', true],
  [/^re?$/, 'memory-optimized (r)', true],
  [/^t/, 'burstable (t)', false],
  [/^(sn1|sn2|se1|n1|n2|n4|mn4|xn4|e3|s|e)$/, 'shared or entry level', false],
  [/^(i|d)/, 'local or big-data storage', false],
  [/^u/, 'universal (u)', false],
]

const RETIRED = /^(sn1|sn2|se1|n1|n2|n4|mn4|xn4|e3)$/

/** `ecs.g7` (or, when the family field is empty, the family part of `ecs.g7.large`). */
export function familyOf(instanceTypeFamily: string, instanceType: string): string {
  if (instanceTypeFamily) return instanceTypeFamily
  const parts = instanceType.split('.')
  return parts.length >= 2 ? `${parts[0]}.${parts[1]}` : instanceType || 'unknown'
}

export function classifyFamily(family: string): FamilyInfo {
  const m = /^ecs\.([a-z]+?)(\d+)?([a-z-]*)$/.exec(family)
  if (!m) return { family, workloadClass: 'unknown', inGuidance: false, previousGeneration: false }
  const letters = m[1]
  const generation = m[2] === undefined ? undefined : Number(m[2])
  const head = generation === undefined ? letters + m[3] : letters
  const retiredKey = generation === undefined ? head : `${letters}${generation}`
  const hit = CLASSES.find(([re]) => re.test(RETIRED.test(retiredKey) ? retiredKey : head))
  const workloadClass = hit?.[1] ?? 'other'
  const inGuidance = hit?.[2] ?? false
  const oldMainline = inGuidance && /^[gcr]$|^re$/.test(letters) && generation !== undefined && generation < 6
  return { family, workloadClass, inGuidance, previousGeneration: oldMainline || RETIRED.test(retiredKey) }
}

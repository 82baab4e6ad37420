// Alternatives offered at decisions — never applied without one (D4): instance types in stock in
// the chosen zone that are closest to the original, and the closest supported disk category.

export interface TypeName {
  /** `g7` in `ecs.g7.xlarge` */
  family: string
  /** `g` — the family's class letters */
  kind: string
  /** `7` */
  generation: number
  /** `xlarge` */
  size: string
}

/** `ecs.g7.xlarge` → {family g7, kind g, generation 7, size xlarge}; undefined for other shapes. */
export function parseInstanceType(type: string): TypeName | undefined {
  const m = type.match(/^ecs\.([a-z0-9-]+)\.([a-z0-9-]+)$/)
  if (!m) return undefined
  const family = m[1]
  const fm = family.match(/^([a-z]+)(\d*)/)
  return { family, kind: fm?.[1] ?? family, generation: fm?.[2] ? Number(fm[2]) : 0, size: m[2] }
}

export interface TypeAlternative {
  type: string
  label: string
}

/**
 * In-stock types of the same size, closest first: same family class (g, c, r …) before others,
 * then the nearest generation, newer before older at the same distance.
 */
export function rankAlternatives(original: string, inStock: readonly string[], max = 3): TypeAlternative[] {
  const o = parseInstanceType(original)
  if (!o) return []
  const scored = [...new Set(inStock)]
    .filter((t) => t !== original)
    .map((t) => ({ t, p: parseInstanceType(t) }))
    .filter((x): x is { t: string; p: TypeName } => Boolean(x.p) && x.p!.size === o.size)
    .map(({ t, p }) => ({ t, p, score: (p.kind === o.kind ? 0 : 100) + Math.abs(p.generation - o.generation) * 2 + (p.generation < o.generation ? 1 : 0) }))
    .sort((a, b) => a.score - b.score || (a.t < b.t ? -1 : 1))
  return scored.slice(0, max).map(({ t, p }) => ({
    type: t,
    label: `${t} (${p.kind !== o.kind ? 'different family' : p.generation > o.generation ? 'newer generation' : p.generation < o.generation ? 'older generation' : 'similar'}, in stock)`,
  }))
}

/** A size in units of `large` (2 vCPUs): small ¼, medium ½, large 1, xlarge 2, Nxlarge 2N; undefined for others (metal …). */
function sizeUnits(size: string): number | undefined {
  const named: Record<string, number> = { small: 0.25, medium: 0.5, large: 1 }
  if (size in named) return named[size]
  const m = size.match(/^(\d*)xlarge$/)
  return m ? 2 * (m[1] ? Number(m[1]) : 1) : undefined
}

/**
 * In-stock types of another size, for when no type of the source's size is in stock: the same
 * family class first, then the nearest size, then the nearest generation.
 */
export function rankOtherSizes(original: string, inStock: readonly string[], max = 3): TypeAlternative[] {
  const o = parseInstanceType(original)
  const ou = o && sizeUnits(o.size)
  if (!o || ou === undefined) return []
  const scored = [...new Set(inStock)]
    .map((t) => ({ t, p: parseInstanceType(t) }))
    .map(({ t, p }) => ({ t, p, u: p && p.size !== o.size ? sizeUnits(p.size) : undefined }))
    .filter((x): x is { t: string; p: TypeName; u: number } => x.u !== undefined)
    .map((x) => ({ ...x, score: (x.p.kind === o.kind ? 0 : 1000) + Math.abs(Math.log2(x.u / ou)) * 10 + Math.abs(x.p.generation - o.generation) * 2 + (x.p.generation < o.generation ? 1 : 0) }))
    .sort((a, b) => a.score - b.score || (a.t < b.t ? -1 : 1))
  return scored.slice(0, max).map(({ t, p, u }) => ({ type: t, label: `${t} (${u > ou ? 'larger' : 'smaller'} size${p.kind !== o.kind ? ', different family' : ''}, in stock)` }))
}

/** For each source category, the supported categories to offer instead, closest first. */
const CLOSEST: Record<string, string[]> = {
  cloud_essd_entry: ['cloud_essd', 'cloud_auto', 'cloud_efficiency', 'cloud_ssd'],
  cloud_essd: ['cloud_auto', 'cloud_essd_entry', 'cloud_ssd', 'cloud_efficiency'],
  cloud_auto: ['cloud_essd', 'cloud_essd_entry', 'cloud_ssd', 'cloud_efficiency'],
  cloud_ssd: ['cloud_essd', 'cloud_auto', 'cloud_essd_entry', 'cloud_efficiency'],
  cloud_efficiency: ['cloud_essd_entry', 'cloud_auto', 'cloud_essd', 'cloud_ssd'],
  cloud: ['cloud_efficiency', 'cloud_essd_entry', 'cloud_auto', 'cloud_essd'],
}

export function rankCategories(original: string, supported: readonly string[], max = 4): string[] {
  const order = CLOSEST[original] ?? []
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length)
  return [...new Set(supported)]
    .filter((c) => c !== original)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
    .slice(0, max)
}

/** Only the cloud_essd family takes a performance level (seed step 5). */
export function takesPerformanceLevel(category: string): boolean {
  return category === 'cloud_essd'
}

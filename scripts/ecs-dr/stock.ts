// The source type's stock per zone (step 4a): read from DescribeAvailableResource, shown as the
// seed's zone + stock table, and ranked for the zone decision and "pick another zone" options.
// StatusCategory (ECS API reference): WithStock — sufficient stock, replenished; ClosedWithStock —
// in stock but low and not replenished (the API recommends WithStock resources instead);
// WithoutStock — sold out, to be replenished; ClosedWithoutStock — sold out for good.

import type { DescribeAvailableResourceResponse } from './schemas.js'
import type { SourceFacts, ZoneStock } from './model.js'

/** Every zone but the source zone, with whether the source type is in stock there, by zone id. */
export function zoneStock(res: DescribeAvailableResourceResponse, source: SourceFacts): ZoneStock[] {
  const type = source.instance_type
  return res.AvailableZones.AvailableZone.filter((z) => z.ZoneId !== source.zone_id)
    .map((z) => {
      const r = z.AvailableResources.AvailableResource.find((a) => a.Type === 'InstanceType')?.SupportedResources.SupportedResource.find((s) => s.Value === type)
      return { zone: z.ZoneId, in_stock: z.Status === 'Available' && r?.Status === 'Available', status_category: r?.StatusCategory || z.StatusCategory }
    })
    .sort((a, b) => (a.zone < b.zone ? -1 : 1))
}

/** In stock and replenished first, then in stock but closing, then sold out (to be replenished first). */
const CATEGORY_RANK: Record<string, number> = { WithStock: 0, ClosedWithStock: 1, WithoutStock: 2, ClosedWithoutStock: 3 }
const rank = (s: ZoneStock) => (s.in_stock ? 0 : 10) + (CATEGORY_RANK[s.status_category] ?? 4)

/** Best stock first; zones of equal stock by zone id. */
export function rankZones(stock: readonly ZoneStock[]): ZoneStock[] {
  return [...stock].sort((a, b) => rank(a) - rank(b) || (a.zone < b.zone ? -1 : 1))
}

/** Zones where the source type is in stock, except `except`, best stock first. */
export function inStockZones(stock: readonly ZoneStock[], except?: string): ZoneStock[] {
  return rankZones(stock.filter((s) => s.in_stock && s.zone !== except))
}

/** What a category that is not plain WithStock means for the user. */
export function categoryMeaning(category: string): string | undefined {
  if (category === 'ClosedWithStock') return 'low stock that will not be replenished'
  if (category === 'ClosedWithoutStock') return 'will not be replenished'
  return undefined
}

export function isInStock(stock: readonly ZoneStock[], zone: string): boolean {
  return stock.some((s) => s.zone === zone && s.in_stock)
}

/** The zone a "pick another zone" option offers: the first where the source type is in stock. */
export function otherZone(stock: readonly ZoneStock[], zone: string): ZoneStock | undefined {
  return inStockZones(stock, zone)[0]
}

export function stockLabel(s: ZoneStock): string {
  const meaning = categoryMeaning(s.status_category)
  return `${s.in_stock ? 'In stock' : 'Sold out'}${s.status_category ? ` (${s.status_category}${meaning ? `: ${meaning}` : ''})` : ''}`
}

export function stockTable(stock: readonly ZoneStock[]): string {
  const width = Math.max(4, ...stock.map((s) => s.zone.length)) + 2
  return [`${'Zone'.padEnd(width)}Stock`, ...stock.map((s) => `${s.zone.padEnd(width)}${stockLabel(s)}`)].join('\n')
}

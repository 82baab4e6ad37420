// The source type's stock per zone (step 4a): read from DescribeAvailableResource, shown as the
// seed's zone + stock table, and the zones a "pick another zone" option may offer.

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

/** Zones where the source type is in stock, except `except`. */
export function inStockZones(stock: readonly ZoneStock[], except?: string): ZoneStock[] {
  return stock.filter((s) => s.in_stock && s.zone !== except)
}

export function isInStock(stock: readonly ZoneStock[], zone: string): boolean {
  return stock.some((s) => s.zone === zone && s.in_stock)
}

/** The zone a "pick another zone" option offers: the first where the source type is in stock. */
export function otherZone(stock: readonly ZoneStock[], zone: string): ZoneStock | undefined {
  return inStockZones(stock, zone)[0]
}

export function stockLabel(s: ZoneStock): string {
  return `${s.in_stock ? 'In stock' : 'Sold out'}${s.status_category ? ` (${s.status_category})` : ''}`
}

export function stockTable(stock: readonly ZoneStock[]): string {
  const width = Math.max(4, ...stock.map((s) => s.zone.length)) + 2
  return [`${'Zone'.padEnd(width)}Stock`, ...stock.map((s) => `${s.zone.padEnd(width)}${stockLabel(s)}`)].join('\n')
}

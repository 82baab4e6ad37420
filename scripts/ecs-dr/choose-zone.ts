// Step 4a's decision: the zone of the new instance, from the stock of the source type in the other
// zones of the region (the seed's zone + stock table as the question's context).

import { StopError } from '../../lib/errors.js'
import { answer, type Choice } from './choice.js'
import type { SourceFacts, ZoneStock } from './model.js'
import { categoryMeaning, rankZones, stockTable } from './stock.js'

export interface ZoneFacts {
  region: string
  source: SourceFacts
  stock: readonly ZoneStock[]
}

function zoneLabel(s: ZoneStock): string {
  if (!s.in_stock) return `${s.zone} (sold out: other types will be offered)`
  const meaning = categoryMeaning(s.status_category)
  return `${s.zone} (in stock${s.status_category ? `: ${s.status_category}` : ''}${meaning ? ` — ${meaning}` : ''})`
}

/** The zone decision offers the best stock first: WithStock before ClosedWithStock, sold out last. */
export function chooseZone(f: ZoneFacts, flag: string | undefined): Choice<string> {
  const { source, stock, region } = f
  if (flag && stock.some((s) => s.zone === flag)) return answer(flag)
  if (!stock.length)
    return {
      kind: 'stop',
      error: new StopError('NoTargetZone', `No zone of ${region} other than ${source.zone_id} offers ${source.instance_type} (${source.instance_charge_type}).`, {
        nextAction: 'Recovery needs another zone in the same region; check the instance type offering in the ECS console.',
      }),
    }
  const why = flag
    ? `--target-zone ${flag} ${flag === source.zone_id ? 'is the source zone; the new instance must run in another zone' : `is not a zone that offers ${source.instance_type} in ${region}`}.\n`
    : ''
  const ordered = rankZones(stock).slice(0, 4)
  return {
    kind: 'ask',
    spec: {
      id: 'target-zone',
      question: 'Which zone should the recovered instance run in?',
      flag: '--target-zone',
      context: `${why}Stock of ${source.instance_type} (${source.instance_charge_type}) in the other zones of ${region}:\n${stockTable(stock)}`,
    },
    options: ordered.map((s, i) => ({
      value: s.zone,
      label: zoneLabel(s),
      recommended: i === 0 && s.in_stock,
      outcome: answer(s.zone),
    })),
  }
}

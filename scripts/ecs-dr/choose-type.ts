// The instance-type decisions: the type for the chosen zone (step 4a, the seed's "Keep original
// type / Choose another type", or alternatives when the source type is sold out), and the type
// after run-instances said the zone is out of stock. Never a substitution without a decision (D4),
// and never a question with a single option: there is always a way out of keeping the source type.

import { StopError } from '../../lib/errors.js'
import { rankAlternatives, rankOtherSizes, type TypeAlternative } from './alternatives.js'
import { PLACEMENT_FLAGS, vswitchArgs, type Answers } from './answers.js'
import { answer, replan, type AskOption, type Choice } from './choice.js'
import type { ZoneStock } from './model.js'
import { categoryMeaning, isInStock, otherZone } from './stock.js'

export interface TypeAnswer {
  type: string
  /** Why the type differs from the source's (reported in the plan and the comparison). */
  why?: string
}

export interface TypeFacts {
  /** The source instance type. */
  original: string
  zone: string
  stock: readonly ZoneStock[]
  /** Every type in stock in the zone (4a'). */
  types: readonly string[]
  /** The command that continues the run (for a stop's next action). */
  resume: string
}

/** The source type, asked for and in stock in the zone, needs no listing of the zone's types. */
export function keepsInStockOriginal(original: string, zone: string, stock: readonly ZoneStock[], flag: string | undefined): TypeAnswer | undefined {
  return flag === original && isInStock(stock, zone) ? { type: original } : undefined
}

/** Same-size alternatives; only when there is none, the closest types of another size. */
function typeChoices(original: string, types: readonly string[]): { sameSize: boolean; alternatives: TypeAlternative[] } {
  const same = rankAlternatives(original, types)
  return same.length ? { sameSize: true, alternatives: same } : { sameSize: false, alternatives: rankOtherSizes(original, types) }
}

/** "Pick another zone" where the source type is in stock: a new round with the source type there. */
function zoneOption<T>(other: ZoneStock, original: string): AskOption<T> {
  return {
    value: `zone:${other.zone}`,
    label: `Pick another zone: ${other.zone} (${original} in stock there${categoryMeaning(other.status_category) ? `: ${other.status_category}, ${categoryMeaning(other.status_category)}` : ''})`,
    args: ['--target-zone', other.zone, '--instance-type', original],
    outcome: replan({ zone: other.zone, instanceType: original }),
  }
}

/**
 * The last way out when nothing else is on offer: the zone question again, with the stock of every
 * zone (its continuation drops every placement flag; a zone where the source type is sold out
 * offers the types in stock there).
 */
function zoneQuestionOption<T>(): AskOption<T> {
  return { value: 'zone-question', label: 'Choose another zone (asks the zone question again, with the stock table)', args: [], outcome: replan({}) }
}

/** At least two options: a single one gets the zone question as its way out. */
function withWayOut<T>(options: AskOption<T>[]): AskOption<T>[] {
  return options.length === 1 ? [...options, zoneQuestionOption<T>()] : options
}

export function chooseInstanceType(f: TypeFacts, answers: Answers): Choice<TypeAnswer> {
  const { original, zone, stock, types } = f
  const flag = answers.instanceType
  const kept = keepsInStockOriginal(original, zone, stock, flag)
  if (kept) return answer(kept)
  const originalInStock = isInStock(stock, zone)
  const why = (t: string) => (t === original ? undefined : `${original} ${originalInStock ? 'was in stock, but' : `is sold out in ${zone};`} ${t} was chosen instead`)
  if (flag && types.includes(flag)) return answer({ type: flag, why: why(flag) })
  const keep = vswitchArgs(answers)
  const pick = (type: string) => ({ args: ['--target-zone', zone, '--instance-type', type, ...keep], outcome: answer({ type, why: why(type) }) })
  const { sameSize, alternatives } = typeChoices(original, types)
  // Another zone with the source type: when it is sold out here, or when no type of its size is in stock here.
  const other = !originalInStock || !sameSize ? otherZone(stock, zone) : undefined
  const first = originalInStock ? [{ value: original, label: `Keep original type ${original}`, recommended: true, ...pick(original) }] : []
  const last = other ? [zoneOption<TypeAnswer>(other, original)] : []
  const room = 4 - first.length - last.length
  const options: AskOption<TypeAnswer>[] = [
    ...first,
    ...alternatives.slice(0, room).map((a, i) => ({ value: a.type, label: a.label, recommended: !originalInStock && i === 0, ...pick(a.type) })),
    ...last,
  ]
  if (!options.length)
    return {
      kind: 'stop',
      error: new StopError('NoInstanceTypeInStock', `${original} is sold out in ${zone}, no other instance type is in stock there, and no other zone has ${original} in stock.`, {
        nextAction: `Pick another type with --instance-type (see the ECS console for what ${zone} offers), then continue with: ${f.resume}`,
      }),
    }
  if (!options.some((o) => o.recommended)) options[0].recommended = true
  return {
    kind: 'ask',
    spec: {
      id: 'instance-type',
      question: originalInStock ? `Instance type for the new instance in ${zone}?` : `Original type ${original} is out of stock in ${zone}. Pick an alternative:`,
      flag: '--instance-type',
      replaces: PLACEMENT_FLAGS,
      ...(flag ? { context: `--instance-type ${flag} is not in stock in ${zone}.` } : {}),
    },
    options: withWayOut(options),
  }
}

export interface NoStockFacts extends TypeFacts {
  /** The type and VSwitch run-instances was called with. */
  planned: { type: string; vswitchId: string }
  error: { code: string; message: string; requestId?: string }
}

/** run-instances said the planned type is out of stock in the zone: in-stock alternatives there, or another zone. */
export function chooseAfterNoStock(f: NoStockFacts): Choice<never> {
  const { original, zone, stock, planned, error } = f
  const types = f.types.filter((t) => t !== planned.type)
  const { alternatives } = typeChoices(original, types)
  const other = otherZone(stock, zone)
  const pick = (type: string) => ({ args: ['--target-zone', zone, '--instance-type', type, '--vswitch-id', planned.vswitchId], outcome: replan({ zone, instanceType: type, vswitchId: planned.vswitchId }) })
  const options: AskOption<never>[] = [
    ...(original !== planned.type && types.includes(original) ? [{ value: original, label: `${original} (the source type, in stock)`, ...pick(original) }] : []),
    ...alternatives.map((a) => ({ value: a.type, label: a.label, ...pick(a.type) })),
  ]
    .slice(0, other ? 3 : 4)
    .map((o, i) => ({ ...o, recommended: i === 0 }))
  if (other) options.push({ ...zoneOption<never>(other, original), recommended: options.length === 0 })
  if (!options.length)
    return {
      kind: 'stop',
      error: new StopError(error.code, `run-instances: ${planned.type} is out of stock in ${zone} (${error.code}: ${error.message}) and no alternative is in stock.`, {
        requestId: error.requestId,
        nextAction: `Try again later, or choose another --instance-type or --target-zone, then continue with: ${f.resume}`,
      }),
    }
  return {
    kind: 'ask',
    spec: {
      id: 'no-stock',
      question: `run-instances: ${planned.type} is out of stock in ${zone} (${error.code}). Pick an alternative:`,
      flag: '--instance-type',
      replaces: PLACEMENT_FLAGS,
      context: error.message,
    },
    options: withWayOut(options),
  }
}

// Step 4b's decision: a VSwitch of the source VPC in the zone — an existing one, or one to create
// (with a suggested CIDR block) only after a decision or --create-vswitch --cidr-block.

import { StopError } from '../../lib/errors.js'
import { PLACEMENT_FLAGS, type Answers } from './answers.js'
import { answer, replan, type AskOption, type Choice } from './choice.js'
import { overlaps, parseCidr, suggestCidr } from './cidr.js'
import type { SourceFacts, ZoneStock } from './model.js'
import type { EcsVSwitch } from './schemas.js'
import { inStockZones, otherZone } from './stock.js'

export type VSwitchAnswer = { kind: 'existing'; id: string } | { kind: 'create'; cidr: string }

export interface VSwitchFacts {
  source: SourceFacts
  zone: string
  /** The instance type chosen for the zone (kept in the continuations). */
  type: string
  stock: readonly ZoneStock[]
  /** Every VSwitch of the source VPC (4b). */
  vswitches: readonly EcsVSwitch[]
  resume: string
}

/** Available VSwitches first, then the one with the most free addresses. */
function inZone(all: readonly EcsVSwitch[], zone: string): EcsVSwitch[] {
  return all.filter((v) => v.ZoneId === zone).sort((a, b) => Number(b.Status === 'Available') - Number(a.Status === 'Available') || b.AvailableIpAddressCount - a.AvailableIpAddressCount)
}

export function chooseVSwitch(f: VSwitchFacts, answers: Answers): Choice<VSwitchAnswer> {
  const { source, zone, type, vswitches: all } = f
  const here = inZone(all, zone)
  const suggested = suggestCidr(all.find((v) => v.VSwitchId === source.vswitch_id)?.CidrBlock ?? all[0]?.CidrBlock ?? '', all.map((v) => v.CidrBlock))
  let context: string | undefined
  if (answers.vswitchId) {
    const v = all.find((x) => x.VSwitchId === answers.vswitchId)
    if (v && v.ZoneId === zone) return answer({ kind: 'existing', id: v.VSwitchId })
    context = `--vswitch-id ${answers.vswitchId} ${v ? `is in ${v.ZoneId}, not ${zone}` : `is not a VSwitch of ${source.vpc_id}`}.`
  } else if (answers.createVswitch && answers.cidrBlock) {
    const wanted = parseCidr(answers.cidrBlock)!
    const clash = all.find((v) => {
      const c = parseCidr(v.CidrBlock)
      return c && overlaps(c, wanted)
    })
    if (!clash) return answer({ kind: 'create', cidr: answers.cidrBlock })
    context = `--cidr-block ${answers.cidrBlock} overlaps ${clash.VSwitchId} (${clash.CidrBlock}).`
  } else if (here.length) {
    return answer({ kind: 'existing', id: here[0].VSwitchId })
  }
  // Another zone where the source type is in stock, one with a VSwitch preferred.
  const other = inStockZones(f.stock, zone).find((s) => all.some((v) => v.ZoneId === s.zone)) ?? otherZone(f.stock, zone)
  const inThisZone = ['--target-zone', zone, '--instance-type', type]
  const options: AskOption<VSwitchAnswer>[] = [
    ...here.slice(0, 2).map((v) => ({
      value: v.VSwitchId,
      label: `Use ${v.VSwitchId} (${v.CidrBlock}, ${v.AvailableIpAddressCount} free addresses)`,
      recommended: false,
      args: [...inThisZone, '--vswitch-id', v.VSwitchId],
      outcome: answer<VSwitchAnswer>({ kind: 'existing', id: v.VSwitchId }),
    })),
    ...(suggested
      ? [{ value: 'create', label: `Create VSwitch with CIDR ${suggested} in ${source.vpc_id}`, recommended: here.length === 0, args: [...inThisZone, '--create-vswitch', '--cidr-block', suggested], outcome: answer<VSwitchAnswer>({ kind: 'create', cidr: suggested }) }]
      : []),
    ...(other
      ? [{
          value: `zone:${other.zone}`,
          label: `Pick another zone: ${other.zone}${all.some((v) => v.ZoneId === other.zone) ? ' (has a VSwitch)' : ''}`,
          recommended: false,
          args: ['--target-zone', other.zone, '--instance-type', source.instance_type],
          outcome: replan({ zone: other.zone, instanceType: source.instance_type }),
        }]
      : []),
  ]
  if (!options.length)
    return {
      kind: 'stop',
      error: new StopError('NoVSwitch', `Zone ${zone} has no VSwitch in ${source.vpc_id}, no free /24 was found next to the source VSwitch, and no other zone has stock.`, {
        nextAction: `Create a VSwitch in ${zone} yourself, then continue with --vswitch-id <id>: ${f.resume}`,
      }),
    }
  if (!options.some((o) => o.recommended)) options[0].recommended = true
  return {
    kind: 'ask',
    spec: {
      id: 'vswitch',
      question: here.length ? `Which VSwitch of ${source.vpc_id} in ${zone}?` : `Target zone ${zone} has no VSwitch in the current VPC (${source.vpc_id}). Create a new one?`,
      flag: '--create-vswitch',
      replaces: PLACEMENT_FLAGS,
      context: [context, suggested && `Suggested CIDR ${suggested} overlaps no VSwitch of ${source.vpc_id} (it must lie inside the VPC's CIDR block).`].filter(Boolean).join(' '),
    },
    options,
  }
}

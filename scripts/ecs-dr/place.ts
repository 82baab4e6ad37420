// Step 4 in the seed's order — zone, instance type, VSwitch, system disk category — each read
// from the cached facts, chosen by a pure function, and asked when the choice is a question.
// A choice that moves the placement (another zone) ends the round with the answers for the next.

import type { Answers } from './answers.js'
import { settle, type Resolved } from './choice.js'
import { chooseSystemDiskCategory } from './choose-disk.js'
import { chooseInstanceType, keepsInStockOriginal } from './choose-type.js'
import { chooseVSwitch } from './choose-vswitch.js'
import { chooseZone } from './choose-zone.js'
import { createdIn, createVSwitch } from './create-vswitch.js'
import type { PlacementFacts } from './facts.js'
import type { Plan } from './model.js'
import { buildPlan, systemDiskOf, type PlacedVSwitch } from './plan.js'
import type { DrRun } from './run.js'

export type Placement = { kind: 'planned'; plan: Plan } | { kind: 'replan'; answers: Answers }

export async function place(run: DrRun, facts: PlacementFacts, answers: Answers): Promise<Placement> {
  const { source } = facts
  const resume = run.resumeCommand
  const stock = await facts.stock()

  const zone = await settle(run, chooseZone({ region: run.region, source, stock }, answers.zone))
  if (zone.kind === 'replan') return zone
  const z = zone.value

  const original = source.instance_type
  const kept = keepsInStockOriginal(original, z, stock, answers.instanceType)
  const type = kept ? { kind: 'answer' as const, value: kept } : await settle(run, chooseInstanceType({ original, zone: z, stock, types: await facts.typesInZone(z), resume }, answers))
  if (type.kind === 'replan') return type

  const vswitch = await placeVSwitch(run, facts, z, type.value.type, answers)
  if (vswitch.kind === 'replan') return vswitch

  const supported = await facts.systemDiskCategories(z, type.value.type)
  const category = await settle(run, chooseSystemDiskCategory({ zone: z, type: type.value.type, original: systemDiskOf(source).category, supported, resume }, answers.systemDiskCategory))
  if (category.kind === 'replan') return category

  return { kind: 'planned', plan: buildPlan(source, { zone: z, type: type.value, vswitch: vswitch.value, category: category.value, instanceName: answers.instanceName }) }
}

/** A VSwitch this run created in the zone is reused; otherwise the choice, and a creation when it says so. */
async function placeVSwitch(run: DrRun, facts: PlacementFacts, zone: string, type: string, answers: Answers): Promise<Resolved<PlacedVSwitch>> {
  const created = createdIn(run, zone)
  if (created) return { kind: 'answer', value: created }
  const { source } = facts
  const chosen = await settle(run, chooseVSwitch({ source, zone, type, stock: await facts.stock(), vswitches: await facts.vswitches(), resume: run.resumeCommand }, answers))
  if (chosen.kind === 'replan') return chosen
  const v = chosen.value
  return { kind: 'answer', value: v.kind === 'existing' ? { id: v.id, created: false } : await createVSwitch(run, source.vpc_id, zone, v.cidr) }
}

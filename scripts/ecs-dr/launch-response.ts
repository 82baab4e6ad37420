// What the workflow does with each kind of run-instances failure (the seed's error table): stop
// with the cause and the next step, ask for another type, zone or disk category (a new placement
// round), or go back to the image wait. The one place these reactions are decided.

import { HarnessError, StopError } from '../../lib/errors.js'
import { settle } from './choice.js'
import { chooseSystemDiskCategory } from './choose-disk.js'
import { chooseAfterNoStock } from './choose-type.js'
import type { PlacementFacts } from './facts.js'
import type { LaunchFailure } from './launch-failure.js'
import type { Plan } from './model.js'
import { systemDiskOf } from './plan.js'
import type { Round } from './rounds.js'
import type { DrRun } from './run.js'

export const QUOTA_CONSOLE = 'https://quotas.console.aliyun.com/products/ecs/quotas'
/** How often IncorrectImageStatus may send the run back to the image wait before it stops. */
export const MAX_IMAGE_RETURNS = 2

export async function respondToFailure(run: DrRun, facts: PlacementFacts, plan: Plan, failure: LaunchFailure, imageReturns: number): Promise<Exclude<Round, { kind: 'launched' }>> {
  const e = failure.error
  const resume = run.resumeCommand
  const cause = `${e.code}: ${e.message}`
  switch (failure.kind) {
    case 'quota':
      throw new StopError(e.code, `run-instances: not enough quota to create ${plan.instance_type} in ${plan.zone} (${cause}). Nothing was created; the image is kept.`, {
        requestId: e.requestId,
        nextAction: `Request a quota increase in Quota Center (${QUOTA_CONSOLE}), then continue with: ${resume}`,
      })
    case 'no-stock': {
      const types = await facts.typesInZone(plan.zone)
      const stock = await facts.stock()
      const planned = { type: plan.instance_type, vswitchId: plan.vswitch_id }
      const next = await settle(run, chooseAfterNoStock({ original: facts.source.instance_type, zone: plan.zone, stock, types, resume, planned, error: e }))
      // Every option of this decision is a new round: there is no answer for the failed one.
      return next.kind === 'replan' ? next : next.value
    }
    case 'disk-category': {
      const supported = await facts.systemDiskCategories(plan.zone, plan.instance_type)
      const picked = await settle(run, chooseSystemDiskCategory({ zone: plan.zone, type: plan.instance_type, original: systemDiskOf(facts.source).category, supported, resume }, undefined, plan.system_disk.category))
      if (picked.kind === 'replan') return picked
      return { kind: 'replan', answers: { zone: plan.zone, instanceType: plan.instance_type, vswitchId: plan.vswitch_id, systemDiskCategory: picked.value.category } }
    }
    case 'parameter':
      throw new StopError(e.code, `run-instances rejected the parameters: ${cause}. Check the disk parameters against instance type ${plan.instance_type} (system disk ${plan.system_disk.category}, ${plan.data_disks.length} data disk(s)).`, {
        requestId: e.requestId,
        nextAction: `Adjust --instance-type or --system-disk-category, then continue with: ${resume}`,
      })
    case 'image-not-ready':
      if (imageReturns < MAX_IMAGE_RETURNS) return { kind: 'image-not-ready', error: e }
      throw new StopError(e.code, `run-instances: the image is still not usable (${cause}).`, { requestId: e.requestId, nextAction: `Check the image in the console, then continue with: ${resume}` })
    case 'payment':
      throw new StopError(e.code, `run-instances: the account cannot pay for ${plan.instance_charge_type} resources (${cause}). Nothing was created; the image is kept.`, {
        requestId: e.requestId,
        nextAction: `Settle the account or its payment method in the Billing console, then continue with: ${resume}`,
      })
    case 'other':
      throw new HarnessError(e.code, `run-instances failed: ${cause}`, {
        requestId: e.requestId,
        recommend: e.recommend,
        nextAction: `If the cause is unclear, open a ticket with Alibaba Cloud support quoting the request id; then continue with: ${resume}`,
      })
  }
}

// Step 5: run-instances with the source's network, billing, bandwidth and disks, and the seed's
// error table: every failure is classified (quota, stock, disk, parameter, image, payment,
// transient) before anything else happens — nothing is retried blindly.

import { api, repeat, type Flags } from '../../lib/command.js'
import { HarnessError, StopError, type CliError } from '../../lib/errors.js'
import { RunInstancesResponse } from './schemas.js'
import { rankAlternatives } from './alternatives.js'
import type { Plan, PlannedDisk } from './model.js'
import { PLACEMENT_FLAGS, Replan, type Answers, type Placer } from './placement.js'
import type { DrRun } from './run.js'

export const QUOTA_CONSOLE = 'https://quotas.console.aliyun.com/products/ecs/quotas'
/** How often IncorrectImageStatus may send the run back to the image wait before it stops. */
export const MAX_IMAGE_RETURNS = 2

/** `Device=… Category=… Size=… [PerformanceLevel=…]` — Device, never SnapshotId (seed step 5). */
export function dataDiskArg(d: PlannedDisk): string[] {
  return [`Device=${d.device}`, `Category=${d.category}`, `Size=${d.size}`, ...(d.performance_level ? [`PerformanceLevel=${d.performance_level}`] : [])]
}

export function runInstancesFlags(regional: Flags, imageId: string, plan: Plan): Flags {
  return {
    ...regional,
    'zone-id': plan.zone,
    'image-id': imageId,
    'instance-type': plan.instance_type,
    'vswitch-id': plan.vswitch_id,
    'security-group-id': plan.security_group_id,
    'instance-name': plan.instance_name,
    'instance-charge-type': plan.instance_charge_type || undefined,
    'internet-charge-type': plan.internet_charge_type || undefined,
    'internet-max-bandwidth-out': plan.internet_max_bandwidth_out,
    'system-disk-category': plan.system_disk.category,
    'system-disk-size': plan.system_disk.size,
    'system-disk-performance-level': plan.system_disk.performance_level ?? undefined,
    'data-disk': plan.data_disks.length ? repeat(...plan.data_disks.map(dataDiskArg)) : undefined,
    amount: 1,
  }
}

const isQuota = (code: string) => /^QuotaExceed(ed)?(\.|$)/.test(code)
const NO_STOCK = new Set(['OperationDenied.NoStock', 'InvalidInstanceType.ValueNotSupported'])
const PAYMENT = new Set(['Account.Arrearage', 'InvalidPayMethod'])
const PARAMETER = new Set(['InvalidParameter', 'InvalidParameter.Conflict'])

/** run-instances said IncorrectImageStatus: the workflow goes back to the image wait (seed step 3). */
export class ImageNotReady extends Error {
  constructor(readonly error: CliError) {
    super('image not ready')
  }
}

/**
 * Creates the instance and returns its id (saved to the state file at once), or throws: a Replan
 * when a decision picked another type, zone or disk category, ImageNotReady while the image may
 * still become usable, a StopError for the seed's stops.
 */
export async function launch(run: DrRun, placer: Placer, plan: Plan, imageId: string, imageReturns: number): Promise<string> {
  const res = await run.attempt({
    argv: run.withToken(api('ecs', 'run-instances', runInstancesFlags(run.flags('ecs'), imageId, plan)), 'instance'),
    schema: RunInstancesResponse,
    label: 'run instance',
  })
  if (!res.ok) {
    if (res.error.code === 'IncorrectImageStatus' && imageReturns < MAX_IMAGE_RETURNS) throw new ImageNotReady(res.error)
    throw await classify(run, placer, plan, res.error)
  }
  const id = res.data.InstanceIdSets.InstanceIdSet[0]
  if (!id) throw new HarnessError('NoInstanceId', 'run-instances succeeded but returned no instance id; check the ECS console before running again.', { nextAction: `Check ${run.region} in the ECS console for an instance named ${plan.instance_name}.` })
  run.state.launch = { instance_id: id, plan, ...(run.report.stock ? { stock: run.report.stock } : {}) }
  run.save()
  run.ctx.note(`Instance ${id} requested in ${plan.zone}; saved to run ${run.id}.`)
  return id
}

async function classify(run: DrRun, placer: Placer, plan: Plan, e: CliError): Promise<Error> {
  const resume = run.resumeCommand
  const cause = `${e.code}: ${e.message}`
  if (isQuota(e.code))
    return new StopError(e.code, `run-instances: not enough quota to create ${plan.instance_type} in ${plan.zone} (${cause}). Nothing was created; the image is kept.`, {
      requestId: e.requestId,
      nextAction: `Request a quota increase in Quota Center (${QUOTA_CONSOLE}), then continue with: ${resume}`,
    })
  if (NO_STOCK.has(e.code)) return noStockDecision(run, placer, plan, e)
  if (e.code === 'InvalidDiskCategory.NotSupported') {
    const picked = await placer.chooseSystemDiskCategory(plan.zone, plan.instance_type, undefined, plan.system_disk.category)
    return new Replan({ zone: plan.zone, instanceType: plan.instance_type, vswitchId: plan.vswitch_id, systemDiskCategory: picked.category })
  }
  if (PARAMETER.has(e.code))
    return new StopError(e.code, `run-instances rejected the parameters: ${cause}. Check the disk parameters against instance type ${plan.instance_type} (system disk ${plan.system_disk.category}, ${plan.data_disks.length} data disk(s)).`, {
      requestId: e.requestId,
      nextAction: `Adjust --instance-type or --system-disk-category, then continue with: ${resume}`,
    })
  if (e.code === 'IncorrectImageStatus')
    return new StopError(e.code, `run-instances: the image is still not usable (${cause}).`, { requestId: e.requestId, nextAction: `Check the image in the console, then continue with: ${resume}` })
  if (PAYMENT.has(e.code))
    return new StopError(e.code, `run-instances: the account cannot pay for ${plan.instance_charge_type} resources (${cause}). Nothing was created; the image is kept.`, {
      requestId: e.requestId,
      nextAction: `Settle the account or its payment method in the Billing console, then continue with: ${resume}`,
    })
  const err = new HarnessError(e.code, `run-instances failed: ${cause}`, {
    requestId: e.requestId,
    recommend: e.recommend,
    nextAction: `If the cause is unclear, open a ticket with Alibaba Cloud support quoting the request id; then continue with: ${resume}`,
  })
  return err
}

async function noStockDecision(run: DrRun, placer: Placer, plan: Plan, e: CliError): Promise<Error> {
  const original = run.state.source!.instance_type
  const types = (await placer.typesInZone(plan.zone)).filter((t) => t !== plan.instance_type)
  const alternatives = rankAlternatives(original, types).filter((a) => a.type !== plan.instance_type)
  const other = placer.otherZone(plan.zone)
  const keep = ['--vswitch-id', plan.vswitch_id]
  const options = [
    ...(original !== plan.instance_type && types.includes(original) ? [{ value: original, label: `${original} (the source type, in stock)`, args: ['--target-zone', plan.zone, '--instance-type', original, ...keep] }] : []),
    ...alternatives.map((a) => ({ value: a.type, label: a.label, args: ['--target-zone', plan.zone, '--instance-type', a.type, ...keep] })),
  ]
    .slice(0, other ? 3 : 4)
    .map((o, i) => ({ ...o, recommended: i === 0 }))
  if (other) options.push({ value: `zone:${other.zone}`, label: `Pick another zone: ${other.zone} (${original} in stock there)`, args: ['--target-zone', other.zone, '--instance-type', original], recommended: options.length === 0 })
  if (!options.length)
    return new StopError(e.code, `run-instances: ${plan.instance_type} is out of stock in ${plan.zone} (${e.code}: ${e.message}) and no alternative is in stock.`, {
      requestId: e.requestId,
      nextAction: `Try again later, or choose another --instance-type or --target-zone, then continue with: ${run.resumeCommand}`,
    })
  const picked = await run.ctx.decide({
    id: 'no-stock',
    question: `run-instances: ${plan.instance_type} is out of stock in ${plan.zone} (${e.code}). Pick an alternative:`,
    flag: '--instance-type',
    replaces: PLACEMENT_FLAGS,
    context: e.message,
    options,
  })
  const answers: Answers = picked.startsWith('zone:') ? { zone: picked.slice(5), instanceType: original } : { zone: plan.zone, instanceType: picked, vswitchId: plan.vswitch_id }
  return new Replan(answers)
}

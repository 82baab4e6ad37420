// Step 5: run-instances with the source's network, billing, bandwidth and disks. The instance id is
// saved to the state file the moment it exists; a failure comes back classified, never retried
// blindly (transient codes are retried by the runner, from policy data).

import { api, repeat, type Flags } from '../../lib/command.js'
import { HarnessError } from '../../lib/errors.js'
import { classifyLaunchFailure, type LaunchFailure } from './launch-failure.js'
import type { Plan, PlannedDisk } from './model.js'
import type { DrRun } from './run.js'
import { RunInstancesResponse } from './schemas.js'

export type LaunchResult = { ok: true; instanceId: string } | { ok: false; failure: LaunchFailure }

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

/** The step-5 command, built once for the step and for doctor's template. */
export const runInstancesArgv = (ecs: Flags, imageId: string, plan: Plan) => api('ecs', 'run-instances', runInstancesFlags(ecs, imageId, plan))

export async function launch(run: DrRun, plan: Plan, imageId: string): Promise<LaunchResult> {
  const res = await run.attempt({
    argv: run.withToken(runInstancesArgv(run.flags('ecs'), imageId, plan), 'instance'),
    schema: RunInstancesResponse,
    label: 'run instance',
  })
  if (!res.ok) return { ok: false, failure: classifyLaunchFailure(res.error) }
  const id = res.data.InstanceIdSets.InstanceIdSet[0]
  if (!id) throw new HarnessError('NoInstanceId', 'run-instances succeeded but returned no instance id; check the ECS console before running again.', { nextAction: `Check ${run.region} in the ECS console for an instance named ${plan.instance_name}.` })
  run.state.launch = { instance_id: id, plan, ...(run.report.stock ? { stock: run.report.stock } : {}) }
  run.save()
  run.ctx.note(`Instance ${id} requested in ${plan.zone}; saved to run ${run.id}.`)
  return { ok: true, instanceId: id }
}

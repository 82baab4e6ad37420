// Step 6: wait for the new instance to be Running (every 10 s, at most 5 minutes), read its disks,
// and compare it with the source.

import { formatDuration } from '../../lib/clock.js'
import { TimedOutError } from '../../lib/errors.js'
import type { EcsInstance } from './schemas.js'
import { compare } from './compare.js'
import type { ComparisonRow, NewInstanceFacts, Plan } from './model.js'
import type { DrRun } from './run.js'
import { describeDisks, describeInstanceStep } from './source.js'

export const INSTANCE_POLL_MS = 10_000
export const INSTANCE_WAIT_MS = 5 * 60_000

export async function verify(run: DrRun, instanceId: string, plan: Plan): Promise<{ instance: NewInstanceFacts; comparison: ComparisonRow[] }> {
  const { ctx } = run
  const step = describeInstanceStep(run, instanceId, 'describe new instance')
  const find = (d: { Instances: { Instance: EcsInstance[] } }) => d.Instances.Instance.find((i) => i.InstanceId === instanceId)
  const { data } = await run.guard(step.label, () => ctx.cli.poll({
    step,
    everyMs: INSTANCE_POLL_MS,
    timeoutMs: INSTANCE_WAIT_MS,
    until: (d) => find(d)?.Status === 'Running',
    progress: (d, _n, elapsed) => `instance ${instanceId}: ${find(d)?.Status || 'not listed yet'}${elapsed ? ` after ${formatDuration(elapsed)}` : ''}`,
    onExhausted: (d, _polls, waited) =>
      new TimedOutError('InstanceNotRunning', `New instance ${instanceId} is ${find(d)?.Status || 'not listed'} after ${formatDuration(waited)}; expected Running.`, {
        nextAction: `Check it in the ECS console, then continue the verification with: ${run.resumeCommand}`,
      }),
  }))
  const inst = find(data)!
  const disks = await describeDisks(run, instanceId, 'describe new instance disks')
  const instance: NewInstanceFacts = {
    instance_id: inst.InstanceId,
    instance_name: inst.InstanceName,
    status: inst.Status,
    zone_id: inst.ZoneId,
    private_ip: inst.VpcAttributes.PrivateIpAddress.IpAddress[0] ?? null,
  }
  return { instance, comparison: compare(run.state.source!, run.state.image, plan, inst, disks) }
}

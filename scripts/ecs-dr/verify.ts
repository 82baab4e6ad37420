// Step 6: wait for the new instance to be Running (every 10 s, at most 5 minutes), read its disks,
// and compare it with the source. Matching disks, network and billing are the seed's success
// criteria: a difference no decision explains fails the verification (the resources are kept).

import { formatDuration } from '../../lib/clock.js'
import { HarnessError, TimedOutError } from '../../lib/errors.js'
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

/** The failure a comparison with unexplained differences ends in; undefined when every difference was chosen. */
export function verificationFailure(run: DrRun, instance: NewInstanceFacts, comparison: readonly ComparisonRow[]): HarnessError | undefined {
  const unexplained = comparison.filter((r) => !r.match && r.cause === 'unexplained')
  if (!unexplained.length) return undefined
  const image = run.state.image?.id
  return new HarnessError(
    'VerificationFailed',
    [
      `Verification failed: ${unexplained.length} item(s) of new instance ${instance.instance_id} differ from the source and no decision of this run explains them:`,
      ...unexplained.map((r) => `  ${r.item}: source ${r.source}, new ${r.new}`),
      `The new instance${image ? ` and image ${image}` : ''} are kept; the source was not touched.`,
    ].join('\n'),
    {
      nextAction: `Check ${instance.instance_id} in the ECS console: correct the item(s) above there (or release the instance there if this copy is not wanted — this workflow never deletes anything), then verify again with: ${run.resumeCommand}`,
    },
  )
}

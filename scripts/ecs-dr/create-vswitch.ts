// Step 4b': create the VSwitch a decision (or --create-vswitch --cidr-block) asked for. Its id goes
// into the run state at once, so a resumed run reuses it instead of creating a second one.

import { api, type Flags } from '../../lib/command.js'
import { StopError } from '../../lib/errors.js'
import type { PlacedVSwitch } from './plan.js'
import type { DrRun } from './run.js'
import { CreateVSwitchResponse } from './schemas.js'

/** A VSwitch this run already created in the zone. */
export function createdIn(run: DrRun, zone: string): PlacedVSwitch | undefined {
  const created = run.state.created_vswitch
  return created && created.zone === zone ? { id: created.id, created: true, cidr: created.cidr_block } : undefined
}

/** The command, built once for the step and for doctor's template (`vpc`: the regional flags). */
export const createVSwitchArgv = (vpc: Flags, vpcId: string, zone: string, cidr: string) => api('vpc', 'create-vswitch', { ...vpc, 'vpc-id': vpcId, 'zone-id': zone, 'cidr-block': cidr })

export async function createVSwitch(run: DrRun, vpcId: string, zone: string, cidr: string): Promise<PlacedVSwitch> {
  const argv = run.withToken(createVSwitchArgv(run.flags('vpc'), vpcId, zone, cidr), 'vswitch')
  const res = await run.attempt({ argv, schema: CreateVSwitchResponse, label: 'create VSwitch' })
  if (!res.ok) {
    const e = res.error
    throw new StopError(e.code, `create-vswitch failed: ${e.code}: ${e.message}`, {
      requestId: e.requestId,
      nextAction: `Pick a CIDR block inside the VPC's block that overlaps no VSwitch (--create-vswitch --cidr-block <cidr>), or an existing VSwitch (--vswitch-id), then continue with: ${run.resumeCommand}`,
    })
  }
  run.state.created_vswitch = { id: res.data.VSwitchId, zone, cidr_block: cidr }
  run.save()
  run.ctx.note(`VSwitch ${res.data.VSwitchId} (${cidr}) created in ${zone}; saved to run ${run.id}.`)
  return { id: res.data.VSwitchId, created: true, cidr }
}

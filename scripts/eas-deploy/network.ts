// Seed Step 4: the network (shared gateway, dedicated gateway, NLB) and the dedicated resource
// group. Whatever the user did not give is discovered; a required resource that does not exist is
// a stop ("a valid outcome"), never a workaround.

import { api } from '../../lib/command.js'
import { CliError, StopError } from '../../lib/errors.js'
import type { CloudNetworking, NetworkPlan } from './service-config.js'
import { DescribeGateway, DescribeSecurityGroups, DescribeVpcs, DescribeVSwitches, ListGateway, ListResources, type Gateway, type VSwitch } from './schemas.js'
import type { SkillContext } from '../../lib/skill.js'
import { firstLine, listAll, type Notices } from './calls.js'
import type { NetworkRequest } from './inputs.js'

/** A discovery call whose failure means the resource cannot be shown to exist: stop with the reason. */
async function orStop<T>(code: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    throw new StopError(code, `${what} failed (${firstLine(e)}), so the resource it looks for cannot be confirmed. Nothing was created.`, {
      requestId: e.requestId,
      cause: e,
      nextAction: e.kind === 'permission' ? undefined : 'Fix the cause (network, region), then run the same command again.',
    })
  }
}

// The network commands, built once for the steps and for doctor's templates.
type Regional = Pick<SkillContext, 'region'>
export const listGatewayArgv = (ctx: Regional, region: string) => api('eas', 'list-gateway', ctx.region('eas', region))
export const describeGatewayArgv = (ctx: Regional, region: string, gatewayId: string) => api('eas', 'describe-gateway', { ...ctx.region('eas', region), 'cluster-id': region, 'gateway-id': gatewayId })
export const securityGroupsArgv = (ctx: Regional, region: string, vpcId: string) => api('ecs', 'describe-security-groups', { ...ctx.region('ecs', region), 'vpc-id': vpcId })
export const describeVpcsArgv = (ctx: Regional, region: string) => api('vpc', 'describe-vpcs', ctx.region('vpc', region))
export const describeVSwitchesArgv = (ctx: Regional, region: string, vpcId: string) => api('vpc', 'describe-vswitches', { ...ctx.region('vpc', region), 'vpc-id': vpcId, 'page-size': '50' })
export const listResourcesArgv = (ctx: Regional, region: string) => api('eas', 'list-resources', ctx.region('eas', region))

export async function resolveNetwork(ctx: SkillContext, region: string, req: NetworkRequest, notices: Notices): Promise<NetworkPlan> {
  if (req.kind === 'shared') return { kind: 'shared' }
  if (req.kind === 'gateway') return dedicatedGateway(ctx, region, req, notices)
  return nlb(ctx, region, req, notices)
}

async function dedicatedGateway(ctx: SkillContext, region: string, req: Extract<NetworkRequest, { kind: 'gateway' }>, notices: Notices): Promise<NetworkPlan> {
  const gateways = await orStop('GatewayCheckFailed', 'eas list-gateway', () =>
    listAll(ctx, { argv: listGatewayArgv(ctx, region), schema: ListGateway, label: 'eas list-gateway', items: (b) => b.Gateways }),
  )
  let gateway: Gateway | undefined
  if (req.gatewayId) {
    gateway = gateways.find((g) => g.GatewayId === req.gatewayId)
    if (!gateway) throw new StopError('GatewayNotFound', `Dedicated gateway ${req.gatewayId} does not exist in ${region}. Nothing was created.`, { nextAction: 'Check the gateway id (eas list-gateway), or deploy on the shared gateway (--network shared).' })
  } else {
    if (gateways.length === 0)
      throw new StopError('GatewayNotFound', `No dedicated gateway exists in ${region}. Nothing was created.`, { nextAction: 'Create a dedicated gateway in the PAI-EAS console, or deploy on the shared gateway (--network shared).' })
    gateway = gateways.find((g) => g.Status === 'Running') ?? gateways[0]
    notices.add(`Using dedicated gateway ${gateway.GatewayName ? `${gateway.GatewayName} ` : ''}(${gateway.GatewayId})${gateways.length > 1 ? `, one of ${gateways.length}; pass --gateway-id to choose another` : ''}.`)
  }

  let vpcId = req.vpcId
  let vswitchIds = req.vswitchIds
  let securityGroupId = req.securityGroupId
  if (!vpcId || !vswitchIds) {
    const detail = await orStop('GatewayCheckFailed', 'eas describe-gateway', () =>
      ctx.cli.json({ argv: describeGatewayArgv(ctx, region, gateway.GatewayId), schema: DescribeGateway, label: 'eas describe-gateway' }),
    )
    const found = gatewayVpc(detail)
    vpcId ??= found.vpcId
    vswitchIds ??= found.vswitchIds.length ? found.vswitchIds : undefined
    securityGroupId ??= found.securityGroupId
  }
  if (!vpcId || !vswitchIds?.length)
    throw new StopError('GatewayVpcNotFound', `describe-gateway shows no ${vpcId ? 'VSwitch' : 'VPC'} for dedicated gateway ${gateway.GatewayId}, so cloud.networking cannot be filled in. Nothing was created.`, {
      nextAction: 'Pass --vpc-id and --vswitch-id of the gateway, or check the gateway in the PAI-EAS console.',
    })
  securityGroupId ??= await securityGroupIn(ctx, region, vpcId, notices)
  return { kind: 'gateway', gatewayId: gateway.GatewayId, vpc: { vpc_id: vpcId, vswitch_id: vswitchIds.join(','), security_group_id: securityGroupId } }
}

/** VPC, VSwitches and (when given) the security group of a gateway, from either response shape (catalogue 4.g-9). */
export function gatewayVpc(detail: DescribeGateway): { vpcId?: string; vswitchIds: string[]; securityGroupId?: string } {
  const lb = detail.LoadBalancerList?.find((l) => l.VpcId)
  if (lb) return { vpcId: lb.VpcId, vswitchIds: lb.VSwitchIds ?? (lb.VSwitchId ? lb.VSwitchId.split(',') : []), securityGroupId: lb.SecurityGroupId }
  const linked = (detail.IntranetLinkedVpcList ?? []).filter((l) => l.VpcId)
  if (!linked.length) return { vswitchIds: [] }
  const vpcId = linked[0].VpcId
  const sameVpc = linked.filter((l) => l.VpcId === vpcId)
  const vswitchIds = [...new Set(sameVpc.flatMap((l) => (l.VSwitchId ? l.VSwitchId.split(',') : [])))]
  return { vpcId, vswitchIds, securityGroupId: sameVpc.find((l) => l.SecurityGroupId)?.SecurityGroupId }
}

async function securityGroupIn(ctx: SkillContext, region: string, vpcId: string, notices: Notices): Promise<string> {
  const body = await orStop('SecurityGroupCheckFailed', 'ecs describe-security-groups', () =>
    ctx.cli.json({ argv: securityGroupsArgv(ctx, region, vpcId), schema: DescribeSecurityGroups, label: 'ecs describe-security-groups' }),
  )
  const groups = body.SecurityGroups
  if (!groups.length)
    throw new StopError('SecurityGroupNotFound', `No security group exists in VPC ${vpcId} (${region}). Nothing was created.`, { nextAction: `Create a security group in ${vpcId}, or pass --security-group-id.` })
  notices.add(`Using security group ${groups[0].SecurityGroupId}${groups[0].SecurityGroupName ? ` (${groups[0].SecurityGroupName})` : ''} in ${vpcId}${groups.length > 1 ? `, one of ${groups.length}; pass --security-group-id to choose another` : ''}.`)
  return groups[0].SecurityGroupId
}

async function nlb(ctx: SkillContext, region: string, req: Extract<NetworkRequest, { kind: 'nlb' }>, notices: Notices): Promise<NetworkPlan> {
  let vpcId = req.vpcId
  if (!vpcId) {
    const body = await orStop('VpcCheckFailed', 'vpc describe-vpcs', () =>
      ctx.cli.json({ argv: describeVpcsArgv(ctx, region), schema: DescribeVpcs, label: 'vpc describe-vpcs' }),
    )
    const vpcs = body.Vpcs.Vpc
    const vpc = vpcs.find((v) => v.IsDefault) ?? vpcs[0]
    if (!vpc) throw new StopError('VpcNotFound', `NLB needs a VPC, and none exists in ${region}. Nothing was created.`, { nextAction: 'Create a VPC with VSwitches in two zones, or pass --vpc-id.' })
    vpcId = vpc.VpcId
    notices.add(`Using VPC ${vpc.VpcId}${vpc.VpcName ? ` (${vpc.VpcName})` : ''}${vpcs.length > 1 ? `, one of ${vpcs.length}; pass --vpc-id to choose another` : ''}.`)
  }

  // Zones come from describe-vswitches, also for VSwitches the user gave.
  const body = await orStop('VSwitchCheckFailed', 'vpc describe-vswitches', () =>
    ctx.cli.json({ argv: describeVSwitchesArgv(ctx, region, vpcId), schema: DescribeVSwitches, label: 'vpc describe-vswitches' }),
  )
  const inVpc = body.VSwitches.VSwitch
  const chosen = req.vswitchIds ? givenVSwitches(req.vswitchIds, inVpc, vpcId) : onePerZone(inVpc)
  const zones = new Set(chosen.map((v) => v.ZoneId))
  if (zones.size < 2)
    throw new StopError('NlbNeedsTwoZones', `NLB needs VSwitches in at least two zones, and ${req.vswitchIds ? `${req.vswitchIds.join(', ')} are` : `VPC ${vpcId} has available VSwitches`} in ${zones.size === 0 ? 'no zone' : `only ${[...zones].join(', ')}`}. Nothing was created.`, {
      nextAction: 'Create a VSwitch in a second zone of the VPC (or pass two VSwitches in different zones with --vswitch-id).',
    })
  if (!req.vswitchIds) notices.add(`Using VSwitches ${chosen.map((v) => `${v.VSwitchId} (${v.ZoneId})`).join(', ')} for the NLB.`)

  const securityGroupId = req.securityGroupId ?? (await securityGroupIn(ctx, region, vpcId, notices))
  const vpc: CloudNetworking = { vpc_id: vpcId, vswitch_id: chosen.map((v) => v.VSwitchId).join(','), security_group_id: securityGroupId }
  return { kind: 'nlb', listenerPort: req.listenerPort, netType: req.netType, vpc }
}

function givenVSwitches(ids: string[], inVpc: VSwitch[], vpcId: string): VSwitch[] {
  return ids.map((id) => {
    const v = inVpc.find((x) => x.VSwitchId === id)
    if (!v) throw new StopError('VSwitchNotFound', `VSwitch ${id} is not in VPC ${vpcId}. Nothing was created.`, { nextAction: 'Pass VSwitches of the same VPC (--vpc-id, --vswitch-id).' })
    return v
  })
}

/** The first available VSwitch of each zone, two zones at most (in the order the API lists them). */
function onePerZone(inVpc: VSwitch[]): VSwitch[] {
  const byZone = new Map<string, VSwitch>()
  for (const v of inVpc) if ((v.Status ?? 'Available') === 'Available' && !byZone.has(v.ZoneId)) byZone.set(v.ZoneId, v)
  return [...byZone.values()].slice(0, 2)
}

/** Dedicated resource group: Dedicated and ResourceReady, or stop (never the public group instead). */
export async function resolveResourceGroup(ctx: SkillContext, region: string, wanted: string, notices: Notices): Promise<string> {
  const resources = await orStop('ResourceGroupCheckFailed', 'eas list-resources', () =>
    listAll(ctx, { argv: listResourcesArgv(ctx, region), schema: ListResources, label: 'eas list-resources', items: (b) => b.Resources }),
  )
  const ready = resources.filter((r) => r.ResourceType === 'Dedicated' && r.Status === 'ResourceReady')
  const notReady = { nextAction: 'Create (or wait for) a dedicated resource group in the PAI-EAS console. The service is never moved to the public resource group instead.' }
  if (wanted === 'auto') {
    if (!ready.length) throw new StopError('DedicatedResourceGroupNotFound', `No dedicated resource group (ResourceType Dedicated, Status ResourceReady) exists in ${region}. Nothing was created.`, notReady)
    notices.add(`Using dedicated resource group ${ready[0].ResourceId}${ready[0].ResourceName ? ` (${ready[0].ResourceName})` : ''}${ready.length > 1 ? `, one of ${ready.length}` : ''}.`)
    return ready[0].ResourceId
  }
  const found = resources.find((r) => r.ResourceId === wanted)
  if (!found) throw new StopError('DedicatedResourceGroupNotFound', `Resource group ${wanted} does not exist in ${region}. Nothing was created.`, notReady)
  if (!ready.includes(found))
    throw new StopError('DedicatedResourceGroupNotReady', `Resource group ${wanted} is ${found.ResourceType || 'of unknown type'} with status ${found.Status || 'unknown'}; a dedicated resource group must be Dedicated and ResourceReady. Nothing was created.`, notReady)
  return found.ResourceId
}

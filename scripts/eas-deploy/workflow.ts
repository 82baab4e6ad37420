// eas-deploy's workflow (scripts/eas-deploy.ts declares the command line and checks the input):
// pre-checks, workspace, duplicate gate, the two mandatory validations, network/resource group,
// service.json, the duplicate gate again, create-service, describe-service once, endpoints.
// Loaded when a deployment runs.

import { HarnessError, StopError } from '../../lib/errors.js'
import type { Outcome, SkillContext } from '../../lib/skill.js'
import { Notices } from './calls.js'
import { createService, describeEndpoints, describeOnce } from './deploy.js'
import { duplicateGate, resolveWorkspace, validateImages, validateMachineTypes, type MachineCheck } from './discovery.js'
import type { DeployRequest } from './inputs.js'
import { resolveNetwork, resolveResourceGroup } from './network.js'
import { preChecks } from './prechecks.js'
import { buildServiceConfig, serviceConfigIssues, withInstanceTypes, type NetworkPlan } from './service-config.js'
import { deploymentSummary, invocationExamples, summaryEndpoints } from './summary.js'

const NETWORK_LABEL = { shared: 'shared-gateway', gateway: 'dedicated-gateway', nlb: 'nlb' } as const

/** The service.json to send: built from the flags, or the user's file with what was discovered filled in. */
function assembleConfig(req: DeployRequest, found: { workspaceId?: string; machine: MachineCheck; network: NetworkPlan; resourceId?: string }): Record<string, any> {
  if (req.source.kind === 'flags')
    return buildServiceConfig({ ...req.source.build, workspaceId: found.workspaceId, instanceType: found.machine.instance_types[0], resourceId: found.resourceId, network: found.network }) as unknown as Record<string, any>
  const config = structuredClone(req.source.config)
  if (found.workspaceId && config.metadata.workspace_id === undefined) config.metadata.workspace_id = found.workspaceId
  // Every type validateMachineTypes replaced (vLLM/SGLang on a type that is not a listed GPU type).
  const replaced = new Map(req.instanceTypes.map((t, i) => [t, found.machine.instance_types[i] ?? t]))
  return found.machine.switched ? withInstanceTypes(config, (t) => replaced.get(t) ?? t) : config
}

function checkBuiltConfig(config: Record<string, any>, region: string): void {
  const issues = serviceConfigIssues(config)
  if (!issues.length) return
  if (issues.every((i) => i.startsWith('metadata.workspace_id:')))
    throw new StopError('WorkspaceRequired', `service.json needs metadata.workspace_id (the seed makes it REQUIRED), and no workspace could be chosen in ${region}. Nothing was created.`, {
      nextAction: `Pass --workspace-id <id> (see \`aliyun aiworkspace list-workspaces --region ${region}\`), or create a PAI workspace in ${region}.`,
    })
  throw new HarnessError('ServiceConfigInvalid', `The service.json breaks the rules, so it was not sent:\n${issues.map((i) => `  - ${i}`).join('\n')}`, {
    nextAction: 'Correct the values named above, then run the same command again.',
  })
}

/** The seed's workflow, in its order, for a request validate() accepted. */
export async function deploy(ctx: SkillContext, req: DeployRequest): Promise<Outcome> {
  const { region, name } = req
  const notices = new Notices(ctx)
  Object.assign(ctx.partial, { service_name: name, region })
  if (req.nameSource === 'prefix') notices.add(`Service name ${name}: the prefix plus 6 random digits.`)

  await preChecks(ctx, region, notices)
  const workspace = await resolveWorkspace(ctx, region, req.workspaceId, notices, req.nameSource === 'prefix' ? name : undefined)
  ctx.partial.workspace_id = workspace.id ?? null

  await duplicateGate(ctx, region, name, 'before validation')
  const images = await validateImages(ctx, region, req.images, notices)
  const machine = await validateMachineTypes(ctx, region, req.instanceTypes, req.llmEngine, notices)
  const network = await resolveNetwork(ctx, region, req.network, notices)
  const resourceId = req.resourceId ? await resolveResourceGroup(ctx, region, req.resourceId, notices) : undefined

  const config = assembleConfig(req, { workspaceId: workspace.id, machine, network, resourceId })
  checkBuiltConfig(config, region)
  ctx.partial.service_config = config

  await duplicateGate(ctx, region, name, 'before create-service')
  const created = await createService(ctx, region, name, config, network.kind === 'nlb', notices)
  const status = await describeOnce(ctx, region, name, created.response, notices)
  const { accessToken, endpoints } = await describeEndpoints(ctx, region, name, created.response, notices)

  const listenerPort = network.kind === 'nlb' ? network.listenerPort : undefined
  const examples = invocationExamples(name, endpoints, accessToken, listenerPort)
  const shown = summaryEndpoints(endpoints)
  return {
    status: 'completed',
    data: {
      service_name: name,
      service_id: created.response.ServiceId,
      region,
      status,
      workspace_id: config.metadata.workspace_id,
      network: created.nlbFallback ? NETWORK_LABEL.shared : NETWORK_LABEL[network.kind],
      requested_network: NETWORK_LABEL[network.kind],
      resource_id: resourceId ?? null,
      instance_types: machine.instance_types,
      endpoints: shown,
      AccessToken: accessToken ?? null,
      invocation_examples: examples,
      summary: deploymentSummary({ name, status, endpoints: shown, examples, switched: machine.switched }),
      validations: { images, machine },
      create_service_calls: created.attempts,
      notices: notices.list,
      service_config: created.config,
    },
  }
}

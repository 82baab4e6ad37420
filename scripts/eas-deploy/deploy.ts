// Seed Steps 6–8: create-service (with the NLB plugin-bug branches, at most three explicit calls),
// describe-service exactly once, and describe-service-endpoints. The AccessToken is registered as
// a secret the moment it is read, so no progress line, note, step or error can carry it; its name
// lets the final result's data show it (policies.json reveal_in_result, D7).

import { api, shellLine } from '../../lib/command.js'
import { CliError, StopError } from '../../lib/errors.js'
import { serviceConfigIssues, withoutNlb } from './service-config.js'
import { CreateService, DescribeService, DescribeServiceEndpoints, type ServiceEndpoint } from './schemas.js'
import type { SkillContext } from '../../lib/skill.js'
import { firstLine, type Notices } from './calls.js'

export const NLB_FALLBACK_NOTICE = 'NLB config failed due to CLI plugin limitation. Deployed with shared gateway instead.'
/** The 400s of aliyun-cli-eas v0.2.0 on a valid NLB config (seed Step 4). */
const NLB_PLUGIN_BUG = /vswitch can not be null|vpcId, vswId and securityGroupId are required/i

export function isConflict(err: CliError): boolean {
  return err.httpStatus === 409 || /conflict|already.?exist/i.test(err.code) || /already exists/i.test(err.message)
}

export function isNlbPluginBug(err: CliError): boolean {
  return err.kind === 'server' && NLB_PLUGIN_BUG.test(err.message)
}

type Regional = Pick<SkillContext, 'region'>
/** describe-service as the seed writes it; also the command a user runs to check a service. */
export const describeServiceArgv = (ctx: Regional, region: string, name: string) => api('eas', 'describe-service', { ...ctx.region('eas', region), 'cluster-id': region, 'service-name': name })
export const createServiceArgv = (ctx: Regional, region: string, body: Record<string, unknown>) => api('eas', 'create-service', { ...ctx.region('eas', region), body: JSON.stringify(body) })
/** Step 6's call: never retried by the runner, since a create that failed may still have been applied. */
export const createServiceStep = (ctx: Regional, region: string, body: Record<string, unknown>) => ({ argv: createServiceArgv(ctx, region, body), retry: false as const })
/** Step 7's call: exactly once, never retried. */
export const describeServiceOnceStep = (ctx: Regional, region: string, name: string) => ({ argv: describeServiceArgv(ctx, region, name), retry: false as const })
export const serviceEndpointsArgv = (ctx: Regional, region: string, name: string) => api('eas', 'describe-service-endpoints', { ...ctx.region('eas', region), 'cluster-id': region, 'service-name': name })

export interface Created {
  response: CreateService
  /** The service.json that was accepted. */
  config: Record<string, unknown>
  attempts: number
  nlbFallback: boolean
}

export async function createService(ctx: SkillContext, region: string, name: string, config: Record<string, unknown>, nlb: boolean, notices: Notices): Promise<Created> {
  const check = shellLine(['aliyun', ...describeServiceArgv(ctx, region, name)])
  const send = (body: Record<string, unknown>, label: string) =>
    ctx.cli.attempt({
      ...createServiceStep(ctx, region, body),
      schema: CreateService,
      label,
      whenInterrupted: `The run was interrupted while create-service was running, so the service ${name} may or may not exist: check with \`${check}\` before running again.`,
    })
  const stopOrFail = (err: CliError): never => {
    if (isConflict(err))
      throw new StopError('ServiceAlreadyExists', `A service named ${name} already exists (create-service answered ${firstLine(err)}). Please choose a different name.`, {
        requestId: err.requestId,
        nextAction: 'Run again with a different --service-name. The existing service is neither reused nor deleted.',
        data: { service_name: name, region },
      })
    // A permission refusal gets the full list and the grant-then-rerun action from lib/finish.ts.
    if (err.kind === 'timeout') err.nextAction = `create-service timed out, so the service may or may not exist: check with \`${check}\` before running again.`
    else if (err.kind !== 'permission') err.nextAction = 'Fix what the error names (image, instance type, quota), then run the same command again.'
    throw err
  }

  const first = await send(config, 'eas create-service')
  if (first.ok) return { response: first.data, config, attempts: 1, nlbFallback: false }
  if (!nlb || !isNlbPluginBug(first.error)) return stopOrFail(first.error)

  notices.add(`create-service rejected the NLB config with a known aliyun-cli-eas plugin error (${firstLine(first.error)}); sending the NLB config once more.`)
  const second = await send(config, 'eas create-service (NLB, second attempt)')
  if (second.ok) return { response: second.data, config, attempts: 2, nlbFallback: false }
  if (!isNlbPluginBug(second.error)) return stopOrFail(second.error)

  const shared = withoutNlb(config)
  const issues = serviceConfigIssues(shared)
  if (issues.length) throw new StopError('NlbFallbackInvalid', `The NLB config failed twice, and without networking.nlb/cloud.networking the config breaks the rules: ${issues.join('; ')}. Nothing was created.`)
  const third = await send(shared, 'eas create-service (shared gateway fallback)')
  if (!third.ok) return stopOrFail(third.error)
  notices.add(NLB_FALLBACK_NOTICE)
  return { response: third.data, config: shared, attempts: 3, nlbFallback: true }
}

/** Seed Step 7: exactly once, never polled, never retried; whatever status it reports is the answer. */
export async function describeOnce(ctx: SkillContext, region: string, name: string, created: CreateService, notices: Notices): Promise<string> {
  const res = await ctx.cli.attempt({ ...describeServiceOnceStep(ctx, region, name), schema: DescribeService, label: 'eas describe-service (once)' })
  if (!res.ok) {
    notices.add(`describe-service failed (${firstLine(res.error)}); reporting the status create-service returned.`)
    return created.Status ?? 'unknown'
  }
  ctx.io.redactor.addSecret(res.data.AccessToken, 'AccessToken')
  return res.data.Status || created.Status || 'unknown'
}

export interface Endpoints {
  accessToken?: string
  endpoints: ServiceEndpoint[]
}

/** Seed Step 8. If it fails, the endpoints create-service returned are reported instead. */
export async function describeEndpoints(ctx: SkillContext, region: string, name: string, created: CreateService, notices: Notices): Promise<Endpoints> {
  const res = await ctx.cli.attempt({
    argv: serviceEndpointsArgv(ctx, region, name),
    schema: DescribeServiceEndpoints,
    label: 'eas describe-service-endpoints',
  })
  if (res.ok) {
    ctx.io.redactor.addSecret(res.data.AccessToken, 'AccessToken')
    if (!res.data.AccessToken) notices.add('describe-service-endpoints returned no AccessToken; the examples show a <AccessToken> placeholder.')
    return { accessToken: res.data.AccessToken, endpoints: res.data.Endpoints }
  }
  notices.add(`describe-service-endpoints failed (${firstLine(res.error)}); showing the endpoints create-service returned, without an AccessToken.`)
  const fromCreate = [created.InternetEndpoint, created.IntranetEndpoint].some(Boolean)
    ? [{ EndpointType: 'create-service', InternetEndpoints: created.InternetEndpoint ? [created.InternetEndpoint] : [], IntranetEndpoints: created.IntranetEndpoint ? [created.IntranetEndpoint] : [], Port: undefined, PathType: undefined }]
    : []
  return { endpoints: fromCreate }
}

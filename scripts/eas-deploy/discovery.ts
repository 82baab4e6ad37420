// Seed Steps 1–3: the workspace, the duplicate-name gate, and the two mandatory validations
// (list-images for the image, describe-machine-spec for the machine type).

import { api } from '../../lib/command.js'
import { CliError, HarnessError, StopError } from '../../lib/errors.js'
import { DescribeMachineSpec, ListImages, ListServices, ListWorkspaces, type InstanceMeta, type Workspace } from './schemas.js'
import type { SkillContext } from '../../lib/skill.js'
import { firstLine, listAll, type Notices } from './calls.js'
import { installPlugins } from './prechecks.js'

export interface WorkspaceChoice {
  id?: string
  name?: string
  how: 'given' | 'only-enabled' | 'chosen' | 'none-enabled' | 'lookup-failed'
}

const MAX_OPTIONS = 4

// The discovery commands, built once for the steps and for doctor's templates.
type Regional = Pick<SkillContext, 'region'>
export const listWorkspacesArgv = (ctx: Regional, region: string) => api('aiworkspace', 'list-workspaces', ctx.region('aiworkspace', region))
export const listServicesArgv = (ctx: Regional, region: string) => api('eas', 'list-services', { ...ctx.region('eas', region), 'cluster-id': region })
export const listImagesArgv = (ctx: Regional, region: string) =>
  api('aiworkspace', 'list-images', { ...ctx.region('aiworkspace', region), verbose: 'true', labels: 'system.official=true,system.supported.eas=true', 'page-size': '50' })
export const machineSpecArgv = (ctx: Regional, region: string) => api('eas', 'describe-machine-spec', ctx.region('eas', region))
/** Step 3's call with its retry choice (any failure, once more with --read-timeout 60), for the step and for doctor. */
export const machineSpecStep = (ctx: Regional, region: string) => ({ argv: machineSpecArgv(ctx, region), retry: 'read-timeout' as const })

/** Seed Step 1: the given workspace, else the only ENABLED one, else a decision (D4). */
export async function resolveWorkspace(ctx: SkillContext, region: string, given: string | undefined, notices: Notices, generatedName?: string): Promise<WorkspaceChoice> {
  if (given) return { id: given, how: 'given' }
  let all: Workspace[]
  try {
    all = await listAll(ctx, {
      argv: listWorkspacesArgv(ctx, region),
      schema: ListWorkspaces,
      label: 'aiworkspace list-workspaces',
      items: (b) => b.Workspaces,
    })
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    // Discovery failures are logged and the run continues; service.json validation stops it later.
    notices.add(`aiworkspace list-workspaces failed (${firstLine(e)}); metadata.workspace_id cannot be filled in automatically — pass --workspace-id.`)
    return { how: 'lookup-failed' }
  }
  const enabled = all.filter((w) => w.Status === 'ENABLED')
  if (enabled.length === 0) {
    notices.add(`No ENABLED PAI workspace in ${region} (${all.length} workspace(s) listed); pass --workspace-id.`)
    return { how: 'none-enabled' }
  }
  if (enabled.length === 1) {
    notices.add(`Using workspace ${enabled[0].WorkspaceName} (${enabled[0].WorkspaceId}), the only enabled one in ${region}.`)
    return { id: enabled[0].WorkspaceId, name: enabled[0].WorkspaceName, how: 'only-enabled' }
  }
  // Several: the user chooses (the seed: "list them and let the user choose"). Default first.
  const ordered = [...enabled.filter((w) => w.IsDefault), ...enabled.filter((w) => !w.IsDefault)]
  const listing = ordered.map((w) => `  ${w.WorkspaceId}  ${w.WorkspaceName}${w.IsDefault ? '  (default)' : ''}`).join('\n')
  const shown = ordered.slice(0, MAX_OPTIONS)
  const value = await ctx.decide({
    id: 'workspace',
    question: `${enabled.length} PAI workspaces are enabled in ${region}. Which one should the service belong to (metadata.workspace_id)?${enabled.length > MAX_OPTIONS ? ` The first ${MAX_OPTIONS} are offered; pass --workspace-id for another.` : ''}`,
    flag: '--workspace-id',
    context: `Enabled workspaces in ${region}:\n${listing}`,
    options: shown.map((w, i) => ({
      value: w.WorkspaceId,
      label: `${w.WorkspaceName} (${w.WorkspaceId})${w.IsDefault ? ', the default workspace' : ''}`,
      recommended: i === 0,
      // A name made from a prefix stays the same in the continuation (no new random digits).
      ...(generatedName ? { args: ['--workspace-id', w.WorkspaceId, '--service-name', generatedName] } : {}),
    })),
    ...(generatedName ? { replaces: ['--workspace-id', '--service-name-prefix'] } : {}),
  })
  const chosen = enabled.find((w) => w.WorkspaceId === value)
  return { id: value, name: chosen?.WorkspaceName, how: 'chosen' }
}

/**
 * Seed Step 1.5 (and again before Step 6): a service with this name → stop with the seed's text.
 * The check failing is a stop too (D6): no duplicate was proven, so nothing may be created.
 */
export async function duplicateGate(ctx: SkillContext, region: string, name: string, moment: 'before validation' | 'before create-service'): Promise<void> {
  let services
  try {
    services = await listAll(ctx, {
      argv: listServicesArgv(ctx, region),
      schema: ListServices,
      label: `eas list-services (duplicate check ${moment})`,
      items: (b) => b.Services ?? [],
    })
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    throw new StopError(
      'DuplicateCheckFailed',
      `Could not check whether a service named ${name} already exists in ${region} (${firstLine(e)}). No duplicate was ruled out, so nothing was created.`,
      {
        requestId: e.requestId,
        cause: e,
        // A permission refusal gets the full list and the grant-then-rerun action (lib/finish.ts).
        nextAction: e.kind === 'permission' ? undefined : 'Fix the cause (network, region), then run the same command again.',
        data: { service_name: name, region },
      },
    )
  }
  const existing = services.find((s) => s.ServiceName === name)
  if (existing)
    throw new StopError('ServiceNameTaken', `A service named ${name} already exists (Status: ${existing.Status}). Please choose a different name.`, {
      nextAction: 'Run again with a different --service-name. The existing service is neither reused nor deleted.',
      data: { service_name: name, region, existing_status: existing.Status },
    })
}

/** What each try of a step since `from` ended with, as the run's step records show it (never a try that did not happen). */
function triesSince(ctx: SkillContext, from: number, label: string): string[] {
  return ctx.cli.steps
    .slice(from)
    .filter((s) => s.step === label)
    .map((s) => `${s.error_code ?? 'output that is not the expected JSON'}${s.command.includes('--read-timeout') ? ' (with --read-timeout 60)' : ''}`)
}

/** `history`: what was done, in order — each try's outcome, and anything done between tries. */
function mandatoryCheckFailed(what: string, history: string[], err: CliError): HarnessError {
  return new HarnessError(
    'MandatoryCheckFailed',
    `${what} failed: ${history.join('; then ')}. Last error: ${firstLine(err)}. The seed never builds service.json without it, so nothing was created.`,
    {
      requestId: err.requestId,
      recommend: err.recommend,
      cause: err,
      // A refused command line already says what to do (aliyun-harness doctor); a permission error gets the grant list.
      nextAction: err.kind === 'permission' ? undefined : (err.nextAction ?? 'Fix the cause (plugin install, network), then run the same command again.'),
    },
  )
}

/** A plugin that failed to install shows up as a parse error or exit code 4 (seed Step 2). */
function pluginProblem(err: CliError): boolean {
  return err.kind === 'plugin-missing' || err.code === 'InvalidJsonOutput' || err.cliExitCode === 4 || /parse error/i.test(err.message)
}

/** The registry host's `-vpc` variant names the same image (`dsw-registry-vpc.<r>…` = `dsw-registry.<r>…`). */
export function sameImage(a: string, b: string): boolean {
  const norm = (u: string) => {
    const [host, ...rest] = u.trim().split('/')
    return [host.replace(/-vpc(?=\.)/, ''), ...rest].join('/')
  }
  return norm(a) === norm(b)
}

export interface ImageCheck {
  official_images_listed: number
  /** Per image: found among the official EAS images, or not (deployed as given). */
  images: { image: string; official: boolean }[]
}

/**
 * Seed Step 2 (mandatory, even when the image was given): list the official EAS images and look the
 * image up. A timeout is retried with --read-timeout 60 (the policy's default rule). A failure that
 * means the plugin did not install ("parse error", exit code 4, plugin missing) runs the seed's
 * sequence exactly: reinstall the plugin, list-images again, and if that still fails, list-images
 * with --read-timeout 60 (the policy's `read-timeout` rule).
 */
export async function validateImages(ctx: SkillContext, region: string, images: string[], notices: Notices): Promise<ImageCheck> {
  const step = {
    argv: listImagesArgv(ctx, region),
    schema: ListImages,
    label: 'aiworkspace list-images (validate image)',
  }
  const from = ctx.cli.steps.length
  let res = await ctx.cli.attempt(step)
  const history = triesSince(ctx, from, step.label)
  if (!res.ok && pluginProblem(res.error)) {
    notices.add(`aiworkspace list-images failed (${firstLine(res.error)}); the aiworkspace plugin may not have installed: reinstalling it, then trying again (and once more with --read-timeout 60 if that fails too).`)
    await installPlugins(ctx, notices)
    const again = ctx.cli.steps.length
    res = await ctx.cli.attempt({ ...step, retry: 'read-timeout' })
    history.push('plugin install --names aiworkspace eas', ...triesSince(ctx, again, step.label))
  }
  if (!res.ok) throw mandatoryCheckFailed('aiworkspace list-images (image validation)', history, res.error)
  const listed = res.data.Images
  const checks = images.map((image) => ({ image, official: listed.some((i) => sameImage(i.ImageUri, image)) }))
  for (const c of checks)
    if (!c.official) notices.add(`Image ${c.image} is not among the ${listed.length} official EAS images listed in ${region}; deploying it as given (a custom image must be pullable by EAS).`)
  return { official_images_listed: listed.length, images: checks }
}

export interface MachineCheck {
  instance_types: string[]
  /** Per requested type: listed by describe-machine-spec, and its GPU count when listed. */
  checks: { instance_type: string; listed: boolean; gpus?: number; available?: boolean }[]
  /** The first type switched to a GPU type (vLLM/SGLang); `instance_types` holds every replacement. */
  switched?: { from: string; to: string; reason: string }
}

/**
 * A GPU type, by describe-machine-spec's own fields: `GPUAmount` ("the number of GPUs in the
 * instance type") above 0, or `GPU` (the GPU model; "not returned for non-GPU instance types") present.
 */
export function isGpuType(m: InstanceMeta): boolean {
  return (m.GPUAmount ?? 0) > 0 || Boolean(m.GPU)
}

function available(m: InstanceMeta): boolean {
  return m.IsAvailable !== false && !/without|nostock|soldout/i.test(m.StockStatus ?? '')
}

/** The smallest available GPU machine (fewest GPUs, then CPUs, then memory), in stock first. */
export function pickGpuType(metas: InstanceMeta[]): InstanceMeta | undefined {
  const gpu = metas.filter((m) => isGpuType(m) && available(m))
  const rank = (m: InstanceMeta) => [m.StockStatus === 'WithStock' ? 0 : 1, m.GPUAmount ?? 1, m.CPU ?? 0, m.Memory ?? 0] as const
  return gpu.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)]
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i]
    return a.InstanceType < b.InstanceType ? -1 : 1
  })[0]
}

/**
 * Seed Step 3 (mandatory, even when the type was given; never list-resources). Any failure is
 * retried once with --read-timeout 60 (the policy's `read-timeout` rule: "If this command fails,
 * retry with --read-timeout 60"). vLLM/SGLang on anything that is not a listed GPU type — a CPU
 * type, or a type describe-machine-spec does not list — is prohibited: an available GPU type is
 * picked instead, without asking ("CPU→GPU auto-switch: silently pick GPU"), and the user is told.
 */
export async function validateMachineTypes(ctx: SkillContext, region: string, wanted: string[], llmEngine: boolean, notices: Notices): Promise<MachineCheck> {
  const label = 'eas describe-machine-spec (validate instance type)'
  const from = ctx.cli.steps.length
  const res = await ctx.cli.attempt({ ...machineSpecStep(ctx, region), schema: DescribeMachineSpec, label })
  if (!res.ok) throw mandatoryCheckFailed('eas describe-machine-spec (instance type validation)', triesSince(ctx, from, label), res.error)
  const metas = res.data.InstanceMetas
  const result: MachineCheck = { instance_types: [...wanted], checks: [] }
  for (const type of wanted) {
    const meta = metas.find((m) => m.InstanceType === type)
    result.checks.push({ instance_type: type, listed: Boolean(meta), gpus: meta ? meta.GPUAmount ?? (meta.GPU ? 1 : 0) : undefined, available: meta ? available(meta) : undefined })
    if (llmEngine && !(meta && isGpuType(meta))) {
      const gpu = pickGpuType(metas)
      const why = meta ? `${type} has none` : `${type} is not a GPU type describe-machine-spec lists in ${region}`
      if (!gpu)
        throw new StopError('NoGpuInstanceType', `vLLM/SGLang needs a GPU and ${why}, and describe-machine-spec lists no available GPU type in ${region}. Nothing was created.`, {
          nextAction: 'Pass a GPU --instance-type that has stock in this region, or try another region.',
        })
      const reason = `vLLM/SGLang needs a GPU and ${why}`
      result.switched ??= { from: type, to: gpu.InstanceType, reason }
      result.instance_types = result.instance_types.map((t) => (t === type ? gpu.InstanceType : t))
      notices.add(`${reason}: using ${gpu.InstanceType} instead (${gpu.GPUAmount ?? 1} × ${gpu.GPU ?? 'GPU'}${gpu.GPUMemory ? ` ${gpu.GPUMemory} GB` : ''}, ${gpu.CPU ?? '?'} vCPU, ${gpu.Memory ?? '?'} GB), the smallest available GPU type in ${region}.`)
    } else if (!meta) {
      notices.add(`Instance type ${type} is not listed by describe-machine-spec in ${region}; create-service decides whether it can be used.`)
    } else if (!available(meta)) {
      notices.add(`Instance type ${type} is marked unavailable by describe-machine-spec (${meta.StockStatus ?? 'IsAvailable false'}); create-service decides.`)
    }
  }
  return result
}

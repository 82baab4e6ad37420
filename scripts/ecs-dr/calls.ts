// How ecs-dr talks to the API: every call names the region twice (`--biz-region-id` for the API,
// `--endpoint` so the CLI never silently answers from its default region), transient codes are
// retried per D5, and a permission failure becomes the skill's permission stop.

import { createHash } from 'node:crypto'
import type { ZodType } from 'zod'
import { parseArgv, type Flags } from '../../lib/command.js'
import { CliError, StopError } from '../../lib/errors.js'
import type { RetryPolicy, Step } from '../../lib/runner.js'
import type { SkillContext } from '../../lib/skill.js'

export const ecsFlags = (region: string): Flags => ({ 'biz-region-id': region, endpoint: `ecs.${region}.aliyuncs.com` })
export const vpcFlags = (region: string): Flags => ({ 'biz-region-id': region, endpoint: `vpc.${region}.aliyuncs.com` })

/** D5: server-side transient failures, retried at most 3 times, 15 s apart. */
export const TRANSIENT_CODES = ['InternalError', 'ServiceUnavailable', 'Throttling', 'OperationConflict'] as const
export const RETRY_DELAY_MS = 15_000
export const MAX_RETRIES = 3

export function transient(label: string): RetryPolicy {
  return {
    on: TRANSIENT_CODES,
    attempts: MAX_RETRIES + 1,
    delayMs: RETRY_DELAY_MS,
    notice: (err, attempt) => `${label}: ${err.code} is a transient server-side error; waiting ${RETRY_DELAY_MS / 1000} s before retry ${attempt} of ${MAX_RETRIES}.`,
  }
}

export const RAM_ACTIONS = [
  'ecs:DescribeInstances',
  'ecs:DescribeDisks',
  'ecs:CreateImage',
  'ecs:DescribeImages',
  'ecs:DescribeAvailableResource',
  'ecs:DescribeVSwitches',
  'ecs:RunInstances',
  'vpc:CreateVSwitch',
]

const PERMISSION = /^(Forbidden(\..+)?|NoPermission(\..+)?|.+\.NoPermission|InvalidAccessKeyId\.NotFound|SignatureDoesNotMatch)$/

export function isPermissionError(e: unknown): e is CliError {
  return e instanceof CliError && e.kind === 'server' && PERMISSION.test(e.code)
}

/** The seed's permission flow: name every action the skill needs, then pause for the user. */
export function permissionStop(label: string, err: CliError, resume: string): StopError {
  return new StopError(
    'PermissionDenied',
    [
      `${label} was refused: ${err.code}: ${err.message}`,
      `This workflow needs these RAM actions: ${RAM_ACTIONS.join(', ')}.`,
      'Ask an administrator to grant them (the ram-permission-diagnose skill guides the request); avoid AliyunECSFullAccess/AliyunVPCFullAccess.',
    ].join('\n'),
    { requestId: err.requestId, nextAction: `Once the permissions are granted, continue with: ${resume}` },
  )
}

/** A JSON API step with the transient retry policy; permission errors become the permission stop. */
export async function callJson<T>(ctx: SkillContext, resume: string, step: ApiStep<T>): Promise<T> {
  try {
    return await ctx.cli.json({ retry: transient(step.label), ...step })
  } catch (e) {
    if (isPermissionError(e)) throw permissionStop(step.label, e, resume)
    throw e
  }
}

export type ApiStep<T> = Step<T> & { schema: ZodType<T>; label: string }

/**
 * An idempotency token (`--client-token`) for a create call: the same run asking for the same thing
 * sends the same token, so a retry, or a run resumed after being killed mid-call, gets the first
 * call's resource back instead of a second one. Different parameters give a different token; the
 * order flags are written in does not matter.
 */
export function clientToken(nonce: string, what: string, argv: readonly string[]): string {
  const p = parseArgv(argv)
  const canonical = JSON.stringify([p.words, p.groups.map((g) => JSON.stringify([g.flag, ...g.values])).sort()])
  const digest = createHash('sha256').update(canonical).digest('hex').slice(0, 16)
  return `dr-${nonce}-${what}-${digest}`.slice(0, 64)
}

export function withClientToken(argv: readonly string[], nonce: string, what: string): string[] {
  return [...argv, '--client-token', clientToken(nonce, what, argv)]
}

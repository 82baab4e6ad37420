// How ecs-dr talks to the API: a permission failure becomes the skill's permission stop, and a
// create carries an idempotency token. Regional flags (`--biz-region-id` and `--endpoint`) and the
// transient-error retries (D5) are the skill's policy data, applied by the runner.

import { createHash } from 'node:crypto'
import type { ZodType } from 'zod'
import { parseArgv } from '../../lib/command.js'
import { CliError, StopError } from '../../lib/errors.js'
import type { Step } from '../../lib/runner.js'
import type { SkillContext } from '../../lib/skill.js'

export function isPermissionError(e: unknown): e is CliError {
  return e instanceof CliError && e.kind === 'permission'
}

/**
 * The seed's permission flow: name every action the skill needs, then pause for the user. The list
 * is the run's policy data (`ctx.policy.permissions.ram`); lib/finish.ts also puts it in
 * error.required_permissions.
 */
export function permissionStop(ctx: SkillContext, label: string, err: CliError, resume: string): StopError {
  return new StopError(
    'PermissionDenied',
    [
      `${label} was refused: ${err.code}: ${err.message}`,
      `This workflow needs these RAM actions: ${(ctx.policy.permissions?.ram ?? []).join(', ')}.`,
      'Ask an administrator to grant them (the ram-permission-diagnose skill guides the request); avoid AliyunECSFullAccess/AliyunVPCFullAccess.',
    ].join('\n'),
    { requestId: err.requestId, cause: err, nextAction: `Once the permissions are granted, continue with: ${resume}` },
  )
}

/** A JSON API step; permission errors become the permission stop. */
export async function callJson<T>(ctx: SkillContext, resume: string, step: ApiStep<T>): Promise<T> {
  try {
    return await ctx.cli.json(step)
  } catch (e) {
    if (isPermissionError(e)) throw permissionStop(ctx, step.label, e, resume)
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

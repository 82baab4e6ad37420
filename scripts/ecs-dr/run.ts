// One ecs-dr run: its state file, its report (the result's `data`, published to ctx.partial so a
// run that stops early still reports what it learned) and the API calls made on its behalf.

import { shellLine, type Flags } from '../../lib/command.js'
import type { CliError } from '../../lib/errors.js'
import type { RunRecord, RunStore } from '../../lib/run-state.js'
import type { SkillContext } from '../../lib/skill.js'
import { callJson, isPermissionError, permissionStop, withClientToken, type ApiStep } from './calls.js'
import type { DrData, DrState } from './model.js'

export class DrRun {
  readonly report: DrData

  constructor(
    readonly ctx: SkillContext,
    private store: RunStore<DrState>,
    readonly record: RunRecord<DrState>,
    readonly resumed: boolean,
  ) {
    this.report = { run_id: record.run_id, resumed, state_file: store.path(record.run_id) }
    this.publish({})
  }

  get id(): string {
    return this.record.run_id
  }

  get state(): DrState {
    return this.record.state
  }

  get region(): string {
    return this.state.region
  }

  /** The shortest command line that continues this run. */
  get resumeCommand(): string {
    return shellLine(['aliyun-harness', 'ecs-dr', '--region', this.region, '--instance-id', this.state.instance_id, '--resume', this.id])
  }

  get active(): boolean {
    return this.record.status === 'active'
  }

  /** Writes the state file now (called right after anything was created). */
  save(): void {
    this.store.save(this.record)
  }

  /** The run cannot go on (or is done): it is no longer resumed by re-running the same command. */
  end(status: 'completed' | 'stopped', because?: string): void {
    this.store.finish(this.record, status, because)
  }

  publish(patch: Partial<DrData>): void {
    Object.assign(this.report, patch)
    Object.assign(this.ctx.partial, this.report)
  }

  call<T>(step: ApiStep<T>): Promise<T> {
    return callJson(this.ctx, this.resumeCommand, step)
  }

  /** The same as `call`, under the name the generic pager (lib/paginate) uses. */
  json<T>(step: ApiStep<T>): Promise<T> {
    return this.call(step)
  }

  /** A call whose API errors the workflow maps itself (transient codes are still retried first). */
  async attempt<T>(step: ApiStep<T>): Promise<{ ok: true; data: T } | { ok: false; error: CliError }> {
    const res = await this.ctx.cli.attempt(step)
    if (!res.ok && isPermissionError(res.error)) throw permissionStop(this.ctx, step.label, res.error, this.resumeCommand)
    return res
  }

  /** For polls: a permission failure becomes the permission stop, like every other call. */
  async guard<T>(label: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      if (isPermissionError(e)) throw permissionStop(this.ctx, label, e, this.resumeCommand)
      throw e
    }
  }

  /** The regional flags of a command of `product` in this run's region. */
  flags(product: string): Flags {
    return this.ctx.region(product, this.region)
  }

  /** The argv with this run's idempotency token for it appended. */
  withToken(argv: string[], what: string): string[] {
    return withClientToken(argv, this.state.token_nonce, what)
  }
}

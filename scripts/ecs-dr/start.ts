// Which run this invocation is: `--resume <id>`, an unfinished run started with the same
// arguments, or a new one. A resumed run takes its session id back before any API call, so every
// call of the recovery carries one user agent.

import { randomBytes } from 'node:crypto'
import { shellLine } from '../../lib/command.js'
import { UsageError } from '../../lib/errors.js'
import { argumentKey, RunStore, type RunRecord } from '../../lib/run-state.js'
import type { SkillContext } from '../../lib/skill.js'
import { DrState, type DrData } from './model.js'
import { DrRun } from './run.js'

export type Opened = { kind: 'run'; run: DrRun } | { kind: 'completed'; record: RunRecord<DrState>; data: DrData }

export function openRun(ctx: SkillContext, opts: Record<string, unknown> & { region: string; 'instance-id': string; resume?: string }): Opened {
  const store = new RunStore(ctx.stateDir, 'ecs-dr', DrState, () => ctx.clock.now())
  const region = opts.region
  const instanceId = opts['instance-id']

  if (opts.resume) {
    const record = store.load(opts.resume)
    if (!record) throw new UsageError(`There is no ecs-dr run ${opts.resume} in ${store.dir}.`, 'RunNotFound')
    if (record.state.region !== region || record.state.instance_id !== instanceId)
      throw new UsageError(`Run ${record.run_id} recovers ${record.state.instance_id} in ${record.state.region}, not ${instanceId} in ${region}.`, 'RunMismatch')
    ctx.runId = record.run_id
    if (record.status === 'completed' && record.state.result) return { kind: 'completed', record, data: record.state.result }
    if (record.status !== 'active')
      throw new UsageError(`Run ${record.run_id} ended (${record.ended_because ?? record.status}) and cannot be continued; start a new run without --resume.`, 'RunEnded')
    ctx.sessionId = record.state.session_id
    ctx.runId = record.run_id
    return { kind: 'run', run: new DrRun(ctx, store, record, true) }
  }

  const key = argumentKey(opts, ['resume'])
  const same = store.findActive(key)
  if (same) {
    ctx.sessionId = same.state.session_id
    ctx.runId = same.run_id
    ctx.note(`Continuing unfinished run ${same.run_id} (started ${same.created_at}) with the same arguments.`)
    return { kind: 'run', run: new DrRun(ctx, store, same, true) }
  }
  const others = store.active().filter((r) => r.state.region === region && r.state.instance_id === instanceId)
  if (others.length)
    ctx.note(
      `Unfinished run(s) of ${instanceId} exist: ${others.map((r) => r.run_id).join(', ')}. This starts a new run with a new image; to continue one instead: ${shellLine(['aliyun-harness', 'ecs-dr', '--region', region, '--instance-id', instanceId, '--resume', others[0].run_id])}`,
    )
  const nonce = ctx.generate('client-token-nonce', () => randomBytes(6).toString('hex'))
  const record = store.create(ctx.runId, key, { session_id: ctx.sessionId, region, instance_id: instanceId, token_nonce: nonce })
  return { kind: 'run', run: new DrRun(ctx, store, record, false) }
}

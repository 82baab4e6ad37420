// Which run this invocation is: `--resume <id>`, an unfinished run started with the same
// arguments, or a new one. A resumed run takes its session id back before any API call, so every
// call of the recovery carries one user agent.
//
// A new run creates a paid image, so it starts only when no other run may still own one: an
// unfinished run of the same source instance is a decision (continue it, or `--new-run`), and a
// run state file that cannot be read — which may belong to this instance — stops the run until the
// user inspects it or says `--new-run` (nothing paid is created twice without the user saying so).

import { randomBytes } from 'node:crypto'
import { shellLine } from '../../lib/command.js'
import { StopError, UsageError } from '../../lib/errors.js'
import { argumentKey, type DamagedRun, type RunRecord, type RunStore } from '../../lib/run-state.js'
import type { SkillContext } from '../../lib/skill.js'
import { DrState, type DrData } from './model.js'
import { DrRun } from './run.js'

export type Opened = { kind: 'run'; run: DrRun } | { kind: 'completed'; record: RunRecord<DrState>; data: DrData }

/** The arguments a run is keyed by: everything but how this invocation found it. */
const NOT_KEYED = ['resume', 'new-run']

/**
 * Whether a damaged state file may be an unfinished run of this instance: it names the instance,
 * or it names nothing at all (empty, garbage) — and it does not say it ended.
 */
function mayOwnThisInstance(d: DamagedRun, instanceId: string): boolean {
  if (/"status"\s*:\s*"(completed|stopped)"/.test(d.text)) return false
  return d.text.includes(instanceId) || !/"instance_id"\s*:\s*"i-/.test(d.text)
}

type StartOptions = Record<string, unknown> & { region: string; 'instance-id': string; resume?: string; 'new-run'?: boolean }

/**
 * The run `--resume <id>` names, checked before anything runs (the skill's validate()): a run id
 * that does not exist, belongs to another instance, or ended is a usage error. A completed run
 * that saved its result is returned too: it is answered from that result.
 */
export function resumable(ctx: SkillContext, opts: StartOptions): RunRecord<DrState> | undefined {
  if (!opts.resume) return undefined
  const store = ctx.runStore(DrState)
  const record = store.load(opts.resume)
  // A replay's state is thrown away when it ends: its temporary directory is no place to look in.
  const where = ctx.keepsState ? `in ${store.dir}` : 'to resume: a replay starts with no run state and throws its own away (keep it with `aliyun-harness replay --state-dir <dir>`)'
  if (!record) throw new UsageError(`There is no ecs-dr run ${opts.resume} ${where}.`, 'RunNotFound')
  if (record.state.region !== opts.region || record.state.instance_id !== opts['instance-id'])
    throw new UsageError(`Run ${record.run_id} recovers ${record.state.instance_id} in ${record.state.region}, not ${opts['instance-id']} in ${opts.region}.`, 'RunMismatch')
  if (record.status !== 'active' && !(record.status === 'completed' && record.state.result))
    throw new UsageError(`Run ${record.run_id} ended (${record.ended_because ?? record.status}) and cannot be continued; start a new run without --resume.`, 'RunEnded')
  return record
}

/** `resume` is what resumable() returned for these options. */
export async function openRun(ctx: SkillContext, opts: StartOptions, resume: RunRecord<DrState> | undefined): Promise<Opened> {
  const store = ctx.runStore(DrState)
  const region = opts.region
  const instanceId = opts['instance-id']
  const again = (...extra: string[]) => shellLine(['aliyun-harness', 'ecs-dr', '--region', region, '--instance-id', instanceId, ...extra])

  if (resume) {
    if (resume.status === 'completed' && resume.state.result) {
      ctx.resume({ runId: resume.run_id, sessionId: resume.state.session_id })
      return { kind: 'completed', record: resume, data: resume.state.result }
    }
    return { kind: 'run', run: resumed(ctx, store, resume) }
  }

  const key = argumentKey(opts, NOT_KEYED)
  const { active, damaged } = store.scan()
  const newRun = Boolean(opts['new-run'])

  if (!newRun) {
    const suspect = damaged.filter((d) => mayOwnThisInstance(d, instanceId))
    if (suspect.length)
      throw new StopError(
        'RunStateDamaged',
        [
          `Run state that cannot be read may belong to an unfinished recovery of ${instanceId} (which may already have created an image):`,
          ...suspect.map((d) => `  ${d.file}: ${d.why}`),
          'Nothing was created by this run.',
        ].join('\n'),
        {
          nextAction: `Inspect the file(s) above and check the ECS console for an image named Create_from_${instanceId}. Then either repair or remove the file(s) and run again, continue a repaired run with \`${again('--resume', suspect[0].run_id)}\`, or start a new recovery (a second image) with \`${again('--new-run')}\`.`,
          data: { damaged_state: suspect.map((d) => ({ file: d.file, run_id: d.run_id, reason: d.why })) },
        },
      )
    const same = active.find((r) => r.key === key)
    if (same) {
      ctx.note(`Continuing unfinished run ${same.run_id} (started ${same.created_at}) with the same arguments.`)
      return { kind: 'run', run: resumed(ctx, store, same) }
    }
    const other = active.find((r) => r.state.region === region && r.state.instance_id === instanceId)
    if (other) {
      const image = other.state.image ? ` (image ${other.state.image.id}, ${other.state.image.status})` : ''
      const answer = await ctx.decide({
        id: 'unfinished-run',
        question: `An unfinished recovery of ${instanceId} exists: run ${other.run_id}${image}, started ${other.created_at} with other arguments. Continue it, or start a new recovery that creates a second image?`,
        flag: '--resume',
        replaces: ['--resume', '--new-run'],
        options: [
          { value: other.run_id, label: `Continue run ${other.run_id}`, recommended: true, args: ['--resume', other.run_id] },
          { value: 'new-run', label: 'Start a new recovery (creates another image)', args: ['--new-run'] },
        ],
      })
      if (answer !== 'new-run') return { kind: 'run', run: resumed(ctx, store, other) }
    }
  }

  const nonce = ctx.generate('client-token-nonce', () => randomBytes(6).toString('hex'))
  const record = store.create(ctx.runId, key, { session_id: ctx.sessionId, region, instance_id: instanceId, token_nonce: nonce })
  return { kind: 'run', run: new DrRun(ctx, store, record, false) }
}

function resumed(ctx: SkillContext, store: RunStore<DrState>, record: RunRecord<DrState>): DrRun {
  ctx.resume({ runId: record.run_id, sessionId: record.state.session_id })
  return new DrRun(ctx, store, record, true)
}

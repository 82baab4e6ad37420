// A small resumable-run store any skill can use. One JSON file per run under
// `<stateDir>/runs/<skill>/<run-id>.json`; a run is found again by its id (`--resume <id>`) or, when
// the same command is simply run again, by a key of its normalised arguments. Every write goes to a
// temporary file that is then renamed over the old one, so a run killed mid-write leaves either the
// previous state or the new one, never half a file.

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ZodType } from 'zod'
import { HarnessError } from './errors.js'

export const RUN_STATE_FORMAT = 'aliyun-harness-run'

/** `active` runs can be resumed; `completed` and `stopped` runs are kept only as a record. */
export type RunStatus = 'active' | 'completed' | 'stopped'

export interface RunRecord<S> {
  format: typeof RUN_STATE_FORMAT
  version: 1
  skill: string
  run_id: string
  /** Key of the normalised arguments the run was started with (see `argumentKey`). */
  key: string
  status: RunStatus
  created_at: string
  updated_at: string
  /** Why a run ended when it did not complete (a stop condition's code). */
  ended_because?: string
  state: S
}

/** Run ids become file names: nothing that could leave the runs directory. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

export function isValidRunId(id: string): boolean {
  return RUN_ID.test(id)
}

/**
 * A stable key for a set of arguments: ignored names and empty values (undefined, null, false, '',
 * []) are dropped, names are sorted, lists keep their order. Same arguments → same key, whatever
 * order they were typed in.
 */
export function argumentKey(args: Record<string, unknown>, ignore: readonly string[] = []): string {
  const kept = Object.entries(args)
    .filter(([name, v]) => !ignore.includes(name) && v !== undefined && v !== null && v !== false && v !== '' && !(Array.isArray(v) && v.length === 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return createHash('sha256').update(JSON.stringify(kept)).digest('hex').slice(0, 32)
}

export class RunStateError extends HarnessError {
  constructor(message: string) {
    super('RunStateUnreadable', message, { nextAction: 'Fix or remove the run state file, or start a new run without --resume.' })
  }
}

export class RunStore<S> {
  readonly dir: string

  constructor(
    stateDir: string,
    readonly skill: string,
    private schema: ZodType<S>,
    private now: () => number = Date.now,
  ) {
    this.dir = join(stateDir, 'runs', skill)
  }

  path(runId: string): string {
    if (!isValidRunId(runId)) throw new RunStateError(`'${runId}' is not a run id.`)
    return join(this.dir, `${runId}.json`)
  }

  /** Starts a run and writes its first state. */
  create(runId: string, key: string, state: S): RunRecord<S> {
    if (existsSync(this.path(runId))) throw new RunStateError(`run ${runId} already exists in ${this.dir}.`)
    const at = new Date(this.now()).toISOString()
    const record: RunRecord<S> = { format: RUN_STATE_FORMAT, version: 1, skill: this.skill, run_id: runId, key, status: 'active', created_at: at, updated_at: at, state }
    this.write(record)
    return record
  }

  /** The run with this id, or undefined when there is none. An unreadable file is an error. */
  load(runId: string): RunRecord<S> | undefined {
    const file = this.path(runId)
    if (!existsSync(file)) return undefined
    return this.parse(file)
  }

  /** The most recently updated active run started with this argument key. Unreadable files are skipped. */
  findActive(key: string): RunRecord<S> | undefined {
    return this.active().find((r) => r.key === key)
  }

  /** Every active run, newest first (unreadable files skipped). */
  active(): RunRecord<S>[] {
    if (!existsSync(this.dir)) return []
    const out: RunRecord<S>[] = []
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.json') || !isValidRunId(f.slice(0, -5))) continue
      try {
        const r = this.parse(join(this.dir, f))
        if (r.status === 'active') out.push(r)
      } catch {
        /* a broken file is reported when it is resumed by id, not when looking for others */
      }
    }
    return out.sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0))
  }

  /** Writes the record's current state (atomically) and stamps `updated_at`. */
  save(record: RunRecord<S>): void {
    record.updated_at = new Date(this.now()).toISOString()
    this.write(record)
  }

  /** Marks a run as ended; it is no longer found by `findActive`. */
  finish(record: RunRecord<S>, status: Exclude<RunStatus, 'active'>, because?: string): void {
    record.status = status
    if (because) record.ended_because = because
    this.save(record)
  }

  private parse(file: string): RunRecord<S> {
    let raw: Record<string, unknown>
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'))
    } catch (e) {
      throw new RunStateError(`run state ${file} cannot be read: ${(e as Error).message}`)
    }
    if (raw?.format !== RUN_STATE_FORMAT || raw.version !== 1 || raw.skill !== this.skill || typeof raw.run_id !== 'string' || typeof raw.key !== 'string')
      throw new RunStateError(`run state ${file} is not a ${this.skill} run state file.`)
    if (!['active', 'completed', 'stopped'].includes(String(raw.status))) throw new RunStateError(`run state ${file} has an unknown status '${String(raw.status)}'.`)
    const state = this.schema.safeParse(raw.state)
    if (!state.success) {
      const issue = state.error.issues[0]
      throw new RunStateError(`run state ${file} is not valid at state.${issue.path.join('.')}: ${issue.message}`)
    }
    return { ...(raw as unknown as RunRecord<S>), state: state.data }
  }

  private write(record: RunRecord<S>): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    const file = this.path(record.run_id)
    const tmp = `${file}.${process.pid}.tmp`
    try {
      writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 })
      renameSync(tmp, file)
    } catch (e) {
      try {
        rmSync(tmp, { force: true })
      } catch {
        /* the write error below is the one to report */
      }
      throw new HarnessError('RunStateNotWritten', `run state ${file} could not be written: ${(e as Error).message}`)
    }
  }
}

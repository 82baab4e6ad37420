// A small resumable-run store any skill can use. One JSON file per run under
// `<stateDir>/runs/<skill>/<run-id>.json`; a run is found again by its id (`--resume <id>`) or, when
// the same command is simply run again, by a key of its normalised arguments. Every write goes to a
// temporary file that is then renamed over the old one, so a run killed mid-write leaves either the
// previous state or the new one, never half a file — and every write goes through the redactor.
// A file that cannot be read is never skipped silently: `scan()` reports it, so a skill that
// creates paid resources can refuse to start over while an unreadable run may own one.

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ZodType } from 'zod'
import { HarnessError } from './errors.js'
import type { Redactor } from './redact.js'

export const RUN_STATE_FORMAT = 'aliyun-harness-run'

/** `active` runs can be resumed; `completed` and `stopped` runs are kept only as a record. */
export type RunStatus = 'active' | 'completed' | 'stopped'

/**
 * Who wrote a run: a live run against the cloud, or a replay of a transcript. Replays keep their
 * state in a throw-away directory; the mark is the second lock, so a live run never continues a
 * run whose "resources" came out of a transcript.
 */
export type RunOrigin = 'live' | 'replay'

export interface RunRecord<S> {
  format: typeof RUN_STATE_FORMAT
  version: 1
  skill: string
  run_id: string
  /** Key of the normalised arguments the run was started with (see `argumentKey`). */
  key: string
  status: RunStatus
  /** Absent in files written before the mark existed: those were live runs. */
  origin?: RunOrigin
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

/** A run state file that could not be read back. `text` is what it holds (possibly nothing). */
export interface DamagedRun {
  file: string
  run_id: string
  why: string
  text: string
}

export interface RunStoreOptions {
  /** Everything written is scrubbed by it (a source instance's name or description may hold a key). */
  redactor: Redactor
  now?: () => number
  origin?: RunOrigin
}

export class RunStore<S> {
  readonly dir: string
  private now: () => number
  private redactor: Redactor
  readonly origin: RunOrigin

  constructor(
    stateDir: string,
    readonly skill: string,
    private schema: ZodType<S>,
    opts: RunStoreOptions,
  ) {
    this.dir = join(stateDir, 'runs', skill)
    this.now = opts.now ?? Date.now
    this.redactor = opts.redactor
    this.origin = opts.origin ?? 'live'
  }

  path(runId: string): string {
    if (!isValidRunId(runId)) throw new RunStateError(`'${runId}' is not a run id.`)
    return join(this.dir, `${runId}.json`)
  }

  /** Starts a run and writes its first state. */
  create(runId: string, key: string, state: S): RunRecord<S> {
    if (existsSync(this.path(runId))) throw new RunStateError(`run ${runId} already exists in ${this.dir}.`)
    const at = new Date(this.now()).toISOString()
    const record: RunRecord<S> = { format: RUN_STATE_FORMAT, version: 1, skill: this.skill, run_id: runId, key, status: 'active', origin: this.origin, created_at: at, updated_at: at, state }
    this.write(record)
    return record
  }

  /**
   * The run with this id, or undefined when there is none. An unreadable file is an error, and so
   * is a run written by the other origin (a live run never continues a replayed one).
   */
  load(runId: string): RunRecord<S> | undefined {
    const file = this.path(runId)
    if (!existsSync(file)) return undefined
    const record = this.parse(file)
    if ((record.origin ?? 'live') !== this.origin)
      throw new RunStateError(`run state ${file} was written by a ${record.origin ?? 'live'} run; a ${this.origin} run never continues it.`)
    return record
  }

  /** The most recently updated active run started with this argument key. */
  findActive(key: string): RunRecord<S> | undefined {
    return this.active().find((r) => r.key === key)
  }

  /** Every active run of this origin, newest first. */
  active(): RunRecord<S>[] {
    return this.scan().active
  }

  /**
   * Every run state file: the active runs of this origin (newest first), and the files that could
   * not be read back. Runs of the other origin are neither.
   */
  scan(): { active: RunRecord<S>[]; damaged: DamagedRun[] } {
    const active: RunRecord<S>[] = []
    const damaged: DamagedRun[] = []
    if (!existsSync(this.dir)) return { active, damaged }
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.json') || !isValidRunId(f.slice(0, -5))) continue
      const file = join(this.dir, f)
      try {
        const r = this.parse(file)
        if (r.status === 'active' && (r.origin ?? 'live') === this.origin) active.push(r)
      } catch (e) {
        let text = ''
        try {
          text = readFileSync(file, 'utf8')
        } catch {
          /* unreadable bytes: nothing to attribute it by */
        }
        damaged.push({ file, run_id: f.slice(0, -5), why: (e as Error).message, text })
      }
    }
    active.sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0))
    return { active, damaged }
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
    if (raw.origin !== undefined && raw.origin !== 'live' && raw.origin !== 'replay') throw new RunStateError(`run state ${file} has an unknown origin '${String(raw.origin)}'.`)
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
      writeFileSync(tmp, this.redactor.scrub(JSON.stringify(this.redactor.scrubValue(record), null, 2) + '\n'), { mode: 0o600 })
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

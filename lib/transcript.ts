// Transcripts: one readable JSON file per scenario, and the strict keyed matcher that replays them.
// Matching follows Polly.js (a key per call, repeats served in recorded order per key) with
// vcrpy-style miss reports ("never recorded" vs "already used", closest entries with a diff).

import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { parseArgv, type FlagGroup } from './command.js'
import { UsageError } from './errors.js'
import { writeOutputFile } from './output-file.js'
import type { Redactor } from './redact.js'
import { HARNESS_VERSION } from './version.js'

export const TRANSCRIPT_FORMAT = 'aliyun-harness-transcript'

const CliEntrySchema = z
  .object({
    kind: z.literal('cli'),
    argv: z.array(z.string()),
    /** Raw stdout, or `stdout_json` for a JSON body (printed with 2-space indent and a newline). */
    stdout: z.string().optional(),
    stdout_json: z.unknown().optional(),
    stderr: z.string().default(''),
    exit_code: z.number().int(),
    duration_ms: z.number().nonnegative().default(0),
    /**
     * How long the call takes before it answers, in replay time: an in-process replay moves its
     * virtual clock by it (concurrent calls then answer in the order real time would give), and
     * nothing ever waits for it in real time — neither `--replay` nor the fake CLI of the replay tool.
     */
    delay_ms: z.number().nonnegative().optional(),
    /**
     * Fault injection for tests of interrupts: the call never answers. The replay tool says so on
     * stderr once the fake CLI is serving it ("… is held open until the run is stopped"), so a test
     * signals the run at that moment instead of after a guessed sleep; `--replay` holds it until
     * the run's signal aborts. Never written by a recording.
     */
    hang: z.literal(true).optional(),
    note: z.string().optional(),
    /** The command line that ran `aliyun` (recorded by `guard`), for acceptance rules about who called. */
    caller: z.array(z.string()).optional(),
    /**
     * `guard` refused this call (the reason): it never reached the CLI, so replay never serves it nor
     * misses it; audit reports it, and the acceptance rules count the attempt.
     */
    refused: z.string().optional(),
  })
  .strict()

const SdkEntrySchema = z
  .object({
    kind: z.literal('sdk'),
    product: z.string(),
    action: z.string(),
    request: z.object({
      method: z.string(),
      path: z.string(),
      body: z.unknown().optional(),
      user_agent: z.string().optional(),
    }),
    response: z.object({ status: z.number().int(), body: z.unknown() }),
    duration_ms: z.number().nonnegative().default(0),
    note: z.string().optional(),
  })
  .strict()

export const EntrySchema = z.discriminatedUnion('kind', [CliEntrySchema, SdkEntrySchema])
export type CliEntry = z.infer<typeof CliEntrySchema>
export type SdkEntry = z.infer<typeof SdkEntrySchema>
export type Entry = z.infer<typeof EntrySchema>

export const TranscriptSchema = z
  .object({
    format: z.literal(TRANSCRIPT_FORMAT),
    version: z.literal(1),
    skill: z.string(),
    scenario: z.string().optional(),
    /** Set by every recorder of a real run (`--record`, `record`, `guard --record`); a transcript built from facts has none. */
    origin: z.literal('recorded').optional(),
    harness_version: z.string(),
    cli_version: z.string(),
    recorded_at: z.string(),
    /** Values the run generated (random name suffixes …), replayed in order by name. */
    generated: z.record(z.string(), z.array(z.string())).default({}),
    entries: z.array(EntrySchema),
  })
  .strict()
export type Transcript = z.infer<typeof TranscriptSchema>

/** The empty transcript a recorder of a real run starts with; its calls are added as they happen. */
export function newRecording(skill: string, scenario?: string): Transcript {
  return {
    format: TRANSCRIPT_FORMAT,
    version: 1,
    skill,
    ...(scenario ? { scenario } : {}),
    origin: 'recorded',
    harness_version: HARNESS_VERSION,
    cli_version: 'unknown',
    recorded_at: new Date().toISOString(),
    generated: {},
    entries: [],
  }
}

export function loadTranscript(file: string): Transcript {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new Error(`cannot read transcript ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`)
  }
  if (!text.trim()) throw new Error(`transcript ${file} is empty`)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new Error(`transcript ${file} is not JSON (${(e as Error).message})`)
  }
  if (!raw || typeof raw !== 'object' || (raw as { format?: unknown }).format !== TRANSCRIPT_FORMAT)
    throw new Error(`${file} is not an aliyun-harness transcript (it has no "format": "${TRANSCRIPT_FORMAT}")`)
  const parsed = TranscriptSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`transcript ${file} is not valid at ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  return parsed.data
}

/** A transcript the user named on the command line: one that cannot be read is their input to fix (exit 2). */
export function loadTranscriptInput(file: string): Transcript {
  try {
    return loadTranscript(file)
  } catch (e) {
    throw new UsageError((e as Error).message, 'TranscriptUnreadable')
  }
}

/**
 * Writes a transcript whole, every field scrubbed — the header (`cli_version` is whatever
 * `aliyun version` printed) as much as each entry. The path was checked before the run started.
 */
export function saveTranscript(file: string, t: Transcript, redactor: Redactor): void {
  writeOutputFile(file, JSON.stringify(redactor.scrubValue(t), null, 2) + '\n', redactor)
}

export function entryStdout(e: CliEntry): string {
  if (e.stdout_json !== undefined) return JSON.stringify(e.stdout_json, null, 2) + '\n'
  return e.stdout ?? ''
}

/** Stores JSON output as `stdout_json` only when that round-trips byte for byte; otherwise raw text. */
export function storeStdout(stdout: string): Pick<CliEntry, 'stdout' | 'stdout_json'> {
  try {
    const v = JSON.parse(stdout)
    if (v !== null && typeof v === 'object' && JSON.stringify(v, null, 2) + '\n' === stdout) return { stdout_json: v }
  } catch {
    /* not JSON */
  }
  return { stdout }
}

// ---------------------------------------------------------------------------------------------
// Matching

const SESSION_SUFFIX = /\/[0-9a-f]{32}$/
/** Flags that say where a call runs, not what it asks; they are not part of the key. */
const IGNORED_FLAGS = new Set(['--profile'])

function normaliseGroup(g: FlagGroup): FlagGroup {
  if (g.flag === '--user-agent') return { flag: g.flag, values: g.values.map((v) => v.replace(SESSION_SUFFIX, '/<session-id>')) }
  return g
}

export interface CallKey {
  words: string[]
  groups: FlagGroup[]
}

export function cliKey(argv: readonly string[]): CallKey {
  const p = parseArgv(argv)
  const groups = p.groups
    .filter((g) => !IGNORED_FLAGS.has(g.flag))
    .map(normaliseGroup)
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
  return { words: p.words, groups }
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical)
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]))
  return v
}

export function sdkKey(req: { method: string; path: string; body?: unknown }): string {
  return JSON.stringify({ m: req.method.toUpperCase(), p: req.path, b: canonical(req.body ?? null) })
}

const keyString = (k: CallKey) => JSON.stringify(k)

export interface Miss {
  kind: 'never-recorded' | 'already-used'
  message: string
}

export class Replayer {
  readonly transcript: Transcript
  private used: boolean[]
  private keys: (string | undefined)[]
  private generatedAt: Record<string, number> = {}

  constructor(t: Transcript) {
    this.transcript = t
    // A call guard refused was never answered by the CLI: nothing to serve, nothing left unused.
    this.used = t.entries.map((e) => e.kind === 'cli' && e.refused !== undefined)
    this.keys = t.entries.map((e) => (e.kind === 'cli' ? (e.refused === undefined ? keyString(cliKey(e.argv)) : undefined) : sdkKey(e.request)))
  }

  /** The first unused entry with the same key, in recorded order; a Miss with a diff otherwise. */
  matchCli(argv: readonly string[]): { entry: CliEntry; index: number } | Miss {
    const key = keyString(cliKey(argv))
    const i = this.keys.findIndex((k, j) => k === key && !this.used[j] && this.transcript.entries[j].kind === 'cli')
    if (i >= 0) {
      this.used[i] = true
      return { entry: this.transcript.entries[i] as CliEntry, index: i }
    }
    return this.explainCli(argv, key)
  }

  matchSdk(req: { method: string; path: string; body?: unknown }): { entry: SdkEntry; index: number } | Miss {
    const key = sdkKey(req)
    const i = this.keys.findIndex((k, j) => k === key && !this.used[j] && this.transcript.entries[j].kind === 'sdk')
    if (i >= 0) {
      this.used[i] = true
      return { entry: this.transcript.entries[i] as SdkEntry, index: i }
    }
    const same = this.keys.filter((k) => k === key).length
    const recorded = this.transcript.entries.filter((e): e is SdkEntry => e.kind === 'sdk').map((e) => `  ${e.request.method} ${e.request.path} ${JSON.stringify(e.request.body ?? null)}`)
    return same > 0
      ? { kind: 'already-used', message: `SDK call ${req.method} ${req.path} was recorded ${same} time(s) and every recording is already used.` }
      : { kind: 'never-recorded', message: `SDK call ${req.method} ${req.path} ${JSON.stringify(req.body ?? null)} was never recorded.${recorded.length ? `\nRecorded SDK calls:\n${recorded.join('\n')}` : ''}` }
  }

  /** Next recorded value for a generated name, or undefined when the transcript has none left. */
  generated(name: string): string | undefined {
    const list = this.transcript.generated[name] ?? []
    const i = this.generatedAt[name] ?? 0
    this.generatedAt[name] = i + 1
    return list[i]
  }

  unused(): { index: number; entry: Entry }[] {
    return this.transcript.entries.map((entry, index) => ({ index, entry })).filter(({ index }) => !this.used[index])
  }

  private explainCli(argv: readonly string[], key: string): Miss {
    const want = cliKey(argv)
    const identical = this.keys.filter((k) => k === key).length
    const shown = `aliyun ${argv.join(' ')}`
    if (identical > 0) {
      return {
        kind: 'already-used',
        message: `${shown}\nwas recorded ${identical} time(s), and every recording of it is already used (this run made the call once more than the recording did).`,
      }
    }
    const scored = this.transcript.entries
      .map((e, index) => ({ e, index }))
      .filter((x): x is { e: CliEntry; index: number } => x.e.kind === 'cli' && x.e.refused === undefined)
      .map(({ e, index }) => ({ index, e, key: cliKey(e.argv), score: similarity(want, cliKey(e.argv)) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
      .filter((x) => x.score > 0)
    const lines = scored.map(({ index, e, key: k }) => `  #${index} ${this.used[index] ? '(already used)' : '(unused)'} aliyun ${e.argv.join(' ')}\n${diff(want, k).map((d) => `      ${d}`).join('\n')}`)
    return {
      kind: 'never-recorded',
      message: `${shown}\nwas never recorded.${lines.length ? `\nClosest recorded calls:\n${lines.join('\n')}` : ' No recorded call is close to it.'}`,
    }
  }
}

function similarity(a: CallKey, b: CallKey): number {
  let s = 0
  for (let i = 0; i < Math.min(a.words.length, b.words.length); i++) {
    if (a.words[i] !== b.words[i]) break
    s += 10
  }
  if (s === 0) return 0
  const bs = new Set(b.groups.map((g) => JSON.stringify(g)))
  const bf = new Set(b.groups.map((g) => g.flag))
  for (const g of a.groups) s += bs.has(JSON.stringify(g)) ? 2 : bf.has(g.flag) ? 1 : 0
  return s
}

function diff(want: CallKey, got: CallKey): string[] {
  const out: string[] = []
  if (want.words.join(' ') !== got.words.join(' ')) out.push(`command: sent '${want.words.join(' ')}', recorded '${got.words.join(' ')}'`)
  const flags = new Set([...want.groups, ...got.groups].map((g) => g.flag))
  for (const f of [...flags].sort()) {
    const w = want.groups.filter((g) => g.flag === f).map((g) => g.values.join(' '))
    const r = got.groups.filter((g) => g.flag === f).map((g) => g.values.join(' '))
    if (JSON.stringify(w) === JSON.stringify(r)) continue
    if (r.length === 0) out.push(`${f}: sent but not recorded`)
    else if (w.length === 0) out.push(`${f}: recorded but not sent`)
    else out.push(`${f}: sent ${JSON.stringify(w.length === 1 ? w[0] : w)}, recorded ${JSON.stringify(r.length === 1 ? r[0] : r)}`)
  }
  return out
}

export function describeEntry(e: Entry): string {
  return e.kind === 'cli' ? `aliyun ${e.argv.join(' ')}` : `SDK ${e.product} ${e.action} (${e.request.method} ${e.request.path})`
}

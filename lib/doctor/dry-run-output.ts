// What the CLI answered to a command sent with `--cli-dry-run`. Texts come from aliyun-cli v3.4.11
// and newer (facts: /work/scratch/facts/cli-errors-dryrun.md §1–§2): the built-in engine's
// `'--X' is not a valid parameter or flag` with a `Did you mean:` block on stdout, 3.5.x's quoted
// `"--X"` form and its JSON agent envelope on stderr, the host's `invalid flag --x, did you mean
// --y?`, and the forms plugins are documented to print (`Error: '--X' is not a valid parameter or
// flag.` / `Did you mean: --y`, `unknown flag: --x`, `required flags missing: --a, --b`).

import { classifyFailure, stripAnsi, type RawResult } from '../cli-output.js'

export type DryRunVerdict =
  /** Exit 0 and a dry-run dump: the CLI parsed every flag and sent nothing. */
  | { kind: 'validated' }
  /** Exit 0 but no dry-run dump; `apiResponse` when it looks like an API answer (the request was sent). */
  | { kind: 'not-a-dry-run'; apiResponse: boolean; excerpt: string }
  /** The CLI or the plugin rejects the dry-run flag itself: it cannot validate without calling the API. */
  | { kind: 'no-dry-run'; message: string }
  | { kind: 'unknown-flag'; flag: string; suggestions: string[]; message: string }
  | { kind: 'missing-required'; flags: string[]; message: string }
  /** Any other refusal, with the harness's classification of it (configuration, plugin-missing, usage …). */
  | { kind: 'refused'; code: string; category: string; message: string; suggestions: string[] }

/**
 * The dumps a dry run prints: the built-in engine's human form (`---` / `Style:    RPC|ROA`, 3.4.8+)
 * and the plugin engine's (`DRY-RUN MODE: Request Details (No actual API call)` … `Request NOT
 * sent (dry-run mode)`, as aliyun-cli's in-process runtime reproduces it; skill docs show
 * `[DRY-RUN] API call would be made …`).
 */
const DUMP = [/^Style:\s+(RPC|ROA)\s*$/m, /\bDRY-RUN\b/, /\bdry-run mode\b/i]

export function isDryRunDump(stdout: string): boolean {
  const text = stripAnsi(stdout)
  return DUMP.some((re) => re.test(text))
}

const FLAG = '(-{0,2}[A-Za-z0-9][\\w.-]*)'
const UNKNOWN_FLAG = [
  new RegExp(`['"]${FLAG}['"] is not a valid parameter or flag`),
  new RegExp(`unknown flag:? ${FLAG}`, 'i'),
  new RegExp(`invalid flag ${FLAG}`),
]
const REQUIRED = [
  /required parameters not assigned:((?:\s*--[\w.-]+)+)/,
  /required flags missing:\s*([^\n]+)/,
  /missing required parameter\(s\):\s*([^\n]+)/,
  /required parameter '(--[\w.-]+)' not provided/,
]

/** `--name` for a bare name the CLI printed (`RegionId`, or `names` from CLIs up to 3.4.8). */
function asFlag(name: string): string {
  return name.startsWith('-') ? name : `--${name}`
}

/** 3.5.x agent envelope on stderr: `{"message":…,"did_you_mean":[…],"recovery":{…}}`, one compact line. */
function agentEnvelope(stderr: string): { message: string; didYouMean: string[] } | undefined {
  for (const line of stderr.split('\n')) {
    if (!line.trim().startsWith('{')) continue
    try {
      const o = JSON.parse(line) as { message?: unknown; did_you_mean?: unknown }
      if (typeof o.message === 'string')
        return { message: o.message, didYouMean: Array.isArray(o.did_you_mean) ? o.did_you_mean.filter((s): s is string => typeof s === 'string') : [] }
    } catch {
      /* not the envelope */
    }
  }
  return undefined
}

/** Every suggestion the CLI printed, in its order: the `Did you mean:` block or line, the host's `did you mean --y or --z?`. */
function suggestions(text: string, envelope?: { didYouMean: string[] }): string[] {
  const out: string[] = [...(envelope?.didYouMean ?? [])]
  const block = text.match(/Did you mean:[ \t]*\n((?:[ \t]+\S[^\n]*\n?)+)/)
  if (block) out.push(...block[1].split('\n').map((l) => l.trim()).filter(Boolean))
  const inline = text.match(/Did you mean:[ \t]+(\S[^\n]*)/)
  if (inline) out.push(...inline[1].split(/,\s*|\s+or\s+/))
  const host = text.match(/did you mean (-{1,2}[\w.-]+(?:(?:,| or) -{1,2}[\w.-]+)*)\?/)
  if (host) out.push(...host[1].split(/,\s*|\s+or\s+/))
  // 3.5.x suggestions may carry an example: `InstanceId (example: i-bp1234567890)`.
  return [...new Set(out.map((s) => s.replace(/\s*\(example:.*\)$/, '').trim()).filter(Boolean))]
}

export function judgeDryRun(raw: RawResult, dryRunFlag: string): DryRunVerdict {
  const stdout = stripAnsi(raw.stdout)
  const stderr = stripAnsi(raw.stderr)
  if (raw.exitCode === 0 && isDryRunDump(stdout)) return { kind: 'validated' }

  const envelope = agentEnvelope(stderr)
  const text = `${envelope ? envelope.message + '\n' : ''}${stderr}\n${stdout}`
  const message = (envelope?.message ?? (stderr.trim() || stdout.trim())).replace(/^(ERROR|Error):\s*/, '').split('\n')[0]

  for (const re of UNKNOWN_FLAG) {
    const m = text.match(re)
    if (!m) continue
    const flag = asFlag(m[1])
    if (flag === dryRunFlag) return { kind: 'no-dry-run', message }
    return { kind: 'unknown-flag', flag, suggestions: suggestions(text, envelope).map(asFlag), message }
  }
  for (const re of REQUIRED) {
    const m = text.match(re)
    if (m) return { kind: 'missing-required', flags: m[1].match(/--[\w.-]+/g) ?? [], message }
  }
  if (raw.exitCode === 0) {
    let apiResponse = false
    try {
      apiResponse = /"RequestId"|"requestId"|"request_id"/.test(stdout) && typeof JSON.parse(stdout) === 'object'
    } catch {
      /* not JSON */
    }
    return { kind: 'not-a-dry-run', apiResponse, excerpt: stdout.trim().slice(0, 120) }
  }
  const err = classifyFailure(raw)
  return { kind: 'refused', code: err.code, category: err.kind, message: err.message.split('\n')[0] || message, suggestions: suggestions(text, envelope) }
}

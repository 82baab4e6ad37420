// What the CLI answered to a command sent with `--cli-dry-run`: a dump of the request it would
// have sent, or a refusal — read by the harness's one reader of CLI refusals (lib/cli-output.ts,
// lib/cli-rejection.ts), which names the flag and the CLI's suggestions in every layout the CLI
// and its plugins print.

import { classifyFailure, parseAgentError, plainOutput, type RawResult } from '../cli-output.js'

export type DryRunVerdict =
  /** Exit 0 and a dry-run dump: the CLI parsed every flag and sent nothing. */
  | { kind: 'validated' }
  /** Exit 0 but no dry-run dump; `apiResponse` when it looks like an API answer (the request was sent). */
  | { kind: 'not-a-dry-run'; apiResponse: boolean; excerpt: string }
  /** The CLI or the plugin rejects the dry-run flag itself: it cannot validate without calling the API. */
  | { kind: 'no-dry-run'; said: string }
  | { kind: 'unknown-flag'; flag: string; suggestions: string[]; said: string }
  | { kind: 'missing-required'; flags: string[]; said: string }
  /** Any other refusal, with the harness's classification of it (configuration, plugin-missing, usage …). */
  | { kind: 'refused'; code: string; category: string; said: string; suggestions: string[] }

/**
 * The dumps a dry run prints: the built-in engine's human form (`---` / `Style:    RPC|ROA`, 3.4.8+,
 * openapi/cli_dry_run.go) and the plugin engine's (`DRY-RUN MODE: Request Details (No actual API
 * call)` … `Request NOT sent (dry-run mode)`, as aliyun-cli's in-process runtime reproduces it;
 * skill docs show `[DRY-RUN] API call would be made …`).
 */
const DUMP = [/^Style:\s+(RPC|ROA)\s*$/m, /\bDRY-RUN\b/, /\bdry-run mode\b/i]

export function isDryRunDump(stdout: string): boolean {
  return DUMP.some((re) => re.test(stdout))
}

function looksLikeApiAnswer(stdout: string): boolean {
  try {
    return /"(RequestId|requestId|request_id)"/.test(stdout) && typeof JSON.parse(stdout) === 'object'
  } catch {
    return false
  }
}

export function judgeDryRun(result: RawResult, dryRunFlag: string, argv?: readonly string[]): DryRunVerdict {
  const raw = plainOutput(result)
  if (raw.exitCode === 0 && isDryRunDump(raw.stdout)) return { kind: 'validated' }
  // A refusal printed with exit 0 is still a refusal: plugins' exit codes are not public.
  const err = classifyFailure(raw.exitCode === 0 ? { ...raw, exitCode: 1 } : raw, argv)
  const said = (parseAgentError(raw.stderr)?.message ?? (raw.stderr.trim() || raw.stdout.trim())).replace(/^(ERROR|Error):\s*/, '').split('\n')[0]
  const r = err.rejected
  if (err.code === 'CliUnknownFlag' && r?.flag) return r.flag === dryRunFlag ? { kind: 'no-dry-run', said } : { kind: 'unknown-flag', flag: r.flag, suggestions: r.suggestions, said }
  if (err.code === 'CliMissingRequiredFlags') return { kind: 'missing-required', flags: r?.missing ?? [], said }
  if (raw.exitCode === 0) return { kind: 'not-a-dry-run', apiResponse: looksLikeApiAnswer(raw.stdout), excerpt: raw.stdout.trim().slice(0, 120) }
  return { kind: 'refused', code: err.code, category: err.kind, said, suggestions: r?.suggestions ?? [] }
}

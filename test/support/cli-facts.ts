// Builders for transcript entries, byte-for-byte from ../shared/spec/aliyun-cli-facts.md (aliyun-cli
// v3.4.11). Every recording in recordings/ is built from these, never from guessed output.

import { getPolicy, type SkillPolicy } from '../../lib/policy.js'
import { Redactor } from '../../lib/redact.js'
import { TRANSCRIPT_FORMAT, type CliEntry, type Entry, type SdkEntry, type Transcript } from '../../lib/transcript.js'
import { HARNESS_VERSION } from '../../lib/version.js'

export const CLI_VERSION = '3.4.11'
/** The session id recordings use in ecs-dr user agents (replays normalise any 32-hex id). */
export const RECORDED_SESSION_ID = '5f0c2d9e8b7a41c3a6e4d2b19f8c7e60'

export function requestId(n: number): string {
  const hex = n.toString(16).toUpperCase().padStart(12, '0')
  return `7C2F1A4E-3B8D-4E21-9A6F-${hex}`
}

/** `Recommend` as the POP gateway builds it (api-shapes §1). */
export function recommendUrl(code: string, product: string, rid: string): string {
  return `https://api.aliyun.com/troubleshoot?q=${code}&product=${product}&requestId=${rid}`
}

/**
 * The `ERROR: SDK.ServerError` block (facts §3.3): ErrorCode, Recommend, RequestId, Message, then
 * the Go-formatted response header map. Exit code 1.
 */
export function serverErrorText(opts: { code: string; message: string; requestId: string; product: string; recommend?: string }): string {
  const recommend = opts.recommend ?? recommendUrl(opts.code, opts.product, opts.requestId)
  return [
    'ERROR: SDK.ServerError',
    `ErrorCode: ${opts.code}`,
    `Recommend: ${recommend}`,
    `RequestId: ${opts.requestId}`,
    `Message: ${opts.message}`,
    `RespHeaders: map[Access-Control-Allow-Origin:[*] Connection:[keep-alive] Content-Type:[application/json;charset=utf-8] X-Acs-Request-Id:[${opts.requestId}]]`,
    '',
  ].join('\n')
}

/**
 * Colour as the CLI writes it unless NO_COLOR is `1`/`true` (aliyun-cli cli/color.go:95-130): each
 * Errorf/Noticef call wrapped on its own in its colour and a reset, the reset after the newline.
 */
export const COLOUR = { error: '\u001b[1;31m', notice: '\u001b[1;33m', off: '\u001b[0m' } as const

function colour(code: string, text: string, on: boolean): string {
  return on ? `${code}${text}${COLOUR.off}` : text
}

/** The stdout "Did you mean:" block (cli/suggestion.go:32-39): blank line, heading, two-space-indented names. */
export function didYouMeanText(suggestions: string[], opts: { colour?: boolean } = {}): string {
  if (!suggestions.length) return ''
  const on = opts.colour ?? true
  return colour(COLOUR.notice, '\nDid you mean:\n', on) + suggestions.map((s) => colour(COLOUR.notice, `  ${s}\n`, on)).join('')
}

/**
 * A host-side error exactly as `Command.processError` prints it (cli/command.go:347-360): stderr
 * `ERROR: <message>\n`; a suggestible error adds the stdout "Did you mean" block and exits 2; an
 * error with a tip adds `\n<tip>\n` on stderr and exits 3; anything else exits 1.
 */
export function hostError(message: string, opts: { suggestible?: string[]; tip?: string; colour?: boolean } = {}): { stdout: string; stderr: string; exitCode: number } {
  const on = opts.colour ?? true
  const stderr = colour(COLOUR.error, `ERROR: ${message}\n`, on)
  if (opts.suggestible) return { stdout: didYouMeanText(opts.suggestible, { colour: on }), stderr, exitCode: 2 }
  if (opts.tip !== undefined) return { stdout: '', stderr: stderr + colour(COLOUR.notice, `\n${opts.tip}\n`, on), exitCode: 3 }
  return { stdout: '', stderr, exitCode: 1 }
}

/**
 * A 3.5.x Agent error (AI mode): one compact JSON object and a newline on stderr, exit 2
 * (aliyun-cli docs/en/integrations.md "Agent-mode errors", cli/agent_error.go ExitCode).
 */
export function agentErrorText(e: { message: string; did_you_mean?: string[]; error_code?: string; status_code?: number; request_id?: string; recovery: { action: string; command?: string; hint: string } }): string {
  return JSON.stringify(e) + '\n'
}

/** `configure list` as tabwriter prints it (facts §5.1); the credential column is already masked by the CLI. */
export function configureListText(profiles: { name: string; current?: boolean; valid: boolean; region: string; mode?: string; last3?: string }[]): string {
  const rows = [
    ['Profile', 'Credential', 'Valid', 'Region', 'Language'],
    ['---------', '------------------', '-------', '----------------', '--------'],
    ...profiles.map((p) => [`${p.name}${p.current ? ' *' : ''}`, `${p.mode ?? 'AK'}:***${p.last3 ?? 'x9f'}`, p.valid ? 'Valid' : 'Invalid', p.region, 'en']),
  ]
  const widths = rows[0].map((_, i) => Math.max(8, ...rows.map((r) => r[i].length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join(' | ')).join('\n') + '\n'
}

/** `plugin update` output when everything is current (facts §2.5). */
export function pluginUpdateText(plugins: [string, string][]): string {
  return [`Checking for updates for ${plugins.length} installed plugin(s)...`, ...plugins.map(([n, v]) => `Skipping ${n} (already up to date: ${v})`), 'All plugins are up to date.', ''].join('\n')
}

/** Per-skill entry builder: API entries get the skill's user agent appended exactly as the runner does. */
export function builder(skill: string | SkillPolicy) {
  const policy = typeof skill === 'string' ? getPolicy(skill) : skill
  const ua = policy.session_id_in_user_agent ? `${policy.user_agent}/${RECORDED_SESSION_ID}` : policy.user_agent
  let rid = 1
  const nextRid = () => requestId(rid++)
  const withUa = (argv: string[]) => [...argv, '--user-agent', ua]

  return {
    policy,
    userAgent: ua,
    nextRequestId: nextRid,
    /** A successful API call printing JSON; a RequestId is added unless the body has one (or `false`). */
    api(argv: string[], body: Record<string, unknown>, opts: { requestId?: string | false; durationMs?: number; delayMs?: number; note?: string } = {}): CliEntry {
      const json = opts.requestId === false || 'RequestId' in body || 'request_id' in body || 'requestId' in body ? body : { RequestId: opts.requestId ?? nextRid(), ...body }
      return { kind: 'cli', argv: withUa(argv), stdout_json: json, stderr: '', exit_code: 0, duration_ms: opts.durationMs ?? 420, ...(opts.delayMs ? { delay_ms: opts.delayMs } : {}), ...(opts.note ? { note: opts.note } : {}) }
    },
    /** An API error as the CLI prints it: the SDK.ServerError block on stderr, exit 1. */
    apiError(argv: string[], err: { code: string; message: string; product?: string; requestId?: string }, opts: { note?: string } = {}): CliEntry {
      const requestId = err.requestId ?? nextRid()
      return {
        kind: 'cli',
        argv: withUa(argv),
        stdout: '',
        stderr: serverErrorText({ code: err.code, message: err.message, requestId, product: err.product ?? argv[0] }),
        exit_code: 1,
        duration_ms: 380,
        ...(opts.note ? { note: opts.note } : {}),
      }
    },
    /** An API call answered with exactly these bytes (a refusal, coloured output …), user agent appended. */
    apiRaw(argv: string[], out: { stdout?: string; stderr?: string; exitCode: number }): CliEntry {
      return { kind: 'cli', argv: withUa(argv), stdout: out.stdout ?? '', stderr: out.stderr ?? '', exit_code: out.exitCode, duration_ms: 120 }
    },
    /** A request that timed out (no --retry-count): the raw Go HTTP error, exit 1 (facts §3.4). */
    apiTimeout(argv: string[], host: string): CliEntry {
      return {
        kind: 'cli',
        argv: withUa(argv),
        stdout: '',
        stderr: `ERROR: Get "https://${host}/": net/http: request canceled (Client.Timeout exceeded while awaiting headers)\n`,
        exit_code: 1,
        duration_ms: 10_000,
      }
    },
    /** A local command (no user agent). */
    system(argv: string[], stdout = '', opts: { exitCode?: number; stderr?: string } = {}): CliEntry {
      return { kind: 'cli', argv, stdout, stderr: opts.stderr ?? '', exit_code: opts.exitCode ?? 0, duration_ms: 30 }
    },
    version(v = CLI_VERSION): CliEntry {
      return { kind: 'cli', argv: ['version'], stdout: `${v}\n`, stderr: '', exit_code: 0, duration_ms: 25 }
    },
    /** Stored as a recording stores it: scrubbed at record time, so the AK's last characters are gone. */
    configureList(profiles: Parameters<typeof configureListText>[0] = [{ name: 'default', current: true, valid: true, region: 'cn-hangzhou' }]): CliEntry {
      return { kind: 'cli', argv: ['configure', 'list'], stdout: new Redactor({}).scrub(configureListText(profiles)), stderr: '', exit_code: 0, duration_ms: 30 }
    },
    autoPluginInstall(): CliEntry {
      return { kind: 'cli', argv: ['configure', 'set', '--auto-plugin-install', 'true'], stdout: '', stderr: '', exit_code: 0, duration_ms: 30 }
    },
    pluginUpdate(plugins: [string, string][]): CliEntry {
      return { kind: 'cli', argv: ['plugin', 'update'], stdout: pluginUpdateText(plugins), stderr: '', exit_code: 0, duration_ms: 900 }
    },
    /** ai-mode enable / set-user-agent / disable print nothing and exit 0 (facts §1.1). */
    aiModeEnable(): CliEntry {
      return { kind: 'cli', argv: ['configure', 'ai-mode', 'enable'], stdout: '', stderr: '', exit_code: 0, duration_ms: 20 }
    },
    aiModeSetUserAgent(): CliEntry {
      return { kind: 'cli', argv: ['configure', 'ai-mode', 'set-user-agent', '--user-agent', policy.user_agent], stdout: '', stderr: '', exit_code: 0, duration_ms: 20 }
    },
    aiModeDisable(): CliEntry {
      return { kind: 'cli', argv: ['configure', 'ai-mode', 'disable'], stdout: '', stderr: '', exit_code: 0, duration_ms: 20 }
    },
    sdk(e: Omit<SdkEntry, 'kind' | 'duration_ms'> & { duration_ms?: number }): SdkEntry {
      return { kind: 'sdk', duration_ms: 300, ...e, request: { user_agent: policy.user_agent, ...e.request } }
    },
  }
}

export function transcript(skill: string, scenario: string, entries: Entry[], opts: { recordedAt?: string; generated?: Record<string, string[]> } = {}): Transcript {
  return {
    format: TRANSCRIPT_FORMAT,
    version: 1,
    skill,
    scenario,
    harness_version: HARNESS_VERSION,
    cli_version: CLI_VERSION,
    recorded_at: opts.recordedAt ?? '2026-11-20T08:00:00.000Z',
    generated: opts.generated ?? {},
    entries,
  }
}

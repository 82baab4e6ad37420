// Reads what the real `aliyun` prints. Layouts come from aliyun-cli v3.4.11 (see
// ../shared/spec/aliyun-cli-facts.md §3): `ERROR: <msg>` on stderr, exit 1 generic, 2 usage
// ("suggestible"), 3 configuration with a tip; API errors as an `SDK.ServerError` block. Plugin
// binaries format their own errors; newer CLIs and Tea-based plugins print `SDKError:` blocks or
// JSON error objects, and 3.5.x in AI mode one compact JSON "Agent error" object, so those are read
// too. Refused command lines (unknown flag or API, missing required flags) are read by
// ./cli-rejection.ts.

import { parseRejection, suggestionsIn, type Rejection } from './cli-rejection.js'
import { commandName } from './command.js'
import { CliError, type CliFailureKind, type RejectedCommand } from './errors.js'

// Every CSI sequence (colours are `\e[1;31m` … `\e[0m`); plugins may not honour NO_COLOR.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g

export function stripAnsi(text: string): string {
  // Output without an escape character is returned as it is: a replace would copy every page of a
  // long list once more, and those copies are most of what a long run leaves to the collector.
  return text.includes('\u001b') ? text.replace(ANSI, '') : text
}

export interface RawResult {
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
  /** The harness's own timeout killed the process. */
  timedOut?: boolean
  /** What the transport itself found (the CLI could not start, was stopped, printed too much): nothing to parse. */
  failure?: TransportFailure
}

export interface TransportFailure {
  kind: CliFailureKind
  code: string
  message: string
  status?: 'timed_out'
}

/**
 * The CLI's output without colour codes. The CLI colours whatever it prints unless NO_COLOR is
 * exactly `1`/`true`, with no TTY test (cli/color.go:103-114), and a plugin may ignore NO_COLOR:
 * the runner reads every result through this, so neither JSON parsing nor error reading meets them.
 */
export function plainOutput(raw: RawResult): RawResult {
  return { ...raw, stdout: stripAnsi(raw.stdout), stderr: stripAnsi(raw.stderr) }
}

export interface ServerErrorFields {
  code: string
  message: string
  requestId?: string
  recommend?: string
  httpStatus?: number
}

function field(block: string, name: string): string | undefined {
  const m = block.match(new RegExp(`^\\s*${name}:[ \\t]*(.*)$`, 'm'))
  const v = m?.[1].trim()
  return v ? v : undefined
}

/** `ERROR: SDK.ServerError\nErrorCode: …\nRecommend: …\nRequestId: …\nMessage: …` (built-in engine). */
export function parseServerErrorBlock(text: string): ServerErrorFields | undefined {
  const at = text.indexOf('SDK.ServerError')
  if (at < 0) return undefined
  const block = text.slice(at)
  const code = field(block, 'ErrorCode')
  if (!code) return undefined
  // Message runs to the RespHeaders line (or the end): API messages are one line, but the CLI
  // prints the whole raw body there when the body has no Message.
  const msg = block.match(/^Message:[ \t]*([\s\S]*?)(?:\nRespHeaders:|\nAccessDeniedDetail:|$)/m)
  return {
    code,
    message: (msg?.[1] ?? '').trim(),
    requestId: field(block, 'RequestId'),
    recommend: field(block, 'Recommend'),
  }
}

/** Tea/darabonba `SDKError:\n   StatusCode: 409\n   Code: …\n   Message: …` blocks (plugin engines). */
export function parseTeaErrorBlock(text: string): ServerErrorFields | undefined {
  const at = text.indexOf('SDKError:')
  if (at < 0) return undefined
  const block = text.slice(at)
  const code = field(block, 'Code')
  if (!code) return undefined
  const status = Number(field(block, 'StatusCode'))
  const message = field(block, 'Message') ?? ''
  const rid = message.match(/request id:\s*([0-9A-Fa-f-]{8,})/i)?.[1] ?? field(block, 'RequestId')
  return { code, message, requestId: rid, recommend: field(block, 'Recommend'), httpStatus: Number.isFinite(status) ? status : undefined }
}

/** A JSON error object ({Code, Message, RequestId, Recommend} or lower-case) anywhere in the text. */
export function parseJsonError(text: string): ServerErrorFields | undefined {
  const start = text.indexOf('{')
  if (start < 0) return undefined
  const end = text.lastIndexOf('}')
  if (end <= start) return undefined
  try {
    const obj = JSON.parse(text.slice(start, end + 1)) as Record<string, unknown>
    const err = (obj.error && typeof obj.error === 'object' ? obj.error : obj) as Record<string, unknown>
    const code = err.Code ?? err.code ?? err.ErrorCode
    if (typeof code !== 'string' || code === '' || code === 'Success') return undefined
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
    return {
      code,
      message: str(err.Message) ?? str(err.message) ?? '',
      requestId: str(err.RequestId) ?? str(err.request_id) ?? str(err.requestId),
      recommend: str(err.Recommend) ?? str(err.recommend),
      httpStatus: typeof err.StatusCode === 'number' ? err.StatusCode : typeof err.statusCode === 'number' ? err.statusCode : undefined,
    }
  } catch {
    return undefined
  }
}

/**
 * 3.5.x in AI mode: one compact JSON object on stderr, `{"message", "did_you_mean"?, "recovery":
 * {"action", "command"?, "hint"}}`, plus `error_code`, `status_code`, `request_id` for server errors
 * (aliyun-cli docs/en/integrations.md "Agent-mode errors"; cli/agent_error.go; openapi/agent_error.go).
 * It exits 2 whatever the cause, so its fields, not the exit code, say what failed.
 */
export interface AgentErrorFields {
  message: string
  didYouMean: string[]
  recovery: { action: string; command?: string; hint: string }
  errorCode?: string
  statusCode?: number
  requestId?: string
}

export function parseAgentError(stderr: string): AgentErrorFields | undefined {
  let found: AgentErrorFields | undefined
  for (const line of stderr.split('\n')) {
    if (!line.trim().startsWith('{')) continue
    let o: Record<string, unknown>
    try {
      o = JSON.parse(line) as Record<string, unknown>
    } catch {
      continue
    }
    const r = o.recovery as Record<string, unknown> | undefined
    if (typeof o.message !== 'string' || !r || typeof r !== 'object' || typeof r.action !== 'string') continue
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
    found = {
      message: o.message,
      didYouMean: Array.isArray(o.did_you_mean) ? o.did_you_mean.filter((s): s is string => typeof s === 'string') : [],
      recovery: { action: r.action, command: str(r.command), hint: str(r.hint) ?? '' },
      errorCode: str(o.error_code),
      statusCode: typeof o.status_code === 'number' ? o.status_code : undefined,
      requestId: str(o.request_id),
    }
  }
  return found
}

/**
 * API codes that mean the caller may not do this (RAM) or the credentials were refused — one list
 * for every skill: Forbidden.RAM, NoPermission, AccessDenied, *.NoPermission, Unauthorized …
 */
const PERMISSION =
  /^(Forbidden|NoPermission|AccessDenied|NotAuthorized|Unauthorized|NoPermissionType)(\.[\w.-]+)?$|\.(NoPermission|Forbidden|AccessDenied|Unauthorized|NotAuthorized)$|^(InvalidAccessKeyId(\.[\w.-]+)?|SignatureDoesNotMatch|InvalidSecurityToken(\.[\w.-]+)?)$/i

/** A permission (RAM) or credential refusal by the API. */
export function isPermissionCode(code: string): boolean {
  return PERMISSION.test(code)
}

const TIMEOUT =
  /Client\.Timeout exceeded|\[SDK\.TimeoutError\]|context deadline exceeded|i\/o timeout|Read timeout|ReadTimeout|ETIMEDOUT|timed out/i

/** The kind of an API error code: a timeout, a permission or credential refusal, or any other answer. */
function apiKind(code: string): CliFailureKind {
  return TIMEOUT.test(code) ? 'timeout' : isPermissionCode(code) ? 'permission' : 'server'
}

const DOCTOR = 'run `aliyun-harness doctor` to verify on this machine that the CLI accepts every command this harness sends'

/** The next action for each way the CLI can refuse to run a command. */
export const NEXT_ACTION = {
  mismatch: `This harness and the installed aliyun CLI or product plugin spell this command differently; ${DOCTOR}.`,
  usage: `The command line was rejected by the CLI; ${DOCTOR}.`,
  configuration: 'Configure credentials, region or profile outside this session (`aliyun configure`), then run this command again.',
} as const

/** Agent-error recovery actions that are about the CLI's configuration or the network, not the command line. */
const AGENT_CONFIGURATION = new Set(['check_configuration', 'reauthenticate'])
const AGENT_TRANSPORT = new Set(['fix_endpoint_or_region', 'retry_or_fix_endpoint'])

/**
 * Exit-3 ("error with tip") texts that refuse the command line rather than the configuration
 * (aliyun-cli v3.4.11 openapi/commando.go:433,500,507,832,844,880,991,1010; cli/plugin/command.go:51).
 */
const EXIT3_COMMAND_LINE = /^(unche(?:c)?ked version |too many arguments|too broad path|command missing|invalid argument |product '[^']+' need (?:proper )?restful call)/

/** The tip the CLI prints after a blank line below its error (exit 3). */
function tipOf(stderr: string): string | undefined {
  const parts = stderr.trim().split(/\n[ \t]*\n/)
  return parts.length > 1 ? parts[parts.length - 1].trim() : undefined
}

function commandOf(argv: readonly string[] | undefined, fromText?: string): string | undefined {
  return argv?.length ? `aliyun ${commandName(argv)}` : fromText
}

function suggested(suggestions: readonly string[]): string | undefined {
  return suggestions.length ? `The CLI suggests: ${suggestions.join(', ')}.` : undefined
}

/** A refused command line as a CliError that names the command, the flag or API, and the CLI's suggestions. */
function rejectionError(r: Rejection, argv: readonly string[] | undefined, cliExitCode: number, recommend?: string): CliError {
  const rejected: RejectedCommand = { command: commandOf(argv, r.command), suggestions: r.suggestions }
  const maybe = r.suggestions.length ? ` (did you mean ${r.suggestions.join(' or ')}?)` : ''
  let what: string
  if (r.code === 'CliUnknownFlag') {
    rejected.flag = r.flag
    what = `does not accept the flag ${r.flag}${maybe}`
  } else if (r.code === 'CliMissingRequiredFlags') {
    rejected.missing = r.missing
    what = `requires ${r.missing?.join(', ')}, which this harness did not send`
  } else {
    rejected.api = r.api
    what = `has no API ${r.api}${maybe}`
  }
  const where = rejected.command ? `\`${rejected.command}\`` : 'The command'
  return new CliError('usage', r.code, `${where} was refused: the installed aliyun CLI (or its product plugin) ${what}. The CLI said: ${r.said}`, {
    cliExitCode,
    rejected,
    recommend: suggested(r.suggestions) ?? recommend,
    nextAction: NEXT_ACTION.mismatch,
  })
}

/** A 3.5.x Agent error object: a server error when it carries an API error code, else a local one. */
function agentError(a: AgentErrorFields, argv: readonly string[] | undefined, cliExitCode: number): CliError {
  const recommend = [a.recovery.hint, a.recovery.command ? `Run: ${a.recovery.command}` : ''].filter(Boolean).join(' ') || undefined
  if (AGENT_CONFIGURATION.has(a.recovery.action))
    return new CliError('configuration', 'CliConfigurationError', a.message, { cliExitCode, recommend, nextAction: NEXT_ACTION.configuration })
  if (a.errorCode) {
    return new CliError(apiKind(a.errorCode), a.errorCode, a.message, { cliExitCode, requestId: a.requestId, httpStatus: a.statusCode, recommend })
  }
  if (TIMEOUT.test(a.message)) return new CliError('timeout', 'SDK.TimeoutError', a.message, { cliExitCode, recommend })
  if (AGENT_TRANSPORT.has(a.recovery.action)) return new CliError('unknown', 'CliCommandFailed', a.message, { cliExitCode, recommend })
  const listed = a.didYouMean.length ? `\nDid you mean:\n${a.didYouMean.map((s) => `  ${s}\n`).join('')}` : ''
  const rejection = parseRejection(a.message, listed)
  if (rejection) return rejectionError(rejection, argv, cliExitCode, recommend)
  return new CliError('usage', 'CliUsageError', a.message, {
    cliExitCode,
    recommend: suggested(a.didYouMean) ?? recommend,
    nextAction: NEXT_ACTION.usage,
    rejected: { command: commandOf(argv), suggestions: a.didYouMean },
  })
}

/**
 * Turns a failed run of the CLI into a typed CliError whose fields come from the CLI's own text.
 * `argv` is the command that was run, so a refusal can name it.
 */
export function classifyFailure(result: RawResult, argv?: readonly string[]): CliError {
  const raw = plainOutput(result)
  const { stderr, stdout } = raw
  const text = `${stderr}\n${stdout}`
  const opts = { cliExitCode: raw.exitCode }

  if (raw.failure) return new CliError(raw.failure.kind, raw.failure.code, raw.failure.message, { ...opts, status: raw.failure.status })
  if (raw.timedOut) return new CliError('timeout', 'CommandTimeout', 'The aliyun command did not finish within the harness timeout and was stopped.', { ...opts, status: 'timed_out' })

  if (/^aliyun-harness replay:/m.test(stderr)) return new CliError('replay', 'ReplayMismatch', stderr.replace(/^aliyun-harness replay:\s*/m, '').trim(), opts)

  const agent = parseAgentError(stderr)
  if (agent) return agentError(agent, argv, raw.exitCode)

  const server = parseServerErrorBlock(text) ?? parseTeaErrorBlock(text) ?? parseJsonError(stderr) ?? parseJsonError(stdout)
  if (server) {
    return new CliError(apiKind(server.code), server.code, server.message, { ...opts, requestId: server.requestId, recommend: server.recommend, httpStatus: server.httpStatus })
  }

  const tip = raw.exitCode === 3 ? tipOf(stderr) : undefined
  const rejection = parseRejection(stderr, stdout)
  if (rejection) return rejectionError(rejection, argv, raw.exitCode, tip)

  const errorLine = stderr.match(/ERROR:\s*([\s\S]*)/)?.[1].trim() ?? stderr.trim()
  const first = errorLine.split('\n')[0] ?? ''

  const plugin = text.match(/Plugin '([^']+)' is required for command '([^']+)' but not installed/) ?? text.match(/A plugin '([^']+)' is available which supports this product/)
  if (plugin) return new CliError('plugin-missing', 'PluginNotInstalled', errorLine || `Plugin '${plugin[1]}' is not installed.`, { ...opts, recommend: `aliyun plugin install --names ${plugin[1]}` })
  if (/plugin execution failed/.test(text)) return new CliError('unknown', 'PluginExecutionFailed', errorLine, opts)

  if (TIMEOUT.test(text)) return new CliError('timeout', 'SDK.TimeoutError', first || 'The request timed out.', opts)

  if (raw.exitCode === 2 || (raw.exitCode === 3 && EXIT3_COMMAND_LINE.test(first))) {
    const suggestions = suggestionsIn(stdout)
    return new CliError('usage', 'CliUsageError', errorLine.split(/\n[ \t]*\n/)[0] || 'The aliyun CLI rejected the command line.', {
      ...opts,
      recommend: suggested(suggestions) ?? tip,
      nextAction: NEXT_ACTION.usage,
      rejected: { command: commandOf(argv), suggestions },
    })
  }
  if (raw.exitCode === 3)
    return new CliError('configuration', 'CliConfigurationError', first || 'The aliyun CLI configuration is incomplete.', { ...opts, recommend: tip, nextAction: NEXT_ACTION.configuration })
  return new CliError('unknown', 'CliCommandFailed', errorLine || `aliyun exited with code ${raw.exitCode}.`, opts)
}

// Reads what the real `aliyun` prints. Layouts come from aliyun-cli v3.4.11 (see
// ../shared/spec/aliyun-cli-facts.md §3): `ERROR: <msg>` on stderr, exit 1 generic, 2 usage
// ("suggestible"), 3 configuration with a tip; API errors as an `SDK.ServerError` block. Plugin
// binaries format their own errors; newer CLIs and Tea-based plugins print `SDKError:` blocks or
// JSON error objects, so those are read too.

import { CliError, type CliFailureKind } from './errors.js'

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}

export interface RawResult {
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
  /** The harness's own timeout killed the process. */
  timedOut?: boolean
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

/** Turns a failed run of the CLI into a typed CliError whose fields come from the CLI's own text. */
export function classifyFailure(raw: RawResult): CliError {
  const stderr = stripAnsi(raw.stderr)
  const stdout = stripAnsi(raw.stdout)
  const text = `${stderr}\n${stdout}`
  const opts = { cliExitCode: raw.exitCode }

  if (raw.timedOut) return new CliError('timeout', 'CommandTimeout', 'The aliyun command did not finish within the harness timeout and was stopped.', opts)

  if (/^aliyun-harness replay:/m.test(stderr)) return new CliError('replay', 'ReplayMismatch', stderr.replace(/^aliyun-harness replay:\s*/m, '').trim(), opts)

  const server = parseServerErrorBlock(text) ?? parseTeaErrorBlock(text) ?? parseJsonError(stderr) ?? parseJsonError(stdout)
  if (server) {
    const kind: CliFailureKind = TIMEOUT.test(server.code) ? 'timeout' : isPermissionCode(server.code) ? 'permission' : 'server'
    return new CliError(kind, server.code, server.message, { ...opts, requestId: server.requestId, recommend: server.recommend, httpStatus: server.httpStatus })
  }

  const errorLine = stderr.match(/ERROR:\s*([\s\S]*)/)?.[1].trim() ?? stderr.trim()
  const first = errorLine.split('\n')[0] ?? ''

  const plugin = text.match(/Plugin '([^']+)' is required for command '([^']+)' but not installed/) ?? text.match(/A plugin '([^']+)' is available which supports this product/)
  if (plugin) return new CliError('plugin-missing', 'PluginNotInstalled', errorLine || `Plugin '${plugin[1]}' is not installed.`, { ...opts, recommend: `aliyun plugin install --names ${plugin[1]}` })
  if (/plugin execution failed/.test(text)) return new CliError('unknown', 'PluginExecutionFailed', errorLine, opts)

  if (TIMEOUT.test(text)) return new CliError('timeout', 'SDK.TimeoutError', first || 'The request timed out.', opts)

  if (raw.exitCode === 2) return new CliError('usage', 'CliUsageError', errorLine || 'The aliyun CLI rejected the command line.', opts)
  if (raw.exitCode === 3) {
    const tip = stderr.match(/Configuration failed[^\n]*/)?.[0]
    return new CliError('configuration', 'CliConfigurationError', first || 'The aliyun CLI configuration is incomplete.', { ...opts, recommend: tip })
  }
  return new CliError('unknown', 'CliCommandFailed', errorLine || `aliyun exited with code ${raw.exitCode}.`, opts)
}

// The SDK transport for the calls the CLI cannot make (D1): a generic ROA call through
// @alicloud/openapi-client with @alicloud/credentials' default chain and the skill's user agent.
// `ALIYUN_HARNESS_<PRODUCT>_ENDPOINT` (scheme included, e.g. http://127.0.0.1:8123) overrides the
// endpoint and protocol, so tests and `aliyun-harness replay` serve it from a loopback server.
// Like every CLI call, an SDK call stops when the run's signal aborts (SIGINT/SIGTERM/SIGHUP): the SDK has
// no cancel, so the HTTP requests it starts are watched through Node's diagnostics channel and
// destroyed.

import type { ClientRequest } from 'node:http'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { InterruptedError } from './errors.js'

export interface RoaCall {
  product: string
  version: string
  action: string
  method: 'GET' | 'POST'
  path: string
  body?: Record<string, unknown>
  /** Default endpoint host, e.g. `sysom.aliyuncs.com`. */
  endpoint: string
  regionId?: string
}

/** An SDK request as the runner hands it to a transport: the call plus the run's user agent and profile. */
export interface SdkRequest extends RoaCall {
  userAgent: string
  /** The aliyun CLI profile the run uses (`--profile`): the SDK signs with the same one. */
  profile?: string
}

export interface SdkResponse {
  status: number
  body: unknown
  durationMs: number
}

export function endpointFor(call: Pick<RoaCall, 'product' | 'endpoint'>, env: NodeJS.ProcessEnv): { endpoint: string; protocol: string } {
  const override = env[`ALIYUN_HARNESS_${call.product.toUpperCase().replace(/-/g, '_')}_ENDPOINT`]
  if (override) {
    const u = new URL(override)
    return { endpoint: u.host, protocol: u.protocol.replace(':', '') }
  }
  return { endpoint: call.endpoint, protocol: 'https' }
}

const HTTP_REQUEST_START = 'http.client.request.start'

/** Runs `work`, destroying every HTTP request it starts once `signal` aborts. */
async function cancellable<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) throw reasonOf(signal)
  const started = new Set<ClientRequest>()
  const track = (message: unknown) => started.add((message as { request: ClientRequest }).request)
  let onAbort: () => void = () => undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      for (const request of started) request.destroy(reasonOf(signal))
      reject(reasonOf(signal))
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  subscribe(HTTP_REQUEST_START, track)
  try {
    return await Promise.race([work(), aborted])
  } finally {
    unsubscribe(HTTP_REQUEST_START, track)
    signal.removeEventListener('abort', onAbort)
  }
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new InterruptedError('SIGTERM')
}

/** Makes the real request. API errors come back as a response with the status and the error body. */
export function performRoa(req: SdkRequest, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<SdkResponse> {
  return cancellable(signal, () => request(req, req.userAgent, env, req.profile))
}

// CommonJS packages: under ESM their `default` export sits one level down.
const interop = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T

/**
 * The credentials an SDK call signs with: with `--profile`, that aliyun CLI profile (the one the
 * run's CLI calls use); otherwise the default chain (env, OIDC, the CLI's current profile,
 * credentials file, ECS role, URI).
 */
async function credentialFor(profile?: string) {
  const mod = interop<typeof import('@alicloud/credentials')>(await import('@alicloud/credentials'))
  const Credential = interop<typeof import('@alicloud/credentials').default>(mod)
  if (!profile) return new Credential()
  return new Credential(null, mod.CLIProfileCredentialsProvider.builder().withProfileName(profile).build())
}

/**
 * Which source an SDK call would sign with now, resolved the same way — its type and provider
 * name only; the keys are dropped where they are read. Throws when nothing resolves.
 */
export async function credentialSource(profile?: string): Promise<{ type: string; provider: string }> {
  const resolved = await (await credentialFor(profile)).getCredential()
  return { type: String(resolved.type ?? ''), provider: String(resolved.providerName ?? '') }
}

async function request(call: RoaCall, userAgent: string, env: NodeJS.ProcessEnv, profile?: string): Promise<SdkResponse> {
  const [openapi, credential, util] = await Promise.all([import('@alicloud/openapi-client'), credentialFor(profile), import('@alicloud/tea-util')])
  const api = interop<typeof import('@alicloud/openapi-client')>(openapi)
  const OpenApi = interop<typeof import('@alicloud/openapi-client').default>(api)
  const { Config, Params, OpenApiRequest } = api
  const { RuntimeOptions } = interop<typeof import('@alicloud/tea-util')>(util)
  const { endpoint, protocol } = endpointFor(call, env)
  const config = new Config({ credential, endpoint, protocol, userAgent, regionId: call.regionId, readTimeout: 30_000, connectTimeout: 10_000 })
  const client = new OpenApi(config)
  const params = new Params({
    action: call.action,
    version: call.version,
    protocol: protocol.toUpperCase(),
    pathname: call.path,
    method: call.method,
    authType: 'AK',
    style: 'ROA',
    reqBodyType: 'json',
    bodyType: 'json',
  })
  const started = performance.now()
  try {
    const res = (await client.callApi(params, new OpenApiRequest({ body: call.body }), new RuntimeOptions({ autoretry: false }))) as { statusCode?: number; body?: unknown }
    return { status: res.statusCode ?? 200, body: res.body ?? null, durationMs: Math.round(performance.now() - started) }
  } catch (e) {
    const err = e as { code?: string; message?: string; statusCode?: number; data?: Record<string, unknown> }
    const status = Number(err.statusCode ?? err.data?.statusCode ?? err.data?.httpCode)
    if (!Number.isFinite(status) || status < 400) throw e
    const message = String(err.data?.Message ?? err.data?.message ?? err.message ?? '').replace(/^code: \d+, /, '')
    return {
      status,
      body: { Code: err.code ?? err.data?.Code ?? `HTTP${status}`, Message: message, RequestId: err.data?.RequestId ?? err.data?.requestId },
      durationMs: Math.round(performance.now() - started),
    }
  }
}

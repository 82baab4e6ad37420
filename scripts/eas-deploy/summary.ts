// Seed Step 8: the Deployment Summary, exactly as the seed formats it. Both endpoint lines always
// appear (a missing one says so), and every reachable endpoint gets a curl example with the token.

import type { ServiceEndpoint } from './schemas.js'

export const NOT_AVAILABLE = '(not available for this network type)'
const TOKEN_PLACEHOLDER = '<AccessToken>'

export interface SummaryEndpoint {
  EndpointType: string
  InternetEndpoint: string | null
  IntranetEndpoint: string | null
  Port: number
}

export function summaryEndpoints(endpoints: ServiceEndpoint[]): SummaryEndpoint[] {
  const join = (list: string[]) => (list.length ? list.join(', ') : null)
  return endpoints.map((e) => ({ EndpointType: e.EndpointType || 'Unknown', InternetEndpoint: join(e.InternetEndpoints), IntranetEndpoint: join(e.IntranetEndpoints), Port: e.Port ?? 0 }))
}

function predictUrl(base: string, name: string): string {
  const trimmed = base.replace(/\/+$/, '')
  return trimmed.endsWith(`/api/predict/${name}`) ? trimmed : `${trimmed}/api/predict/${name}`
}

/** `<nlb-domain>:<listener_port>` unless the domain already carries a port. */
function nlbBase(domain: string, port: number | undefined): string {
  const hasPort = /:\d+(\/|$)/.test(domain.replace(/^[a-z]+:\/\//, ''))
  return hasPort || !port ? domain : `${domain}:${port}`
}

/** Internet examples first, then intranet, then NLB (the seed's order). */
export function invocationExamples(name: string, endpoints: ServiceEndpoint[], token: string | undefined, nlbListenerPort?: number): string[] {
  const header = `-H "Authorization: ${token ?? TOKEN_PLACEHOLDER}"`
  const example = (url: string) => `curl ${url} \\\n    ${header}`
  const gateways = endpoints.filter((e) => e.EndpointType !== 'Nlb')
  const nlbs = endpoints.filter((e) => e.EndpointType === 'Nlb')
  return [
    ...gateways.flatMap((e) => e.InternetEndpoints.map((u) => example(predictUrl(u, name)))),
    ...gateways.flatMap((e) => e.IntranetEndpoints.map((u) => example(predictUrl(u, name)))),
    ...nlbs.flatMap((e) => [...e.InternetEndpoints, ...e.IntranetEndpoints].map((d) => example(predictUrl(nlbBase(d, e.Port || nlbListenerPort), name)))),
  ]
}

/**
 * The seed's Deployment Summary. One line is added when the machine type was switched (vLLM/SGLang
 * on a type that is not a listed GPU type): which type was picked, instead of what, and why.
 */
export function deploymentSummary(opts: { name: string; status: string; endpoints: SummaryEndpoint[]; examples: string[]; switched?: { from: string; to: string; reason: string } }): string {
  const lines = ['Deployment Summary', '==================', `Service Name: ${opts.name}`, `Status: ${opts.status}`]
  if (opts.switched) lines.push(`Instance Type: ${opts.switched.to} (picked instead of ${opts.switched.from}: ${opts.switched.reason})`)
  lines.push('', 'Endpoints:')
  if (!opts.endpoints.length) lines.push('  (no endpoint was returned)')
  for (const e of opts.endpoints) {
    lines.push(`- ${e.EndpointType}:`, `    InternetEndpoint: ${e.InternetEndpoint ?? NOT_AVAILABLE}`, `    IntranetEndpoint: ${e.IntranetEndpoint ?? NOT_AVAILABLE}`, `    Port: ${e.Port}`)
  }
  lines.push('', 'Service Invocation Examples:')
  if (!opts.examples.length) lines.push('  (no endpoint is reachable yet; run `aliyun eas describe-service-endpoints` later)')
  for (const ex of opts.examples) lines.push(`  ${ex}`)
  return lines.join('\n')
}

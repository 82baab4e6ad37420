// flink for people at a terminal: the envelope's facts as tables and short lines — the
// confirmation evidence, what was created and how it was verified, readiness, capacity, and each
// query's rows. JSON mode (`--json`, pipes, agents) prints the envelope itself, unchanged.

import type { Human } from '../../lib/render.js'
import type { Result } from '../../lib/result.js'
import type { FlinkNamespace } from './schemas.js'
import { namespaceSpec } from './spec.js'

type Obj = Record<string, unknown>

const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined)
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj).filter((x): x is Obj => Boolean(x)) : [])
const text = (v: unknown): string => (v === undefined || v === null || v === '' ? '-' : String(v))
const BILLING: Record<string, string> = { POST: 'PayAsYouGo', PRE: 'Subscription' }

/** `{Cpu, MemoryGB}` (or `cpu`/`memory_gb`) as "4 CPU · 16 GB". */
function spec(v: unknown): string {
  const s = obj(v)
  if (!s) return '-'
  const cpu = s.Cpu ?? s.cpu
  const mem = s.MemoryGB ?? s.memory_gb
  return cpu === undefined && mem === undefined ? '-' : `${text(cpu)} CPU · ${text(mem)} GB`
}

/** A namespace's size as the capacity check counts it (namespaceSpec), not one of its four fields. */
function namespaceSize(n: Obj): string {
  // The envelope's namespaces are DescribeNamespaces bodies the workflow already parsed.
  const size = namespaceSpec(n as FlinkNamespace)
  return spec({ cpu: size.cpu, memory_gb: size.memoryGb })
}

function instancesTable(h: Human, instances: Obj[]): void {
  h.table(
    ['Instance ID', 'Name', 'Status', 'Billing', 'Resources', 'Zone'],
    instances.map((i) => [text(i.InstanceId), text(i.InstanceName), text(i.ClusterStatus), BILLING[String(i.ChargeType)] ?? text(i.ChargeType), spec(i.ResourceSpec), text(i.ZoneId)]),
  )
}

function queryData(h: Human, data: Obj): void {
  if (Array.isArray(data.Instances)) {
    h.heading(`Instances (${data.Instances.length})`)
    if (data.Instances.length) instancesTable(h, list(data.Instances))
  } else if (Array.isArray(data.Namespaces)) {
    h.heading(`Namespaces (${data.Namespaces.length})`)
    if (data.Namespaces.length) h.table(['Namespace', 'Status', 'Resources'], list(data.Namespaces).map((n) => [text(n.Namespace), text(n.Status), namespaceSize(n)]))
  } else if (Array.isArray(data.Regions)) {
    h.heading(`Regions (${data.Regions.length})`)
    if (data.Regions.length) h.table(['Region', 'Name'], list(data.Regions).map((r) => [text(r.Region), text(r.RegionName)]))
  } else if (Array.isArray(data.ZoneIds)) {
    h.heading(`Zones (${data.ZoneIds.length})`)
    if (data.ZoneIds.length) h.table(['Zone'], data.ZoneIds.map((z) => [text(z)]))
  } else if (Array.isArray(data.TagResources)) {
    h.heading(`Tags (${data.TagResources.length})`)
    if (data.TagResources.length) h.table(['Resource', 'Type', 'Key', 'Value'], list(data.TagResources).map((t) => [text(t.ResourceId), text(t.ResourceType), text(t.TagKey), text(t.TagValue)]))
  }
}

function verification(h: Human, what: string, v: Obj | undefined): void {
  if (!v) return
  const observed = obj(v.observed)
  h.kv([
    [`${what} verified`, v.verified ? `yes, by ${text(v.method)} (${text(v.checks)} check(s))` : `no — not seen by ${text(v.method)} after ${text(v.checks)} check(s)`],
    ...(observed ? ([['Observed', Object.entries(observed).map(([k, x]) => `${k}=${text(x)}`).join(', ')]] as [string, unknown][]) : []),
  ])
}

function readiness(h: Human, r: Obj | undefined): void {
  if (!r) return
  const status = r.running ? 'RUNNING' : `${text(r.cluster_status)} (not RUNNING yet)`
  h.kv([['Readiness', `${status} after ${text(r.polls)} poll(s), ${text(r.waited_seconds)} s waited (every ${text(r.interval_seconds)} s, up to ${text(r.max_wait_seconds)} s)`]])
}

function capacity(h: Human, c: Obj | undefined): void {
  if (!c) return
  h.heading('Namespace capacity')
  const rows: [string, string][] = [['Requested', 'requested'], ['Available', 'available'], ['Instance total', 'instance_total'], ['Allocated', 'allocated']]
  h.table(
    ['Capacity', 'CPU', 'Memory (GB)'],
    rows.filter(([, k]) => obj(c[k])).map(([label, k]) => [label, text(obj(c[k])!.cpu), text(obj(c[k])!.memory_gb)]),
  )
}

function created(h: Human, e: Obj): void {
  const create = obj(e.create) ?? (e.operation === 'create' ? e : undefined)
  const namespace = obj(e.create_namespace) ?? (e.operation === 'create_namespace' ? e : undefined)
  if (e.instance_id) h.kv([['Instance', e.instance_id]])
  if (create) verification(h, 'Instance', obj(create.verification))
  readiness(h, obj(e.readiness))
  if (namespace) verification(h, 'Namespace', obj(namespace.verification))
  capacity(h, obj(obj(e.create_namespace)?.capacity) ?? obj(e.capacity))
}

/** The human form of a flink envelope (the body JSON mode would print). */
export function renderFlink(_result: Result, h: Human, envelope?: unknown): void {
  const e = obj(envelope)
  if (!e) return
  h.heading(`Flink ${text(e.operation)}`)
  const confirmation = obj(e.confirmation_check)
  if (confirmation)
    h.kv([['Confirmation', confirmation.provided ? `${text(confirmation.required_flag)} given (check ${text(confirmation.status)})` : `${text(confirmation.required_flag)} missing: nothing was created (check ${text(confirmation.status)})`]])
  if (e.idempotent_noop) h.line(String(e.message ?? ''))
  const data = obj(e.data)
  const existing = obj(data?.ExistingInstance)
  if (existing) instancesTable(h, [existing])
  const existingNs = obj(data?.ExistingNamespace)
  if (existingNs) h.table(['Namespace', 'Status', 'Resources'], [[text(existingNs.Namespace), text(existingNs.Status), namespaceSize(existingNs)]])
  if (data) queryData(h, data)
  created(h, e)
  if (e.pages_read) h.line(`Every page read (${text(e.pages_read)} pages).`)
  const steps = Array.isArray(e.steps) ? e.steps.length : 0
  if (e.request_id) h.kv([['Request id', e.request_id]])
  h.line(`${steps} aliyun call(s). The full JSON envelope: add --json.`)
  h.line()
}

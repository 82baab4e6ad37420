// The original wrapper's argument contract (argparse in instance_ops.py): the seven sub-commands,
// their underscore options, required/choice/int rules. argparse printed a usage dump and exited 2;
// here every argument error is a JSON envelope with exit 1 (catalogue §1.g-7): a missing option
// is `MissingParameter`, a bad value or an unknown option is `ValueError`, with argparse's wording.

import { parseArgs } from 'node:util'
import { HarnessError, UsageError } from '../../lib/errors.js'
import type { OptionSpecs } from '../../lib/options.js'

/** Every option of every sub-command. Nothing is `required` here: that depends on the sub-command. */
export const FLINK_OPTIONS = {
  region_id: { type: 'string', description: 'Region, e.g. cn-beijing (every command except describe_regions).', valueName: 'region' },
  instance_id: { type: 'string', description: 'Flink instance id, e.g. f-cn-xxx (describe_namespaces, create_namespace).', valueName: 'id' },
  name: { type: 'string', description: 'Instance name (create) or namespace name (create_namespace).', valueName: 'name' },
  instance_type: { type: 'string', description: 'Billing type, exactly PayAsYouGo or Subscription (create).', valueName: 'PayAsYouGo|Subscription' },
  vpc_id: { type: 'string', description: 'VPC id (create). Never invented: use the one the user gave.', valueName: 'vpc-…' },
  vswitch_id: { type: 'string', description: 'vSwitch id (create). The zone follows the vSwitch.', valueName: 'vsw-…' },
  zone_id: { type: 'string', description: 'Zone (create). Accepted for compatibility; CreateInstance has no ZoneId, the zone follows the vSwitch.', valueName: 'zone' },
  cu_count: { type: 'string', description: 'Compute units (create): 1 CU = 1 CPU + 4 GB.', valueName: 'N' },
  cpu: { type: 'string', description: 'CPU cores (create: overrides --cu_count; create_namespace). Pair with --memory_gb.', valueName: 'N' },
  memory_gb: { type: 'string', description: 'Memory in GB, paired with --cpu.', valueName: 'N' },
  auto_renew: { type: 'boolean', description: 'Auto-renew a Subscription instance (create).' },
  period: { type: 'string', description: 'Subscription months: 1, 2, 3, 6 or 12 (create).', valueName: '1|2|3|6|12' },
  resource_type: { type: 'string', description: 'Tag resource type, e.g. vvpinstance (list_tags).', valueName: 'type' },
  resource_ids: { type: 'string', description: 'Comma-separated resource ids (list_tags).', valueName: 'id,id' },
  confirm: { type: 'boolean', description: 'Required by create, create_namespace and lifecycle: the creates cost money or consume capacity.' },
  wait: { type: 'boolean', description: 'create: after the read-back, poll describe every 30 s for up to 10 min until the new instance is RUNNING.' },
  namespace: { type: 'string', description: 'lifecycle: the namespace to create on the new instance.', valueName: 'name' },
  namespace_cpu: { type: 'string', description: 'lifecycle: namespace CPU cores.', valueName: 'N' },
  namespace_memory_gb: { type: 'string', description: 'lifecycle: namespace memory in GB.', valueName: 'N' },
} as const satisfies OptionSpecs

type OptionName = keyof typeof FLINK_OPTIONS
export type RawOptions = { [K in OptionName]: (typeof FLINK_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string | undefined }

export const COMMANDS = ['create', 'describe', 'describe_regions', 'describe_zones', 'create_namespace', 'describe_namespaces', 'list_tags', 'lifecycle'] as const
export type Command = (typeof COMMANDS)[number]
/** The original's seven; `lifecycle` is the harness's create → wait → create_namespace chain. */
export const ORIGINAL_COMMANDS: readonly Command[] = COMMANDS.filter((c) => c !== 'lifecycle')
/** The commands whose envelope carries `confirmation_check`. */
export const CONFIRMED_COMMANDS: ReadonlySet<string> = new Set(['create', 'create_namespace', 'lifecycle'])

const CREATE_REQUIRED = ['region_id', 'name', 'instance_type', 'vswitch_id', 'vpc_id'] as const
const CREATE_OPTIONAL = ['zone_id', 'cu_count', 'cpu', 'memory_gb', 'auto_renew', 'period', 'confirm'] as const

/** argparse's per-sub-command option sets (required first, in the original's order). */
const SIGNATURES: Record<Command, { required: readonly OptionName[]; optional: readonly OptionName[] }> = {
  describe_regions: { required: [], optional: [] },
  describe_zones: { required: ['region_id'], optional: [] },
  describe: { required: ['region_id'], optional: [] },
  describe_namespaces: { required: ['region_id', 'instance_id'], optional: [] },
  list_tags: { required: ['region_id', 'resource_type'], optional: ['resource_ids'] },
  create: { required: CREATE_REQUIRED, optional: [...CREATE_OPTIONAL, 'wait'] },
  create_namespace: { required: ['region_id', 'instance_id', 'name'], optional: ['cpu', 'memory_gb', 'confirm'] },
  lifecycle: { required: [...CREATE_REQUIRED, 'namespace', 'namespace_cpu', 'namespace_memory_gb'], optional: [...CREATE_OPTIONAL, 'wait'] },
}

/** Sub-commands of the original's older versions and of other tools that change or remove resources. */
const OUT_OF_SCOPE = /^(modify|update|delete|remove|release|renew|convert|scale|upgrade|downgrade|resize|stop|start|restart|tag_resources|untag)/i

export const SCOPE_MESSAGE =
  'This skill only creates and queries Flink instances and namespaces (create, create_namespace, describe, describe_regions, describe_zones, describe_namespaces, list_tags). Update, delete, renew, scale, billing conversion and tag changes are out of scope.'

export function parseCommand(positionals: readonly string[]): Command {
  const [word, ...extra] = positionals
  if (!word) throw new UsageError(`the following arguments are required: command (choose from ${quoteList(ORIGINAL_COMMANDS)})`, 'MissingParameter')
  if (!(COMMANDS as readonly string[]).includes(word)) {
    if (OUT_OF_SCOPE.test(word))
      throw new HarnessError('OutOfScope', `'${word}' is out of scope. ${SCOPE_MESSAGE}`, {
        nextAction: 'Make this change in the Realtime Compute for Apache Flink console (or another tool); this skill will not run it.',
      })
    throw new UsageError(`argument command: invalid choice: '${word}' (choose from ${quoteList(ORIGINAL_COMMANDS)})`, 'ValueError')
  }
  if (extra.length) throw new UsageError(`unrecognized arguments: ${extra.join(' ')}`, 'ValueError')
  return word as Command
}

function quoteList(items: readonly (string | number)[]): string {
  return items.map((i) => (typeof i === 'string' ? `'${i}'` : String(i))).join(', ')
}

const REGION = /^[a-z]{2,}-[a-z0-9-]{1,40}$/
/**
 * Every value that reaches the CLI has a format, checked before anything runs, so none can be read
 * as a flag or a command word (catalogue §1.e; ids as the API returns them).
 */
const FORMATS: Partial<Record<OptionName, { re: RegExp; what: string }>> = {
  instance_id: { re: /^f-[a-z0-9][a-z0-9-]{1,62}$/, what: 'a Flink instance id such as f-cn-wwo36qj4g06' },
  name: { re: /^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_-]{0,63}$/, what: '1–64 letters, digits, Chinese characters, "_" or "-", not starting with "_" or "-"' },
  namespace: { re: /^[a-z0-9]([a-z0-9-]{0,58}[a-z0-9])?$/, what: '1–60 lower-case letters, digits or "-", starting and ending with a letter or digit' },
  vpc_id: { re: /^vpc-[0-9a-z]{1,64}$/, what: 'a VPC id such as vpc-xxxx' },
  vswitch_id: { re: /^vsw-[0-9a-z]{1,64}$/, what: 'a vSwitch id such as vsw-xxxx' },
  zone_id: { re: /^[a-z]{2,}-[a-z0-9-]{1,40}$/, what: 'a zone id such as cn-beijing-g' },
  resource_type: { re: /^[a-z][a-z0-9_]{0,63}$/, what: 'a tag resource type such as vvpinstance' },
}
const RESOURCE_ID = /^[a-z][a-z0-9-]{1,63}$/
const MAX_RESOURCE_IDS = 50
const PERIODS = [1, 2, 3, 6, 12]
const INSTANCE_TYPES = ['Subscription', 'PayAsYouGo'] as const
export type InstanceType = (typeof INSTANCE_TYPES)[number]

/** Python's int(): optional sign, digits, surrounding blanks. */
function toInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw new UsageError(`argument --${name}: invalid int value: '${raw}'`, 'ValueError')
  return Number(raw.trim())
}

/** Resource sizes are whole numbers of at least 1 (catalogue §1.e: min CPU 1, min memory 1 GB). */
function toSize(name: string, raw: string | undefined): number | undefined {
  const n = toInt(name, raw)
  if (n !== undefined && n < 1) throw new UsageError(`argument --${name}: must be a whole number of at least 1; got ${n}`, 'ValueError')
  return n
}

function checkFormat(name: OptionName, raw: string | undefined): void {
  const format = FORMATS[name]
  if (raw === undefined || raw === '' || !format || format.re.test(raw)) return
  throw new UsageError(`argument --${name}: expected ${format.what}; got ${JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}…` : raw)}`, 'ValueError')
}

/** `--resource_ids a,b`: each id checked on its own, so no list item can become a CLI word. */
function resourceIds(raw: string | undefined): string[] {
  if (raw === undefined) return []
  const ids = raw.split(',').map((s) => s.trim())
  if (ids.some((id) => id === '')) throw new UsageError(`argument --resource_ids: an empty id in '${raw}'; separate ids with single commas`, 'ValueError')
  if (ids.length > MAX_RESOURCE_IDS) throw new UsageError(`argument --resource_ids: at most ${MAX_RESOURCE_IDS} ids; got ${ids.length}`, 'ValueError')
  for (const id of ids) if (!RESOURCE_ID.test(id)) throw new UsageError(`argument --resource_ids: expected resource ids such as f-cn-wwo36qj4g06; got ${JSON.stringify(id)}`, 'ValueError')
  return ids
}

export interface CreateArgs {
  region: string
  name: string
  instanceType: InstanceType
  vpcId: string
  vswitchId: string
  zoneId?: string
  cuCount?: number
  cpu?: number
  memoryGb?: number
  autoRenew: boolean
  period?: number
  confirm: boolean
  wait: boolean
}

export interface NamespaceArgs {
  region: string
  instanceId: string
  name: string
  cpu?: number
  memoryGb?: number
  confirm: boolean
}

export type Args =
  | { command: 'describe_regions' }
  | { command: 'describe' | 'describe_zones'; region: string }
  | { command: 'describe_namespaces'; region: string; instanceId: string }
  | { command: 'list_tags'; region: string; resourceType: string; resourceIds: string[] }
  | ({ command: 'create' } & CreateArgs)
  | ({ command: 'create_namespace' } & NamespaceArgs)
  | { command: 'lifecycle'; instance: CreateArgs; namespace: Omit<NamespaceArgs, 'instanceId'> }

function given(opts: RawOptions, name: OptionName): boolean {
  const v = opts[name]
  return typeof v === 'boolean' ? v : v !== undefined
}

/**
 * Checks the options of one sub-command in argparse's order — bad values (type, choice), then
 * missing required options, then options the sub-command does not take — and converts them.
 */
export function validateArgs(command: Command, opts: RawOptions): Args {
  const sig = SIGNATURES[command]
  const allowed = new Set<OptionName>([...sig.required, ...sig.optional])
  const region = opts.region_id

  // Values first (argparse converts and checks choices while it reads them).
  if (allowed.has('instance_type') && opts.instance_type !== undefined && !(INSTANCE_TYPES as readonly string[]).includes(opts.instance_type)) {
    const near = INSTANCE_TYPES.find((t) => t.toLowerCase() === opts.instance_type!.replace(/[-_\s]/g, '').toLowerCase())
    throw new UsageError(
      `argument --instance_type: invalid choice: '${opts.instance_type}' (choose from ${quoteList(INSTANCE_TYPES)})${near ? `; the value is case-sensitive: use '${near}'` : ''}`,
      'ValueError',
    )
  }
  const ints: Partial<Record<OptionName, number>> = {}
  for (const name of ['cu_count', 'cpu', 'memory_gb', 'namespace_cpu', 'namespace_memory_gb'] as const) if (allowed.has(name)) ints[name] = toSize(name, opts[name])
  if (allowed.has('period')) {
    const period = toInt('period', opts.period)
    if (period !== undefined && !PERIODS.includes(period)) throw new UsageError(`argument --period: invalid choice: ${period} (choose from ${quoteList(PERIODS)})`, 'ValueError')
    ints.period = period
  }

  for (const name of Object.keys(FORMATS) as OptionName[]) if (allowed.has(name)) checkFormat(name, opts[name] as string | undefined)
  const ids = allowed.has('resource_ids') ? resourceIds(opts.resource_ids) : []

  const missing = sig.required.filter((n) => !given(opts, n))
  if (missing.length) throw new UsageError(`the following arguments are required: ${missing.map((n) => `--${n}`).join(', ')}`, 'MissingParameter')
  const unrecognized = (Object.keys(FLINK_OPTIONS) as OptionName[]).filter((n) => given(opts, n) && !allowed.has(n))
  if (unrecognized.length) throw new UsageError(`unrecognized arguments: ${unrecognized.map((n) => `--${n}`).join(' ')}`, 'ValueError')

  // The original raised ValueError("region_id is required. Please specify the region.") for an empty one.
  if (allowed.has('region_id')) {
    if (!region) throw new UsageError('region_id is required. Please specify the region.', 'ValueError')
    if (!REGION.test(region)) throw new UsageError(`argument --region_id: expected a region id such as cn-beijing; got '${region}'`, 'ValueError')
  }
  for (const name of ['name', 'instance_id', 'resource_type', 'namespace'] as const)
    if (allowed.has(name) && opts[name] === '') throw new UsageError(`argument --${name}: expected a non-empty value`, 'ValueError')

  const r = region as string
  switch (command) {
    case 'describe_regions':
      return { command }
    case 'describe':
    case 'describe_zones':
      return { command, region: r }
    case 'describe_namespaces':
      return { command, region: r, instanceId: opts.instance_id! }
    case 'list_tags':
      return {
        command,
        region: r,
        resourceType: opts.resource_type!,
        resourceIds: ids,
      }
    case 'create_namespace':
      return { command, region: r, instanceId: opts.instance_id!, name: opts.name!, cpu: ints.cpu, memoryGb: ints.memory_gb, confirm: Boolean(opts.confirm) }
    case 'create':
    case 'lifecycle': {
      const instance: CreateArgs = {
        region: r,
        name: opts.name!,
        instanceType: opts.instance_type as InstanceType,
        vpcId: opts.vpc_id!,
        vswitchId: opts.vswitch_id!,
        zoneId: opts.zone_id,
        cuCount: ints.cu_count,
        cpu: ints.cpu,
        memoryGb: ints.memory_gb,
        autoRenew: Boolean(opts.auto_renew),
        period: ints.period,
        confirm: Boolean(opts.confirm),
        wait: command === 'lifecycle' || Boolean(opts.wait),
      }
      if (command === 'create') return { command, ...instance }
      return {
        command,
        instance,
        namespace: { region: r, name: opts.namespace!, cpu: ints.namespace_cpu, memoryGb: ints.namespace_memory_gb, confirm: Boolean(opts.confirm) },
      }
    }
  }
}

/**
 * What the command line says even when strict parsing failed (an unknown option, a missing
 * value): the sub-command and whether --confirm was given, for the envelope.
 */
export function lenientRead(argv: readonly string[]): { command: string; confirm: boolean } {
  const options: Record<string, { type: 'string' | 'boolean' }> = { profile: { type: 'string' }, record: { type: 'string' }, replay: { type: 'string' } }
  for (const [name, spec] of Object.entries(FLINK_OPTIONS)) options[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string' }
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true })
    return { command: positionals[0] ?? '', confirm: values.confirm === true }
  } catch {
    return { command: argv.find((a) => !a.startsWith('-')) ?? '', confirm: argv.includes('--confirm') }
  }
}

// Step 4: where the new instance goes. Stock of the source type in every other zone (a table of
// zone + stock), then the zone, the instance type, the VSwitch and the system disk category —
// each a decision unless a flag answers it, never substituted silently (D4, D6).

import { api } from '../../lib/command.js'
import { pages } from '../../lib/paginate.js'
import { StopError } from '../../lib/errors.js'
import { DescribeAvailableResourceResponse, DescribeVSwitchesResponse, type AvailableZone, type EcsVSwitch } from './schemas.js'
import { CreateVSwitchResponse } from './schemas.js'
import { rankAlternatives, rankCategories, takesPerformanceLevel } from './alternatives.js'
import { overlaps, parseCidr, suggestCidr } from './cidr.js'
import type { Plan, SourceFacts, ZoneStock } from './model.js'
import type { DrRun } from './run.js'

/** Answers to the placement decisions, from flags or from a prompt. */
export interface Answers {
  zone?: string
  instanceType?: string
  vswitchId?: string
  createVswitch?: boolean
  cidrBlock?: string
  systemDiskCategory?: string
  instanceName?: string
}

/** A decision was answered with a different zone (or type): placement starts over with these answers. */
export class Replan extends Error {
  constructor(readonly answers: Answers) {
    super('replan')
  }
}

/** Flags that fix a placement; a decision that may move the zone replaces all of them. */
export const PLACEMENT_FLAGS = ['--target-zone', '--instance-type', '--vswitch-id', '--create-vswitch', '--cidr-block']

const VPC_MAX_PAGES = 20
const MAX_INSTANCE_NAME = 128

function supportedValues(zone: AvailableZone | undefined, type: string): { value: string; available: boolean }[] {
  const res = zone?.AvailableResources.AvailableResource.find((r) => r.Type === type)
  return (res?.SupportedResources.SupportedResource ?? []).map((s) => ({ value: s.Value, available: s.Status === 'Available' }))
}

export function stockTable(stock: readonly ZoneStock[]): string {
  const width = Math.max(4, ...stock.map((s) => s.zone.length)) + 2
  return [`${'Zone'.padEnd(width)}Stock`, ...stock.map((s) => `${s.zone.padEnd(width)}${stockLabel(s)}`)].join('\n')
}

export function stockLabel(s: ZoneStock): string {
  return `${s.in_stock ? 'In stock' : 'Sold out'}${s.status_category ? ` (${s.status_category})` : ''}`
}

export class Placer {
  private zoneTypes = new Map<string, string[]>()
  private systemDisks = new Map<string, string[]>()
  private vswitches?: EcsVSwitch[]
  stock: ZoneStock[] = []

  constructor(
    private run: DrRun,
    private source: SourceFacts,
  ) {}

  private get flags() {
    return this.run.flags('ecs')
  }

  private get chargeType(): string | undefined {
    return this.source.instance_charge_type || undefined
  }

  /** 4a: the source type's stock in every zone but the source zone, with the source's charge type (D6). */
  async zoneStock(): Promise<ZoneStock[]> {
    const type = this.source.instance_type
    const res = await this.run.call({
      argv: api('ecs', 'describe-available-resource', { ...this.flags, 'destination-resource': 'InstanceType', 'instance-type': type, 'instance-charge-type': this.chargeType }),
      schema: DescribeAvailableResourceResponse,
      label: 'check instance type stock',
    })
    this.stock = res.AvailableZones.AvailableZone.filter((z) => z.ZoneId !== this.source.zone_id)
      .map((z) => {
        const r = z.AvailableResources.AvailableResource.find((a) => a.Type === 'InstanceType')?.SupportedResources.SupportedResource.find((s) => s.Value === type)
        return { zone: z.ZoneId, in_stock: z.Status === 'Available' && r?.Status === 'Available', status_category: r?.StatusCategory || z.StatusCategory }
      })
      .sort((a, b) => (a.zone < b.zone ? -1 : 1))
    this.run.publish({ stock: { instance_type: type, instance_charge_type: this.source.instance_charge_type, zones: this.stock } })
    return this.stock
  }

  inStockZones(except?: string): ZoneStock[] {
    return this.stock.filter((s) => s.in_stock && s.zone !== except)
  }

  async chooseZone(answer: string | undefined): Promise<string> {
    const { source, run } = this
    if (answer && this.stock.some((s) => s.zone === answer)) return answer
    if (!this.stock.length)
      throw new StopError('NoTargetZone', `No zone of ${run.region} other than ${source.zone_id} offers ${source.instance_type} (${source.instance_charge_type}).`, {
        nextAction: 'Recovery needs another zone in the same region; check the instance type offering in the ECS console.',
      })
    const why = answer
      ? `--target-zone ${answer} ${answer === source.zone_id ? 'is the source zone; the new instance must run in another zone' : `is not a zone that offers ${source.instance_type} in ${run.region}`}.\n`
      : ''
    const inStock = this.inStockZones()
    const options = [...inStock, ...this.stock.filter((s) => !s.in_stock)].slice(0, 4).map((s, i) => ({
      value: s.zone,
      label: `${s.zone} (${s.in_stock ? `in stock${s.status_category ? `: ${s.status_category}` : ''}` : 'sold out: other types will be offered'})`,
      recommended: i === 0 && s.in_stock,
    }))
    return run.ctx.decide({
      id: 'target-zone',
      question: 'Which zone should the recovered instance run in?',
      flag: '--target-zone',
      context: `${why}Stock of ${source.instance_type} (${source.instance_charge_type}) in the other zones of ${run.region}:\n${stockTable(this.stock)}`,
      options,
    })
  }

  /** Every instance type in stock in a zone (asked once per zone). */
  async typesInZone(zone: string): Promise<string[]> {
    const known = this.zoneTypes.get(zone)
    if (known) return known
    const res = await this.run.call({
      argv: api('ecs', 'describe-available-resource', { ...this.flags, 'destination-resource': 'InstanceType', 'zone-id': zone, 'instance-charge-type': this.chargeType }),
      schema: DescribeAvailableResourceResponse,
      label: `list instance types in stock in ${zone}`,
    })
    const types = supportedValues(res.AvailableZones.AvailableZone.find((z) => z.ZoneId === zone), 'InstanceType')
      .filter((s) => s.available)
      .map((s) => s.value)
    this.zoneTypes.set(zone, types)
    return types
  }

  /** The zone where the source type is in stock that a "pick another zone" option offers. */
  otherZone(zone: string): ZoneStock | undefined {
    return this.inStockZones(zone)[0]
  }

  async chooseInstanceType(zone: string, answer: string | undefined, keep: string[]): Promise<{ type: string; why?: string }> {
    const { source, run } = this
    const original = source.instance_type
    const originalInStock = this.stock.some((s) => s.zone === zone && s.in_stock)
    if (answer === original && originalInStock) return { type: original }
    const types = await this.typesInZone(zone)
    const why = (t: string) => (t === original ? undefined : `${original} ${originalInStock ? 'was in stock, but' : `is sold out in ${zone};`} ${t} was chosen instead`)
    if (answer && types.includes(answer)) return { type: answer, why: why(answer) }
    const context = answer ? `--instance-type ${answer} is not in stock in ${zone}.` : undefined
    const alternatives = rankAlternatives(original, types)
    const other = originalInStock ? undefined : this.otherZone(zone)
    const options = [
      ...(originalInStock ? [{ value: original, label: `Keep original type ${original}`, recommended: true, args: ['--target-zone', zone, '--instance-type', original, ...keep] }] : []),
      ...alternatives.map((a, i) => ({ value: a.type, label: a.label, recommended: !originalInStock && i === 0, args: ['--target-zone', zone, '--instance-type', a.type, ...keep] })),
      ...(other ? [{ value: `zone:${other.zone}`, label: `Pick another zone: ${other.zone} (${original} in stock there)`, args: ['--target-zone', other.zone, '--instance-type', original] }] : []),
    ].slice(0, 4)
    if (!options.length)
      throw new StopError('NoInstanceTypeInStock', `${original} is sold out in ${zone} and no instance type of the same size is in stock there or in another zone.`, {
        nextAction: `Pick another type with --instance-type (see the ECS console for what ${zone} offers), then continue with: ${run.resumeCommand}`,
      })
    const picked = await run.ctx.decide({
      id: 'instance-type',
      question: originalInStock ? `Instance type for the new instance in ${zone}?` : `Original type ${original} is out of stock in ${zone}. Pick an alternative:`,
      flag: '--instance-type',
      replaces: PLACEMENT_FLAGS,
      ...(context ? { context } : {}),
      options,
    })
    if (picked.startsWith('zone:')) throw new Replan({ zone: picked.slice(5), instanceType: original })
    return { type: picked, why: why(picked) }
  }

  /** Every VSwitch of the source VPC (the seed's command for page 1, then `--page-number N`). */
  async vpcVSwitches(): Promise<EcsVSwitch[]> {
    if (this.vswitches) return this.vswitches
    const all: EcsVSwitch[] = []
    const list = pages(this.run, {
      argv: ({ number }) => api('ecs', 'describe-vswitches', { ...this.flags, 'vpc-id': this.source.vpc_id, ...(number > 1 ? { 'page-number': number } : {}) }),
      schema: DescribeVSwitchesResponse,
      label: `list VSwitches of ${this.source.vpc_id}`,
      count: (r) => r.VSwitches.VSwitch.length,
      total: (r) => r.TotalCount,
      maxPages: VPC_MAX_PAGES,
    })
    for await (const { data } of list) all.push(...data.VSwitches.VSwitch)
    this.vswitches = all
    return all
  }

  /** 4b: a VSwitch of the source VPC in the zone — an existing one, or one created after a decision. */
  async chooseVSwitch(zone: string, type: string, answers: Answers): Promise<{ id: string; created: boolean; cidr?: string }> {
    const { run, source } = this
    const created = run.state.created_vswitch
    if (created && created.zone === zone) return { id: created.id, created: true, cidr: created.cidr_block }
    const all = await this.vpcVSwitches()
    const inZone = all.filter((v) => v.ZoneId === zone).sort((a, b) => Number(b.Status === 'Available') - Number(a.Status === 'Available') || b.AvailableIpAddressCount - a.AvailableIpAddressCount)
    const suggested = suggestCidr(all.find((v) => v.VSwitchId === source.vswitch_id)?.CidrBlock ?? all[0]?.CidrBlock ?? '', all.map((v) => v.CidrBlock))
    let context: string | undefined
    if (answers.vswitchId) {
      const v = all.find((x) => x.VSwitchId === answers.vswitchId)
      if (v && v.ZoneId === zone) return { id: v.VSwitchId, created: false }
      context = `--vswitch-id ${answers.vswitchId} ${v ? `is in ${v.ZoneId}, not ${zone}` : `is not a VSwitch of ${source.vpc_id}`}.`
    } else if (answers.createVswitch && answers.cidrBlock) {
      const wanted = parseCidr(answers.cidrBlock)!
      const clash = all.find((v) => {
        const c = parseCidr(v.CidrBlock)
        return c && overlaps(c, wanted)
      })
      if (!clash) return this.createVSwitch(zone, answers.cidrBlock)
      context = `--cidr-block ${answers.cidrBlock} overlaps ${clash.VSwitchId} (${clash.CidrBlock}).`
    } else if (inZone.length) {
      return { id: inZone[0].VSwitchId, created: false }
    }
    const other = this.inStockZones(zone).find((s) => all.some((v) => v.ZoneId === s.zone)) ?? this.otherZone(zone)
    const options = [
      ...inZone.slice(0, 2).map((v) => ({ value: v.VSwitchId, label: `Use ${v.VSwitchId} (${v.CidrBlock}, ${v.AvailableIpAddressCount} free addresses)`, recommended: false, args: ['--target-zone', zone, '--instance-type', type, '--vswitch-id', v.VSwitchId] })),
      ...(suggested ? [{ value: 'create', label: `Create VSwitch with CIDR ${suggested} in ${source.vpc_id}`, recommended: inZone.length === 0, args: ['--target-zone', zone, '--instance-type', type, '--create-vswitch', '--cidr-block', suggested] }] : []),
      ...(other ? [{ value: `zone:${other.zone}`, label: `Pick another zone: ${other.zone}${all.some((v) => v.ZoneId === other.zone) ? ' (has a VSwitch)' : ''}`, recommended: false, args: ['--target-zone', other.zone, '--instance-type', source.instance_type] }] : []),
    ]
    if (!options.length)
      throw new StopError('NoVSwitch', `Zone ${zone} has no VSwitch in ${source.vpc_id}, no free /24 was found next to the source VSwitch, and no other zone has stock.`, {
        nextAction: `Create a VSwitch in ${zone} yourself, then continue with --vswitch-id <id>: ${run.resumeCommand}`,
      })
    if (!options.some((o) => o.recommended)) options[0].recommended = true
    const picked = await run.ctx.decide({
      id: 'vswitch',
      question: inZone.length ? `Which VSwitch of ${source.vpc_id} in ${zone}?` : `Target zone ${zone} has no VSwitch in the current VPC (${source.vpc_id}). Create a new one?`,
      flag: '--create-vswitch',
      replaces: PLACEMENT_FLAGS,
      context: [context, suggested && `Suggested CIDR ${suggested} overlaps no VSwitch of ${source.vpc_id} (it must lie inside the VPC's CIDR block).`].filter(Boolean).join(' '),
      options,
    })
    if (picked.startsWith('zone:')) throw new Replan({ zone: picked.slice(5), instanceType: source.instance_type })
    if (picked === 'create') return this.createVSwitch(zone, suggested!)
    return { id: picked, created: false }
  }

  private async createVSwitch(zone: string, cidr: string): Promise<{ id: string; created: boolean; cidr: string }> {
    const { run, source } = this
    const argv = run.withToken(api('vpc', 'create-vswitch', { ...run.flags('vpc'), 'vpc-id': source.vpc_id, 'zone-id': zone, 'cidr-block': cidr }), 'vswitch')
    const res = await run.attempt({ argv, schema: CreateVSwitchResponse, label: 'create VSwitch' })
    if (!res.ok) {
      const e = res.error
      throw new StopError(e.code, `create-vswitch failed: ${e.code}: ${e.message}`, {
        requestId: e.requestId,
        nextAction: `Pick a CIDR block inside the VPC's block that overlaps no VSwitch (--create-vswitch --cidr-block <cidr>), or an existing VSwitch (--vswitch-id), then continue with: ${run.resumeCommand}`,
      })
    }
    run.state.created_vswitch = { id: res.data.VSwitchId, zone, cidr_block: cidr }
    run.save()
    run.ctx.note(`VSwitch ${res.data.VSwitchId} (${cidr}) created in ${zone}; saved to run ${run.id}.`)
    return { id: res.data.VSwitchId, created: true, cidr }
  }

  /** 4c: the system disk categories the zone offers for the type. */
  async systemDiskCategories(zone: string, type: string): Promise<string[]> {
    const key = `${zone}/${type}`
    const known = this.systemDisks.get(key)
    if (known) return known
    const res = await this.run.call({
      argv: api('ecs', 'describe-available-resource', { ...this.flags, 'zone-id': zone, 'destination-resource': 'SystemDisk', 'instance-type': type, 'instance-charge-type': this.chargeType }),
      schema: DescribeAvailableResourceResponse,
      label: 'check system disk categories',
    })
    const values = supportedValues(res.AvailableZones.AvailableZone.find((z) => z.ZoneId === zone), 'SystemDisk')
      .filter((s) => s.available)
      .map((s) => s.value)
    this.systemDisks.set(key, values)
    return values
  }

  async chooseSystemDiskCategory(zone: string, type: string, answer: string | undefined, exclude?: string): Promise<{ category: string; why?: string }> {
    const { run } = this
    const original = this.systemDisk.category
    const supported = (await this.systemDiskCategories(zone, type)).filter((c) => c !== exclude)
    const why = (c: string) => (c === original ? undefined : `${original} is not offered for the system disk of ${type} in ${zone}; ${c} was chosen instead`)
    if (answer && supported.includes(answer)) return { category: answer, why: why(answer) }
    if (!answer && !exclude && supported.includes(original)) return { category: original }
    const ranked = rankCategories(original, supported)
    if (!ranked.length)
      throw new StopError('NoSystemDiskCategory', `${zone} offers no system disk category for ${type} other than ${exclude ?? original}.`, {
        nextAction: `Pick another zone or type (--target-zone, --instance-type), then continue with: ${run.resumeCommand}`,
      })
    const context = answer
      ? `--system-disk-category ${answer} is not offered for ${type} in ${zone}.`
      : exclude
        ? `run-instances rejected ${exclude} for the system disk.`
        : `The source system disk is ${original}, which ${zone} does not offer for ${type}.`
    const picked = await run.ctx.decide({
      id: 'system-disk-category',
      question: `System disk category for the new instance? (source: ${original})`,
      flag: '--system-disk-category',
      context: `${context} Supported: ${supported.join(', ')}.`,
      options: ranked.map((c, i) => ({ value: c, label: `${c}${i === 0 ? ' (closest to the source)' : ''}`, recommended: i === 0 })),
    })
    return { category: picked, why: why(picked) }
  }

  get systemDisk() {
    return this.source.disks.find((d) => d.type === 'system')!
  }

  /** Everything placement decided, with the source's network, billing, bandwidth and disks reused. */
  plan(p: { zone: string; type: { type: string; why?: string }; vswitch: { id: string; created: boolean; cidr?: string }; category: { category: string; why?: string }; instanceName?: string }): Plan {
    const { source } = this
    const sys = this.systemDisk
    const pl = (category: string, sourceCategory: string, sourcePl: string | null) =>
      takesPerformanceLevel(category) ? (sourceCategory === category && sourcePl ? sourcePl : 'PL0') : null
    const why: Record<string, string> = {}
    if (p.type.why) why.instance_type = p.type.why
    if (p.category.why) why.system_disk_category = p.category.why
    return {
      zone: p.zone,
      instance_type: p.type.type,
      vswitch_id: p.vswitch.id,
      vswitch_created: p.vswitch.created,
      ...(p.vswitch.cidr ? { cidr_block: p.vswitch.cidr } : {}),
      security_group_id: source.security_group_id,
      instance_name: p.instanceName ?? defaultInstanceName(source),
      instance_charge_type: source.instance_charge_type,
      internet_charge_type: source.internet_charge_type,
      internet_max_bandwidth_out: source.internet_max_bandwidth_out,
      system_disk: { device: sys.device, category: p.category.category, size: sys.size, performance_level: pl(p.category.category, sys.category, sys.performance_level) },
      data_disks: source.disks
        .filter((d) => d.type === 'data')
        .map((d) => ({ device: d.device, category: d.category, size: d.size, performance_level: pl(d.category, d.category, d.performance_level) })),
      why,
    }
  }
}

export function defaultInstanceName(source: SourceFacts): string {
  return `recovery-${source.instance_name || source.instance_id}`.slice(0, MAX_INSTANCE_NAME)
}

/** Runs the placement decisions in the seed's order: zone, type, VSwitch, system disk category. */
export async function place(placer: Placer, answers: Answers): Promise<Plan> {
  const zone = await placer.chooseZone(answers.zone)
  const keep = answers.vswitchId ? ['--vswitch-id', answers.vswitchId] : answers.createVswitch && answers.cidrBlock ? ['--create-vswitch', '--cidr-block', answers.cidrBlock] : []
  const type = await placer.chooseInstanceType(zone, answers.instanceType, keep)
  const vswitch = await placer.chooseVSwitch(zone, type.type, answers)
  const category = await placer.chooseSystemDiskCategory(zone, type.type, answers.systemDiskCategory)
  return placer.plan({ zone, type, vswitch, category, instanceName: answers.instanceName })
}

// vpc-inventory: a sixth, read-only skill that exists to prove what adding a skill takes — this
// script, its policy entry (policy.json beside it) and its recording. Everything else comes from
// lib/: option checks, the runner (allow-list, user agent, retries from the policy, parsing),
// pagination, regional flags, decisions, record/replay, results and exit codes.
//
// It lists every VSwitch of a region (VPC DescribeVSwitches, api-shapes §3.2), asks which VPC to
// report when the region has several and none was named, and flags VSwitches short of free IPs.

import { z } from 'zod'
import { api } from '../../lib/command.js'
import { pages } from '../../lib/paginate.js'
import type { Result } from '../../lib/result.js'
import { defineSkill } from '../../lib/skill.js'

const VSwitch = z.object({
  VSwitchId: z.string(),
  VSwitchName: z.string().default(''),
  VpcId: z.string(),
  ZoneId: z.string(),
  CidrBlock: z.string().default(''),
  Status: z.string().default(''),
  AvailableIpAddressCount: z.number().default(0),
})
type VSwitch = z.infer<typeof VSwitch>
const DescribeVSwitches = z.object({ VSwitches: z.object({ VSwitch: z.array(VSwitch).default([]) }), TotalCount: z.number().optional(), PageSize: z.number().optional() })

const PAGE_SIZE = 50

interface Inventory {
  region: string
  vpc_id: string
  vswitches: { id: string; name: string; zone: string; cidr: string; status: string; free_ips: number }[]
  short_of_ips: string[]
}

export default defineSkill({
  name: 'vpc-inventory',
  summary: 'Read-only VSwitch inventory of one VPC: zones, CIDR blocks, free addresses.',
  usage: 'aliyun-harness vpc-inventory --region <region> [--vpc-id <vpc-…>] [--min-free-ips <n>]',
  options: {
    region: { type: 'string', required: true, pattern: /^[a-z]+-[a-z0-9-]+$/, hint: 'a region id such as cn-hangzhou', description: 'Region to list.', valueName: 'region' },
    'vpc-id': { type: 'string', pattern: /^vpc-[0-9a-z]+$/, hint: 'a VPC id (vpc-…)', description: 'The VPC to report (answers the VPC question).', valueName: 'vpc-…' },
    'min-free-ips': { type: 'string', default: '16', pattern: /^\d{1,5}$/, hint: 'a whole number', description: 'A VSwitch with fewer free addresses is a finding.', valueName: 'n' },
  },

  async run(ctx, opts) {
    await ctx.preflight.cliVersion()
    const all: VSwitch[] = []
    const list = pages(ctx.cli, {
      argv: ({ number }) => api('vpc', 'describe-vswitches', { ...ctx.region('vpc', opts.region), 'page-number': number, 'page-size': PAGE_SIZE }),
      schema: DescribeVSwitches,
      label: `vpc describe-vswitches in ${opts.region}`,
      count: (p) => p.VSwitches.VSwitch.length,
      total: (p) => p.TotalCount,
      pageSize: PAGE_SIZE,
    })
    for await (const { data } of list) all.push(...data.VSwitches.VSwitch)

    const vpcs = [...new Set(all.map((v) => v.VpcId))].sort()
    const vpcId =
      opts['vpc-id'] ??
      (vpcs.length === 1
        ? vpcs[0]
        : await ctx.decide({
            id: 'vpc',
            question: `${opts.region} has ${vpcs.length} VPCs. Which one should be reported?`,
            flag: '--vpc-id',
            options: vpcs.slice(0, 4).map((id, i) => ({ value: id, label: `${id} (${all.filter((v) => v.VpcId === id).length} VSwitches)`, recommended: i === 0 })),
          }))
    const min = Number(opts['min-free-ips'])
    const mine = all.filter((v) => v.VpcId === vpcId)
    const data: Inventory = {
      region: opts.region,
      vpc_id: vpcId,
      vswitches: mine.map((v) => ({ id: v.VSwitchId, name: v.VSwitchName, zone: v.ZoneId, cidr: v.CidrBlock, status: v.Status, free_ips: v.AvailableIpAddressCount })),
      short_of_ips: mine.filter((v) => v.AvailableIpAddressCount < min).map((v) => v.VSwitchId),
    }
    return { data, nextAction: data.short_of_ips.length ? `Add address space for ${data.short_of_ips.join(', ')} before placing more resources there.` : undefined }
  },

  render(result: Result, h) {
    const d = result.data as Inventory | null
    if (!d?.vswitches) return
    h.heading(`VSwitches of ${d.vpc_id} in ${d.region}`)
    h.table(['VSwitch', 'Name', 'Zone', 'CIDR', 'Status', 'Free IPs'], d.vswitches.map((v) => [v.id, v.name, v.zone, v.cidr, v.status, v.free_ips]))
  },
})

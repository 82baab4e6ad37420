// ecs-dr: cross-zone disaster recovery, replayed as users replay it (`--replay`, in process), with
// the happy path and a run killed mid-call through the real bin against the fake `aliyun` — plus
// the policy that keeps it a backup (never a delete, stop or modify) and the pieces its decisions
// are built from.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { api, parseArgv, shellLine, system } from '../lib/command.js'
import { PolicyError } from '../lib/errors.js'
import { checkCommand, getPolicy } from '../lib/policy.js'
import { EcsInstance } from '../scripts/ecs-dr/schemas.js'
import { VirtualClock } from '../lib/clock.js'
import { runSkill } from '../lib/skill.js'
import { Replayer, type CliEntry, type Transcript } from '../lib/transcript.js'
import { ReplayTransport } from '../lib/transport.js'
import drSkill from '../scripts/ecs-dr.js'
import { rankAlternatives, rankCategories, rankOtherSizes, takesPerformanceLevel } from '../scripts/ecs-dr/alternatives.js'
import { chooseInstanceType } from '../scripts/ecs-dr/choose-type.js'
import { rankZones } from '../scripts/ecs-dr/stock.js'
import { clientToken } from '../scripts/ecs-dr/calls.js'
import { isNetworkAddress, overlaps, parseCidr, suggestCidr } from '../scripts/ecs-dr/cidr.js'
import { compare } from '../scripts/ecs-dr/compare.js'
import { dataDiskArg, runInstancesFlags } from '../scripts/ecs-dr/launch.js'
import type { Plan, SourceFacts } from '../scripts/ecs-dr/model.js'
import { transcript } from './support/cli-facts.js'
import { replaySkill } from './support/replay.js'
import { expectCleanReplay, expectRefused } from './support/expect.js'
import { calls, interruptWhenHeld, replayBin, tempDir, type RunResult } from './support/run.js'
import {
  ARGS,
  b,
  BASE_ARGS,
  CONSOLE,
  createImage,
  createImageArgv,
  createVSwitchArgv,
  describeSourceArgv,
  HAPPY,
  HAPPY_ARGS,
  IMAGE_ID,
  imagePoll,
  NEW_ID,
  NEW_VSW,
  NONCE,
  ONLY_J,
  IMAGE_NAME,
  placeAndLaunch,
  preflight,
  RECORDED_AT,
  REGION,
  runInstances,
  runInstancesArgv,
  scenarios,
  source,
  SOURCE_ID,
  SOURCE_TYPE,
  stock,
  TARGET,
  J_DISKS,
  systemDisks,
  verify,
  vswitches,
  WORLD,
  ZONE_J_VSW,
} from './recordings/ecs-dr.js'

const policy = getPolicy('ecs-dr')
const UA = /--user-agent AlibabaCloud-Agent-Skills\/alibabacloud-ecs-disaster-recovery-image\/([0-9a-f]{32})$/

/** API calls only (no version/configure/plugin). */
const apiCalls = (res: RunResult) => calls(res).filter((c) => !/^aliyun (version|configure |plugin )/.test(c))
const sessions = (res: RunResult) => new Set(apiCalls(res).map((c) => c.match(UA)?.[1] ?? 'missing'))
const stateFile = (res: RunResult, runId: string) => JSON.parse(readFileSync(join(res.dir, 'state', 'runs', 'ecs-dr', `${runId}.json`), 'utf8'))
const t = (name: string, entries: Transcript['entries']) => transcript('ecs-dr', name, entries, { recordedAt: RECORDED_AT, generated: { 'client-token-nonce': [NONCE] } })
const row = (res: RunResult, item: string) => res.json.data.comparison.find((r: { item: string }) => r.item === item)

// -------------------------------------------------------------------------------------------
describe('policy: a backup, never a change to the source', () => {
  const refused: [string, string[], RegExp][] = [
    ['ecs delete-instance', api('ecs', 'delete-instance', { 'biz-region-id': REGION, 'instance-id': SOURCE_ID }), /no skill deletes anything/],
    ['ecs delete-image', api('ecs', 'delete-image', { 'biz-region-id': REGION, 'image-id': IMAGE_ID }), /no skill deletes anything/],
    ['vpc delete-vswitch', api('vpc', 'delete-vswitch', { 'biz-region-id': REGION, 'vswitch-id': NEW_VSW }), /no skill deletes anything/],
    ['ecs release-dedicated-host', api('ecs', 'release-dedicated-host', { 'biz-region-id': REGION }), /no skill releases anything/],
    ['ecs stop-instance (the source is imaged while running)', api('ecs', 'stop-instance', { 'biz-region-id': REGION, 'instance-id': SOURCE_ID }), /no skill stops anything/],
    ['ecs modify-instance-attribute', api('ecs', 'modify-instance-attribute', { 'biz-region-id': REGION, 'instance-id': SOURCE_ID }), /no skill modifies anything/],
    ['--data-disk-1-category on run-instances', api('ecs', 'run-instances', { 'biz-region-id': REGION, 'data-disk-1-category': 'cloud_essd' }), /--data-disk-N-\* flags do not exist/],
    ['--data-disk-1-performance-level on run-instances', api('ecs', 'run-instances', { 'biz-region-id': REGION, 'data-disk-1-performance-level': 'PL0' }), /--data-disk-N-\* flags do not exist/],
    ['--data-disk SnapshotId=… on run-instances', [...api('ecs', 'run-instances', { 'biz-region-id': REGION }), '--data-disk', 'SnapshotId=s-bp1x', 'Size=100'], /creates an extra disk/],
    ['create-image from one snapshot', api('ecs', 'create-image', { 'biz-region-id': REGION, 'snapshot-id': 's-bp1x' }), /never built from a single snapshot/],
    ['create-image from disk mappings', api('ecs', 'create-image', { 'biz-region-id': REGION, 'disk-device-mapping': 'SnapshotId=s-bp1x' }), /disk mappings come from the instance/],
    ['configure ai-mode enable', system(['configure', 'ai-mode', 'enable']), /never runs configure ai-mode/],
    ['configure ai-mode set-user-agent', system(['configure', 'ai-mode', 'set-user-agent'], { 'user-agent': policy.user_agent }), /never runs configure ai-mode/],
    ['PascalCase CreateImage', api('ecs', 'CreateImage', { RegionId: REGION }), /not a plugin-mode action/],
    ['upper-case product ECS', api('ECS', 'describe-instances', { 'biz-region-id': REGION }), /product codes are lower-case/],
    ['--region-id instead of --biz-region-id', api('ecs', 'describe-instances', { 'region-id': REGION }), /--biz-region-id/],
    ['a --user-agent written by the skill', api('ecs', 'describe-instances', { 'biz-region-id': REGION, 'user-agent': 'x' }), /runner appends it/],
    ['a credential flag', api('ecs', 'describe-instances', { 'biz-region-id': REGION, 'access-key-id': 'x' }), /credential flag/],
    ['a command outside the skill (vpc describe-vpcs)', api('vpc', 'describe-vpcs', { 'biz-region-id': REGION }), /not on the ecs-dr allow-list/],
  ]

  it.each(refused)('refuses %s (PolicyError, status blocked, exit 4)', (_name, argv, why) => expectRefused(policy, argv, why))

  it('lets through the exact run-instances, create-image and create-vswitch lines the workflow sends', () => {
    const sent = scenarios['vswitch-missing-created'].entries.flatMap((e) => (e.kind === 'cli' && e.argv.at(-2) === '--user-agent' ? [e.argv.slice(0, -2)] : []))
    expect(sent.map((a) => a.slice(0, 2).join(' '))).toEqual(expect.arrayContaining(['ecs create-image', 'vpc create-vswitch', 'ecs run-instances']))
    for (const argv of [runInstancesArgv(HAPPY), ...sent])
      expect(() => checkCommand(policy, argv)).not.toThrow()
  })
})

// -------------------------------------------------------------------------------------------
describe('decision material', () => {
  it('ranks same-size alternatives: same family class first, nearest generation, newer before older', () => {
    const offered = ['ecs.g8i.xlarge', 'ecs.g6.xlarge', 'ecs.c7.xlarge', 'ecs.g7.2xlarge', 'ecs.g7e.xlarge', 'ecs.g7.xlarge', 'ecs.r7.xlarge']
    expect(rankAlternatives('ecs.g7.xlarge', offered).map((a) => a.type)).toEqual(['ecs.g7e.xlarge', 'ecs.g8i.xlarge', 'ecs.g6.xlarge'])
    expect(rankAlternatives('ecs.g7.xlarge', offered, 5).map((a) => a.label)).toEqual([
      'ecs.g7e.xlarge (similar, in stock)',
      'ecs.g8i.xlarge (newer generation, in stock)',
      'ecs.g6.xlarge (older generation, in stock)',
      'ecs.c7.xlarge (different family, in stock)',
      'ecs.r7.xlarge (different family, in stock)',
    ])
    expect(rankAlternatives('ecs.g7.xlarge', ['ecs.g7.2xlarge', 'ecs.g7.xlarge'])).toEqual([])
    expect(rankAlternatives('not-a-type', offered)).toEqual([])
  })

  it('other sizes only as a fallback: same family class first, then the nearest size, each labelled larger or smaller', () => {
    const offered = ['ecs.g7.xlarge', 'ecs.g7.8xlarge', 'ecs.c7.2xlarge', 'ecs.g7.large', 'ecs.g7.2xlarge', 'ecs.ebmg7.metal']
    expect(rankOtherSizes('ecs.g7.xlarge', offered, 5).map((a) => a.label)).toEqual([
      'ecs.g7.2xlarge (larger size, in stock)',
      'ecs.g7.large (smaller size, in stock)',
      'ecs.g7.8xlarge (larger size, in stock)',
      'ecs.c7.2xlarge (larger size, different family, in stock)',
    ])
  })

  it('zones rank by stock: WithStock, then ClosedWithStock, then sold out; "pick another zone" takes the best', () => {
    const stock = [
      { zone: 'cn-hangzhou-b', in_stock: false, status_category: 'ClosedWithoutStock' },
      { zone: 'cn-hangzhou-c', in_stock: true, status_category: 'ClosedWithStock' },
      { zone: 'cn-hangzhou-d', in_stock: false, status_category: 'WithoutStock' },
      { zone: 'cn-hangzhou-e', in_stock: true, status_category: 'WithStock' },
    ]
    expect(rankZones(stock).map((z) => z.zone)).toEqual(['cn-hangzhou-e', 'cn-hangzhou-c', 'cn-hangzhou-d', 'cn-hangzhou-b'])
    const soldOutHere = chooseInstanceType({ original: 'ecs.g7.xlarge', zone: 'cn-hangzhou-d', stock, types: ['ecs.g7e.xlarge'], resume: 'x' }, {})
    expect(soldOutHere.kind === 'ask' && soldOutHere.options.map((o) => o.value)).toEqual(['ecs.g7e.xlarge', 'zone:cn-hangzhou-e'])
  })

  it('offers the closest supported disk category first, never the rejected one', () => {
    expect(rankCategories('cloud_essd_entry', ['cloud_auto', 'cloud_essd', 'cloud_efficiency'])).toEqual(['cloud_essd', 'cloud_auto', 'cloud_efficiency'])
    expect(rankCategories('cloud_essd', ['cloud_essd', 'cloud_efficiency', 'cloud_auto'])).toEqual(['cloud_auto', 'cloud_efficiency'])
    expect(takesPerformanceLevel('cloud_essd')).toBe(true)
    for (const c of ['cloud_auto', 'cloud_essd_entry', 'cloud_efficiency']) expect(takesPerformanceLevel(c)).toBe(false)
  })

  it('suggests a VSwitch CIDR of the source size (a /24 at most) that overlaps no VSwitch of the VPC', () => {
    expect(suggestCidr('172.16.0.0/24', ['172.16.0.0/24', '172.16.1.0/24'])).toBe('172.16.2.0/24')
    expect(suggestCidr('192.168.0.0/16', ['192.168.0.0/24', '192.168.2.0/23'])).toBe('192.168.1.0/24')
    expect(suggestCidr('10.0.8.0/26', ['10.0.8.0/26', '10.0.0.0/29'])).toBe('10.0.0.64/26')
    expect(suggestCidr('nonsense', [])).toBeUndefined()
    expect(overlaps(parseCidr('172.16.0.0/16')!, parseCidr('172.16.5.0/24')!)).toBe(true)
    expect(overlaps(parseCidr('172.16.4.0/24')!, parseCidr('172.16.5.0/24')!)).toBe(false)
    expect(isNetworkAddress('172.16.2.0/24')).toBe(true)
    expect(isNetworkAddress('172.16.2.5/24')).toBe(false)
    expect(parseCidr('300.1.1.0/24')).toBeUndefined()
  })

  it('idempotency tokens: the same request gives the same token whatever the flag order; another request another token', () => {
    const a = clientToken(NONCE, 'image', api('ecs', 'create-image', { 'biz-region-id': REGION, 'instance-id': SOURCE_ID, 'image-name': 'x1' }))
    const same = clientToken(NONCE, 'image', api('ecs', 'create-image', { 'image-name': 'x1', 'instance-id': SOURCE_ID, 'biz-region-id': REGION }))
    const other = clientToken(NONCE, 'image', api('ecs', 'create-image', { 'biz-region-id': REGION, 'instance-id': SOURCE_ID, 'image-name': 'x2' }))
    const otherRun = clientToken('0123456789ab', 'image', api('ecs', 'create-image', { 'biz-region-id': REGION, 'instance-id': SOURCE_ID, 'image-name': 'x1' }))
    expect(a).toBe(same)
    expect(new Set([a, other, otherRun]).size).toBe(3)
    expect(a).toMatch(/^dr-4c1e9a7b2d30-image-[0-9a-f]{16}$/)
    expect(a.length).toBeLessThanOrEqual(64)
  })
})

// -------------------------------------------------------------------------------------------
describe('run-instances arguments', () => {
  const plan: Plan = {
    zone: 'cn-hangzhou-j',
    instance_type: 'ecs.g7.xlarge',
    vswitch_id: 'vsw-1',
    vswitch_created: false,
    security_group_id: 'sg-1',
    instance_name: 'recovery-web',
    instance_charge_type: 'PrePaid',
    internet_charge_type: 'PayByBandwidth',
    internet_max_bandwidth_out: 0,
    system_disk: { device: '/dev/xvda', category: 'cloud_auto', size: 60, performance_level: null },
    data_disks: [
      { device: '/dev/xvdb', category: 'cloud_essd', size: 100, performance_level: 'PL2' },
      { device: '/dev/xvdc', category: 'cloud_essd_entry', size: 50, performance_level: null },
    ],
    why: {},
  }

  it('reuses the plan (never hard-coded PostPaid/PayByTraffic), one --data-disk Device=… per disk, PL only for cloud_essd', () => {
    const argv = api('ecs', 'run-instances', runInstancesFlags({ 'biz-region-id': REGION, endpoint: `ecs.${REGION}.aliyuncs.com` }, IMAGE_ID, plan))
    const cmd = parseArgv(argv)
    const one = (f: string) => cmd.groups.filter((g) => g.flag === f).map((g) => g.values.join(' '))
    expect(one('--instance-charge-type')).toEqual(['PrePaid'])
    expect(one('--internet-charge-type')).toEqual(['PayByBandwidth'])
    expect(one('--internet-max-bandwidth-out')).toEqual(['0'])
    expect(one('--system-disk-category')).toEqual(['cloud_auto'])
    expect(one('--system-disk-performance-level')).toEqual([])
    expect(one('--data-disk')).toEqual(['Device=/dev/xvdb Category=cloud_essd Size=100 PerformanceLevel=PL2', 'Device=/dev/xvdc Category=cloud_essd_entry Size=50'])
    expect(one('--amount')).toEqual(['1'])
    expect(one('--endpoint')).toEqual(['ecs.cn-hangzhou.aliyuncs.com'])
    expect(argv.join(' ')).not.toMatch(/SnapshotId|--data-disk-\d/)
    const essd = parseArgv(api('ecs', 'run-instances', runInstancesFlags({ 'biz-region-id': REGION, endpoint: `ecs.${REGION}.aliyuncs.com` }, IMAGE_ID, { ...plan, system_disk: { ...plan.system_disk, category: 'cloud_essd', performance_level: 'PL1' }, data_disks: [] })))
    expect(essd.groups.filter((g) => g.flag === '--system-disk-performance-level').map((g) => g.values)).toEqual([['PL1']])
    expect(essd.groups.some((g) => g.flag === '--data-disk')).toBe(false)
    expect(dataDiskArg({ device: '/dev/vdb', category: 'cloud_auto', size: 20, performance_level: null })).toEqual(['Device=/dev/vdb', 'Category=cloud_auto', 'Size=20'])
  })

  it('the comparison names the cause of every difference: a user choice, an unsupported zone, or a configuration error', () => {
    const src: SourceFacts = {
      instance_id: 'i-src', instance_name: 'web', region_id: REGION, zone_id: 'cn-hangzhou-h', instance_type: 'ecs.g7.xlarge', image_id: 'img', os_name: 'Linux', status: 'Running',
      vpc_id: 'vpc-1', vswitch_id: 'vsw-h', security_group_id: 'sg-1', security_group_ids: ['sg-1'], instance_charge_type: 'PostPaid', internet_charge_type: 'PayByTraffic',
      internet_max_bandwidth_out: 5, private_ip: '172.16.0.2',
      disks: [
        { disk_id: 'd-s', type: 'system', device: '/dev/xvda', category: 'cloud_essd_entry', size: 40, performance_level: null },
        { disk_id: 'd-1', type: 'data', device: '/dev/xvdb', category: 'cloud_essd', size: 100, performance_level: 'PL1' },
      ],
    }
    const p: Plan = {
      ...plan,
      instance_type: 'ecs.g8i.xlarge',
      instance_charge_type: 'PostPaid',
      internet_charge_type: 'PayByTraffic',
      internet_max_bandwidth_out: 5,
      system_disk: { device: '/dev/xvda', category: 'cloud_essd', size: 40, performance_level: 'PL0' },
      data_disks: [{ device: '/dev/xvdb', category: 'cloud_essd', size: 100, performance_level: 'PL1' }],
      why: { instance_type: 'ecs.g7.xlarge is sold out in cn-hangzhou-j; ecs.g8i.xlarge was chosen instead', system_disk_category: 'cloud_essd_entry is not offered; cloud_essd was chosen instead' },
    }
    const inst = EcsInstance.parse({
      InstanceId: 'i-new', RegionId: REGION, ZoneId: 'cn-hangzhou-j', InstanceType: 'ecs.g8i.xlarge', Status: 'Running', InstanceChargeType: 'PostPaid', InternetChargeType: 'PayByTraffic',
      InternetMaxBandwidthOut: 1, SecurityGroupIds: { SecurityGroupId: ['sg-1'] }, VpcAttributes: { VpcId: 'vpc-1', VSwitchId: 'vsw-1', PrivateIpAddress: { IpAddress: ['172.16.1.9'] } },
    })
    const rows = compare(src, { id: 'm-1', name: 'n', status: 'Available', progress: '100%', disk_mappings: 2 }, p, inst, [
      { DiskId: 'n-s', Type: 'system', Device: '/dev/xvda', Category: 'cloud_essd', Size: 40, PerformanceLevel: 'PL0' },
      { DiskId: 'n-1', Type: 'data', Device: '/dev/xvdb', Category: 'cloud_essd', Size: 120, PerformanceLevel: 'PL1' },
    ])
    const by = (item: string) => rows.find((r) => r.item === item)!
    expect(by('Instance type')).toMatchObject({ match: false, note: expect.stringMatching(/^user-initiated change: ecs.g7.xlarge is sold out/) })
    expect(by('System disk /dev/xvda')).toMatchObject({ match: false, source: 'cloud_essd_entry · 40 GiB', new: 'cloud_essd · 40 GiB · PL0', note: expect.stringMatching(/^zone unsupported: .*performance level follows the category/) })
    expect(by('Data disk /dev/xvdb')).toMatchObject({ match: false, note: expect.stringMatching(/^configuration error/) })
    expect(by('Bandwidth out (Mbit/s)')).toMatchObject({ match: false, source: '5', new: '1', note: expect.stringMatching(/^configuration error/) })
    expect(by('Zone')).toMatchObject({ match: true, note: 'differs, as intended' })
    expect(rows.filter((r) => !r.match).map((r) => r.item)).toEqual(['Instance type', 'Bandwidth out (Mbit/s)', 'System disk /dev/xvda', 'Data disk /dev/xvdb'])
  })
})

// -------------------------------------------------------------------------------------------
describe('the recovery, replayed', () => {
  it('happy path with two data disks (the bin as a process): image, stock, existing VSwitch, run-instances, verified comparison (exit 0)', async () => {
    const res = await replayBin(scenarios['happy-path'], ARGS['happy-path'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json.status).toBe('completed')
    const d = res.json.data
    expect(d.run_id).toBe(res.json.run_id)
    expect(d.source).toMatchObject({ instance_id: SOURCE_ID, zone_id: 'cn-hangzhou-h', instance_type: 'ecs.g7.xlarge', vpc_id: 'vpc-bp1dr0vpc00001', security_group_id: 'sg-bp1dr0web00001', instance_charge_type: 'PostPaid', internet_charge_type: 'PayByTraffic', internet_max_bandwidth_out: 5 })
    expect(d.source.disks.map((x: { device: string; category: string; size: number; performance_level: string | null }) => [x.device, x.category, x.size, x.performance_level])).toEqual([
      ['/dev/xvda', 'cloud_essd', 40, 'PL0'],
      ['/dev/xvdb', 'cloud_essd', 100, 'PL1'],
      ['/dev/xvdc', 'cloud_auto', 200, null],
    ])
    expect(d.image).toMatchObject({ id: IMAGE_ID, status: 'Available', progress: '100%', disk_mappings: 3 })
    expect(d.stock.zones).toEqual([
      { zone: 'cn-hangzhou-i', in_stock: false, status_category: 'WithoutStock' },
      { zone: 'cn-hangzhou-j', in_stock: true, status_category: 'WithStock' },
      { zone: 'cn-hangzhou-k', in_stock: true, status_category: 'WithStock' },
    ])
    expect(d.target).toMatchObject({ zone: TARGET, instance_type: 'ecs.g7.xlarge', vswitch_id: ZONE_J_VSW, vswitch_created: false, instance_name: 'recovery-web-prod-01' })
    expect(d.new_instance).toEqual({ instance_id: NEW_ID, instance_name: 'recovery-web-prod-01', status: 'Running', zone_id: TARGET, private_ip: '172.16.1.45' })
    expect(d.mismatches).toBe(0)
    expect(d.comparison.map((r: { item: string }) => r.item)).toEqual([
      'Region', 'Zone', 'Status', 'Instance type', 'Private IP', 'VPC', 'VSwitch', 'Security group', 'Instance charge type', 'Internet charge type',
      'Bandwidth out (Mbit/s)', 'Image disk mappings', 'System disk /dev/xvda', 'Data disk /dev/xvdb', 'Data disk /dev/xvdc',
    ])
    expect(row(res, 'Security group')).toMatchObject({ source: 'sg-bp1dr0web00001, sg-bp1dr0ops00001', new: 'sg-bp1dr0web00001', match: true, note: 'first reused; not reused: sg-bp1dr0ops00001' })

    // The seed's order, and every API line with --biz-region-id, --endpoint and one session id.
    const all = calls(res)
    expect(all.slice(0, 4)).toEqual(['aliyun version', 'aliyun configure set --auto-plugin-install true', 'aliyun plugin update', 'aliyun configure list'])
    expect(apiCalls(res).map((c) => c.split(' ').slice(1, 3).join(' '))).toEqual([
      'ecs describe-instances', 'ecs describe-disks', 'ecs create-image', 'ecs describe-images', 'ecs describe-images', 'ecs describe-images', 'ecs describe-available-resource',
      'ecs describe-vswitches', 'ecs describe-available-resource', 'ecs run-instances', 'ecs describe-instances', 'ecs describe-instances', 'ecs describe-instances', 'ecs describe-disks',
    ])
    for (const c of apiCalls(res)) {
      expect(c).toContain(' --biz-region-id cn-hangzhou ')
      expect(c).toContain(' --endpoint ecs.cn-hangzhou.aliyuncs.com ')
      expect(c).toMatch(UA)
      expect(c).not.toMatch(/ai-mode|--region-id|SnapshotId|--data-disk-\d/)
    }
    expect(sessions(res).size).toBe(1)
    expect(all.filter((c) => !apiCalls(res).includes(c)).some((c) => c.includes('--user-agent'))).toBe(false)
    expect(all[4]).toContain(`--instance-ids ${JSON.stringify([SOURCE_ID])}`)
    const run = apiCalls(res).find((c) => c.includes('run-instances'))!
    expect(run).toContain('--data-disk Device=/dev/xvdb Category=cloud_essd Size=100 PerformanceLevel=PL1 --data-disk Device=/dev/xvdc Category=cloud_auto Size=200 --amount 1')
    expect(run).toContain('--system-disk-category cloud_essd --system-disk-size 40 --system-disk-performance-level PL0')
    expect(run).toContain('--security-group-id sg-bp1dr0web00001 --instance-name recovery-web-prod-01 --instance-charge-type PostPaid --internet-charge-type PayByTraffic --internet-max-bandwidth-out 5')
    expect(apiCalls(res).find((c) => c.includes('create-image'))).toContain('--description System image for AZ disaster recovery')
    expect(apiCalls(res).filter((c) => c.includes('describe-available-resource'))[0]).toContain('--destination-resource InstanceType --instance-type ecs.g7.xlarge --instance-charge-type PostPaid')

    // The run id is announced before any cloud call, and the finished run is recorded as completed.
    expect(res.stderr.split('\n')[0]).toContain(`ecs-dr run ${d.run_id}; state in`)
    expect(res.stderr).toMatch(/image m-bp1dr0image00001: Creating 80% after 1 min/)
    const state = stateFile(res, d.run_id)
    expect(state.status).toBe('completed')
    expect(state.state).toMatchObject({ image: { id: IMAGE_ID }, launch: { instance_id: NEW_ID }, session_id: [...sessions(res)][0] })
  })

  it('renders the human report: source facts, zone stock and the comparison as tables', async () => {
    const res = await replaySkill(scenarios['happy-path'], ARGS['happy-path'], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/Source instance i-bp1dr0source0001\nName: +web-prod-01/)
    expect(res.stdout).toMatch(/│ Disk +│ Type +│ Device +│ Category +│ Size \(GiB\) │ PL +│/)
    expect(res.stdout).toMatch(/Zone stock: ecs\.g7\.xlarge \(PostPaid\)\n┌/)
    expect(res.stdout).toMatch(/│ cn-hangzhou-i │ Sold out \(WithoutStock\) │/)
    expect(res.stdout).toMatch(/│ Data disk \/dev\/xvdb +│ cloud_essd · 100 GiB · PL1 +│ cloud_essd · 100 GiB · PL1 +│ ✔ +│ same/)
    expect(res.stdout).toContain('Every row matches: the backup is complete.')
    expect(res.stdout).toMatch(/✔ ecs-dr( ecs-dr)?: completed/)
  })

  it('image still Creating at 5 minutes: --on-image-timeout wait keeps polling every 60 s until Available', async () => {
    const res = await replaySkill(scenarios['image-creating-at-5-min'], ARGS['image-creating-at-5-min'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(res.json.status).toBe('completed')
    expect(apiCalls(res).filter((c) => c.includes('describe-images'))).toHaveLength(8)
    expect(apiCalls(res).find((c) => c.includes('describe-images'))).toContain('--image-id m-bp1dr0image00001 --status Creating,Available,UnAvailable')
    expect(res.stderr).toMatch(/Creating 60% after 5 min/)
    expect(res.stderr).toMatch(/waiting up to 5 min more/)
    expect(res.stderr).toMatch(/Available 100% after 7 min/)
  })

  it('"keep waiting" is bounded: still Creating after 60 minutes in one run times out (exit 5), resumable', async () => {
    const polls = Array.from({ length: 61 }, (_, i) => imagePoll('Creating', `${Math.min(99, i + 1)}%`))
    const res = await replaySkill(t('forever', [...preflight(), ...source(), createImage(), ...polls]), ARGS['image-creating-at-5-min'])
    expectCleanReplay(res)
    expect(res.code).toBe(5)
    expect(res.json.status).toBe('timed_out')
    expect(res.json.error).toMatchObject({ code: 'ImageStillCreating', message: 'Image m-bp1dr0image00001 is still Creating (61%) after 60 min.' })
    expect(res.json.next_action).toContain(`--resume ${res.json.data.run_id}`)
    expect(stateFile(res, res.json.data.run_id)).toMatchObject({ status: 'active', state: { image: { status: 'Creating', progress: '61%' } } })
  })

  it('D6: a PrePaid source with PayByBandwidth and 0 Mbit/s — stock checks and run-instances use its values, never literals', async () => {
    const world = { ...WORLD, chargeType: 'PrePaid', internetChargeType: 'PayByBandwidth', bandwidth: 0 }
    const l = { ...HAPPY, world }
    const scenario = t('prepaid', [
      ...preflight(),
      ...source(world),
      createImage(),
      imagePoll('Available', '100%', { world }),
      stock(undefined, world),
      vswitches(),
      systemDisks(TARGET, l.type, J_DISKS, world),
      runInstances(l),
      ...verify(l),
    ])
    const res = await replaySkill(scenario, HAPPY_ARGS)
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    for (const c of apiCalls(res).filter((x) => x.includes('describe-available-resource'))) expect(c).toContain('--instance-charge-type PrePaid')
    expect(apiCalls(res).find((c) => c.includes('run-instances'))).toContain('--instance-charge-type PrePaid --internet-charge-type PayByBandwidth --internet-max-bandwidth-out 0')
    expect(apiCalls(res).join('\n')).not.toMatch(/PostPaid|PayByTraffic/)
    expect(res.json.data.mismatches).toBe(0)
  })

  it('image UnAvailable: stops with the image Description, creates nothing else, and the run cannot be resumed', async () => {
    const res = await replaySkill(scenarios['image-unavailable'], ARGS['image-unavailable'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json.status).toBe('stopped')
    expect(res.json.error.code).toBe('ImageUnAvailable')
    expect(res.json.error.message).toBe('Image m-bp1dr0image00001 is UnAvailable: Create snapshot failed: the disk d-bp1dr0data00001 is in an abnormal state.')
    expect(apiCalls(res).some((c) => /describe-available-resource|run-instances|create-vswitch/.test(c))).toBe(false)
    expect(stateFile(res, res.json.data.run_id)).toMatchObject({ status: 'stopped', ended_because: 'ImageUnAvailable' })
    const again = await replaySkill(t('none', []), [...ARGS['image-unavailable'], '--resume', res.json.data.run_id], { dir: res.dir })
    expect(again.code).toBe(2)
    expect(again.json.error.code).toBe('RunEnded')
  })

  it('VSwitch missing in the target zone: --create-vswitch --cidr-block creates it on the VPC endpoint and the instance uses it', async () => {
    const res = await replaySkill(scenarios['vswitch-missing-created'], ARGS['vswitch-missing-created'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    const create = apiCalls(res).find((c) => c.includes('create-vswitch'))!
    expect(create).toMatch(/^aliyun vpc create-vswitch --biz-region-id cn-hangzhou --endpoint vpc\.cn-hangzhou\.aliyuncs\.com --vpc-id vpc-bp1dr0vpc00001 --zone-id cn-hangzhou-k --cidr-block 172\.16\.2\.0\/24 --client-token dr-/)
    expect(apiCalls(res).find((c) => c.includes('run-instances'))).toContain(`--zone-id cn-hangzhou-k --image-id ${IMAGE_ID} --instance-type ecs.g7.xlarge --vswitch-id ${NEW_VSW}`)
    expect(res.json.data.target).toMatchObject({ zone: 'cn-hangzhou-k', vswitch_id: NEW_VSW, vswitch_created: true, cidr_block: '172.16.2.0/24' })
    expect(stateFile(res, res.json.data.run_id).state.created_vswitch).toEqual({ id: NEW_VSW, zone: 'cn-hangzhou-k', cidr_block: '172.16.2.0/24' })
    expect(row(res, 'VSwitch')).toMatchObject({ match: true, note: 'created by this run' })
  })

  it('instance type sold out in the target zone: the alternative is checked against the zone listing, used, and explained', async () => {
    const res = await replaySkill(scenarios['type-out-of-stock-alternative'], ARGS['type-out-of-stock-alternative'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(apiCalls(res).filter((c) => c.includes('describe-available-resource'))[1]).toContain('--destination-resource InstanceType --zone-id cn-hangzhou-j --instance-charge-type PostPaid')
    expect(apiCalls(res).find((c) => c.includes('run-instances'))).toContain('--instance-type ecs.g8i.xlarge')
    expect(row(res, 'Instance type')).toMatchObject({ source: 'ecs.g7.xlarge', new: 'ecs.g8i.xlarge', match: false, note: 'user-initiated change: ecs.g7.xlarge is sold out in cn-hangzhou-j; ecs.g8i.xlarge was chosen instead' })
    expect(row(res, 'Instance type').cause).toBe('user_choice')
    expect(res.json.data).toMatchObject({ mismatches: 1, unexplained: 0 })
    expect(res.json.next_action).toMatch(/Review the 1 row/)
    const human = await replaySkill(scenarios['type-out-of-stock-alternative'], ARGS['type-out-of-stock-alternative'], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('The backup is complete; 1 row(s) differ as decided: Instance type — user-initiated change: ecs.g7.xlarge is sold out in cn-hangzhou-j')
  })

  it('unsupported system disk category: --system-disk-category cloud_essd answers the decision with an explicit PL0', async () => {
    const res = await replaySkill(scenarios['system-disk-unsupported'], ARGS['system-disk-unsupported'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    expect(apiCalls(res).find((c) => c.includes('run-instances'))).toContain('--system-disk-category cloud_essd --system-disk-size 40 --system-disk-performance-level PL0')
    expect(row(res, 'System disk /dev/xvda')).toMatchObject({ source: 'cloud_essd_entry · 40 GiB', new: 'cloud_essd · 40 GiB · PL0', match: false, cause: 'zone_unsupported', note: expect.stringMatching(/^zone unsupported: cloud_essd_entry is not offered for the system disk of ecs.g7.xlarge in cn-hangzhou-j; cloud_essd was chosen instead/) })
    expect(res.json.status).toBe('completed')
  })

  it('a disk that differs with no decision behind it fails the verification (exit 1): comparison reported, resources kept, run resumable', async () => {
    const res = await replaySkill(scenarios['verification-mismatch'], ARGS['verification-mismatch'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json.success).toBe(false)
    expect(res.json.status).toBe('failed')
    expect(res.json.error.code).toBe('VerificationFailed')
    expect(res.json.error.message).toContain(`new instance ${NEW_ID} differ from the source`)
    expect(res.json.error.message).toContain('Data disk /dev/xvdb: source cloud_essd · 100 GiB · PL1, new cloud_essd · 100 GiB · PL0')
    expect(res.json.error.message).toContain(`The new instance and image ${IMAGE_ID} are kept`)
    const runId = res.json.data.run_id
    expect(res.json.next_action).toMatch(new RegExp(`^Check ${NEW_ID} in the ECS console: .*then verify again with: aliyun-harness ecs-dr .*--resume ${runId}$`))
    expect(res.json.data).toMatchObject({ new_instance: { instance_id: NEW_ID, status: 'Running' }, mismatches: 1, unexplained: 1 })
    expect(row(res, 'Data disk /dev/xvdb')).toMatchObject({ match: false, cause: 'unexplained', note: expect.stringMatching(/^configuration error/) })
    expect(res.json.data.comparison.filter((r: { match: boolean }) => !r.match)).toHaveLength(1)
    expect(apiCalls(res).filter((c) => c.includes('run-instances'))).toHaveLength(1)
    expect(stateFile(res, runId)).toMatchObject({ status: 'active', state: { launch: { instance_id: NEW_ID } } })

    const human = await replaySkill(scenarios['verification-mismatch'], ARGS['verification-mismatch'], { env: { ALIYUN_HARNESS_OUTPUT: 'human' } })
    expect(human.code).toBe(1)
    expect(human.stdout).toMatch(/│ Data disk \/dev\/xvdb +│ cloud_essd · 100 GiB · PL1 +│ cloud_essd · 100 GiB · PL0 +│ ✖ +│ configuration error/)
    expect(human.stdout).toContain('Verification failed: 1 row(s) differ with no decision behind them: Data disk /dev/xvdb')
    expect(human.stdout).not.toContain('the backup is complete')
  })

  it('continuing a failed verification after the fix reads only the new instance again and completes', async () => {
    const first = await replaySkill(scenarios['verification-mismatch'], ARGS['verification-mismatch'])
    const runId = first.json.data.run_id
    const again = await replaySkill(scenarios['verification-rechecked'], [...ARGS['verification-rechecked'], '--resume', runId], { dir: first.dir })
    expectCleanReplay(again)
    expect(again.code).toBe(0)
    expect(again.json.status).toBe('completed')
    expect(again.json.data).toMatchObject({ run_id: runId, mismatches: 0, unexplained: 0 })
    expect(apiCalls(again).map((c) => c.split(' ').slice(1, 3).join(' '))).toEqual(['ecs describe-instances', 'ecs describe-disks'])
    expect(stateFile(again, runId).status).toBe('completed')
  })

  it('Forbidden.RAM on the source lookup: a stop that names every RAM action ecs-dr needs and how to continue once granted; nothing created', async () => {
    const res = await replaySkill(scenarios['permission-denied-source'], ARGS['permission-denied-source'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json).toMatchObject({ status: 'stopped', error: { code: 'PermissionDenied', required_permissions: policy.permissions!.ram } })
    expect(res.json.error.message).toContain(`This workflow needs these RAM actions: ${policy.permissions!.ram.join(', ')}.`)
    expect(res.json.next_action).toBe(`Once the permissions are granted, continue with: aliyun-harness ecs-dr --region ${REGION} --instance-id ${SOURCE_ID} --resume ${res.json.data.run_id}`)
    expect(apiCalls(res).filter((c) => /create-image|run-instances|create-vswitch/.test(c))).toEqual([])
  })

  it.each([
    ['QuotaExceed.ElasticQuota', 'No additional quota is available for the specified ECS instance type.'],
    ['QuotaExceeded', 'Living instances quota exceeded in this VPC.'],
    ['QuotaExceeded.PrivateIpAddress', "Don't have enough private IPs in this switch"],
  ])('%s on run-instances (both quota prefixes): stop with the Quota Center link; the image is kept and the run resumable', async (code, message) => {
    const scenario =
      code === 'QuotaExceed.ElasticQuota'
        ? scenarios['quota-exceeded']
        : t(code, [...scenarios['quota-exceeded'].entries.slice(0, -1), b.apiError(runInstancesArgv(HAPPY), { code, message })])
    const res = await replaySkill(scenario, ARGS['quota-exceeded'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json.status).toBe('stopped')
    expect(res.json.error.code).toBe(code)
    expect(res.json.error.message).toContain(message)
    expect(res.json.next_action).toContain('https://quotas.console.aliyun.com/products/ecs/quotas')
    expect(res.json.next_action).toContain(`--resume ${res.json.data.run_id}`)
    expect(apiCalls(res).filter((c) => c.includes('run-instances'))).toHaveLength(1)
    expect(res.json.data.image.id).toBe(IMAGE_ID)
    expect(stateFile(res, res.json.data.run_id).status).toBe('active')
  })

  it('re-running the same command after the quota stop continues the run: same run and session, no second image', async () => {
    const first = await replaySkill(scenarios['quota-exceeded'], ARGS['quota-exceeded'])
    expect(first.json.status).toBe('stopped')
    const again = await replaySkill(scenarios['resumed-after-quota'], ARGS['resumed-after-quota'], { dir: first.dir })
    expectCleanReplay(again)
    expect(again.code).toBe(0)
    expect(again.json.status).toBe('completed')
    expect(again.json.data.run_id).toBe(first.json.data.run_id)
    expect(again.json.data.resumed).toBe(true)
    expect(again.stderr).toContain(`Continuing unfinished run ${first.json.data.run_id}`)
    expect(apiCalls(again).some((c) => /create-image|describe-images|describe-instances --biz-region-id cn-hangzhou --endpoint ecs.cn-hangzhou.aliyuncs.com --instance-ids \["i-bp1dr0source0001"\]/.test(c))).toBe(false)
    expect([...sessions(again)]).toEqual([...sessions(first)])
    // The retried run-instances carries the same idempotency token as the refused one.
    expect(apiCalls(again).find((c) => c.includes('run-instances'))).toBe(apiCalls(first).find((c) => c.includes('run-instances')))
  })

  it('OperationDenied.NoStock on run-instances: a decision between alternatives in the zone and another zone (exit 3)', async () => {
    const res = await replaySkill(scenarios['no-stock-on-run-instances'], ARGS['no-stock-on-run-instances'])
    expectCleanReplay(res)
    expect(res.code).toBe(3)
    expect(res.json.status).toBe('needs_input')
    expect(res.json.input.id).toBe('no-stock')
    expect(res.json.input.question).toBe('run-instances: ecs.g7.xlarge is out of stock in cn-hangzhou-j (OperationDenied.NoStock). Pick an alternative:')
    const id = res.json.data.run_id
    expect(res.json.input.options.map((o: { value: string; recommended: boolean }) => [o.value, o.recommended])).toEqual([
      ['ecs.g8i.xlarge', true],
      ['ecs.g6.xlarge', false],
      ['ecs.c7.xlarge', false],
      ['zone:cn-hangzhou-k', false],
    ])
    expect(res.json.input.options[0].command).toBe(`aliyun-harness ecs-dr --region cn-hangzhou --instance-id ${SOURCE_ID} --image-name Create_from_${SOURCE_ID} --target-zone cn-hangzhou-j --instance-type ecs.g8i.xlarge --vswitch-id ${ZONE_J_VSW} --resume ${id}`)
    expect(res.json.input.options[3].command).toBe(`aliyun-harness ecs-dr --region cn-hangzhou --instance-id ${SOURCE_ID} --image-name Create_from_${SOURCE_ID} --target-zone cn-hangzhou-k --instance-type ecs.g7.xlarge --resume ${id}`)
    expect(apiCalls(res).filter((c) => c.includes('run-instances'))).toHaveLength(1)
  })

  it('IncorrectImageStatus on run-instances: back to the image wait, then the same run-instances (same token) succeeds', async () => {
    const res = await replaySkill(scenarios['image-not-ready-on-run-instances'], ARGS['image-not-ready-on-run-instances'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    const seq = apiCalls(res).map((c) => c.split(' ')[2])
    const first = seq.indexOf('run-instances')
    expect(seq.slice(first, first + 3)).toEqual(['run-instances', 'describe-images', 'run-instances'])
    const runs = apiCalls(res).filter((c) => c.includes('run-instances'))
    expect(runs[0]).toBe(runs[1])
    expect(res.stderr).toContain('the image is not ready')
  })

  it('transient ServiceUnavailable on create-image: retried 15 s apart with the same token, then success', async () => {
    const res = await replaySkill(scenarios['transient-then-success'], ARGS['transient-then-success'])
    expectCleanReplay(res)
    expect(res.code).toBe(0)
    const creates = apiCalls(res).filter((c) => c.includes('create-image'))
    expect(creates).toHaveLength(3)
    expect(new Set(creates).size).toBe(1)
    expect(res.stderr).toContain('create image: ServiceUnavailable is a transient server-side error; waiting 15 s before retry 1 of 3.')
    expect(res.stderr).toContain('retry 2 of 3')
    expect(res.json.steps.filter((s: { step: string }) => s.step === 'create image').map((s: { attempt: number; error_code?: string }) => [s.attempt, s.error_code ?? null])).toEqual([
      [1, 'ServiceUnavailable'],
      [2, 'ServiceUnavailable'],
      [3, null],
    ])
  })

  it('transient codes give up after 3 retries; a non-retryable create-image code stops at once with its cause', async () => {
    const unavailable = { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' }
    const four = t('x', [...preflight(), ...source(), ...[1, 2, 3, 4].map(() => b.apiError(createImageArgv(), unavailable))])
    const res = await replaySkill(four, HAPPY_ARGS)
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json.error.code).toBe('ServiceUnavailable')
    expect(apiCalls(res).filter((c) => c.includes('create-image'))).toHaveLength(4)

    const duplicated = t('dup', [...preflight(), ...source(), b.apiError(createImageArgv(), { code: 'InvalidImageName.Duplicated', message: 'The specified Image name has already been used.' })])
    const dup = await replaySkill(duplicated, HAPPY_ARGS)
    expectCleanReplay(dup)
    expect(dup.code).toBe(1)
    expect(dup.json.status).toBe('stopped')
    expect(dup.json.error).toMatchObject({ code: 'InvalidImageName.Duplicated', message: 'create-image failed: InvalidImageName.Duplicated: The specified Image name has already been used.' })
    expect(dup.json.next_action).toMatch(/^Choose another name with --image-name\. Then continue with: aliyun-harness ecs-dr .* --resume [0-9a-f]{12}$/)
  })

  it('a run killed after create-image, continued with --resume, keeps its session id and never creates a second image', async () => {
    const dir = tempDir()
    let killed = false
    // The bundled recording, with its in-flight image poll held open until the run is killed.
    const killedRun = structuredClone(scenarios['killed-after-create-image'])
    const poll = killedRun.entries.at(-1) as CliEntry
    expect(poll.argv.slice(0, 2)).toEqual(['ecs', 'describe-images'])
    poll.hang = true
    const first = await replayBin(killedRun, ARGS['killed-after-create-image'], {
      dir,
      onSpawn: interruptWhenHeld(/ecs describe-images/, 'SIGTERM', () => (killed = true)),
    })
    expect(killed).toBe(true)
    expect(first.code).toBe(143)
    expect(first.json.status).toBe('stopped')
    expect(first.json.error.code).toBe('Interrupted')
    const runId = first.json.data.run_id
    expect(first.json.next_action).toContain(`--resume ${runId}`)
    expect(first.report?.misses).toEqual([])
    const saved = stateFile(first, runId)
    expect(saved.status).toBe('active')
    expect(saved.state.image).toMatchObject({ id: IMAGE_ID, status: 'Creating' })

    const second = await replaySkill(scenarios['resumed-after-kill'], [...ARGS['resumed-after-kill'], '--resume', runId], { dir })
    expectCleanReplay(second)
    expect(second.code).toBe(0)
    expect(second.json.status).toBe('completed')
    expect(second.json.data).toMatchObject({ run_id: runId, resumed: true, image: { id: IMAGE_ID, status: 'Available' }, new_instance: { instance_id: NEW_ID } })
    // The result names the run it continued, not a new one.
    expect(second.json.run_id).toBe(runId)
    expect(apiCalls(second).some((c) => c.includes('create-image'))).toBe(false)
    expect(apiCalls(second)[0]).toContain('describe-images')
    expect(sessions(first).size).toBe(1)
    expect([...sessions(second)]).toEqual([...sessions(first)])
    expect(stateFile(second, runId).status).toBe('completed')

    // A completed run resumed again is a no-op that shows the result without calling anything.
    const third = await replaySkill(t('none', []), [...BASE_ARGS, '--resume', runId], { dir })
    expectCleanReplay(third)
    expect(third.code).toBe(0)
    expect(third.json.status).toBe('noop')
    expect(third.json.run_id).toBe(runId)
    expect(third.json.data.new_instance.instance_id).toBe(NEW_ID)
    expect(calls(third)).toEqual([])
  })
})

// -------------------------------------------------------------------------------------------
describe('decisions in JSON mode: exit 3, 2–4 options, each with a command that resumes the run', () => {
  const cases: [string, string, string, string[]][] = [
    ['decision-image-name', 'image-name', '--image-name', [`Create_from_${SOURCE_ID}`, `DR_${SOURCE_ID}_20261120`]],
    ['decision-image-timeout', 'image-timeout', '--on-image-timeout', ['wait', 'console', 'abort']],
    ['decision-target-zone', 'target-zone', '--target-zone', ['cn-hangzhou-j', 'cn-hangzhou-k', 'cn-hangzhou-i']],
    ['decision-instance-type', 'instance-type', '--instance-type', ['ecs.g7.xlarge', 'ecs.g8i.xlarge', 'ecs.g6.xlarge', 'ecs.c7.xlarge']],
    ['decision-instance-type-sold-out', 'instance-type', '--instance-type', ['ecs.g7e.xlarge', 'ecs.g8i.xlarge', 'ecs.c7.xlarge', 'zone:cn-hangzhou-k']],
    ['decision-vswitch', 'vswitch', '--create-vswitch', ['create', 'zone:cn-hangzhou-j']],
    ['decision-system-disk', 'system-disk-category', '--system-disk-category', ['cloud_essd', 'cloud_auto']],
    ['disk-category-rejected', 'system-disk-category', '--system-disk-category', ['cloud_auto', 'cloud_efficiency']],
    ['no-stock-on-run-instances', 'no-stock', '--instance-type', ['ecs.g8i.xlarge', 'ecs.g6.xlarge', 'ecs.c7.xlarge', 'zone:cn-hangzhou-k']],
    ['decision-target-zone-closed-with-stock', 'target-zone', '--target-zone', ['cn-hangzhou-k', 'cn-hangzhou-j', 'cn-hangzhou-i']],
    ['decision-instance-type-other-sizes', 'instance-type', '--instance-type', ['ecs.g7.xlarge', 'ecs.g7.2xlarge', 'ecs.c7.4xlarge', 'zone:cn-hangzhou-k']],
    ['decision-instance-type-only-original', 'instance-type', '--instance-type', ['ecs.g7.xlarge', 'zone-question']],
  ]

  it.each(cases)('%s → %s', async (name, id, flag, values) => {
    const res = await replaySkill(scenarios[name as keyof typeof scenarios], ARGS[name as keyof typeof ARGS])
    expectCleanReplay(res)
    expect(res.code).toBe(3)
    expect(res.json.status).toBe('needs_input')
    expect(res.json.error).toBeNull()
    expect(res.json.input).toMatchObject({ id, flag })
    const runId = res.json.data.run_id
    expect(runId).toMatch(/^[0-9a-f]{12}$/)
    const options = res.json.input.options as { value: string; recommended: boolean; argv: string[]; command: string }[]
    expect(options.map((o) => o.value)).toEqual(values)
    expect(options.length).toBeGreaterThanOrEqual(2)
    expect(options.length).toBeLessThanOrEqual(4)
    expect(options[0].recommended).toBe(true)
    expect(options.filter((o) => o.recommended)).toHaveLength(1)
    for (const o of options) {
      expect(o.argv.slice(0, 5)).toEqual(BASE_ARGS)
      expect(o.argv.slice(-2)).toEqual(['--resume', runId])
      expect(o.command).toBe(shellLine(['aliyun-harness', ...o.argv]))
      // The decided flag appears once, and no other answer was dropped on the way.
      expect(o.argv.filter((x) => x === '--resume')).toHaveLength(1)
    }
    // An option that answers the decided flag carries its value right after it (zone moves and
    // --create-vswitch carry their answers in other flags).
    const answering = flag === '--create-vswitch' ? [] : options.filter((o) => !/^zone[:-]/.test(o.value))
    for (const o of answering) expect(o.argv[o.argv.indexOf(flag) + 1]).toBe(o.value)
    expect(stateFile(res, runId).status).toBe('active')
    expect(res.json.next_action).toBe(`Choose one option and run its command (or pass ${flag} up front).`)
  })

  it('the zone decision shows the stock table (zone + stock only) as its context', async () => {
    const res = await replaySkill(scenarios['decision-target-zone'], ARGS['decision-target-zone'])
    expect(res.json.input.context).toBe(
      ['Stock of ecs.g7.xlarge (PostPaid) in the other zones of cn-hangzhou:', 'Zone           Stock', 'cn-hangzhou-i  Sold out (WithoutStock)', 'cn-hangzhou-j  In stock (WithStock)', 'cn-hangzhou-k  In stock (WithStock)'].join('\n'),
    )
    expect(res.json.input.options[0].label).toBe('cn-hangzhou-j (in stock: WithStock)')
  })

  it('the zone decision recommends WithStock before ClosedWithStock and says what ClosedWithStock means', async () => {
    const res = await replaySkill(scenarios['decision-target-zone-closed-with-stock'], ARGS['decision-target-zone-closed-with-stock'])
    expectCleanReplay(res)
    expect(res.json.input.options.map((o: { label: string; recommended: boolean }) => [o.label, o.recommended])).toEqual([
      ['cn-hangzhou-k (in stock: WithStock)', true],
      ['cn-hangzhou-j (in stock: ClosedWithStock — low stock that will not be replenished)', false],
      ['cn-hangzhou-i (sold out: other types will be offered)', false],
    ])
    expect(res.json.input.context).toContain('cn-hangzhou-j  In stock (ClosedWithStock: low stock that will not be replenished)')
  })

  it('the type decision never has a single option: other sizes and another zone when nothing of the source size is in stock', async () => {
    const res = await replaySkill(scenarios['decision-instance-type-other-sizes'], ARGS['decision-instance-type-other-sizes'])
    expectCleanReplay(res)
    expect(res.json.input.question).toBe('Instance type for the new instance in cn-hangzhou-j?')
    expect(res.json.input.options.map((o: { label: string }) => o.label)).toEqual([
      'Keep original type ecs.g7.xlarge',
      'ecs.g7.2xlarge (larger size, in stock)',
      'ecs.c7.4xlarge (larger size, different family, in stock)',
      'Pick another zone: cn-hangzhou-k (ecs.g7.xlarge in stock there)',
    ])
  })

  it('the source type alone in the only zone that has it: the way out is the zone question, and its command asks it', async () => {
    const first = await replaySkill(scenarios['decision-instance-type-only-original'], ARGS['decision-instance-type-only-original'])
    expectCleanReplay(first)
    const runId = first.json.data.run_id
    const [keep, wayOut] = first.json.input.options
    expect(keep).toMatchObject({ label: 'Keep original type ecs.g7.xlarge', recommended: true })
    expect(wayOut.label).toBe('Choose another zone (asks the zone question again, with the stock table)')
    expect(wayOut.argv).toEqual([...BASE_ARGS, '--image-name', IMAGE_NAME, '--resume', runId])

    const again = await replaySkill(t('zone-again', [...preflight(), stock(ONLY_J)]), wayOut.argv, { dir: first.dir })
    expectCleanReplay(again)
    expect(again.code).toBe(3)
    expect(again.json.input.id).toBe('target-zone')
    expect(again.json.input.options.map((o: { value: string }) => o.value)).toEqual(['cn-hangzhou-j', 'cn-hangzhou-i', 'cn-hangzhou-k'])
    expect(again.json.data.run_id).toBe(runId)
  })

  it('a run stopped at the 5-minute image decision continues from it: "Keep waiting" polls the same image, no second create-image', async () => {
    const first = await replaySkill(scenarios['decision-image-timeout'], ARGS['decision-image-timeout'])
    expect(first.json.input.options[1].label).toContain(CONSOLE)
    const keepWaiting = first.json.input.options[0].argv as string[]
    expect(keepWaiting).toContain('--on-image-timeout')
    const cont = t('continue', [...preflight(), imagePoll('Creating', '90%'), imagePoll('Available', '100%'), ...placeAndLaunch()])
    const second = await replaySkill(cont, keepWaiting, { dir: first.dir })
    expectCleanReplay(second)
    expect(second.code).toBe(0)
    expect(second.json.data.run_id).toBe(first.json.data.run_id)
    expect(apiCalls(second).some((c) => c.includes('create-image') || c.includes(describeSourceArgv().join(' ')))).toBe(false)
    expect([...sessions(second)]).toEqual([...sessions(first)])
  })

  it('"Open the console" ends not_ready (exit 5) with the link; "Abort" stops and ends the run, keeping the image', async () => {
    const first = await replaySkill(scenarios['decision-image-timeout'], ARGS['decision-image-timeout'])
    const [, consoleOpt, abortOpt] = first.json.input.options
    const fivePolls = () => ['62%', '64%', '66%', '68%', '70%'].map((p) => imagePoll('Creating', p))

    const viaConsole = await replaySkill(t('console', [...preflight(), imagePoll('Creating', '61%'), ...fivePolls().slice(0, 4), imagePoll('Creating', '69%')]), consoleOpt.argv, { dir: first.dir })
    expectCleanReplay(viaConsole)
    expect(viaConsole.code).toBe(5)
    expect(viaConsole.json.status).toBe('not_ready')
    expect(viaConsole.json.error.message).toContain(CONSOLE)
    expect(viaConsole.json.next_action).toContain(`--resume ${first.json.data.run_id}`)
    expect(stateFile(first, first.json.data.run_id).status).toBe('active')

    const aborted = await replaySkill(t('abort', [...preflight(), imagePoll('Creating', '71%'), ...fivePolls()]), abortOpt.argv, { dir: first.dir })
    expectCleanReplay(aborted)
    expect(aborted.code).toBe(1)
    expect(aborted.json.status).toBe('stopped')
    expect(aborted.json.error.code).toBe('AbortedByUser')
    expect(aborted.json.error.message).toMatch(/The image is kept \(this workflow never deletes anything\)/)
    expect(stateFile(first, first.json.data.run_id)).toMatchObject({ status: 'stopped', ended_because: 'AbortedByUser' })
  })

  it('a flag that cannot apply is asked again with the reason, not substituted', async () => {
    const bad = await replaySkill(scenarios['decision-target-zone'], [...ARGS['decision-target-zone'], '--target-zone', 'cn-hangzhou-h'])
    expectCleanReplay(bad)
    expect(bad.code).toBe(3)
    expect(bad.json.input.context).toMatch(/^--target-zone cn-hangzhou-h is the source zone; the new instance must run in another zone\./)
    expect(bad.json.input.options[0].argv).not.toContain('cn-hangzhou-h')

    const overlap = t('overlap', [...preflight(), ...source(), createImage(), imagePoll('Available', '100%'), stock(), vswitches()])
    const res = await replaySkill(overlap, [...ARGS['decision-vswitch'], '--create-vswitch', '--cidr-block', '172.16.1.0/24'])
    expectCleanReplay(res)
    expect(res.code).toBe(3)
    expect(res.json.input.context).toMatch(/^--cidr-block 172\.16\.1\.0\/24 overlaps vsw-bp1dr0j000001 \(172\.16\.1\.0\/24\)\./)
    expect(res.json.input.options[0].argv.join(' ')).toContain('--create-vswitch --cidr-block 172.16.2.0/24')
    expect(res.json.input.options[0].argv.join(' ')).not.toContain('172.16.1.0/24')
    expect(apiCalls(res).some((c) => c.includes('create-vswitch'))).toBe(false)
  })
})

// -------------------------------------------------------------------------------------------
describe('stops and bad input', () => {
  it.each([
    ['InvalidParameter.Conflict', 'The specified image does not support the specified instance type.', /run-instances rejected the parameters: InvalidParameter.Conflict: The specified image does not support/],
    ['Account.Arrearage', 'Your account has been in arrears.', /the account cannot pay for PostPaid resources/],
    ['InvalidPayMethod', 'The specified pay method is not valid.', /the account cannot pay/],
  ])('%s on run-instances stops with the cause', async (code, message, expected) => {
    const scenario = t(code, [...scenarios['quota-exceeded'].entries.slice(0, -1), b.apiError(runInstancesArgv(HAPPY), { code, message })])
    const res = await replaySkill(scenario, HAPPY_ARGS)
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json.status).toBe('stopped')
    expect(res.json.error.code).toBe(code)
    expect(res.json.error.message).toMatch(expected)
    expect(res.json.next_action).toContain('--resume')
  })

  it('IncorrectImageStatus a third time stops instead of waiting forever', async () => {
    const notReady = () => b.apiError(runInstancesArgv(HAPPY), { code: 'IncorrectImageStatus', message: 'The specified Image is not available.' })
    const scenario = t('not-ready', [...scenarios['quota-exceeded'].entries.slice(0, -1), notReady(), imagePoll('Available', '100%'), notReady(), imagePoll('Available', '100%'), notReady()])
    const res = await replaySkill(scenario, HAPPY_ARGS)
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json.status).toBe('stopped')
    expect(res.json.error.code).toBe('IncorrectImageStatus')
    expect(apiCalls(res).filter((c) => c.includes('run-instances'))).toHaveLength(3)
  })

  it('an unknown run-instances code fails with the full code and message and a ticket hint', async () => {
    const scenario = t('unknown', [...scenarios['quota-exceeded'].entries.slice(0, -1), b.apiError(runInstancesArgv(HAPPY), { code: 'Zone.NotOnSale', message: 'The specified zone is not available for purchase.' })])
    const res = await replaySkill(scenario, HAPPY_ARGS)
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json.status).toBe('failed')
    expect(res.json.error).toMatchObject({ code: 'Zone.NotOnSale', message: 'run-instances failed: Zone.NotOnSale: The specified zone is not available for purchase.' })
    expect(res.json.error.request_id).toMatch(/^7C2F1A4E-/)
    expect(res.json.next_action).toMatch(/open a ticket .* continue with: aliyun-harness ecs-dr/)
  })

  it('an unknown source instance stops with the cause; a permission error names the RAM actions', async () => {
    const empty = t('nf', [...preflight(), b.api(describeSourceArgv(), { Instances: { Instance: [] }, TotalCount: 0, PageNumber: 1, PageSize: 10 })])
    const nf = await replaySkill(empty, HAPPY_ARGS)
    expectCleanReplay(nf)
    expect(nf.code).toBe(1)
    expect(nf.json.error).toMatchObject({ code: 'InstanceNotFound', message: `Instance ${SOURCE_ID} was not found in cn-hangzhou: describe-instances returned no instance with that id.` })

    const denied = t('ram', [...preflight(), b.apiError(describeSourceArgv(), { code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM." })])
    const ram = await replaySkill(denied, HAPPY_ARGS)
    expectCleanReplay(ram)
    expect(ram.code).toBe(1)
    expect(ram.json.status).toBe('stopped')
    expect(ram.json.error.code).toBe('PermissionDenied')
    expect(ram.json.error.message).toContain('ecs:CreateImage, ecs:DescribeImages, ecs:DescribeAvailableResource, ecs:DescribeVSwitches, ecs:RunInstances, vpc:CreateVSwitch')
    expect(ram.json.error.message).toContain('ram-permission-diagnose')
    expect(ram.json.next_action).toMatch(/^Once the permissions are granted, continue with: aliyun-harness ecs-dr --region cn-hangzhou --instance-id i-bp1dr0source0001 --resume [0-9a-f]{12}$/)
  })

  it('CLI older than 3.3.3 and no valid credential profile stop before any API call', async () => {
    const old = await replaySkill(t('old', [b.version('3.3.2')]), HAPPY_ARGS)
    expectCleanReplay(old)
    expect(old.json.error.code).toBe('CliVersionTooOld')
    const none = await replaySkill(t('nocreds', [b.version(), b.autoPluginInstall(), b.pluginUpdate([]), b.configureList([{ name: 'default', current: true, valid: false, region: REGION }])]), HAPPY_ARGS)
    expectCleanReplay(none)
    expect(none.json.status).toBe('stopped')
    expect(none.json.error.code).toBe('NoValidCredentials')
    expect(apiCalls(none)).toEqual([])
  })

  it.each([
    ['--vswitch-id with --create-vswitch', ['--vswitch-id', 'vsw-bp1x', '--create-vswitch', '--cidr-block', '172.16.2.0/24'], /cannot be used together/],
    ['--create-vswitch without --cidr-block', ['--create-vswitch'], /go together/],
    ['a CIDR with host bits', ['--create-vswitch', '--cidr-block', '172.16.2.5/24'], /must be a network address with a \/16 to \/29 mask/],
    ['a /30 CIDR', ['--create-vswitch', '--cidr-block', '172.16.2.0/30'], /\/16 to \/29/],
    ['a zone of another region', ['--target-zone', 'cn-shanghai-b'], /is not a zone of cn-hangzhou/],
    ['an unknown run id', ['--resume', 'abcdef012345'], /There is no ecs-dr run abcdef012345/],
    ['an image name starting with a digit', ['--image-name', '1backup'], /--image-name must be 2–128 characters/],
    ['an unknown --on-image-timeout', ['--on-image-timeout', 'later'], /must be one of wait, console, abort/],
  ])('%s is a usage error (exit 2) before any call', async (_name, extra, message) => {
    const res = await replaySkill(t('none', []), [...BASE_ARGS, ...extra])
    expectCleanReplay(res)
    expect(res.code).toBe(2)
    expect(res.json.error.message).toMatch(message)
    expect(calls(res)).toEqual([])
  })

  it('--resume errors are found before anything runs: under a policy with ai-mode, not even the ai-mode lifecycle is sent', async () => {
    const dir = tempDir()
    let stdout = ''
    const sent: string[] = []
    const code = await runSkill(drSkill, [...BASE_ARGS.slice(1), '--resume', 'abcdef012345'], {
      env: { HOME: dir, ALIYUN_HARNESS_STATE_DIR: join(dir, 'state') },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      installSignalHandlers: false,
      transport: { mode: 'replay', exec: async (req) => (sent.push(req.argv.join(' ')), { exitCode: 0, stdout: '', stderr: '', durationMs: 0 }), sdk: () => Promise.reject(new Error('no SDK call')) },
      policy: { ...getPolicy('ecs-dr'), ai_mode: true },
    })
    expect(code).toBe(2)
    expect(JSON.parse(stdout).error.code).toBe('RunNotFound')
    expect(sent).toEqual([])
  })

  it('--resume of a run of another instance is refused', async () => {
    const first = await replaySkill(scenarios['decision-image-name'], ARGS['decision-image-name'])
    const res = await replaySkill(t('none', []), ['ecs-dr', '--region', REGION, '--instance-id', 'i-bp1other000001', '--resume', first.json.data.run_id], { dir: first.dir })
    expect(res.code).toBe(2)
    expect(res.json.error.code).toBe('RunMismatch')
  })
})

// -------------------------------------------------------------------------------------------
/** Runs the skill in-process as on a terminal: each decision is answered by the next of its answers. */
async function onTerminal(tr: Transcript, args: string[], answers: Record<string, string[]>) {
  const replayer = new Replayer(tr)
  const served: string[] = []
  const inner = new ReplayTransport(replayer)
  const transport = { mode: 'replay' as const, exec: (req: Parameters<typeof inner.exec>[0]) => (served.push(req.argv.join(' ')), inner.exec(req)), sdk: inner.sdk.bind(inner) }
  const asked: string[] = []
  let out = ''
  let err = ''
  const dir = tempDir()
  const code = await runSkill(drSkill, args.slice(1), {
    env: { ALIYUN_HARNESS_STATE_DIR: join(dir, 'state'), ALIYUN_HARNESS_GENERATED: JSON.stringify(tr.generated) },
    stdout: { write: (s: string) => (out += s), isTTY: true },
    stderr: { write: (s: string) => (err += s) },
    stdin: { isTTY: true },
    prompter: async (spec) => {
      asked.push(spec.id)
      const next = answers[spec.id]?.shift()
      if (next === undefined) throw new Error(`unexpected question ${spec.id}`)
      return next
    },
    transport,
    clock: new VirtualClock(Date.parse(RECORDED_AT)),
    installSignalHandlers: false,
  })
  return { code, asked, served, out, err, replayer }
}

describe('on a terminal the same decisions are prompts, and an answer that moves the zone re-plans', () => {
  it('NoStock → "pick another zone" → no VSwitch there → "Create VSwitch": one run, one instance', async () => {
    const K = 'cn-hangzhou-k'
    const inK = { zone: K, type: 'ecs.g7.xlarge', vsw: NEW_VSW }
    const tr = t('tty', [
      ...preflight(),
      ...source(),
      createImage(),
      imagePoll('Available', '100%'),
      stock(),
      vswitches(),
      ...scenarios['no-stock-on-run-instances'].entries.slice(-3),
      b.api(createVSwitchArgv(K, '172.16.2.0/24'), { VSwitchId: NEW_VSW }),
      ...scenarios['vswitch-missing-created'].entries.filter((e) => e.kind === 'cli' && e.argv.includes('SystemDisk')),
      runInstances(inK),
      ...verify(inK),
    ])
    const { code, asked, served, out, err, replayer } = await onTerminal(tr, HAPPY_ARGS, { 'no-stock': [`zone:${K}`], vswitch: ['create'] })
    expect(err).not.toContain("internal error")
    expect(code).toBe(0)
    expect(asked).toEqual(['no-stock', 'vswitch'])
    expect(replayer.unused()).toEqual([])
    expect(served.filter((a) => a.startsWith('ecs run-instances')).map((a) => a.match(/--zone-id (\S+)/)?.[1])).toEqual([TARGET, K])
    expect(served.filter((a) => a.startsWith('ecs create-image'))).toHaveLength(1)
    expect(out).toContain(`VSwitch:        ${NEW_VSW} (created by this run, 172.16.2.0/24)`)
    expect(out).toMatch(/│ Zone +│ cn-hangzhou-h +│ cn-hangzhou-k +│ ✔/)
  })

  it('"Choose another zone" at the type question asks the zone again in the same run; the zone listing is read once', async () => {
    const tr = t('tty-zone-question', [
      ...scenarios['decision-instance-type-only-original'].entries,
      vswitches(),
      systemDisks(TARGET, SOURCE_TYPE, J_DISKS),
      runInstances(HAPPY),
      ...verify(HAPPY),
    ])
    const { code, asked, served, replayer } = await onTerminal(tr, ARGS['decision-instance-type-only-original'], { 'instance-type': ['zone-question', SOURCE_TYPE], 'target-zone': [TARGET] })
    expect(code).toBe(0)
    expect(asked).toEqual(['instance-type', 'target-zone', 'instance-type'])
    expect(replayer.unused()).toEqual([])
    expect(served.filter((a) => a.includes('--zone-id cn-hangzhou-j --instance-charge-type'))).toHaveLength(1)
    expect(served.filter((a) => a.startsWith('ecs run-instances'))).toHaveLength(1)
  })
})

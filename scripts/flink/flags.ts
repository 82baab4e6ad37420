// The ONE table that maps the seven foasconsole 2021-10-28 API actions to `aliyun foasconsole
// <kebab-action>` and their plugin flag spellings (DECISIONS D1).
//
// UNVERIFIED: no public source shows the foasconsole plugin's `--help`. Every spelling below is
// inferred from the plugin naming rules seen in other products and must be checked once against a
// real `aliyun foasconsole <action> --help`; fixing a spelling here (and re-recording) is the
// whole change. The inferences:
// - Actions are the kebab-case of the API name (plugin mode, aliyun-cli-facts §2).
// - Parameters are the kebab-case of the wire name. A business parameter whose kebab name is a CLI
//   global gets a `biz-` prefix: `RegionId` → `--biz-region-id` (ECS and every plugin), and
//   `Region` → `--biz-region` (sysom check-instance-support, cs describe-kubernetes-version-metadata).
// - `VSwitchIds` → `--vswitch-ids` (ECS's `--vswitch-id` style; some plugins write `--v-switch-id`).
// - Object and array parameters the SDK sends JSON-encoded ("shrink": ResourceSpec, Storage,
//   VSwitchIds) are one argv element holding JSON.stringify of the value.
// - RepeatList parameters (ListTagResources `ResourceId`) are one flag followed by the values.
// - The endpoint region goes on every call as the policy's regional flags (flink's policy
//   `region`: the CLI global `--region`, built by lib/region.ts like every skill's): the original
//   wrapper built its client for `foasconsole.<region_id>.aliyuncs.com`, and
//   DescribeSupportedRegions, which has no business parameter, used the fixed client region
//   `cn-beijing`. The business region flags stay in the table: they differ per action.
// - CreateInstance has no ZoneId in the 2021-10-28 model (the zone follows the vSwitch, api-shapes
//   §11), so `--zone_id` is accepted for compatibility and not sent.

import { api, type Flags, type FlagValue } from '../../lib/command.js'

type Encoding = 'scalar' | 'json' | 'list'
interface Param {
  flag: string
  encoding: Encoding
}
const scalar = (flag: string): Param => ({ flag, encoding: 'scalar' })
const json = (flag: string): Param => ({ flag, encoding: 'json' })
const list = (flag: string): Param => ({ flag, encoding: 'list' })

const REGION = scalar('biz-region')
const PAGE_INDEX = scalar('page-index')
const PAGE_SIZE = scalar('page-size')

export const FOASCONSOLE = {
  DescribeSupportedRegions: { action: 'describe-supported-regions', params: {} },
  DescribeSupportedZones: { action: 'describe-supported-zones', params: { Region: REGION } },
  DescribeInstances: {
    action: 'describe-instances',
    params: { Region: REGION, InstanceId: scalar('instance-id'), PageIndex: PAGE_INDEX, PageSize: PAGE_SIZE },
  },
  DescribeNamespaces: {
    action: 'describe-namespaces',
    params: { Region: REGION, InstanceId: scalar('instance-id'), Namespace: scalar('namespace'), PageIndex: PAGE_INDEX, PageSize: PAGE_SIZE },
  },
  ListTagResources: {
    action: 'list-tag-resources',
    params: { RegionId: scalar('biz-region-id'), ResourceType: scalar('resource-type'), ResourceId: list('resource-id'), NextToken: scalar('next-token') },
  },
  CreateInstance: {
    action: 'create-instance',
    params: {
      Region: REGION,
      InstanceName: scalar('instance-name'),
      ChargeType: scalar('charge-type'),
      VpcId: scalar('vpc-id'),
      VSwitchIds: json('vswitch-ids'),
      ResourceSpec: json('resource-spec'),
      Storage: json('storage'),
      AutoRenew: scalar('auto-renew'),
      Duration: scalar('duration'),
      PricingCycle: scalar('pricing-cycle'),
    },
  },
  CreateNamespace: {
    action: 'create-namespace',
    params: { Region: REGION, InstanceId: scalar('instance-id'), Namespace: scalar('namespace'), ResourceSpec: json('resource-spec') },
  },
} as const satisfies Record<string, { action: string; params: Record<string, Param> }>

export type FoasAction = keyof typeof FOASCONSOLE
/** Request parameters by their API wire names; undefined ones are left out. */
export type FoasParams<A extends FoasAction> = { [K in keyof (typeof FOASCONSOLE)[A]['params']]?: unknown }

/** Builds the policy's regional flags: `ctx.region` in a run, a template context's for doctor. */
export interface Regional {
  region(product: string, region: string): Flags
}
/** The client region the original used for DescribeSupportedRegions (a global API). */
export const REGIONS_CLIENT_REGION = 'cn-beijing'

function encode(param: Param, value: unknown): FlagValue {
  if (param.encoding === 'json') return JSON.stringify(value)
  if (param.encoding === 'list') return (value as unknown[]).map(String)
  return String(value)
}

/** `['foasconsole', '<action>', …the policy's flags for <endpoint region>, …flags]` for one API call. */
export function foasArgv<A extends FoasAction>(at: Regional, action: A, endpointRegion: string, params: FoasParams<A>): string[] {
  const spec = FOASCONSOLE[action] as { action: string; params: Record<string, Param> }
  const flags: Flags = { ...at.region('foasconsole', endpointRegion) }
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
    if (value === undefined || value === null) continue
    const param = spec.params[name]
    if (!param) throw new Error(`foasconsole ${spec.action}: no flag is mapped for parameter ${name}`)
    flags[param.flag] = encode(param, value)
  }
  return api('foasconsole', spec.action, flags)
}

// The regional flags of an API command, built one way for every skill from its policy (`region`):
// the API's own region parameter where the product has one (`--biz-region-id`), then the endpoint —
// `--endpoint <product>.<region>.aliyuncs.com` or the CLI's `--region` — so the CLI never answers
// from the profile's default region.

import type { Flags } from './command.js'
import type { SkillPolicy } from './policy.js'

export function regionFlags(policy: SkillPolicy, product: string, region: string): Flags {
  const style = policy.region
  if (!style) throw new Error(`aliyun-harness: the ${policy.name} policy does not say how its commands name a region (policy "region")`)
  const business = style.business_flags[product]
  return {
    ...(business ? { [business]: region } : {}),
    ...(style.endpoint === 'endpoint' ? { endpoint: `${product}.${region}.aliyuncs.com` } : { region }),
  }
}

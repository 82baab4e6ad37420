// Check 6: the skills with an SDK step (policy `sdk_allow`: ack-profile's SysOM call, D1) sign it with
// the --profile CLI profile, or else the Node SDK's default credential chain. It must resolve; only
// which source it came from is shown.

import { credentialSource } from '../sdk.js'
import type { Machine } from './machine.js'
import { fail, ok, type Check } from './report.js'

const CHAIN = 'ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET, OIDC (ALIBABA_CLOUD_ROLE_ARN …), the aliyun CLI profile (ALIBABA_CLOUD_PROFILE, else the current one in ~/.aliyun/config.json), ~/.alibabacloud/credentials, the ECS instance RAM role, ALIBABA_CLOUD_CREDENTIALS_URI'

export async function checkSdk(m: Machine): Promise<Check[]> {
  const users = m.skills.filter((s) => s.policy.sdk_allow.length > 0)
  if (!users.length) return []
  const who = users.map((s) => s.name).join(', ')
  const steps = users.flatMap((s) => s.policy.sdk_allow).join(', ')
  let source
  try {
    source = await credentialSource(m.profile)
  } catch (e) {
    return [fail('sdk credentials', who, `The SDK step (${steps}) signs with the Node SDK's default credential chain, and it resolves nothing: ${(e as Error).message}`, `Configure one of: ${CHAIN}.`)]
  }
  const through = m.profile ? `the CLI profile '${m.profile}' (--profile)` : `the default chain, through ${source.provider || source.type}`
  return [ok('sdk credentials', who, `The SDK step (${steps}) has credentials: ${through}.`)]
}

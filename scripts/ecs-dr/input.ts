// The checks of flags that depend on each other (each flag's own shape is checked by its pattern):
// run by the skill's validate hook, before anything touches the machine — a usage error, exit 2.

import { UsageError } from '../../lib/errors.js'
import { isNetworkAddress, parseCidr, VSWITCH_PREFIX } from './cidr.js'

export interface DrFlags {
  region: string
  'target-zone'?: string
  'vswitch-id'?: string
  'create-vswitch'?: boolean
  'cidr-block'?: string
  resume?: string
  'new-run'?: boolean
}

export function checkFlags(opts: DrFlags): void {
  const zone = opts['target-zone']
  if (zone && !zone.startsWith(`${opts.region}-`)) throw new UsageError(`--target-zone ${zone} is not a zone of ${opts.region}; recovery stays in the source region.`, 'InvalidParameter')
  if (opts['vswitch-id'] && (opts['create-vswitch'] || opts['cidr-block'])) throw new UsageError('--vswitch-id and --create-vswitch/--cidr-block cannot be used together.', 'InvalidParameter')
  if (Boolean(opts['create-vswitch']) !== Boolean(opts['cidr-block'])) throw new UsageError('--create-vswitch and --cidr-block go together: the CIDR block of the VSwitch to create.', 'InvalidParameter')
  const cidr = opts['cidr-block']
  if (cidr) {
    const c = parseCidr(cidr)
    if (!c || !isNetworkAddress(cidr) || c.prefix < VSWITCH_PREFIX.min || c.prefix > VSWITCH_PREFIX.max)
      throw new UsageError(`--cidr-block ${cidr} must be a network address with a /${VSWITCH_PREFIX.min} to /${VSWITCH_PREFIX.max} mask, such as 172.16.2.0/24.`, 'InvalidParameter')
  }
  if (opts.resume && opts['new-run']) throw new UsageError('--resume continues a run and --new-run starts another; pass one of them.', 'InvalidParameter')
}

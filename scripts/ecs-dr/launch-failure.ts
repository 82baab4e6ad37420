// The seed's run-instances error table as data: every failure is one of these kinds before
// anything reacts to it (what to do with each kind is decided in launch-response.ts).

import type { CliError } from '../../lib/errors.js'

export type LaunchFailureKind = 'quota' | 'no-stock' | 'disk-category' | 'parameter' | 'image-not-ready' | 'payment' | 'other'

export type LaunchFailure = { [K in LaunchFailureKind]: { kind: K; error: CliError } }[LaunchFailureKind]

/** `QuotaExceed.*` and `QuotaExceeded*`: both prefixes are in use (api-shapes §2.7). */
const QUOTA = /^QuotaExceed(ed)?(\.|$)/
const BY_CODE: Record<string, LaunchFailureKind> = {
  'OperationDenied.NoStock': 'no-stock',
  'InvalidInstanceType.ValueNotSupported': 'no-stock',
  'InvalidDiskCategory.NotSupported': 'disk-category',
  InvalidParameter: 'parameter',
  'InvalidParameter.Conflict': 'parameter',
  IncorrectImageStatus: 'image-not-ready',
  'Account.Arrearage': 'payment',
  InvalidPayMethod: 'payment',
}

export function classifyLaunchFailure(error: CliError): LaunchFailure {
  const kind: LaunchFailureKind = QUOTA.test(error.code) ? 'quota' : (BY_CODE[error.code] ?? 'other')
  return { kind, error } as LaunchFailure
}

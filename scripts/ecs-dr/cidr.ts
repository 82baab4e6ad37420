// IPv4 CIDR arithmetic for the suggested VSwitch block: same size as the source VSwitch (a /24 at
// most), inside the /16 around it, overlapping no VSwitch of the VPC. The VPC's own block is not
// read (describe-vpcs is not among the skill's commands), so the suggestion stays next to the
// source VSwitch and the user confirms it.

export interface Cidr {
  base: number
  prefix: number
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/

export function parseCidr(text: string): Cidr | undefined {
  const m = text.trim().match(CIDR)
  if (!m) return undefined
  const octets = m.slice(1, 5).map(Number)
  const prefix = Number(m[5])
  if (octets.some((o) => o > 255) || prefix > 32) return undefined
  const ip = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3]
  return { base: (ip & mask(prefix)) >>> 0, prefix }
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

export function formatCidr(c: Cidr): string {
  const b = c.base
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`
}

/** True when the text is a network address (no host bits set), e.g. 172.16.1.0/24 but not 172.16.1.5/24. */
export function isNetworkAddress(text: string): boolean {
  const c = parseCidr(text)
  return Boolean(c) && formatCidr(c!) === text.trim()
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix)
  return ((a.base & mask(p)) >>> 0) === ((b.base & mask(p)) >>> 0)
}

/** A VSwitch mask must be /16 to /29. */
export const VSWITCH_PREFIX = { min: 16, max: 29 } as const

export function suggestCidr(sourceVSwitch: string, existing: readonly string[]): string | undefined {
  const src = parseCidr(sourceVSwitch)
  if (!src) return undefined
  const used = existing.map(parseCidr).filter((c): c is Cidr => Boolean(c))
  const prefix = Math.min(VSWITCH_PREFIX.max, Math.max(24, src.prefix))
  const around: Cidr = { base: (src.base & mask(16)) >>> 0, prefix: 16 }
  const step = 2 ** (32 - prefix)
  const count = 2 ** (prefix - 16)
  for (let i = 0; i < count; i++) {
    const candidate: Cidr = { base: (around.base + i * step) >>> 0, prefix }
    if (!used.some((u) => overlaps(u, candidate))) return formatCidr(candidate)
  }
  return undefined
}

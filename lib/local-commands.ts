// Parsers for the two local commands every skill reads: `aliyun version` and `aliyun configure list`.

export function parseVersion(stdout: string): string | undefined {
  return stdout.trim().match(/^v?(\d+\.\d+\.\d+)/)?.[1]
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

export interface ProfileRow {
  name: string
  current: boolean
  valid: boolean
  region: string
}

/**
 * `aliyun configure list` prints a tabwriter table `Profile | Credential | Valid | Region | Language`.
 * Only the profile name, the current marker, validity and region are kept: the credential column
 * (which shows the last characters of the AccessKey id) is never read into memory past this line.
 */
export function parseConfigureList(stdout: string): ProfileRow[] {
  const lines = stdout.split('\n').map((l) => l.trimEnd()).filter(Boolean)
  const headerAt = lines.findIndex((l) => /^Profile\s*\|/.test(l))
  if (headerAt < 0) return []
  const header = lines[headerAt].split('|').map((c) => c.trim())
  const col = (name: string) => header.indexOf(name)
  const [iProfile, iValid, iRegion] = [col('Profile'), col('Valid'), col('Region')]
  const rows: ProfileRow[] = []
  for (const line of lines.slice(headerAt + 1)) {
    if (/^[-\s|]+$/.test(line)) continue
    const cells = line.split('|').map((c) => c.trim())
    const rawName = cells[iProfile] ?? ''
    if (!rawName) continue
    rows.push({
      name: rawName.replace(/\s*\*$/, ''),
      current: /\*$/.test(rawName),
      valid: (cells[iValid] ?? '') === 'Valid',
      region: cells[iRegion] ?? '',
    })
  }
  return rows
}

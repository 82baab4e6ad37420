// Parsers for the local commands the harness reads: `aliyun version`, `aliyun configure list`,
// `aliyun plugin list` and `aliyun plugin show`.

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

export interface PluginRow {
  name: string
  version: string
}

/**
 * `aliyun plugin list`: a tabwriter table `Name  Version  Description`, a dashes row, then one row
 * per installed plugin (cli/plugin/command.go). Names and versions hold no spaces.
 */
export function parsePluginList(stdout: string): PluginRow[] {
  const rows: PluginRow[] = []
  for (const line of stdout.split('\n')) {
    const [name, version] = line.trim().split(/\s+/)
    if (!name || !version || name === 'Name' || /^-+$/.test(name)) continue
    rows.push({ name, version })
  }
  return rows
}

/** The installed plugin the CLI runs for `product`: named `<product>` or `aliyun-cli-<product>` (case-insensitive). */
export function pluginFor(rows: readonly PluginRow[], product: string): PluginRow | undefined {
  const p = product.toLowerCase()
  return rows.find((r) => r.name.toLowerCase() === p || r.name.toLowerCase() === `aliyun-cli-${p}`)
}

export interface PluginInfo {
  name?: string
  version?: string
  apiDefault?: string
  apiSupported: string[]
}

/** `aliyun plugin show --name <p>` (3.3.8+): `Label:<TAB>value` lines; the API lines only when the plugin declares them. */
export function parsePluginShow(stdout: string): PluginInfo {
  const fields = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const m = line.match(/^([A-Za-z ]+):\t(.*)$/)
    if (m) fields.set(m[1], m[2].trim())
  }
  const supported = fields.get('API supported')
  return {
    name: fields.get('Name'),
    version: fields.get('Version'),
    apiDefault: fields.get('API default') || undefined,
    apiSupported: supported ? supported.split(',').map((v) => v.trim()).filter(Boolean) : [],
  }
}

/** The CLI's profile variables, first non-empty wins (aliyun-cli config/flags.go). */
const PROFILE_ENV = ['ALIBABACLOUD_PROFILE', 'ALIBABA_CLOUD_PROFILE', 'ALICLOUD_PROFILE'] as const

/** The profile the CLI will use and why: --profile, a profile variable, or the current one. */
export function profileChoice(m: { profile?: string; env: NodeJS.ProcessEnv }): { name?: string; because: string } {
  if (m.profile) return { name: m.profile, because: 'named by --profile' }
  const variable = PROFILE_ENV.find((v) => m.env[v])
  if (variable) return { name: m.env[variable], because: `named by ${variable}` }
  return { because: 'the current profile' }
}

/** The row of the profile the CLI will use, if `configure list` shows it. */
export function chosenProfile(rows: ProfileRow[], choice: { name?: string }): ProfileRow | undefined {
  return choice.name ? rows.find((r) => r.name === choice.name) : rows.find((r) => r.current)
}

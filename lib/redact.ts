// Secrets are scrubbed before anything reaches stdout, stderr, a log or a transcript (D7).
// Two layers: shapes (AccessKey ids, `"AccessKeySecret": "…"`, Authorization headers, the
// credential column of `configure list`) and literal values the run knows are secret (credential
// environment variables, an EAS AccessToken it has just read).

export const REDACTED = '***'

const CREDENTIAL_ENV = [
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABACLOUD_ACCESS_KEY_SECRET',
  'ALICLOUD_ACCESS_KEY_SECRET',
  'ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABACLOUD_ACCESS_KEY_ID',
  'ALICLOUD_ACCESS_KEY_ID',
  'ACCESS_KEY_ID',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'ALIBABACLOUD_SECURITY_TOKEN',
  'ALICLOUD_SECURITY_TOKEN',
  'SECURITY_TOKEN',
  'ALIBABA_CLOUD_BEARER_TOKEN',
]

/** JSON keys whose string values are secrets, in any casing style the APIs use. */
const SECRET_KEYS = [
  'AccessKeySecret',
  'access_key_secret',
  'accessKeySecret',
  'AccessKeyId',
  'access_key_id',
  'accessKeyId',
  'SecurityToken',
  'security_token',
  'securityToken',
  'sts_token',
  'StsToken',
  'AccessToken',
  'access_token',
  'accessToken',
  'Token',
  'token',
  'Authorization',
  'authorization',
  'Password',
  'password',
  'bearer_token',
  'private_key',
]

/** `Authorization: <value>` (curl examples, header dumps). */
const AUTHORIZATION_HEADER = /(\bAuthorization\s*[:=]\s*)(?!\*\*\*)[^\s"',\]]+/gi

const SHAPES: [RegExp, string | ((m: string, ...g: string[]) => string)][] = [
  // AccessKey ids
  [/\bLTAI[0-9A-Za-z]{8,40}\b/g, 'LTAI' + REDACTED],
  // STS tokens (they start with CAIS and are long base64)
  [/\bCAIS[0-9A-Za-z+/=]{20,}/g, 'CAIS' + REDACTED],
  // "Key": "value" in JSON, with the key from SECRET_KEYS
  [
    new RegExp(`("(?:${SECRET_KEYS.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g'),
    (_m, prefix) => `${prefix}"${REDACTED}"`,
  ],
  [AUTHORIZATION_HEADER, (_m, prefix) => `${prefix}${REDACTED}`],
  // key=value forms: access_key_secret=…, AccessKeySecret: …
  [
    /\b(access[_-]?key[_-]?secret|accesskeysecret|security[_-]?token|sts[_-]?token)(\s*[=:]\s*)(?!\*\*\*)[^\s"',]+/gi,
    (_m, k, sep) => `${k}${sep}${REDACTED}`,
  ],
  // The credential column of `configure list` shows the last 3 characters of an AccessKey id
  // (AK:***abc); even that much is not relayed.
  [/\b(AK|StsToken|RamRoleArn|BearerToken):\*\*\*[0-9A-Za-z]{1,5}\b/g, (_m, kind) => `${kind}:${REDACTED}`],
]

export class Redactor {
  private literals = new Set<string>()
  private env: NodeJS.ProcessEnv
  private revealKeys: ReadonlySet<string>

  constructor(env: NodeJS.ProcessEnv = process.env, opts: { revealKeys?: string[] } = {}) {
    this.env = env
    this.revealKeys = new Set(opts.revealKeys ?? [])
    for (const name of CREDENTIAL_ENV) {
      const v = env[name]
      if (v && v.length >= 6) this.literals.add(v)
    }
  }

  /**
   * For the final result's `data` only: secrets a skill must hand to its user (the EAS
   * AccessToken in the deployment summary) stay; credentials from the environment never do.
   */
  forResultData(revealKeys: string[] = ['AccessToken']): Redactor {
    return new Redactor(this.env, { revealKeys })
  }

  revealing(names: readonly string[]): Redactor {
    return names.length ? this.forResultData() : this
  }

  /** Treat this exact value as a secret from now on (e.g. an EAS AccessToken just read). */
  addSecret(value: string | undefined | null): void {
    if (value && value.length >= 6) this.literals.add(value)
  }

  scrub(text: string): string {
    if (!text) return text
    let out = text
    // Longest first, so a secret that contains another is replaced whole.
    for (const lit of [...this.literals].sort((a, b) => b.length - a.length)) {
      if (out.includes(lit)) out = out.split(lit).join(REDACTED)
    }
    for (const [re, rep] of SHAPES) {
      // The EAS deployment summary hands the AccessToken over in its curl examples' Authorization header too.
      if (re === AUTHORIZATION_HEADER && this.revealKeys.has('AccessToken')) continue
      if (this.revealKeys.size && re.source.startsWith('("(?:')) {
        out = out.replace(re, (m: string, prefix: string) => ([...this.revealKeys].some((k) => prefix.startsWith(`"${k}"`)) ? m : `${prefix}"${REDACTED}"`))
      } else out = out.replace(re, rep as never)
    }
    return out
  }

  scrubArgv(argv: readonly string[]): string[] {
    return argv.map((a) => this.scrub(a))
  }

  /** Deep copy with every string scrubbed and secret-named keys replaced. */
  scrubValue<T>(value: T): T {
    return this.walk(value) as T
  }

  private walk(v: unknown, key?: string): unknown {
    if (typeof v === 'string') {
      if (key && this.revealKeys.has(key)) return this.scrub(v)
      if (key && SECRET_KEYS.includes(key) && v !== '') return REDACTED
      return this.scrub(v)
    }
    if (Array.isArray(v)) return v.map((x) => this.walk(x))
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) out[k] = this.walk(x, k)
      return out
    }
    return v
  }
}

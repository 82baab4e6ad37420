// Secrets are scrubbed before anything reaches stdout, stderr, a log or a transcript (D7): every
// byte the product writes passes through one Redactor. Two layers:
// - literal values the run knows are secret — every credential environment variable the CLI and the
//   SDKs read, and values a skill registers (an EAS AccessToken it has just read) — in their raw,
//   JSON-escaped and URL-encoded spellings;
// - shapes: secret-named keys (`"AccessKeySecret": "…"`, `password=…`, `--sts-token …`),
//   Authorization and Bearer values, PEM private keys, presigned-URL signatures, AccessKey ids,
//   STS tokens, and the credential column of `configure list`.
// Shapes are written for plain text, JSON, and JSON embedded as a string in JSON (`\"Token\": \"…\"`,
// `line1\nPassword: …`). The redactor runs on every output, 50,000-instance pages included, so every
// pattern is linear: no quantified group contains another quantifier that could match the same text.

export const REDACTED = '***'

/**
 * Every environment variable a credential is read from: the CLI (aliyun-cli-facts §5.4), the
 * Alibaba Cloud SDKs and credentials libraries, Terraform's alicloud provider, and the OSS SDKs.
 */
export const CREDENTIAL_ENV = [
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABACLOUD_ACCESS_KEY_ID',
  'ALICLOUD_ACCESS_KEY_ID',
  'ALICLOUD_ACCESS_KEY',
  'ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABACLOUD_ACCESS_KEY_SECRET',
  'ALICLOUD_ACCESS_KEY_SECRET',
  'ALICLOUD_SECRET_KEY',
  'ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'ALIBABACLOUD_SECURITY_TOKEN',
  'ALICLOUD_SECURITY_TOKEN',
  'SECURITY_TOKEN',
  'ALIBABA_CLOUD_BEARER_TOKEN',
  'ALIBABACLOUD_BEARER_TOKEN',
  'ALIBABA_CLOUD_OIDC_TOKEN',
  'OSS_ACCESS_KEY_ID',
  'OSS_ACCESS_KEY_SECRET',
  'OSS_SESSION_TOKEN',
] as const

/** Shorter values are too likely to occur by chance to be replaced wherever they appear. */
const MIN_LITERAL_LENGTH = 6

/**
 * A key is secret when it ends with one of these word sequences, after any prefix (db_password,
 * OSSAccessKeyId, x-acs-security-token, ALIBABA_CLOUD_ACCESS_KEY_SECRET) and in any casing style
 * (AccessKeySecret, accessKeySecret, access_key_secret, access-key-secret).
 */
const SECRET_KEY_ENDINGS = [
  ['access', 'key', 'secret'],
  ['access', 'key', 'id'],
  ['secret', 'access', 'key'],
  ['secret', 'key'],
  ['alicloud', 'access', 'key'],
  ['client', 'secret'],
  ['private', 'key'],
  ['private', 'key', 'body'],
  ['security', 'token'],
  ['session', 'token'],
  ['sts', 'token'],
  ['access', 'token'],
  ['bearer', 'token'],
  ['refresh', 'token'],
  ['oidc', 'token'],
  ['password'],
  ['passwd'],
]
const KEY_ENDING = SECRET_KEY_ENDINGS.map((words) => words.join('[-_]?')).join('|')

/**
 * The keys whose string values are secrets, as JSON keys and in scrubValue. A lone `token` is
 * secret, but not NextToken or ClientToken: pagination and idempotency tokens must stay readable.
 */
const SECRET_JSON_KEY = `(?:[A-Za-z0-9_-]*(?:${KEY_ENDING}|authorization)|token)`
const SECRET_KEY_NAME = new RegExp(`^${SECRET_JSON_KEY}$`, 'i')

/** Command-line flags whose next argument is a secret. */
const CREDENTIAL_FLAGS = ['--access-key-id', '--access-key-secret', '--sts-token', '--security-token', '--bearer-token', '--private-key', '--password']

/** An optional quote, itself escaped once or more when the text is JSON inside a JSON string. */
const QUOTE = String.raw`(?:\\*["'])?`
/**
 * Between a key and its value: `: `, `=`, ` = `, then maybe a quote. After a quoted key (`"key": `,
 * `\"key\": `) the text is JSON, where only a string can be a secret: `"HasPassword": false` stays,
 * and stays JSON. Spaces only, no newlines: a YAML key alone on its line has no value.
 */
const SEPARATOR = String.raw`(?:[ \t]*[:=][ \t]*${QUOTE}|\\*["'][ \t]*[:=][ \t]*\\*["'])`

/**
 * The value after a separator: up to the closing quote when it is quoted, else up to white space, a
 * quote or an escape, or a character of `bareEnd` (`,;&` between key=value pairs).
 */
function valueAfter(bareEnd: string, bareStart = ''): string {
  return String.raw`(?<=")[^"\\\n]+|(?<=')[^'\\\n]+|(?<!["'])${bareStart}[^\s"'\\${bareEnd}]+`
}

/** `<AccessToken>`, `<your-password>`: a placeholder in an example, not a secret. */
const PLACEHOLDER = /^<[^<>]*>$/

/**
 * Where a match may begin: anywhere; at the start of a word (LTAI…, Bearer); at the start of a key
 * (`token` but not `next_token`, `--password` but not `x--password`).
 */
type Start = 'anywhere' | 'word' | 'key'

/**
 * One shape of secret. The regex has a `value` group and may have a `pre` group before it; the
 * match is `pre`, then `value`, then whatever follows, and only `value` is replaced.
 */
interface Shape {
  re: RegExp
  start: Start
}

function shape(source: string, opts: { flags?: string; start?: Start } = {}): Shape {
  return { re: new RegExp(source, opts.flags ?? 'gi'), start: opts.start ?? 'anywhere' }
}

/**
 * Whether a match may begin at `index`. Checked here rather than by a lookbehind at the front of
 * each regex, which would keep the engine from skipping ahead to the shape's first literal (five
 * times slower on large pages). `\b` would not do either: a word can follow an escaped newline in
 * JSON-escaped text (`line1\nPassword: …`) or an encoded space in a URL (`token%20CAIS…`), and the
 * `n` of `\n` and the `0` of `%20` are word characters.
 */
function startsAt(text: string, index: number, start: Start): boolean {
  if (start === 'anywhere' || index === 0) return true
  const before = text[index - 1]
  if (index >= 2 && text[index - 2] === '\\' && 'nrt'.includes(before)) return true
  if (index >= 3 && text[index - 3] === '%' && /^[0-9A-F]{2}$/i.test(text.slice(index - 2, index))) return true
  return !(start === 'word' ? /[A-Za-z0-9]/ : /[A-Za-z0-9_-]/).test(before)
}

const SHAPES: Shape[] = [
  // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED, PKCS#8), with real or JSON-escaped newlines. A
  // block cut short is scrubbed to its end; the body never runs past a quote, so JSON stays JSON.
  shape(String.raw`(?<pre>-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)(?<value>(?:[^-"\\]|-(?!----)|\\+[^"\\-])+)`, { flags: 'g' }),
  // A JSON member with a secret key, its string value read with all its escapes. Escaped JSON
  // (`\"Token\": \"…\"`) is left to the key=value shapes below.
  shape(String.raw`(?<pre>"(?<!\\")${SECRET_JSON_KEY}"\s*:\s*")(?<value>(?:[^"\\]|\\.)*)"`),
  // Authorization headers: the scheme (Bearer, acs, ACS3-HMAC-SHA256, OSS, OSS4-HMAC-SHA256 …)
  // stays, the credentials go, all of them: the V3/V4 parts (`Credential=…, SignedHeaders=…,
  // Signature=…`) may be separated by ", ", so the value runs on over a comma and the spaces after
  // it. A part holds no comma, so each comma starts exactly one more part: linear.
  shape(
    String.raw`(?<pre>authorization${SEPARATOR}(?:(?:bearer|basic|digest|acs|acs3-hmac-sha256|oss|oss4-hmac-sha256)[ \t]+)?)(?<value>[^\s"'\\,]+(?:,[ \t]*[^\s"'\\,]+)*)`,
  ),
  // A bare `Bearer <token>`. A token has a digit, so "Bearer authentication" in prose stays.
  shape(String.raw`(?<pre>bearer[ \t]+)(?<value>(?=[\w.~+/=-]*\d)[\w.~+/=-]{8,})`, { start: 'word' }),
  // Credential flags: `--access-key-secret v`, `=v`, `:v`, and `"--sts-token", "v"` in a JSON argv.
  // A flag followed by another flag has no value to hide.
  shape(
    String.raw`(?<pre>(?:${CREDENTIAL_FLAGS.join('|')})(?:[ \t]+|[ \t]*[=:][ \t]*|\\*"[ \t]*,[ \t]*)${QUOTE})(?<value>${valueAfter('', '(?!-)')})`,
    { start: 'key' },
  ),
  // `key=value`, `Key: value`, `key="value"`, `key='value'`, `\"key\": \"value\"`, whatever comes
  // before the key (DB_PASSWORD=, x-acs-security-token:) …
  shape(String.raw`(?<pre>(?:${KEY_ENDING})${SEPARATOR})(?<value>${valueAfter(',;&')})`),
  // … and the same for a lone `token` key.
  shape(String.raw`(?<pre>-{0,2}token${SEPARATOR})(?<value>${valueAfter(',;&')})`, { start: 'key' }),
  // Query parameters of signed and presigned URLs (OSS Signature=, OSSAccessKeyId=, security
  // tokens), also with `&` JSON-escaped (\u0026) or the whole URL percent-encoded.
  shape(
    String.raw`(?<pre>(?:[?&]|\\u0026|%3F|%26)(?:signature|ossaccesskeyid|accesskeyid|securitytoken|x-acs-security-token|security-token|x-oss-signature|x-oss-credential|x-oss-security-token)(?:=|%3D))(?<value>(?:[^&\s"'\\#%]|%(?!26)[0-9A-F]{2})+)`,
  ),
  // AccessKey ids.
  shape(String.raw`(?<pre>LTAI)(?<value>[0-9A-Za-z]{8,})(?![0-9A-Za-z])`, { flags: 'g', start: 'word' }),
  // STS AccessKey ids (STS.NUgY…): they start with N or have a digit, which the API names that
  // prose mentions (STS.AssumeRole) never do.
  shape(String.raw`(?<pre>STS\.)(?<value>(?=N|[A-Za-z]*[0-9])[0-9A-Za-z]{16,})(?![0-9A-Za-z])`, { flags: 'g', start: 'word' }),
  // STS tokens: CAIS and long base64, also with `/` JSON-escaped or the token percent-encoded.
  shape(String.raw`(?<pre>CAIS)(?<value>(?:[0-9A-Za-z+/=]|\\/|%2[BbFf]|%3[Dd]){20,})`, { flags: 'g', start: 'word' }),
  // The credential column of `configure list` shows the last characters of an id (AK:***abc);
  // even that much is not relayed.
  shape(String.raw`(?<pre>(?:AK|StsToken|RamRoleArn|BearerToken):)(?<value>\*\*\*[0-9A-Za-z]{1,5})\b`, { flags: 'g', start: 'word' }),
]

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** How a literal secret may be spelled in output: raw, JSON-escaped (once or twice), URL-encoded. */
function spellings(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1)
  const url = encodeURIComponent(value)
  return [
    value,
    json,
    JSON.stringify(json).slice(1, -1),
    url,
    url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    url.replace(/%20/g, '+'),
  ]
}

/** The literal secrets of one run, shared by a Redactor and its revealing views. */
class SecretBook {
  /** value → the names it was registered under ('' for none). */
  readonly names = new Map<string, Set<string>>()
  readonly fromEnv = new Set<string>()
  /** Bumped on every change, so views know when their compiled patterns are stale. */
  version = 0

  constructor(env: NodeJS.ProcessEnv) {
    for (const name of CREDENTIAL_ENV) {
      const value = env[name]
      if (value && value.length >= MIN_LITERAL_LENGTH) this.fromEnv.add(value)
    }
  }

  add(value: string, name: string): void {
    const names = this.names.get(value) ?? new Set<string>()
    if (names.has(name)) return
    names.add(name)
    this.names.set(value, names)
    this.version++
  }
}

export class Redactor {
  #book: SecretBook
  #revealedNames: ReadonlySet<string> = new Set()
  #compiled?: { version: number; literals: RegExp | undefined; revealed: ReadonlySet<string> }

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#book = new SecretBook(env)
  }

  /**
   * Treat this exact value as a secret from now on (e.g. an EAS AccessToken just read). A name lets
   * a `revealing` view hand this value, and only it, to the user.
   */
  addSecret(value: string | undefined | null, name = ''): void {
    if (value && value.length >= MIN_LITERAL_LENGTH) this.#book.add(value, name)
  }

  /**
   * A view that lets through the literal values registered under `names` and nothing else: every
   * other registered value, every credential from the environment and every shape stays scrubbed
   * (an AccessToken key with a different value included). It shares this redactor's secrets, so
   * values registered later count too. Only a final result's `data` is scrubbed with it (policy
   * `reveal_in_result`, D7).
   */
  revealing(names: readonly string[]): Redactor {
    const view = new Redactor({})
    view.#book = this.#book
    view.#revealedNames = new Set(names)
    return view
  }

  scrub(text: string): string {
    if (!text) return text
    const { literals, revealed } = this.#patterns()
    let out = literals ? text.replace(literals, REDACTED) : text
    const mask = (value: string) => (value === '' || value === REDACTED || PLACEHOLDER.test(value) || revealed.has(value) ? value : REDACTED)
    for (const { re, start } of SHAPES) {
      out = out.replace(re, (match: string, ...args: unknown[]) => {
        // With named groups the replacer's last arguments are (offset, whole text, groups).
        const [offset, whole, groups] = args.slice(-3) as [number, string, { pre?: string; value: string }]
        if (!startsAt(whole, offset, start)) return match
        const { pre = '', value } = groups
        return pre + mask(value) + match.slice(pre.length + value.length)
      })
    }
    return out
  }

  /** Each argument scrubbed, and the argument after a credential flag replaced whole. */
  scrubArgv(argv: readonly string[]): string[] {
    return this.#walkList(argv) as string[]
  }

  /** Deep copy with every string scrubbed and the values of secret-named keys replaced. */
  scrubValue<T>(value: T): T {
    return this.#walk(value) as T
  }

  #walk(v: unknown, key?: string): unknown {
    if (typeof v === 'string') return key && SECRET_KEY_NAME.test(key) ? this.#maskWhole(v) : this.scrub(v)
    if (Array.isArray(v)) return this.#walkList(v)
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) out[k] = this.#walk(x, k)
      return out
    }
    return v
  }

  /** An argv array (in a transcript entry too): the argument after a credential flag is a secret. */
  #walkList(list: readonly unknown[]): unknown[] {
    return list.map((x, i) => (typeof x === 'string' && CREDENTIAL_FLAGS.includes(list[i - 1] as string) ? this.#maskWhole(x) : this.#walk(x)))
  }

  /** A value known to be a secret is replaced whole, unless it is empty, a placeholder or revealed. */
  #maskWhole(value: string): string {
    if (value === '' || PLACEHOLDER.test(value) || this.#isRevealed(value)) return this.scrub(value)
    return REDACTED
  }

  #isRevealed(value: string): boolean {
    return this.#patterns().revealed.has(value)
  }

  /** The literal-secret pattern and the revealed values, rebuilt only when a secret was added. */
  #patterns(): { literals: RegExp | undefined; revealed: ReadonlySet<string> } {
    const book = this.#book
    if (this.#compiled?.version === book.version) return this.#compiled
    const revealed = new Set<string>()
    for (const [value, names] of book.names) {
      // A value the environment holds is a credential, whatever name it was also registered under.
      if (!book.fromEnv.has(value) && [...names].some((n) => this.#revealedNames.has(n))) revealed.add(value)
    }
    const hidden = [...book.fromEnv, ...[...book.names.keys()].filter((v) => !revealed.has(v))]
    const texts = [...new Set(hidden.flatMap(spellings))]
    // Longest first, so a secret that contains another is replaced whole.
    texts.sort((a, b) => b.length - a.length)
    const literals = texts.length ? new RegExp(texts.map(escapeRegExp).join('|'), 'g') : undefined
    this.#compiled = { version: book.version, literals, revealed }
    return this.#compiled
  }
}

// D7: the one redactor every byte passes through. Each kind of secret, in each spelling the product
// may write it — plain text, a JSON value, JSON-escaped inside a JSON string, after an escaped
// newline, quoted, URL-encoded — is gone while the text around it survives; ids, dates and prose
// survive untouched; a revealing view lets through only the values registered under its names;
// and no pattern backtracks on large or hostile input.

import { describe, expect, it } from 'vitest'
import { CREDENTIAL_ENV, REDACTED, Redactor } from '../lib/redact.js'
import { configureListText, RECORDED_SESSION_ID, requestId } from './support/cli-facts.js'
import { AK_ID, KINDS } from './support/secret-kinds.js'

/** Every way a value may be spelled in output; a leak in any of them is a leak. */
function spellingsOf(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1)
  return [value, json, JSON.stringify(json).slice(1, -1), encodeURIComponent(value)]
}

function expectGone(out: string, secret: string): void {
  for (const spelling of spellingsOf(secret)) expect(out, `leaks ${spelling}`).not.toContain(spelling)
}


/** How a snippet reaches output, and what of the surrounding text must survive that spelling. */
const FORMS: { form: string; write: (text: string) => string; around: string[]; json?: boolean }[] = [
  { form: 'plain text', write: (t) => `before ${t} after`, around: ['before ', ' after'] },
  { form: 'a JSON string', write: (t) => JSON.stringify({ Message: `before ${t} after` }), around: ['{"Message":"before ', ' after"}'], json: true },
  { form: 'after an escaped newline', write: (t) => JSON.stringify({ Output: `line1\n${t}\nline3` }), around: ['"line1\\n', '\\nline3"'], json: true },
  { form: 'JSON inside a JSON string', write: (t) => JSON.stringify({ Body: JSON.stringify({ Message: `before ${t} after` }) }), around: ['before ', ' after'], json: true },
]

describe('every secret kind, in every spelling', () => {
  const redactor = new Redactor({})

  it('covers at least 25 kinds', () => {
    expect(new Set(KINDS.map((k) => k.kind)).size).toBe(KINDS.length)
    expect(KINDS.length).toBeGreaterThanOrEqual(25)
  })

  describe.each(KINDS)('$kind', ({ secret, text, keep, alsoGone = [] }) => {
    it.each(FORMS)('in $form', ({ write, around, json }) => {
      const written = write(text)
      expect(spellingsOf(secret).some((spelling) => written.includes(spelling)), 'the fixture carries the secret').toBe(true)
      const out = redactor.scrub(written)
      expectGone(out, secret)
      for (const other of alsoGone) expectGone(out, other)
      expect(out).toContain(REDACTED)
      for (const part of around) expect(out).toContain(part)
      expect(out).toContain(keep)
      // A scrubbed JSON document is still JSON: no escape was cut in half.
      if (json) expect(() => JSON.parse(out)).not.toThrow()
    })
  })

  it.each(KINDS.filter((k) => k.url))('$kind, percent-encoded in a redirect parameter', ({ secret, text }) => {
    const out = redactor.scrub(`https://signin.aliyun.com/login?redirect=${encodeURIComponent(text)}&lang=en`)
    expectGone(out, secret)
    expect(out).toContain('https://signin.aliyun.com/login?redirect=')
    expect(out).toContain('&lang=en')
  })

  it('scrubs a shape again without change (idempotent: audit compares before and after)', () => {
    for (const { text } of KINDS) {
      const once = redactor.scrub(text)
      expect(redactor.scrub(once)).toBe(once)
    }
  })

  it('in a PEM block cut short, the body is scrubbed to the end of its string and nothing more', () => {
    const cut = { key: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAcutShort\nq8wZ3y', Status: 'Running' }
    const scrubbed = { key: `-----BEGIN RSA PRIVATE KEY-----${REDACTED}`, Status: 'Running' }
    expect(JSON.parse(redactor.scrub(JSON.stringify(cut)))).toEqual(scrubbed)
    // Escaped once more, the escape before the closing quote stays with the quote.
    expect(JSON.parse(JSON.parse(redactor.scrub(JSON.stringify({ Body: JSON.stringify(cut) }))).Body)).toEqual(scrubbed)
  })
})

describe('credential environment variables', () => {
  /** A value per variable with characters that JSON and URLs escape, so every spelling differs. */
  const valueOf = (name: string) => `${name.toLowerCase()}-9s3"cr\\t+/=`
  const env = Object.fromEntries(CREDENTIAL_ENV.map((name) => [name, valueOf(name)]))
  const redactor = new Redactor(env)

  it.each(CREDENTIAL_ENV)('the value of %s is gone in every spelling', (name) => {
    const value = valueOf(name)
    const spelled = [
      `plain ${value} end`,
      JSON.stringify({ Message: `value ${value} end` }),
      JSON.stringify({ Body: JSON.stringify({ Message: `value ${value} end` }) }),
      JSON.stringify({ Output: `line1\n${value}\nline3` }),
      `https://x.example.com/?v=${encodeURIComponent(value)}&end=1`,
      `https://x.example.com/?v=${encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())}&end=1`,
    ]
    for (const text of spelled) {
      const out = redactor.scrub(text)
      expectGone(out, value)
      expect(out).not.toContain(encodeURIComponent(value).toLowerCase())
      expect(out).toMatch(/end|line3/)
    }
  })

  it.each(CREDENTIAL_ENV)('%s=<value> is scrubbed by its shape even when this run has no such variable', (name) => {
    const out = new Redactor({}).scrub(`export ${name}=sh4peOnly-${name.length}x`)
    expect(out).toBe(`export ${name}=${REDACTED}`)
  })

  it('values shorter than six characters are not treated as secrets (they would match by chance)', () => {
    expect(new Redactor({ ACCESS_KEY_ID: 'abc' }).scrub('abc abcdef')).toBe('abc abcdef')
  })
})

describe('registered secrets (addSecret)', () => {
  const value = 'tok/en+"quoted"\\with space='

  it.each([
    ['raw', value],
    ['JSON-escaped', JSON.stringify(value).slice(1, -1)],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(value)],
    ['URL-encoded with lower-case hex', encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())],
    ['form-encoded', encodeURIComponent(value).replace(/%20/g, '+')],
  ])('is gone %s', (_spelling, spelled) => {
    const redactor = new Redactor({})
    redactor.addSecret(value)
    expect(redactor.scrub(`<${spelled}>`)).toBe(`<${REDACTED}>`)
  })

  it('counts from the moment it is registered', () => {
    const redactor = new Redactor({})
    expect(redactor.scrub('curl -H x: tok-123456789')).toBe('curl -H x: tok-123456789')
    redactor.addSecret('tok-123456789')
    expect(redactor.scrub('curl -H x: tok-123456789')).toBe('curl -H x: ***')
  })

  it('a secret containing another is replaced whole', () => {
    const redactor = new Redactor({})
    redactor.addSecret('abcdef')
    redactor.addSecret('abcdef-ghijkl')
    expect(redactor.scrub('x abcdef-ghijkl y abcdef z')).toBe('x *** y *** z')
  })
})

describe('what must survive', () => {
  const redactor = new Redactor({})
  const SURVIVORS = [
    ['a request id', `RequestId: ${requestId(42)}`],
    ['instance, image, VSwitch and security group ids', 'i-bp1g6zv0ce8oghu7k7yz m-bp1h2gq0e8yvjpl8xqz1 vsw-bp1s5fnvk4gn2tws03624 sg-bp1fg655nh68xyz12345'],
    ['a 32-hex session id in a user agent', `--user-agent AlibabaCloud-Agent-Skills/alibabacloud-ecs-disaster-recovery-image/${RECORDED_SESSION_ID}`],
    ['ISO dates and times', 'CreationTime: 2024-05-01T08:00:00Z, ExpiredTime: 2099-12-31T15:59Z'],
    ['the words token and password in prose', 'The password must be 8 to 30 characters. Pass a token to the service; the Bearer token goes in the Authorization header.'],
    ['pagination and idempotency tokens', '{"NextToken": "AAAAAV3MpHK1AP0pfERHZN5pu6kNlNeMpmXrjwcAd5kpiyHJ", "ClientToken": "c-12345678"} --next-token abc123 --client-token 0c593ea1-3bea-11e9'],
    ['next_token and next-token keys', 'next_token=AAAA1234 next-token: BBBB5678'],
    ['STS API names', 'STS.AssumeRole STS.GetCallerIdentity STS.AssumeRoleWithOIDC'],
    ['a key file path', 'private_key_file=/home/u/.ssh/id_rsa --oidc-token-file /var/run/oidc/token'],
    ['non-string secret-named JSON values', '{"PasswordInherit": true, "HasPassword": false, "Token": null}'],
    ['a placeholder in an example', 'curl http://svc/api/predict/x -H "Authorization: <AccessToken>"'],
    ['an already scrubbed value', '{"AccessKeySecret": "***"} Password: *** Authorization: Bearer *** LTAI***'],
    ['base64 data that is not an STS token', 'UserData: IyEvYmluL3NoCmVjaG8gaGVsbG8gd29ybGQK'],
    ['a public key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host'],
    ['a certificate (not a private key)', '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkq\n-----END CERTIFICATE-----'],
  ]

  it.each(SURVIVORS)('%s', (_what, text) => {
    expect(redactor.scrub(text)).toBe(text)
    const asJson = JSON.stringify({ Message: text })
    expect(redactor.scrub(asJson)).toBe(asJson)
  })

  it('a whole CLI page without secrets comes back byte for byte', () => {
    const page = JSON.stringify(instancePage(200), null, 2)
    expect(redactor.scrub(page)).toBe(page)
  })
})

describe('the revealing view (result data, policy reveal_in_result)', () => {
  const TOKEN = 'NjM0ZGJlYzItZXhhbXBsZS1lYXMtdG9rZW4tOWYxYQ=='
  const ENV_SECRET = 'Zx9Q3kLmN8pR2sT5vW7yA1bC4dE6fG0h'

  function setUp() {
    const redactor = new Redactor({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: ENV_SECRET })
    redactor.addSecret(TOKEN, 'AccessToken')
    return { redactor, view: redactor.revealing(['AccessToken']) }
  }

  it('lets the value registered under a revealed name through, in a key, a header and prose', () => {
    const { view } = setUp()
    const text = `{"AccessToken": "${TOKEN}"} -H "Authorization: ${TOKEN}" token ${TOKEN}`
    expect(view.scrub(text)).toBe(text)
    expect(view.scrubValue({ AccessToken: TOKEN, summary: `Authorization: ${TOKEN}` })).toEqual({ AccessToken: TOKEN, summary: `Authorization: ${TOKEN}` })
  })

  it('the redactor it came from still scrubs that value everywhere', () => {
    const { redactor } = setUp()
    expect(redactor.scrub(`token ${TOKEN}`)).toBe('token ***')
    expect(redactor.scrubValue({ AccessToken: TOKEN })).toEqual({ AccessToken: REDACTED })
  })

  it('scrubs a different AccessToken value, and a header with it', () => {
    const { view } = setUp()
    expect(view.scrubValue({ AccessToken: 'another-token-9', nested: { accessToken: 'third-token-42' } })).toEqual({ AccessToken: REDACTED, nested: { accessToken: REDACTED } })
    expect(view.scrub('-H "Authorization: another-token-9"')).toBe('-H "Authorization: ***"')
  })

  it('scrubs secrets registered without a name or under another name', () => {
    const { redactor, view } = setUp()
    redactor.addSecret('unnamed-secret-1')
    redactor.addSecret('db-password-22', 'Password')
    expect(view.scrub(`${TOKEN} unnamed-secret-1 db-password-22`)).toBe(`${TOKEN} *** ***`)
  })

  it('scrubs every credential from the environment and every shape', () => {
    const { view } = setUp()
    expect(view.scrub(`${ENV_SECRET} ${AK_ID} password=hunter22 Bearer b3arerT0ken1`)).toBe('*** LTAI*** password=*** Bearer ***')
  })

  it('never reveals a value the environment holds, whatever name it was registered under', () => {
    const redactor = new Redactor({ ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN })
    redactor.addSecret(TOKEN, 'AccessToken')
    expect(redactor.revealing(['AccessToken']).scrubValue({ AccessToken: TOKEN })).toEqual({ AccessToken: REDACTED })
  })

  it('shares the secrets: a value registered after the view was made counts in both', () => {
    const redactor = new Redactor({})
    const view = redactor.revealing(['AccessToken'])
    redactor.addSecret('late-token-123', 'AccessToken')
    redactor.addSecret('late-other-456')
    expect(view.scrub('late-token-123 late-other-456')).toBe('late-token-123 ***')
    expect(redactor.scrub('late-token-123')).toBe('***')
  })

  it('reveals nothing for no names', () => {
    const { redactor } = setUp()
    expect(redactor.revealing([]).scrub(`{"AccessToken": "${TOKEN}"}`)).toBe('{"AccessToken": "***"}')
  })
})

describe('argv and values', () => {
  const redactor = new Redactor({})

  it('scrubArgv replaces the argument after a credential flag whole', () => {
    expect(redactor.scrubArgv(['ecs', 'describe-regions', '--access-key-secret', 'plainvalue', '--sts-token', 'x y z', '--region', 'cn-hangzhou'])).toEqual([
      'ecs',
      'describe-regions',
      '--access-key-secret',
      REDACTED,
      '--sts-token',
      REDACTED,
      '--region',
      'cn-hangzhou',
    ])
  })

  it('scrubValue replaces secret-named keys in any casing and argv arrays inside values', () => {
    const value = { entry: { argv: ['--password', 'pw12'], Credentials: { AccessKeySecret: 's1', securityToken: 's2', 'x-acs-security-token': 's3', NextToken: 'n1' } } }
    expect(redactor.scrubValue(value)).toEqual({
      entry: { argv: ['--password', REDACTED], Credentials: { AccessKeySecret: REDACTED, securityToken: REDACTED, 'x-acs-security-token': REDACTED, NextToken: 'n1' } },
    })
  })
})

// Moved from units.test.ts, where the redactor's first tests lived.
describe('redaction (D7)', () => {
  const secret = 'Zx9Q3kLmN8pR2sT5vW7yA1bC4dE6fG0h'
  const r = new Redactor({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret, ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tQ9xYz8wV7uT6sR5qP4' })

  it.each([
    ['an AccessKey secret from the environment', `token ${secret} here`, secret],
    ['an AccessKey id', 'id LTAI5tAbCdEfGhIjKlMnOpQr', 'LTAI5tAbCdEfGhIjKlMnOpQr'],
    ['an STS token', 'CAIS' + 'q'.repeat(60), 'q'.repeat(60)],
    ['a JSON secret field', '{"AccessKeySecret": "abcdef123456"}', 'abcdef123456'],
    ['an EAS AccessToken field', '{"AccessToken":"ZmYxMmMzYWY4ZDU="}', 'ZmYxMmMzYWY4ZDU='],
    ['an Authorization header', '-H "Authorization: ZmYxMmMzYWY4ZDU="', 'ZmYxMmMzYWY4ZDU='],
    ['key=value forms', 'access_key_secret=hunter2hunter2', 'hunter2hunter2'],
    ['the credential column of configure list', configureListText([{ name: 'default', current: true, valid: true, region: 'cn-hangzhou', last3: 'a1b' }]), '***a1b'],
  ])('scrubs %s', (_n, text, leaked) => {
    expect(r.scrub(text)).not.toContain(leaked)
  })

  it('a revealing view keeps the AccessToken registered under that name but never environment credentials', () => {
    const red = new Redactor({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret })
    red.addSecret('ZmYxMmMz', 'AccessToken')
    const data = red.revealing(['AccessToken']).scrubValue({ AccessToken: 'ZmYxMmMz', note: `key ${secret}` })
    expect(data).toEqual({ AccessToken: 'ZmYxMmMz', note: 'key ***' })
  })
})

function instancePage(count: number) {
  return {
    RequestId: requestId(7),
    NextToken: 'AAAAAV3MpHK1AP0pfERHZN5pu6kNlNeMpmXrjwcAd5kpiyHJ',
    TotalCount: count,
    Instances: {
      Instance: Array.from({ length: count }, (_, i) => ({
        InstanceId: `i-bp1${i.toString(36).padStart(12, '0')}`,
        ImageId: 'm-bp1h2gq0e8yvjpl8xqz1',
        ZoneId: 'cn-hangzhou-h',
        Status: 'Running',
        CreationTime: '2024-05-01T08:00Z',
        Description: 'The password and token of this instance are kept in KMS',
        VpcAttributes: { VSwitchId: 'vsw-bp1s5fnvk4gn2tws03624', PrivateIpAddress: { IpAddress: [`10.0.${i % 250}.${i % 200}`] } },
        Tags: { Tag: [{ TagKey: 'env', TagValue: 'prod' }] },
      })),
    },
  }
}

describe('no pattern backtracks', () => {
  const redactor = new Redactor({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'Zx9Q3kLmN8pR2sT5vW7yA1bC4dE6fG0h', ALIBABA_CLOUD_ACCESS_KEY_ID: AK_ID })
  redactor.addSecret('tok-123456789', 'AccessToken')

  /** A few hundred milliseconds on a loaded two-core machine; a catastrophic pattern takes minutes. */
  const BUDGET_MS = 1000

  function timed(text: string): { out: string; ms: number } {
    const started = performance.now()
    const out = redactor.scrub(text)
    return { out, ms: performance.now() - started }
  }

  it('scrubs a 5 MB page with secrets sprinkled through it well under a second', () => {
    const page = instancePage(13_000)
    for (let i = 0; i < page.Instances.Instance.length; i += 1000) page.Instances.Instance[i].Description = `password=hunter${i}x and ${AK_ID}`
    const text = JSON.stringify(page, null, 2)
    expect(text.length).toBeGreaterThan(5_000_000)
    const { out, ms } = timed(text)
    expect(out).not.toContain('hunter1000x')
    expect(out).not.toContain(AK_ID)
    expect(out).toContain('vsw-bp1s5fnvk4gn2tws03624')
    expect(ms).toBeLessThan(BUDGET_MS)
  })

  it('scrubs 5 MB of hostile input (long runs after every shape’s start) well under a second', () => {
    const MB = 1_000_000
    const hostile = [
      '"' + 'a'.repeat(MB),
      '"password": "' + '\\x'.repeat(MB / 2),
      '--password' + ' '.repeat(MB),
      '-----BEGIN PRIVATE KEY-----' + '\\'.repeat(MB) + '"',
      'Bearer ' + 'a'.repeat(MB),
    ].join('\n')
    expect(hostile.length).toBeGreaterThan(5 * MB)
    expect(timed(hostile).ms).toBeLessThan(BUDGET_MS)
  })
})

// The secret kinds every output of the harness is checked against (test/redact.test.ts checks each
// in every spelling; test/secrets.test.ts plants them in a whole run). Each kind has its own value,
// so a leak names its kind.

export interface Kind {
  kind: string
  /** What must disappear; each kind has its own value, so a leak names its kind. */
  secret: string
  /** The secret in its context, as a tool, an API or a person would write it. */
  text: string
  /** Text next to the secret that must survive. */
  keep: string
  /** Also seen percent-encoded inside another URL (a redirect parameter). */
  url?: boolean
  /** Other values of the same snippet that must go too (the AccessKey id next to a signature). */
  alsoGone?: string[]
}

export const AK_ID = 'LTAI5tRq8wZ3yXvB2nM4kP7d'

function pem(label: string, body: string[]): string {
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join('\n')
}

const HEADERS_AND_URLS: Kind[] = [
  { kind: 'an Authorization: Bearer header', secret: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMQ', text: "-H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMQ'", keep: 'Authorization: Bearer' },
  { kind: 'a bare Bearer token', secret: 'b3arerT0kenValue9x', text: 'send Bearer b3arerT0kenValue9x with it', keep: 'send Bearer' },
  { kind: 'the signature of Authorization: acs <id>:<signature>', secret: 'kT2hV9pLq4sXw8yZmN3b', text: `Authorization: acs ${AK_ID}:kT2hV9pLq4sXw8yZmN3b`, keep: 'Authorization: acs', alsoGone: [AK_ID] },
  { kind: 'Authorization: <anything>', secret: 'ZmYxMmMzYWY4ZDUtZWFzLXRva2Vu', text: 'curl -H "Authorization: ZmYxMmMzYWY4ZDUtZWFzLXRva2Vu" http://svc', keep: 'http://svc' },
  {
    kind: 'an ACS3-HMAC-SHA256 Authorization header',
    secret: 'e3b0c44298fc1c149afbf4c8996fb924',
    text: `Authorization: ACS3-HMAC-SHA256 Credential=${AK_ID},SignedHeaders=host;x-acs-date,Signature=e3b0c44298fc1c149afbf4c8996fb924`,
    keep: 'ACS3-HMAC-SHA256',
    alsoGone: [AK_ID],
  },
  {
    kind: 'an ACS3-HMAC-SHA256 Authorization header with ", " between its parts',
    secret: '9f86d081884c7d659a2feaa0c55ad015',
    text: `Authorization: ACS3-HMAC-SHA256 Credential=${AK_ID}, SignedHeaders=host;x-acs-date, Signature=9f86d081884c7d659a2feaa0c55ad015`,
    keep: 'ACS3-HMAC-SHA256',
    alsoGone: [AK_ID],
  },
  // OSS's own schemes (OSS docs: "Include a V1 signature in the Authorization header" and the V4
  // page): V1 is `OSS <AccessKeyId>:<Signature>`, V4 separates its parts with ", ".
  {
    kind: 'an OSS V1 Authorization header (OSS <id>:<signature>)',
    secret: '77Dvh5wCr1ZpwUq5OPhFhbCDwUk8=',
    text: 'Authorization: OSS qn6qrrqxo2oawuk53otfjbyc:77Dvh5wCr1ZpwUq5OPhFhbCDwUk8=',
    keep: 'Authorization: OSS',
    alsoGone: ['qn6qrrqxo2oawuk53otfjbyc'],
  },
  {
    kind: 'an OSS4-HMAC-SHA256 Authorization header',
    secret: '4c0e3b8f9d2a7165be04f3c9a1d8e2f7',
    text: `Authorization: OSS4-HMAC-SHA256 Credential=${AK_ID}/20250417/cn-hangzhou/oss/aliyun_v4_request, AdditionalHeaders=host, Signature=4c0e3b8f9d2a7165be04f3c9a1d8e2f7`,
    keep: 'OSS4-HMAC-SHA256',
    alsoGone: [AK_ID],
  },
  {
    kind: "an OSS presigned URL's Signature",
    secret: 'Zm9vYmFyc2lnbmF0dXJl',
    text: 'https://bkt.oss-cn-hangzhou.aliyuncs.com/a.txt?Expires=1700000000&Signature=Zm9vYmFyc2lnbmF0dXJl%2Bx%3D',
    keep: 'Expires=1700000000',
    url: true,
  },
  { kind: "an OSS presigned URL's OSSAccessKeyId", secret: 'AKIDq8wZ3yXvB2nM4', text: 'https://bkt.oss-cn-beijing.aliyuncs.com/o?OSSAccessKeyId=AKIDq8wZ3yXvB2nM4&Expires=1700000000', keep: 'Expires=1700000000', url: true },
  { kind: 'an x-acs-security-token header', secret: 'sEcur1tyT0kenNotCAIS', text: '-H "x-acs-security-token: sEcur1tyT0kenNotCAIS"', keep: 'x-acs-security-token' },
  { kind: 'SecurityToken= in a query string', secret: 'qS3cT0k3nValue', text: 'https://ecs.aliyuncs.com/?Action=DescribeRegions&SecurityToken=qS3cT0k3nValue&Version=2014-05-26', keep: 'Version=2014-05-26', url: true },
]

const KEY_VALUES: Kind[] = [
  { kind: 'password=…', secret: 'hunter2Hunter2', text: 'connect password=hunter2Hunter2 host=db', keep: 'host=db' },
  { kind: 'Password: …', secret: 'Pa55-w0rd!x', text: 'Password: Pa55-w0rd!x', keep: 'Password:' },
  { kind: 'DB_PASSWORD=… (any prefix)', secret: 'r00tPw-42', text: 'export DB_PASSWORD=r00tPw-42', keep: 'DB_PASSWORD=' },
  { kind: '"password": "…" in JSON', secret: 'C0rrect-Horse', text: '{"user": "root", "password": "C0rrect-Horse"}', keep: 'root' },
  { kind: 'AccessKeySecret="…"', secret: 'dQ7w1e0r9t8y', text: 'AccessKeySecret="dQ7w1e0r9t8y" region=cn', keep: 'region=cn' },
  { kind: "AccessKeySecret='…'", secret: 'fL2k3j4h5g6f', text: "AccessKeySecret='fL2k3j4h5g6f' region=cn", keep: 'region=cn' },
  { kind: 'access_key_secret: "…" (YAML)', secret: 'yM9n8b7v6c5x', text: 'access_key_secret: "yM9n8b7v6c5x"', keep: 'access_key_secret' },
  { kind: 'a quoted value with spaces', secret: 'correct horse battery', text: 'password="correct horse battery" next', keep: 'next' },
  { kind: 'Token: …', secret: 'tK9-aa11bb22', text: 'Token: tK9-aa11bb22', keep: 'Token:' },
  { kind: 'client_secret=… in a form body', secret: 'cl1entS3cret', text: 'grant_type=client_credentials&client_secret=cl1entS3cret&scope=all', keep: 'scope=all' },
  { kind: 'bearer_token=…', secret: 'brT0k-77aa', text: 'bearer_token=brT0k-77aa', keep: 'bearer_token' },
  { kind: 'sts_token: …', secret: 'stsT0k-88bb', text: 'sts_token: stsT0k-88bb', keep: 'sts_token' },
  { kind: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET=… in a shell line', secret: 'eNvS3cr3tV4lue', text: 'export ALIBABA_CLOUD_ACCESS_KEY_SECRET=eNvS3cr3tV4lue', keep: 'export ALIBABA_CLOUD_ACCESS_KEY_SECRET=' },
]

const FLAGS: Kind[] = [
  ['--access-key-secret', ' '],
  ['--access-key-id', ' '],
  ['--sts-token', ' '],
  ['--bearer-token', ' '],
  ['--private-key', ' '],
  ['--password', ' '],
  ['--access-key-secret', '='],
  ['--password', '='],
  ['--sts-token', ':'],
].map(([flag, sep], i) => {
  const secret = `fl4gV4lue${i}x`
  return { kind: `${flag}${sep === ' ' ? ' <value>' : `${sep}<value>`}`, secret, text: `aliyun ecs describe-regions ${flag}${sep}${secret} --region cn-hangzhou`, keep: '--region cn-hangzhou' }
})

const PRIVATE_KEYS: Kind[] = [
  {
    kind: 'a PEM RSA private key (legacy encrypted, Proc-Type header)',
    secret: 'MIIEowIBAAKCAQEAx7Hc0mWbSeCreTrsa1',
    text: pem('RSA PRIVATE KEY', ['Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,3F1A2B', '', 'MIIEowIBAAKCAQEAx7Hc0mWbSeCreTrsa1', 'q8wZ3yXvB2nM4kP7dRsa2==']),
    keep: '-----END RSA PRIVATE KEY-----',
  },
  { kind: 'a PEM EC private key', secret: 'MHcCAQEEIBkSeCreTec1', text: pem('EC PRIVATE KEY', ['MHcCAQEEIBkSeCreTec1', 'oAoGCCqGSM49AwEHoUQDQgAE']), keep: '-----END EC PRIVATE KEY-----' },
  { kind: 'an OpenSSH private key', secret: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUsecret', text: pem('OPENSSH PRIVATE KEY', ['b3BlbnNzaC1rZXktdjEAAAAABG5vbmUsecret', 'AAAAC3NzaC1lZDI1NTE5']), keep: '-----END OPENSSH PRIVATE KEY-----' },
  { kind: 'a PKCS#8 encrypted private key', secret: 'MIIFHDBOBgkqhkiG9w0BBQ0wQenc', text: pem('ENCRYPTED PRIVATE KEY', ['MIIFHDBOBgkqhkiG9w0BBQ0wQenc']), keep: '-----END ENCRYPTED PRIVATE KEY-----' },
  { kind: 'a PKCS#8 private key', secret: 'MIIEvQIBADANBgkqhkiG9w0pk8', text: pem('PRIVATE KEY', ['MIIEvQIBADANBgkqhkiG9w0pk8']), keep: '-----END PRIVATE KEY-----' },
]

const IDS_AND_TOKENS: Kind[] = [
  { kind: 'an AccessKey id (LTAI…)', secret: AK_ID, text: `key id ${AK_ID} is active`, keep: 'is active' },
  { kind: 'an STS AccessKey id (STS.…)', secret: 'NUgYrLnoC37mZZCNnAbez2Kq', text: 'assumed STS.NUgYrLnoC37mZZCNnAbez2Kq for 3600s', keep: 'for 3600s' },
  {
    kind: 'an STS token (CAIS…)',
    secret: 'CAISzgJ1q6Ft5B2yfSjIr5bkLt/3jbpO1qiAY2vSjlcxOcpUvvDdljz2IHhMeXNoAuAav/Q+mW5V7/YZlqN4QpJBUkmNa8Ya',
    text: 'token CAISzgJ1q6Ft5B2yfSjIr5bkLt/3jbpO1qiAY2vSjlcxOcpUvvDdljz2IHhMeXNoAuAav/Q+mW5V7/YZlqN4QpJBUkmNa8Ya (expires soon)',
    keep: '(expires soon)',
    url: true,
  },
  { kind: 'the credential column of configure list', secret: '***a1b', text: 'default * | AK:***a1b | Valid | cn-hangzhou', keep: '| Valid | cn-hangzhou' },
]

/** The secret JSON keys the APIs, SDKs and config files use, each in every casing style. */
const JSON_KEY_WORDS = [
  ['secret', 'access', 'key'],
  ['client', 'secret'],
  ['private', 'key', 'body'],
  ['private', 'key'],
  ['access', 'key', 'secret'],
  ['security', 'token'],
  ['access', 'token'],
  ['bearer', 'token'],
  ['sts', 'token'],
  ['password'],
  ['authorization'],
  ['token'],
]
const cap = (w: string) => w[0].toUpperCase() + w.slice(1)
const CASINGS: [string, (words: string[]) => string][] = [
  ['PascalCase', (w) => w.map(cap).join('')],
  ['camelCase', (w) => w[0] + w.slice(1).map(cap).join('')],
  ['snake_case', (w) => w.join('_')],
  ['kebab-case', (w) => w.join('-')],
]
const JSON_KEYS: Kind[] = JSON_KEY_WORDS.flatMap((words) =>
  CASINGS.map(([style, spell], i) => {
    const key = spell(words)
    const secret = `v4l-${words.join('')}-${i}`
    return { kind: `the JSON key ${key} (${style})`, secret, text: JSON.stringify({ RequestId: 'r-1', [key]: secret, Status: 'Running' }), keep: 'Running' }
  }),
)

export const KINDS: Kind[] = [...HEADERS_AND_URLS, ...KEY_VALUES, ...FLAGS, ...PRIVATE_KEYS, ...IDS_AND_TOKENS, ...JSON_KEYS]

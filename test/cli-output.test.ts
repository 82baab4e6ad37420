// Error classification, one row per class, from the real aliyun CLI output layouts
// (aliyun-cli v3.4.11, ../shared/spec/aliyun-cli-facts.md §2.4, §3).

import { describe, expect, it } from 'vitest'
import { classifyFailure, parseServerErrorBlock, stripAnsi } from '../lib/cli-output.js'
import { serverErrorText } from './support/cli-facts.js'

const RID = '3C5E7F2A-1B4D-4F6A-8C9E-0D1B2C3D4E5F'

// Real bytes: with colour on, the ERROR block is wrapped in \e[1;31m … \e[0m (facts §3.2).
const COLOURED = `\u001b[1;31mERROR: invalid flag --user-agent; available flags: --enable-pre, --help, --name, --source-base, -h\n\u001b[0m`

const samples: { name: string; exitCode: number; stdout?: string; stderr: string; kind: string; code: string; message?: RegExp; requestId?: string; recommend?: RegExp }[] = [
  {
    name: 'API error: SDK.ServerError block (exit 1), a RAM refusal is kind permission',
    exitCode: 1,
    stderr: serverErrorText({ code: 'Forbidden.RAM', message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.", requestId: RID, product: 'Ecs' }),
    kind: 'permission',
    code: 'Forbidden.RAM',
    message: /^User not authorized to operate on the specified resource/,
    requestId: RID,
    recommend: /api\.aliyun\.com\/troubleshoot\?q=Forbidden\.RAM/,
  },
  {
    name: 'API error whose body had no Message: the raw body is the message',
    exitCode: 1,
    stderr: `ERROR: SDK.ServerError\nErrorCode: ErrorClusterNotFound\nRecommend: \nRequestId: ${RID}\nMessage: {"code":"ErrorClusterNotFound","message":"cluster c1 not found"}\nRespHeaders: map[Content-Type:[application/json]]\n`,
    kind: 'server',
    code: 'ErrorClusterNotFound',
    message: /cluster c1 not found/,
    requestId: RID,
  },
  {
    name: 'Tea SDKError block from a plugin (with HTTP status)',
    exitCode: 1,
    stderr: `ERROR: SDKError:\n   StatusCode: 409\n   Code: ServiceAlreadyExists\n   Message: code: 409, service qwen already exists request id: ${RID}\n   Data: {"Code":"ServiceAlreadyExists"}\n`,
    kind: 'server',
    code: 'ServiceAlreadyExists',
    requestId: RID,
  },
  {
    name: 'JSON error object on stderr (newer CLIs in agent mode)',
    exitCode: 1,
    stderr: `{"Code":"Throttling","Message":"Request was denied due to request throttling.","RequestId":"${RID}"}\n`,
    kind: 'server',
    code: 'Throttling',
    requestId: RID,
  },
  {
    name: 'usage: invalid flag (exit 2), coloured bytes',
    exitCode: 2,
    stderr: COLOURED,
    kind: 'usage',
    code: 'CliUsageError',
    message: /^invalid flag --user-agent/,
  },
  {
    name: 'usage: not a valid command, suggestions on stdout (exit 2)',
    exitCode: 2,
    stdout: '\nDid you mean:\n  enable\n',
    stderr: "ERROR: 'enabel' is not a valid command\n",
    kind: 'usage',
    code: 'CliUsageError',
  },
  {
    name: 'configuration: missing credentials with tip (exit 3)',
    exitCode: 3,
    stderr: "ERROR: access_key_id is not configured for profile 'default'. Run `aliyun configure --profile default --mode AK` to set it\n\nConfiguration failed, use `aliyun configure` to configure it\n",
    kind: 'configuration',
    code: 'CliConfigurationError',
    message: /access_key_id is not configured/,
    recommend: /Configuration failed/,
  },
  {
    name: 'configuration: region empty (exit 3)',
    exitCode: 3,
    stderr: "ERROR: region can't be empty\n\nConfiguration failed, use `aliyun configure` to configure it\n",
    kind: 'configuration',
    code: 'CliConfigurationError',
  },
  {
    name: 'timeout without --retry-count: the raw Go HTTP error (exit 1)',
    exitCode: 1,
    stderr: 'ERROR: Get "https://pai-eas.cn-hangzhou.aliyuncs.com/api/v2/public/instance_types": net/http: request canceled (Client.Timeout exceeded while awaiting headers)\n',
    kind: 'timeout',
    code: 'SDK.TimeoutError',
  },
  {
    name: 'timeout with --retry-count: SDK.TimeoutError text (exit 1)',
    exitCode: 1,
    stderr: 'ERROR: [SDK.TimeoutError] The request timed out 2 times(2 for retry), perhaps we should have the threshold raised a little? Read timeout. Please set a valid ReadTimeout.\ncaused by:\nnet/http: timeout\n',
    kind: 'timeout',
    code: 'SDK.TimeoutError',
  },
  {
    name: 'plugin missing, no TTY (4 stderr lines, then not-valid product)',
    exitCode: 1,
    stderr:
      "Plugin 'aliyun-cli-sysom' is required for command 'sysom invoke-diagnosis' but not installed.\nInstall it with: aliyun plugin install --names aliyun-cli-sysom\nNote: If the above fails (no stable version available), try with pre-release versions:\n  aliyun plugin install --names aliyun-cli-sysom --enable-pre\nERROR: 'sysom' is not a valid built-in product.\nA plugin 'aliyun-cli-sysom' is available which supports this product.\nRun 'aliyun plugin install --names aliyun-cli-sysom' to install it.\n",
    kind: 'plugin-missing',
    code: 'PluginNotInstalled',
    recommend: /aliyun plugin install --names aliyun-cli-sysom/,
  },
  {
    name: 'plugin execution failed (exit 1)',
    exitCode: 1,
    stderr: 'ERROR: plugin execution failed: fork/exec /root/.aliyun/plugins/aliyun-cli-ecs/aliyun-cli-ecs: permission denied\n',
    kind: 'unknown',
    code: 'PluginExecutionFailed',
  },
  {
    name: 'generic error (exit 1)',
    exitCode: 1,
    stderr: 'ERROR: flag --pager is exclusive with --waiter\n',
    kind: 'unknown',
    code: 'CliCommandFailed',
    message: /exclusive with --waiter/,
  },
]

describe('classifyFailure', () => {
  it.each(samples)('$name', (s) => {
    const err = classifyFailure({ exitCode: s.exitCode, stdout: s.stdout ?? '', stderr: s.stderr, durationMs: 5 })
    expect(err.kind).toBe(s.kind)
    expect(err.code).toBe(s.code)
    expect(err.cliExitCode).toBe(s.exitCode)
    if (s.message) expect(err.message).toMatch(s.message)
    if (s.requestId) expect(err.requestId).toBe(s.requestId)
    if (s.recommend) expect(err.recommend).toMatch(s.recommend)
  })

  it('marks a harness timeout as CommandTimeout whatever the output', () => {
    const err = classifyFailure({ exitCode: 143, stdout: '', stderr: '', durationMs: 120_000, timedOut: true })
    expect(err.code).toBe('CommandTimeout')
    expect(err.kind).toBe('timeout')
  })

  it('reads the 409 status of a Tea error block', () => {
    const err = classifyFailure({ exitCode: 1, stdout: '', stderr: samples[2].stderr, durationMs: 1 })
    expect(err.httpStatus).toBe(409)
  })
})

describe('parseServerErrorBlock', () => {
  it('does not take the RespHeaders line into the message', () => {
    const f = parseServerErrorBlock(serverErrorText({ code: 'X', message: 'one line', requestId: RID, product: 'Ecs' }))
    expect(f?.message).toBe('one line')
  })

  it('returns nothing for text without the block', () => {
    expect(parseServerErrorBlock('ERROR: something else')).toBeUndefined()
  })
})

it('stripAnsi removes the colour codes the CLI always prints without NO_COLOR', () => {
  expect(stripAnsi(COLOURED)).toBe('ERROR: invalid flag --user-agent; available flags: --enable-pre, --help, --name, --source-base, -h\n')
})

// Error classification, changesets style: every row is a real text the aliyun CLI (or, where noted,
// a plugin as documented) prints, with its source. `A:` is aliyun/aliyun-cli at v3.4.11, `IDX:`
// newer aliyun-cli files (3.5.x) from the search index, `UMT:` its unreleased in-process runtime
// (branch unify-meta-test), `S:` aliyun/alibabacloud-aiops-skills docs (hand-written, unverified).
// Research notes with every citation: scratch/facts/cli-errors-dryrun.md.

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { classifyFailure, NEXT_ACTION, parseAgentError, parseServerErrorBlock, plainOutput, stripAnsi } from '../lib/cli-output.js'
import { suggestionsIn } from '../lib/cli-rejection.js'
import type { RejectedCommand } from '../lib/errors.js'
import { agentErrorText, builder, didYouMeanText, hostError, serverErrorText } from './support/cli-facts.js'
import { describeRegions, probePolicy, runProbe } from './support/probe.js'
import { ARGS as DR_ARGS, scenarios as drScenarios } from './recordings/ecs-dr.js'
import { scenarios as reviewScenarios } from './recordings/ecs-review.js'
import { expectCleanReplay } from './support/expect.js'
import { replaySkill } from './support/replay.js'
import { replayBin } from './support/run.js'

const RID = '3C5E7F2A-1B4D-4F6A-8C9E-0D1B2C3D4E5F'

// Real bytes: with colour on, the ERROR block is wrapped in \e[1;31m … \e[0m (facts §3.2).
const COLOURED = `\u001b[1;31mERROR: invalid flag --user-agent; available flags: --enable-pre, --help, --name, --source-base, -h\n\u001b[0m`

interface Row {
  name: string
  exitCode: number
  stdout?: string
  stderr: string
  /** The command the harness ran (the runner passes it); without it the CLI's help pointer names it. */
  argv?: string[]
  kind: string
  code: string
  message?: RegExp
  requestId?: string
  recommend?: RegExp
  httpStatus?: number
  rejected?: Partial<RejectedCommand>
  next?: keyof typeof NEXT_ACTION
}

// ---- the CLI refuses a command line: the flag, the command and the suggestions are named ---------
const refusals: Row[] = [
  {
    // A:openapi/errors.go:68-71 (text), A:cli/suggestion.go:32-39 (stdout block, bold yellow),
    // A:cli/command.go:347-352 (exit 2); the complete example of facts §1.2, derived from the code.
    name: "built-in 3.4.x: '--RegionID' is not a valid parameter or flag, Did you mean block on stdout",
    ...hostError("'--RegionID' is not a valid parameter or flag. See `aliyun help ecs DescribeInstances`.", { suggestible: ['RegionId'] }),
    kind: 'usage',
    code: 'CliUnknownFlag',
    message: /^`aliyun ecs DescribeInstances` was refused: .*does not accept the flag --RegionID \(did you mean --RegionId\?\)\. The CLI said: '--RegionID' is not a valid parameter or flag\./,
    recommend: /^The CLI suggests: --RegionId\.$/,
    rejected: { command: 'aliyun ecs DescribeInstances', flag: '--RegionID', suggestions: ['--RegionId'] },
    next: 'mismatch',
  },
  {
    // A:openapi/errors_test.go:87, pinned text; uncoloured (NO_COLOR=1, as the harness runs the CLI).
    name: "built-in 3.4.x, NO_COLOR: '--ak' … See `aliyun help ecs describeregion`",
    ...hostError("'--ak' is not a valid parameter or flag. See `aliyun help ecs describeregion`.", { suggestible: [], colour: false }),
    kind: 'usage',
    code: 'CliUnknownFlag',
    rejected: { command: 'aliyun ecs describeregion', flag: '--ak', suggestions: [] },
    next: 'mismatch',
  },
  {
    // IDX aliyun/aliyun-cli openapi/errors.go + errors_test.go (3.5.x): %q quoting, suggestions with
    // ` (example: …)`; the argv the harness ran names the command.
    name: '3.5.x: "--InstanceID" is not a valid parameter or flag, suggestion with an example',
    ...hostError('"--InstanceID" is not a valid parameter or flag. See `aliyun help ecs DescribeInstanceAttribute`.', { suggestible: ['InstanceId (example: i-bp1234567890)'] }),
    argv: ['ecs', 'describe-instance-attribute', '--InstanceID', 'i-1', '--user-agent', 'AlibabaCloud-Agent-Skills/probe'],
    kind: 'usage',
    code: 'CliUnknownFlag',
    message: /^`aliyun ecs describe-instance-attribute` was refused: .*--InstanceID \(did you mean --InstanceId\?\)/,
    rejected: { command: 'aliyun ecs describe-instance-attribute', flag: '--InstanceID', suggestions: ['--InstanceId'] },
    next: 'mismatch',
  },
  {
    // IDX docs/en/integrations.md "Agent-mode errors": the compact JSON object on stderr, verbatim, exit 2.
    name: '3.5.x AI mode: Agent error object for an unknown flag, JSON did_you_mean',
    exitCode: 2,
    stderr:
      '{"message":"unknown flag --instnace-type","did_you_mean":["--instance-type"],"recovery":{"action":"search_parameter","command":"aliyun ecs describe-instances --help-search instance-type","hint":"Search request parameters related to instance-type."}}\n',
    argv: ['ecs', 'describe-instances', '--biz-region-id', 'cn-hangzhou', '--instnace-type', 'ecs.g7.large'],
    kind: 'usage',
    code: 'CliUnknownFlag',
    message: /`aliyun ecs describe-instances` was refused: .*--instnace-type \(did you mean --instance-type\?\)/,
    recommend: /--instance-type/,
    rejected: { command: 'aliyun ecs describe-instances', flag: '--instnace-type', suggestions: ['--instance-type'] },
    next: 'mismatch',
  },
  {
    // Observed on aliyun 3.5.1 (public ops notes, index id 70255185662): the quoted Agent message with
    // did_you_mean ["--ListenerIds"]; recovery as openapi/agent_error.go builds it for parameters.
    name: '3.5.1 AI mode: "--ListenerId" is not a valid parameter or flag, did_you_mean --ListenerIds',
    exitCode: 2,
    stderr: agentErrorText({
      message: '"--ListenerId" is not a valid parameter or flag.',
      did_you_mean: ['--ListenerIds'],
      recovery: { action: 'search_parameter', command: 'aliyun alb ListRules --help-search ListenerId', hint: 'Search request parameters related to ListenerId.' },
    }),
    argv: ['alb', 'ListRules', '--ListenerId', 'lsn-1'],
    kind: 'usage',
    code: 'CliUnknownFlag',
    rejected: { command: 'aliyun alb ListRules', flag: '--ListenerId', suggestions: ['--ListenerIds'] },
    next: 'mismatch',
  },
  {
    // S:skills/database/solutions/alibabacloud-analyticdb-postgresql-ai-coaching-best-practice/
    // references/cli-parameter-guide.md:71-72 — a plugin's text as documented (runtime not public).
    name: "plugin (documented): Error: '--RegionId' … / Did you mean: --biz-region-id on one line",
    exitCode: 1,
    stderr: "Error: '--RegionId' is not a valid parameter or flag.\nDid you mean: --biz-region-id\n",
    argv: ['gpdb', 'describe-db-instances', '--RegionId', 'cn-hangzhou'],
    kind: 'usage',
    code: 'CliUnknownFlag',
    rejected: { command: 'aliyun gpdb describe-db-instances', flag: '--RegionId', suggestions: ['--biz-region-id'] },
    next: 'mismatch',
  },
  {
    // A:cli/errors.go:90-101, A:cli/errors_test.go:75 (v3.4.9+); SuggestibleError with no stdout block, exit 2.
    name: 'host v3.4.9+: invalid flag --names, did you mean --name?',
    ...hostError('invalid flag --names, did you mean --name?', { suggestible: [] }),
    argv: ['plugin', 'uninstall', '--names', 'aliyun-cli-ecs'],
    kind: 'usage',
    code: 'CliUnknownFlag',
    rejected: { command: 'aliyun plugin uninstall', flag: '--names', suggestions: ['--name'] },
    next: 'mismatch',
  },
  {
    // A:cli/errors_test.go:91: two close flags joined with " or ".
    name: 'host v3.4.9+: invalid flag --fo, did you mean --foo or --fox?',
    ...hostError('invalid flag --fo, did you mean --foo or --fox?', { suggestible: [] }),
    kind: 'usage',
    code: 'CliUnknownFlag',
    rejected: { flag: '--fo', suggestions: ['--foo', '--fox'] },
  },
  {
    // A:cli/errors.go:98 (no close match: the available flags), coloured bytes as the CLI writes them.
    name: 'host v3.4.9+: invalid flag --user-agent; available flags: … (coloured)',
    exitCode: 2,
    stderr: COLOURED,
    argv: ['plugin', 'install', '--names', 'aliyun-cli-ecs', '--user-agent', 'x'],
    kind: 'usage',
    code: 'CliUnknownFlag',
    message: /The CLI said: invalid flag --user-agent; available flags: --enable-pre/,
    rejected: { command: 'aliyun plugin install', flag: '--user-agent', suggestions: [] },
    next: 'mismatch',
  },
  {
    // v3.4.0–v3.4.8 cli/errors.go:81 `invalid flag %s` (no dashes); the same text is quoted in
    // S:skills/entcmc/dyvms/alibabacloud-vms-smart-call-by-tts/SKILL.md:78.
    name: 'host ≤ v3.4.8: invalid flag source-base (bare name)',
    ...hostError('invalid flag source-base', { suggestible: [] }),
    kind: 'usage',
    code: 'CliUnknownFlag',
    rejected: { flag: '--source-base', suggestions: [] },
  },
  {
    // UMT aliyun-openapi-runtime/argparser/index.go:91-93 wrapped by engine/builder.go:213 (exit code unknown).
    name: 'in-process runtime: unknown flag --instnace-type (run `aliyun ecs describe-instances --help` …)',
    exitCode: 1,
    stderr: 'ERROR: unknown flag --instnace-type (run `aliyun ecs describe-instances --help` for accepted flags)\n',
    kind: 'usage',
    code: 'CliUnknownFlag',
    rejected: { command: 'aliyun ecs describe-instances', flag: '--instnace-type', suggestions: [] },
  },
  {
    // S:skills/container/csk/alibabacloud-ack-cli/references/error-catalogue.md:23 (Cobra style, documented only).
    name: 'plugin (documented): Error: unknown flag: --region-id',
    exitCode: 1,
    stderr: 'Error: unknown flag: --region-id\n',
    kind: 'usage',
    code: 'CliUnknownFlag',
    rejected: { flag: '--region-id' },
  },
  {
    // A:meta/api.go:107-126 + A:openapi/rpc.go:104-107 (tip), ErrorWithTip → exit 3; still a refused
    // command line, not a configuration problem.
    name: 'built-in: required parameters not assigned (exit 3 with tip)',
    ...hostError('required parameters not assigned: \n  --InstanceId', { tip: 'use `aliyun ecs DescribeInstanceAttribute --help` to get more information' }),
    kind: 'usage',
    code: 'CliMissingRequiredFlags',
    message: /requires --InstanceId, which this harness did not send\. The CLI said: required parameters not assigned: --InstanceId$/,
    recommend: /^use `aliyun ecs DescribeInstanceAttribute --help` to get more information$/,
    rejected: { command: 'aliyun ecs DescribeInstanceAttribute', missing: ['--InstanceId'] },
    next: 'mismatch',
  },
  {
    // S:skills/analyticscomputing/dataphin/alibabacloud-dataphin-skills/references/manage/
    // manage-tenant-member/SKILL.md:181 — plugin text as documented (exit code not public).
    name: 'plugin (documented): Error: required flags missing: --page, --page-size',
    exitCode: 1,
    stderr: 'Error: required flags missing: --page, --page-size\n',
    argv: ['dataphin-public', 'list-tenant-members', '--op-tenant-id', '1'],
    kind: 'usage',
    code: 'CliMissingRequiredFlags',
    rejected: { command: 'aliyun dataphin-public list-tenant-members', missing: ['--page', '--page-size'] },
    next: 'mismatch',
  },
  {
    // UMT aliyun-openapi-runtime/runtime/validate.go:28-30 + engine/builder.go:223 (names illustrative).
    name: 'in-process runtime: missing required parameter(s): --a, --b',
    exitCode: 1,
    stderr: 'ERROR: missing required parameter(s): --instance-id, --biz-region-id\nrun `aliyun ecs describe-instance-attribute --help` to see all parameters\n',
    kind: 'usage',
    code: 'CliMissingRequiredFlags',
    rejected: { command: 'aliyun ecs describe-instance-attribute', missing: ['--instance-id', '--biz-region-id'] },
  },
  {
    // A:openapi/errors.go:49-51, pinned by A:openapi/errors_test.go:60; suggestions are API names.
    name: "built-in 3.4.x: 'describeregion' is not a valid api",
    ...hostError("'describeregion' is not a valid api. See `aliyun help ecs`.", { suggestible: ['DescribeRegions'] }),
    kind: 'usage',
    code: 'CliUnknownApi',
    message: /has no API describeregion \(did you mean DescribeRegions\?\)/,
    rejected: { command: 'aliyun ecs', api: 'describeregion', suggestions: ['DescribeRegions'] },
    next: 'mismatch',
  },
  {
    // IDX openapi/errors.go InvalidApiError (3.5.x) and its test: the search pointer instead of "See …".
    name: '3.5.x: "describeregion" is not a valid api. Search matching APIs with …',
    ...hostError('"describeregion" is not a valid api. Search matching APIs with `ALIBABA_CLOUD_BASELINE_PRODUCT_HELP=true aliyun ecs --help-search describeregion`.', { suggestible: [] }),
    argv: ['ecs', 'describeregion'],
    kind: 'usage',
    code: 'CliUnknownApi',
    rejected: { command: 'aliyun ecs describeregion', api: 'describeregion' },
  },
  {
    // A:openapi/commando.go:485-486: an ROA path the metadata does not know, ErrorWithTip → exit 3.
    name: 'built-in ROA: can not find api by path (exit 3 with tip)',
    ...hostError('can not find api by path /clusters/c1/nodes/x', { tip: 'Please confirm if the API path exists' }),
    argv: ['cs', 'GET', '/clusters/c1/nodes/x'],
    kind: 'usage',
    code: 'CliUnknownApi',
    recommend: /Please confirm if the API path exists/,
    rejected: { api: '/clusters/c1/nodes/x' },
    next: 'mismatch',
  },
]

// ---- API errors, in every layout ---------------------------------------------------------------
const apiErrors: Row[] = [
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
    httpStatus: 409,
  },
  {
    name: 'JSON error object on stderr',
    exitCode: 1,
    stderr: `{"Code":"Throttling","Message":"Request was denied due to request throttling.","RequestId":"${RID}"}\n`,
    kind: 'server',
    code: 'Throttling',
    requestId: RID,
  },
  {
    // IDX openapi/agent_error.go serverAgentError: a server error in AI mode is an Agent object with
    // error_code/status_code/request_id and exits 2 — it is still the API's answer, not a usage error.
    name: '3.5.x AI mode: server error as an Agent object (exit 2) keeps the API code, kind permission',
    exitCode: 2,
    stderr: agentErrorText({
      message: 'User not authorized to operate on the specified resource.',
      error_code: 'Forbidden.RAM',
      status_code: 403,
      request_id: RID,
      recovery: {
        action: 'diagnose_error_code',
        command: "aliyun openapiexplorer get-error-code-solutions --error-code 'Forbidden.RAM' --product Ecs --accept-language en-US --region cn-hangzhou",
        hint: 'Look up diagnostic solutions for error code Forbidden.RAM.',
      },
    }),
    kind: 'permission',
    code: 'Forbidden.RAM',
    requestId: RID,
    httpStatus: 403,
    recommend: /^Look up diagnostic solutions for error code Forbidden\.RAM\. Run: aliyun openapiexplorer get-error-code-solutions/,
  },
]

// ---- exit 2 (usage) and 3 (configuration) keep their meaning -----------------------------------
const exitCodes: Row[] = [
  {
    // A:cli/errors.go:62-64 (InvalidCommandError, suggestible → exit 2), A:cli/suggestion.go block.
    name: "usage: 'enabel' is not a valid command, suggestions on stdout (exit 2)",
    ...hostError("'enabel' is not a valid command", { suggestible: ['enable'] }),
    argv: ['configure', 'ai-mode', 'enabel'],
    kind: 'usage',
    code: 'CliUsageError',
    message: /^'enabel' is not a valid command$/,
    recommend: /^The CLI suggests: enable\.$/,
    rejected: { command: 'aliyun configure ai-mode enabel', suggestions: ['enable'] },
    next: 'usage',
  },
  {
    // A:openapi/commando.go:433 `unchecked version %s` is an ErrorWithTip (exit 3) about the command line.
    name: 'usage although exit 3: unchecked version',
    ...hostError('unchecked version 2099-01-01', { tip: 'Use `--version <YYYY-MM-DD>` to assign version' }),
    kind: 'usage',
    code: 'CliUsageError',
    next: 'usage',
  },
  {
    // A:config/profile.go:430 + tip A:openapi/commando.go:400.
    name: 'configuration: missing credentials with tip (exit 3)',
    exitCode: 3,
    stderr: "ERROR: access_key_id is not configured for profile 'default'. Run `aliyun configure --profile default --mode AK` to set it\n\nConfiguration failed, use `aliyun configure` to configure it\n",
    kind: 'configuration',
    code: 'CliConfigurationError',
    message: /access_key_id is not configured/,
    recommend: /^Configuration failed, use `aliyun configure` to configure it$/,
    next: 'configuration',
  },
  {
    // A:config/profile.go:170-173: a fresh machine; coloured as the CLI writes it.
    name: "configuration: region can't be empty (exit 3, coloured)",
    ...hostError("region can't be empty", { tip: 'Configuration failed, use `aliyun configure` to configure it' }),
    kind: 'configuration',
    code: 'CliConfigurationError',
    message: /^region can't be empty$/,
    recommend: /^Configuration failed/,
    next: 'configuration',
  },
  {
    // A:openapi/commando.go:336-337: plugin path, the profile's credentials could not be exchanged.
    name: 'configuration: profile "default": failed to resolve credentials (exit 3)',
    ...hostError('sts exchange failed: InvalidAccessKeyId.NotFound', { tip: 'profile "default": failed to resolve credentials' }),
    kind: 'configuration',
    code: 'CliConfigurationError',
    recommend: /failed to resolve credentials/,
    next: 'configuration',
  },
  {
    // IDX main/main.go (index id 68426609389): a startup configuration failure as an Agent object, exit 1.
    name: '3.5.x AI mode: load current configuration failed as an Agent object',
    exitCode: 1,
    stderr: agentErrorText({
      message: 'load current configuration failed',
      error_code: 'ConfigurationError',
      recovery: { action: 'check_configuration', hint: 'Check that the CLI configuration is readable, contains valid JSON, and selects an existing profile; repair it before retrying.' },
    }),
    kind: 'configuration',
    code: 'CliConfigurationError',
    recommend: /^Check that the CLI configuration is readable/,
    next: 'configuration',
  },
]

// ---- everything else ---------------------------------------------------------------------------
const others: Row[] = [
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
    // A:cli/context.go:144-164: a flag-syntax error is a plain error (exit 1), not a usage refusal.
    name: 'generic error (exit 1): flag exclusivity',
    exitCode: 1,
    stderr: 'ERROR: flag --pager is exclusive with --waiter\n',
    kind: 'unknown',
    code: 'CliCommandFailed',
    message: /exclusive with --waiter/,
  },
  {
    // A:openapi/invoker.go: a malformed --header value says "invalid flag" but is not an unknown flag (exit 1).
    name: 'invalid flag --header `X` use … is a bad value, not an unknown flag',
    exitCode: 1,
    stderr: 'ERROR: invalid flag --header `X-Acs-Foo` use `--header HeaderName=Value`\n',
    kind: 'unknown',
    code: 'CliCommandFailed',
  },
]

describe.each([
  ['the CLI refuses the command line', refusals],
  ['API errors', apiErrors],
  ['exit 2 and 3 keep their meaning', exitCodes],
  ['other failures', others],
] as const)('classifyFailure: %s', (_, rows) => {
  it.each(rows)('$name', (s) => {
    const err = classifyFailure({ exitCode: s.exitCode, stdout: s.stdout ?? '', stderr: s.stderr, durationMs: 5 }, s.argv)
    // Each row states what it knows; one expectation checks all of it.
    expect(err).toMatchObject({
      kind: s.kind,
      code: s.code,
      cliExitCode: s.exitCode,
      ...(s.message ? { message: expect.stringMatching(s.message) } : {}),
      ...(s.requestId ? { requestId: s.requestId } : {}),
      ...(s.recommend ? { recommend: expect.stringMatching(s.recommend) } : {}),
      ...(s.httpStatus ? { httpStatus: s.httpStatus } : {}),
      ...(s.rejected ? { rejected: expect.objectContaining(s.rejected) } : {}),
      ...(s.next ? { nextAction: NEXT_ACTION[s.next] } : {}),
    })
    expect(err.message).not.toMatch(/\u001b/)
  })
})

describe('classifyFailure: other facts', () => {
  it('marks a harness timeout as CommandTimeout whatever the output', () => {
    const err = classifyFailure({ exitCode: 143, stdout: '', stderr: '', durationMs: 120_000, timedOut: true })
    expect(err.code).toBe('CommandTimeout')
    expect(err.kind).toBe('timeout')
  })

  it('every refusal and usage error points to aliyun-harness doctor; configuration errors do not', () => {
    const rows = [...refusals, ...exitCodes].filter((r) => r.next)
    const nextAction = (row: (typeof rows)[number]) => classifyFailure({ exitCode: row.exitCode, stdout: row.stdout ?? '', stderr: row.stderr, durationMs: 1 }, row.argv).nextAction
    for (const row of rows.filter((r) => r.next === 'configuration')) expect(nextAction(row)).toMatch(/outside this session/)
    for (const row of rows.filter((r) => r.next !== 'configuration'))
      expect(nextAction(row)).toMatch(/run `aliyun-harness doctor` to verify on this machine that the CLI accepts every command this harness sends/)
  })
})

describe('the builders reproduce the bytes the CLI’s own tests pin', () => {
  it('the Did you mean block (A:cli/suggestion_test.go:45)', () => {
    expect(didYouMeanText(['hello', 'nihao'])).toBe('\x1b[1;33m\nDid you mean:\n\x1b[0m\x1b[1;33m  hello\n\x1b[0m\x1b[1;33m  nihao\n\x1b[0m')
  })

  it('an ERROR line (A:cli/command_test.go:209) and an error with an empty tip (:222)', () => {
    expect(hostError("'test' is not a valid command", { suggestible: [] }).stderr).toBe("\x1b[1;31mERROR: 'test' is not a valid command\n\x1b[0m")
    expect(hostError('test error tip', { tip: '' })).toEqual({ stdout: '', stderr: '\x1b[1;31mERROR: test error tip\n\x1b[0m\x1b[1;33m\n\n\x1b[0m', exitCode: 3 })
  })
})

describe('suggestionsIn', () => {
  it('reads the block, drops 3.5.x examples and the overflow line (IDX openapi/errors.go)', () => {
    const block = stripAnsi(didYouMeanText(['DescribeInstances', 'DescribeInstanceAttribute (example: i-bp1)', '... and 2 more, run `aliyun ecs --help-search Des`']))
    expect(suggestionsIn(block)).toEqual(['DescribeInstances', 'DescribeInstanceAttribute'])
  })

  it('finds nothing where there is no suggestion', () => {
    expect(suggestionsIn('ERROR: region can\'t be empty\n')).toEqual([])
  })
})

describe('parseAgentError', () => {
  it('reads the one compact object among other stderr lines; ignores JSON without recovery', () => {
    const line = agentErrorText({ message: 'm', recovery: { action: 'search_api', hint: 'h' } })
    expect(parseAgentError(`Note: something\n${line}`)).toMatchObject({ message: 'm', didYouMean: [], recovery: { action: 'search_api', hint: 'h' } })
    expect(parseAgentError('{"Code":"Throttling","Message":"x"}\n')).toBeUndefined()
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

describe('colour', () => {
  it('stripAnsi removes the colour codes the CLI always prints without NO_COLOR', () => {
    expect(stripAnsi(COLOURED)).toBe('ERROR: invalid flag --user-agent; available flags: --enable-pre, --help, --name, --source-base, -h\n')
  })

  it('plainOutput cleans both streams and keeps the rest', () => {
    const raw = { durationMs: 3, ...hostError('x', { suggestible: ['y'] }) }
    expect(plainOutput(raw)).toEqual({ exitCode: 2, durationMs: 3, stdout: '\nDid you mean:\n  y\n', stderr: 'ERROR: x\n' })
  })
})

// ---- what a user or agent sees in the result ---------------------------------------------------
const Regions = z.object({ Regions: z.object({ Region: z.array(z.object({ RegionId: z.string() })) }) })

describe('in a run: the result names the refusal and what to do', () => {
  const policy = probePolicy()
  const b = builder(policy)

  it('a plugin that spells a flag differently: exit 1, CliUnknownFlag with the command, flag and suggestion, next action doctor, no retry', async () => {
    const refused = b.apiRaw(describeRegions(), hostError('"--biz-region-id" is not a valid parameter or flag. See `aliyun help ecs describe-regions`.', { suggestible: ['region-id'] }))
    const r = await runProbe(policy, [refused], (ctx) => ctx.cli.json({ argv: describeRegions(), schema: Regions }))
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ status: 'failed', error: { code: 'CliUnknownFlag', recommend: 'The CLI suggests: --region-id.' }, next_action: NEXT_ACTION.mismatch })
    expect(r.json.error.message).toMatch(/^`aliyun ecs describe-regions` was refused: .*--biz-region-id \(did you mean --region-id\?\)/)
    expect(r.json.steps).toEqual([expect.objectContaining({ step: 'ecs describe-regions', exit_code: 2, error_code: 'CliUnknownFlag', attempt: 1 })])
    expect(r.stdout).not.toMatch(/\u001b/)
  })

  it('colour codes around every JSON answer (ecs-review coloured-output) do not break parsing: the same review as without them', async () => {
    const args = ['ecs-review', '--region', 'cn-hangzhou']
    const [coloured, plain] = await Promise.all([replaySkill(reviewScenarios['coloured-output'], args), replaySkill(reviewScenarios['healthy-fleet'], args)])
    expectCleanReplay(coloured)
    expect(coloured.code).toBe(0)
    expect(coloured.json.status).toBe('completed')
    expect(coloured.json.data).toEqual(plain.json.data)
    // Each answer's RequestId is read through the colour codes, as the recording holds it.
    const recorded = reviewScenarios['coloured-output'].entries.flatMap((e) => (e.kind === 'cli' && e.stdout?.includes('"RequestId"') ? [e.stdout.match(/"RequestId": "([^"]+)"/)![1]] : []))
    expect(coloured.json.steps.flatMap((s: { request_id: string | null }) => (s.request_id ? [s.request_id] : []))).toEqual(recorded)
    expect(coloured.stdout).not.toMatch(/\u001b/)
  })
})

describe('as a process: the real bin against the fake aliyun', () => {
  it('ecs-dr, whose first API call a 3.5.x CLI in AI mode refuses (cli-refused-flag): the JSON result names the flag, the command and the suggestion, points to doctor; no retry', async () => {
    const res = await replayBin(drScenarios['cli-refused-flag'], DR_ARGS['cli-refused-flag'])
    expectCleanReplay(res)
    expect(res.code).toBe(1)
    expect(res.json).toMatchObject({ success: false, status: 'failed', error: { code: 'CliUnknownFlag', recommend: 'The CLI suggests: --instance-id.' }, next_action: NEXT_ACTION.mismatch })
    expect(res.json.error.message).toMatch(/^`aliyun ecs describe-instances` was refused: .*--instance-ids \(did you mean --instance-id\?\)/)
    expect(res.json.steps.at(-1)).toMatchObject({ step: 'describe source instance', exit_code: 2, error_code: 'CliUnknownFlag', attempt: 1 })
  }, 60_000)
})

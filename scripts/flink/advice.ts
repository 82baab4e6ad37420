// What to do next after an API or CLI error (the skill's error → action table, catalogue §1.d).
// Codes stay the API's own (`Forbidden.RAM`, `Throttling`), never an exception class name.

import { CliError, HarnessError } from '../../lib/errors.js'
import type { SkillPolicy } from '../../lib/policy.js'
import { retries } from '../../lib/runner.js'
import type { Command } from './args.js'

const CREATES: ReadonlySet<Command> = new Set(['create', 'create_namespace', 'lifecycle'])

/** `policy` is the run's own (ctx.policy): its transient rule is the one the runner applied. */
export function nextActionFor(err: CliError, command: Command, policy: SkillPolicy): string {
  // The list itself is policy data: lib/finish.ts puts it in error.required_permissions.
  if (err.kind === 'permission')
    return 'Do not retry. Ask an administrator to grant every RAM action in error.required_permissions (the policy JSON is in references/flink.md, RAM) to the identity of the active aliyun profile, then run the command again.'

  // Queries were already tried again by the runner (the policy's transient rule); creates never are.
  const transient = policy.retries.default
  if ((transient && retries(transient, err)) || err.kind === 'timeout') {
    return CREATES.has(command)
      ? 'The create may or may not have been applied. Wait a minute, then run the same command once more: its duplicate check runs first, so an applied create becomes an idempotent no-op instead of a second resource.'
      : 'A transient error persisted after one retry. Wait a minute and run the command once more; do not loop.'
  }
  if (err.kind === 'configuration') return 'Fix the default credential chain outside this session (`aliyun configure`, or the ALIBABA_CLOUD_* environment variables); never paste keys into the conversation. Then retry once.'
  if (err.kind === 'plugin-missing') return `Install the foasconsole plugin (${err.recommend ?? 'aliyun plugin install --names foasconsole'}), then retry once.`
  if (err.kind === 'not-found') return 'Install the aliyun CLI (3.3.1 or later) or point ALIYUN_CLI at it, then retry.'
  if (err.kind === 'usage') return 'The aliyun CLI rejected the command line: the foasconsole plugin flag spellings may differ from scripts/flink/flags.ts. Report this with the error text.'
  return 'Report the error code and message to the user; do not switch to another operation without their approval.'
}

/** Sets next_action on an API/CLI error that has none. */
export function annotate(err: unknown, command: Command, policy: SkillPolicy): unknown {
  if (err instanceof CliError && !err.nextAction) err.nextAction = nextActionFor(err, command, policy)
  return err
}

export function isHarnessError(err: unknown): err is HarnessError {
  return err instanceof HarnessError
}

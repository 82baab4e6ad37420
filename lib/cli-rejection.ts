// Reads the CLI's refusals of a command line — an unknown flag, missing required flags, an unknown
// API — from its own text, in every layout it has printed. The harness builds every command, so a
// refusal means this harness and the installed CLI or plugin disagree about a command's spelling.
// Sources, aliyun/aliyun-cli (v3.4.11 unless noted):
//   `'--X' is not a valid parameter or flag. See \`aliyun help p api\`.`   openapi/errors.go:68-71
//   `'X' is not a valid api. See \`aliyun help p\`.`                      openapi/errors.go:49-51
//   `invalid flag --x, did you mean --y?` / `…; available flags: …`       cli/errors.go:90-101 (v3.4.9+)
//   `invalid flag x`                                                      cli/errors.go:81 (v3.4.0–v3.4.8)
//   `required parameters not assigned: \n  --A` (exit 3, with a tip)     meta/api.go:107-126
//   `can not find api by path /x` (exit 3)                                openapi/commando.go:485
//   stdout `\nDid you mean:\n  a\n  b\n`                                 cli/suggestion.go:32-39
//   3.5.x: the same sentences quoted with `"…"`, suggestions `Name (example: v)`, a `... and N more`
//   line, `"x" is not a valid api. Search matching APIs with \`…\`.`   openapi/errors.go (search index)
//   in-process runtime (branch unify-meta-test): `unknown flag --x (run \`aliyun p c --help\` for
//   accepted flags)`, `missing required parameter(s): --a, --b`
//   plugins (runtime not public; official skills' docs only): `required flags missing: --a, --b`,
//   `Error: '--X' is not a valid parameter or flag.` + `Did you mean: --y`, `unknown flag: --x`.

export type RejectionCode = 'CliUnknownFlag' | 'CliMissingRequiredFlags' | 'CliUnknownApi'

export interface Rejection {
  code: RejectionCode
  /** The CLI's own words, without its `ERROR: ` prefix, on one line. */
  said: string
  flag?: string
  missing?: string[]
  api?: string
  /** The command the CLI's help pointer names (`aliyun help ecs DescribeInstances` → `aliyun ecs DescribeInstances`). */
  command?: string
  suggestions: string[]
}

const QUOTED_PARAMETER = /(['"])(-{1,2}[^'"\s]+)\1 is not a valid parameter or flag\b[^\n]*/
const INVALID_FLAG = /^invalid flag ([^\s"']+?)(?:, did you mean (.+?)\?|; available flags: .*)?$/m
const UNKNOWN_FLAG = /\bunknown flag:? (-{1,2}[\w.-]+)[^\n]*/
const REQUIRED_NOT_ASSIGNED = /required parameters not assigned:[ \t]*((?:\n[ \t]+-{1,2}\S+)+)/
const MISSING_LIST = /(?:required flags missing|missing required parameter\(s\)): (-{1,2}[\w.-]+(?:, -{1,2}[\w.-]+)*)[^\n]*/
const QUOTED_API = /(['"])([^'"\s]+)\1 is not a valid api\b[^\n]*/
const NO_API_BY_PATH = /can not find api by path (\S+)[^\n]*/

/** `aliyun help ecs X` or `aliyun ecs x --help` in the CLI's text → `aliyun ecs X`. */
function helpPointer(text: string): string | undefined {
  const help = text.match(/`aliyun help ([^`]+)`/)?.[1] ?? text.match(/`aliyun ([^`]+?) --help`/)?.[1]
  return help ? `aliyun ${help}` : undefined
}

function asFlag(name: string): string {
  return name.startsWith('-') ? name : `--${name}`
}

/**
 * The CLI's "did you mean" names: the stdout block (one name per two-space-indented line; 3.5.x
 * adds ` (example: …)` and a `... and N more` line), or a plugin's one-line `Did you mean: --y`.
 */
export function suggestionsIn(text: string): string[] {
  const block = text.match(/Did you mean:[ \t]*\n((?:[ \t]+\S[^\n]*(?:\n|$))+)/)
  const lines = block ? block[1].split('\n') : [text.match(/Did you mean:[ \t]*(\S[^\n]*)/)?.[1] ?? '']
  return lines
    .map((l) => l.trim().replace(/ \(example: .*\)$/, ''))
    .filter((l) => l && !l.startsWith('...'))
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}

/** The refusal in the CLI's stderr/stdout (colour already removed), if there is one. */
export function parseRejection(stderr: string, stdout = ''): Rejection | undefined {
  const text = stderr.replace(/^(?:ERROR|Error):[ \t]*/gm, '')
  const shown = suggestionsIn(`${stdout}\n${stderr}`)
  const command = helpPointer(text)

  const flagged = (said: string, flag: string, named: string[] = []): Rejection => ({
    code: 'CliUnknownFlag',
    said: said.trim(),
    flag: asFlag(flag),
    command,
    suggestions: [...new Set([...named, ...shown].map(asFlag))],
  })
  const quoted = text.match(QUOTED_PARAMETER)
  if (quoted) return flagged(quoted[0], quoted[2])
  const unknown = text.match(UNKNOWN_FLAG)
  if (unknown) return flagged(unknown[0], unknown[1])
  const invalid = text.match(INVALID_FLAG)
  if (invalid) return flagged(invalid[0], invalid[1], invalid[2]?.split(' or '))
  const notAssigned = text.match(REQUIRED_NOT_ASSIGNED)
  if (notAssigned) {
    const missing = notAssigned[1].split('\n').map((l) => l.trim()).filter(Boolean)
    return { code: 'CliMissingRequiredFlags', said: oneLine(notAssigned[0]), missing, command, suggestions: [] }
  }
  const list = text.match(MISSING_LIST)
  if (list) return { code: 'CliMissingRequiredFlags', said: list[0].trim(), missing: list[1].split(', '), command, suggestions: [] }
  const api = text.match(QUOTED_API)
  if (api) return { code: 'CliUnknownApi', said: api[0].trim(), api: api[2], command, suggestions: shown }
  const path = text.match(NO_API_BY_PATH)
  if (path) return { code: 'CliUnknownApi', said: path[0].trim(), api: path[1], command, suggestions: [] }
  return undefined
}

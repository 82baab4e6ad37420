// The shape of a skill's acceptance rules: DATA in references/policies.json (`acceptance`, one list
// per skill, written from the seed documents and their acceptance criteria). lib/acceptance.ts
// checks a session — a guard session or any transcript — against them.
//
// A rule selects calls with a Match: `call` is a command-words pattern in the policy grammar
// (`cs GET /clusters/*`, `ecs describe-*`; `*` never crosses `/`, `**` does), `sdk` names an SDK
// call (`sysom CreateClusterVpcEndpointConnection`), `api` is any API command (not configure,
// plugin, version, help, upgrade). `ok` asks for exit 0 (HTTP < 400 for SDK calls), `flag` for a
// flag (glob) with an optional value (glob), `response` for a value in the JSON stdout.

import { z } from 'zod'

const ResponseSchema = z
  .object({
    /** Dotted path into the JSON stdout; numbers index arrays (`Images.Image.0.Status`). */
    path: z.string(),
    in: z.array(z.string()).min(1),
  })
  .strict()

const matchFields = {
  call: z.string().optional(),
  sdk: z.string().optional(),
  api: z.literal(true).optional(),
  ok: z.boolean().optional(),
  flag: z.object({ name: z.string(), value: z.string().optional() }).strict().optional(),
  response: ResponseSchema.optional(),
  /** How the report names the step or call. */
  label: z.string().optional(),
}

const oneTarget = (m: { call?: string; sdk?: string; api?: true }) => [m.call, m.sdk, m.api].filter((x) => x !== undefined).length === 1
const oneTargetMessage = { message: 'a match names exactly one of call, sdk, api' }

export const MatchSchema = z.object(matchFields).strict().refine(oneTarget, oneTargetMessage)
export type Match = z.infer<typeof MatchSchema>

const StepSchema = z
  .object({
    ...matchFields,
    /**
     * A step outside the aliyun CLI (an SDK call the agent makes with its own script). When the
     * session holds no such call the step is reported as not checkable, with this explanation,
     * and the order of the other steps is still checked.
     */
    outside_cli: z.string().optional(),
  })
  .strict()
  .refine(oneTarget, oneTargetMessage)

const EarlierSchema = z
  .object({
    ...matchFields,
    /** Flags whose values must equal the later call's (the image that was Available is the one run). */
    same: z.array(z.string()).default([]),
  })
  .strict()
  .refine(oneTarget, oneTargetMessage)

const RequireSchema = z
  .object({
    /** Each of these flags is present. */
    flags: z.array(z.string()).optional(),
    /** Every occurrence of `flag` carries a value matching `value`. */
    every_group: z.object({ flag: z.string(), value: z.string() }).strict().optional(),
    /**
     * The command line that ran `aliyun` (recorded by guard from the calling process): `command`
     * appears in it as consecutive words (globs), each of `flags` is in it.
     */
    caller: z.object({ command: z.array(z.string()).min(1), flags: z.array(z.string()).default([]) }).strict().optional(),
    /** The value of `flag` was returned earlier at `path` by a call matching `from` (never made up). */
    value_from: z.object({ flag: z.string(), from: MatchSchema, path: z.string() }).strict().optional(),
  })
  .strict()

const common = {
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** The rule as the report states it. */
  text: z.string(),
  /** Where the rule comes from (seed section, acceptance-criteria file). */
  source: z.string(),
  /** The rule applies only when a call matching this was made (otherwise: not applicable). */
  when: MatchSchema.optional(),
  /** Only calls after the first call matching this are considered. */
  after: MatchSchema.optional(),
}

export const AcceptanceRuleSchema = z.discriminatedUnion('kind', [
  /** The steps happen in this order. */
  z.object({ ...common, kind: z.literal('sequence'), steps: z.array(StepSchema).min(2) }).strict(),
  /** Every call matching `then` is preceded by a call matching each of `first`. */
  z.object({ ...common, kind: z.literal('before'), then: MatchSchema, first: z.array(EarlierSchema).min(1) }).strict(),
  /** No call matches any of these. */
  z.object({ ...common, kind: z.literal('never'), match: z.array(MatchSchema).min(1) }).strict(),
  /** Every call in `scope` (default: every API call) matches one of `allow`. */
  z.object({ ...common, kind: z.literal('only'), scope: MatchSchema.optional(), allow: z.array(MatchSchema).min(1) }).strict(),
  /** The number of calls matching `match` is within [min, max]. */
  z.object({ ...common, kind: z.literal('count'), match: MatchSchema, min: z.number().int().min(0).default(0), max: z.number().int().min(0).optional() }).strict(),
  /** Every call matching `match` (and none of `except`) meets `require`. */
  z.object({ ...common, kind: z.literal('each'), match: MatchSchema, except: z.array(MatchSchema).default([]), require: RequireSchema }).strict(),
  /** Every call matching `match` is followed later by a call matching `then` (read-back). */
  z.object({ ...common, kind: z.literal('followed_by'), match: MatchSchema, then: MatchSchema }).strict(),
])
export type AcceptanceRule = z.infer<typeof AcceptanceRuleSchema>

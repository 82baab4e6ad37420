// Decision points (D4). On a terminal a `prompts` select; without one (agents, CI) never a prompt:
// the run ends with exit 3 and a needs_input result whose options each carry the exact command
// line that continues the run with that choice. Every decision has a flag that answers it ahead.

import { emitKeypressEvents } from 'node:readline'
import { parseArgv, shellLine } from './command.js'
import { InterruptedError, NeedsInputError, type DecisionOption } from './errors.js'
import type { IO } from './io.js'

export interface DecisionSpec {
  id: string
  question: string
  /** The flag that answers this decision in advance (each option's continuation sets it). */
  flag: string
  options: (DecisionOption & { args?: string[] })[]
  context?: string
  /** Flags to drop from the original command line in continuations (default: just `flag`). */
  replaces?: string[]
}

export type Prompter = (spec: DecisionSpec) => Promise<string>

/** Esc at a prompt: the person put the question aside (Ctrl-C is an interrupt, as everywhere). */
export class PromptCancelled extends Error {
  constructor() {
    super('The question was cancelled at the prompt.')
  }
}

export const promptsPrompter: Prompter = async (spec) => {
  const options = orderOptions(spec.options)
  // prompts reports Esc and Ctrl-C alike as a cancel; the key that did it tells them apart.
  let escaped = false
  const onKey = (_: unknown, key?: { name?: string }) => {
    escaped = key?.name === 'escape'
  }
  emitKeypressEvents(process.stdin)
  process.stdin.on('keypress', onKey)
  try {
    // Loaded only when a person at a terminal is asked something.
    const { default: prompts } = await import('prompts')
    const answer = await prompts(
      {
        type: 'select',
        name: 'value',
        message: spec.question,
        choices: options.map((o) => ({ title: `${o.label}${o.recommended ? ' (Recommended)' : ''}`, value: o.value })),
        initial: 0,
      },
      {
        onCancel: () => {
          throw escaped ? new PromptCancelled() : new InterruptedError('SIGINT')
        },
      },
    )
    return String(answer.value)
  } finally {
    process.stdin.off('keypress', onKey)
  }
}

function orderOptions<T extends DecisionOption>(options: T[]): T[] {
  return [...options.filter((o) => o.recommended), ...options.filter((o) => !o.recommended)]
}

/** The original argv with the decided flags removed (both `--f v` and `--f=v` forms). */
export function withoutFlags(argv: readonly string[], flags: readonly string[]): string[] {
  const out: string[] = []
  const drop = new Set(flags)
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]
    const name = t.includes('=') ? t.slice(0, t.indexOf('=')) : t
    if (drop.has(name)) {
      if (!t.includes('=')) {
        // Skip the flag's values: tokens up to the next flag.
        while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) i++
      }
      continue
    }
    out.push(t)
  }
  return out
}

export class Decider {
  /** Extra arguments every continuation carries (ecs-dr adds `--resume <run-id>`). */
  continueWith: string[] = []

  constructor(
    private io: IO,
    private skill: string,
    private originalArgv: readonly string[],
    private prompter: Prompter = promptsPrompter,
  ) {}

  async decide(spec: DecisionSpec): Promise<string> {
    if (spec.options.length < 1) throw new Error(`decision ${spec.id} has no options`)
    if (this.io.canPrompt) {
      this.io.flush()
      // The context may quote a CLI error; like every other line it goes through the redactor.
      if (spec.context) this.io.note(spec.context)
      // The prompt library writes to the terminal itself: what it shows is scrubbed first.
      const scrub = (t: string) => this.io.redactor.scrub(t)
      try {
        return await this.prompter({ ...spec, question: scrub(spec.question), options: spec.options.map((o) => ({ ...o, label: scrub(o.label) })) })
      } catch (e) {
        // Esc leaves the question open: the run ends as it would without a terminal, with the
        // command line that continues each option.
        if (e instanceof PromptCancelled) throw this.unanswered(spec)
        throw e
      }
    }
    throw this.unanswered(spec)
  }

  /** The decision as a needs_input result: each option with the command line that continues with it. */
  private unanswered(spec: DecisionSpec): NeedsInputError {
    // A continuation is the real workflow going on: a transcript being replayed or recorded is not carried over.
    const base = withoutFlags(this.originalArgv, [...(spec.replaces ?? [spec.flag]), ...flagsIn(this.continueWith), '--replay', '--record'])
    const options = orderOptions(spec.options).map((o) => {
      const argv = [this.skill, ...base, ...(o.args ?? [spec.flag, o.value]), ...this.continueWith]
      return { value: o.value, label: o.label, recommended: Boolean(o.recommended), argv, command: shellLine(['aliyun-harness', ...argv]) }
    })
    return new NeedsInputError({ id: spec.id, question: spec.question, flag: spec.flag, options, context: spec.context })
  }
}

function flagsIn(args: readonly string[]): string[] {
  return parseArgv(args).groups.map((g) => g.flag)
}

// What a placement choice returns: an answer, a question to ask (each option carrying what it
// leads to), or a stop. The choices are pure functions over the facts; `settle` is the one place
// that asks (ctx.decide: a prompt on a terminal, a needs_input result otherwise).

import type { StopError } from '../../lib/errors.js'
import type { DecisionSpec } from '../../lib/decide.js'
import type { Answers } from './answers.js'
import type { DrRun } from './run.js'

/** Where a choice leads: a value for this round, or a new round with other answers. */
export type Resolved<T> = { kind: 'answer'; value: T } | { kind: 'replan'; answers: Answers }

export type AskOption<T> = DecisionSpec['options'][number] & { outcome: Resolved<T> }

export type Choice<T> =
  | Resolved<T>
  | { kind: 'ask'; spec: Omit<DecisionSpec, 'options'>; options: AskOption<T>[] }
  | { kind: 'stop'; error: StopError }

export const answer = <T>(value: T): { kind: 'answer'; value: T } => ({ kind: 'answer', value })
export const replan = (answers: Answers): { kind: 'replan'; answers: Answers } => ({ kind: 'replan', answers })

/** Asks the question if there is one; a stop ends the run. */
export async function settle<T>(run: DrRun, choice: Choice<T>): Promise<Resolved<T>> {
  if (choice.kind === 'stop') throw choice.error
  if (choice.kind !== 'ask') return choice
  const picked = await run.ctx.decide({ ...choice.spec, options: choice.options.map(({ outcome: _outcome, ...o }) => o) })
  const option = choice.options.find((o) => o.value === picked)
  if (!option) throw new Error(`decision ${choice.spec.id}: '${picked}' is not one of its options`)
  return option.outcome
}

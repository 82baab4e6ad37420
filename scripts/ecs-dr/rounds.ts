// Placement and launch in rounds: each round places (reads are cached) and calls run-instances
// once. A round ends launched, with the answers for another placement (a decision moved the zone,
// type or disk category), or with an image run-instances found not ready (back to the wait).

import { StopError, type CliError } from '../../lib/errors.js'
import { replanned, type Answers } from './answers.js'
import type { PlacementFacts } from './facts.js'
import { waitForImage } from './image.js'
import { launch } from './launch.js'
import { respondToFailure } from './launch-response.js'
import { place } from './place.js'
import type { DrRun } from './run.js'

export type Round = { kind: 'launched'; instanceId: string } | { kind: 'replan'; answers: Answers } | { kind: 'image-not-ready'; error: CliError }

/** Decisions that move the placement (another type, zone or disk category) before giving up. */
export const MAX_PLACEMENT_ROUNDS = 5

async function round(run: DrRun, facts: PlacementFacts, answers: Answers, imageId: string, imageReturns: number): Promise<Round> {
  const placement = await place(run, facts, answers)
  if (placement.kind === 'replan') return placement
  run.publish({ target: placement.plan })
  const launched = await launch(run, placement.plan, imageId)
  if (launched.ok) return { kind: 'launched', instanceId: launched.instanceId }
  return respondToFailure(run, facts, placement.plan, launched.failure, imageReturns)
}

export async function placeAndLaunch(run: DrRun, facts: PlacementFacts, first: Answers, imageId: string, onImageTimeout: string | undefined): Promise<string> {
  let answers = first
  let imageReturns = 0
  for (let n = 1; ; n++) {
    const r = await round(run, facts, answers, imageId, imageReturns)
    if (r.kind === 'launched') return r.instanceId
    if (n >= MAX_PLACEMENT_ROUNDS)
      throw new StopError('PlacementNotFound', `No placement worked after ${n} attempts.`, {
        nextAction: `Choose the zone and type explicitly (--target-zone, --instance-type), then continue with: ${run.resumeCommand}`,
      })
    if (r.kind === 'image-not-ready') {
      imageReturns++
      run.ctx.note(`run-instances: the image is not ready (${r.error.message}); back to waiting for it.`)
      await waitForImage(run, onImageTimeout)
    } else answers = replanned(answers, r.answers)
  }
}

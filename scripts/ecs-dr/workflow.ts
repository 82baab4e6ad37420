// The ecs-dr workflow in the seed's order, skipping what the run state says is already done:
// preflight → source → image (name, create, wait) → placement → run-instances → verify.

import { StopError } from '../../lib/errors.js'
import { chooseImageName, createImage, waitForImage } from './image.js'
import { ImageNotReady, launch } from './launch.js'
import type { DrData } from './model.js'
import { place, Placer, Replan, type Answers } from './placement.js'
import type { DrRun } from './run.js'
import { describeSource } from './source.js'
import { verify } from './verify.js'

export interface DrOptions {
  imageName?: string
  onImageTimeout?: string
  answers: Answers
}

/** Decisions that move the placement (another type, zone or disk category) before giving up. */
const MAX_PLACEMENT_ROUNDS = 5

export async function recover(run: DrRun, opts: DrOptions): Promise<DrData> {
  const { ctx } = run
  await ctx.preflight.cliVersion()
  await ctx.preflight.autoPluginInstall()
  await ctx.preflight.pluginUpdate()
  await ctx.preflight.credentials()

  // The source is read again until the image exists; from then on the recorded facts describe the image.
  if (!run.state.image) {
    run.state.source = await describeSource(run)
    run.save()
  }
  const source = run.state.source!
  run.publish({ source })

  if (!run.state.image) await createImage(run, source, await chooseImageName(run, opts.imageName))
  else {
    if (opts.imageName && opts.imageName !== run.state.image.name) ctx.note(`Image ${run.state.image.id} (${run.state.image.name}) already exists for this run; --image-name ${opts.imageName} is not used.`)
    run.publish({ image: run.state.image })
  }
  if (run.state.image!.status !== 'Available') await waitForImage(run, opts.onImageTimeout)
  const imageId = run.state.image!.id

  if (!run.state.launch) {
    const placer = new Placer(run, source)
    await placer.zoneStock()
    let answers = opts.answers
    let imageReturns = 0
    // Each round places and launches once; a decision that moves the placement, or an image that
    // run-instances finds not ready, starts the next round (the placement reads are cached).
    for (let round = 1; !run.state.launch; round++) {
      try {
        const plan = await place(placer, answers)
        run.publish({ target: plan })
        await launch(run, placer, plan, imageId, imageReturns)
      } catch (e) {
        if (!(e instanceof Replan) && !(e instanceof ImageNotReady)) throw e
        if (round >= MAX_PLACEMENT_ROUNDS)
          throw new StopError('PlacementNotFound', `No placement worked after ${round} attempts.`, {
            nextAction: `Choose the zone and type explicitly (--target-zone, --instance-type), then continue with: ${run.resumeCommand}`,
          })
        if (e instanceof ImageNotReady) {
          imageReturns++
          ctx.note(`run-instances: the image is not ready (${e.error.message}); back to waiting for it.`)
          await waitForImage(run, opts.onImageTimeout)
        } else answers = { ...answers, zone: undefined, instanceType: undefined, vswitchId: undefined, createVswitch: false, cidrBlock: undefined, ...e.answers }
      }
    }
  }

  const { instance_id, plan, stock } = run.state.launch!
  run.publish({ target: plan, ...(stock ? { stock } : {}), new_instance: { instance_id, instance_name: plan.instance_name, status: 'Pending', zone_id: plan.zone, private_ip: null } })
  const { instance, comparison } = await verify(run, instance_id, plan)
  const mismatches = comparison.filter((r) => !r.match).length
  run.publish({ new_instance: instance, comparison, mismatches })
  run.state.result = { ...run.report }
  run.end('completed')
  return run.report
}

// The ecs-dr workflow in the seed's order, skipping what the run state says is already done:
// preflight → source → image (name, create, wait) → placement and run-instances → verify (a
// difference no decision explains fails the run).

import type { Answers } from './answers.js'
import { PlacementFacts } from './facts.js'
import { chooseImageName, createImage, waitForImage } from './image.js'
import type { DrData } from './model.js'
import { placeAndLaunch } from './rounds.js'
import type { DrRun } from './run.js'
import { describeSource } from './source.js'
import { verificationFailure, verify } from './verify.js'

export interface DrOptions {
  imageName?: string
  onImageTimeout?: string
  answers: Answers
}

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

  if (!run.state.launch) {
    const facts = new PlacementFacts(run, source)
    const zones = await facts.stock()
    run.publish({ stock: { instance_type: source.instance_type, instance_charge_type: source.instance_charge_type, zones } })
    await placeAndLaunch(run, facts, opts.answers, run.state.image!.id, opts.onImageTimeout)
  }

  const { instance_id, plan, stock } = run.state.launch!
  run.publish({ target: plan, ...(stock ? { stock } : {}), new_instance: { instance_id, instance_name: plan.instance_name, status: 'Pending', zone_id: plan.zone, private_ip: null } })
  const { instance, comparison } = await verify(run, instance_id, plan)
  const differing = comparison.filter((r) => !r.match)
  run.publish({ new_instance: instance, comparison, mismatches: differing.length, unexplained: differing.filter((r) => r.cause === 'unexplained').length })
  // The run stays active: continuing it verifies again (after a fix), never launches a second instance.
  const failed = verificationFailure(run, instance, comparison)
  if (failed) throw failed
  run.state.result = { ...run.report }
  run.end('completed')
  return run.report
}

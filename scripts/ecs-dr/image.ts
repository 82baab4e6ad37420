// Steps 2–3: the whole-instance image. The name is a decision, create-image never stops the source,
// the image id is saved the moment it exists, and the wait is a 60 s poll with a decision at 5 min.

import { api, type Flags } from '../../lib/command.js'
import { formatDuration } from '../../lib/clock.js'
import { StopError, TimedOutError } from '../../lib/errors.js'
import { CreateImageResponse, DescribeImagesResponse, type EcsImage } from './schemas.js'
import type { ImageFacts, SourceFacts } from './model.js'
import type { DrRun } from './run.js'

export const IMAGE_DESCRIPTION = 'System image for AZ disaster recovery'

// The step-2/3 commands, built once for the steps and for doctor's templates (`ecs`: the regional flags).
export const createImageArgv = (ecs: Flags, instanceId: string, name: string) => api('ecs', 'create-image', { ...ecs, 'instance-id': instanceId, 'image-name': name, description: IMAGE_DESCRIPTION })
export const describeImageArgv = (ecs: Flags, imageId: string) => api('ecs', 'describe-images', { ...ecs, 'image-id': imageId, status: 'Creating,Available,UnAvailable' })
export const IMAGE_POLL_MS = 60_000
/** The seed's "still Creating after 5 minutes" point, and each further window after "keep waiting". */
export const IMAGE_DECISION_MS = 5 * 60_000
/** However often "keep waiting" is chosen, one run waits at most this long before timing out. */
export const IMAGE_MAX_WAIT_MS = 60 * 60_000

const STILL_WORKING = new Set(['Creating', 'Waiting'])

export const defaultImageName = (instanceId: string) => `Create_from_${instanceId}`
export const imageConsole = (region: string) => `https://ecs.console.aliyun.com/image/${region}/images`

export async function chooseImageName(run: DrRun, flag: string | undefined): Promise<string> {
  if (flag) return flag
  const id = run.state.instance_id
  const recommended = defaultImageName(id)
  const dated = `DR_${id}_${new Date(run.ctx.clock.now()).toISOString().slice(0, 10).replace(/-/g, '')}`
  return run.ctx.decide({
    id: 'image-name',
    question: `Name of the whole-instance image of ${id}?`,
    flag: '--image-name',
    options: [
      { value: recommended, label: recommended, recommended: true },
      { value: dated, label: `${dated} (dated)` },
    ],
  })
}

const CREATE_IMAGE_ACTIONS: Record<string, string> = {
  'InvalidInstanceId.NotFound': 'Check the instance id and the region.',
  IncorrectInstanceStatus: 'Wait until the instance is Running or Stopped (this workflow never stops it).',
  'InvalidImageName.Duplicated': 'Choose another name with --image-name.',
  'InvalidImageName.Malformed': 'Choose a name of 2–128 characters that starts with a letter (--image-name).',
}

/** create-image; its ImageId goes into the state file before anything else happens. */
export async function createImage(run: DrRun, source: SourceFacts, name: string): Promise<ImageFacts> {
  const res = await run.attempt({
    argv: run.withToken(createImageArgv(run.flags('ecs'), source.instance_id, name), 'image'),
    schema: CreateImageResponse,
    label: 'create image',
  })
  if (!res.ok) {
    const e = res.error
    throw new StopError(e.code, `create-image failed: ${e.code}: ${e.message}`, {
      requestId: e.requestId,
      nextAction: `${CREATE_IMAGE_ACTIONS[e.code] ?? 'Resolve the cause above.'} Then continue with: ${run.resumeCommand}`,
    })
  }
  const image: ImageFacts = { id: res.data.ImageId, name, status: 'Creating', progress: '0%' }
  run.state.image = image
  run.save()
  run.publish({ image })
  run.ctx.note(`Image ${image.id} (${name}) is being created from ${source.instance_id}; saved to run ${run.id}, so a resumed run will not create another.`)
  return image
}

class StillCreating extends Error {
  constructor(readonly last: EcsImage | undefined) {
    super('image still creating')
  }
}

function imageFacts(img: EcsImage, name: string): ImageFacts {
  return {
    id: img.ImageId,
    name: img.ImageName || name,
    status: img.Status,
    progress: img.Progress,
    ...(img.Description ? { description: img.Description } : {}),
    disk_mappings: img.DiskDeviceMappings.DiskDeviceMapping.length,
  }
}

/** Polls describe-images every 60 s until the image is no longer Creating; a decision every 5 minutes. */
export async function waitForImage(run: DrRun, onTimeout: string | undefined): Promise<ImageFacts> {
  const { ctx, region } = run
  const image = run.state.image!
  const step = {
    argv: describeImageArgv(run.flags('ecs'), image.id),
    schema: DescribeImagesResponse,
    label: 'describe image',
  }
  const find = (d: { Images: { Image: EcsImage[] } }) => d.Images.Image.find((i) => i.ImageId === image.id)
  const started = ctx.clock.now()
  /** One 5-minute window of polls: the image once it is settled (or gone), or StillCreating. */
  const pollWindow = (first: boolean) =>
    run.guard(step.label, () =>
      ctx.cli.poll({
        step,
        everyMs: IMAGE_POLL_MS,
        timeoutMs: IMAGE_DECISION_MS,
        waitFirst: !first,
        until: (d) => {
          const img = find(d)
          return !img || !STILL_WORKING.has(img.Status)
        },
        progress: (d) => {
          const img = find(d)
          const waited = ctx.clock.now() - started
          return `image ${image.id}: ${img ? `${img.Status} ${img.Progress || '0%'}` : 'not listed'}${waited ? ` after ${formatDuration(waited)}` : ''}`
        },
        onExhausted: (d) => new StillCreating(find(d)),
      }).then(
        (res) => find(res.data),
        (e: unknown) => {
          if (e instanceof StillCreating) return e
          throw e
        },
      ),
    )

  for (let window = 1; ; window++) {
    const outcome = await pollWindow(window === 1)
    if (!(outcome instanceof StillCreating)) return settle(run, outcome, image)
    const waited = ctx.clock.now() - started
    const progress = outcome.last?.Progress || image.progress
    run.state.image = { ...image, status: outcome.last?.Status ?? image.status, progress }
    run.save()
    run.publish({ image: run.state.image })
    if (waited >= IMAGE_MAX_WAIT_MS)
      throw new TimedOutError('ImageStillCreating', `Image ${image.id} is still ${outcome.last?.Status ?? 'Creating'} (${progress}) after ${formatDuration(waited)}.`, {
        nextAction: `Follow it at ${imageConsole(region)}, then continue with: ${run.resumeCommand}`,
      })
    await afterWindow(run, image.id, progress, waited, onTimeout)
  }
}

/** The seed's 5-minute decision: keep waiting (returns), open the console (not_ready), or abort. */
async function afterWindow(run: DrRun, imageId: string, progress: string, waitedMs: number, flag: string | undefined): Promise<void> {
  const { ctx, region } = run
  const link = imageConsole(region)
  const choice =
    flag ??
    (await ctx.decide({
      id: 'image-timeout',
      question: `Image ${imageId} is still Creating (${progress}) after ${formatDuration(waitedMs)}. Typical creation takes 3–10 minutes. What now?`,
      flag: '--on-image-timeout',
      options: [
        { value: 'wait', label: 'Keep waiting', recommended: true },
        { value: 'console', label: `Open the console (${link}) and continue later` },
        { value: 'abort', label: 'Abort this operation (the image is kept)' },
      ],
    }))
  if (choice === 'wait') {
    ctx.note(`Image ${imageId} is at ${progress}; waiting up to ${formatDuration(IMAGE_DECISION_MS)} more.`)
    return
  }
  if (choice === 'console')
    throw new TimedOutError('ImageStillCreating', `Image ${imageId} is still Creating (${progress}). Follow it in the console: ${link}`, {
      status: 'not_ready',
      nextAction: `When the image is Available, continue with: ${run.resumeCommand}`,
    })
  run.end('stopped', 'AbortedByUser')
  throw new StopError('AbortedByUser', `Aborted while image ${imageId} was still being created (${progress}). Nothing else was created. The image is kept (this workflow never deletes anything); remove it at ${link} if it is not needed.`)
}

function settle(run: DrRun, img: EcsImage | undefined, image: ImageFacts): ImageFacts {
  if (!img) {
    run.end('stopped', 'ImageNotFound')
    throw new StopError('ImageNotFound', `Image ${image.id} is no longer listed as Creating, Available or UnAvailable (it failed or was removed).`, {
      nextAction: `Check it at ${imageConsole(run.region)}; start a new run (without --resume) to make a new image.`,
    })
  }
  const facts = imageFacts(img, image.name)
  run.state.image = facts
  run.save()
  run.publish({ image: facts })
  if (img.Status !== 'Available') {
    run.end('stopped', 'ImageUnAvailable')
    throw new StopError('ImageUnAvailable', `Image ${img.ImageId} is ${img.Status}: ${img.Description || '(the image has no description)'}`, {
      nextAction: 'Check the source instance and its disks, then start a new run (without --resume).',
    })
  }
  run.ctx.note(`Image ${img.ImageId} is Available (${img.Progress || '100%'}, ${facts.disk_mappings} disk mapping(s)).`)
  return facts
}

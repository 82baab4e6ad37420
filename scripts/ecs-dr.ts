// ecs-dr: cross-zone disaster recovery of an ECS instance (seed 004,
// alibabacloud-ecs-disaster-recovery-image). A whole-instance image of the source (never stopped,
// never modified), then a new instance from it in another zone of the same region, with the
// source's network, billing, bandwidth and disks — every choice a decision (D4), every create
// saved to a run state file so a killed or paused run continues without creating anything twice.

import { HarnessError, NeedsInputError } from '../lib/errors.js'
import type { Result } from '../lib/result.js'
import { autorun, defineSkill } from '../lib/skill.js'
import type { TemplateContext } from '../lib/templates.js'
import { checkFlags } from './ecs-dr/input.js'
import { renderReport } from './ecs-dr/render.js'

/** ECS names: 2–128 characters, starting with a letter or a Chinese character, never a URL. */
const ECS_NAME = /^(?!https?:\/\/)[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5.:_-]{1,127}$/
const ECS_NAME_HINT = '2–128 characters: letters, digits, Chinese characters, ".", ":", "_" or "-", starting with a letter'

const skill = defineSkill({
  name: 'ecs-dr',
  summary: 'Cross-zone disaster recovery: a whole-instance image of an ECS instance, then a new instance from it in another zone of the same region.',
  usage:
    'aliyun-harness ecs-dr --region <region> --instance-id <i-…> [--target-zone <zone>] [--instance-type <type>] [--image-name <name>] [--instance-name <name>] [--vswitch-id <vsw-…> | --create-vswitch --cidr-block <cidr>] [--system-disk-category <cat>] [--on-image-timeout wait|console|abort] [--resume <run-id> | --new-run] [--json]',
  options: {
    region: { type: 'string', required: true, description: 'Region of the source instance; the new instance is created in the same region.', pattern: /^[a-z]+-[a-z0-9-]+$/, hint: 'a region id such as cn-hangzhou', valueName: 'region' },
    'instance-id': { type: 'string', required: true, description: 'The source ECS instance. It is never stopped or modified.', pattern: /^i-[0-9a-z]+$/, hint: 'an ECS instance id such as i-bp1a2b3c4d5e6f7g8h9i', valueName: 'i-…' },
    'target-zone': { type: 'string', description: 'Zone for the new instance (answers the zone decision; must differ from the source zone).', pattern: /^[a-z]+-[a-z0-9]+(-[a-z0-9]+)+$/, hint: 'a zone id such as cn-hangzhou-j', valueName: 'zone' },
    'instance-type': { type: 'string', description: 'Instance type for the new instance (answers the type decision; default offer: the source type when in stock).', pattern: /^ecs\.[a-z0-9-]+\.[a-z0-9-]+$/, hint: 'an instance type such as ecs.g7.xlarge', valueName: 'type' },
    'image-name': { type: 'string', description: 'Name of the whole-instance image (answers the image-name decision; recommended Create_from_<instance-id>).', pattern: ECS_NAME, hint: ECS_NAME_HINT, valueName: 'name' },
    'instance-name': { type: 'string', description: 'Name of the new instance. Default: recovery-<source name>.', pattern: ECS_NAME, hint: ECS_NAME_HINT, valueName: 'name' },
    'vswitch-id': { type: 'string', description: 'An existing VSwitch of the source VPC in the target zone.', pattern: /^vsw-[0-9a-z]+$/, hint: 'a VSwitch id such as vsw-bp1…', valueName: 'vsw-…' },
    'create-vswitch': { type: 'boolean', description: 'Create a VSwitch in the target zone (with --cidr-block) when the source VPC has none there.' },
    'cidr-block': { type: 'string', description: 'CIDR block of the VSwitch to create (/16 to /29, inside the VPC, overlapping no VSwitch).', pattern: /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, hint: 'an IPv4 CIDR block such as 172.16.2.0/24', valueName: 'cidr' },
    'system-disk-category': { type: 'string', description: 'System disk category when the target zone does not offer the source one (answers that decision).', pattern: /^[a-z][a-z0-9_]+$/, hint: 'a disk category such as cloud_essd', valueName: 'category' },
    'on-image-timeout': { type: 'string', choices: ['wait', 'console', 'abort'], description: 'What to do when the image is still Creating after 5 minutes: keep waiting, stop and follow it in the console (resume later), or abort.' },
    resume: { type: 'string', description: 'Continue the run with this id (printed when a run starts and in every result).', pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, hint: 'a run id such as 9f3a61c2b0de', valueName: 'run-id' },
    'new-run': { type: 'boolean', description: 'Start a new recovery (and a new image) even though an unfinished or unreadable run of this instance exists.' },
  },
  examples: [
    'aliyun-harness ecs-dr --region cn-hangzhou --instance-id i-bp1dr0source0001',
    'aliyun-harness ecs-dr --region cn-hangzhou --instance-id i-bp1dr0source0001 --image-name Create_from_i-bp1dr0source0001 --target-zone cn-hangzhou-j --instance-type ecs.g7.xlarge',
    'aliyun-harness ecs-dr --region cn-hangzhou --instance-id i-bp1dr0source0001 --resume 9f3a61c2b0de',
  ],

  // The flags, then the run `--resume` names: every usage error before anything runs.
  async validate(ctx, opts) {
    checkFlags(opts)
    // The run state (and its schema, zod) loads when a recovery runs: `--help` stays light.
    return (await import('./ecs-dr/start.js')).resumable(ctx, opts)
  },

  async run(ctx, opts, _positionals, resume) {
    const [{ openRun }, { recover }] = await Promise.all([import('./ecs-dr/start.js'), import('./ecs-dr/workflow.js')])
    const opened = await openRun(ctx, opts, resume)
    if (opened.kind === 'completed') {
      ctx.note(`Run ${opened.record.run_id} already completed; nothing to do.`)
      return { status: 'noop', data: opened.data }
    }
    const run = opened.run
    // A replay's state is thrown away when it ends: no hint to resume a run that will not exist.
    if (ctx.keepsState) {
      ctx.continueWith(['--resume', run.id])
      ctx.note(`ecs-dr run ${run.id}${run.resumed ? ' (resumed)' : ''}; state in ${run.report.state_file}. If it is interrupted, continue with: ${run.resumeCommand}`)
    } else ctx.note(`ecs-dr run ${run.id}${run.resumed ? ' (resumed)' : ''} (a replay: its state is thrown away when it ends).`)

    try {
      const data = await recover(run, {
        imageName: opts['image-name'],
        onImageTimeout: opts['on-image-timeout'],
        answers: {
          zone: opts['target-zone'],
          instanceType: opts['instance-type'],
          vswitchId: opts['vswitch-id'],
          createVswitch: opts['create-vswitch'],
          cidrBlock: opts['cidr-block'],
          systemDiskCategory: opts['system-disk-category'],
          instanceName: opts['instance-name'],
        },
      })
      return {
        status: 'completed',
        data,
        nextAction: data.mismatches ? `Review the ${data.mismatches} row(s) of the comparison that differ.` : undefined,
      }
    } catch (e) {
      // Every way out of an unfinished run says how to continue it (decisions carry it in each option).
      if (e instanceof HarnessError && !(e instanceof NeedsInputError) && run.active && !e.nextAction && ctx.keepsState) e.nextAction = `Continue with: ${run.resumeCommand}`
      throw e
    }
  },

  async templates(t: TemplateContext) {
    return (await import('./ecs-dr/templates.js')).drTemplates(t)
  },

  render(result: Result, h) {
    renderReport(result, h)
  },
})

export default skill
await autorun(skill, import.meta.url)

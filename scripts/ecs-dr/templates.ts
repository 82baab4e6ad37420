// Every API command a recovery can send (doctor), built by the functions its steps call, with
// representative values; creates carry their idempotency token exactly as the run adds it.

import { SAMPLE, type CommandTemplate, type TemplateContext } from '../../lib/templates.js'
import { withClientToken } from './calls.js'
import { createImageArgv, describeImageArgv } from './image.js'
import { runInstancesArgv } from './launch.js'
import type { Plan } from './model.js'
import { createVSwitchArgv } from './create-vswitch.js'
import { systemDiskArgv, typeStockArgv, vpcVSwitchesArgv, zoneTypesArgv } from './facts.js'
import { describeDisksArgv, describeInstanceArgv } from './source.js'

export function drTemplates(t: TemplateContext): CommandTemplate[] {
  const ecs = t.region('ecs', SAMPLE.region)
  const vpc = t.region('vpc', SAMPLE.region)
  const nonce = '0d0c70d0c70d'
  const [instanceId, vpcId, type, chargeType] = ['i-bp1doctor0000000001', 'vpc-bp1doctor0000000001', 'ecs.g7.xlarge', 'PostPaid']
  const plan: Plan = {
    zone: SAMPLE.zone,
    instance_type: type,
    vswitch_id: 'vsw-bp1doctor0000000001',
    vswitch_created: false,
    security_group_id: 'sg-bp1doctor0000000001',
    instance_name: 'recovery-doctor-sample',
    instance_charge_type: chargeType,
    internet_charge_type: 'PayByTraffic',
    internet_max_bandwidth_out: 5,
    system_disk: { device: '/dev/xvda', category: 'cloud_essd', size: 40, performance_level: 'PL0' },
    data_disks: [
      { device: '/dev/xvdb', category: 'cloud_essd', size: 100, performance_level: 'PL1' },
      { device: '/dev/xvdc', category: 'cloud_efficiency', size: 200, performance_level: null },
    ],
    why: {},
  }
  return [
    { name: 'ecs describe-instances', argv: describeInstanceArgv(ecs, instanceId), why: 'step 1: the source instance, and step 6: the new one' },
    { name: 'ecs describe-disks', argv: describeDisksArgv(ecs, instanceId, 1), why: 'step 1: the source’s disks' },
    { name: 'ecs describe-disks (next page)', argv: describeDisksArgv(ecs, instanceId, 2), why: 'step 1: the source’s disks, every page after the first' },
    { name: 'ecs create-image', argv: withClientToken(createImageArgv(ecs, instanceId, `Create_from_${instanceId}`), nonce, 'image'), why: 'step 2: the whole-instance image' },
    { name: 'ecs describe-images', argv: describeImageArgv(ecs, 'm-bp1doctor0000000001'), why: 'step 3: poll the image every 60 s' },
    { name: 'ecs describe-available-resource (type stock)', argv: typeStockArgv(ecs, type, chargeType), why: 'step 4a: the source type’s stock per zone' },
    { name: 'ecs describe-available-resource (zone types)', argv: zoneTypesArgv(ecs, SAMPLE.zone, chargeType), why: 'step 4a: the types in stock in a zone' },
    { name: 'ecs describe-available-resource (system disk)', argv: systemDiskArgv(ecs, SAMPLE.zone, type, chargeType), why: 'step 4c: the system disk categories' },
    { name: 'ecs describe-vswitches', argv: vpcVSwitchesArgv(ecs, vpcId, 1), why: 'step 4b: the VSwitches of the source VPC' },
    { name: 'ecs describe-vswitches (next page)', argv: vpcVSwitchesArgv(ecs, vpcId, 2), why: 'step 4b: every page after the first' },
    { name: 'vpc create-vswitch', argv: withClientToken(createVSwitchArgv(vpc, vpcId, SAMPLE.zone, '172.16.8.0/24'), nonce, 'vswitch'), why: 'step 4b, --create-vswitch: a VSwitch in the target zone' },
    { name: 'ecs run-instances', argv: withClientToken(runInstancesArgv(ecs, 'm-bp1doctor0000000001', plan), nonce, 'instance'), why: 'step 5: the new instance, with the source’s disks' },
  ]
}

// Every command the flink sub-commands can send (doctor), built by the functions they call, with
// representative values. Loaded when doctor asks.

import { SAMPLE, type CommandTemplate, type TemplateContext } from '../../lib/templates.js'
import { chargeTypeOf, createInstanceArgv, resolveSpec } from './create-instance.js'
import { createNamespaceArgv } from './create-namespace.js'
import { listTagsArgv, supportedRegionsArgv, supportedZonesArgv } from './queries.js'
import { describeInstancesArgv, describeNamespacesArgv } from './read.js'

export function flinkTemplates(tc: TemplateContext): CommandTemplate[] {
  const region = SAMPLE.region
  const instanceId = 'f-cn-doctor0001'
  const instance = { region, name: 'doctor-sample', vpcId: 'vpc-bp1doctor0000000001', vswitchId: 'vsw-bp1doctor0000000001' }
  return [
    { name: 'foasconsole describe-supported-regions', argv: supportedRegionsArgv(tc), why: 'describe_regions' },
    { name: 'foasconsole describe-supported-zones', argv: supportedZonesArgv(tc, region), why: 'describe_zones' },
    { name: 'foasconsole describe-instances', argv: describeInstancesArgv(tc, region, 1), why: 'describe, and the duplicate-name check of create (every page)' },
    { name: 'foasconsole describe-instances --instance-id', argv: describeInstancesArgv(tc, region, 1, instanceId), why: 'the read-back after create, --wait, and create_namespace’s instance check' },
    { name: 'foasconsole describe-namespaces', argv: describeNamespacesArgv(tc, region, instanceId, 1), why: 'describe_namespaces, and create_namespace’s capacity check (every page)' },
    { name: 'foasconsole describe-namespaces --namespace', argv: describeNamespacesArgv(tc, region, instanceId, 1, 'dev'), why: 'the read-back after create_namespace' },
    { name: 'foasconsole list-tag-resources', argv: listTagsArgv(tc, region, 'vvpinstance', [instanceId]), why: 'list_tags' },
    { name: 'foasconsole list-tag-resources (next page)', argv: listTagsArgv(tc, region, 'vvpinstance', [instanceId], SAMPLE.nextToken), why: 'list_tags: every page after the first' },
    { name: 'foasconsole create-instance', argv: createInstanceArgv(tc, { ...instance, autoRenew: false }, chargeTypeOf('PayAsYouGo'), resolveSpec({ cuCount: 4 })), why: 'create with --instance_type PayAsYouGo' },
    { name: 'foasconsole create-instance (subscription)', argv: createInstanceArgv(tc, { ...instance, autoRenew: true, period: 1 }, chargeTypeOf('Subscription'), resolveSpec({ cpu: 4, memoryGb: 16 })), why: 'create with a subscription period and --auto_renew' },
    { name: 'foasconsole create-namespace', argv: createNamespaceArgv(tc, { region, instanceId, name: 'dev' }, { cpu: 2, memoryGb: 8 }), why: 'create_namespace' },
  ]
}

// Every API command a deployment can send (doctor), built by the functions its steps call (argv,
// and retry choice where a step makes one), with representative values. Loaded when doctor asks.

import { SAMPLE, type CommandTemplate, type TemplateContext } from '../../lib/templates.js'
import { laterPageArgv } from './calls.js'
import { DEFAULTS } from './defaults.js'
import { createServiceStep, describeServiceOnceStep, serviceEndpointsArgv } from './deploy.js'
import { listImagesArgv, listServicesArgv, listWorkspacesArgv, machineSpecStep } from './discovery.js'
import { describeGatewayArgv, describeVpcsArgv, describeVSwitchesArgv, listGatewayArgv, listResourcesArgv, securityGroupsArgv } from './network.js'
import { buildServiceConfig } from './service-config.js'

export function easTemplates(t: TemplateContext): CommandTemplate[] {
  const region = SAMPLE.region
  const vpcId = 'vpc-bp1doctor0000000001'
  const listed = (name: string, argv: string[], why: string): CommandTemplate[] => [
    { name, argv, why },
    { name: `${name} (next page)`, argv: laterPageArgv(argv, 2, 10), why: `${why}: every page after the first` },
  ]
  const config = buildServiceConfig({ name: 'doctor_sample', replicas: DEFAULTS.replicas, image: 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:0.8.5.post1', command: 'vllm serve /model_dir', port: DEFAULTS.port, instanceType: 'ecs.gn7i-c16g1.4xlarge', network: { kind: 'shared' } })
  return [
    ...listed('aiworkspace list-workspaces', listWorkspacesArgv(t, region), 'Step 1: find the workspace when --workspace-id is not given'),
    ...listed('eas list-services', listServicesArgv(t, region), 'Steps 1.5 and 6: the duplicate-name check'),
    { name: 'aiworkspace list-images', argv: listImagesArgv(t, region), why: 'Step 2: validate the image against the official EAS images' },
    { name: 'eas describe-machine-spec', ...machineSpecStep(t, region), why: 'Step 3: validate the instance type' },
    ...listed('eas list-gateway', listGatewayArgv(t, region), 'Step 4, --network gateway: the dedicated gateways'),
    { name: 'eas describe-gateway', argv: describeGatewayArgv(t, region, 'gw-doctor0000000001'), why: 'Step 4, --network gateway: the gateway’s VPC' },
    { name: 'ecs describe-security-groups', argv: securityGroupsArgv(t, region, vpcId), why: 'Step 4, gateway or NLB: a security group of the VPC' },
    { name: 'vpc describe-vpcs', argv: describeVpcsArgv(t, region), why: 'Step 4, --network nlb without --vpc-id' },
    { name: 'vpc describe-vswitches', argv: describeVSwitchesArgv(t, region, vpcId), why: 'Step 4, --network nlb: VSwitches in two zones' },
    ...listed('eas list-resources', listResourcesArgv(t, region), 'Step 4, --resource-group: the dedicated resource groups'),
    { name: 'eas create-service', ...createServiceStep(t, region, config as unknown as Record<string, unknown>), why: 'Step 6: create the service from service.json, inline' },
    { name: 'eas describe-service', ...describeServiceOnceStep(t, region, 'doctor_sample'), why: 'Step 7: the service, once' },
    { name: 'eas describe-service-endpoints', argv: serviceEndpointsArgv(t, region, 'doctor_sample'), why: 'Step 8: the endpoints and the AccessToken' },
  ]
}

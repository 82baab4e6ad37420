// zod schemas for the list responses only ecs-review reads (api-shapes §2.9, §2.10, §4, §5).
// Only the fields the review uses are declared: zod strips the rest. ESS 2014-08-28 (the ESS
// plugin's default version) wraps every list (`ScalingGroups.ScalingGroup[]`); ECI 2018-08-08
// returns flat arrays (`ContainerGroups[]`). Instances and images: lib/ecs-shapes.ts.

import { z } from 'zod'
import { wrapped, type EcsImage, type EcsInstance } from '../../lib/ecs-shapes.js'

export { DescribeImagesResponse as DescribeImagesPage, DescribeInstancesResponse as DescribeInstancesPage } from '../../lib/ecs-shapes.js'
export type FleetInstance = EcsInstance
export type FleetImage = EcsImage

const optionalString = z.string().optional()

// ---- ECS DescribeDeploymentSets (PageNumber/PageSize ≤ 50) ---------------------------------
export const FleetDeploymentSet = z.object({
  DeploymentSetId: z.string(),
  DeploymentSetName: z.string().default(''),
  Strategy: z.string().default(''),
  InstanceAmount: z.number().optional(),
  InstanceIds: wrapped('InstanceId', z.string()).optional(),
})
export type FleetDeploymentSet = z.infer<typeof FleetDeploymentSet>

export const DescribeDeploymentSetsPage = z.object({
  DeploymentSets: wrapped('DeploymentSet', FleetDeploymentSet),
  TotalCount: z.number().optional(),
})
export type DescribeDeploymentSetsPage = z.infer<typeof DescribeDeploymentSetsPage>

// ---- ECS DescribeInvocations (Cloud Assistant; NextToken/MaxResults ≤ 50) ------------------
export const FleetInvocation = z.object({
  InvokeId: z.string(),
  CommandId: optionalString,
  CommandName: z.string().default(''),
  /** The overall status; `InvokeStatus` is the legacy field the API still returns. */
  InvocationStatus: optionalString,
  InvokeStatus: optionalString,
  CreationTime: z.string().default(''),
  RepeatMode: optionalString,
  InvokeInstances: wrapped(
    'InvokeInstance',
    z.object({
      InstanceId: z.string(),
      InvocationStatus: optionalString,
      ErrorCode: optionalString,
      ExitCode: z.number().optional(),
    }),
  ).optional(),
})
export type FleetInvocation = z.infer<typeof FleetInvocation>

export const DescribeInvocationsPage = z.object({
  Invocations: wrapped('Invocation', FleetInvocation),
  NextToken: optionalString,
  TotalCount: z.number().optional(),
})
export type DescribeInvocationsPage = z.infer<typeof DescribeInvocationsPage>

// ---- ESS 2014-08-28 (wrapped; PageNumber/PageSize ≤ 50) ------------------------------------
export const FleetScalingGroup = z.object({
  ScalingGroupId: z.string(),
  ScalingGroupName: z.string().default(''),
  LifecycleState: z.string().default(''),
  MinSize: z.number(),
  MaxSize: z.number(),
  DefaultCooldown: z.number().optional(),
  /** `NONE | ECS | LOAD_BALANCER`; absent means the response did not say. */
  HealthCheckType: optionalString,
  GroupType: optionalString,
  MultiAZPolicy: optionalString,
  SpotInstanceRemedy: z.boolean().optional(),
  SpotInstancePools: z.number().optional(),
  OnDemandBaseCapacity: z.number().optional(),
  OnDemandPercentageAboveBaseCapacity: z.number().optional(),
  CompensateWithOnDemand: z.boolean().optional(),
  TotalCapacity: z.number().optional(),
})
export type FleetScalingGroup = z.infer<typeof FleetScalingGroup>

export const DescribeScalingGroupsPage = z.object({
  ScalingGroups: wrapped('ScalingGroup', FleetScalingGroup),
  TotalCount: z.number().optional(),
})
export type DescribeScalingGroupsPage = z.infer<typeof DescribeScalingGroupsPage>

export const FleetScalingRule = z.object({
  ScalingRuleId: z.string(),
  ScalingRuleName: z.string().default(''),
  ScalingGroupId: z.string(),
  ScalingRuleType: z.string().default(''),
  ScalingRuleAri: optionalString,
  Cooldown: z.number().optional(),
})
export type FleetScalingRule = z.infer<typeof FleetScalingRule>

export const DescribeScalingRulesPage = z.object({
  ScalingRules: wrapped('ScalingRule', FleetScalingRule),
  TotalCount: z.number().optional(),
})
export type DescribeScalingRulesPage = z.infer<typeof DescribeScalingRulesPage>

export const FleetScheduledTask = z.object({
  ScheduledTaskId: z.string(),
  ScheduledTaskName: z.string().default(''),
  /** Set when the task changes the group's sizes; otherwise ScheduledAction names a rule ARI. */
  ScalingGroupId: optionalString,
  ScheduledAction: optionalString,
  TaskEnabled: z.boolean().optional(),
  RecurrenceType: optionalString,
})
export type FleetScheduledTask = z.infer<typeof FleetScheduledTask>

export const DescribeScheduledTasksPage = z.object({
  ScheduledTasks: wrapped('ScheduledTask', FleetScheduledTask),
  TotalCount: z.number().optional(),
})
export type DescribeScheduledTasksPage = z.infer<typeof DescribeScheduledTasksPage>

/** DescribeScalingInstances: which ECS instances belong to which group (ScalingGroupId optional). */
export const FleetScalingInstance = z.object({
  InstanceId: z.string(),
  ScalingGroupId: z.string(),
  HealthStatus: optionalString,
  LifecycleState: optionalString,
  CreationType: optionalString,
})
export type FleetScalingInstance = z.infer<typeof FleetScalingInstance>

export const DescribeScalingInstancesPage = z.object({
  ScalingInstances: wrapped('ScalingInstance', FleetScalingInstance),
  TotalCount: z.number().optional(),
})
export type DescribeScalingInstancesPage = z.infer<typeof DescribeScalingInstancesPage>

// ---- ECI 2018-08-08 DescribeContainerGroups (flat; NextToken/Limit ≤ 20) -------------------
export const FleetContainerGroup = z.object({
  ContainerGroupId: z.string(),
  ContainerGroupName: z.string().default(''),
  Status: z.string().default(''),
  SpotStrategy: optionalString,
  ZoneId: optionalString,
})
export type FleetContainerGroup = z.infer<typeof FleetContainerGroup>

export const DescribeContainerGroupsPage = z.object({
  ContainerGroups: z.array(FleetContainerGroup).default([]),
  NextToken: optionalString,
  TotalCount: z.number().optional(),
})
export type DescribeContainerGroupsPage = z.infer<typeof DescribeContainerGroupsPage>

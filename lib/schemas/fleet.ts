// zod schemas for the list responses ecs-review reads (api-shapes §2.1, §2.4, §2.9, §2.10, §4, §5).
// Only the fields the review uses are declared: zod strips the rest, so a page of 100 instances
// is reduced to a few fields per instance before anything keeps it.
// ECS and ESS 2014-08-28 (the ESS plugin's default version) wrap every list (`Instances.Instance[]`,
// `ScalingGroups.ScalingGroup[]`); ECI 2018-08-08 returns flat arrays (`ContainerGroups[]`).

import { z } from 'zod'

/** `{ "<Plural>": { "<Singular>": [...] } }`; an absent or empty wrapper is an empty list. */
function wrapped<K extends string, T extends z.ZodType>(key: K, item: T) {
  return z.object({ [key]: z.array(item).default([]) } as { [P in K]: z.ZodDefault<z.ZodArray<T>> })
}

const optionalString = z.string().optional()

// ---- ECS DescribeInstances (NextToken/MaxResults) -----------------------------------------
export const FleetInstance = z.object({
  InstanceId: z.string(),
  InstanceName: optionalString,
  InstanceType: z.string().default(''),
  InstanceTypeFamily: z.string().default(''),
  Status: z.string(),
  ZoneId: z.string().default(''),
  ImageId: z.string().default(''),
  OSName: optionalString,
  SpotStrategy: z.string().default('NoSpot'),
  SpotInterruptionBehavior: optionalString,
  InstanceChargeType: z.string().default(''),
  DeploymentSetId: z.string().default(''),
  ExpiredTime: z.string().default(''),
  StoppedMode: optionalString,
  OperationLocks: wrapped('LockReason', z.object({ LockReason: z.string() })).optional(),
})
export type FleetInstance = z.infer<typeof FleetInstance>

export const DescribeInstancesPage = z.object({
  Instances: wrapped('Instance', FleetInstance),
  NextToken: optionalString,
  TotalCount: z.number().optional(),
})
export type DescribeInstancesPage = z.infer<typeof DescribeInstancesPage>

// ---- ECS DescribeImages --image-owner-alias self (PageNumber/PageSize ≤ 100) ----------------
export const FleetImage = z.object({
  ImageId: z.string(),
  ImageName: z.string().default(''),
  CreationTime: z.string().default(''),
  Status: optionalString,
  ImageFamily: z.string().default(''),
  ImageVersion: z.string().default(''),
  OSName: optionalString,
})
export type FleetImage = z.infer<typeof FleetImage>

export const DescribeImagesPage = z.object({
  Images: wrapped('Image', FleetImage),
  TotalCount: z.number().optional(),
  PageNumber: z.number().optional(),
  PageSize: z.number().optional(),
})
export type DescribeImagesPage = z.infer<typeof DescribeImagesPage>

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

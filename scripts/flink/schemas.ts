// zod schemas for the foasconsole 2021-10-28 responses the flink skill reads (api-shapes §11:
// PascalCase keys, flat arrays, numbers for Cpu/MemoryGB and paging fields).
// Bodies that the original wrapper returned whole as `data` (every query, both creates, the
// `ExistingInstance`/`ExistingNamespace` of a no-op) are loose objects: the fields the workflow
// decides on are validated, every other field is kept, so `data` stays the API body.

import { z } from 'zod'

const num = z.number().optional()
const str = z.string().optional()

/**
 * `{Cpu, MemoryGB}`. The original wrapper also accepted `cpu`/`memory_gb` keys
 * (`_get_resource_spec_values`), so both spellings are read.
 */
export const ResourceSpec = z.looseObject({ Cpu: num, MemoryGB: num, cpu: num, memory_gb: num })
export type ResourceSpec = z.infer<typeof ResourceSpec>

export const FlinkInstance = z.looseObject({
  InstanceId: z.string(),
  InstanceName: str,
  /** CREATING, RUNNING, … (only RUNNING is confirmed, api-shapes §11). */
  ClusterStatus: str,
  /** PRE (Subscription) or POST (PayAsYouGo). */
  ChargeType: str,
  ResourceSpec: ResourceSpec.optional(),
  Region: str,
  ZoneId: str,
  VpcId: str,
  VSwitchIds: z.array(z.string()).optional(),
})
export type FlinkInstance = z.infer<typeof FlinkInstance>

const Paging = { PageIndex: num, PageSize: num, TotalCount: num, TotalPage: num, RequestId: str, Success: z.boolean().optional() }

export const DescribeInstancesBody = z.looseObject({ ...Paging, Instances: z.array(FlinkInstance).default([]) })
export type DescribeInstancesBody = z.infer<typeof DescribeInstancesBody>

/** `ResourceUsed {Cpu, Cu, MemoryGB}`: what the namespace uses now, floats in the SDK model (the specs are int32). */
export const ResourceUsed = z.looseObject({ Cpu: num, Cu: num, MemoryGB: num })

/**
 * The four resource fields of DescribeNamespaces (foasconsole 2021-10-28 SDK model), all optional:
 * `ResourceSpec` ("the resource specification information", the older field),
 * `GuaranteedResourceSpec` ("the subscription resources allocated to the namespace"),
 * `ElasticResourceSpec` ("the maximum … limit for pay-as-you-go resources"; `{Cpu: 0, MemoryGB: 0}` on
 * a namespace without pay-as-you-go resources) and `ResourceUsed`.
 */
export const FlinkNamespace = z.looseObject({
  Namespace: z.string(),
  /** SUCCESS when ready (api-shapes §11). */
  Status: str,
  ResourceSpec: ResourceSpec.optional(),
  GuaranteedResourceSpec: ResourceSpec.optional(),
  ElasticResourceSpec: ResourceSpec.optional(),
  ResourceUsed: ResourceUsed.optional(),
})
export type FlinkNamespace = z.infer<typeof FlinkNamespace>

export const DescribeNamespacesBody = z.looseObject({ ...Paging, Namespaces: z.array(FlinkNamespace).default([]) })
export type DescribeNamespacesBody = z.infer<typeof DescribeNamespacesBody>

export const DescribeSupportedRegionsBody = z.looseObject({
  ...Paging,
  Regions: z.array(z.looseObject({ Region: z.string(), RegionName: str })).default([]),
})

export const DescribeSupportedZonesBody = z.looseObject({ ...Paging, ZoneIds: z.array(z.string()).default([]) })

export const ListTagResourcesBody = z.looseObject({
  RequestId: str,
  Success: z.boolean().optional(),
  NextToken: z.string().nullish(),
  TagResources: z.array(z.looseObject({ ResourceId: str, ResourceType: str, TagKey: str, TagValue: str })).default([]),
})
export type ListTagResourcesBody = z.infer<typeof ListTagResourcesBody>

export const CreateInstanceBody = z.looseObject({
  RequestId: str,
  Success: z.boolean().optional(),
  /** The new instance's id is `OrderInfo.InstanceId` ([TF] reads `$.OrderInfo.InstanceId`). */
  OrderInfo: z.looseObject({ InstanceId: z.string(), OrderId: num }),
})
export type CreateInstanceBody = z.infer<typeof CreateInstanceBody>

export const CreateNamespaceBody = z.looseObject({ RequestId: str, Success: z.boolean().optional() })
export type CreateNamespaceBody = z.infer<typeof CreateNamespaceBody>

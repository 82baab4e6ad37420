// zod schemas for the ECS 2014-05-26 and VPC 2016-04-28 responses only ecs-dr reads (api-shapes
// §2.2–§2.7, §3.1), with the real wire names. The instance and image shapes ecs-review reads too
// are in lib/ecs-shapes.ts.

import { z } from 'zod'
import { text, wrapped } from '../../lib/ecs-shapes.js'

export { DescribeImagesResponse, DescribeInstancesResponse, EcsImage, EcsInstance } from '../../lib/ecs-shapes.js'

// ---- DescribeDisks (--instance-id i-…) ----------------------------------------------------
export const EcsDisk = z.object({
  DiskId: z.string(),
  /** `system` | `data` */
  Type: text,
  Device: text,
  Category: text,
  /** GiB */
  Size: z.number(),
  /** `PL0`–`PL3` for ESSD, empty for other categories. */
  PerformanceLevel: text,
})
export type EcsDisk = z.infer<typeof EcsDisk>

export const DescribeDisksResponse = z.object({
  Disks: wrapped('Disk', EcsDisk).default({ Disk: [] }),
  TotalCount: z.number().optional(),
})
export type DescribeDisksResponse = z.infer<typeof DescribeDisksResponse>

// ---- CreateImage ----------------------------------------------------------------------------
export const CreateImageResponse = z.object({ ImageId: z.string().min(1) })

// ---- DescribeAvailableResource (InstanceType / SystemDisk destinations) ---------------------
export const SupportedResource = z.object({
  Value: text,
  /** `Available | SoldOut` */
  Status: text,
  /** `WithStock | ClosedWithStock | WithoutStock | ClosedWithoutStock` */
  StatusCategory: text,
})
export type SupportedResource = z.infer<typeof SupportedResource>

export const AvailableZone = z.object({
  ZoneId: z.string(),
  Status: text,
  StatusCategory: text,
  AvailableResources: wrapped(
    'AvailableResource',
    z.object({
      Type: text,
      SupportedResources: wrapped('SupportedResource', SupportedResource).default({ SupportedResource: [] }),
    }),
  ).default({ AvailableResource: [] }),
})
export type AvailableZone = z.infer<typeof AvailableZone>

export const DescribeAvailableResourceResponse = z.object({
  AvailableZones: wrapped('AvailableZone', AvailableZone).default({ AvailableZone: [] }),
})
export type DescribeAvailableResourceResponse = z.infer<typeof DescribeAvailableResourceResponse>

// ---- DescribeVSwitches, ECS flavour (--vpc-id vpc-…; PageNumber/PageSize, default 10) -------
export const EcsVSwitch = z.object({
  VSwitchId: z.string(),
  VSwitchName: text,
  VpcId: text,
  ZoneId: text,
  CidrBlock: text,
  /** `Pending | Available` */
  Status: text,
  AvailableIpAddressCount: z.number().default(0),
})
export type EcsVSwitch = z.infer<typeof EcsVSwitch>

export const DescribeVSwitchesResponse = z.object({
  VSwitches: wrapped('VSwitch', EcsVSwitch).default({ VSwitch: [] }),
  TotalCount: z.number().optional(),
})
export type DescribeVSwitchesResponse = z.infer<typeof DescribeVSwitchesResponse>

// ---- RunInstances -----------------------------------------------------------------------------
export const RunInstancesResponse = z.object({
  InstanceIdSets: wrapped('InstanceIdSet', z.string()).default({ InstanceIdSet: [] }),
})
export type RunInstancesResponse = z.infer<typeof RunInstancesResponse>

// ---- VPC CreateVSwitch: `{ "RequestId", "VSwitchId" }` --------------------------------------
export const CreateVSwitchResponse = z.object({ VSwitchId: z.string().min(1) })
export type CreateVSwitchResponse = z.infer<typeof CreateVSwitchResponse>

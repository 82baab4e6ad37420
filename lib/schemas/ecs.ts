// zod schemas for the ECS 2014-05-26 responses ecs-dr reads (api-shapes §2.1–§2.7), with the real
// wire names. Only the fields the workflow uses are declared; zod strips the rest. ECS wraps every
// list in `{ "<Plural>": { "<Singular>": [...] } }`; an absent wrapper is read as an empty list.

import { z } from 'zod'

function wrapped<K extends string, T extends z.ZodType>(key: K, item: T) {
  return z.object({ [key]: z.array(item).default([]) } as { [P in K]: z.ZodDefault<z.ZodArray<T>> })
}

const text = z.string().default('')

// ---- DescribeInstances (--instance-ids '["i-…"]') ------------------------------------------
export const EcsInstance = z.object({
  InstanceId: z.string(),
  InstanceName: text,
  RegionId: text,
  ZoneId: text,
  InstanceType: text,
  ImageId: text,
  OSName: text,
  Status: text,
  InstanceChargeType: text,
  InternetChargeType: text,
  InternetMaxBandwidthOut: z.number().default(0),
  SecurityGroupIds: wrapped('SecurityGroupId', z.string()).default({ SecurityGroupId: [] }),
  VpcAttributes: z
    .object({
      VpcId: text,
      VSwitchId: text,
      PrivateIpAddress: wrapped('IpAddress', z.string()).default({ IpAddress: [] }),
    })
    .default({ VpcId: '', VSwitchId: '', PrivateIpAddress: { IpAddress: [] } }),
})
export type EcsInstance = z.infer<typeof EcsInstance>

export const DescribeInstancesResponse = z.object({
  Instances: wrapped('Instance', EcsInstance).default({ Instance: [] }),
})
export type DescribeInstancesResponse = z.infer<typeof DescribeInstancesResponse>

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

// ---- DescribeImages (--image-id m-… --status "Creating,Available,UnAvailable") -------------
export const EcsImage = z.object({
  ImageId: z.string(),
  ImageName: text,
  /** `Creating | Waiting | Available | UnAvailable | CreateFailed | Deprecated` */
  Status: text,
  /** A string with a percent sign: `"46%"`. */
  Progress: text,
  Description: text,
  DiskDeviceMappings: wrapped(
    'DiskDeviceMapping',
    z.object({
      Device: text,
      Type: text,
      /** GiB, as a string (`"40"`). */
      Size: text,
    }),
  ).default({ DiskDeviceMapping: [] }),
})
export type EcsImage = z.infer<typeof EcsImage>

export const DescribeImagesResponse = z.object({
  Images: wrapped('Image', EcsImage).default({ Image: [] }),
})
export type DescribeImagesResponse = z.infer<typeof DescribeImagesResponse>

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

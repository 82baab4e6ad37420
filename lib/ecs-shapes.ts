// ECS 2014-05-26 response shapes two skills read (ecs-dr and ecs-review; api-shapes §2.1, §2.4),
// with the real wire names. Only the fields the skills use are declared: zod strips the rest, so
// a page of 100 instances is reduced to a few fields each before anything keeps it. ECS wraps every
// list in `{ "<Plural>": { "<Singular>": [...] } }`; an absent wrapper is read as an empty list.

import { z } from 'zod'

/** `{ "<Plural>": { "<Singular>": [...] } }`; an absent or empty wrapper is an empty list. */
export function wrapped<K extends string, T extends z.ZodType>(key: K, item: T) {
  return z.object({ [key]: z.array(item).default([]) } as { [P in K]: z.ZodDefault<z.ZodArray<T>> })
}

/** A string field the API may leave out: read as ''. */
export const text = z.string().default('')

// ---- DescribeInstances (--instance-ids '["i-…"]', or NextToken/MaxResults pages) -------------
export const EcsInstance = z.object({
  InstanceId: z.string(),
  InstanceName: text,
  RegionId: text,
  ZoneId: text,
  InstanceType: text,
  InstanceTypeFamily: text,
  ImageId: text,
  OSName: text,
  Status: text,
  InstanceChargeType: text,
  InternetChargeType: text,
  InternetMaxBandwidthOut: z.number().default(0),
  SpotStrategy: z.string().default('NoSpot'),
  SpotInterruptionBehavior: z.string().optional(),
  DeploymentSetId: text,
  ExpiredTime: text,
  StoppedMode: z.string().optional(),
  OperationLocks: wrapped('LockReason', z.object({ LockReason: z.string() })).optional(),
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
  NextToken: z.string().optional(),
  TotalCount: z.number().optional(),
})
export type DescribeInstancesResponse = z.infer<typeof DescribeInstancesResponse>

// ---- DescribeImages (one image by id with its status, or the account's own images page by page) -
export const EcsImage = z.object({
  ImageId: z.string(),
  ImageName: text,
  CreationTime: text,
  /** `Creating | Waiting | Available | UnAvailable | CreateFailed | Deprecated` */
  Status: text,
  /** A string with a percent sign: `"46%"`. */
  Progress: text,
  Description: text,
  ImageFamily: text,
  ImageVersion: text,
  OSName: text,
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
  TotalCount: z.number().optional(),
  PageNumber: z.number().optional(),
  PageSize: z.number().optional(),
})
export type DescribeImagesResponse = z.infer<typeof DescribeImagesResponse>

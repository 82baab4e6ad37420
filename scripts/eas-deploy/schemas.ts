// zod schemas for the responses eas-deploy reads (api-shapes §9 PAI-EAS 2021-07-01, §10
// AIWorkSpace 2021-02-04, §3 VPC, ECS DescribeSecurityGroups). Only the fields the workflow uses:
// zod strips the rest. EAS and AIWorkSpace return flat PascalCase arrays; ECS and VPC wrap lists
// (`Vpcs.Vpc[]`). Where the seed's jq paths are wrong, D6 wins: `Services[]`, `InstanceMetas[]`.

import { z } from 'zod'

const str = z.string()
const optStr = z.string().optional()
/** Page fields of the PageNumber/PageSize lists (EAS, AIWorkSpace). */
const paging = { TotalCount: z.number().optional(), PageNumber: z.number().optional(), PageSize: z.number().optional() }

// ---- AIWorkSpace ---------------------------------------------------------------------------
export const Workspace = z.object({ WorkspaceId: str, WorkspaceName: z.string().default(''), Status: z.string().default(''), IsDefault: z.boolean().optional() })
export type Workspace = z.infer<typeof Workspace>
export const ListWorkspaces = z.object({ Workspaces: z.array(Workspace).default([]), ...paging })

export const Image = z.object({ ImageId: optStr, ImageUri: str, Name: optStr })
export type Image = z.infer<typeof Image>
export const ListImages = z.object({ Images: z.array(Image).default([]), TotalCount: z.number().optional() })

// ---- EAS -----------------------------------------------------------------------------------
export const ServiceItem = z.object({ ServiceName: str, Status: z.string().default('') })
/**
 * D6: the list is `Services[]` (the seed's `.ServiceList[]` does not exist). The duplicate gate
 * fails closed, so a body without `Services` only proves "no services" when it says TotalCount 0.
 */
export const ListServices = z
  .object({ Services: z.array(ServiceItem).optional(), ...paging })
  .refine((b) => b.Services !== undefined || b.TotalCount === 0, { message: 'Services[] is missing, so the list of existing services is unknown', path: ['Services'] })

/**
 * D6: `InstanceMetas[]` with `GPUAmount` (the seed's `.InstanceTypes[]`/`.GPU > 0` are wrong: `GPU`
 * is the GPU model, a string, absent on non-GPU types).
 */
export const InstanceMeta = z.object({
  InstanceType: str,
  CPU: z.number().optional(),
  GPU: optStr,
  GPUAmount: z.number().optional(),
  GPUMemory: z.number().optional(),
  Memory: z.number().optional(),
  IsAvailable: z.boolean().optional(),
  StockStatus: optStr,
})
export type InstanceMeta = z.infer<typeof InstanceMeta>
export const DescribeMachineSpec = z.object({ InstanceMetas: z.array(InstanceMeta) })

export const Gateway = z.object({ GatewayId: str, GatewayName: z.string().default(''), Status: z.string().default(''), IsDefault: z.boolean().optional() })
export type Gateway = z.infer<typeof Gateway>
export const ListGateway = z.object({ Gateways: z.array(Gateway).default([]), ...paging })

/**
 * DescribeGateway: the seed reads `LoadBalancerList[0].{VpcId, VSwitchIds[]}`, the SDK model has
 * `IntranetLinkedVpcList[]{VpcId, VSwitchId, SecurityGroupId}` (catalogue 4.g-9). Both are read.
 */
export const DescribeGateway = z.object({
  GatewayId: optStr,
  Status: optStr,
  LoadBalancerList: z.array(z.object({ VpcId: optStr, VSwitchIds: z.array(str).optional(), VSwitchId: optStr, SecurityGroupId: optStr })).optional(),
  IntranetLinkedVpcList: z.array(z.object({ VpcId: optStr, VSwitchId: optStr, SecurityGroupId: optStr })).optional(),
})
export type DescribeGateway = z.infer<typeof DescribeGateway>

export const Resource = z.object({ ResourceId: str, ResourceName: z.string().default(''), ResourceType: z.string().default(''), Status: z.string().default('') })
export type Resource = z.infer<typeof Resource>
export const ListResources = z.object({ Resources: z.array(Resource).default([]), ...paging })

/** Success is "200 with ServiceId" (seed Step 8), so ServiceId is required. */
export const CreateService = z.object({ ServiceId: str, ServiceName: optStr, Status: optStr, Region: optStr, InternetEndpoint: optStr, IntranetEndpoint: optStr })
export type CreateService = z.infer<typeof CreateService>

/** The Service object is the body itself (no wrapper). Its AccessToken is read only to scrub it. */
export const DescribeService = z.object({ ServiceName: optStr, ServiceId: optStr, Status: z.string().default(''), Message: optStr, Reason: optStr, AccessToken: optStr })

const endpointList = z.array(str).nullable().default([]).transform((v) => v ?? [])
export const ServiceEndpoint = z.object({ EndpointType: z.string().default(''), InternetEndpoints: endpointList, IntranetEndpoints: endpointList, Port: z.number().optional(), PathType: optStr })
export type ServiceEndpoint = z.infer<typeof ServiceEndpoint>
export const DescribeServiceEndpoints = z.object({ AccessToken: optStr, Endpoints: z.array(ServiceEndpoint).default([]) })

// ---- VPC / ECS (classic RPC: wrapped lists) ------------------------------------------------
export const Vpc = z.object({ VpcId: str, VpcName: z.string().default(''), IsDefault: z.boolean().optional(), Status: optStr })
export const DescribeVpcs = z.object({ Vpcs: z.object({ Vpc: z.array(Vpc).default([]) }).default({ Vpc: [] }) })

export const VSwitch = z.object({ VSwitchId: str, ZoneId: str, VpcId: optStr, Status: optStr })
export type VSwitch = z.infer<typeof VSwitch>
export const DescribeVSwitches = z.object({ VSwitches: z.object({ VSwitch: z.array(VSwitch).default([]) }).default({ VSwitch: [] }), TotalCount: z.number().optional() })

const SecurityGroup = z.object({ SecurityGroupId: str, SecurityGroupName: z.string().default(''), VpcId: optStr })
/** `SecurityGroups.SecurityGroup[]` (the API) or a flat `SecurityGroups[]` (one skill reference): both read. */
export const DescribeSecurityGroups = z.object({
  SecurityGroups: z
    .union([z.object({ SecurityGroup: z.array(SecurityGroup).default([]) }), z.array(SecurityGroup)])
    .default({ SecurityGroup: [] })
    .transform((v) => (Array.isArray(v) ? v : v.SecurityGroup)),
})

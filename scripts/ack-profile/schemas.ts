// zod schemas for what ack-profile reads: CS DescribeClusterDetail (`cs GET /clusters/<id>`) and
// the SysOM 2023-12-30 responses.
// SysOM 2023-12-30 responses (api-shapes §7). The casing is mixed on purpose: `RequestId` in
// InitialSysom, `request_id` in the diagnosis APIs, `requestId` in CreateClusterVpcEndpointConnection.
import { z } from 'zod'


/** `aliyun cs GET /clusters/<id>` (DescribeClusterDetail): only the fields the ACK skill reads. */
export const ClusterDetail = z.object({
  cluster_id: z.string(),
  region_id: z.string().min(1),
  name: z.string(),
  /** Default | Edge | Serverless | Lingjun | acs … (absent on very old clusters: treated as not Default). */
  profile: z.string().optional(),
  /** running | initial | failed | updating | … */
  state: z.string(),
  cluster_type: z.string().optional(),
})
export type ClusterDetail = z.infer<typeof ClusterDetail>


export const InitialSysom = z.object({
  code: z.string(),
  message: z.string().optional(),
  RequestId: z.string().optional(),
  data: z.object({ role_exist: z.boolean().optional() }).nullish(),
})

export const InvokeDiagnosis = z.object({
  code: z.string(),
  message: z.string().optional(),
  request_id: z.string().optional(),
  data: z.object({ task_id: z.string().min(1) }).nullish(),
})

export const DiagnosisStatus = z.enum(['Ready', 'Running', 'Success', 'Fail'])

export const GetDiagnosisResult = z.object({
  code: z.string(),
  message: z.string().optional(),
  request_id: z.string().optional(),
  data: z.object({
    task_id: z.string().optional(),
    status: DiagnosisStatus,
    /** The diagnosis output: an object, or the same as a JSON string. */
    result: z.unknown().optional(),
    err_msg: z.string().nullish(),
  }),
})
export type GetDiagnosisResult = z.infer<typeof GetDiagnosisResult>

export const CreateClusterVpcEndpointConnection = z.object({
  code: z.string(),
  message: z.string().nullish(),
  requestId: z.string().optional(),
  data: z.object({ endpointConnectionId: z.string().optional() }).nullish(),
})

/** The free-form diagnosis result, as far as the skill reads it (its inner shape is unverified). */
export const DiagnosisReport = z
  .object({
    summary: z
      .object({
        overall_status: z.string().optional(),
        root_cause: z.unknown().optional(),
        suggestions: z.unknown().optional(),
      })
      .passthrough()
      .optional(),
    issues: z.array(z.unknown()).optional(),
    diagnose_mode: z.string().optional(),
  })
  .passthrough()

// CS (ACK) 2015-12-15 responses, snake_case as the API returns them (api-shapes §6).
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

// zod schemas for the VPC 2016-04-28 responses ecs-dr reads (api-shapes §3.1).

import { z } from 'zod'

// ---- CreateVSwitch: `{ "RequestId", "VSwitchId" }` --------------------------------------------
export const CreateVSwitchResponse = z.object({ VSwitchId: z.string().min(1) })
export type CreateVSwitchResponse = z.infer<typeof CreateVSwitchResponse>

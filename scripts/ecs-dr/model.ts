// What an ecs-dr run knows, as zod schemas: the same shapes are kept in the run state file (so a
// resumed run reads back exactly what it wrote) and reported in the result's `data`.

import { z } from 'zod'

export const DiskFacts = z.object({
  disk_id: z.string(),
  type: z.enum(['system', 'data']),
  device: z.string(),
  category: z.string(),
  /** GiB */
  size: z.number(),
  /** `PL0`–`PL3` for ESSD, null for categories without performance levels. */
  performance_level: z.string().nullable(),
})
export type DiskFacts = z.infer<typeof DiskFacts>

export const SourceFacts = z.object({
  instance_id: z.string(),
  instance_name: z.string(),
  region_id: z.string(),
  zone_id: z.string(),
  instance_type: z.string(),
  image_id: z.string(),
  os_name: z.string(),
  status: z.string(),
  vpc_id: z.string(),
  vswitch_id: z.string(),
  /** The first of the source's security groups: run-instances takes one (catalogue §5.g-7). */
  security_group_id: z.string(),
  security_group_ids: z.array(z.string()),
  instance_charge_type: z.string(),
  internet_charge_type: z.string(),
  internet_max_bandwidth_out: z.number(),
  private_ip: z.string().nullable(),
  disks: z.array(DiskFacts),
})
export type SourceFacts = z.infer<typeof SourceFacts>

export const ImageFacts = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  progress: z.string(),
  description: z.string().optional(),
  disk_mappings: z.number().optional(),
})
export type ImageFacts = z.infer<typeof ImageFacts>

export const ZoneStock = z.object({
  zone: z.string(),
  in_stock: z.boolean(),
  /** `WithStock`, `ClosedWithStock`, `WithoutStock`, … as the API reports it. */
  status_category: z.string(),
})
export type ZoneStock = z.infer<typeof ZoneStock>

export const PlannedDisk = z.object({
  device: z.string(),
  category: z.string(),
  size: z.number(),
  performance_level: z.string().nullable(),
})
export type PlannedDisk = z.infer<typeof PlannedDisk>

/** Everything run-instances is called with, and why any value differs from the source. */
export const Plan = z.object({
  zone: z.string(),
  instance_type: z.string(),
  vswitch_id: z.string(),
  vswitch_created: z.boolean(),
  cidr_block: z.string().optional(),
  security_group_id: z.string(),
  instance_name: z.string(),
  instance_charge_type: z.string(),
  internet_charge_type: z.string(),
  internet_max_bandwidth_out: z.number(),
  system_disk: PlannedDisk,
  data_disks: z.array(PlannedDisk),
  /** Reasons for deliberate differences from the source, by item (`instance_type`, `system_disk_category`). */
  why: z.record(z.string(), z.string()).default({}),
})
export type Plan = z.infer<typeof Plan>

/**
 * Why a row differs: a type the user chose at a decision, a disk category the zone does not offer
 * (chosen at a decision), or nothing the run asked for — only the last fails the verification.
 */
export const DifferenceCause = z.enum(['user_choice', 'zone_unsupported', 'unexplained'])
export type DifferenceCause = z.infer<typeof DifferenceCause>

export const ComparisonRow = z.object({
  item: z.string(),
  source: z.string(),
  new: z.string(),
  match: z.boolean(),
  note: z.string(),
  /** Set on rows that differ. */
  cause: DifferenceCause.optional(),
})
export type ComparisonRow = z.infer<typeof ComparisonRow>

export const NewInstanceFacts = z.object({
  instance_id: z.string(),
  instance_name: z.string(),
  status: z.string(),
  zone_id: z.string(),
  private_ip: z.string().nullable(),
})
export type NewInstanceFacts = z.infer<typeof NewInstanceFacts>

export const StockReport = z.object({ instance_type: z.string(), instance_charge_type: z.string(), zones: z.array(ZoneStock) })
export type StockReport = z.infer<typeof StockReport>

/** The result's `data` (partial when a run stops early). */
export const DrData = z.object({
  run_id: z.string(),
  resumed: z.boolean(),
  state_file: z.string(),
  source: SourceFacts.optional(),
  image: ImageFacts.optional(),
  stock: StockReport.optional(),
  target: Plan.optional(),
  new_instance: NewInstanceFacts.optional(),
  comparison: z.array(ComparisonRow).optional(),
  /** Rows that differ, deliberate or not. */
  mismatches: z.number().optional(),
  /** Rows that differ without a decision behind them: the verification failed. */
  unexplained: z.number().optional(),
})
export type DrData = z.infer<typeof DrData>

/** The run state file's `state`. */
export const DrState = z.object({
  session_id: z.string().regex(/^[0-9a-f]{32}$/),
  region: z.string(),
  instance_id: z.string(),
  /** Random part of this run's idempotency tokens (see DrRun.token); kept so a resumed run sends the same ones. */
  token_nonce: z.string().regex(/^[0-9a-f]{12}$/),
  /** Recorded when the image is requested and kept from then on: they describe what the image holds. */
  source: SourceFacts.optional(),
  image: ImageFacts.optional(),
  /** A VSwitch this run created (so a resumed run never creates a second one). */
  created_vswitch: z.object({ id: z.string(), zone: z.string(), cidr_block: z.string() }).optional(),
  /** Set as soon as run-instances returns: a resumed run only verifies. */
  launch: z.object({ instance_id: z.string(), plan: Plan, stock: StockReport.optional() }).optional(),
  /** The final data of a completed run (`--resume` of a completed run shows it again). */
  result: DrData.optional(),
})
export type DrState = z.infer<typeof DrState>

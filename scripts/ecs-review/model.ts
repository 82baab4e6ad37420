// The shape of the review: what `data` carries in JSON mode and what the report is rendered from.
// Everything here is compact and bounded (counts, capped samples); raw API pages never reach it.

export type Severity = 'high' | 'medium' | 'low'
export type EvidenceLabel = 'live evidence' | 'inference' | 'documentation-based'
export type Verdict = 'HEALTHY' | 'ATTENTION NEEDED' | 'ACTION REQUIRED'

/** One finding, aggregated per kind and region: `count` resources, the first few named. */
export interface Finding {
  code: string
  severity: Severity
  evidence: EvidenceLabel
  /** The API(s) the finding came from, e.g. `ecs DescribeInstances`. */
  source: string
  region: string
  title: string
  count: number
  resources: string[]
}

export type SourceId =
  | 'images'
  | 'scaling-groups'
  | 'scaling-rules'
  | 'scheduled-tasks'
  | 'scaling-instances'
  | 'deployment-sets'
  | 'container-groups'
  | 'invocations'
  | 'instances'

export interface SourceStatus {
  source: SourceId
  api: string
  status: 'ok' | 'failed' | 'skipped'
  pages: number
  items: number
  error?: { code: string; message: string; request_id?: string }
  note?: string
}

export interface RegionCoverage {
  region: string
  /** reviewed: every source answered; partial: some did not; unavailable: none did. */
  status: 'reviewed' | 'partial' | 'unavailable'
  sources: SourceStatus[]
}

export interface InventoryRow {
  instance_id: string
  region: string
  zone: string
  family: string
  type: string
  state: string
  charge_type: string
  spot_strategy: string
  image_id: string
  deployment_set_id: string
  expired_time: string
  findings: string[]
}

export interface FamilyCount {
  family: string
  workload_class: string
  in_guidance: boolean
  instances: number
}

export interface Inventory {
  total: number
  by_state: Record<string, number>
  by_charge_type: Record<string, number>
  by_family: FamilyCount[]
  /** Instances with findings first; capped, `rows_omitted` says how many more there are. */
  rows: InventoryRow[]
  rows_omitted: number
}

export interface ScalingGroupReview {
  region: string
  scaling_group_id: string
  name: string
  lifecycle_state: string
  min_size: number
  max_size: number
  default_cooldown: number | null
  health_check_type: string | null
  spot_instance_remedy: boolean | null
  rules: { type: string; count: number }[]
  scheduled_tasks: number
  instances: number
  unhealthy_instances: number
  findings: string[]
}

export interface ImageUse {
  region: string
  image_id: string
  /** self: a custom image of this account; public: a system image (inferred from its id); other: shared, marketplace or not available. */
  owner: 'self' | 'public' | 'other'
  name: string
  image_family: string
  image_version: string
  created: string | null
  age_days: number | null
  instances: number
}

export interface ImageCompliance {
  image_age_days: number
  custom_images: number
  unversioned: number
  older_than_limit: number
  /** Images running instances in scope, most used first (capped). */
  in_use: ImageUse[]
  in_use_omitted: number
}

export interface SpotAssessment {
  spot_instances: number
  in_scaling_group: number
  with_spot_remedy: number
  without_scaling_group: number
  unverified: number
  eci_spot_container_groups: number
}

export interface InvocationFailure {
  region: string
  invoke_id: string
  command_name: string
  status: string
  created: string
  failed_instances: number
  error_codes: string[]
}

export interface CloudAssistantStatus {
  total: number
  recent_days: number
  recent: number
  failed: number
  failures: InvocationFailure[]
  failures_omitted: number
}

export interface EciStatus {
  total: number
  by_status: Record<string, number>
}

export interface DeploymentSetReview {
  total: number
  single_instance: { region: string; deployment_set_id: string; name: string; strategy: string }[]
}

export interface Recommendation {
  finding: string
  action: string
  owner: string
  validation: string
  rollback: string
  evidence: EvidenceLabel
}

export type ReportFormat = 'md' | 'json' | 'csv'

export interface Review {
  scope: string
  /** The `configure list` profile the review ran with (never its credentials). */
  profile: string
  /** The report format asked for (--format): markdown, the review as JSON, or the inventory as CSV (an --output file). */
  format: ReportFormat
  regions: string[]
  instance_ids: string[] | null
  reviewed_at: string
  coverage: 'complete' | 'partial' | 'none'
  verdict: { status: Verdict; biggest_risk: string; evidence_level: string }
  inventory: Inventory
  auto_scaling: { groups: ScalingGroupReview[] }
  images: ImageCompliance
  spot: SpotAssessment
  cloud_assistant: CloudAssistantStatus
  eci: EciStatus
  deployment_sets: DeploymentSetReview
  findings: Finding[]
  recommendations: Recommendation[]
  open_risks: string[]
  /** Conclusions that could not be checked, with the reason. */
  unverified: string[]
  coverage_by_region: RegionCoverage[]
  /** Set when `--output` wrote the report to a file. */
  report_file?: string
}

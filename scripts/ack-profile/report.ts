// Step 9: the diagnosis result (an object, or the same as a JSON string) → the facts of the
// "SysOM ACK Pod Diagnosis Results" report, and the report itself in the skill's template.

import { DiagnosisReport } from './schemas.js'

export interface Findings {
  overall_status: string
  root_cause: string
  issues: string[]
  suggestions: string[]
  diagnose_mode?: string
}

function text(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    // Issues and suggestions come as strings or small objects; show their readable parts.
    const parts = ['name', 'title', 'level', 'severity', 'description', 'desc', 'detail', 'message', 'suggestion', 'advice']
      .map((k) => o[k])
      .filter((x) => typeof x === 'string' && x) as string[]
    return parts.length ? parts.join(' — ') : JSON.stringify(v)
  }
  return String(v)
}

function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return []
  return (Array.isArray(v) ? v : [v]).map(text).filter(Boolean)
}

export function readFindings(result: unknown): Findings {
  let value = result
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return { overall_status: 'Unknown', root_cause: value as string, issues: [], suggestions: [] }
    }
  }
  const parsed = DiagnosisReport.safeParse(value ?? {})
  const r = parsed.success ? parsed.data : {}
  return {
    overall_status: r.summary?.overall_status ?? 'Unknown',
    root_cause: text(r.summary?.root_cause) || 'No root cause was reported.',
    issues: list(r.issues),
    suggestions: list(r.summary?.suggestions),
    ...(r.diagnose_mode ? { diagnose_mode: r.diagnose_mode } : {}),
  }
}

export function reportMarkdown(p: { namespace: string; pod: string; clusterId: string; mode: string; findings: Findings }): string {
  const bullets = (xs: string[], none: string) => (xs.length ? xs.map((x) => `- ${x}`).join('\n') : none)
  return [
    '## 🔍 SysOM ACK Pod Diagnosis Results',
    '',
    `**Pod**: ${p.namespace}/${p.pod}`,
    `**Cluster**: ${p.clusterId}`,
    `**Diagnosis Mode**: ${p.mode}`,
    `**Overall Status**: ${p.findings.overall_status}`,
    '',
    '### Root Cause',
    p.findings.root_cause,
    '',
    '### Issues Found',
    bullets(p.findings.issues, 'No issues were reported.'),
    '',
    '### Recommendations',
    bullets(p.findings.suggestions, 'No recommendations were reported.'),
  ].join('\n')
}

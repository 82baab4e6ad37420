// ack-profile: ACK Pod performance profiling through SysOM (seed 002,
// alibabacloud-aes-ack-pod-performance-profiling). A fixed chain — no step skipped, reordered or
// substituted: ai-mode (the runner's lifecycle), plugin update, version ≥ 3.3.15, auto plugin
// install, credentials, cluster detail, initial-sysom once, the VPC endpoint connection through
// the SDK (D1), invoke-diagnosis, polling, the report — and ai-mode disabled on every way out.

import { HarnessError } from '../lib/errors.js'
import type { Result } from '../lib/result.js'
import { autorun, defineSkill } from '../lib/skill.js'
import { SAMPLE } from '../lib/templates.js'
import { clusterDetailArgv, diagnosisResultArgv, initialSysomArgv, invokeDiagnosisArgv } from './ack-profile/commands.js'
import { modeFrom, namesPastTime, sanitizeDescription, suggestWindow, type Description, type Mode } from './ack-profile/inputs.js'

interface Prepared {
  clusterId: string
  namespace: string
  pod: string
  description: Description
  mode: Mode
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const POD_NAME = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/

const skill = defineSkill({
  name: 'ack-profile',
  summary: 'ACK Pod performance profiling through SysOM: a fixed chain from cluster check to diagnosis report.',
  usage: 'aliyun-harness ack-profile --cluster-id <c + 32 hex> --namespace <ns> --pod <pod> [--description <text>] [--start-time <unix s> --end-time <unix s>] [--realtime]',
  options: {
    'cluster-id': { type: 'string', required: true, pattern: /^c[0-9a-f]{32}$/, hint: "'c' followed by 32 lower-case hex characters", description: 'ACK cluster id.', valueName: 'c…' },
    namespace: { type: 'string', required: true, pattern: K8S_NAME, hint: 'a Kubernetes namespace name', description: 'Namespace of the Pod.', valueName: 'ns' },
    pod: { type: 'string', required: true, pattern: POD_NAME, hint: 'a Kubernetes Pod name', description: 'Pod to diagnose.', valueName: 'pod' },
    description: { type: 'string', default: '', freeText: true, maxLength: 1024, description: 'What is wrong. Sent as lower-case [a-z0-9_-] (spaces become _, other characters are dropped, and the output says so).', valueName: 'text' },
    'start-time': { type: 'string', pattern: /^\d{1,10}$/, hint: 'Unix seconds', description: 'Historical mode: start of the window (with --end-time).', valueName: 'unix s' },
    'end-time': { type: 'string', pattern: /^\d{1,10}$/, hint: 'Unix seconds', description: 'Historical mode: end of the window (not in the future).', valueName: 'unix s' },
    realtime: { type: 'boolean', description: 'Real-time diagnosis (the default); answers the mode question for a description that names a past time.' },
  },
  examples: [
    'aliyun-harness ack-profile --cluster-id c0ee8f62dd10541c598af3627d5b6cda7 --namespace default --pod web-64cdcb7b98-gchks --description "high cpu load"',
    'aliyun-harness ack-profile --cluster-id c0ee8f62dd10541c598af3627d5b6cda7 --namespace default --pod web-64cdcb7b98-gchks --start-time 1763625600 --end-time 1763629200',
  ],

  // Inputs, and the mode question, are settled before ai-mode or any cloud call is touched.
  async validate(ctx, opts): Promise<Prepared> {
    const now = Math.floor(ctx.clock.now() / 1000)
    const description = sanitizeDescription(opts.description ?? '')
    let mode = modeFrom(opts, now)
    if (!mode && namesPastTime(description.original)) {
      const w = suggestWindow(description.original, now)
      const answer = await ctx.decide({
        id: 'diagnosis-mode',
        question: `The description ("${description.original}") names a past time. Diagnose that time window, or what is happening now?`,
        flag: '--start-time',
        replaces: ['--start-time', '--end-time', '--realtime'],
        options: [
          { value: `${w.start}-${w.end}`, label: `Historical: ${new Date(w.start * 1000).toISOString()} – ${new Date(w.end * 1000).toISOString()} (adjust the times as needed)`, recommended: true, args: ['--start-time', String(w.start), '--end-time', String(w.end)] },
          { value: 'realtime', label: 'Real-time: diagnose the Pod as it is now', args: ['--realtime'] },
        ],
      })
      mode = answer === 'realtime' ? { kind: 'real-time' } : { kind: 'historical', start: w.start, end: w.end }
    }
    return { clusterId: opts['cluster-id'], namespace: opts.namespace, pod: opts.pod, description, mode: mode ?? { kind: 'real-time' } }
  },

  async run(ctx, _opts, _positionals, input) {
    const { clusterId, namespace, pod, description, mode } = input
    if (description.dropped) ctx.note(`Description sent as "${description.sanitized}": SysOM accepts only [a-z0-9_-], so other characters were left out.`)
    Object.assign(ctx.partial, { cluster_id: clusterId, namespace, pod, mode: mode.kind, description })

    // The steps and their schemas (zod) load when a diagnosis runs: `--help` stays light.
    const [{ clusterDetail, initialSysom, invokeDiagnosis, pollResult, vpcEndpointConnection }, { readFindings, reportMarkdown }] = await Promise.all([
      import('./ack-profile/steps.js'),
      import('./ack-profile/report.js'),
    ])

    // Steps 0.3–3, in the seed's order (ai-mode enable + set-user-agent already ran).
    await ctx.preflight.pluginUpdate()
    await ctx.preflight.cliVersion()
    await ctx.preflight.autoPluginInstall()
    await ctx.preflight.credentials()

    const cluster = await clusterDetail(ctx, clusterId)
    const region = cluster.region_id
    Object.assign(ctx.partial, { cluster: { id: clusterId, name: cluster.name, region, profile: cluster.profile, state: cluster.state } })

    await initialSysom(ctx)
    await vpcEndpointConnection(ctx, clusterId, region)
    const taskId = await invokeDiagnosis(ctx, { region, clusterId, namespace, pod, description: description.sanitized, mode })
    ctx.partial.task_id = taskId
    const final = await pollResult(ctx, taskId)

    const modeText = mode.kind === 'historical' ? `Historical (${new Date(mode.start * 1000).toISOString()} – ${new Date(mode.end * 1000).toISOString()})` : 'Real-time'
    const base = {
      cluster: { id: clusterId, name: cluster.name, region, profile: cluster.profile, state: cluster.state },
      pod: { namespace, name: pod },
      mode: mode.kind,
      ...(mode.kind === 'historical' ? { time_range: { start_time: mode.start, end_time: mode.end } } : {}),
      description,
      task_id: taskId,
      diagnosis_status: final.data.status,
    }
    if (final.data.status === 'Fail') {
      throw new HarnessError('DiagnosisFailed', `SysOM diagnosis task ${taskId} failed: ${final.data.err_msg || 'no error message was returned'}.`, {
        data: base,
        nextAction: 'Check that the Pod exists in that namespace and is running (Pending, Windows and virtual-node/ECI Pods are not supported), then run the diagnosis again.',
      })
    }
    const findings = readFindings(final.data.result)
    return {
      status: 'completed',
      data: { ...base, ...findings, report: reportMarkdown({ namespace, pod, clusterId, mode: modeText, findings }) },
    }
  },

  templates() {
    const clusterId = `c${'d0c7'.repeat(8)}`
    const pod = { region: SAMPLE.region, clusterId, namespace: 'default', pod: 'web-0', description: 'high_cpu' }
    return [
      { name: 'cs GET /clusters/<id>', argv: clusterDetailArgv(clusterId), why: 'step 5: the cluster detail (profile, state, region)' },
      { name: 'sysom initial-sysom', argv: initialSysomArgv(), why: 'step 6: SysOM initialisation, once per run' },
      { name: 'sysom invoke-diagnosis', argv: invokeDiagnosisArgv({ ...pod, mode: { kind: 'real-time' } }), why: 'step 8: start a real-time diagnosis' },
      { name: 'sysom invoke-diagnosis (historical)', argv: invokeDiagnosisArgv({ ...pod, mode: { kind: 'historical', start: 1763625600, end: 1763629200 } }), why: 'step 8: start a diagnosis of a past time window' },
      { name: 'sysom get-diagnosis-result', argv: diagnosisResultArgv('doctor-sample-task'), why: 'step 8: poll the diagnosis every 10 s' },
    ]
  },

  render(result: Result, h) {
    const data = result.data as { report?: string } | null
    if (data?.report) h.line(data.report + '\n')
  },
})

export default skill
await autorun(skill, import.meta.url)

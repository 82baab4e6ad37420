// The commands of steps 5, 6 and 8, built here for the steps (steps.ts) and for doctor's templates
// (ack-profile.ts) — one builder each, so what doctor checks is what a run sends.

import { api, roa } from '../../lib/command.js'
import { diagnosisParams } from './inputs.js'

export const clusterDetailArgv = (clusterId: string) => roa('cs', 'GET', `/clusters/${clusterId}`)
export const initialSysomArgv = () => api('sysom', 'initial-sysom', { 'check-only': 'false', source: 'aes-skills' })
export const invokeDiagnosisArgv = (p: Parameters<typeof diagnosisParams>[0]) => api('sysom', 'invoke-diagnosis', { 'service-name': 'ocd', channel: 'ecs', params: diagnosisParams(p) })
export const diagnosisResultArgv = (taskId: string) => api('sysom', 'get-diagnosis-result', { 'task-id': taskId })

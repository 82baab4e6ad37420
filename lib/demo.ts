// What `aliyun-harness demo [skill]` replays: a bundled recording and the arguments it was made with.
export const DEMOS: Record<string, { recording: string; args: string[] }> = {
  'ecs-review': { recording: 'recordings/ecs-review/fleet-with-findings.json', args: ['--region', 'cn-hangzhou'] },
}

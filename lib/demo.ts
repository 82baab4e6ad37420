// What `aliyun-harness demo [skill]` replays: a bundled recording and the arguments it was made with.
// `test/demo.test.ts` runs every entry, so an entry that stops matching its recording fails there.
export const DEMOS: Record<string, { recording: string; args: string[] }> = {
  'ecs-dr': {
    recording: 'recordings/ecs-dr/happy-path.json',
    args: ['--region', 'cn-hangzhou', '--instance-id', 'i-bp1dr0source0001', '--image-name', 'Create_from_i-bp1dr0source0001', '--target-zone', 'cn-hangzhou-j', '--instance-type', 'ecs.g7.xlarge'],
  },
  'ack-profile': {
    recording: 'recordings/ack-profile/realtime-happy-path.json',
    args: ['--cluster-id', 'c0ee8f62dd10541c598af3627d5b6cda7', '--namespace', 'default', '--pod', 'web-64cdcb7b98-gchks', '--description', 'high cpu load'],
  },
  'ecs-review': { recording: 'recordings/ecs-review/fleet-with-findings.json', args: ['--region', 'cn-hangzhou'] },
  'eas-deploy': {
    recording: 'recordings/eas-deploy/nlb-fallback.json',
    args: [
      '--region', 'cn-hangzhou',
      '--service-name', 'qwen_nlb',
      '--image', 'eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:0.8.5.post1',
      '--command', 'vllm serve /model_dir --host 0.0.0.0 --port 8000 --served-model-name qwen',
      '--instance-type', 'ecs.gn7i-c16g1.4xlarge',
      '--network', 'nlb',
      '--nlb-listener-port', '9000',
    ],
  },
  flink: {
    recording: 'recordings/flink/lifecycle-completed.json',
    args: [
      'lifecycle',
      '--region_id', 'cn-beijing',
      '--name', 'my-flink',
      '--instance_type', 'PayAsYouGo',
      '--vpc_id', 'vpc-2zeflinkvpc00001',
      '--vswitch_id', 'vsw-2zeflinkvsw00001',
      '--cu_count', '8',
      '--namespace', 'dev',
      '--namespace_cpu', '4',
      '--namespace_memory_gb', '16',
      '--confirm',
    ],
  },
}

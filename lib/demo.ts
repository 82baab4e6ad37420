// What `aliyun-harness demo [skill]` replays: a bundled recording and the arguments it was made with.
export const DEMOS: Record<string, { recording: string; args: string[] }> = {}

// The resolve hook of test/support/module-log.ts (runs on node's hooks thread).

import { appendFileSync } from 'node:fs'

let file = ''

export function initialize(data: { file: string }): void {
  file = data.file
}

export async function resolve(specifier: string, context: unknown, next: (s: string, c: unknown) => Promise<{ url: string }>): Promise<{ url: string }> {
  const resolved = await next(specifier, context)
  appendFileSync(file, resolved.url + '\n')
  return resolved
}

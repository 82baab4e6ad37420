import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

let root: string | undefined

/** The package root (where package.json is), whether running from `dist/` or from sources under vitest. */
export function packageRoot(): string {
  if (root) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('aliyun-harness: package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  root = dir
  return dir
}

/** Where run state, the ai-mode lock and resumable runs live. `ALIYUN_HARNESS_STATE_DIR` overrides it. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ALIYUN_HARNESS_STATE_DIR || join(homedir(), '.aliyun-harness'))
}

export function binPath(): string {
  return join(packageRoot(), 'dist', 'bin', 'aliyun-harness.js')
}

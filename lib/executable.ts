// Saying precisely why a program cannot run: not on PATH, a path that does
// not exist, a directory, no execute permission, or a script whose #! interpreter is missing (which
// the kernel reports as ENOENT, the same as a missing file).

import { accessSync, constants, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { resolve } from 'node:path'

/** A name with a slash is a path; anything else is looked up on PATH. */
export function isPath(name: string): boolean {
  return name.includes('/')
}

/** The `#!` interpreter of a script, if it has one. */
function interpreterOf(file: string): string | undefined {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const buf = Buffer.alloc(256)
    const n = readSync(fd, buf, 0, buf.length, 0)
    const first = buf.subarray(0, n).toString('utf8').split('\n')[0]
    return first.startsWith('#!') ? first.slice(2).trim().split(/\s+/)[0] : undefined
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Why the file at `path` cannot be run, or undefined when it looks runnable. */
export function problemWithFile(path: string): string | undefined {
  if (!existsSync(path)) return `'${path}' does not exist.`
  if (statSync(path).isDirectory()) return `'${path}' is a directory, not a program.`
  try {
    accessSync(path, constants.X_OK)
  } catch {
    return `'${path}' is not executable (no execute permission).`
  }
  const interpreter = interpreterOf(path)
  if (interpreter && isPath(interpreter) && !existsSync(interpreter)) return `'${path}' cannot run: its interpreter ${interpreter} (the #! line) does not exist.`
  return undefined
}

/** Why spawning `name` failed with `code` (ENOENT, EACCES …), in words a user can act on. */
export function spawnProblem(name: string, code: string | undefined, env: NodeJS.ProcessEnv): string {
  if (isPath(name)) return problemWithFile(resolve(name)) ?? `'${name}' could not be started (${code ?? 'unknown error'}).`
  if (code === 'ENOENT') return `'${name}' was not found on PATH (${env.PATH || 'PATH is empty'}).`
  return `'${name}' could not be started (${code ?? 'unknown error'}).`
}

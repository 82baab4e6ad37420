// Files the harness writes at the user's request (`--record` transcripts, `--output` reports,
// `replay --report`). Each path is checked before the run makes its first CLI call, so a path that
// cannot be written costs nothing; each file is written whole (a temporary file renamed over the
// target) and always through the redactor.

import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { UsageError } from './errors.js'
import type { Redactor } from './redact.js'

export interface OutputPathOptions {
  /** How the user named the file, for messages: `--record`, `--output` … */
  flag: string
  /** Create missing parent directories (transcripts); otherwise the directory must exist. */
  createDirs?: boolean
}

function fail(flag: string, path: string, why: string): never {
  throw new UsageError(`${flag} ${path}: ${why}.`, 'InvalidOutputPath')
}

/** The nearest existing ancestor of a path (itself included). */
function existingAncestor(path: string): string {
  let dir = path
  while (!existsSync(dir)) {
    const up = dirname(dir)
    if (up === dir) break
    dir = up
  }
  return dir
}

/**
 * Checks that `path` can be written as a regular file and returns it absolute. Throws a
 * UsageError (exit 2) that says what is wrong: a directory, a device, pipe or /proc entry, a
 * parent that is a file, a missing or read-only directory. Nothing is left behind.
 */
export function checkOutputPath(path: string, opts: OutputPathOptions): string {
  if (!path) fail(opts.flag, "''", 'a file path is required')
  const file = resolve(path)
  if (existsSync(file)) {
    const st = statSync(file)
    if (st.isDirectory()) fail(opts.flag, path, 'is a directory; name a file')
    if (!st.isFile()) fail(opts.flag, path, 'is not a regular file (a device, pipe or socket); name a regular file')
  }
  const dir = dirname(file)
  const ancestor = existingAncestor(dir)
  if (!statSync(ancestor).isDirectory()) fail(opts.flag, path, `${ancestor} is a file, not a directory`)
  if (ancestor !== dir) {
    if (!opts.createDirs) fail(opts.flag, path, `the directory ${dir} does not exist`)
    try {
      mkdirSync(dir, { recursive: true })
    } catch (e) {
      fail(opts.flag, path, `the directory ${dir} cannot be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    }
  }
  // A probe file proves the directory takes new files (read-only mounts, /proc, permissions).
  const probe = `${file}.${process.pid}.probe`
  try {
    writeFileSync(probe, '', { flag: 'wx', mode: 0o600 })
    rmSync(probe, { force: true })
    if (existsSync(file)) accessSync(file, constants.W_OK)
  } catch (e) {
    fail(opts.flag, path, `cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  return file
}

/**
 * Checks that `path` can hold run state (resumable runs, the ai-mode lock): a writable directory,
 * or a missing one that can be created — no ancestor is a file. Returns it absolute. `source` names
 * where the path came from for the message (`ALIYUN_HARNESS_STATE_DIR`, `--state-dir`); the
 * UsageError (exit 2) comes before anything runs instead of a crash at the first state write.
 */
export function checkStateDir(path: string, source: string, code = 'InvalidEnvironment'): string {
  const dir = resolve(path)
  const ancestor = existingAncestor(dir)
  const say = (why: string): never => {
    throw new UsageError(`${source} ${path}: ${why}; point it at a directory (a missing one is created).`, code)
  }
  if (!statSync(ancestor).isDirectory()) say(`${ancestor} is a file, not a directory`)
  try {
    accessSync(ancestor, constants.W_OK | constants.X_OK)
  } catch (e) {
    say(`${ancestor} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  return dir
}

/** Writes `text`, scrubbed, to `file` in one step: a crash leaves the old file or the new one. */
export function writeOutputFile(file: string, text: string, redactor: Redactor): void {
  const tmp = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, redactor.scrub(text), { mode: 0o600 })
    renameSync(tmp, file)
  } catch (e) {
    try {
      rmSync(tmp, { force: true })
    } catch {
      /* the write error is the one to report */
    }
    throw e
  }
}

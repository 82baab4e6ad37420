// IO is injected into every command (gh's iostreams): tests and the replay tooling swap it.
// stdout carries the result only; progress, notes and warnings go to stderr.

import type { Redactor } from './redact.js'

export interface Stream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

export interface IO {
  stdout: Stream
  stderr: Stream
  /** stdout is a terminal: human output unless --json. */
  stdoutIsTTY: boolean
  /** A person can answer a prompt: stdin and stdout are terminals and JSON output was not asked for. */
  canPrompt: boolean
  json: boolean
  redactor: Redactor
  /** A progress line on stderr (rewritten in place on a terminal). */
  progress(text: string): void
  /** A note for people on stderr, kept on screen. */
  note(text: string): void
  /** Ends a pending in-place progress line. */
  flush(): void
}

export function createIO(opts: {
  stdout?: Stream
  stderr?: Stream
  stdin?: { isTTY?: boolean }
  json?: boolean
  redactor: Redactor
}): IO {
  const stdout = opts.stdout ?? process.stdout
  const stderr = opts.stderr ?? process.stderr
  const stdoutIsTTY = Boolean(stdout.isTTY)
  const json = opts.json ?? !stdoutIsTTY
  const stdinTTY = Boolean((opts.stdin ?? process.stdin).isTTY)
  const live = Boolean(stderr.isTTY)
  let pending = false
  const io: IO = {
    stdout,
    stderr,
    stdoutIsTTY,
    json,
    canPrompt: stdinTTY && stdoutIsTTY && !json,
    redactor: opts.redactor,
    progress(text) {
      const line = opts.redactor.scrub(text)
      if (live) {
        const width = Math.max(20, (stderr.columns ?? 100) - 1)
        stderr.write(`\r\u001b[2K${line.length > width ? line.slice(0, width - 1) + '…' : line}`)
        pending = true
      } else {
        stderr.write(`… ${line}\n`)
      }
    },
    note(text) {
      io.flush()
      stderr.write(opts.redactor.scrub(text) + '\n')
    },
    flush() {
      if (pending) {
        stderr.write('\n')
        pending = false
      }
    },
  }
  return io
}

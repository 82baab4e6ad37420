// IO is injected into every command (gh's iostreams): tests and the replay tooling swap it.
// stdout carries the result only; progress, notes and warnings go to stderr.

import { UsageError } from './errors.js'
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
  /** Columns human output must fit in (the terminal's width, or $COLUMNS); undefined: no limit. */
  width: number | undefined
  /** Colours and escape codes are welcome on stdout (a terminal that is not TERM=dumb, no NO_COLOR). */
  color: boolean
  redactor: Redactor
  /** A progress line on stderr (rewritten in place on a terminal, cleared when the step ends). */
  progress(text: string): void
  /** A note for people on stderr, kept on screen. */
  note(text: string): void
  /** Clears a pending in-place progress line (its step has ended). */
  flush(): void
}

/** The variable that picks the output mode when no flag does. */
export const OUTPUT_ENV = 'ALIYUN_HARNESS_OUTPUT'

/**
 * JSON or human output, the same rule for skills and tools: `--json`/`--human`, else
 * ALIYUN_HARNESS_OUTPUT (json|human), else JSON unless stdout is a terminal.
 */
export function wantsJson(flags: { json?: boolean; human?: boolean }, env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean {
  if (flags.json) return true
  if (flags.human) return false
  const fromEnv = env[OUTPUT_ENV]
  if (fromEnv === 'json') return true
  if (fromEnv === 'human') return false
  return !stdoutIsTTY
}

/** A value of ALIYUN_HARNESS_OUTPUT that is neither json nor human is a usage error. */
export function checkOutputEnv(env: NodeJS.ProcessEnv): void {
  const v = env[OUTPUT_ENV]
  if (v !== undefined && v !== '' && v !== 'json' && v !== 'human') throw new UsageError(`${OUTPUT_ENV} must be json or human; got '${v.slice(0, 40)}'.`, 'InvalidEnvironment')
}

/** A terminal that understands escape codes: a TTY whose TERM is not `dumb`. */
export function isSmartTerminal(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}

function widthOf(stdout: Stream, env: NodeJS.ProcessEnv): number | undefined {
  if (stdout.isTTY && stdout.columns && stdout.columns > 0) return stdout.columns
  const cols = Number(env.COLUMNS)
  return Number.isInteger(cols) && cols > 0 ? cols : undefined
}

// eslint-disable-next-line no-control-regex
const CLEAR_LINE = '\r\u001b[2K'

export function createIO(opts: {
  stdout?: Stream
  stderr?: Stream
  stdin?: { isTTY?: boolean }
  json?: boolean
  env?: NodeJS.ProcessEnv
  redactor: Redactor
}): IO {
  const env = opts.env ?? process.env
  const stdout = opts.stdout ?? process.stdout
  const stderr = opts.stderr ?? process.stderr
  const stdoutIsTTY = Boolean(stdout.isTTY)
  const json = opts.json ?? !stdoutIsTTY
  const stdinTTY = Boolean((opts.stdin ?? process.stdin).isTTY)
  // In-place progress only where escape codes work; elsewhere (a pipe, a log, TERM=dumb) plain lines.
  const live = isSmartTerminal(stderr, env)
  let pending = false
  const io: IO = {
    stdout,
    stderr,
    stdoutIsTTY,
    json,
    width: widthOf(stdout, env),
    color: isSmartTerminal(stdout, env) && !env.NO_COLOR,
    canPrompt: stdinTTY && stdoutIsTTY && !json,
    redactor: opts.redactor,
    progress(text) {
      const line = opts.redactor.scrub(text)
      if (live) {
        const width = Math.max(20, (stderr.columns ?? 100) - 1)
        stderr.write(`${CLEAR_LINE}${line.length > width ? line.slice(0, width - 1) + '…' : line}`)
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
        stderr.write(CLEAR_LINE)
        pending = false
      }
    },
  }
  return io
}

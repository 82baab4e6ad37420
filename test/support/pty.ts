// Runs the real bin under a pseudo-terminal — util-linux `script`, present on every Debian/Ubuntu
// (bsdutils) — so stdin, stdout and stderr are a terminal of a chosen size: what a person sees.

import { spawn } from 'node:child_process'
import { shellLine } from '../../lib/command.js'
import { BIN, cleanEnv, tempDir } from './run.js'

export interface PtyResult {
  code: number | null
  /** Everything the terminal received, escape codes included. */
  raw: string
  /** The same without escape codes and carriage returns: the lines as they end up on screen. */
  text: string
}

export interface PtyOptions {
  cols?: number
  rows?: number
  env?: NodeJS.ProcessEnv
  dir?: string
  /** Runs inside the pty's shell line after the command (e.g. `2>file` to take stderr off the terminal). */
  redirect?: string
  /** Called on every output chunk with all output so far; `type` writes keys to the terminal. */
  onOutput?: (output: string, type: (keys: string) => void) => void
  timeoutMs?: number
}

// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Z0-9]|\u001b[=>]/g

/**
 * The lines left on screen once everything is written: a minimal terminal that honours carriage
 * return, newline and "erase line" (what in-place progress uses) and ignores other escape codes.
 */
export function finalScreen(raw: string): string[] {
  const lines: string[] = ['']
  let col = 0
  // eslint-disable-next-line no-control-regex
  const tokens = raw.match(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Z0-9]|\u001b[=>]|\r|\n|[^\u001b\r\n]+/g) ?? []
  for (const t of tokens) {
    const row = lines.length - 1
    if (t === '\r') col = 0
    else if (t === '\n') {
      lines.push('')
      col = 0
    } else if (t === '\u001b[2K') lines[row] = ''
    else if (t === '\u001b[K' || t === '\u001b[0K') lines[row] = lines[row].slice(0, col)
    else if (!t.startsWith('\u001b')) {
      const line = lines[row].padEnd(col)
      lines[row] = line.slice(0, col) + t + line.slice(col + t.length)
      col += t.length
    }
  }
  return lines
}

export function screenText(raw: string): string {
  return raw.replace(ESCAPES, '').replace(/\r\n/g, '\n').replace(/\r/g, '\n')
}

/** `aliyun-harness <args>` on a terminal `cols` wide. */
export function runInPty(args: string[], opts: PtyOptions = {}): Promise<PtyResult> {
  const dir = opts.dir ?? tempDir()
  const line = `stty cols ${opts.cols ?? 80} rows ${opts.rows ?? 40}; exec ${shellLine([process.execPath, BIN, ...args])}${opts.redirect ? ` ${opts.redirect}` : ''}`
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', line, '/dev/null'], { env: cleanEnv(dir, { TERM: 'xterm-256color', ...opts.env }), stdio: ['pipe', 'pipe', 'pipe'] })
    let raw = ''
    const type = (keys: string) => void child.stdin.write(keys)
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
    const take = (chunk: string) => {
      raw += chunk
      opts.onOutput?.(raw, type)
    }
    child.stdout.setEncoding('utf8').on('data', take)
    child.stderr.setEncoding('utf8').on('data', take)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, raw, text: screenText(raw) })
    })
  })
}

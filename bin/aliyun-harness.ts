#!/usr/bin/env node
import { main } from '../lib/cli.js'
import { Redactor } from '../lib/redact.js'

// A reader that stops early (`… | head`) closes the pipe. The run still ends the way it would have
// — ai-mode disabled, state saved — only what nobody reads any more is dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
  })
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    // Only bugs reach here: expected failures are results with exit codes.
    process.stderr.write(new Redactor().scrub(`aliyun-harness: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`))
    process.exitCode = 70
  },
)

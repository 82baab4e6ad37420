#!/usr/bin/env node
import { main } from '../lib/cli.js'
import { Redactor } from '../lib/redact.js'

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

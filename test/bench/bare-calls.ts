// `node dist/test/bench/bare-calls.js <calls.json> <cli>`: the baseline of the scale run — the same
// CLI calls the review made, each a bare `child_process.spawn` whose JSON output is parsed, one
// after the other, and nothing else.

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

const [file, cli] = process.argv.slice(2)
const calls = JSON.parse(readFileSync(file, 'utf8')) as string[][]

function call(argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`aliyun ${argv.join(' ')} exited ${code}`))
      if (out.startsWith('{')) JSON.parse(out)
      resolve()
    })
  })
}

for (const argv of calls) await call(argv)

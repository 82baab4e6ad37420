// `node --import <this file> …` with BENCH_USAGE=<file>: at exit the process appends its own CPU
// time and peak RSS to that file as one JSON line. The bench loads it into every process it
// compares (`node -e 0` included), so the hook's own small cost is on both sides.

import { appendFileSync } from 'node:fs'

const file = process.env.BENCH_USAGE
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage()
    appendFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMiB: u.maxRSS / 1024 }) + '\n')
  })
}

// `node --import <this file> …` with BENCH_USAGE=<file>: at exit the process appends its own CPU
// time and peak RSS to that file as one JSON line — and, when node runs with --expose-gc, the heap
// still in use after a full collection (what the run kept, as opposed to garbage not yet
// collected). The bench loads it into every process it compares (`node -e 0` included), so the
// hook's own small cost is on both sides.

import { appendFileSync } from 'node:fs'

const file = process.env.BENCH_USAGE
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage()
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const keptMiB = gc ? process.memoryUsage().heapUsed / 1048576 : undefined
    appendFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMiB: u.maxRSS / 1024, keptMiB }) + '\n')
  })
}

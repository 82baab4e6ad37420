// What every bench section shares: medians, interleaved rounds, child processes with their own
// CPU and peak RSS, and the one line each comparison prints.

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../../lib/paths.js'

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Runs every variant once per round, in turn, so machine noise (other developers' builds on two
 * shared cores) hits them alike; returns each one's samples.
 */
export async function interleave<K extends string>(rounds: number, variants: Record<K, () => Promise<number>>): Promise<Record<K, number[]>> {
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, [] as number[]])) as Record<K, number[]>
  for (let r = 0; r < rounds; r++) for (const k of Object.keys(variants) as K[]) samples[k].push(await variants[k]())
  return samples
}

export interface ChildUsage {
  code: number | null
  wallMs: number
  cpuMs: number
  maxRssMiB: number
  stdout: string
}

const USAGE_HOOK = join(packageRoot(), 'dist', 'test', 'bench', 'usage-hook.js')

/** `node <args…>` with the usage hook: its wall time, CPU time and peak RSS. */
export function nodeUsage(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildUsage> {
  const dir = mkdtempSync(join(tmpdir(), 'harness-bench-usage-'))
  const file = join(dir, 'usage.jsonl')
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', USAGE_HOOK, ...args], { env: { ...process.env, ...env, BENCH_USAGE: file }, stdio: ['ignore', 'pipe', 'ignore'] })
    const out: string[] = []
    child.stdout.setEncoding('utf8').on('data', (c: string) => out.push(c))
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = performance.now() - started
      try {
        const usage = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!) as { cpuMs: number; maxRssMiB: number }
        resolve({ code, wallMs, ...usage, stdout: out.join('') })
      } catch (e) {
        reject(new Error(`node ${args.join(' ')} left no usage record (exit ${code}): ${(e as Error).message}`))
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  })
}

export interface Verdict {
  name: string
  ok: boolean
}

/** One comparison line: ours against the baseline, the ratio, and the target when there is one. */
export function report(name: string, ours: number, base: number, unit: string, target?: number): Verdict {
  const ratio = ours / base
  const ok = target === undefined || ratio <= target
  const verdict = target === undefined ? '' : `target ≤ ${target.toFixed(2)}  ${ok ? 'ok' : 'MISSED'}`
  process.stdout.write(`  ${name.padEnd(46)} ${fmt(ours).padStart(9)} ${unit} vs ${fmt(base).padStart(9)} ${unit}   ×${ratio.toFixed(2).padEnd(6)} ${verdict}\n`)
  return { name, ok }
}

/** One absolute figure against its limit. */
export function limit(name: string, value: number, unit: string, max: number): Verdict {
  const ok = value <= max
  process.stdout.write(`  ${name.padEnd(46)} ${fmt(value).padStart(9)} ${unit}   limit ≤ ${max} ${unit}  ${ok ? 'ok' : 'MISSED'}\n`)
  return { name, ok }
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(2)
}

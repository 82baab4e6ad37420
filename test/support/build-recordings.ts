// Writes recordings/<skill>/<scenario>.json from the scenario modules in test/recordings/.
// `npm run recordings` regenerates them; test/recordings.test.ts fails when they are stale.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { packageRoot } from '../../lib/paths.js'
import type { Transcript } from '../../lib/transcript.js'

export interface ScenarioModule {
  /** file name (without .json) → transcript */
  scenarios: Record<string, Transcript>
}

export async function allScenarios(): Promise<Map<string, Transcript>> {
  const here = join(dirname(fileURLToPath(import.meta.url)), '..', 'recordings')
  const out = new Map<string, Transcript>()
  const files = readdirSync(here).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort()
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as ScenarioModule
    for (const [name, t] of Object.entries(mod.scenarios)) out.set(join('recordings', t.skill, `${name}.json`), t)
  }
  return out
}

export function serialise(t: Transcript): string {
  return JSON.stringify(t, null, 2) + '\n'
}

async function main() {
  const all = await allScenarios()
  for (const [rel, t] of all) {
    const file = join(packageRoot(), rel)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, serialise(t))
  }
  process.stdout.write(`wrote ${all.size} recordings\n`)
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await main()

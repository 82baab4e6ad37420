// Every bundled recording is a valid transcript, passes its skill's audit, and is exactly what the
// scenario builders in test/recordings/ produce (so a hand edit or a stale file fails here).

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { auditTranscript } from '../lib/audit.js'
import { packageRoot } from '../lib/paths.js'
import { getPolicy, skillNames } from '../lib/policy.js'
import { loadTranscript } from '../lib/transcript.js'
import { allScenarios, serialise } from './support/build-recordings.js'

const root = packageRoot()

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.json') ? [p] : []
  })
}

const files = walk(join(root, 'recordings')).map((f) => relative(root, f)).sort()

describe('recordings', () => {
  it('exist for every skill', () => {
    for (const skill of skillNames()) expect(files.some((f) => f.startsWith(`recordings/${skill}/`)), skill).toBe(true)
  })

  it.each(files)('%s passes audit for its skill', (file) => {
    const t = loadTranscript(join(root, file))
    expect(file.startsWith(`recordings/${t.skill}/`)).toBe(true)
    expect(auditTranscript(t, getPolicy(t.skill))).toEqual([])
  })

  // A recording may also come from a real run (`--record`): only what a builder makes must match it.
  it('are up to date with what test/recordings/*.ts build (run `npm run recordings` after changing a scenario)', async () => {
    const built = await allScenarios()
    for (const [rel, t] of built) {
      expect(files, rel).toContain(rel)
      expect(readFileSync(join(root, rel), 'utf8'), rel).toBe(serialise(t))
    }
  })
})


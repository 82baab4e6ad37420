// Every bundled recording is a valid transcript, passes its skill's audit, and is exactly what the
// scenario builders in test/recordings/ produce (so a hand edit, a stale file or one left behind by
// a renamed scenario fails here) — unless its header says it was recorded from a real run
// (`origin: "recorded"`, which every recorder writes and no builder does).

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

/** Recordings of real runs, which no builder makes: each must still pass its skill's audit. */
const RECORDED = files.filter((f) => loadTranscript(join(root, f)).origin === 'recorded')

describe('recordings', () => {
  it('exist for every skill', () => {
    for (const skill of skillNames()) expect(files.some((f) => f.startsWith(`recordings/${skill}/`)), skill).toBe(true)
  })

  it.each(files)('%s passes audit for its skill', (file) => {
    const t = loadTranscript(join(root, file))
    expect(file.startsWith(`recordings/${t.skill}/`)).toBe(true)
    expect(auditTranscript(t, getPolicy(t.skill))).toEqual([])
  })

  it('are exactly what test/recordings/*.ts build, plus recordings of real runs (run `npm run recordings` after changing a scenario)', async () => {
    const built = await allScenarios()
    for (const rel of RECORDED) expect(built.has(rel), `${rel} is built, not recorded`).toBe(false)
    expect(files).toEqual([...built.keys(), ...RECORDED].sort())
    for (const [rel, t] of built) expect(readFileSync(join(root, rel), 'utf8'), rel).toBe(serialise(t))
  })
})


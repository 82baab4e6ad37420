// What `npm pack` ships: the built harness, its policies and recordings, a LICENSE matching
// package.json — no test code, and nothing that runs at install time (a global install needs no
// build step and raises no install-script warning).

import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../lib/paths.js'

const root = packageRoot()
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string; scripts: Record<string, string>; bin: Record<string, string> }

/** The files `npm pack` would put in the tarball (scripts skipped: dist/ is already built by `npm test`). */
function packedFiles(): string[] {
  const res = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })
  expect(res.status, res.stderr).toBe(0)
  return (JSON.parse(res.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path)
}

describe('the npm package', () => {
  it('ships the built harness, its references and recordings, and no test code', () => {
    const files = packedFiles()
    expect(files).toContain(pkg.bin['aliyun-harness'])
    expect(files).toContain('dist/lib/cli.js')
    expect(files).toContain('dist/scripts/ecs-dr.js')
    expect(files).toContain('references/policies.json')
    expect(files).toContain('recordings/ecs-dr/happy-path.json')
    expect(files).toContain('LICENSE')
    expect(files.filter((f) => f.startsWith('dist/test/') || f.startsWith('test/') || /\.test\.[jt]s$/.test(f))).toEqual([])
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([])
  })

  it('runs nothing at install time: no install scripts, so no build and no allow-scripts warning', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook], hook).toBeUndefined()
    // The build happens before packing, and in the repo where the demo and the tests need it.
    expect(pkg.scripts.prepack).toMatch(/npm run build/)
    expect(pkg.scripts.demo).toMatch(/^npm run build .*&& node dist\/bin\/aliyun-harness\.js demo$/)
    expect(pkg.scripts.test).toMatch(/^npm run build && /)
  })

  it('has a LICENSE file with the license package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0')
    const license = readFileSync(join(root, 'LICENSE'), 'utf8')
    expect(license).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004\n/)
    expect(license).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION')
  })
})

// Files written at the user's request: checked up front with a message that says what is wrong,
// written whole, always scrubbed.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../lib/errors.js'
import { checkOutputPath, writeOutputFile } from '../lib/output-file.js'
import { Redactor } from '../lib/redact.js'
import { tempDir } from './support/run.js'

describe('checkOutputPath', () => {
  const problems: [string, (dir: string) => string, RegExp][] = [
    ['a directory', (d) => d, /is a directory; name a file/],
    ['a path under a file', (d) => (writeFileSync(join(d, 'f'), ''), join(d, 'f', 'out.json')), /is a file, not a directory/],
    ['a missing directory (when it may not be created)', (d) => join(d, 'nope', 'out.json'), /the directory .*nope does not exist/],
    ['a device', () => '/dev/null', /is not a regular file/],
    ['a /proc entry', () => '/proc/self/out.json', /cannot be written/],
    ['an empty path', () => '', /a file path is required/],
  ]

  it.each(problems)('%s is a UsageError naming the flag and the path', (_name, make, message) => {
    const path = make(tempDir())
    expect(() => checkOutputPath(path, { flag: '--output' })).toThrow(UsageError)
    expect(() => checkOutputPath(path, { flag: '--output' })).toThrow(message)
  })

  it('creates missing directories when asked, and leaves no probe file behind', () => {
    const dir = tempDir()
    const file = checkOutputPath(join(dir, 'a', 'b', 't.json'), { flag: '--record', createDirs: true })
    expect(file).toBe(join(dir, 'a', 'b', 't.json'))
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual([])
  })

  it('accepts an existing regular file', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'r.md'), 'old')
    expect(checkOutputPath(join(dir, 'r.md'), { flag: '--output' })).toBe(join(dir, 'r.md'))
  })
})

describe('writeOutputFile', () => {
  it('writes the scrubbed text whole, with no temporary file left', () => {
    const dir = tempDir()
    const file = join(dir, 'out.txt')
    writeOutputFile(file, 'key LTAI5tAbCdEfGhIjKlMnOpQr here', new Redactor({}))
    expect(readFileSync(file, 'utf8')).toBe('key LTAI*** here')
    expect(readdirSync(dir)).toEqual(['out.txt'])
  })

  it('a failed write leaves the old file as it was', () => {
    const dir = tempDir()
    const file = join(dir, 'out.txt')
    writeFileSync(file, 'old')
    mkdirSync(`${file}.${process.pid}.tmp`)
    expect(() => writeOutputFile(file, 'new', new Redactor({}))).toThrow()
    expect(readFileSync(file, 'utf8')).toBe('old')
  })
})

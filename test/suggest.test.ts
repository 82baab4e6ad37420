// lib/suggest.ts: "Did you mean …?" — the closest known name by edit distance, or the one name the
// typed text is a prefix of. The CLI's own messages are in cli.test.ts.

import { describe, expect, it } from 'vitest'
import { closest, didYouMean, editDistance } from '../lib/suggest.js'

describe('suggest', () => {
  it('counts a swap of two neighbouring letters as one edit', () => {
    expect(editDistance('ecs-dr', 'ecs-rd')).toBe(1)
    expect(editDistance('flink', 'flnik')).toBe(1)
    expect(editDistance('', 'abc')).toBe(3)
  })

  it('allows one edit per three characters typed, and takes the one name a prefix of three or more starts', () => {
    const known = ['--region', '--resume', '--instance-id', '--image-name']
    expect(closest('--regoin', known)).toBe('--region')
    expect(closest('--inst', known)).toBe('--instance-id')
    expect(closest('--i', known)).toBeUndefined()
    expect(closest('--zone', known)).toBeUndefined()
    expect(closest('', known)).toBeUndefined()
  })

  it('reads as a sentence to append, or nothing', () => {
    expect(didYouMean('ecs-dx', ['ecs-dr', 'flink'])).toBe(' Did you mean ecs-dr?')
    expect(didYouMean('nothing-like-it', ['ecs-dr', 'flink'])).toBe('')
  })
})

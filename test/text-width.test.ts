// lib/text-width.ts: the columns text takes on a terminal, and wrapping to a width. Tables and
// layouts at real widths are in terminal.test.ts.

import { describe, expect, it } from 'vitest'
import { displayWidth, wrapText } from '../lib/text-width.js'

describe('displayWidth', () => {
  it('counts wide characters as two columns, escape codes and combining marks as none, and takes the widest line', () => {
    expect(displayWidth('abc')).toBe(3)
    expect(displayWidth('华东1（杭州）')).toBe(13)
    expect(displayWidth('\u001b[1;33mok\u001b[0m')).toBe(2)
    expect(displayWidth('e\u0301')).toBe(1)
    expect(displayWidth('ab\nabcd\n')).toBe(4)
  })
})

describe('wrapText', () => {
  it('wraps at word boundaries, keeps line breaks, and breaks a long word after a separator in its second half', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four'])
    expect(wrapText('a\nb c', 10)).toEqual(['a', 'b c'])
    expect(wrapText('cn-hangzhou-internal-zone', 16)).toEqual(['cn-hangzhou-', 'internal-zone'])
    expect(wrapText('vsw-bp1inventory0001', 12)).toEqual(['vsw-bp1inven', 'tory0001'])
  })

  it('never lets a line of wide characters pass the width', () => {
    for (const line of wrapText('华东1（杭州） 华北2（北京）', 9)) expect(displayWidth(line)).toBeLessThanOrEqual(9)
  })
})

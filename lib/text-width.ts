// Terminal columns taken by text, and word wrapping to a number of columns: what tables and
// key/value lines need to fit the terminal. Wide (CJK, emoji) characters take two columns,
// combining marks and escape codes none.

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g

const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f5],
  [0x26fa, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
]

function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0
  for (const [lo, hi] of WIDE) if (cp >= lo && cp <= hi) return 2
  return 1
}

/** Columns the text takes on a terminal (its widest line). */
export function displayWidth(text: string): number {
  let widest = 0
  for (const line of text.replace(ANSI, '').split('\n')) {
    let w = 0
    for (const ch of line) w += charWidth(ch.codePointAt(0)!)
    widest = Math.max(widest, w)
  }
  return widest
}

/** Splits a word wider than `width` into pieces, preferring to break after - , / . _ : */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = []
  let rest = [...word]
  while (rest.length) {
    let take = 0
    let w = 0
    while (take < rest.length && w + charWidth(rest[take].codePointAt(0)!) <= width) w += charWidth(rest[take++].codePointAt(0)!)
    take = Math.max(1, take)
    if (take < rest.length) {
      const soft = rest.slice(0, take).findLastIndex((c) => '-,/._:'.includes(c))
      if (soft >= Math.floor(take / 2)) take = soft + 1
    }
    pieces.push(rest.slice(0, take).join(''))
    rest = rest.slice(take)
  }
  return pieces
}

/** Word-wraps text to `width` columns; existing line breaks are kept, over-long words are broken. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = []
  for (const para of text.split('\n')) {
    let line = ''
    for (const word of para.split(/ +/).filter((w, i) => w !== '' || i === 0)) {
      const pieces = displayWidth(word) > width ? breakWord(word, width) : [word]
      for (const piece of pieces) {
        const candidate = line ? `${line} ${piece}` : piece
        if (displayWidth(candidate) <= width) line = candidate
        else {
          if (line) out.push(line)
          line = piece
        }
      }
    }
    out.push(line)
  }
  return out
}

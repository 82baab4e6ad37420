// "Did you mean …?" for a mistyped command or flag: the closest known name by edit distance (a
// transposition counts as one edit), or the one name the typed text is a prefix of.

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/** The known name closest to `typed`, or undefined when none is close enough to be a typo of it. */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase()
  if (!t) return undefined
  const prefixed = known.filter((k) => k.toLowerCase().startsWith(t))
  if (prefixed.length === 1 && t.length >= 3) return prefixed[0]
  // Up to one edit per three characters typed (at least one, at most three).
  const allowed = Math.min(3, Math.max(1, Math.floor(t.length / 3)))
  let best: string | undefined
  let bestDistance = Infinity
  for (const k of known) {
    const distance = editDistance(t, k.toLowerCase())
    if (distance < bestDistance) {
      best = k
      bestDistance = distance
    }
  }
  return bestDistance <= allowed ? best : undefined
}

/** " Did you mean X?" or "" — ready to append to a message. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const hit = closest(typed, known)
  return hit ? ` Did you mean ${hit}?` : ''
}

// Step 4c's decision: the system disk category. The source's when the zone offers it for the type;
// otherwise (or when run-instances rejected a category) the supported ones, closest first.

import { StopError } from '../../lib/errors.js'
import { rankCategories } from './alternatives.js'
import { answer, type Choice } from './choice.js'

export interface CategoryAnswer {
  category: string
  /** Why the category differs from the source's (reported in the plan and the comparison). */
  why?: string
}

export interface DiskFactsForZone {
  zone: string
  type: string
  /** The source system disk category. */
  original: string
  /** The categories the zone offers for the type (4c). */
  supported: readonly string[]
  resume: string
}

/** `exclude`: a category run-instances rejected, never offered again. */
export function chooseSystemDiskCategory(f: DiskFactsForZone, flag: string | undefined, exclude?: string): Choice<CategoryAnswer> {
  const { zone, type, original } = f
  const supported = f.supported.filter((c) => c !== exclude)
  const why = (c: string) => (c === original ? undefined : `${original} is not offered for the system disk of ${type} in ${zone}; ${c} was chosen instead`)
  if (flag && supported.includes(flag)) return answer({ category: flag, why: why(flag) })
  if (!flag && !exclude && supported.includes(original)) return answer({ category: original })
  const ranked = rankCategories(original, supported)
  if (!ranked.length)
    return {
      kind: 'stop',
      error: new StopError('NoSystemDiskCategory', `${zone} offers no system disk category for ${type} other than ${exclude ?? original}.`, {
        nextAction: `Pick another zone or type (--target-zone, --instance-type), then continue with: ${f.resume}`,
      }),
    }
  const context = flag
    ? `--system-disk-category ${flag} is not offered for ${type} in ${zone}.`
    : exclude
      ? `run-instances rejected ${exclude} for the system disk.`
      : `The source system disk is ${original}, which ${zone} does not offer for ${type}.`
  return {
    kind: 'ask',
    spec: {
      id: 'system-disk-category',
      question: `System disk category for the new instance? (source: ${original})`,
      flag: '--system-disk-category',
      context: `${context} Supported: ${supported.join(', ')}.`,
    },
    options: ranked.map((c, i) => ({ value: c, label: `${c}${i === 0 ? ' (closest to the source)' : ''}`, recommended: i === 0, outcome: answer({ category: c, why: why(c) }) })),
  }
}

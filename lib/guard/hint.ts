// What guard tells an agent whose call it refused: the reason, and what it may send instead — one
// line each, so an agent can act on it without reading the skill's policy.

import { isSystemCommand, parseArgv } from '../command.js'
import { matchesPattern, type SkillPolicy } from '../policy.js'

const MAX_LISTED = 5

function shown(pattern: string): string {
  return `aliyun ${pattern.replace(/\*+/g, '…')}`
}

function listed(patterns: string[], skill: string): string {
  const head = patterns.slice(0, MAX_LISTED).map(shown).join('; ')
  return patterns.length > MAX_LISTED ? `${head}; … (all: aliyun-harness policy ${skill})` : head
}

/** `DescribeInstances` or `describe_instances` as the plugin-mode action `describe-instances`. */
export function kebab(action: string): string {
  return action
    .replace(/_/g, '-')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
}

const patternWords = (pattern: string) => parseArgv(pattern.split(/\s+/)).words

/** The allow patterns whose command words (flags aside) are these words. */
function sameWords(policy: SkillPolicy, words: string[]): string[] {
  return policy.allow.filter((p) => {
    const pw = patternWords(p)
    return pw.length === words.length && matchesPattern(pw.join(' '), { words, groups: [] })
  })
}

/** The allowed commands an agent should see for this refused call: same words, same product, or all. */
function alternatives(policy: SkillPolicy, words: string[]): string[] {
  const same = sameWords(policy, words)
  if (same.length) return same
  const sameProduct = policy.allow.filter((p) => patternWords(p)[0] === words[0])
  return sameProduct.length ? sameProduct : policy.allow.filter((p) => !isSystemCommand(parseArgv(p.split(/\s+/))))
}

/** The "instead" line for a call refused for `why`. */
export function insteadOf(policy: SkillPolicy, argv: readonly string[], why: string): string {
  const cmd = parseArgv(argv)
  const [product = '', action = ''] = cmd.words
  if (/credential flag/.test(why))
    return 'credentials are set up outside this session (`aliyun configure` in a terminal, or environment variables in the shell profile); send the command without that flag.'
  if (cmd.words.length === 0 && argv.length > 0)
    return 'write the command words first and flags after them: aliyun <product> <action> --flag value …'
  if (/guard already set the ai-mode/.test(why)) return 'skip this step: guard enabled ai-mode with the skill\'s user agent before your command and disables it when the session ends.'
  if (/never runs configure ai-mode/.test(why)) return `leave ai-mode alone: guard puts the ${policy.name} user agent on every API call itself.`
  if (/lower-case/.test(why)) return `aliyun ${[product.toLowerCase(), ...cmd.words.slice(1)].join(' ')} … (product codes are lower-case).`
  if (/plugin-mode action/.test(why)) {
    const words = [product, kebab(action), ...cmd.words.slice(2)]
    if (sameWords(policy, words).length) return `aliyun ${words.join(' ')} … (plugin mode: kebab-case actions).`
  }
  const prefix = /help discovery/.test(why) ? `the ${policy.name} skill names every command it needs; run them directly: ` : 'allowed: '
  return prefix + listed(alternatives(policy, cmd.words), policy.name)
}

/** The two lines an agent reads on stderr when guard refuses its call (exit 4); `instead` when the policy data says it. */
export function refusalMessage(policy: SkillPolicy, argv: readonly string[], why: string, instead = insteadOf(policy, argv, why)): string {
  return `aliyun-harness guard: refused by the ${policy.name} skill's rules, not sent to aliyun: ${why}.\nInstead: ${instead}\n`
}

// Assertions several skill test files share: a replay that used its transcript exactly, and a
// command the policy refuses before it runs (PolicyError: status blocked, exit 4).

import { expect } from 'vitest'
import { EXIT, PolicyError } from '../../lib/errors.js'
import { checkCommand, type SkillPolicy } from '../../lib/policy.js'
import type { RunResult } from './run.js'

/** Every call the run made was recorded, and every recorded call was made. */
export function expectCleanReplay(res: RunResult): void {
  expect(res.report?.misses).toEqual([])
  expect(res.report?.unused).toEqual([])
}

/** The policy refuses `argv` before it runs, with a reason matching `why` when given. */
export function expectRefused(policy: SkillPolicy, argv: readonly string[], why?: RegExp): void {
  let err: unknown
  try {
    checkCommand(policy, argv)
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(PolicyError)
  expect(err).toMatchObject({ exitCode: EXIT.blocked, status: 'blocked', ...(why ? { message: expect.stringMatching(why) } : {}) })
}

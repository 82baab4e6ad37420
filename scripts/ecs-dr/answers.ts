// The answers to the placement decisions — from flags, or from a decision on a terminal — and how
// an answer that moves the placement (another zone or type) replaces the earlier ones.

/** Answers to the placement decisions, from flags or from a prompt. */
export interface Answers {
  zone?: string
  instanceType?: string
  vswitchId?: string
  createVswitch?: boolean
  cidrBlock?: string
  systemDiskCategory?: string
  instanceName?: string
}

/** Flags that fix a placement; a decision that may move the zone replaces all of them. */
export const PLACEMENT_FLAGS = ['--target-zone', '--instance-type', '--vswitch-id', '--create-vswitch', '--cidr-block']

/**
 * The answers for the next placement round: the zone, type and VSwitch come from the decision
 * that moved the placement (what was chosen for another zone no longer applies); the disk category
 * and instance name stay unless the decision set them.
 */
export function replanned(answers: Answers, next: Answers): Answers {
  return { ...answers, zone: undefined, instanceType: undefined, vswitchId: undefined, createVswitch: false, cidrBlock: undefined, ...next }
}

/** The VSwitch flags of a continuation that keeps the VSwitch already answered. */
export function vswitchArgs(answers: Answers): string[] {
  if (answers.vswitchId) return ['--vswitch-id', answers.vswitchId]
  if (answers.createVswitch && answers.cidrBlock) return ['--create-vswitch', '--cidr-block', answers.cidrBlock]
  return []
}

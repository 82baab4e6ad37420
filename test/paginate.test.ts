// lib/paginate's pages(): one pager for every skill's lists, driven through the real runner and a
// strict replay, so an extra or missing page call fails the test.

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { VirtualClock } from '../lib/clock.js'
import { api } from '../lib/command.js'
import { createIO } from '../lib/io.js'
import { pages } from '../lib/paginate.js'
import { Redactor } from '../lib/redact.js'
import { Runner } from '../lib/runner.js'
import { Replayer, type Entry } from '../lib/transcript.js'
import { ReplayTransport } from '../lib/transport.js'
import { builder, transcript } from './support/cli-facts.js'
import { probePolicy } from './support/probe.js'

const policy = probePolicy()
const b = builder(policy)
const Page = z.object({ TotalCount: z.number().optional(), TotalPage: z.number().optional(), NextToken: z.string().optional(), Items: z.array(z.string()) })
const silent = { write: () => true }

function runnerFor(entries: Entry[]) {
  const replayer = new Replayer(transcript(policy.name, 'pages', entries))
  const runner = new Runner({
    policy,
    transport: new ReplayTransport(replayer),
    clock: new VirtualClock(0),
    io: createIO({ stdout: silent, stderr: silent, redactor: new Redactor({}), json: true }),
    userAgent: b.userAgent,
    signal: new AbortController().signal,
  })
  return { runner, replayer }
}

const disks = (flags: Record<string, string | number> = {}) => api('ecs', 'describe-disks', { 'biz-region-id': 'cn-hangzhou', ...flags })

async function collect(runner: Runner, loop: Omit<Parameters<typeof pages<z.infer<typeof Page>>>[1], 'schema' | 'label' | 'count'>) {
  const out: string[] = []
  for await (const { data } of pages(runner, { schema: Page, label: 'list', count: (p) => p.Items.length, ...loop })) out.push(...data.Items)
  return out
}

describe('pages', () => {
  it('sends page 1 exactly as given and reads on while TotalCount says more', async () => {
    const { runner, replayer } = runnerFor([
      b.api(disks(), { TotalCount: 3, Items: ['a', 'b'] }),
      b.api(disks({ 'page-number': 2 }), { TotalCount: 3, Items: ['c'] }),
    ])
    const argv = ({ number }: { number: number }) => disks(number > 1 ? { 'page-number': number } : {})
    expect(await collect(runner, { argv, total: (p) => p.TotalCount })).toEqual(['a', 'b', 'c'])
    expect(replayer.unused()).toEqual([])
  })

  it('stops at TotalPage before TotalCount, and on a short page when neither is given', async () => {
    const { runner } = runnerFor([b.api(disks({ 'page-number': 1 }), { TotalPage: 1, TotalCount: 99, Items: ['a'] })])
    expect(await collect(runner, { argv: ({ number }) => disks({ 'page-number': number }), totalPages: (p) => p.TotalPage, total: (p) => p.TotalCount })).toEqual(['a'])
    const short = runnerFor([b.api(disks({ 'page-number': 1 }), { Items: ['a', 'b'] }), b.api(disks({ 'page-number': 2 }), { Items: ['c'] })])
    expect(await collect(short.runner, { argv: ({ number }) => disks({ 'page-number': number }), pageSize: 2 })).toEqual(['a', 'b', 'c'])
  })

  it('follows NextToken and refuses a token that repeats', async () => {
    const ok = runnerFor([b.api(disks(), { NextToken: 't1', Items: ['a'] }), b.api(disks({ 'next-token': 't1' }), { NextToken: '', Items: ['b'] })])
    const argv = ({ token }: { token?: string }) => disks(token ? { 'next-token': token } : {})
    expect(await collect(ok.runner, { argv, nextToken: (p) => p.NextToken })).toEqual(['a', 'b'])
    const loop = runnerFor([b.api(disks(), { NextToken: 't1', Items: ['a'] }), b.api(disks({ 'next-token': 't1' }), { NextToken: 't1', Items: ['b'] })])
    await expect(collect(loop.runner, { argv, nextToken: (p) => p.NextToken })).rejects.toThrow(/returned the same NextToken/)
  })

  it('stops with PaginationLimit past maxPages instead of reading forever', async () => {
    const { runner } = runnerFor([b.api(disks({ 'page-number': 1 }), { TotalCount: 10, Items: ['a'] })])
    await expect(collect(runner, { argv: ({ number }) => disks({ 'page-number': number }), total: (p) => p.TotalCount, maxPages: 1 })).rejects.toThrow(/more than 1 pages/)
  })
})

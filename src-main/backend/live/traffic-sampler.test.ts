import { describe, expect, it } from 'vitest'
import type { TrafficClient, TrafficEvent, TrafficOp } from '../../ioc'
import { STUDIO_CIRCUIT_ID } from './traffic-json'
import { TrafficSampler } from './traffic-sampler'

const alice: TrafficClient = { circuitId: 4, address: '127.0.0.1', port: 40000, host: 'ws1', user: 'alice' }
let seq = 0

function event(op: TrafficOp, overrides: Partial<TrafficEvent> = {}): TrafficEvent {
  return {
    seq: ++seq,
    time: 1_700_000_000_000 + seq,
    op,
    pv: 'sim:x',
    client: alice,
    dbrType: 'DBR_TIME_DOUBLE',
    count: 1,
    value: '1.5',
    status: 'ECA_NORMAL',
    ok: true,
    ...overrides,
  }
}

describe('TrafficSampler', () => {
  it('carries every event under the limit, in order, with the client as a key', () => {
    const sampler = new TrafficSampler(10)
    const get = event('get')
    const put = event('put-done', { oldValue: '1', newValue: '2', hookMs: 0.123456, durationMs: 2 })
    const internal = event('put-done', { client: null })
    sampler.record(get)
    sampler.record(put)
    sampler.record(internal)
    expect(sampler.pending).toBe(3)

    const batch = sampler.drain(internal.seq)
    expect(batch.events.map((e) => e.seq)).toEqual([get.seq, put.seq, internal.seq])
    expect(batch.events[1]).toEqual({
      seq: put.seq,
      time: put.time,
      op: 'put-done',
      pv: 'sim:x',
      client: 'c4',
      dbrType: 'DBR_TIME_DOUBLE',
      count: 1,
      value: '1.5',
      oldValue: '1',
      newValue: '2',
      status: 'ECA_NORMAL',
      ok: true,
      hookMs: 0.123,
      durationMs: 2,
    })
    expect(batch.events[2].client).toBeNull()
    expect(batch.clients).toEqual({
      c4: { key: 'c4', circuitId: 4, address: '127.0.0.1', port: 40000, host: 'ws1', user: 'alice' },
    })
    expect(batch).toMatchObject({ recorded: 3, dropped: 0, failures: 0, lastSeq: internal.seq })
    expect(batch.byOp).toEqual({ get: 1, 'put-done': 2 })
    expect(sampler.pending).toBe(0)
    expect(sampler.drain(internal.seq)).toMatchObject({ events: [], recorded: 0, dropped: 0, byOp: {} })
  })

  it('under load counts exactly, carries at most the limit, and keeps the telling operations first', () => {
    const sampler = new TrafficSampler(100)
    const puts: TrafficEvent[] = []
    for (let i = 0; i < 5000; i++) {
      sampler.record(event('get'))
      if (i % 100 === 0) {
        const put = event('put-done')
        puts.push(put)
        sampler.record(put)
      }
    }
    sampler.record(event('get', { ok: false, status: 'ECA_GETFAIL' }))
    const batch = sampler.drain(seq)
    expect(batch.recorded).toBe(5051)
    expect(batch.byOp).toEqual({ get: 5001, 'put-done': 50 })
    expect(batch.failures).toBe(1)
    expect(batch.events).toHaveLength(100)
    expect(batch.dropped).toBe(4951)
    // Every put and the failed get made it; the gets fill the rest.
    const carried = new Set(batch.events.map((e) => e.seq))
    for (const put of puts) expect(carried.has(put.seq)).toBe(true)
    expect(batch.events.filter((e) => !e.ok)).toHaveLength(1)
    expect(batch.events.filter((e) => e.op === 'get' && e.ok)).toHaveLength(49)
    const seqs = batch.events.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
  })

  it('samples the high-volume operations across the whole interval, not just its start', () => {
    const sampler = new TrafficSampler(50)
    const first = seq + 1
    for (let i = 0; i < 10_000; i++) sampler.record(event('update'))
    const batch = sampler.drain(seq)
    const offsets = batch.events.map((e) => e.seq - first)
    expect(offsets.some((o) => o < 5000)).toBe(true)
    expect(offsets.some((o) => o >= 5000)).toBe(true)
  })

  it('names studio writes and UDP searchers apart from circuits', () => {
    const sampler = new TrafficSampler(10)
    sampler.record(event('put-done', { client: { ...alice, circuitId: STUDIO_CIRCUIT_ID, host: 'lab' } }))
    sampler.record(event('search', { client: { ...alice, circuitId: 0, port: 5065 } }))
    const batch = sampler.drain(seq)
    expect(batch.events.map((e) => e.client)).toEqual(['studio', 'udp:127.0.0.1:5065'])
    expect(Object.keys(batch.clients).sort()).toEqual(['studio', 'udp:127.0.0.1:5065'])
  })
})

import { describe, expect, it } from 'vitest'
import type { TrafficClient, TrafficEvent, TrafficOp } from '../../ioc'
import { ClientChannels } from './client-channels'

const client = (circuitId: number): TrafficClient => ({
  circuitId,
  address: '127.0.0.1',
  port: 40000 + circuitId,
  host: 'ws1',
  user: 'alice',
})

function event(op: TrafficOp, circuitId: number, pv: string, ok = true): TrafficEvent {
  return {
    seq: 1,
    time: 0,
    op,
    pv,
    client: client(circuitId),
    dbrType: '',
    count: 1,
    value: '',
    status: ok ? 'ECA_NORMAL' : 'ECA_NOWTACCESS',
    ok,
  }
}

describe('ClientChannels', () => {
  it('follows channels and subscriptions per client and PV', () => {
    const channels = new ClientChannels()
    expect(channels.record(event('connect', 1, 'b'))).toBe(true)
    channels.record(event('connect', 1, 'a'))
    channels.record(event('connect', 1, 'a'))
    channels.record(event('monitor-add', 1, 'a'))
    channels.record(event('connect', 2, 'a'))
    expect(channels.of(1)).toEqual([
      { pv: 'a', channels: 2, monitors: 1 },
      { pv: 'b', channels: 1, monitors: 0 },
    ])
    expect(channels.of(2)).toEqual([{ pv: 'a', channels: 1, monitors: 0 }])

    channels.record(event('monitor-cancel', 1, 'a'))
    channels.record(event('disconnect', 1, 'b'))
    expect(channels.of(1)).toEqual([{ pv: 'a', channels: 2, monitors: 0 }])
  })

  it('drops subscriptions with the last channel, and everything when the client goes', () => {
    const channels = new ClientChannels()
    channels.record(event('connect', 3, 'x'))
    channels.record(event('monitor-add', 3, 'x'))
    channels.record(event('disconnect', 3, 'x'))
    expect(channels.of(3)).toEqual([])
    channels.record(event('connect', 3, 'y'))
    expect(channels.record(event('client-disconnect', 3, ''))).toBe(true)
    expect(channels.of(3)).toEqual([])
  })

  it('ignores failed connects, internal operations and other events', () => {
    const channels = new ClientChannels()
    expect(channels.record(event('connect', 1, 'x', false))).toBe(false)
    expect(channels.record({ ...event('connect', 1, 'x'), client: null })).toBe(false)
    expect(channels.record(event('get', 1, 'x'))).toBe(false)
    expect(channels.record(event('disconnect', 1, 'never-connected'))).toBe(false)
    expect(channels.of(1)).toEqual([])
  })

  it('stays bounded per client and forgets clients that are gone', () => {
    const channels = new ClientChannels(2)
    for (const pv of ['a', 'b', 'c']) channels.record(event('connect', 1, pv))
    channels.record(event('connect', 2, 'a'))
    expect(channels.of(1).map((c) => c.pv)).toEqual(['a', 'b'])
    channels.retain(new Set([2]))
    expect(channels.of(1)).toEqual([])
    expect(channels.of(2)).toHaveLength(1)
  })
})

import { describe, expect, it } from 'vitest'
import type { LiveOp, LiveTrafficBatch, LiveTrafficEvent } from '@shared/api/live'
import { NO_FILTER, TrafficLog, TrafficView, pvMatcher } from './traffic-log'

let seq = 0
function event(op: LiveOp, pv: string, client: string | null = 'c1', ok = true): LiveTrafficEvent {
  seq++
  return { seq, time: 1_000_000 + seq, op, pv, client, dbrType: '', count: 1, value: '', status: '', ok }
}

function batch(events: LiveTrafficEvent[], extra: Partial<LiveTrafficBatch> = {}): LiveTrafficBatch {
  const byOp: Partial<Record<LiveOp, number>> = {}
  for (const e of events) byOp[e.op] = (byOp[e.op] ?? 0) + 1
  return {
    events,
    clients: { c1: { key: 'c1', circuitId: 1, address: '127.0.0.1', port: 1, host: 'h', user: 'u' } },
    recorded: events.length,
    dropped: 0,
    byOp,
    failures: events.filter((e) => !e.ok).length,
    lastSeq: events.at(-1)?.seq ?? 0,
    ...extra,
  }
}

describe('TrafficLog', () => {
  it('keeps the newest rows, skips events it already holds, and counts exactly', () => {
    const log = new TrafficLog(3)
    const first = [event('get', 'a'), event('put-done', 'b')]
    log.reset({ traffic: first, trafficClients: {}, trafficTotal: first[1].seq })
    // A batch that overlaps the snapshot adds only what is new.
    const next = [event('get', 'c'), event('get', 'd', 'c1', false)]
    const added = log.add(
      batch([first[1], ...next], { recorded: 10, dropped: 7, lastSeq: next[1].seq + 7 }),
      5000,
    )
    expect(added.map((e) => e.pv)).toEqual(['c', 'd'])
    expect(log.rows.size).toBe(3)
    expect(log.rows.at(0)!.pv).toBe('b')
    expect(log.recorded).toBe(next[1].seq + 7)
    expect(log.dropped).toBe(7)
    expect(log.client('c1')?.user).toBe('u')
    expect(log.rates.all.series(6000, 1)[1]).toEqual([10])
    expect(log.rates.errors.series(6000, 1)[1]).toEqual([1])
  })
})

describe('TrafficView', () => {
  it('filters by PV pattern, client, operation and errors, incrementally and after a change', () => {
    const log = new TrafficLog()
    const view = new TrafficView(log)
    log.reset({ traffic: [], trafficClients: {}, trafficTotal: 0 })
    const events = [
      event('get', 'sim:temp'),
      event('put', 'sim:setpoint', 'c2'),
      event('put-done', 'sim:setpoint', 'c2'),
      event('get', 'other', 'c1', false),
    ]
    view.append(log.add(batch(events), 0))
    expect(view.rows.size).toBe(4)
    view.setFilter({ ...NO_FILTER, pv: 'sim:*' })
    expect(view.rows.size).toBe(3)
    view.setFilter({ ...NO_FILTER, op: 'put' })
    expect(view.rows.size).toBe(2)
    view.setFilter({ ...NO_FILTER, client: 'c1' })
    expect(view.rows.size).toBe(2)
    view.setFilter({ ...NO_FILTER, errorsOnly: true })
    expect(view.rows.size).toBe(1)
    view.append(log.add(batch([event('get', 'x', 'c1', false), event('get', 'y')]), 0))
    expect(view.rows.size).toBe(2)
  })

  it('holds still while paused, counts what it missed, and catches up on resume', () => {
    const log = new TrafficLog()
    const view = new TrafficView(log)
    view.append(log.add(batch([event('get', 'a')]), 0))
    view.pause()
    view.append(log.add(batch([event('get', 'b'), event('get', 'c')]), 0))
    expect(view.rows.size).toBe(1)
    expect(view.missed).toBe(2)
    view.resume()
    expect(view.rows.size).toBe(3)
    expect(view.missed).toBe(0)
  })

  it('clears for good: a later filter change does not bring cleared rows back', () => {
    const log = new TrafficLog()
    const view = new TrafficView(log)
    view.append(log.add(batch([event('get', 'a'), event('get', 'b')]), 0))
    view.clear()
    view.append(log.add(batch([event('get', 'c')]), 0))
    view.setFilter({ ...NO_FILTER, pv: '' })
    expect(view.rows.size).toBe(1)
    expect(view.rows.at(0)!.pv).toBe('c')
  })
})

describe('pvMatcher', () => {
  it('uses wildcards when given, a case-insensitive substring otherwise', () => {
    expect(pvMatcher('TEMP')('sim:temp:rbv')).toBe(true)
    expect(pvMatcher('sim:*:rbv')('sim:temp:rbv')).toBe(true)
    expect(pvMatcher('sim:*:rbv')('sim:temp:val')).toBe(false)
    expect(pvMatcher('sim:t?mp')('sim:temp')).toBe(true)
    expect(pvMatcher('a.b')('axb')).toBe(false)
    expect(pvMatcher('  ')('anything')).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { Emitter } from '@shared/base/event'
import type { CaObservation, CaObservationKind } from '../../ca/server/observations'
import type { ClientIdentity } from '../../ca/server/provider'
import { DbrType } from '../../ca/wire/dbr-types'
import { Eca } from '../../ca/wire/protocol'
import { PvDatabase } from '../database'
import { client } from '../test-support'
import { TrafficRecorder } from './recorder'

/** The observation stream a CA server emits, driven by hand so each test states exactly what happened. */
class ObservationStream {
  private readonly emitter = new Emitter<CaObservation>()
  readonly onDidObserve = this.emitter.event

  observe(kind: CaObservationKind, who: ClientIdentity, details: Partial<CaObservation> = {}): void {
    this.emitter.fire({ kind, time: Date.now(), client: who, ...details })
  }
}

function setup(options = {}) {
  const db = new PvDatabase()
  const recorder = new TrafficRecorder(options)
  recorder.attachDatabase(db)
  return { db, recorder }
}

describe('TrafficRecorder with the database alone', () => {
  it('records internal puts with old -> new value and hook time, but keeps them out of the put log', async () => {
    const { db, recorder } = setup()
    const pv = db.define({ name: 'T:A', type: 'ENUM', enumStrings: ['Off', 'On'], value: 0 })
    pv.setHooks({ putter: async () => ({ kind: 'accept' }) })
    await pv.put('On')
    const [event] = recorder.events()
    expect(event).toMatchObject({
      seq: 1,
      op: 'put-done',
      pv: 'T:A',
      client: null,
      oldValue: '"Off"',
      newValue: '"On"',
      status: 'ECA_NORMAL',
      ok: true,
    })
    expect(event.hookMs).toBeGreaterThanOrEqual(0)
    expect(recorder.pvTrafficFor('T:A')).toMatchObject({ puts: 1, putFailures: 0, pendingPuts: 0 })
    expect(recorder.putLog()).toEqual([])
  })

  it('counts a put as pending from its arrival until its putter finished', async () => {
    const { db, recorder } = setup()
    const pv = db.define({ name: 'T:A', type: 'DOUBLE', value: 0 })
    const releases: (() => void)[] = []
    pv.setHooks({ putter: () => new Promise((resolve) => releases.push(() => resolve({ kind: 'accept' }))) })
    const first = pv.put(1)
    const second = pv.put(2)
    expect(recorder.pvTrafficFor('T:A')).toMatchObject({ pendingPuts: 2, maxPendingPuts: 2 })
    releases[0]()
    await first
    expect(recorder.pvTrafficFor('T:A')?.pendingPuts).toBe(1)
    releases[1]()
    await second
    expect(recorder.pvTrafficFor('T:A')).toMatchObject({ pendingPuts: 0, maxPendingPuts: 2, puts: 2 })
  })

  it('logs CA puts (who, PV, old, new) and records failures with their message', async () => {
    const { db, recorder } = setup()
    const pv = db.define({ name: 'T:A', type: 'DOUBLE', value: 1.5, controlLimits: { high: 10 } })
    const bob = client('bob', 'ws2.lab', '10.1.1.2')
    await pv.write(bob, Float64Array.of(2))
    await pv.write(bob, Float64Array.of(20))
    expect(recorder.events().map((e) => [e.op, e.ok, e.message])).toEqual([
      ['put-done', true, undefined],
      ['put-done', false, 'T:A: 20 is above the control limit 10'],
    ])
    expect(recorder.putLogText()).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z bob@ws2\.lab \(10\.1\.1\.2\) T:A 1\.5 -> 2\n$/,
    )
    expect(recorder.clientTraffic()[0]).toMatchObject({ user: 'bob', puts: 1, putFailures: 1 })
  })
})

describe('TrafficRecorder with a server', () => {
  it('pairs the server side of a CA put with the database side into one put-done event', async () => {
    const { db, recorder } = setup()
    const server = new ObservationStream()
    recorder.attachServer(server)
    const pv = db.define({ name: 'T:A', type: 'LONG', value: 1 })
    pv.setHooks({ putter: async () => ({ kind: 'coerce', value: 42 }) })
    const alice = client('alice')
    server.observe('client-connect', alice)
    server.observe('connect', alice, { pv: 'T:A', status: Eca.NORMAL, count: 1 })
    server.observe('put', alice, {
      pv: 'T:A',
      dbrType: DbrType.STRING,
      count: 1,
      value: ['7'],
      notify: true,
      status: Eca.NORMAL,
    })
    const outcome = await pv.write(alice, Int32Array.of(7))
    server.observe('put-done', alice, {
      pv: 'T:A',
      dbrType: DbrType.STRING,
      count: 1,
      status: outcome.status,
      durationMs: 3.5,
    })

    const ops = recorder.events().map((e) => e.op)
    expect(ops).toEqual(['client-connect', 'connect', 'put', 'put-done'])
    const [, , put, done] = recorder.events()
    expect(put).toMatchObject({ value: '"7"', dbrType: 'DBR_STRING', message: 'with completion' })
    expect(done).toMatchObject({
      pv: 'T:A',
      dbrType: 'DBR_STRING',
      oldValue: '1',
      newValue: '42',
      durationMs: 3.5,
      client: { user: 'alice', host: 'ws1.lab', address: '10.0.0.5' },
    })
    expect(done.hookMs).toBeGreaterThanOrEqual(0)
    expect(recorder.putLog()).toHaveLength(1)
    expect(recorder.pvTrafficFor('T:A')).toMatchObject({ puts: 1, channels: 1 })
  })

  it('reports a put refused by the server (no database activity) from the server alone', () => {
    const { recorder } = setup()
    const server = new ObservationStream()
    recorder.attachServer(server)
    const eve = client('eve')
    server.observe('put-done', eve, { pv: 'T:RO', dbrType: DbrType.DOUBLE, count: 1, status: Eca.NOWTACCESS })
    expect(recorder.events()[0]).toMatchObject({ op: 'put-done', ok: false, status: 'ECA_NOWTACCESS' })
    expect(recorder.pvTrafficFor('T:RO')?.putFailures).toBe(1)
  })

  it('adds the getter time to the get the server reports, with the value read', async () => {
    const { db, recorder } = setup()
    const server = new ObservationStream()
    recorder.attachServer(server)
    const pv = db.define({ name: 'T:G', type: 'DOUBLE', value: 0 })
    pv.setHooks({ getter: () => 9.5 })
    const carol = client('carol')
    await pv.read(carol)
    server.observe('get', carol, {
      pv: 'T:G',
      dbrType: DbrType.TIME_DOUBLE,
      count: 1,
      status: Eca.NORMAL,
      durationMs: 1,
    })
    const get = recorder.events().find((e) => e.op === 'get')
    expect(get).toMatchObject({ dbrType: 'DBR_TIME_DOUBLE', value: '9.5', durationMs: 1 })
    expect(get?.hookMs).toBeGreaterThanOrEqual(0)
    expect(recorder.pvTrafficFor('T:G')).toMatchObject({ gets: 1, pendingGets: 0 })
  })

  it('tracks channels and monitors per PV and client, and cleans up when a client goes away', () => {
    const { recorder } = setup()
    const server = new ObservationStream()
    recorder.attachServer(server)
    const a = client('a')
    const b = client('b')
    for (const who of [a, b]) {
      server.observe('client-connect', who)
      server.observe('connect', who, { pv: 'T:M', status: Eca.NORMAL })
      server.observe('monitor-add', who, {
        pv: 'T:M',
        dbrType: DbrType.TIME_DOUBLE,
        mask: 5,
        subscriptionId: 1,
      })
    }
    server.observe('update', a, { pv: 'T:M', dbrType: DbrType.TIME_DOUBLE, count: 1, status: Eca.NORMAL })
    expect(recorder.pvTrafficFor('T:M')).toMatchObject({ channels: 2, monitors: 2, updates: 1 })
    expect(recorder.events().find((e) => e.op === 'monitor-add')?.message).toBe('mask VALUE|ALARM')
    expect(recorder.events().some((e) => e.op === 'update')).toBe(false)
    server.observe('client-disconnect', a, { message: 'peer closed' })
    expect(recorder.pvTrafficFor('T:M')).toMatchObject({ channels: 1, monitors: 1 })
    server.observe('disconnect', b, { pv: 'T:M', message: 'cleared by the client' })
    expect(recorder.pvTrafficFor('T:M')).toMatchObject({ channels: 0, monitors: 0 })
    const clients = recorder.clientTraffic()
    expect(clients.find((c) => c.user === 'a')).toMatchObject({ connected: false, channels: 0 })
    expect(clients.find((c) => c.user === 'b')).toMatchObject({ connected: true, monitors: 0, updates: 0 })
  })

  it('records found searches by default and all of them when asked', () => {
    for (const [searches, expected] of [
      ['found', 1],
      ['all', 2],
      ['none', 0],
    ] as const) {
      const { recorder } = setup({ searches })
      const server = new ObservationStream()
      recorder.attachServer(server)
      const udp = { ...client(), circuitId: 0 }
      server.observe('search', udp, { pv: 'T:A', found: true, transport: 'udp' })
      server.observe('search', udp, { pv: 'ELSEWHERE', found: false, transport: 'udp' })
      expect(recorder.events()).toHaveLength(expected)
    }
  })
})

describe('TrafficRecorder bounds and queues', () => {
  it('keeps a bounded ring and bounded per-PV counters', async () => {
    const { db, recorder } = setup({ capacity: 5, maxPvs: 3 })
    for (let i = 0; i < 10; i++) await db.define({ name: `T:${i}`, type: 'LONG', value: 0 }).put(i + 1)
    expect(recorder.events().map((e) => e.pv)).toEqual(['T:5', 'T:6', 'T:7', 'T:8', 'T:9'])
    expect(recorder.events(9)).toHaveLength(1)
    expect(recorder.pvTraffic().map((p) => p.pv)).toEqual(['T:7', 'T:8', 'T:9'])
  })

  it('keeps queue depth, high-water mark and latest entries, and records queue events', () => {
    const { recorder } = setup({ queueEntries: 2 })
    const seen: string[] = []
    recorder.onDidRecord((event) => seen.push(`${event.op} ${event.pv} ${event.count}`))
    recorder.recordQueue('put_queue', 'put', 1, "{'pv': 'val', 'value': 1}")
    recorder.recordQueue('put_queue', 'put', 2, "{'pv': 'val', 'value': 2}")
    recorder.recordQueue('put_queue', 'get', 1, "{'pv': 'val', 'value': 1}")
    const [queue] = recorder.queueStates()
    expect(queue).toMatchObject({ name: 'put_queue', depth: 1, maxDepth: 2, puts: 2, gets: 1 })
    expect(queue.recent.map((entry) => entry.op)).toEqual(['put', 'get'])
    expect(seen).toEqual(['queue-put put_queue 1', 'queue-put put_queue 2', 'queue-get put_queue 1'])
  })

  it('stops listening when disposed', async () => {
    const { db, recorder } = setup()
    const pv = db.define({ name: 'T:A', type: 'LONG', value: 0 })
    recorder.dispose()
    await pv.put(1)
    expect(recorder.events()).toEqual([])
  })
})

/**
 * The live feed over a real SoftIoc: our CA server on loopback, a raw CA client sending real bytes, the real
 * PV database and traffic recorder. Ports 19500-19519 are this suite's.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { LiveBatch } from '@shared/api/live'
import { RawCaClient } from '../../ca/server/testing/raw-client'
import { DbrType } from '../../ca/wire/dbr-types'
import {
  encodeMessage,
  writeEventAddRequest,
  writeReadNotifyRequest,
  writeWriteRequest,
} from '../../ca/wire/messages'
import { Command } from '../../ca/wire/protocol'
import type { ClientIdentity } from '../../ca'
import { SoftIoc } from '../../ioc'
import { LiveFeed } from './live-feed'
import { liveSourceOf } from './live-source'
import { STUDIO_CIRCUIT_ID } from './traffic-json'

const STUDIO: ClientIdentity = {
  circuitId: STUDIO_CIRCUIT_ID,
  address: '127.0.0.1',
  port: 0,
  hostName: 'studio-host',
  userName: 'operator',
  minorVersion: 13,
}

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function running(port: number): Promise<SoftIoc> {
  const ioc = new SoftIoc({
    config: {
      serverPort: port,
      interfaces: ['127.0.0.1'],
      autoBeaconAddresses: false,
      beaconAddresses: [{ host: '127.0.0.1', port: port + 1 }],
    },
    env: {},
  })
  cleanups.push(() => ioc.dispose())
  ioc.database.define({ name: 'T:val', type: 'DOUBLE', value: 1, units: 'mm', precision: 2 })
  ioc.database.define({
    name: 'T:temp',
    type: 'DOUBLE',
    value: 20,
    alarmLimits: { high: 30, hihi: 40 },
    displayLimits: { low: 0, high: 50 },
  })
  ioc.database.define({ name: 'T:ro', type: 'LONG', value: 3, readOnly: true })
  ioc.database.define({ name: 'T:wave', type: 'DOUBLE', maxLength: 5, value: [1, 2, Number.NaN] })
  await ioc.start()
  return ioc
}

function feedFor(ioc: SoftIoc | undefined, options: ConstructorParameters<typeof LiveFeed>[0] = {}) {
  const feed = new LiveFeed({ intervalMs: 10, studio: STUDIO, ...options })
  cleanups.push(() => feed.dispose())
  if (ioc) feed.attach(liveSourceOf(ioc))
  const batches: LiveBatch[] = []
  cleanups.push(() => subscription.dispose())
  const subscription = feed.onDidReceiveLiveBatch((batch) => batches.push(batch))
  return { feed, batches }
}

async function client(port: number): Promise<RawCaClient> {
  const raw = await RawCaClient.handshake(port, 'alice', 'ws1')
  cleanups.push(() => raw.close())
  return raw
}

async function channel(raw: RawCaClient, name: string, cid: number): Promise<number> {
  const [, reply] = await raw.createChannel(name, cid)
  return reply.parameter2
}

const double = (value: number): Buffer => {
  const bytes = Buffer.alloc(8)
  bytes.writeDoubleBE(value)
  return bytes
}

async function until<T>(find: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = find()
    if (found !== undefined && found !== false) return found
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const allEvents = (batches: LiveBatch[]) => batches.flatMap((b) => b.traffic.events)
const latestValue = (batches: LiveBatch[], pv: string) =>
  batches
    .flatMap((b) => b.values)
    .filter((v) => v.pv === pv)
    .at(-1)

describe('LiveFeed', () => {
  it('streams a CA put with the client, old -> new value, the PV value, counters and the client list', async () => {
    const ioc = await running(19500)
    const { batches } = feedFor(ioc)
    const raw = await client(19500)
    const sid = await channel(raw, 'T:val', 1)
    raw.send(encodeMessage(writeWriteRequest, true, DbrType.DOUBLE, 1, sid, 7, double(2.5)))
    expect((await raw.next()).command).toBe(Command.WRITE_NOTIFY)

    const done = await until(() => allEvents(batches).find((e) => e.op === 'put-done'))
    expect(done).toMatchObject({
      pv: 'T:val',
      oldValue: '1',
      newValue: '2.5',
      ok: true,
      status: 'ECA_NORMAL',
    })
    expect(done.dbrType).toBe('DBR_DOUBLE')
    const key = done.client!
    const batch = batches.find((b) => b.traffic.events.includes(done))!
    expect(batch.traffic.clients[key]).toMatchObject({ user: 'alice', host: 'ws1', address: '127.0.0.1' })
    expect(allEvents(batches).map((e) => e.op)).toEqual(
      expect.arrayContaining(['client-connect', 'connect', 'put', 'put-done']),
    )

    const value = await until(() => latestValue(batches, 'T:val'))
    expect(value).toMatchObject({ value: 2.5, severity: 0, status: 0, length: 1, changes: 1 })
    expect(value.time).toBeGreaterThan(Date.now() - 10_000)
    // Counters of a merely busy PV follow within the activity interval (500 ms).
    const activity = await until(() =>
      batches.flatMap((b) => b.activity).find((a) => a.pv === 'T:val' && a.puts === 1),
    )
    expect(activity).toMatchObject({ channels: 1, pendingPuts: 0, peakPendingPuts: 0 })

    const clients = await until(() =>
      batches
        .map((b) => b.clients)
        .filter((c) => c?.length)
        .at(-1),
    )
    expect(clients).toHaveLength(1)
    expect(clients[0]).toMatchObject({
      key,
      user: 'alice',
      host: 'ws1',
      minorVersion: 13,
      channelCount: 1,
      puts: 1,
      channels: [{ pv: 'T:val', channels: 1, monitors: 0 }],
    })
    expect(clients[0].bytesIn).toBeGreaterThan(0)
  })

  it('follows alarms of a monitored PV and coalesces fast changes into one value per batch', async () => {
    const ioc = await running(19502)
    const { batches } = feedFor(ioc, { intervalMs: 30 })
    const raw = await client(19502)
    const sid = await channel(raw, 'T:temp', 2)
    raw.send(encodeMessage(writeEventAddRequest, DbrType.TIME_DOUBLE, 1, sid, 9, 1 | 4))
    await raw.next()
    const temp = ioc.database.get('T:temp')!
    for (let i = 0; i < 100; i++) temp.putNow(31 + i / 100)
    const value = await until(() => latestValue(batches, 'T:temp'))
    expect(value).toMatchObject({ value: 31.99, severity: 1, status: 4 })
    expect(
      batches
        .flatMap((b) => b.values)
        .filter((v) => v.pv === 'T:temp')
        .reduce((n, v) => n + v.changes, 0),
    ).toBe(100)
    // 100 puts, but at most a couple of batches.
    expect(batches.length).toBeLessThan(5)
    await temp.put(45)
    expect(
      await until(() => latestValue(batches, 'T:temp')?.severity === 2 && latestValue(batches, 'T:temp')),
    ).toMatchObject({
      status: 3,
    })
    const clients = await until(() =>
      batches
        .map((b) => b.clients)
        .filter((c) => c?.length)
        .at(-1),
    )
    expect(clients[0].channels).toEqual([{ pv: 'T:temp', channels: 1, monitors: 1 }])
  })

  it('under load counts every event exactly and carries a bounded sample, saying how many it dropped', async () => {
    const ioc = await running(19504)
    const { batches } = feedFor(ioc, { intervalMs: 20, maxEventsPerBatch: 50 })
    const val = ioc.database.get('T:val')!
    for (let i = 0; i < 2000; i++) val.putNow(i)
    await until(() => batches.reduce((n, b) => n + b.traffic.recorded, 0) >= 2000)
    const recorded = batches.reduce((n, b) => n + b.traffic.recorded, 0)
    const carried = batches.reduce((n, b) => n + b.traffic.events.length, 0)
    const dropped = batches.reduce((n, b) => n + b.traffic.dropped, 0)
    expect(recorded).toBe(2000)
    expect(batches.reduce((n, b) => n + (b.traffic.byOp['put-done'] ?? 0), 0)).toBe(2000)
    expect(carried + dropped).toBe(2000)
    for (const batch of batches) expect(batch.traffic.events.length).toBeLessThanOrEqual(50)
    expect(dropped).toBeGreaterThan(1900)
    expect(batches.at(-1)!.traffic.lastSeq).toBe(ioc.recorder.lastSequence)
  })

  it('writes from the studio through the CA put path, named as the studio, and refuses what CA would', async () => {
    const ioc = await running(19506)
    const { feed, batches } = feedFor(ioc)
    const seen: (ClientIdentity | undefined)[] = []
    ioc.database.get('T:val')!.setHooks({
      putter: (_pv, value, who) => {
        seen.push(who)
        if (value === 13) throw new Error('unlucky')
      },
    })
    expect(await feed.writePv('T:val', '4.5')).toEqual({ ok: true, status: 'ECA_NORMAL' })
    expect(ioc.database.get('T:val')!.value).toBe(4.5)
    expect(seen).toEqual([STUDIO])
    expect(await feed.writePv('T:val', 13)).toMatchObject({
      ok: false,
      status: 'ECA_PUTFAIL',
      message: expect.stringMatching(/unlucky/),
    })
    expect(await feed.writePv('T:ro', '9')).toMatchObject({ ok: false, status: 'ECA_NOWTACCESS' })
    expect(ioc.database.get('T:ro')!.value).toBe(3)
    expect(await feed.writePv('T:nope', 1)).toMatchObject({ ok: false, status: 'ECA_BADCHID' })
    expect(await feed.writePv('T:val', 'abc')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a number/),
    })
    expect(await feed.writePv('T:wave', ['1', '2', '3.5'])).toMatchObject({ ok: true })
    expect(ioc.database.get('T:wave')!.value).toEqual([1, 2, 3.5])

    const done = await until(() =>
      allEvents(batches).find((e) => e.op === 'put-done' && e.pv === 'T:val' && e.ok),
    )
    expect(done).toMatchObject({ client: 'studio', oldValue: '1', newValue: '4.5' })
    const batch = batches.find((b) => b.traffic.events.includes(done))!
    expect(batch.traffic.clients.studio).toMatchObject({ host: 'studio-host', user: 'operator' })
    expect(feed.getPutLog()).toEqual([
      expect.objectContaining({
        pv: 'T:val',
        oldValue: '1',
        newValue: '4.5',
        client: expect.objectContaining({ key: 'studio' }),
      }),
      expect.objectContaining({ pv: 'T:wave', newValue: '[1, 2, 3.5]' }),
    ])
    // The studio is no CA client.
    expect(feed.getLiveSnapshot().clients).toEqual([])
  })

  it('disconnects a client on request, and the list follows', async () => {
    const ioc = await running(19508)
    const { feed, batches } = feedFor(ioc)
    const raw = await client(19508)
    await channel(raw, 'T:val', 3)
    const [listed] = await until(() =>
      batches
        .map((b) => b.clients)
        .filter((c) => c?.length)
        .at(-1),
    )
    expect(feed.disconnectClient(listed.circuitId)).toBe(true)
    await raw.closed
    expect(raw.isClosed).toBe(true)
    await until(() => batches.at(-1)?.clients?.length === 0)
    expect(
      allEvents(batches).some(
        (e) => e.op === 'client-disconnect' && e.message === 'disconnected by the server',
      ),
    ).toBe(true)
    expect(feed.disconnectClient(listed.circuitId)).toBe(false)
  })

  it('gives a snapshot that later batches continue without overlap', async () => {
    const ioc = await running(19510)
    const { feed, batches } = feedFor(ioc)
    const raw = await client(19510)
    const sid = await channel(raw, 'T:val', 4)
    raw.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sid, 11))
    await raw.next()
    const snapshot = feed.getLiveSnapshot()
    expect(snapshot.attached).toBe(true)
    expect(snapshot.pvs.map((p) => p.name)).toEqual(['T:val', 'T:temp', 'T:ro', 'T:wave'])
    expect(snapshot.pvs[1]).toMatchObject({
      type: 'DOUBLE',
      units: '',
      displayLow: 0,
      displayHigh: 50,
      writable: true,
    })
    expect(snapshot.pvs[0]).toMatchObject({ units: 'mm', precision: 2 })
    expect(snapshot.pvs[2].writable).toBe(false)
    expect(snapshot.values.find((v) => v.pv === 'T:wave')).toMatchObject({ value: [1, 2, 'NaN'], length: 3 })
    expect(snapshot.traffic.map((e) => e.op)).toEqual(
      expect.arrayContaining(['client-connect', 'connect', 'get']),
    )
    expect(snapshot.traffic.at(-1)!.seq).toBe(snapshot.trafficTotal)
    expect(Object.values(snapshot.trafficClients)[0]).toMatchObject({ user: 'alice' })
    expect(snapshot.clients).toHaveLength(1)
    expect(snapshot.batchSeq).toBe(batches.at(-1)?.seq ?? 0)

    raw.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sid, 12))
    await raw.next()
    const next = await until(() => batches.find((b) => b.seq > snapshot.batchSeq))
    expect(next.traffic.events.map((e) => e.seq)).toEqual([snapshot.trafficTotal + 1])
  })

  it('reports PVs added, redefined and removed, queues, and a put that waits in its putter', async () => {
    const ioc = await running(19512)
    const { feed, batches } = feedFor(ioc)
    let release = (): void => undefined
    ioc.database.get('T:val')!.setHooks({
      putter: () => new Promise<void>((resolve) => (release = resolve)),
    })
    const put = ioc.database.get('T:val')!.put(8, { client: STUDIO })
    const waiting = await until(() =>
      batches.flatMap((b) => b.activity).find((a) => a.pv === 'T:val' && a.pendingPuts === 1),
    )
    expect(waiting).toMatchObject({ peakPendingPuts: 1, maxPendingPuts: 1 })
    expect(feed.getLiveSnapshot().activity.find((a) => a.pv === 'T:val')?.pendingPuts).toBe(1)
    release()
    await put
    await until(() => batches.at(-1)!.activity.find((a) => a.pv === 'T:val' && a.pendingPuts === 0))

    ioc.database.define({ name: 'T:new', type: 'ENUM', enumStrings: ['Off', 'On'], value: 1 })
    ioc.database.remove('T:ro')
    const pvs = await until(() => batches.map((b) => b.pvs).find((p) => p?.removed.length))
    expect(pvs.upsert.map((p) => p.name)).toEqual(['T:new'])
    expect(pvs.upsert[0].enumStrings).toEqual(['Off', 'On'])
    expect(pvs.removed).toEqual(['T:ro'])
    expect(latestValue(batches, 'T:new')).toMatchObject({ value: 1 })

    ioc.recorder.recordQueue('put_queue', 'put', 1, "{'pv': 'val', 'value': 1}")
    ioc.recorder.recordQueue('put_queue', 'put', 2, "{'pv': 'val', 'value': 2}")
    ioc.recorder.recordQueue('put_queue', 'get', 1, "{'pv': 'val', 'value': 1}")
    const queue = await until(() => batches.flatMap((b) => b.queues).find((q) => q.name === 'put_queue'))
    expect(queue).toMatchObject({ depth: 1, maxDepth: 2, puts: 2, gets: 1 })
    expect(queue.samples.map(([, depth]) => depth)).toEqual([1, 2, 1])
    expect(queue.recent.map((e) => e.op)).toEqual(['put', 'put', 'get'])
  })

  it('sends the counters of merely busy PVs at most every activityIntervalMs', async () => {
    const ioc = await running(19516)
    const { batches } = feedFor(ioc, { activityIntervalMs: 60_000 })
    const val = ioc.database.get('T:val')!
    val.putNow(2)
    await until(() => batches.find((b) => b.activity.some((a) => a.pv === 'T:val')))
    const seen = batches.length
    for (let i = 3; i < 6; i++) {
      val.putNow(i)
      await until(() => latestValue(batches, 'T:val')?.value === i)
    }
    const later = batches.slice(seen)
    expect(later.length).toBeGreaterThan(0)
    expect(later.flatMap((b) => b.activity)).toEqual([])
  })

  it('collects nothing while nobody listens, and tells views when another IOC (or none) is attached', async () => {
    const ioc = await running(19514)
    const feed = new LiveFeed({ intervalMs: 10, studio: STUDIO })
    cleanups.push(() => feed.dispose())
    feed.attach(liveSourceOf(ioc))
    ioc.database.get('T:val')!.putNow(5)
    const batches: LiveBatch[] = []
    const subscription = feed.onDidReceiveLiveBatch((batch) => batches.push(batch))
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(batches).toEqual([])

    const session = feed.getLiveSnapshot().session
    feed.attach(undefined)
    const next = await until(() => batches.find((b) => b.session !== session))
    expect(next.session).toBe(session + 1)
    expect(feed.getLiveSnapshot()).toMatchObject({ attached: false, pvs: [], traffic: [] })
    expect(await feed.writePv('T:val', 1)).toMatchObject({ ok: false, message: 'No IOC is running' })
    subscription.dispose()
    ioc.database.get('T:val')!.putNow(6)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(batches.every((b) => b.values.every((v) => v.pv !== 'T:val' || v.value !== 6))).toBe(true)
  })
})

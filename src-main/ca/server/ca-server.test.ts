/**
 * The server end to end over real UDP and TCP sockets on 127.0.0.1, driven by a raw client that sends bytes
 * built with wire/messages.ts and checks the bytes that come back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StaticPvProvider } from '../../../test/support/static-provider'
import { DbrType } from '../wire/dbr-types'
import {
  concatMessages,
  encodeMessage,
  writeClearChannelRequest,
  writeClientName,
  writeEcho,
  writeEventAddRequest,
  writeEventCancelRequest,
  writeEventsOff,
  writeEventsOn,
  writeReadNotifyRequest,
  writeReadRequest,
  writeReadSync,
  writeSearchRequest,
  writeVersion,
  writeWriteRequest,
} from '../wire/messages'
import { Command, DO_REPLY, DONT_REPLY, Eca } from '../wire/protocol'
import { NativeType } from '../wire/snapshot'
import { startCaServer } from './ca-server'
import type { CaServer } from './ca-server'
import type { CaObservation } from './observations'
import { AccessRights, EventMask } from './provider'
import { RawCaClient, parseDatagram, udpExchange } from './testing/raw-client'
import type { ReceivedMessage } from './testing/raw-client'

const PORT = 15100
const QUIET = { autoBeaconAddresses: false, beaconAddresses: [] }

const double = (value: number): Buffer => {
  const buffer = Buffer.alloc(8)
  buffer.writeDoubleBE(value)
  return buffer
}
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const summary = (m: ReceivedMessage): number[] => [
  m.command,
  m.payloadSize,
  m.dataType,
  m.count,
  m.parameter1,
  m.parameter2,
]

function makeProvider(): StaticPvProvider {
  return new StaticPvProvider([
    { name: 'test:double', type: NativeType.DOUBLE, value: 1.5, metadata: { units: 'mm', precision: 3 } },
    { name: 'test:ro', type: NativeType.DOUBLE, value: 7, readOnly: true },
    { name: 'test:wave', type: NativeType.LONG, value: [1, 2, 3], maxCount: 10 },
    { name: 'test:empty', type: NativeType.DOUBLE, value: [], maxCount: 5 },
    { name: 'test:string', type: NativeType.STRING, value: 'hello' },
    {
      name: 'test:big',
      type: NativeType.DOUBLE,
      value: new Float64Array(70_000).map((_, i) => i),
      maxCount: 70_000,
    },
    {
      name: 'test:slow',
      type: NativeType.DOUBLE,
      value: 0,
      onWrite: async (pv, value) => {
        await wait(300)
        pv.set(value)
        return { status: Eca.NORMAL }
      },
    },
  ])
}

describe('CA server over real sockets', () => {
  let provider: StaticPvProvider
  let server: CaServer
  const clients: RawCaClient[] = []
  const open = async (): Promise<RawCaClient> => {
    const client = await RawCaClient.handshake(server.tcpPort)
    clients.push(client)
    return client
  }
  let nextCid = 1
  const channel = async (client: RawCaClient, name: string): Promise<{ sid: number; cid: number }> => {
    const cid = nextCid++
    const [rights, reply] = await client.createChannel(name, cid)
    expect(rights.command).toBe(Command.ACCESS_RIGHTS)
    return { sid: reply.parameter2, cid }
  }

  beforeAll(async () => {
    provider = makeProvider()
    server = await startCaServer({ provider, env: {}, config: { serverPort: PORT, ...QUIET } })
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()))
    await server.close()
  })

  describe('UDP search', () => {
    it('answers found names in one datagram: VERSION with the sequence, then 8-byte replies with the TCP port', async () => {
      const request = concatMessages(
        encodeMessage(writeVersion, 1, 13, 4242),
        encodeMessage(writeSearchRequest, 'test:double', 11),
        encodeMessage(writeSearchRequest, 'no:such:pv', 12, DO_REPLY),
        encodeMessage(writeSearchRequest, 'test:wave', 13),
      )
      const replies = await udpExchange(request, PORT)
      expect(replies).toHaveLength(1)
      const messages = parseDatagram(replies[0])
      expect(messages.map(summary)).toEqual([
        [Command.VERSION, 0, 1, 13, 4242, 0],
        [Command.SEARCH, 8, server.tcpPort, 0, 0xffffffff, 11],
        [Command.SEARCH, 8, server.tcpPort, 0, 0xffffffff, 13],
      ])
      expect(messages[1].payload.toString('hex')).toBe('000d000000000000')
      expect(server.tcpPort).toBe(PORT)
      expect(server.udpPort).toBe(PORT)
    })

    it('never sends NOT_FOUND over UDP, even for DO_REPLY', async () => {
      const request = concatMessages(
        encodeMessage(writeVersion, 1, 13, 1),
        encodeMessage(writeSearchRequest, 'missing', 1, DO_REPLY),
      )
      expect(await udpExchange(request, PORT)).toEqual([])
    })

    it('is lenient about a missing VERSION prefix and ignores UDP ECHO', async () => {
      const replies = await udpExchange(encodeMessage(writeSearchRequest, 'test:double', 5), PORT)
      expect(replies.map((r) => parseDatagram(r).map((m) => m.command))).toEqual([
        [Command.VERSION, Command.SEARCH],
      ])
      expect(await udpExchange(encodeMessage(writeEcho), PORT)).toEqual([])
    })

    it('stops at the first invalid command but still sends what it found before it', async () => {
      const bogus = Buffer.from('00630000000000000000000000000000', 'hex')
      const request = concatMessages(
        encodeMessage(writeVersion, 1, 13, 2),
        encodeMessage(writeSearchRequest, 'test:double', 1),
        bogus,
        encodeMessage(writeSearchRequest, 'test:wave', 2),
      )
      const replies = await udpExchange(request, PORT)
      expect(parseDatagram(replies[0]).map((m) => m.parameter2)).toEqual([0, 1])
    })

    it('splits many replies into datagrams of at most 1024 bytes, each starting with VERSION', async () => {
      const searches = Array.from({ length: 100 }, (_, i) =>
        encodeMessage(writeSearchRequest, 'test:double', 100 + i),
      )
      const replies = await udpExchange(
        concatMessages(encodeMessage(writeVersion, 1, 13, 9), ...searches),
        PORT,
      )
      expect(replies.length).toBeGreaterThan(2)
      const ids: number[] = []
      for (const datagram of replies) {
        expect(datagram.length).toBeLessThanOrEqual(1024)
        const messages = parseDatagram(datagram)
        expect(messages[0].command).toBe(Command.VERSION)
        expect(messages[0].parameter1).toBe(9)
        ids.push(...messages.slice(1).map((m) => m.parameter2))
      }
      expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i))
    })
  })

  describe('TCP circuit', () => {
    it('sends VERSION on accept, then ACCESS_RIGHTS before the CREATE_CHAN reply', async () => {
      const client = await RawCaClient.connect(server.tcpPort)
      clients.push(client)
      expect(summary(await client.next())).toEqual([Command.VERSION, 0, 0, 13, 0, 0])
      const [rights, reply] = await client.createChannel('test:wave', 77)
      expect(summary(rights)).toEqual([Command.ACCESS_RIGHTS, 0, 0, 0, 77, 3])
      expect(summary(reply).slice(0, 5)).toEqual([Command.CREATE_CHAN, 0, NativeType.LONG, 10, 77])
      const [fail] = await client.createChannel('no:such:pv', 78)
      expect(summary(fail)).toEqual([Command.CREATE_CH_FAIL, 0, 0, 0, 78, 0])
    })

    it('answers READ_NOTIFY with the status in p1 and the padded DBR payload', async () => {
      const client = await open()
      const { sid } = await channel(client, 'test:double')
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sid, 500))
      const reply = await client.next()
      expect(summary(reply)).toEqual([Command.READ_NOTIFY, 8, DbrType.DOUBLE, 1, Eca.NORMAL, 500])
      expect(reply.payload.readDoubleBE(0)).toBe(1.5)
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.TIME_DOUBLE, 1, sid, 501))
      const time = await client.next()
      expect(summary(time)).toEqual([Command.READ_NOTIFY, 24, DbrType.TIME_DOUBLE, 1, Eca.NORMAL, 501])
      expect(time.payload.readDoubleBE(16)).toBe(1.5)
      expect(time.payload.readUInt32BE(4)).toBeGreaterThan(0)
    })

    it('count 0 reads the current length; more than requested is zero-filled', async () => {
      const client = await open()
      const { sid } = await channel(client, 'test:wave')
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.LONG, 0, sid, 1))
      const dynamic = await client.next()
      expect(summary(dynamic)).toEqual([Command.READ_NOTIFY, 16, DbrType.LONG, 3, Eca.NORMAL, 1])
      expect(dynamic.payload.toString('hex')).toBe('000000010000000200000003' + '00000000')
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 5, sid, 2))
      const fixed = await client.next()
      expect(summary(fixed)).toEqual([Command.READ_NOTIFY, 40, DbrType.DOUBLE, 5, Eca.NORMAL, 2])
      expect([0, 1, 2, 3, 4].map((i) => fixed.payload.readDoubleBE(i * 8))).toEqual([1, 2, 3, 0, 0])
    })

    it('reports read failures in the reply, and unknown SIDs with ERROR', async () => {
      const client = await open()
      const { sid, cid } = await channel(client, 'test:string')
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sid, 3))
      const failed = await client.next()
      expect(summary(failed)).toEqual([Command.READ_NOTIFY, 8, DbrType.DOUBLE, 1, Eca.GETFAIL, 3])
      expect(failed.payload.equals(Buffer.alloc(8))).toBe(true)
      client.send(encodeMessage(writeReadNotifyRequest, 99, 1, sid, 4))
      expect(summary(await client.next())).toEqual([Command.READ_NOTIFY, 0, 99, 0, Eca.BADTYPE, 4])
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.STRING, 2, sid, 5))
      expect(summary(await client.next())).toEqual([
        Command.READ_NOTIFY,
        40,
        DbrType.STRING,
        1,
        Eca.BADCOUNT,
        5,
      ])
      const request = encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, 9999, 6)
      client.send(request)
      const error = await client.next()
      expect(summary(error).slice(0, 6)).toEqual([
        Command.ERROR,
        error.payloadSize,
        0,
        0,
        0xffffffff,
        Eca.BADCHID,
      ])
      expect(error.payload.subarray(0, 16).equals(request)).toBe(true)
      expect(error.payload.toString('latin1', 16)).toMatch(/no channel with SID 9999/)
      // the circuit carries on
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.STRING, 1, sid, 7))
      const ok = await client.next()
      expect(ok.payload.toString('latin1', 0, 6)).toBe('hello\0')
      void cid
    })

    it('answers the legacy READ with the CID in p1', async () => {
      const client = await open()
      const { sid, cid } = await channel(client, 'test:double')
      client.send(encodeMessage(writeReadRequest, DbrType.DOUBLE, 1, sid, 8))
      expect(summary(await client.next())).toEqual([Command.READ, 8, DbrType.DOUBLE, 1, cid, 8])
    })

    it('stores WRITE values silently and reports failed ones with ERROR carrying the request header', async () => {
      const client = await open()
      const rw = await channel(client, 'test:double')
      const ro = await channel(client, 'test:ro')
      client.send(encodeMessage(writeWriteRequest, false, DbrType.DOUBLE, 1, rw.sid, rw.cid, double(4.25)))
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, rw.sid, 9))
      const read = await client.next()
      expect(read.command).toBe(Command.READ_NOTIFY)
      expect(read.payload.readDoubleBE(0)).toBe(4.25)
      const request = encodeMessage(writeWriteRequest, false, DbrType.DOUBLE, 1, ro.sid, ro.cid, double(1))
      client.send(request)
      const error = await client.next()
      expect(summary(error).slice(3, 6)).toEqual([0, ro.cid, Eca.NOWTACCESS])
      expect(error.payload.subarray(0, 16).equals(request.subarray(0, 16))).toBe(true)
      expect(provider.get('test:ro').snapshot.value[0]).toBe(7)
    })

    it('answers WRITE_NOTIFY once, with the status, after the write completed', async () => {
      const client = await open()
      const rw = await channel(client, 'test:double')
      const ro = await channel(client, 'test:ro')
      client.send(
        encodeMessage(writeWriteRequest, true, DbrType.STRING, 1, rw.sid, 21, Buffer.from('12.5\0')),
      )
      expect(summary(await client.next())).toEqual([
        Command.WRITE_NOTIFY,
        0,
        DbrType.STRING,
        1,
        Eca.NORMAL,
        21,
      ])
      expect(provider.get('test:double').snapshot.value[0]).toBe(12.5)
      client.send(encodeMessage(writeWriteRequest, true, DbrType.STRING, 1, rw.sid, 22, Buffer.from('abc\0')))
      expect(summary(await client.next())).toEqual([
        Command.WRITE_NOTIFY,
        0,
        DbrType.STRING,
        1,
        Eca.PUTFAIL,
        22,
      ])
      client.send(encodeMessage(writeWriteRequest, true, DbrType.DOUBLE, 1, ro.sid, 23, double(3)))
      expect(summary(await client.next())).toEqual([
        Command.WRITE_NOTIFY,
        0,
        DbrType.DOUBLE,
        1,
        Eca.NOWTACCESS,
        23,
      ])
    })

    it('takes count-0 writes as "no change" on scalars and as an empty array on arrays', async () => {
      const client = await open()
      const scalar = await channel(client, 'test:double')
      const array = await channel(client, 'test:wave')
      const before = provider.get('test:double').snapshot.value[0]
      client.send(encodeMessage(writeWriteRequest, true, DbrType.DOUBLE, 0, scalar.sid, 24, Buffer.alloc(0)))
      expect(summary(await client.next())).toEqual([
        Command.WRITE_NOTIFY,
        0,
        DbrType.DOUBLE,
        0,
        Eca.NORMAL,
        24,
      ])
      expect(provider.get('test:double').snapshot.value[0]).toBe(before)
      client.send(encodeMessage(writeWriteRequest, true, DbrType.LONG, 0, array.sid, 25, Buffer.alloc(0)))
      expect(summary(await client.next())).toEqual([Command.WRITE_NOTIFY, 0, DbrType.LONG, 0, Eca.NORMAL, 25])
      expect(provider.get('test:wave').snapshot.value.length).toBe(0)
      provider.set('test:wave', [1, 2, 3])
    })

    it('waits for a slow write before replying, while ECHO is answered at once', async () => {
      const client = await open()
      const slow = await channel(client, 'test:slow')
      const started = Date.now()
      client.send(encodeMessage(writeWriteRequest, true, DbrType.DOUBLE, 1, slow.sid, 31, double(8)))
      client.send(encodeMessage(writeEcho))
      const echo = await client.next()
      expect(echo.command).toBe(Command.ECHO)
      expect(Date.now() - started).toBeLessThan(200)
      expect(server.clients().find((c) => c.pendingOperations === 1)).toBeDefined()
      const reply = await client.next(2000)
      expect(summary(reply)).toEqual([Command.WRITE_NOTIFY, 0, DbrType.DOUBLE, 1, Eca.NORMAL, 31])
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
      expect(provider.get('test:slow').snapshot.value[0]).toBe(8)
    })

    it('echoes ECHO and READ_SYNC unchanged', async () => {
      const client = await open()
      client.send(encodeMessage(writeEcho), encodeMessage(writeReadSync))
      expect((await client.next()).command).toBe(Command.ECHO)
      expect((await client.next()).command).toBe(Command.READ_SYNC)
    })

    it('handles a request stream sent one byte at a time', async () => {
      const client = await open()
      const { sid } = await channel(client, 'test:wave')
      const burst = concatMessages(
        encodeMessage(writeReadNotifyRequest, DbrType.LONG, 1, sid, 1),
        encodeMessage(writeEcho),
        encodeMessage(writeReadNotifyRequest, DbrType.LONG, 2, sid, 2),
      )
      for (const byte of burst) {
        client.socket.write(Buffer.from([byte]))
        await new Promise((resolve) => setImmediate(resolve))
      }
      expect((await client.next()).parameter2).toBe(1)
      expect((await client.next()).command).toBe(Command.ECHO)
      expect((await client.next()).count).toBe(2)
    })
  })

  describe('subscriptions', () => {
    it('sends the current value at once, then posted updates; cancel is confirmed and ends the updates', async () => {
      const client = await open()
      const { sid } = await channel(client, 'test:wave')
      client.send(
        encodeMessage(writeEventAddRequest, DbrType.TIME_LONG, 0, sid, 40, EventMask.VALUE | EventMask.ALARM),
      )
      const initial = await client.next()
      expect(summary(initial)).toEqual([Command.EVENT_ADD, 24, DbrType.TIME_LONG, 3, Eca.NORMAL, 40])
      provider.set('test:wave', [5, 6, 7, 8])
      const update = await client.next()
      expect(summary(update)).toEqual([Command.EVENT_ADD, 32, DbrType.TIME_LONG, 4, Eca.NORMAL, 40])
      expect(update.payload.readInt32BE(12 + 12)).toBe(8)
      client.send(encodeMessage(writeEventCancelRequest, DbrType.TIME_LONG, 0, sid, 40))
      expect(summary(await client.next())).toEqual([Command.EVENT_ADD, 0, DbrType.TIME_LONG, 0, sid, 40])
      provider.set('test:wave', [1])
      expect(await client.drain(100)).toEqual([])
    })

    it('filters posts by mask and sends the initial value only to the new subscription', async () => {
      const client = await open()
      const { sid } = await channel(client, 'test:double')
      client.send(encodeMessage(writeEventAddRequest, DbrType.DOUBLE, 1, sid, 41, EventMask.ALARM))
      expect((await client.next()).parameter2).toBe(41)
      provider.set('test:double', 2, { mask: EventMask.VALUE })
      client.send(encodeMessage(writeEventAddRequest, DbrType.DOUBLE, 1, sid, 42, EventMask.VALUE))
      const second = await client.next()
      expect([second.parameter2, second.payload.readDoubleBE(0)]).toEqual([42, 2])
      expect(await client.drain(80)).toEqual([])
      provider.set('test:double', 3, { mask: EventMask.ALARM | EventMask.VALUE })
      const both = [await client.next(), await client.next()].map((m) => m.parameter2).sort()
      expect(both).toEqual([41, 42])
    })

    it('sends an empty plain-type update as count 0 with an 8-byte payload, never an empty EVENT_ADD', async () => {
      const client = await open()
      const { sid } = await channel(client, 'test:empty')
      client.send(encodeMessage(writeEventAddRequest, DbrType.DOUBLE, 0, sid, 43, EventMask.VALUE))
      expect(summary(await client.next())).toEqual([Command.EVENT_ADD, 8, DbrType.DOUBLE, 0, Eca.NORMAL, 43])
      client.send(encodeMessage(writeEventAddRequest, DbrType.TIME_DOUBLE, 0, sid, 44, EventMask.VALUE))
      expect(summary(await client.next())).toEqual([
        Command.EVENT_ADD,
        16,
        DbrType.TIME_DOUBLE,
        0,
        Eca.NORMAL,
        44,
      ])
    })

    it('between EVENTS_OFF and EVENTS_ON keeps only the latest update per subscription and owes initial values', async () => {
      const client = await open()
      const { sid } = await channel(client, 'test:wave')
      client.send(encodeMessage(writeEventAddRequest, DbrType.LONG, 1, sid, 50, EventMask.VALUE))
      expect((await client.next()).parameter2).toBe(50)
      client.send(encodeMessage(writeEventsOff))
      await wait(30)
      for (let i = 10; i < 20; i++) provider.set('test:wave', [i])
      client.send(encodeMessage(writeEventAddRequest, DbrType.LONG, 1, sid, 51, EventMask.VALUE))
      client.send(encodeMessage(writeEcho))
      expect((await client.next()).command).toBe(Command.ECHO)
      expect(await client.drain(80)).toEqual([])
      client.send(encodeMessage(writeEventsOn))
      const after = [await client.next(), await client.next()]
      expect(after.map((m) => [m.parameter2, m.payload.readInt32BE(0)])).toEqual([
        [50, 19],
        [51, 19],
      ])
      expect(await client.drain(80)).toEqual([])
      expect(server.clients().some((c) => c.coalescedUpdates >= 9)).toBe(true)
    })

    it('CLEAR_CHANNEL cancels its subscriptions silently and is confirmed', async () => {
      const client = await open()
      const { sid, cid } = await channel(client, 'test:wave')
      client.send(encodeMessage(writeEventAddRequest, DbrType.LONG, 1, sid, 60, EventMask.VALUE))
      await client.next()
      client.send(encodeMessage(writeClearChannelRequest, sid, cid))
      expect(summary(await client.next())).toEqual([Command.CLEAR_CHANNEL, 0, 0, 0, sid, cid])
      provider.set('test:wave', [99])
      expect(await client.drain(80)).toEqual([])
      client.send(encodeMessage(writeEventCancelRequest, DbrType.LONG, 1, sid, 60))
      const error = await client.next()
      expect([error.command, error.parameter2]).toEqual([Command.ERROR, Eca.BADMONID])
    })
  })

  describe('server-side changes', () => {
    it('sends ACCESS_RIGHTS on a change, one NORDACCESS update when read is lost, a fresh value when it returns', async () => {
      const pv = provider.add({ name: 'test:guarded', type: NativeType.DOUBLE, value: 1 })
      const client = await open()
      const { sid, cid } = await channel(client, 'test:guarded')
      client.send(encodeMessage(writeEventAddRequest, DbrType.DOUBLE, 1, sid, 70, EventMask.VALUE))
      await client.next()
      pv.setAccess(AccessRights.NONE)
      expect(summary(await client.next())).toEqual([Command.ACCESS_RIGHTS, 0, 0, 0, cid, 0])
      expect(summary(await client.next())).toEqual([
        Command.EVENT_ADD,
        8,
        DbrType.DOUBLE,
        1,
        Eca.NORDACCESS,
        70,
      ])
      pv.set(2)
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sid, 71))
      expect(summary(await client.next())).toEqual([
        Command.READ_NOTIFY,
        8,
        DbrType.DOUBLE,
        1,
        Eca.NORDACCESS,
        71,
      ])
      pv.setAccess(AccessRights.READ)
      expect(summary(await client.next())).toEqual([Command.ACCESS_RIGHTS, 0, 0, 0, cid, 1])
      const fresh = await client.next()
      expect([fresh.parameter1, fresh.parameter2, fresh.payload.readDoubleBE(0)]).toEqual([Eca.NORMAL, 70, 2])
    })

    it('re-evaluates rights when the client names itself after opening channels', async () => {
      provider.add({
        name: 'test:admin-only',
        type: NativeType.DOUBLE,
        value: 1,
        access: (client) => (client.userName === 'admin' ? AccessRights.READ_WRITE : AccessRights.READ),
      })
      const client = await RawCaClient.connect(server.tcpPort)
      clients.push(client)
      await client.next()
      const [rights] = await client.createChannel('test:admin-only', 5)
      expect(rights.parameter2).toBe(AccessRights.READ)
      client.send(encodeMessage(writeClientName, 'admin'))
      expect(summary(await client.next())).toEqual([
        Command.ACCESS_RIGHTS,
        0,
        0,
        0,
        5,
        AccessRights.READ_WRITE,
      ])
    })

    it('sends SERVER_DISCONN when a PV is removed, and searches for it go silent', async () => {
      provider.add({ name: 'test:doomed', type: NativeType.DOUBLE, value: 1 })
      const client = await open()
      const { sid, cid } = await channel(client, 'test:doomed')
      client.send(encodeMessage(writeEventAddRequest, DbrType.DOUBLE, 1, sid, 80, EventMask.VALUE))
      await client.next()
      provider.remove('test:doomed')
      expect(summary(await client.next())).toEqual([Command.SERVER_DISCONN, 0, 0, 0, cid, 0])
      expect(await udpExchange(encodeMessage(writeSearchRequest, 'test:doomed', 1), PORT)).toEqual([])
    })
  })

  describe('large arrays', () => {
    it('uses extended headers for the CREATE_CHAN reply and for data of 0xFFFF elements or more', async () => {
      const client = await open()
      const [, reply] = await client.createChannel('test:big', 90)
      expect([reply.extended, reply.count, reply.payloadSize]).toEqual([true, 70_000, 0])
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 70_000, reply.parameter2, 91))
      const data = await client.next()
      expect([data.extended, data.count, data.payloadSize]).toEqual([true, 70_000, 560_000])
      expect(data.payload.readDoubleBE(8 * 69_999)).toBe(69_999)
    })
  })

  describe('TCP search', () => {
    it('replies without payload when found; NOT_FOUND only for DO_REPLY', async () => {
      const client = await open()
      client.send(
        encodeMessage(writeVersion, 1, 13, 5),
        encodeMessage(writeSearchRequest, 'test:double', 3, DONT_REPLY),
      )
      expect(summary(await client.next())).toEqual([Command.SEARCH, 0, server.tcpPort, 0, 0xffffffff, 3])
      client.send(encodeMessage(writeSearchRequest, 'missing', 4, DONT_REPLY))
      client.send(encodeMessage(writeSearchRequest, 'missing', 5, DO_REPLY))
      expect(summary(await client.next())).toEqual([Command.NOT_FOUND, 0, DO_REPLY, 13, 5, 5])
    })
  })

  describe('robustness', () => {
    it('closes only the circuit that sent a misaligned message, and says why', async () => {
      const seen: CaObservation[] = []
      const subscription = server.onDidObserve((o) => seen.push(o))
      const good = await open()
      const bad = await open()
      const badPort = bad.socket.localPort
      bad.send(Buffer.from('0017000300000000000000000000000000000000', 'hex'))
      await bad.closed
      good.send(encodeMessage(writeEcho))
      expect((await good.next()).command).toBe(Command.ECHO)
      subscription.dispose()
      const reasons = seen
        .filter((o) => o.client.port === badPort && o.message)
        .map((o) => [o.kind, o.message])
      expect(reasons).toEqual([
        ['error', 'protocol error: payload size 3 of command 23 is not a multiple of 8'],
        ['client-disconnect', 'protocol error: payload size 3 of command 23 is not a multiple of 8'],
      ])
    })

    it('answers a command clients may not send with ERROR ECA_INTERNAL and closes', async () => {
      const client = await open()
      client.send(Buffer.from('000d0000000000000000000000000000', 'hex'))
      const error = await client.next()
      expect([error.command, error.parameter2]).toEqual([Command.ERROR, Eca.INTERNAL])
      await client.closed
    })

    it('reports observations with the client identity', async () => {
      const seen: CaObservation[] = []
      const subscription = server.onDidObserve((o) => seen.push(o))
      const client = await open()
      const { sid } = await channel(client, 'test:double')
      client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sid, 1))
      await client.next()
      client.send(encodeMessage(writeWriteRequest, true, DbrType.DOUBLE, 1, sid, 2, double(6)))
      await client.next()
      subscription.dispose()
      const mine = (o: CaObservation): boolean => o.client.port === client.socket.localPort
      const kinds = seen.filter(mine).map((o) => o.kind)
      expect(kinds).toEqual(['client-connect', 'connect', 'get', 'put', 'put-done'])
      const put = seen.find((o) => o.kind === 'put')!
      expect([put.pv, put.dbrType, put.status, put.notify, put.client.hostName]).toEqual([
        'test:double',
        DbrType.DOUBLE,
        Eca.NORMAL,
        true,
        'testhost',
      ])
      expect(put.value).toEqual(new Float64Array([6]))
      expect(seen.find((o) => o.kind === 'put-done')!.durationMs).toBeGreaterThanOrEqual(0)
    })

    it('lists circuits and disconnects one on request', async () => {
      let changes = 0
      const listening = server.onDidChangeClients(() => changes++)
      const client = await open()
      await channel(client, 'test:double')
      const info = server.clients().find((c) => c.port === client.socket.localPort)!
      expect(info).toMatchObject({
        address: '127.0.0.1',
        userName: 'tester',
        hostName: 'testhost',
        minorVersion: 13,
      })
      expect(info.channelCount).toBe(1)
      expect(info.bytesIn).toBeGreaterThan(0)
      expect(server.disconnectClient(info.circuitId)).toBe(true)
      await client.closed
      expect(server.clients().some((c) => c.circuitId === info.circuitId)).toBe(false)
      expect(server.disconnectClient(info.circuitId)).toBe(false)
      listening.dispose()
      expect(changes).toBe(2)
    })
  })
})

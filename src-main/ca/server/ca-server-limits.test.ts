/**
 * Server behaviour that needs its own server instance: shared UDP port and busy TCP port, array size limits,
 * per-circuit limits, slow readers, old clients.
 */
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { StaticPvProvider } from '../../../test/support/static-provider'
import { DbrType } from '../wire/dbr-types'
import {
  concatMessages,
  encodeMessage,
  writeEcho,
  writeEventAddRequest,
  writeReadNotifyRequest,
  writeSearchRequest,
  writeVersion,
  writeWriteRequest,
} from '../wire/messages'
import { Command, Eca } from '../wire/protocol'
import { NativeType } from '../wire/snapshot'
import { startCaServer } from './ca-server'
import type { CaServer } from './ca-server'
import type { CaServerConfig } from './config'
import type { CaObservation } from './observations'
import { EventMask } from './provider'
import { RawCaClient, parseDatagram, udpExchange } from './testing/raw-client'

const QUIET: Partial<CaServerConfig> = { autoBeaconAddresses: false, beaconAddresses: [] }
const cleanups: Array<() => Promise<unknown> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serve(
  provider: StaticPvProvider,
  config: Partial<CaServerConfig>,
  env: Record<string, string> = {},
): Promise<CaServer> {
  const server = await startCaServer({ provider, env, config: { ...QUIET, ...config } })
  cleanups.push(() => server.close())
  return server
}

async function connect(server: CaServer, minorVersion = 13): Promise<RawCaClient> {
  const client = await RawCaClient.handshake(server.tcpPort, 'tester', 'testhost', minorVersion)
  cleanups.push(() => client.close())
  return client
}

function searchReplyPorts(datagrams: Buffer[]): number[] {
  return datagrams.flatMap((d) =>
    parseDatagram(d)
      .filter((m) => m.command === Command.SEARCH)
      .map((m) => m.dataType),
  )
}

describe('several servers on one host', () => {
  it('share the UDP port; the second falls back to an ephemeral TCP port that its search replies advertise', async () => {
    const first = await serve(
      new StaticPvProvider([{ name: 'first:pv', type: NativeType.DOUBLE, value: 1 }]),
      {
        serverPort: 15200,
      },
    )
    const seen: CaObservation[] = []
    const second = await startCaServer({
      provider: new StaticPvProvider([{ name: 'second:pv', type: NativeType.DOUBLE, value: 2 }]),
      env: { EPICS_CA_SERVER_PORT: '15200' },
      config: QUIET,
    })
    second.onDidObserve((o) => seen.push(o))
    expect([first.tcpPort, first.udpPort, second.udpPort]).toEqual([15200, 15200, 15200])
    expect(second.tcpPort).not.toBe(15200)
    // A unicast datagram reaches one of the sockets sharing the port (on Linux the last one bound).
    const viaSecond = await udpExchange(encodeMessage(writeSearchRequest, 'second:pv', 1), 15200)
    expect(searchReplyPorts(viaSecond)).toEqual([second.tcpPort])
    const client = await RawCaClient.handshake(second.tcpPort)
    const [, reply] = await client.createChannel('second:pv', 1)
    expect(reply.command).toBe(Command.CREATE_CHAN)
    await client.close()
    await second.close()
    expect(seen.some((o) => o.kind === 'client-connect')).toBe(true)
    const viaFirst = await udpExchange(encodeMessage(writeSearchRequest, 'first:pv', 2), 15200)
    expect(searchReplyPorts(viaFirst)).toEqual([15200])
  })

  it('falls back when the TCP port is held by anything else', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(15210, '0.0.0.0', resolve))
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)))
    const server = await serve(new StaticPvProvider([{ name: 'pv', type: NativeType.LONG, value: 1 }]), {
      serverPort: 15210,
    })
    expect(server.udpPort).toBe(15210)
    expect(server.tcpPort).not.toBe(15210)

    const replies = await udpExchange(encodeMessage(writeSearchRequest, 'pv', 1), 15210)
    expect(searchReplyPorts(replies)).toEqual([server.tcpPort])
  })

  it('drops searches from ignored addresses', async () => {
    await serve(
      new StaticPvProvider([{ name: 'pv', type: NativeType.LONG, value: 1 }]),
      { serverPort: 15220 },
      {
        EPICS_CAS_IGNORE_ADDR_LIST: '127.0.0.1',
      },
    )
    expect(await udpExchange(encodeMessage(writeSearchRequest, 'pv', 1), 15220)).toEqual([])
  })
})

describe('EPICS_CA_MAX_ARRAY_BYTES with AUTO_ARRAY_BYTES=NO', () => {
  const env = { EPICS_CA_MAX_ARRAY_BYTES: '20000', EPICS_CA_AUTO_ARRAY_BYTES: 'NO' }

  it('refuses larger replies and requests with ECA_TOLARGE and keeps the circuit', async () => {
    const provider = new StaticPvProvider([
      { name: 'wave', type: NativeType.DOUBLE, value: new Float64Array(5000), maxCount: 5000 },
      { name: 'small', type: NativeType.DOUBLE, value: new Float64Array(2000), maxCount: 2000 },
    ])
    const server = await serve(provider, { serverPort: 15230 }, env)
    const client = await connect(server)
    const [, wave] = await client.createChannel('wave', 1)
    const [, small] = await client.createChannel('small', 2)
    client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 5000, wave.parameter2, 10))
    const refused = await client.next()
    expect([refused.command, refused.parameter1, refused.parameter2]).toEqual([Command.ERROR, 1, Eca.TOLARGE])
    client.send(encodeMessage(writeEventAddRequest, DbrType.DOUBLE, 0, wave.parameter2, 11, EventMask.VALUE))
    expect((await client.next()).parameter2).toBe(Eca.TOLARGE)
    // a 40 000-byte write: ERROR, the payload is skipped, and the next request is understood
    const write = encodeMessage(
      writeWriteRequest,
      true,
      DbrType.DOUBLE,
      5000,
      wave.parameter2,
      12,
      Buffer.alloc(40_000),
    )
    client.send(write, encodeMessage(writeEcho))
    const tooLarge = await client.next()
    expect([tooLarge.command, tooLarge.parameter2]).toEqual([Command.ERROR, Eca.TOLARGE])
    expect(tooLarge.payload.subarray(0, 16).equals(write.subarray(0, 16))).toBe(true)
    expect((await client.next()).command).toBe(Command.ECHO)
    client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 2000, small.parameter2, 13))
    const ok = await client.next()
    expect([ok.command, ok.parameter1, ok.payloadSize]).toEqual([Command.READ_NOTIFY, Eca.NORMAL, 16000])
  })
})

describe('per-circuit limits', () => {
  it('refuses channels and subscriptions beyond the configured limits', async () => {
    const provider = new StaticPvProvider([{ name: 'pv', type: NativeType.DOUBLE, value: 1 }])
    const server = await serve(provider, {
      serverPort: 15240,
      maxChannelsPerCircuit: 2,
      maxSubscriptionsPerCircuit: 1,
    })
    const client = await connect(server)
    const [, first] = await client.createChannel('pv', 1)
    await client.createChannel('pv', 2)
    const [third] = await client.createChannel('pv', 3)
    expect(third.command).toBe(Command.CREATE_CH_FAIL)
    client.send(encodeMessage(writeEventAddRequest, DbrType.DOUBLE, 1, first.parameter2, 1, EventMask.VALUE))
    expect((await client.next()).command).toBe(Command.EVENT_ADD)
    client.send(encodeMessage(writeEventAddRequest, DbrType.DOUBLE, 1, first.parameter2, 2, EventMask.VALUE))
    const refused = await client.next()
    expect([refused.command, refused.parameter2]).toEqual([Command.ERROR, Eca.ALLOCMEM])
  })
})

describe('slow readers', () => {
  it('keep only the latest update per subscription while the socket is congested, and get it in the end', async () => {
    const provider = new StaticPvProvider([
      { name: 'wave', type: NativeType.DOUBLE, value: new Float64Array(2000), maxCount: 2000 },
    ])
    const server = await serve(provider, { serverPort: 15250, sendHighWaterBytes: 16 * 1024 })
    const client = await connect(server)
    const [, channel] = await client.createChannel('wave', 1)
    client.send(
      encodeMessage(writeEventAddRequest, DbrType.DOUBLE, 0, channel.parameter2, 7, EventMask.VALUE),
    )
    await client.next()
    client.socket.pause()
    const values = new Float64Array(2000)
    for (let i = 1; i <= 3000; i++) {
      values[0] = i
      provider.set('wave', values)
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
    const info = server.clients()[0]
    expect(info.coalescedUpdates).toBeGreaterThan(1000)
    client.socket.resume()
    const { match, skipped } = await client.nextMatching((m) => m.payload.readDoubleBE(0) === 3000, 5000)
    expect(match.parameter2).toBe(7)
    // far fewer than 3000 updates of 16 kB each reached the client
    expect(skipped.length).toBeLessThan(1500)
    expect(await client.drain(100)).toEqual([])
  })
})

describe('old clients', () => {
  it('get counts clamped below 0xFFFF and ECA_16KARRAYCLIENT for payloads that need an extended header', async () => {
    const provider = new StaticPvProvider([
      { name: 'huge', type: NativeType.CHAR, value: new Uint8Array(70_000), maxCount: 70_000 },
    ])
    const server = await serve(provider, { serverPort: 15260 })
    const client = await connect(server, 8)
    const [, reply] = await client.createChannel('huge', 1)
    expect([reply.extended, reply.count]).toEqual([false, 0xfffe])
    client.send(encodeMessage(writeReadNotifyRequest, DbrType.CHAR, 0xfffe, reply.parameter2, 2))
    const refused = await client.next()
    expect([refused.command, refused.parameter2]).toEqual([Command.ERROR, Eca['16KARRAYCLIENT']])
    client.send(encodeMessage(writeReadNotifyRequest, DbrType.CHAR, 1000, reply.parameter2, 3))
    expect((await client.next()).payloadSize).toBe(1000)
  })

  it('are closed when they claim a version below 4.4', async () => {
    const server = await serve(new StaticPvProvider(), { serverPort: 15270 })
    const client = await RawCaClient.connect(server.tcpPort)
    cleanups.push(() => client.close())
    client.send(concatMessages(encodeMessage(writeVersion, 0, 3)))
    await client.closed
    expect(client.isClosed).toBe(true)
  })
})

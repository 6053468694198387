/**
 * The seam to the IOC layer under stress: asynchronous reads and writes, and providers that throw or reject.
 * Whatever the provider does, the client gets a proper ECA status and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StaticPvProvider } from '../../../test/support/static-provider'
import { DbrType } from '../wire/dbr-types'
import {
  encodeMessage,
  writeClearChannelRequest,
  writeEcho,
  writeReadNotifyRequest,
  writeSearchRequest,
  writeWriteRequest,
} from '../wire/messages'
import { Command, Eca } from '../wire/protocol'
import { NativeType } from '../wire/snapshot'
import { startCaServer } from './ca-server'
import type { CaServer } from './ca-server'
import type { PvProvider } from './provider'
import { RawCaClient, udpExchange } from './testing/raw-client'
import type { ReceivedMessage } from './testing/raw-client'

const PORT = 15400
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const double = (value: number): Buffer => {
  const buffer = Buffer.alloc(8)
  buffer.writeDoubleBE(value)
  return buffer
}
const brief = (m: ReceivedMessage): number[] => [m.command, m.parameter1, m.parameter2]

describe('provider behaviour', () => {
  const table = new StaticPvProvider([
    {
      name: 'async:read',
      type: NativeType.DOUBLE,
      value: 5,
      onRead: async (pv) => {
        await wait(50)
        return pv.snapshot
      },
    },
    {
      name: 'async:reject',
      type: NativeType.DOUBLE,
      value: 5,
      onRead: () => Promise.reject(new Error('getter hook failed')),
      onWrite: async () => {
        await wait(20)
        return { status: Eca.PUTFAIL, message: 'putter hook refused' }
      },
    },
    {
      name: 'sync:throw',
      type: NativeType.DOUBLE,
      value: 5,
      onRead: () => {
        throw new Error('read exploded')
      },
      onWrite: () => {
        throw new Error('write exploded')
      },
    },
    {
      name: 'slow:write',
      type: NativeType.DOUBLE,
      value: 0,
      onWrite: async (pv, value) => {
        await wait(150)
        pv.set(value)
        return { status: Eca.NORMAL }
      },
    },
    {
      name: 'bad:access',
      type: NativeType.DOUBLE,
      value: 0,
      access: () => {
        throw new Error('rules broken')
      },
    },
    { name: 'plain', type: NativeType.DOUBLE, value: 1 },
  ])
  const provider: PvProvider = {
    resolve(name) {
      if (name === 'boom') throw new Error('resolver exploded')
      return table.resolve(name)
    },
  }
  let server: CaServer
  let client: RawCaClient
  const sids = new Map<string, number>()

  beforeAll(async () => {
    server = await startCaServer({
      provider,
      env: {},
      config: { serverPort: PORT, autoBeaconAddresses: false },
    })
    client = await RawCaClient.handshake(server.tcpPort)
    let cid = 1
    for (const name of ['async:read', 'async:reject', 'sync:throw', 'slow:write', 'plain']) {
      const [, reply] = await client.createChannel(name, cid++)
      sids.set(name, reply.parameter2)
    }
  })
  afterAll(async () => {
    await client.close()
    await server.close()
  })

  it('answers asynchronous reads when they resolve, and reports rejections as ECA_GETFAIL', async () => {
    client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sids.get('async:read')!, 1))
    client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sids.get('async:reject')!, 2))
    client.send(encodeMessage(writeEcho))
    expect((await client.next()).command).toBe(Command.ECHO)
    const replies = [await client.next(), await client.next()].sort((a, b) => a.parameter2 - b.parameter2)
    expect(replies.map(brief)).toEqual([
      [Command.READ_NOTIFY, Eca.NORMAL, 1],
      [Command.READ_NOTIFY, Eca.GETFAIL, 2],
    ])
    expect(replies[0].payload.readDoubleBE(0)).toBe(5)
  })

  it('turns exceptions from read and write into ECA statuses', async () => {
    const sid = sids.get('sync:throw')!
    client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sid, 3))
    expect(brief(await client.next())).toEqual([Command.READ_NOTIFY, Eca.GETFAIL, 3])
    client.send(encodeMessage(writeWriteRequest, true, DbrType.DOUBLE, 1, sid, 4, double(1)))
    expect(brief(await client.next())).toEqual([Command.WRITE_NOTIFY, Eca.PUTFAIL, 4])
    const write = encodeMessage(writeWriteRequest, false, DbrType.DOUBLE, 1, sid, 3, double(1))
    client.send(write)
    const error = await client.next()
    expect(brief(error)).toEqual([Command.ERROR, 3, Eca.PUTFAIL])
    expect(error.payload.toString('latin1', 16)).toContain('write exploded')
  })

  it('reports a failed asynchronous WRITE with ERROR carrying the original request header', async () => {
    const write = encodeMessage(
      writeWriteRequest,
      false,
      DbrType.DOUBLE,
      1,
      sids.get('async:reject')!,
      2,
      double(9),
    )
    client.send(write)
    const error = await client.next()
    expect(brief(error)).toEqual([Command.ERROR, 2, Eca.PUTFAIL])
    expect(error.payload.subarray(0, 16).equals(write.subarray(0, 16))).toBe(true)
    expect(error.payload.toString('latin1', 16)).toContain('putter hook refused')
  })

  it('cancels a pending WRITE_NOTIFY silently when the channel is cleared', async () => {
    const sid = sids.get('slow:write')!
    client.send(encodeMessage(writeWriteRequest, true, DbrType.DOUBLE, 1, sid, 5, double(3)))
    client.send(encodeMessage(writeClearChannelRequest, sid, 4))
    expect(brief(await client.next())).toEqual([Command.CLEAR_CHANNEL, sid, 4])
    expect(await client.drain(250)).toEqual([])
    // the write itself still happened
    expect(table.get('slow:write').snapshot.value[0]).toBe(3)
  })

  it('fails channels whose resolver or access check throws, and keeps serving', async () => {
    const [boom] = await client.createChannel('boom', 50)
    expect(brief(boom)).toEqual([Command.CREATE_CH_FAIL, 50, 0])
    const [bad] = await client.createChannel('bad:access', 51)
    expect(brief(bad)).toEqual([Command.CREATE_CH_FAIL, 51, 0])
    expect(await udpExchange(encodeMessage(writeSearchRequest, 'boom', 1), PORT)).toEqual([])
    client.send(encodeMessage(writeReadNotifyRequest, DbrType.DOUBLE, 1, sids.get('plain')!, 6))
    expect(brief(await client.next())).toEqual([Command.READ_NOTIFY, Eca.NORMAL, 6])
  })

  it('refuses alarm acknowledgement when the PV does not support it', async () => {
    const ack = Buffer.alloc(2)
    ack.writeUInt16BE(1)
    client.send(encodeMessage(writeWriteRequest, true, DbrType.PUT_ACKT, 1, sids.get('plain')!, 7, ack))
    expect(brief(await client.next())).toEqual([Command.WRITE_NOTIFY, Eca.PUTFAIL, 7])
  })
})

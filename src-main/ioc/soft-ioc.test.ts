import { afterEach, describe, expect, it } from 'vitest'
import type { ServerStatus } from '@shared/api/contract'
import { RawCaClient } from '../ca/server/testing/raw-client'
import { Command } from '../ca/wire/protocol'
import { NativeType } from '../ca/wire/snapshot'
import { SoftIoc } from './soft-ioc'

/** Ports 17400+ are this suite's; beacons go to a port nobody listens on. */
function softIoc(port: number, extra: Partial<ConstructorParameters<typeof SoftIoc>[0]> = {}): SoftIoc {
  return new SoftIoc({
    config: {
      serverPort: port,
      autoBeaconAddresses: false,
      beaconAddresses: [{ host: '127.0.0.1', port: port + 1 }],
    },
    env: {},
    ...extra,
  })
}

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function track<T extends { dispose(): unknown } | { close(): unknown }>(thing: T): T {
  cleanups.push(async () => ('dispose' in thing ? thing.dispose() : thing.close()))
  return thing
}

describe('SoftIoc', () => {
  it('starts, stops and restarts, keeping the database and reporting status', async () => {
    const ioc = track(softIoc(17400))
    ioc.database.define({ name: 'S:A', type: 'DOUBLE', value: 1 })
    const states: string[] = []
    ioc.onDidChangeStatus((status) => states.push(status.state))
    const running = await ioc.start()
    expect(running).toMatchObject({
      state: 'running',
      tcpPort: 17400,
      udpPort: 17400,
      pvCount: 1,
      clientCount: 0,
    })
    expect(running.startedAt).toBeGreaterThan(0)
    expect(await ioc.start()).toBe(running)
    await ioc.restart()
    expect(ioc.status.state).toBe('running')
    expect(ioc.database.get('S:A')?.value).toBe(1)
    const stopped = await ioc.stop()
    expect(stopped).toMatchObject({ state: 'stopped', tcpPort: null, pvCount: 1 })
    expect(states).toEqual([
      'starting',
      'running',
      'stopping',
      'stopped',
      'starting',
      'running',
      'stopping',
      'stopped',
    ])
  })

  it('reports a server that cannot start as an error status', async () => {
    const ioc = track(softIoc(17402, { config: { serverPort: 17402, interfaces: ['203.0.113.7'] } }))
    const status: ServerStatus = await ioc.start()
    expect(status.state).toBe('error')
    expect(status.error).toMatch(/EADDRNOTAVAIL|address/i)
  })

  it('tells connected channels about redefinitions, removals and new access rights', async () => {
    const ioc = track(softIoc(17404))
    ioc.database.define({ name: 'S:RETYPE', type: 'LONG', value: 1 })
    ioc.database.define({ name: 'S:GONE', type: 'LONG', value: 1 })
    ioc.database.define({ name: 'S:KEEP', type: 'LONG', value: 1 })
    await ioc.start()
    const client = track(await RawCaClient.handshake(17404, 'alice', 'ws1'))
    for (const [cid, name] of ['S:RETYPE', 'S:GONE', 'S:KEEP'].entries()) {
      const [rights, reply] = await client.createChannel(name, cid + 1)
      expect([rights.command, rights.parameter2, reply.command, reply.dataType]).toEqual([
        Command.ACCESS_RIGHTS,
        3,
        Command.CREATE_CHAN,
        NativeType.LONG,
      ])
    }
    await expect.poll(() => ioc.status.clientCount).toBe(1)

    ioc.database.define({ name: 'S:KEEP', type: 'LONG', value: 1, units: 'mm' })
    ioc.database.define({ name: 'S:RETYPE', type: 'DOUBLE', value: 1 })
    expect(await client.next()).toMatchObject({ command: Command.SERVER_DISCONN, parameter1: 1 })
    ioc.database.remove('S:GONE')
    expect(await client.next()).toMatchObject({ command: Command.SERVER_DISCONN, parameter1: 2 })
    const [, again] = await client.createChannel('S:RETYPE', 4)
    expect([again.command, again.dataType]).toEqual([Command.CREATE_CHAN, NativeType.DOUBLE])

    ioc.database.setAccessRules({ rules: [{ pvPattern: 'S:*', access: 'READ' }] })
    const updates = await client.drain(200)
    expect(updates.map((m) => [m.command, m.parameter1, m.parameter2])).toEqual([
      [Command.ACCESS_RIGHTS, 3, 1],
      [Command.ACCESS_RIGHTS, 4, 1],
    ])
    expect(ioc.recorder.clientTraffic()[0]).toMatchObject({
      user: 'alice',
      host: 'ws1',
      connected: true,
      channels: 2,
    })
  })
})

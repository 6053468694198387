/**
 * Server restart: a libca client watching a PV sees the disconnect when our server closes, and reconnects on
 * its own (channel and subscription) when a new server starts on the same port. libca holds a lost channel for
 * its 10 s "disconnect governor" period before searching again, so this takes about 10 s with any server. A
 * repeater passes the servers' beacons to the client, as on any EPICS host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NativeType } from '../../src-main/ca/wire/snapshot'
import { StaticPvProvider } from '../support/static-provider'
import { pyepics } from '../support/system'
import { PythonDriver } from './support/python-driver'
import { TestRepeater } from './support/repeater'
import { startTestServer } from './support/server'
import type { TestServer } from './support/server'

const ports = { serverPort: 16500, repeaterPort: 16501 }
const DBR_TIME_DOUBLE = 20

const system = pyepics()

describe.skipIf(!system.available)('server restart with a libca client (pyepics)', () => {
  let server: TestServer | undefined
  let repeater: TestRepeater

  beforeAll(async () => {
    repeater = await TestRepeater.start(ports.repeaterPort)
  })

  afterAll(async () => {
    await server?.close()
    await repeater?.close()
  })

  it('the client sees the disconnect and reconnects by itself to the restarted server', async () => {
    const definition = { name: 'restart:x', type: NativeType.DOUBLE, value: 1 }
    server = await startTestServer(new StaticPvProvider([definition]), ports)
    const driver = new PythonDriver<{
      events: Array<[string, number]>
      updates: Array<{ value: number[] }>
      connected: boolean
      access: { read: boolean; write: boolean }
    }>('reconnect.py', { name: 'restart:x', type: DBR_TIME_DOUBLE, expect: 2, timeout: 30 }, ports, 60_000)
    expect((await driver.next('subscribed')).value).toEqual([1])
    await server.close()
    server = undefined
    await driver.next('down')
    server = await startTestServer(new StaticPvProvider([{ ...definition, value: 2 }]), ports)
    const restartedAt = Date.now() / 1000
    driver.send('go')
    const result = await driver.result
    expect(result.events.map(([kind]) => kind)).toEqual(['up', 'down', 'up'])
    expect(result.connected).toBe(true)
    expect(result.access).toEqual({ read: true, write: true })
    expect(result.updates.map((u) => u.value)).toEqual([[1], [2]])
    expect(repeater.beaconsForwarded).toBeGreaterThan(0)
    expect(repeater.lastBeaconPort).toBe(server.tcpPort)
    console.log(`reconnected ${(result.events[2][1] - restartedAt).toFixed(2)} s after the restart`)
  })
})

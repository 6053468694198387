/**
 * Many at once: 1,000 channels from one libca client (connect, pipelined gets, one monitor each), and 20
 * separate client processes (20 libca contexts, 20 TCP circuits) reading, writing and monitoring together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NativeType } from '../../src-main/ca/wire/snapshot'
import { StaticPvProvider } from '../support/static-provider'
import { pyepics } from '../support/system'
import { PythonDriver } from './support/python-driver'
import { startTestServer } from './support/server'
import type { TestServer } from './support/server'

const ports = { serverPort: 16400, repeaterPort: 16401 }
const { LONG, DOUBLE } = NativeType
const DBR_LONG = 5
const DBR_TIME_LONG = 19
const CHANNELS = 1_000
const CLIENTS = 20

const system = pyepics()

describe.skipIf(!system.available)('scale with libca (pyepics)', () => {
  let provider: StaticPvProvider
  let server: TestServer

  beforeAll(async () => {
    provider = new StaticPvProvider([
      ...Array.from({ length: CHANNELS }, (_, i) => ({ name: `many:${i}`, type: LONG, value: i * 7 })),
      ...Array.from({ length: CLIENTS }, (_, i) => ({ name: `client:${i}`, type: LONG, value: -i })),
      { name: 'client:shared', type: DOUBLE, value: 0 },
    ])
    server = await startTestServer(provider, ports)
  })

  afterAll(async () => {
    await server?.close()
  })

  it('serves 1,000 channels to one client: connect, get, monitor', async () => {
    const names = Array.from({ length: CHANNELS }, (_, i) => `many:${i}`)
    const driver = new PythonDriver<{ connect_seconds: number; values: number[][]; updates: number[][] }>(
      'many_channels.py',
      { names, type: DBR_LONG, monitor_type: DBR_TIME_LONG },
      ports,
    )
    await driver.next('subscribed')
    expect(server.clients()).toHaveLength(1)
    names.forEach((name, i) => provider.set(name, -i))
    driver.send('posted')
    const result = await driver.result
    expect(result.values).toEqual(names.map((_, i) => [i * 7]))
    expect(result.updates).toEqual(names.map((_, i) => [i * 7, 0 - i]))
    console.log(`1,000 channels connected in ${(result.connect_seconds * 1000).toFixed(0)} ms`)
  })

  it('serves 20 clients at once, each on its own circuit', async () => {
    const drivers = Array.from(
      { length: CLIENTS },
      (_, index) =>
        new PythonDriver<{
          own_before: number[]
          put: { completion: number }
          own_after: number[]
          shared: number[][]
        }>('one_client.py', { index, own: `client:${index}`, shared: 'client:shared', expect: 42.5 }, ports),
    )
    await Promise.all(drivers.map((d) => d.next('ready')))
    expect(server.clients()).toHaveLength(CLIENTS)
    provider.set('client:shared', 42.5)
    for (const d of drivers) d.send('posted')
    const results = await Promise.all(drivers.map((d) => d.result))
    results.forEach((r, index) => {
      expect(r.own_before).toEqual([0 - index])
      expect(r.put.completion).toBe(1)
      expect(r.own_after).toEqual([index * 10])
      expect(provider.get(`client:${index}`).snapshot.value[0]).toBe(index * 10)
      expect(r.shared).toEqual([[0], [42.5]])
    })
  })
})

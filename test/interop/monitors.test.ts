/**
 * Subscriptions through libca: event masks (VALUE, LOG, ALARM, PROPERTY and combinations) get exactly the
 * posts they asked for; count 0 follows the array's current length; a PV removed while monitored shows a
 * disconnect, and the channel comes back by itself when the PV does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventMask } from '../../src-main/ca/server/provider'
import { NativeType } from '../../src-main/ca/wire/snapshot'
import { StaticPvProvider } from '../support/static-provider'
import { pyepics } from '../support/system'
import { PythonDriver } from './support/python-driver'
import { startTestServer } from './support/server'
import type { TestServer } from './support/server'

const ports = { serverPort: 16300, repeaterPort: 16301 }
const { DOUBLE } = NativeType
const { VALUE, LOG, ALARM, PROPERTY } = EventMask
const DBR_DOUBLE = 6
const DBR_TIME_DOUBLE = 20
const DBR_CTRL_DOUBLE = 34

interface Update {
  eca: number
  count: number
  value: number[]
  status: number
  severity: number
  units?: string
}

const system = pyepics()

describe.skipIf(!system.available)('monitors from libca (pyepics)', () => {
  let provider: StaticPvProvider
  let server: TestServer

  beforeAll(async () => {
    provider = new StaticPvProvider([
      {
        name: 'mon:d',
        type: DOUBLE,
        value: 0,
        metadata: { units: 'A', precision: 3, upperDisplayLimit: 10, upperControlLimit: 8 },
      },
      { name: 'mon:wave', type: DOUBLE, value: [1, 2, 3], maxCount: 100 },
      { name: 'mon:gone', type: DOUBLE, value: 5 },
    ])
    server = await startTestServer(provider, ports)
  })

  afterAll(async () => {
    await server?.close()
  })

  it('delivers each post only to subscriptions whose mask matches it, and count 0 follows the length', async () => {
    const subs = [
      { name: 'mon:d', type: DBR_TIME_DOUBLE, count: 1, mask: VALUE, expect: 2 },
      { name: 'mon:d', type: DBR_TIME_DOUBLE, count: 1, mask: LOG, expect: 2 },
      { name: 'mon:d', type: DBR_TIME_DOUBLE, count: 1, mask: ALARM, expect: 2 },
      { name: 'mon:d', type: DBR_CTRL_DOUBLE, count: 1, mask: PROPERTY, expect: 2 },
      { name: 'mon:d', type: DBR_TIME_DOUBLE, count: 1, mask: VALUE | ALARM, expect: 3 },
      { name: 'mon:d', type: DBR_TIME_DOUBLE, count: 1, mask: VALUE | LOG | ALARM | PROPERTY, expect: 5 },
      { name: 'mon:wave', type: DBR_TIME_DOUBLE, count: 0, mask: VALUE, expect: 3 },
      { name: 'mon:wave', type: DBR_DOUBLE, count: 100, mask: VALUE, expect: 3 },
      { name: 'mon:wave', type: DBR_DOUBLE, count: 0, mask: VALUE, expect: 3 },
    ]
    const driver = new PythonDriver<{ updates: Update[][] }>('monitors.py', { subs, settle: 0.3 }, ports)
    const subscribed = await driver.next('subscribed')
    expect(subscribed.initial).toEqual(subs.map(() => 1))
    provider.set('mon:d', 1, { mask: VALUE })
    provider.set('mon:d', 2, { mask: LOG })
    provider.set('mon:d', 2, { mask: ALARM, status: 3, severity: 2 })
    provider.set('mon:d', 2, { mask: PROPERTY, metadata: { units: 'kA' } })
    provider.set('mon:wave', [4, 5, 6, 7, 8, 9, 10])
    provider.set('mon:wave', [])
    driver.send('posted')
    const { updates } = await driver.result

    const values = (i: number) => updates[i].map((u) => u.value)
    expect(updates.map((u) => u.length)).toEqual(subs.map((s) => s.expect))
    expect(updates.flat().every((u) => u.eca === 1)).toBe(true)
    expect(values(0)).toEqual([[0], [1]])
    expect(values(1)).toEqual([[0], [2]])
    expect(updates[2].map((u) => [u.value[0], u.status, u.severity])).toEqual([
      [0, 0, 0],
      [2, 3, 2],
    ])
    expect(updates[3].map((u) => [u.units, u.value[0]])).toEqual([
      ['A', 0],
      ['kA', 2],
    ])
    expect(updates[4].map((u) => [u.value[0], u.severity])).toEqual([
      [0, 0],
      [1, 0],
      [2, 2],
    ])
    expect(values(5)).toEqual([[0], [1], [2], [2], [2]])
    // count 0 (dynamic): the update carries the current length, down to an empty array.
    expect(updates[6].map((u) => u.count)).toEqual([3, 7, 0])
    expect(values(6)).toEqual([[1, 2, 3], [4, 5, 6, 7, 8, 9, 10], []])
    // Fixed count 100: always 100 elements, zero-filled past the current length.
    expect(updates[7].map((u) => u.count)).toEqual([100, 100, 100])
    expect(values(7)[1]).toEqual([4, 5, 6, 7, 8, 9, 10, ...new Array(93).fill(0)])
    expect(values(7)[2]).toEqual(new Array(100).fill(0))
    // Plain type with count 0: an empty array must still reach the client (not look like a cancel).
    expect(values(8).slice(0, 2)).toEqual([
      [1, 2, 3],
      [4, 5, 6, 7, 8, 9, 10],
    ])
    expect([[], [0]]).toContainEqual(values(8)[2])
  })

  it('shows a disconnect when a monitored PV is removed, and reconnects when it is back', async () => {
    const driver = new PythonDriver<{
      events: Array<[string, number]>
      updates: Update[]
      connected: boolean
    }>('reconnect.py', { name: 'mon:gone', type: DBR_TIME_DOUBLE, expect: 6 }, ports)
    expect((await driver.next('subscribed')).value).toEqual([5])
    provider.remove('mon:gone')
    await driver.next('down')
    // The PV is gone: searches for it stay unanswered, so the channel stays down.
    await new Promise((r) => setTimeout(r, 1000))
    provider.add({ name: 'mon:gone', type: DOUBLE, value: 6 })
    const backAt = Date.now() / 1000
    driver.send('go')
    const result = await driver.result
    expect(result.events.map(([kind]) => kind)).toEqual(['up', 'down', 'up'])
    expect(result.events[2][1]).toBeGreaterThanOrEqual(backAt - 0.05)
    expect(result.connected).toBe(true)
    expect(result.updates.map((u) => u.value)).toEqual([[5], [6]])
  })
})

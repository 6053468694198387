/**
 * Hot reload seen from a Channel Access client: the CA server never restarts; PVs the new script leaves as they
 * were keep their channels, a PV whose type changed disconnects and comes back with the new type, a removed PV
 * disconnects, metadata changes arrive on the same channel, and the new hooks apply at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ScriptError } from '../../src-main/python/python-ioc'
import type { PythonIoc } from '../../src-main/python/python-ioc'
import { pyepics } from '../support/system'
import { eventually, PyepicsClient } from './support/pyepics-client'
import { PythonIocServer } from './support/python-ioc-server'

const SERVER_PORT = 17510
const REPEATER_PORT = 17511
const DBF_LONG = 5
const DBF_DOUBLE = 6

function version(gain: number, body: string): string {
  return `
from caproto.server import PVGroup, ioc_arg_parser, pvproperty, run


class Reloadable(PVGroup):
    kept = pvproperty(value=0)
    gain = pvproperty(value=1.0)
    generation = pvproperty(value=0, read_only=True)
${body}
    @gain.putter
    async def gain(self, instance, value):
        return value * ${gain}

    @generation.startup
    async def generation(self, instance, async_lib):
        await instance.write(${gain})


if __name__ == '__main__':
    ioc_options, run_options = ioc_arg_parser(default_prefix='hot:', desc='reload me')
    run(Reloadable(**ioc_options).pvdb, **run_options)
`
}

const FIRST = version(
  1,
  `    retyped = pvproperty(value=3)
    dropped = pvproperty(value=0)
    length = pvproperty(value=1.0, units='mm', precision=1)
`,
)
const SECOND = version(
  10,
  `    retyped = pvproperty(value=3.5)
    length = pvproperty(value=1.0, units='cm', precision=3)
    added = pvproperty(value='new', max_length=20)
`,
)

const system = pyepics()
let server: PythonIocServer
let client: PyepicsClient
let ioc: PythonIoc

beforeAll(async () => {
  if (!system.available) return
  server = new PythonIocServer(SERVER_PORT, REPEATER_PORT)
  await server.start()
  ioc = (await server.loadSource('reloadable.py', FIRST)).ioc
  client = new PyepicsClient(SERVER_PORT, REPEATER_PORT)
}, 60_000)

afterAll(async () => {
  client?.close()
  await server?.close()
})

describe.skipIf(!system.available)('hot reload over Channel Access', () => {
  it('applies a changed script without restarting the server or dropping unchanged channels', async () => {
    const before = await client.info('hot:kept', 'hot:gain', 'hot:retyped', 'hot:dropped', 'hot:length')
    expect(before['hot:retyped'].ftype).toBe(DBF_LONG)
    expect(before['hot:length']).toMatchObject({ units: 'mm', precision: 1 })
    await client.put('hot:kept', 5)
    await client.put('hot:gain', 2)
    expect(await client.value('hot:gain')).toBe(2)
    const port = server.tcpPort

    const report = await ioc.load({ source: SECOND, filename: 'reloadable.py' })
    expect(report.added).toEqual(['hot:added'])
    expect(report.removed).toEqual(['hot:dropped'])
    expect([...report.changed].sort()).toEqual(['hot:length', 'hot:retyped'])
    expect(server.tcpPort).toBe(port)

    // Unchanged: same channel, same value, never disconnected; the new putter and startup hook apply.
    expect(await client.value('hot:kept')).toBe(5)
    expect(await client.connections('hot:kept')).toEqual([true])
    await client.put('hot:gain', 2)
    expect(await client.value('hot:gain')).toBe(20)
    await eventually(
      () => client.value('hot:generation'),
      (v) => v === 10,
      'the new startup hook',
    )
    // Metadata changed in place: same channel, new units and precision.
    expect(await client.connections('hot:length')).toEqual([true])
    expect((await client.info('hot:length'))['hot:length']).toMatchObject({ units: 'cm', precision: 3 })
    // Type changed: the channel dropped and came back as DOUBLE (libca searches again for a channel it lost this
    // way only after its ~10 s disconnect governor).
    await eventually(
      () => client.connections('hot:retyped'),
      (events) => events.length >= 3,
      'the reconnect',
      30_000,
    )
    expect(await client.connections('hot:retyped')).toEqual([true, false, true])
    const retyped = (await client.info('hot:retyped'))['hot:retyped']
    expect(retyped).toMatchObject({ ftype: DBF_DOUBLE, value: 3.5 })
    // Removed: disconnected. Added: served.
    await eventually(
      () => client.connections('hot:dropped'),
      (events) => events.includes(false),
      'the removal',
    )
    expect(await client.value('hot:added', true)).toBe('new')
  }, 45_000)

  it('keeps serving the running script when the new one is broken', async () => {
    const error = await ioc
      .load({ source: SECOND.replace('return value * 10', 'return value *'), filename: 'reloadable.py' })
      .catch((e) => e)
    expect(error).toBeInstanceOf(ScriptError)
    expect(error.message).toMatch(/SyntaxError/)
    await client.put('hot:gain', 3)
    expect(await client.value('hot:gain')).toBe(30)
    expect(await client.connections('hot:kept')).toEqual([true])
  })
})

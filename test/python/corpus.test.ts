/**
 * Every caproto fixture in test/fixtures/caproto runs headless: Pyodide + the caproto shim + the PV database +
 * our CA server, checked from outside with pyepics (Debian's libca): names, native types, counts, CTRL metadata,
 * alarms, and behaviour over time. All fixtures are served at once (they use distinct prefixes) by one server
 * and one interpreter; one pyepics process asks the questions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PythonIoc } from '../../src-main/python/python-ioc'
import { pyepics } from '../support/system'
import { eventually, PyepicsClient } from './support/pyepics-client'
import { PythonIocServer } from './support/python-ioc-server'

const SERVER_PORT = 17500
const REPEATER_PORT = 17501
const ECA_NORMAL = 1
const [DBF_STRING, DBF_SHORT, , DBF_ENUM, DBF_CHAR, DBF_LONG, DBF_DOUBLE] = [0, 1, 2, 3, 4, 5, 6]
const NO_ALARM = 0
const MINOR = 1
const MAJOR = 2
const STATUS = { WRITE: 2, HIHI: 3, HIGH: 4, TIMEOUT: 10 }

const system = pyepics()
let server: PythonIocServer
let client: PyepicsClient
const iocs = new Map<string, PythonIoc>()

beforeAll(async () => {
  if (!system.available) return
  server = new PythonIocServer(SERVER_PORT, REPEATER_PORT, 400)
  await server.start()
  const fixtures: Array<[string, string[]]> = [
    ['simple_server.py', []],
    ['motor.py', []],
    ['random_walk.py', []],
    ['temperature_controller.py', []],
    ['enums_and_bools.py', []],
    ['arrays.py', []],
    ['strings.py', []],
    ['skip_write.py', []],
    ['putter_raises.py', []],
    ['hanging_hook.py', []],
    ['subgroups.py', []],
    ['macros.py', ['--beamline', 'BL7']],
    ['startup_shutdown.py', []],
    ['scan_field.py', []],
  ]
  for (const [name, argv] of fixtures) iocs.set(name, (await server.load(name, argv)).ioc)
  client = new PyepicsClient(SERVER_PORT, REPEATER_PORT)
}, 60_000)

afterAll(async () => {
  client?.close()
  await server?.close()
})

describe.skipIf(!system.available)('caproto corpus over Channel Access (pyepics)', () => {
  it('simple_server.py: the seed pattern with put/get queues and a router loop', async () => {
    const info = await client.info('simple:running', 'simple:val', 'simple:rbv', 'simple:processed')
    expect(info['simple:running']).toMatchObject({ connected: true, ftype: DBF_LONG, count: 1, value: 1 })
    expect(info['simple:val']).toMatchObject({
      ftype: DBF_DOUBLE,
      units: 'mm',
      precision: 3,
      write_access: true,
    })
    expect(info['simple:rbv']).toMatchObject({ ftype: DBF_DOUBLE, write_access: false, read_access: true })
    expect(await client.put('simple:val', 2.5)).toMatchObject({ status: ECA_NORMAL })
    await eventually(
      () => client.value('simple:rbv'),
      (v) => v === 2.5,
      'the router to copy val to rbv',
    )
    expect(await client.value('simple:processed')).toBe(1)
    // Hook output lands in the app log under the PV's name; both queues were instrumented.
    expect(server.logged('simple:val', /^val: new value is 2.5$/)).toHaveLength(1)
    expect(server.logged('simple:running', /process a 'val' put request: 2.5/)).toHaveLength(1)
    const queues = server.recorder.queueStates().filter((queue) => queue.name.startsWith('simple:'))
    expect(queues.map(({ name, depth, puts, gets }) => ({ name, depth, puts, gets }))).toEqual([
      { name: 'simple:put_queue', depth: 0, puts: 1, gets: 1 },
      { name: 'simple:get_queue', depth: 1, puts: 1, gets: 0 },
    ])
    expect(queues[0].recent.map((entry) => entry.entry)).toEqual([
      "{'pv': 'val', 'value': 2.5}",
      "{'pv': 'val', 'value': 2.5}",
    ])
  })

  it('motor.py: the readback ramps at the velocity, DMOV follows, limits reject', async () => {
    const info = await client.info('mtr1:VAL', 'mtr1:RBV', 'mtr1:VELO', 'mtr1:DMOV', 'mtr1:STOP')
    expect(info['mtr1:VAL']).toMatchObject({ lower_ctrl_limit: -100, upper_ctrl_limit: 100, units: 'mm' })
    expect(info['mtr1:RBV']).toMatchObject({
      write_access: false,
      lower_disp_limit: -100,
      upper_disp_limit: 100,
    })
    expect(info['mtr1:STOP'].ftype).toBe(DBF_SHORT)
    expect(info['mtr1:DMOV'].value).toBe(1)
    // The ramp as the server saw it (independent of how fast the client polls).
    const readbacks: number[] = []
    const moving: number[] = []
    const watching = [
      server.database
        .get('mtr1:RBV')
        ?.onDidChangeValue((snapshot) => readbacks.push(snapshot.value[0] as number)),
      server.database
        .get('mtr1:DMOV')
        ?.onDidChangeValue((snapshot) => moving.push(snapshot.value[0] as number)),
    ]
    await client.put('mtr1:VELO', 20)
    const started = Date.now()
    await client.put('mtr1:VAL', 6)
    await eventually(
      () => client.value('mtr1:RBV'),
      (v) => v === 6,
      'the readback to arrive',
    )
    await eventually(
      () => client.value('mtr1:DMOV'),
      (v) => v === 1,
      'the move to finish',
    )
    for (const watcher of watching) watcher?.dispose()
    // 6 mm at 20 mm/s: about 0.3 s, in steps of 0.4 mm (20 mm/s every 0.02 s).
    expect(Date.now() - started).toBeGreaterThan(200)
    expect(readbacks.length).toBeGreaterThanOrEqual(10)
    expect(readbacks.every((value, i) => i === 0 || value > readbacks[i - 1])).toBe(true)
    expect(readbacks.at(-1)).toBe(6)
    expect(moving).toEqual([0, 1])
    const refused = await client.put('mtr1:VAL', 500)
    expect(refused.status).not.toBe(ECA_NORMAL)
    expect(await client.value('mtr1:VAL')).toBe(6)
  })

  it('random_walk.py: a scan hook moves x; step=0 stops it', async () => {
    const first = await client.value('walk:x')
    await eventually(
      () => client.value('walk:x'),
      (v) => v !== first,
      'x to move',
    )
    const steps = (await client.value('walk:steps')) as number
    await eventually(
      () => client.value('walk:steps'),
      (v) => (v as number) > steps + 3,
      'more steps',
    )
    await client.put('walk:step', 0)
    await new Promise((r) => setTimeout(r, 150))
    const resting = await client.value('walk:x')
    await new Promise((r) => setTimeout(r, 200))
    expect(await client.value('walk:x')).toBe(resting)
  })

  it('temperature_controller.py: the temperature follows the setpoint into HIGH and HIHI alarms', async () => {
    const info = await client.info('tc:temperature', 'tc:mode', 'tc:setpoint')
    expect(info['tc:temperature']).toMatchObject({
      ftype: DBF_DOUBLE,
      units: 'degC',
      precision: 2,
      lower_alarm_limit: 0,
      lower_warning_limit: 10,
      upper_warning_limit: 60,
      upper_alarm_limit: 80,
      lower_disp_limit: -20,
      upper_disp_limit: 120,
      severity: NO_ALARM,
    })
    expect(info['tc:mode']).toMatchObject({ ftype: DBF_ENUM, enum_strs: ['Off', 'Heat'], value: 1 })
    expect(await client.value('tc:temperature.DESC')).toBe('Sample temperature')
    expect(await client.value('tc:temperature.EGU')).toBe('degC')
    expect(await client.value('tc:temperature.RTYP')).toBe('ai')
    await client.put('tc:setpoint', 70)
    const high = await eventually(
      () => client.get('tc:temperature'),
      (r) => (r.value as number) > 60.5,
      'HIGH',
    )
    expect([high.severity, high.status]).toEqual([MINOR, STATUS.HIGH])
    await client.put('tc:setpoint', 95)
    const hihi = await eventually(
      () => client.get('tc:temperature'),
      (r) => (r.value as number) > 80.5,
      'HIHI',
    )
    expect([hihi.severity, hihi.status]).toEqual([MAJOR, STATUS.HIHI])
    expect(await client.value('tc:heater')).toBeGreaterThan(0)
    await client.put('tc:mode', 0)
    await eventually(
      () => client.get('tc:temperature'),
      (r) => (r.value as number) < 25,
      'cooling down',
    )
    expect(await client.value('tc:heater')).toBe(0)
  })

  it('enums_and_bools.py: bool, IntEnum and ChannelType.ENUM PVs; putters see labels', async () => {
    const info = await client.info('enums:enable', 'enums:power', 'enums:shutter', 'enums:color')
    expect(info['enums:enable']).toMatchObject({ ftype: DBF_ENUM, enum_strs: ['Off', 'On'], value: 0 })
    expect(info['enums:power']).toMatchObject({ enum_strs: ['Standby', 'Running'], value: 1 })
    expect(info['enums:shutter'].enum_strs).toEqual(['Closed', 'Open', 'Moving', 'unset_3', 'Fault'])
    expect(await client.value('enums:color', true)).toBe('Green')
    expect(await client.value('enums:power.RTYP')).toBe('bo')
    expect(await client.value('enums:power.ONAM')).toBe('Running')
    expect((await client.put('enums:shutter', 1)).status).toBe(ECA_NORMAL)
    expect(await client.value('enums:last_label')).toBe('Open')
    const fault = await client.put('enums:shutter', 4)
    expect(fault.status).not.toBe(ECA_NORMAL)
    const shutter = await client.get('enums:shutter', true)
    expect(shutter).toMatchObject({ value: 'Open', severity: MAJOR, status: STATUS.WRITE })
    await client.put('enums:color', 2)
    expect(await client.value('enums:last_label')).toBe('Blue')
    await client.put('enums:enable', 1)
    expect(await client.value('enums:enable', true)).toBe('On')
  })

  it('arrays.py: fixed capacity, variable length, strings, bytes and a waveform', async () => {
    const info = await client.info(
      'arr:ints',
      'arr:doubles',
      'arr:shorts',
      'arr:names',
      'arr:raw',
      'arr:sine',
    )
    expect(info['arr:ints']).toMatchObject({ ftype: DBF_LONG, nelm: 3, value: [1, 2, 3] })
    expect(info['arr:doubles']).toMatchObject({ ftype: DBF_DOUBLE, nelm: 8, units: 'V', precision: 2 })
    expect(info['arr:shorts']).toMatchObject({ ftype: DBF_SHORT, nelm: 4 })
    expect(info['arr:names']).toMatchObject({ ftype: DBF_STRING, nelm: 4 })
    expect((info['arr:names'].value as string[]).slice(0, 2)).toEqual(['alpha', 'beta'])
    expect(info['arr:raw']).toMatchObject({ ftype: DBF_CHAR, nelm: 4, value: [1, 2, 3, 4] })
    const sine = info['arr:sine'].value as number[]
    expect(sine).toHaveLength(64)
    expect(Math.max(...sine)).toBeCloseTo(1, 6)
    expect(await client.value('arr:sine.RTYP')).toBe('waveform')
    expect(await client.value('arr:sine.NELM')).toBe(64)
    await client.put('arr:doubles', [1.5, 2, 3])
    expect(await client.value('arr:total')).toBe(6.5)
    expect(((await client.value('arr:doubles')) as number[]).slice(0, 3)).toEqual([1.5, 2, 3])
    expect((await client.put('arr:ints', [9, 8, 7])).status).toBe(ECA_NORMAL)
    expect(await client.value('arr:ints')).toEqual([9, 8, 7])
  })

  it('strings.py: DBR_STRING, long strings as CHAR arrays, report_as_string, a putter that coerces', async () => {
    const info = await client.info('str:status', 'str:message', 'str:label', 'str:shout')
    expect(info['str:status']).toMatchObject({ ftype: DBF_STRING, count: 1, value: 'idle' })
    expect(info['str:message']).toMatchObject({ ftype: DBF_CHAR, nelm: 200 })
    expect(info['str:label']).toMatchObject({ ftype: DBF_STRING, value: 'label' })
    await client.put('str:message', 'hello long string world')
    expect(await client.value('str:message', true)).toBe('hello long string world')
    expect(await client.value('str:length')).toBe(23)
    expect(await client.value('str:message$', true)).toBe('hello long string world')
    await client.put('str:shout', 'quiet please')
    expect(await client.value('str:shout')).toBe('QUIET PLEASE')
    await client.put('str:status', 'busy')
    expect(await client.value('str:status')).toBe('busy')
  })

  it('skip_write.py: SkipWrite raised or returned keeps the old value; the return value coerces', async () => {
    expect((await client.put('skip:level', -5)).status).toBe(ECA_NORMAL)
    expect(await client.value('skip:level')).toBe(10)
    await client.put('skip:level', 500)
    expect(await client.value('skip:level')).toBe(10)
    expect(await client.value('skip:ignored')).toBe(2)
    await client.put('skip:level', 23)
    expect(await client.value('skip:level')).toBe(25)
  })

  it('putter_raises.py: the put fails with an error, WRITE/MAJOR alarm, old value kept; a good put clears it', async () => {
    expect(await client.value('raise:caught', true)).toBe('ValueError: 99.0 V would damage the sample')
    expect(await client.value('raise:voltage')).toBe(1.5)
    const refused = await client.put('raise:voltage', 80)
    expect(refused.status).not.toBe(ECA_NORMAL)
    expect(refused.completed).toBe(true)
    expect(await client.get('raise:voltage')).toMatchObject({
      value: 1.5,
      severity: MAJOR,
      status: STATUS.WRITE,
    })
    expect(
      server.logged('raise:voltage', /ValueError: 80.0 V would damage[\s\S]*putter_raises.py/),
    ).toHaveLength(1)
    expect((await client.put('raise:voltage', 2)).status).toBe(ECA_NORMAL)
    expect(await client.get('raise:voltage')).toMatchObject({ value: 2, severity: NO_ALARM })
  })

  it('hanging_hook.py: the watchdog stops hung hooks; the server and its clients carry on', async () => {
    const spinner = await eventually(
      () => client.get('hang:spinner'),
      (r) => r.severity === MAJOR,
      'the spinner alarm',
    )
    expect(spinner.status).toBe(STATUS.TIMEOUT)
    const beat = (await client.value('hang:heartbeat')) as number
    const hung = await client.put('hang:hang', 1)
    expect(hung.status).not.toBe(ECA_NORMAL)
    expect(await client.get('hang:hang')).toMatchObject({ value: 0, severity: MAJOR, status: STATUS.WRITE })
    expect(
      server.logged('hang:hang', /interrupted by the watchdog[\s\S]*hanging_hook.py", line \d+, in hang/),
    ).toHaveLength(1)
    await eventually(
      () => client.value('hang:heartbeat'),
      (v) => (v as number) > beat + 2,
      'the heartbeat',
    )
    expect((await client.put('hang:hang', 3)).status).toBe(ECA_NORMAL)
    expect(await client.get('hang:hang')).toMatchObject({ value: 3, severity: NO_ALARM })
  })

  it('subgroups.py: nested groups, init keywords and setpoint/readback pairs', async () => {
    const names = [
      'ps:ch1:current',
      'ps:ch2:current',
      'ps:nested:depth',
      'ps:nested:in:depth',
      'ps:status:ok',
      'ps:int_pair',
      'ps:int_pair_RBV',
      'ps:float_pair',
      'ps:float_pair_RBV',
      'ps:enable',
      'ps:enable_RBV',
    ]
    const info = await client.info(...names)
    for (const name of names) expect(info[name].connected, name).toBe(true)
    expect(info['ps:nested:in:depth'].value).toBe(2)
    expect(info['ps:int_pair_RBV'].write_access).toBe(false)
    expect(info['ps:float_pair']).toMatchObject({ units: 'V', precision: 2 })
    await client.put('ps:ch2:current', 1.5)
    expect(await client.value('ps:ch2:current')).toBe(3)
    await client.put('ps:int_pair', 7)
    expect(await client.value('ps:int_pair_RBV')).toBe(7)
    await client.put('ps:float_pair', 4)
    expect(await client.value('ps:float_pair_RBV')).toBe(2)
    await client.put('ps:enable', 1)
    expect(await client.value('ps:enable_RBV', true)).toBe('On')
    expect(await client.value('ps:enable.RTYP')).toBe('bo')
    expect(await client.value('ps:enable_RBV.RTYP')).toBe('bi')
  })

  it('macros.py: names and prefix filled from the command line', async () => {
    const info = await client.info('BL7:mac:BL7:mtr1.VAL', 'BL7:mac:BL7:{literal}', 'BL7:mac:where')
    expect(info['BL7:mac:BL7:mtr1.VAL']).toMatchObject({ connected: true, ftype: DBF_DOUBLE, precision: 2 })
    expect(info['BL7:mac:BL7:{literal}'].connected).toBe(true)
    expect(await client.value('BL7:mac:where', true)).toBe('BL7/mtr1 at BL7:mac:')
  })

  it('scan_field.py: clients set the scan rate through .SCAN', async () => {
    expect(await client.value('scanf:counter.SCAN', true)).toBe('.1 second')
    await eventually(
      () => client.value('scanf:counter'),
      (v) => (v as number) > 2,
      'scanning',
    )
    await client.put('scanf:counter.SCAN', 0)
    await new Promise((r) => setTimeout(r, 250))
    const stopped = await client.value('scanf:counter')
    await new Promise((r) => setTimeout(r, 300))
    expect(await client.value('scanf:counter')).toBe(stopped)
    await client.put('scanf:counter.SCAN', 9)
    await eventually(
      () => client.value('scanf:counter'),
      (v) => (v as number) > (stopped as number),
      'scanning again',
    )
  })

  it('startup_shutdown.py: __ainit__, startup, scan; then cancellation and shutdown hooks in order', async () => {
    await eventually(
      () => client.value('order:events', true),
      (v) => String(v).includes('ticks.scan'),
      'the startup sequence',
    )
    expect(await client.value('order:events', true)).toBe('ainit,first.startup,second.startup,ticks.scan')
    await iocs.get('startup_shutdown.py')?.stop({ removePvs: false })
    expect(await client.value('order:events', true)).toBe(
      'ainit,first.startup,second.startup,ticks.scan,first.cancelled,first.shutdown,second.shutdown',
    )
    // Stopped: no task runs, the PV stays served.
    const ticks = await client.value('order:ticks')
    await new Promise((r) => setTimeout(r, 150))
    expect(await client.value('order:ticks')).toBe(ticks)
  })
})

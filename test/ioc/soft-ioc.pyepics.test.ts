/**
 * The soft IOC through the real CA server, checked with pyepics (Debian's libca): values and native types,
 * CTRL metadata, alarms and deadbands over CA, record fields (.EGU, .DESC, .PROC, .SCAN, .STAT), read-only
 * refusal, access rules changing under a connected client, and a redefinition that changes the type making the
 * client reconnect. One pyepics process drives the whole session (starting libca is the slow part).
 */
import { hostname, userInfo } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Eca } from '../../src-main/ca/wire/protocol'
import { AlarmSeverity, AlarmStatus, SoftIoc } from '../../src-main/ioc'
import type { ScanSetting } from '../../src-main/ioc'
import { PyepicsSession } from '../support/pyepics-session'
import type { Reply } from '../support/pyepics-session'
import { pyepics } from '../support/system'

const ports = { serverPort: 17000, repeaterPort: 17001 }
const SCRIPT = new URL('./py/ioc_session.py', import.meta.url).pathname

describe.skipIf(!pyepics().available)('soft IOC over Channel Access (pyepics)', () => {
  let ioc: SoftIoc
  let session: PyepicsSession

  beforeAll(async () => {
    ioc = new SoftIoc({
      config: {
        serverPort: ports.serverPort,
        autoBeaconAddresses: false,
        beaconAddresses: [{ host: '127.0.0.1', port: ports.repeaterPort }],
      },
      env: {},
    })
    const db = ioc.database
    db.batch(() => {
      db.define({
        name: 'IOC:TEMP',
        type: 'DOUBLE',
        value: 20,
        recordType: 'ai',
        description: 'Room temperature',
        units: 'degC',
        precision: 2,
        displayLimits: { low: 0, high: 100 },
        controlLimits: { low: 0, high: 80 },
        alarmLimits: { lolo: 0, low: 5, high: 50, hihi: 70 },
      })
      db.define({
        name: 'IOC:MODE',
        type: 'ENUM',
        value: 'Off',
        enumStrings: ['Off', 'On'],
        recordType: 'bo',
      })
      db.define({ name: 'IOC:NAME', type: 'STRING', value: 'hello' })
      db.define({ name: 'IOC:WAVE', type: 'DOUBLE', maxLength: 10, value: [1, 2, 3], recordType: 'waveform' })
      db.define({ name: 'IOC:TEXT', type: 'CHAR', longString: true, maxLength: 100, value: 'a long text' })
      db.define({ name: 'IOC:RO', type: 'LONG', value: 5, readOnly: true })
      db.define({ name: 'IOC:UDF', type: 'DOUBLE' })
      db.define({ name: 'IOC:CLAMP', type: 'LONG', value: 0, controlLimits: { high: 10, mode: 'clamp' } })
      db.define({ name: 'IOC:SECURE', type: 'DOUBLE', value: 1 })
      db.define({ name: 'IOC:RETYPE', type: 'LONG', value: 1 })
    })
    const status = await ioc.start()
    expect(status).toMatchObject({ state: 'running', tcpPort: ports.serverPort, pvCount: 10 })
    session = new PyepicsSession(SCRIPT, ports)
    await session.ready()
  })

  afterAll(async () => {
    await session?.quit().catch(() => session.kill())
    await ioc?.dispose()
  })

  it('serves values with their native types and counts', async () => {
    expect(await session.call('info', { pv: 'IOC:TEMP' })).toMatchObject({
      type: 'double',
      count: 1,
      write: true,
    })
    expect(await session.call('info', { pv: 'IOC:MODE' })).toMatchObject({ type: 'enum', count: 1 })
    expect(await session.call('info', { pv: 'IOC:NAME' })).toMatchObject({ type: 'string', count: 1 })
    expect(await session.call('info', { pv: 'IOC:WAVE' })).toMatchObject({ type: 'double', count: 10 })
    expect(await session.call('info', { pv: 'IOC:TEXT' })).toMatchObject({ type: 'char', count: 100 })
    expect((await session.call('get', { pv: 'IOC:TEMP' })).value).toBe(20)
    expect((await session.call('get', { pv: 'IOC:MODE', as_string: true })).value).toBe('Off')
    expect((await session.call('get', { pv: 'IOC:NAME' })).value).toBe('hello')
    expect((await session.call('get', { pv: 'IOC:WAVE' })).value.slice(0, 3)).toEqual([1, 2, 3])
    expect((await session.call('get', { pv: 'IOC:TEXT', as_string: true })).value).toBe('a long text')
    expect((await session.call('get', { pv: 'IOC:NAME$', as_string: true })).value).toBe('hello')
  })

  it('serves CTRL metadata: units, precision, display, alarm and control limits, enum states', async () => {
    expect(await session.call('get', { pv: 'IOC:TEMP', form: 'ctrl' })).toMatchObject({
      units: 'degC',
      precision: 2,
      upper_disp_limit: 100,
      lower_disp_limit: 0,
      upper_alarm_limit: 70,
      upper_warning_limit: 50,
      lower_warning_limit: 5,
      lower_alarm_limit: 0,
      upper_ctrl_limit: 80,
      lower_ctrl_limit: 0,
    })
    expect((await session.call('get', { pv: 'IOC:MODE', form: 'ctrl' })).enum_strs).toEqual(['Off', 'On'])
  })

  it('evaluates alarms on every write and reports them over CA', async () => {
    expect(await session.call('get', { pv: 'IOC:UDF' })).toMatchObject({
      status: AlarmStatus.UDF,
      severity: AlarmSeverity.INVALID,
    })
    await session.call('monitor', { pv: 'IOC:TEMP' })
    await session.call('caput', { pv: 'IOC:TEMP', value: 60 })
    expect(await session.call('get', { pv: 'IOC:TEMP' })).toMatchObject({
      value: 60,
      status: AlarmStatus.HIGH,
      severity: 1,
    })
    await session.call('caput', { pv: 'IOC:TEMP', value: 75 })
    expect(await session.call('get', { pv: 'IOC:TEMP' })).toMatchObject({
      status: AlarmStatus.HIHI,
      severity: 2,
    })
    // Above the control limit: refused with ECA_PUTFAIL, the value stays.
    expect((await session.call('put', { pv: 'IOC:TEMP', value: 90 })).completion).toBe(Eca.PUTFAIL)
    await session.call('caput', { pv: 'IOC:TEMP', value: 20 })
    const { updates } = await session.call('updates', { pv: 'IOC:TEMP' })
    expect(updates.map((u: Reply) => [u.value, u.status, u.severity])).toEqual([
      [20, 0, 0],
      [60, AlarmStatus.HIGH, 1],
      [75, AlarmStatus.HIHI, 2],
      [20, 0, 0],
    ])
    expect((await session.call('put', { pv: 'IOC:CLAMP', value: 50 })).completion).toBe(Eca.NORMAL)
    expect((await session.call('get', { pv: 'IOC:CLAMP' })).value).toBe(10)
  })

  it('gates monitors with MDEL set through the .MDEL field', async () => {
    await session.call('caput', { pv: 'IOC:TEMP.MDEL', value: 1 })
    for (const value of [20.5, 21.6, 22]) await session.call('caput', { pv: 'IOC:TEMP', value })
    const { updates } = await session.call('updates', { pv: 'IOC:TEMP' })
    expect(updates.slice(4).map((u: Reply) => u.value)).toEqual([21.6])
    await session.call('caput', { pv: 'IOC:TEMP.MDEL', value: 0 })
  })

  it('serves record fields wired to the PV: .EGU, .DESC, .RTYP, .HIHI, .STAT, .PROC, .SCAN', async () => {
    const temp = ioc.database.get('IOC:TEMP')!
    expect((await session.call('get', { pv: 'IOC:TEMP.EGU' })).value).toBe('degC')
    expect((await session.call('get', { pv: 'IOC:TEMP.DESC' })).value).toBe('Room temperature')
    expect((await session.call('get', { pv: 'IOC:TEMP.RTYP' })).value).toBe('ai')
    expect((await session.call('get', { pv: 'IOC:TEMP.HIHI' })).value).toBe(70)
    expect((await session.call('get', { pv: 'IOC:TEMP.VAL' })).value).toBe(22)

    await session.call('property', { pv: 'IOC:TEMP' })
    await session.call('caput', { pv: 'IOC:TEMP.EGU', value: 'K' })
    expect(temp.spec.units).toBe('K')
    expect((await session.call('get', { pv: 'IOC:TEMP', form: 'ctrl' })).units).toBe('K')
    const { updates } = await session.call('property_updates', { pv: 'IOC:TEMP' })
    expect(updates.map((u: Reply) => u.units)).toEqual(['degC', 'K'])

    await session.call('caput', { pv: 'IOC:TEMP.DESC', value: 'Lab temperature' })
    expect(temp.spec.description).toBe('Lab temperature')

    let processed = 0
    const hooks = temp.setHooks({ putter: () => void processed++ })
    await session.call('caput', { pv: 'IOC:TEMP.PROC', value: 1 })
    expect(processed).toBe(1)
    hooks.dispose()

    const scans: ScanSetting[] = []
    temp.onDidChangeScan((setting) => scans.push(setting))
    await session.call('caput', { pv: 'IOC:TEMP.SCAN', value: '1 second' })
    expect(scans.map((s) => s.periodSeconds)).toEqual([1])

    await session.call('caput', { pv: 'IOC:TEMP', value: 72 })
    expect((await session.call('get', { pv: 'IOC:TEMP.STAT', as_string: true })).value).toBe('HIHI')
    expect((await session.call('get', { pv: 'IOC:TEMP.SEVR', as_string: true })).value).toBe('MAJOR')
  })

  it('refuses CA writes to read-only PVs while internal writes work', async () => {
    expect(await session.call('info', { pv: 'IOC:RO' })).toMatchObject({ read: true, write: false })
    const refused = await session.call('put', { pv: 'IOC:RO', value: 7 })
    expect([refused.issued, refused.completion]).toContain(Eca.NOWTACCESS)
    await ioc.database.get('IOC:RO')!.put(9)
    expect((await session.call('get', { pv: 'IOC:RO' })).value).toBe(9)
  })

  it('applies access rules per channel and re-sends rights to connected clients when they change', async () => {
    expect((await session.call('wait_access', { pv: 'IOC:SECURE', write: true })).write).toBe(true)
    ioc.database.setAccessRules({
      userGroups: { operators: ['nobody-here'] },
      rules: [
        { pvPattern: 'IOC:SEC*', access: 'READ' },
        { pvPattern: 'IOC:SEC*', access: 'WRITE', users: ['operators'] },
      ],
    })
    expect(await session.call('wait_access', { pv: 'IOC:SECURE', write: false })).toEqual({
      event: 'reply',
      ok: true,
      read: true,
      write: false,
    })
    expect((await session.call('put', { pv: 'IOC:SECURE', value: 5 })).issued).toBe(Eca.NOWTACCESS)
    // The client's CLIENT_NAME is its login name and HOST_NAME the machine's name (compared lowercase).
    ioc.database.setAccessRules({
      userGroups: { operators: [userInfo().username] },
      hostGroups: { here: [hostname().toUpperCase()] },
      rules: [
        { pvPattern: 'IOC:SEC*', access: 'READ' },
        { pvPattern: 'IOC:SEC*', access: 'WRITE', users: ['operators'], hosts: ['here'] },
      ],
    })
    expect((await session.call('wait_access', { pv: 'IOC:SECURE', write: true })).write).toBe(true)
    expect((await session.call('put', { pv: 'IOC:SECURE', value: 5 })).completion).toBe(Eca.NORMAL)
    ioc.database.setAccessRules({ rules: [] })
  })

  // libca searches again for a channel the server disconnected only on its "disconnect governor" timer (up
  // to about 10 s), so the reconnection is slow by design of the client.
  it(
    'makes clients reconnect with the new type when a redefinition changes it',
    { timeout: 40_000 },
    async () => {
      expect((await session.call('watch', { pv: 'IOC:RETYPE' })).type).toBe('long')
      ioc.database.define({ name: 'IOC:RETYPE', type: 'DOUBLE', value: 2.5 })
      expect(
        await session.call('wait_type', { pv: 'IOC:RETYPE', type: 'double', timeout: 30 }),
      ).toMatchObject({
        connected: true,
        type: 'double',
        value: 2.5,
      })
      const { events } = await session.call('connection_events', { pv: 'IOC:RETYPE' })
      expect(events.map((e: Reply) => e.connected)).toEqual([true, false, true])
      // An unchanged redefinition keeps the channel.
      ioc.database.define({ name: 'IOC:RETYPE', type: 'DOUBLE', value: 2.5 })
      await session.call('get', { pv: 'IOC:RETYPE' })
      expect((await session.call('connection_events', { pv: 'IOC:RETYPE' })).events).toHaveLength(3)
    },
  )

  it('keeps a write to one PV from making other PVs post (no caproto #803)', async () => {
    await session.call('monitor', { pv: 'IOC:NAME' })
    await session.call('caput', { pv: 'IOC:TEMP', value: 1 })
    ioc.database.get('IOC:TEMP')!.setAlarm(AlarmStatus.COMM, AlarmSeverity.MAJOR)
    await session.call('caput', { pv: 'IOC:TEMP', value: 30 })
    expect((await session.call('updates', { pv: 'IOC:NAME' })).updates).toHaveLength(1)
  })

  it('recorded the session: traffic events, per-client counters and a put log', () => {
    const puts = ioc.recorder.events().filter((e) => e.op === 'put-done' && e.pv === 'IOC:TEMP' && e.ok)
    expect(puts.length).toBeGreaterThan(3)
    expect(puts[0]).toMatchObject({ oldValue: '20', newValue: '60', dbrType: 'DBR_DOUBLE' })
    expect(puts[0].client?.user).toBe(userInfo().username)
    expect(ioc.recorder.putLogText()).toMatch(/ IOC:TEMP 20 -> 60\n/)
    const [client] = ioc.recorder.clientTraffic().filter((c) => c.connected)
    expect(client.puts).toBeGreaterThan(5)
    expect(client.channels).toBeGreaterThan(5)
    expect(ioc.recorder.pvTrafficFor('IOC:TEMP')).toMatchObject({ pendingPuts: 0 })
    expect(ioc.status.clientCount).toBe(1)
  })
})

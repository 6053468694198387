import { describe, expect, it } from 'vitest'
import { AccessRights, EventMask } from '../ca/server/provider'
import type { PvPost, ServedPv } from '../ca/server/provider'
import { Eca } from '../ca/wire/protocol'
import { NativeType } from '../ca/wire/snapshot'
import type { PvValue } from '../ca/wire/snapshot'
import { AlarmSeverity, AlarmStatus } from './alarm'
import { PvDatabase } from './database'
import type { IocPv } from './pv'
import { fieldNames } from './record-fields'
import type { ScanSetting } from './scan'
import { client } from './test-support'

function analog(): { db: PvDatabase; pv: IocPv; field: (name: string) => ServedPv } {
  const db = new PvDatabase()
  const pv = db.define({
    name: 'R:AI',
    type: 'DOUBLE',
    value: 5,
    recordType: 'ai',
    description: 'Beam current',
    units: 'mA',
    precision: 3,
    displayLimits: { low: 0, high: 500 },
    controlLimits: { low: 0, high: 400 },
    alarmLimits: { high: 300, hihi: 350, hysteresis: 2 },
    monitorDeadband: 0.5,
  })
  return { db, pv, field: (name) => db.resolve(`R:AI.${name}`)! }
}

const first = (channel: ServedPv): PvValue[number] => channel.snapshot.value[0]
const write = (channel: ServedPv, value: PvValue) => channel.write(client(), value)

describe('record fields', () => {
  it('reads the PV through EPICS field names and types', () => {
    const { field } = analog()
    expect(first(field('NAME'))).toBe('R:AI')
    expect(first(field('RTYP'))).toBe('ai')
    expect(first(field('DESC'))).toBe('Beam current')
    expect(first(field('EGU'))).toBe('mA')
    expect(first(field('PREC'))).toBe(3)
    expect([first(field('HOPR')), first(field('LOPR')), first(field('DRVH')), first(field('DRVL'))]).toEqual([
      500, 0, 400, 0,
    ])
    expect([first(field('HIHI')), first(field('HIGH')), first(field('LOW')), first(field('LOLO'))]).toEqual([
      350, 300, 0, 0,
    ])
    expect([first(field('HHSV')), first(field('HSV')), first(field('LSV')), first(field('LLSV'))]).toEqual([
      2, 1, 0, 0,
    ])
    expect([first(field('HYST')), first(field('MDEL')), first(field('ADEL'))]).toEqual([2, 0.5, 0])
    expect([first(field('NELM')), first(field('NORD')), first(field('SCAN')), first(field('PROC'))]).toEqual([
      1, 1, 0, 0,
    ])
    expect(field('PREC').nativeType).toBe(NativeType.SHORT)
    expect(field('HHSV').snapshot.metadata.enumStrings).toEqual(['NO_ALARM', 'MINOR', 'MAJOR', 'INVALID'])
    expect(field('HIHI').snapshot.metadata).toMatchObject({ units: 'mA', precision: 3, recordType: 'ai' })
  })

  it('writes .EGU to the units, posting DBE_PROPERTY on the PV and a value update on the field', async () => {
    const { pv, field } = analog()
    const egu = field('EGU')
    const pvPosts: PvPost[] = []
    const eguPosts: PvPost[] = []
    pv.onDidPost((post) => pvPosts.push(post))
    egu.onDidPost((post) => eguPosts.push(post))
    expect(await write(egu, Object.freeze(['uA']))).toEqual({ status: Eca.NORMAL })
    expect(pv.spec.units).toBe('uA')
    expect(pv.snapshot.metadata.units).toBe('uA')
    expect(pvPosts.map((post) => post.mask)).toEqual([EventMask.PROPERTY])
    expect(eguPosts.map((post) => [post.snapshot.value[0], post.mask])).toEqual([
      ['uA', EventMask.VALUE | EventMask.LOG],
    ])
    expect((await write(egu, Object.freeze(['too long units']))).status).toBe(Eca.PUTFAIL)
  })

  it('writes limits and severities the EPICS way', async () => {
    const { pv, field } = analog()
    await write(field('DRVH'), Float64Array.of(100))
    expect(pv.spec.controlLimits).toEqual({ low: 0, high: 100 })
    expect((await pv.put(150)).status).toBe(Eca.PUTFAIL)
    await write(field('DRVH'), Float64Array.of(Number.NaN))
    expect(pv.spec.controlLimits).toEqual({ low: 0 })
    // LOW is unset (reads 0, LSV NO_ALARM); giving it a severity enables it at 0.
    await write(field('LSV'), Uint16Array.of(AlarmSeverity.MINOR))
    expect(pv.spec.alarmLimits).toMatchObject({ low: 0, lowSeverity: 1 })
    await write(field('LOW'), Float64Array.of(10))
    await pv.put(4)
    expect(pv.snapshot).toMatchObject({ status: AlarmStatus.LOW, severity: AlarmSeverity.MINOR })
    // Severity NO_ALARM turns the limit off but keeps its value.
    await write(field('LSV'), Uint16Array.of(0))
    await pv.put(3)
    expect(pv.severity).toBe(0)
    expect(first(field('LOW'))).toBe(10)
  })

  it('re-processes on a .PROC put: the putter runs and the value is written again', async () => {
    const { pv, field } = analog()
    const seen: unknown[] = []
    pv.setHooks({ putter: (_pv, value) => void seen.push(value) })
    const before = pv.snapshot
    expect(await write(field('PROC'), Uint8Array.of(1))).toEqual({ status: Eca.NORMAL })
    expect(seen).toEqual([5])
    expect(pv.snapshot).not.toBe(before)
    expect(pv.snapshot.secondsPastEpoch).toBeGreaterThanOrEqual(before.secondsPastEpoch)
  })

  it('serves .STAT and .SEVR as menus that post with DBE_ALARM when the alarm changes', async () => {
    const { pv, field } = analog()
    const stat = field('STAT')
    expect(stat.snapshot.metadata.enumStrings[AlarmStatus.UDF]).toBe('UDF')
    const posts: PvPost[] = []
    stat.onDidPost((post) => posts.push(post))
    await pv.put(6)
    await pv.put(320)
    await pv.put(321)
    expect(posts.map((post) => [post.snapshot.value[0], post.mask])).toEqual([
      [AlarmStatus.HIGH, EventMask.VALUE | EventMask.LOG | EventMask.ALARM],
    ])
    expect(posts[0].snapshot.severity).toBe(AlarmSeverity.MINOR)
    expect(first(field('SEVR'))).toBe(AlarmSeverity.MINOR)
    expect(write(stat, Uint16Array.of(0))).toMatchObject({ status: Eca.NOWTACCESS })
  })

  it('announces .SCAN changes for the scan loop and refuses unknown menu entries', async () => {
    const { pv, field } = analog()
    const scans: ScanSetting[] = []
    pv.onDidChangeScan((setting) => scans.push(setting))
    await write(field('SCAN'), Uint16Array.of(6))
    expect(scans).toEqual([{ index: 6, label: '1 second', periodSeconds: 1 }])
    expect(first(field('SCAN'))).toBe(6)
    expect((await write(field('SCAN'), Uint16Array.of(42))).status).toBe(Eca.PUTFAIL)
    pv.setScan('.1 second')
    expect(pv.scan.periodSeconds).toBe(0.1)
  })

  it('maps ZNAM/ONAM and ZRST…FFST to enum states', async () => {
    const db = new PvDatabase()
    const pv = db.define({
      name: 'R:BO',
      type: 'ENUM',
      recordType: 'bo',
      enumStrings: ['Off', 'On'],
      value: 0,
    })
    expect(first(db.resolve('R:BO.ZNAM')!)).toBe('Off')
    expect(first(db.resolve('R:BO.ONST')!)).toBe('On')
    expect(first(db.resolve('R:BO.FFST')!)).toBe('')
    const posts: PvPost[] = []
    pv.onDidPost((post) => posts.push(post))
    await write(db.resolve('R:BO.ONAM')!, Object.freeze(['Running']))
    await write(db.resolve('R:BO.THST')!, Object.freeze(['Fault']))
    expect(pv.spec.enumStrings).toEqual(['Off', 'Running', '', 'Fault'])
    expect(posts.map((post) => post.mask)).toEqual([EventMask.PROPERTY, EventMask.PROPERTY])
    expect(db.resolve('R:BO.EGU')).toBeUndefined()
  })

  it('of a read-only PV: the value (and .PROC) refuse writes, settings fields take them; NELM/NORD', async () => {
    const db = new PvDatabase()
    const wave = db.define({
      name: 'R:WF',
      type: 'FLOAT',
      recordType: 'waveform',
      maxLength: 100,
      value: [1, 2, 3],
      readOnly: true,
    })
    const field = (name: string) => db.resolve(`R:WF.${name}`)!
    expect(first(field('NELM'))).toBe(100)
    expect(first(field('NORD'))).toBe(3)
    expect(await write(field('PROC'), Uint8Array.of(1))).toMatchObject({ status: Eca.NOWTACCESS })
    expect(field('PROC').accessFor(client())).toBe(AccessRights.READ)
    expect(await write(field('EGU'), Object.freeze(['V']))).toEqual({ status: Eca.NORMAL })
    expect(await write(field('DESC'), Object.freeze(['Spectrum']))).toEqual({ status: Eca.NORMAL })
    expect(await write(field('SCAN'), Uint16Array.of(6))).toEqual({ status: Eca.NORMAL })
    expect(wave.spec).toMatchObject({ units: 'V', description: 'Spectrum', readOnly: true })
    expect(wave.scan.index).toBe(6)
    expect(field('NELM').accessFor(client())).toBe(AccessRights.READ)
    await wave.put([1, 2, 3, 4, 5])
    expect(first(field('NORD'))).toBe(5)

    // Access rules cover every field.
    db.setAccessRules({ rules: [{ pvPattern: 'R:*', access: 'READ' }] })
    expect(await write(field('DESC'), Object.freeze(['x']))).toMatchObject({ status: Eca.NOWTACCESS })
    expect(wave.spec.description).toBe('Spectrum')
  })

  it('lists the fields a PV serves', () => {
    const { pv } = analog()
    expect(fieldNames(pv.spec)).toEqual(
      expect.arrayContaining(['DESC', 'EGU', 'HIHI', 'HHSV', 'SCAN', 'PROC']),
    )
    expect(fieldNames({ ...pv.spec, recordType: undefined })).toEqual([])
  })

  it('goes away when the record type is removed', () => {
    const { db, pv } = analog()
    const egu = db.resolve('R:AI.EGU')!
    let removed = 0
    egu.onDidRemove(() => removed++)
    pv.writeMetadata({ recordType: undefined })
    expect(removed).toBe(1)
    expect(db.resolve('R:AI.EGU')).toBeUndefined()
  })
})

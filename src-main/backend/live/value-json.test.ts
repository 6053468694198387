import { describe, expect, it } from 'vitest'
import { ALARM_SEVERITY_NAMES, ALARM_STATUS_NAMES, LIVE_ARRAY_ELEMENTS } from '@shared/api/live'
import { ALARM_SEVERITY_STRINGS, ALARM_STATUS_STRINGS, PvDatabase } from '../../ioc'
import { livePvInfoOf, liveValueOf } from './value-json'

describe('live values', () => {
  it('use the IOC alarm vocabulary', () => {
    expect(ALARM_SEVERITY_NAMES).toEqual(ALARM_SEVERITY_STRINGS)
    expect(ALARM_STATUS_NAMES).toEqual(ALARM_STATUS_STRINGS)
  })

  it('carry scalars, enums, strings, long strings and arrays as JSON can', () => {
    const db = new PvDatabase()
    const of = (spec: Parameters<PvDatabase['define']>[0]) => {
      const pv = db.define(spec)
      return liveValueOf(pv, pv.snapshot, 1)
    }
    expect(of({ name: 'd', type: 'DOUBLE', value: 1.25 })).toMatchObject({ value: 1.25, length: 1 })
    expect(of({ name: 'inf', type: 'DOUBLE', value: -Infinity }).value).toBe('-Infinity')
    expect(of({ name: 'e', type: 'ENUM', enumStrings: ['Off', 'On'], value: 'On' }).value).toBe(1)
    expect(of({ name: 's', type: 'STRING', value: 'hello' }).value).toBe('hello')
    expect(
      of({ name: 'ls', type: 'CHAR', longString: true, maxLength: 300, value: 'a long text' }),
    ).toMatchObject({
      value: 'a long text',
      length: 11,
    })
    const big = Array.from({ length: 5000 }, (_, i) => i)
    const wave = of({ name: 'w', type: 'FLOAT', maxLength: 5000, value: big })
    expect(wave.length).toBe(5000)
    expect(wave.value).toHaveLength(LIVE_ARRAY_ELEMENTS)
    expect((wave.value as number[])[4095]).toBe(4095)
  })

  it('give the time in Unix milliseconds, 0 before the first write, and the alarm', () => {
    const db = new PvDatabase()
    const never = db.define({ name: 'u', type: 'DOUBLE' })
    expect(liveValueOf(never, never.snapshot, 0)).toMatchObject({ time: 0, severity: 3, status: 17 })
    const pv = db.define({ name: 'a', type: 'DOUBLE', value: 1, alarmLimits: { hihi: 10 } })
    pv.putNow(11)
    const value = liveValueOf(pv, pv.snapshot, 1)
    expect(value).toMatchObject({ severity: 2, status: 3 })
    expect(Math.abs(value.time - Date.now())).toBeLessThan(5000)
  })

  it('describe a PV for the table', () => {
    const db = new PvDatabase()
    const pv = db.define({
      name: 'm',
      type: 'DOUBLE',
      units: 'mm',
      precision: 3,
      description: 'motor',
      readOnly: true,
      displayLimits: { low: -1 },
    })
    expect(livePvInfoOf(pv)).toEqual({
      name: 'm',
      type: 'DOUBLE',
      maxLength: 1,
      longString: false,
      units: 'mm',
      precision: 3,
      enumStrings: [],
      description: 'motor',
      writable: false,
      displayLow: -1,
      displayHigh: null,
    })
  })
})

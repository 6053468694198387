import { describe, expect, it } from 'vitest'
import { AlarmSeverity, AlarmStatus, ALARM_STATUS_STRINGS, evaluateLimitAlarm } from './alarm'
import type { AlarmLimitName, LimitAlarmConfig } from './alarm'

const limits: LimitAlarmConfig = {
  lolo: 0,
  low: 10,
  high: 90,
  hihi: 100,
  loloSeverity: AlarmSeverity.MAJOR,
  lowSeverity: AlarmSeverity.MINOR,
  highSeverity: AlarmSeverity.MINOR,
  hihiSeverity: AlarmSeverity.MAJOR,
  hysteresis: 0,
}

/** Feeds values in order, carrying the remembered limit like the PV does; returns the status names. */
function run(config: LimitAlarmConfig, values: number[]): string[] {
  let last: AlarmLimitName | undefined
  return values.map((value) => {
    const alarm = evaluateLimitAlarm(value, config, last)
    last = alarm.limit
    return `${ALARM_STATUS_STRINGS[alarm.status]}/${alarm.severity}`
  })
}

describe('evaluateLimitAlarm', () => {
  it('raises each limit at and beyond its value, with its severity', () => {
    expect(run(limits, [50, 90, 99.9, 100, 150, 10, 9, 0, -5])).toEqual([
      'NO_ALARM/0',
      'HIGH/1',
      'HIGH/1',
      'HIHI/2',
      'HIHI/2',
      'LOW/1',
      'LOW/1',
      'LOLO/2',
      'LOLO/2',
    ])
  })

  it('treats an absent limit or a limit with severity NO_ALARM as off', () => {
    const highOnly: LimitAlarmConfig = { ...limits, lolo: undefined, low: undefined, hihi: undefined }
    // The caproto trap: with only a high limit set, values at or below 0 must not alarm.
    expect(run(highOnly, [-1000, 0, 95])).toEqual(['NO_ALARM/0', 'NO_ALARM/0', 'HIGH/1'])
    const hihiOff: LimitAlarmConfig = { ...limits, hihiSeverity: 0 }
    expect(run(hihiOff, [200])).toEqual(['HIGH/1'])
  })

  it('uses configured severities, including INVALID', () => {
    expect(run({ ...limits, highSeverity: AlarmSeverity.INVALID }, [95])).toEqual(['HIGH/3'])
  })

  it('keeps an alarm until the value is more than the hysteresis back inside the limit', () => {
    const hyst: LimitAlarmConfig = { ...limits, hysteresis: 5 }
    expect(run(hyst, [92, 87, 85.5, 84.9, 85])).toEqual([
      'HIGH/1',
      'HIGH/1',
      'HIGH/1',
      'NO_ALARM/0',
      'NO_ALARM/0',
    ])
    expect(run(hyst, [100, 96, 95, 94.9])).toEqual(['HIHI/2', 'HIHI/2', 'HIHI/2', 'HIGH/1'])
    expect(run(hyst, [5, 14, 15.1])).toEqual(['LOW/1', 'LOW/1', 'NO_ALARM/0'])
    expect(run(hyst, [-1, 4, 5.5])).toEqual(['LOLO/2', 'LOLO/2', 'LOW/1'])
  })

  it('applies hysteresis only to the limit that raised the alarm', () => {
    // Coming down from HIHI into the HIGH band, HIGH has no hysteresis of its own yet.
    const hyst: LimitAlarmConfig = { ...limits, hysteresis: 5 }
    expect(run(hyst, [50, 88])).toEqual(['NO_ALARM/0', 'NO_ALARM/0'])
  })

  it('raises nothing for NaN', () => {
    expect(run(limits, [Number.NaN])).toEqual(['NO_ALARM/0'])
  })

  it('reports the status numbers EPICS uses', () => {
    expect([AlarmStatus.HIHI, AlarmStatus.HIGH, AlarmStatus.LOLO, AlarmStatus.LOW, AlarmStatus.UDF]).toEqual([
      3, 4, 5, 6, 17,
    ])
    expect(ALARM_STATUS_STRINGS).toHaveLength(22)
    expect(ALARM_STATUS_STRINGS[11]).toBe('HWLIMIT')
  })
})

/**
 * Alarm vocabulary (menuAlarmStat / menuAlarmSevr) and the value-alarm rule of an EPICS ai record: HIHI, LOLO,
 * HIGH, LOW in that order, a limit whose severity is NO_ALARM is off, and hysteresis keeps an alarm raised until
 * the value has moved HYST back past the limit that raised it. Pure functions, no state of their own.
 */

export const AlarmSeverity = { NO_ALARM: 0, MINOR: 1, MAJOR: 2, INVALID: 3 } as const
export type AlarmSeverity = (typeof AlarmSeverity)[keyof typeof AlarmSeverity]

export const AlarmStatus = {
  NO_ALARM: 0,
  READ: 1,
  WRITE: 2,
  HIHI: 3,
  HIGH: 4,
  LOLO: 5,
  LOW: 6,
  STATE: 7,
  COS: 8,
  COMM: 9,
  TIMEOUT: 10,
  HWLIMIT: 11,
  CALC: 12,
  SCAN: 13,
  LINK: 14,
  SOFT: 15,
  BAD_SUB: 16,
  UDF: 17,
  DISABLE: 18,
  SIMM: 19,
  READ_ACCESS: 20,
  WRITE_ACCESS: 21,
} as const

/** Status strings as alarmString.c spells them, indexed by status number. */
export const ALARM_STATUS_STRINGS: readonly string[] = Object.freeze(Object.keys(AlarmStatus))
export const ALARM_SEVERITY_STRINGS: readonly string[] = Object.freeze([
  'NO_ALARM',
  'MINOR',
  'MAJOR',
  'INVALID',
])

export function isAlarmSeverity(value: unknown): value is AlarmSeverity {
  return value === 0 || value === 1 || value === 2 || value === 3
}

export function isAlarmStatus(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < ALARM_STATUS_STRINGS.length
}

export type AlarmLimitName = 'hihi' | 'high' | 'low' | 'lolo'

/** The enabled value-alarm limits of a PV; a limit is on when its value is present and its severity is not 0. */
export interface LimitAlarmConfig {
  readonly hihi?: number
  readonly high?: number
  readonly low?: number
  readonly lolo?: number
  readonly hihiSeverity: number
  readonly highSeverity: number
  readonly lowSeverity: number
  readonly loloSeverity: number
  readonly hysteresis: number
}

export interface LimitAlarm {
  readonly status: number
  readonly severity: number
  /** The limit that raised the alarm, remembered for hysteresis (rsrv's LALM); undefined when no alarm. */
  readonly limit: AlarmLimitName | undefined
}

export const NO_LIMIT_ALARM: LimitAlarm = Object.freeze({
  status: AlarmStatus.NO_ALARM,
  severity: AlarmSeverity.NO_ALARM,
  limit: undefined,
})

const STATUS_OF_LIMIT: Readonly<Record<AlarmLimitName, number>> = {
  hihi: AlarmStatus.HIHI,
  high: AlarmStatus.HIGH,
  low: AlarmStatus.LOW,
  lolo: AlarmStatus.LOLO,
}

// One frozen result per (limit, severity): evaluating alarms on every write allocates nothing.
const RESULTS = new Map<string, LimitAlarm>()
function result(limit: AlarmLimitName, severity: number): LimitAlarm {
  const key = `${limit}${severity}`
  let found = RESULTS.get(key)
  if (!found) {
    found = Object.freeze({ status: STATUS_OF_LIMIT[limit], severity, limit })
    RESULTS.set(key, found)
  }
  return found
}

/**
 * The value alarm for `value`, given the limit that was in alarm after the previous evaluation (`lastLimit`).
 * Upper limits alarm at value >= limit, lower ones at value <= limit; with hysteresis an alarm already raised by
 * a limit stays until the value is more than `hysteresis` back inside it. NaN raises nothing.
 */
export function evaluateLimitAlarm(
  value: number,
  config: LimitAlarmConfig,
  lastLimit: AlarmLimitName | undefined,
): LimitAlarm {
  const hyst = config.hysteresis
  const { hihi, lolo, high, low } = config
  if (hihi !== undefined && config.hihiSeverity > 0) {
    if (value >= hihi || (lastLimit === 'hihi' && value >= hihi - hyst))
      return result('hihi', config.hihiSeverity)
  }
  if (lolo !== undefined && config.loloSeverity > 0) {
    if (value <= lolo || (lastLimit === 'lolo' && value <= lolo + hyst))
      return result('lolo', config.loloSeverity)
  }
  if (high !== undefined && config.highSeverity > 0) {
    if (value >= high || (lastLimit === 'high' && value >= high - hyst))
      return result('high', config.highSeverity)
  }
  if (low !== undefined && config.lowSeverity > 0) {
    if (value <= low || (lastLimit === 'low' && value <= low + hyst)) return result('low', config.lowSeverity)
  }
  return NO_LIMIT_ALARM
}

/**
 * What a validated spec means for the wire and for alarm evaluation: the PvMetadata the GR/CTRL DBR families
 * carry (an unset limit is sent as 0, as rsrv zero-fills) and the enabled value-alarm limits.
 */
import { EMPTY_METADATA } from '../ca/wire/snapshot'
import type { PvMetadata } from '../ca/wire/snapshot'
import { AlarmSeverity } from './alarm'
import type { LimitAlarmConfig } from './alarm'
import type { PvSpec } from './spec'

export const DEFAULT_SEVERITIES = {
  hihiSeverity: AlarmSeverity.MAJOR,
  highSeverity: AlarmSeverity.MINOR,
  lowSeverity: AlarmSeverity.MINOR,
  loloSeverity: AlarmSeverity.MAJOR,
} as const

export function metadataOf(spec: PvSpec): PvMetadata {
  const display = spec.displayLimits
  const control = spec.controlLimits
  const alarms = spec.alarmLimits
  return Object.freeze({
    ...EMPTY_METADATA,
    units: spec.units ?? '',
    precision: spec.precision ?? 0,
    upperDisplayLimit: display?.high ?? 0,
    lowerDisplayLimit: display?.low ?? 0,
    upperAlarmLimit: alarms?.hihi ?? 0,
    upperWarningLimit: alarms?.high ?? 0,
    lowerWarningLimit: alarms?.low ?? 0,
    lowerAlarmLimit: alarms?.lolo ?? 0,
    upperControlLimit: control?.high ?? 0,
    lowerControlLimit: control?.low ?? 0,
    enumStrings: spec.enumStrings ?? EMPTY_METADATA.enumStrings,
    recordType: spec.recordType ?? '',
  })
}

/** Field-by-field comparison, so an unchanged redefinition keeps the same metadata object (and posts nothing). */
export function sameMetadata(a: PvMetadata, b: PvMetadata): boolean {
  if (a === b) return true
  for (const key of Object.keys(a) as (keyof PvMetadata)[]) {
    if (key === 'enumStrings') {
      const x = a.enumStrings
      const y = b.enumStrings
      if (x.length !== y.length || x.some((s, i) => s !== y[i])) return false
    } else if (a[key] !== b[key]) return false
  }
  return true
}

export function limitAlarmConfigOf(spec: PvSpec): LimitAlarmConfig | undefined {
  const alarms = spec.alarmLimits
  if (!alarms || (alarms.hihi ?? alarms.high ?? alarms.low ?? alarms.lolo) === undefined) return undefined
  return Object.freeze({
    hihi: alarms.hihi,
    high: alarms.high,
    low: alarms.low,
    lolo: alarms.lolo,
    hihiSeverity: alarms.hihiSeverity ?? DEFAULT_SEVERITIES.hihiSeverity,
    highSeverity: alarms.highSeverity ?? DEFAULT_SEVERITIES.highSeverity,
    lowSeverity: alarms.lowSeverity ?? DEFAULT_SEVERITIES.lowSeverity,
    loloSeverity: alarms.loloSeverity ?? DEFAULT_SEVERITIES.loloSeverity,
    hysteresis: alarms.hysteresis ?? 0,
  })
}

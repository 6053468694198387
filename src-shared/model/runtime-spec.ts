/**
 * What a document PV means to the soft IOC runtime: the runtime's PV spec (src-main/ioc's PvSpec, same field
 * names; src-shared cannot import it, a test checks the two agree). Switched-off limits are left out, severities
 * become numbers, a LONG_STRING is CHAR text. The backend and `ioc-studio check` can use it to list and
 * validate PVs without running Python; tests compare it with what the shim serves for an exported script.
 */
import { isNumericType, maxLengthOf, SEVERITIES } from './project'
import type { Limit, PvDefinition, Severity } from './project'

export interface RuntimePvSpec {
  readonly name: string
  readonly type: 'STRING' | 'SHORT' | 'LONG' | 'FLOAT' | 'DOUBLE' | 'ENUM' | 'CHAR'
  readonly maxLength?: number
  readonly longString?: boolean
  readonly value?: number | string | readonly number[] | readonly string[]
  readonly readOnly?: boolean
  readonly description?: string
  readonly recordType?: string
  readonly units?: string
  readonly precision?: number
  readonly displayLimits?: { readonly low?: number; readonly high?: number }
  readonly controlLimits?: {
    readonly low?: number
    readonly high?: number
    readonly mode?: 'reject' | 'clamp'
  }
  readonly alarmLimits?: {
    readonly lolo?: number
    readonly low?: number
    readonly high?: number
    readonly hihi?: number
    readonly loloSeverity?: 0 | 1 | 2 | 3
    readonly lowSeverity?: 0 | 1 | 2 | 3
    readonly highSeverity?: 0 | 1 | 2 | 3
    readonly hihiSeverity?: 0 | 1 | 2 | 3
    readonly hysteresis?: number
  }
  readonly enumStrings?: readonly string[]
  readonly monitorDeadband?: number
  readonly archiveDeadband?: number
  readonly alarmGroup?: string
  readonly udfSeverity?: 0 | 1 | 2 | 3
}

export function severityNumber(severity: Severity): 0 | 1 | 2 | 3 {
  return SEVERITIES.indexOf(severity) as 0 | 1 | 2 | 3
}

function enabled(limit: Limit | undefined): number | undefined {
  return limit?.enabled ? limit.value : undefined
}

/** Drops undefined fields, and the object itself when nothing is left. */
function compact<T extends object>(object: T): T | undefined {
  const entries = Object.entries(object).filter(([, value]) => value !== undefined)
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined
}

/**
 * The runtime spec of a document PV under its full name. `alarmGroup` is the document's name; PVs of different
 * groups (SubGroups) never share an alarm, so a caller serving several groups should make it unique per group.
 */
export function runtimeSpecOf(pv: PvDefinition, fullName: string): RuntimePvSpec {
  const numeric = isNumericType(pv.type)
  const alarms = pv.alarmLimits
  const severity = (key: 'lolo' | 'low' | 'high' | 'hihi') => {
    const limit = alarms?.[key]
    return limit?.enabled && limit.severity !== undefined ? severityNumber(limit.severity) : undefined
  }
  const spec = {
    name: fullName,
    type: pv.type === 'LONG_STRING' ? 'CHAR' : pv.type,
    maxLength: maxLengthOf(pv) !== 1 ? maxLengthOf(pv) : undefined,
    longString: pv.type === 'LONG_STRING' ? true : undefined,
    value: pv.value,
    readOnly: pv.readOnly,
    description: pv.description,
    recordType: pv.recordType,
    units: pv.units,
    precision: pv.precision,
    displayLimits: numeric
      ? compact({ low: enabled(pv.displayLimits?.low), high: enabled(pv.displayLimits?.high) })
      : undefined,
    controlLimits: numeric
      ? (() => {
          const low = enabled(pv.controlLimits?.low)
          const high = enabled(pv.controlLimits?.high)
          const mode = low !== undefined || high !== undefined ? pv.controlLimits?.mode : undefined
          return compact({ low, high, mode })
        })()
      : undefined,
    alarmLimits: numeric
      ? compact({
          lolo: enabled(alarms?.lolo),
          low: enabled(alarms?.low),
          high: enabled(alarms?.high),
          hihi: enabled(alarms?.hihi),
          loloSeverity: severity('lolo'),
          lowSeverity: severity('low'),
          highSeverity: severity('high'),
          hihiSeverity: severity('hihi'),
          hysteresis: alarms?.hysteresis,
        })
      : undefined,
    enumStrings: pv.enumStrings,
    monitorDeadband: pv.monitorDeadband,
    archiveDeadband: pv.archiveDeadband,
    alarmGroup: pv.alarmGroup,
    udfSeverity:
      pv.udfSeverity !== undefined && pv.value === undefined ? severityNumber(pv.udfSeverity) : undefined,
  }
  return compact(spec) as RuntimePvSpec
}

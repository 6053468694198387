/**
 * The PV specification: everything the soft IOC runtime supports for one PV, and its validation. Every error
 * names the offending field ("enumStrings: 17 states, at most 16") so the project editor can point at it.
 */
import { isAlarmSeverity } from './alarm'
import type { AlarmSeverity } from './alarm'
import {
  isLatin1,
  isNumericType,
  MAX_ENUM_STATES,
  MAX_ENUM_STRING_LENGTH,
  toNativeValue,
  ValueError,
} from './values'
import type { ValueShape } from './values'

export type PvTypeName = 'STRING' | 'SHORT' | 'LONG' | 'FLOAT' | 'DOUBLE' | 'ENUM' | 'CHAR'
export const PV_TYPE_NAMES: readonly PvTypeName[] = [
  'STRING',
  'SHORT',
  'LONG',
  'FLOAT',
  'DOUBLE',
  'ENUM',
  'CHAR',
]

export interface LimitPair {
  readonly low?: number
  readonly high?: number
}

export interface ControlLimits extends LimitPair {
  /** What a put outside the limits does: 'reject' (ECA_PUTFAIL, the default) or 'clamp' to the nearest limit. */
  readonly mode?: 'reject' | 'clamp'
}

export interface AlarmLimits {
  readonly lolo?: number
  readonly low?: number
  readonly high?: number
  readonly hihi?: number
  /** Defaults: MAJOR, MINOR, MINOR, MAJOR. A severity of 0 turns that limit off (as in an ai record). */
  readonly loloSeverity?: AlarmSeverity
  readonly lowSeverity?: AlarmSeverity
  readonly highSeverity?: AlarmSeverity
  readonly hihiSeverity?: AlarmSeverity
  readonly hysteresis?: number
}

export interface PvSpec {
  /** Full PV name (prefix included). */
  readonly name: string
  readonly type: PvTypeName
  /** Array capacity (default 1; 256 for long strings). CHAR + longString stores text as a char array. */
  readonly maxLength?: number
  readonly longString?: boolean
  /** Initial value as a JavaScript value: number | string | boolean | number[] | string[]. */
  readonly value?: unknown
  /** Read-only over CA only; internal writes still work. */
  readonly readOnly?: boolean
  readonly description?: string
  readonly recordType?: string
  readonly units?: string
  readonly precision?: number
  /** Each limit is enabled only when present. */
  readonly displayLimits?: LimitPair
  readonly controlLimits?: ControlLimits
  readonly alarmLimits?: AlarmLimits
  readonly enumStrings?: readonly string[]
  /** MDEL: 0 = post on any change (the default), < 0 = post on every write. */
  readonly monitorDeadband?: number
  /** ADEL, the same for DBE_LOG. */
  readonly archiveDeadband?: number
  /** PVs naming the same group share one alarm; by default each PV has its own. */
  readonly alarmGroup?: string
  /** Severity while never written (status UDF); default INVALID. Only used when no initial value is given. */
  readonly udfSeverity?: AlarmSeverity
}

/** What `writeMetadata` may change at run time (type, size and name need a redefinition). */
export type MetadataPatch = Partial<Omit<PvSpec, 'name' | 'type' | 'maxLength' | 'longString' | 'value'>>

export class SpecError extends Error {
  override readonly name = 'SpecError'
  constructor(
    /** The PV the spec is for ('' when the name itself is missing). */
    readonly pvName: string,
    /** The offending field, e.g. 'enumStrings' or 'alarmLimits.hihiSeverity'. */
    readonly field: string,
    detail: string,
  ) {
    super(`${pvName ? `${pvName}: ` : ''}${field}: ${detail}`)
  }
}

const SPEC_KEYS = [
  'name',
  'type',
  'maxLength',
  'longString',
  'value',
  'readOnly',
  'description',
  'recordType',
  'units',
  'precision',
  'displayLimits',
  'controlLimits',
  'alarmLimits',
  'enumStrings',
  'monitorDeadband',
  'archiveDeadband',
  'alarmGroup',
  'udfSeverity',
] as const
const LIMIT_KEYS = ['low', 'high']
const CONTROL_KEYS = ['low', 'high', 'mode']
const ALARM_KEYS = [
  'lolo',
  'low',
  'high',
  'hihi',
  'loloSeverity',
  'lowSeverity',
  'highSeverity',
  'hihiSeverity',
  'hysteresis',
]
/** Keys a redefinition cannot change in place: they change the channel's native type or declared count. */
const CHANNEL_KEYS = ['type', 'maxLength', 'longString'] as const

export const MAX_ARRAY_LENGTH = 16_777_216
export const DEFAULT_LONG_STRING_LENGTH = 256
const MAX_NAME_LENGTH = 499
const MAX_UNITS_LENGTH = 7
const MAX_RECORD_TYPE_LENGTH = 39

function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase()
  return known.find((candidate) => {
    const c = candidate.toLowerCase()
    return c === lower || c.startsWith(lower) || lower.startsWith(c)
  })
}

function checkKeys(pv: string, where: string, object: object, known: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue
    const guess = closest(key, known)
    throw new SpecError(
      pv,
      where ? `${where}.${key}` : key,
      `unknown field${guess ? ` (did you mean '${guess}'?)` : ''}`,
    )
  }
}

function checkFinite(pv: string, field: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw new SpecError(pv, field, `${String(value)} is not a finite number`)
  }
}

function checkObject(pv: string, field: string, value: unknown, keys: readonly string[]): void {
  if (value === undefined) return
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpecError(pv, field, 'must be an object')
  }
  checkKeys(pv, field, value, keys)
}

function checkPair(pv: string, field: string, pair: LimitPair | undefined): void {
  if (!pair) return
  checkFinite(pv, `${field}.low`, pair.low)
  checkFinite(pv, `${field}.high`, pair.high)
  if (pair.low !== undefined && pair.high !== undefined && pair.low > pair.high) {
    throw new SpecError(pv, field, `low ${pair.low} is above high ${pair.high}`)
  }
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new SpecError('', 'name', 'a PV needs a non-empty name')
  if (name.length > MAX_NAME_LENGTH)
    throw new SpecError(name.slice(0, 40), 'name', `longer than ${MAX_NAME_LENGTH} characters`)
  if (!/^[\x21-\x7e]+$/.test(name)) {
    throw new SpecError(name, 'name', 'only printable ASCII without spaces is allowed in PV names')
  }
  if (name.endsWith('$'))
    throw new SpecError(name, 'name', "a trailing '$' is reserved for long-string access")
  return name
}

/** The value-conversion view of a validated spec. */
export function shapeOf(spec: PvSpec): ValueShape {
  return {
    type: spec.type,
    maxLength: spec.maxLength ?? 1,
    longString: spec.longString === true,
    enumStrings: spec.enumStrings ?? [],
  }
}

/** Checks the metadata-like fields of `spec` (shared by validateSpec and writeMetadata). */
function checkMetadata(pv: string, spec: PvSpec): void {
  const numeric = isNumericType(spec.type) && !spec.longString
  if (spec.readOnly !== undefined && typeof spec.readOnly !== 'boolean') {
    throw new SpecError(pv, 'readOnly', 'must be true or false')
  }
  if (spec.description !== undefined && typeof spec.description !== 'string') {
    throw new SpecError(pv, 'description', 'must be text')
  }
  if (spec.recordType !== undefined) {
    if (typeof spec.recordType !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(spec.recordType)) {
      throw new SpecError(
        pv,
        'recordType',
        `${JSON.stringify(spec.recordType)} is not a record type name like 'ai'`,
      )
    }
    if (spec.recordType.length > MAX_RECORD_TYPE_LENGTH) {
      throw new SpecError(pv, 'recordType', `at most ${MAX_RECORD_TYPE_LENGTH} characters`)
    }
  }
  if (spec.units !== undefined) {
    if (!numeric) throw new SpecError(pv, 'units', `only numeric PVs have units, this one is ${spec.type}`)
    if (typeof spec.units !== 'string' || !isLatin1(spec.units))
      throw new SpecError(pv, 'units', 'must be latin-1 text')
    if (spec.units.length > MAX_UNITS_LENGTH) {
      throw new SpecError(
        pv,
        'units',
        `${JSON.stringify(spec.units)} is ${spec.units.length} characters, CA carries at most ${MAX_UNITS_LENGTH}`,
      )
    }
  }
  if (spec.precision !== undefined) {
    if (!numeric)
      throw new SpecError(pv, 'precision', `only numeric PVs have a precision, this one is ${spec.type}`)
    if (!Number.isInteger(spec.precision) || spec.precision < 0 || spec.precision > 17) {
      throw new SpecError(pv, 'precision', `${String(spec.precision)} is not a whole number of digits 0..17`)
    }
  }
  for (const field of ['displayLimits', 'controlLimits', 'alarmLimits'] as const) {
    if (spec[field] !== undefined && !numeric) {
      throw new SpecError(
        pv,
        field,
        `only numeric PVs have limits, this one is ${spec.longString ? 'a long string' : spec.type}`,
      )
    }
  }
  checkObject(pv, 'displayLimits', spec.displayLimits, LIMIT_KEYS)
  checkPair(pv, 'displayLimits', spec.displayLimits)
  checkObject(pv, 'controlLimits', spec.controlLimits, CONTROL_KEYS)
  checkPair(pv, 'controlLimits', spec.controlLimits)
  const mode = spec.controlLimits?.mode
  if (mode !== undefined && mode !== 'reject' && mode !== 'clamp') {
    throw new SpecError(pv, 'controlLimits.mode', `${JSON.stringify(mode)} is neither 'reject' nor 'clamp'`)
  }
  const alarms = spec.alarmLimits
  checkObject(pv, 'alarmLimits', alarms, ALARM_KEYS)
  if (alarms) {
    for (const key of ['lolo', 'low', 'high', 'hihi', 'hysteresis'] as const)
      checkFinite(pv, `alarmLimits.${key}`, alarms[key])
    if (alarms.hysteresis !== undefined && alarms.hysteresis < 0) {
      throw new SpecError(pv, 'alarmLimits.hysteresis', 'must not be negative')
    }
    for (const key of ['loloSeverity', 'lowSeverity', 'highSeverity', 'hihiSeverity'] as const) {
      if (alarms[key] !== undefined && !isAlarmSeverity(alarms[key])) {
        throw new SpecError(pv, `alarmLimits.${key}`, `${String(alarms[key])} is not a severity 0..3`)
      }
    }
  }
  if (spec.enumStrings !== undefined) {
    if (spec.type !== 'ENUM')
      throw new SpecError(pv, 'enumStrings', `only ENUM PVs have states, this one is ${spec.type}`)
    if (!Array.isArray(spec.enumStrings)) throw new SpecError(pv, 'enumStrings', 'must be a list of strings')
    if (spec.enumStrings.length > MAX_ENUM_STATES) {
      throw new SpecError(pv, 'enumStrings', `${spec.enumStrings.length} states, at most ${MAX_ENUM_STATES}`)
    }
    spec.enumStrings.forEach((state, i) => {
      if (typeof state !== 'string' || !isLatin1(state))
        throw new SpecError(pv, `enumStrings[${i}]`, 'must be latin-1 text')
      if (state.length > MAX_ENUM_STRING_LENGTH) {
        throw new SpecError(
          pv,
          `enumStrings[${i}]`,
          `${JSON.stringify(state)} is ${state.length} characters, at most ${MAX_ENUM_STRING_LENGTH}`,
        )
      }
    })
  }
  checkFinite(pv, 'monitorDeadband', spec.monitorDeadband)
  checkFinite(pv, 'archiveDeadband', spec.archiveDeadband)
  if (spec.alarmGroup !== undefined && (typeof spec.alarmGroup !== 'string' || spec.alarmGroup === '')) {
    throw new SpecError(pv, 'alarmGroup', 'must be a non-empty name')
  }
  if (spec.udfSeverity !== undefined && !isAlarmSeverity(spec.udfSeverity)) {
    throw new SpecError(pv, 'udfSeverity', `${String(spec.udfSeverity)} is not a severity 0..3`)
  }
}

function freezeSpec(spec: PvSpec): PvSpec {
  const copy: Record<string, unknown> = {}
  for (const key of SPEC_KEYS) {
    const value = spec[key]
    if (value === undefined) continue
    if (key === 'value') copy[key] = Array.isArray(value) ? Object.freeze([...(value as unknown[])]) : value
    else if (Array.isArray(value)) copy[key] = Object.freeze([...value])
    else if (typeof value === 'object' && value !== null) copy[key] = Object.freeze({ ...value })
    else copy[key] = value
  }
  return Object.freeze(copy) as unknown as PvSpec
}

/**
 * Validates a spec and returns a frozen copy with `maxLength` filled in. Throws SpecError naming the field.
 */
export function validateSpec(input: PvSpec): PvSpec {
  return validate(input, true)
}

/** `checkValue` false: the initial value is left as it is (a metadata patch of a PV that already exists). */
function validate(input: PvSpec, checkValue: boolean): PvSpec {
  if (typeof input !== 'object' || input === null)
    throw new SpecError('', 'spec', 'a PV spec must be an object')
  const name = checkName(input.name)
  checkKeys(name, '', input, SPEC_KEYS)
  if (!PV_TYPE_NAMES.includes(input.type)) {
    throw new SpecError(
      name,
      'type',
      `${JSON.stringify(input.type)} is not one of ${PV_TYPE_NAMES.join(', ')}`,
    )
  }
  if (input.longString !== undefined && typeof input.longString !== 'boolean') {
    throw new SpecError(name, 'longString', 'must be true or false')
  }
  if (input.longString && input.type !== 'CHAR') {
    throw new SpecError(name, 'longString', `only CHAR PVs hold long strings, this one is ${input.type}`)
  }
  const maxLength = input.maxLength ?? (input.longString ? DEFAULT_LONG_STRING_LENGTH : 1)
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_ARRAY_LENGTH) {
    throw new SpecError(
      name,
      'maxLength',
      `${String(input.maxLength)} is not a whole number 1..${MAX_ARRAY_LENGTH}`,
    )
  }
  if (input.type === 'ENUM' && maxLength !== 1)
    throw new SpecError(name, 'maxLength', 'ENUM PVs are scalars (no enum arrays)')
  if (input.longString && maxLength < 2)
    throw new SpecError(name, 'maxLength', 'a long string needs room for at least 2 characters')
  const spec = { ...input, maxLength }
  checkMetadata(name, spec)
  if (checkValue && spec.value !== undefined) {
    try {
      toNativeValue(shapeOf(spec), spec.value)
    } catch (error) {
      if (error instanceof ValueError)
        throw new SpecError(name, 'value', error.message.replace(/^value: /, ''))
      throw error
    }
  }
  return freezeSpec(spec)
}

/**
 * Applies a metadata patch to a validated spec and validates the result. Limit objects merge key by key; a key
 * given as undefined removes that limit. Other fields replace; undefined removes them. The initial `value` is
 * not checked again: it was used when the PV was made, and new enum strings need not contain it.
 */
export function patchSpec(spec: PvSpec, patch: MetadataPatch): PvSpec {
  for (const key of Object.keys(patch)) {
    if ((CHANNEL_KEYS as readonly string[]).includes(key) || key === 'name' || key === 'value') {
      throw new SpecError(spec.name, key, 'cannot change at run time; redefine the PV instead')
    }
  }
  checkKeys(spec.name, '', patch, SPEC_KEYS)
  const merged: Record<string, unknown> = { ...spec }
  for (const [key, value] of Object.entries(patch)) {
    const isLimits = key === 'displayLimits' || key === 'controlLimits' || key === 'alarmLimits'
    if (isLimits && value !== undefined && value !== null && typeof value === 'object') {
      const next: Record<string, unknown> = { ...(merged[key] as object | undefined) }
      for (const [limit, limitValue] of Object.entries(value as object)) {
        if (limitValue === undefined) delete next[limit]
        else next[limit] = limitValue
      }
      merged[key] = Object.keys(next).length > 0 ? next : undefined
    } else merged[key] = value
  }
  return validate(merged as unknown as PvSpec, false)
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    return (
      ArrayBuffer.isView(a) &&
      ArrayBuffer.isView(b) &&
      sameJson(Array.from(a as never), Array.from(b as never))
    )
  }
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  if (keysA.length !== keysB.length) return false
  return keysA.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** True when two validated specs describe the same PV in every respect. */
export function specsEqual(a: PvSpec, b: PvSpec): boolean {
  return sameJson(a, b)
}

/** True when going from `a` to `b` changes the native type or declared count, so channels must reconnect. */
export function changesChannel(a: PvSpec, b: PvSpec): boolean {
  return CHANNEL_KEYS.some((key) => a[key] !== b[key])
}

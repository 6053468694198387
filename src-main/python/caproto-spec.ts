/**
 * caproto's PV vocabulary <-> the PV database's PvSpec. The Python shim describes each PV the way caproto does
 * (a data class, an initial value, `max_length`, and the class keywords: units, precision, the eight limits,
 * enum_strings, value_atol…); this module turns that into a PvSpec, and maps `write_metadata(...)` keywords to
 * spec patches and back.
 *
 * Differences from caproto, on purpose: a limit is enabled when it is given (caproto enables a pair only when
 * its two values differ, so a lone upper limit alarms on every value <= 0); each PV has its own alarm unless
 * it names an `alarm_group`. A limit at the outermost value of its side (float('-inf') for a lower limit,
 * float('inf') for an upper one, and for the control and alarm pairs of an integer PV its type's min/max) is
 * not set: that is how an exported script switches off one side of a pair (docs/decisions.md §10).
 */
import { INTEGER_RANGE } from '@shared/model/project'
import type { MetadataPatch, PvSpec, PvTypeName } from '../ioc'

/** One PV as the shim's `Session.describe()` reports it. */
export interface CaprotoPvDescription {
  readonly name: string
  readonly type: PvTypeName
  readonly maxLength: number
  readonly longString: boolean
  readonly value?: unknown
  readonly readOnly: boolean
  readonly doc?: string | null
  readonly record?: string | null
  readonly alarmGroup?: string
  /** A pvproperty's attribute path from its outermost group ('stage.x'): how IOC_STUDIO names it. */
  readonly attrPath?: string | null
  /** False when the pvproperty gives no value (it then starts with caproto's default). */
  readonly valueGiven?: boolean
  /** The Python data class, e.g. 'PvpropertyDouble' (for messages). */
  readonly dataClass?: string
  /** caproto's class keywords (`**cls_kwargs` of pvproperty). */
  readonly kwargs: Readonly<Record<string, unknown>>
  readonly hooks: { readonly put: boolean; readonly get: boolean }
}

export class CaprotoSpecError extends Error {
  override readonly name = 'CaprotoSpecError'
  constructor(
    readonly pvName: string,
    readonly argument: string,
    detail: string,
  ) {
    super(`${pvName}: ${argument}: ${detail}`)
  }
}

type LimitField = 'displayLimits' | 'controlLimits' | 'alarmLimits'
type Limit = readonly [LimitField, string]

/** caproto's limit keywords and where each lives in a PvSpec. */
const LIMITS: Readonly<Record<string, Limit>> = {
  upper_disp_limit: ['displayLimits', 'high'],
  lower_disp_limit: ['displayLimits', 'low'],
  upper_ctrl_limit: ['controlLimits', 'high'],
  lower_ctrl_limit: ['controlLimits', 'low'],
  upper_alarm_limit: ['alarmLimits', 'hihi'],
  upper_warning_limit: ['alarmLimits', 'high'],
  lower_warning_limit: ['alarmLimits', 'low'],
  lower_alarm_limit: ['alarmLimits', 'lolo'],
}

const NUMERIC_KEYWORDS = ['units', 'value_atol', 'log_atol', ...Object.keys(LIMITS)]
/** Keywords every caproto data class accepts. */
const COMMON_KEYWORDS = ['max_subscription_backlog', 'timestamp', 'string_encoding']
/** Keywords that have no effect here: the server bounds subscription backlogs and sizes `$` views itself. */
const IGNORED_KEYWORDS = [
  'max_subscription_backlog',
  'timestamp',
  'strip_null_terminator',
  'long_string_max_length',
]

/** The keywords caproto's data class for a PV accepts (beyond value, max_length, alarm…). */
function keywordsFor(description: CaprotoPvDescription): readonly string[] {
  switch (description.type) {
    case 'DOUBLE':
    case 'FLOAT':
      return [...NUMERIC_KEYWORDS, 'precision']
    case 'SHORT':
    case 'LONG':
      return NUMERIC_KEYWORDS
    case 'CHAR':
      return description.longString ? [] : [...NUMERIC_KEYWORDS, 'strip_null_terminator']
    case 'ENUM':
      return ['enum_strings']
    case 'STRING':
      return ['long_string_max_length']
  }
}

/** CA carries at most 7 characters of units (DBR_GR units are 8 bytes with the terminator). */
const MAX_UNITS = 7

function finite(pv: string, argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CaprotoSpecError(pv, argument, `${String(value)} is not a finite number`)
  }
  return value
}

/** The value a switched-off side of a limit pair is exported as (see the module comment). */
function isOutermost(type: PvTypeName, [field, key]: Limit, value: unknown): boolean {
  const lower = key === 'low' || key === 'lolo'
  if (value === (lower ? -Infinity : Infinity)) return true
  // Display limits are not checked in pairs, so a type's extreme there is a limit like any other.
  if (field === 'displayLimits' || !Object.hasOwn(INTEGER_RANGE, type)) return false
  const [min, max] = INTEGER_RANGE[type as keyof typeof INTEGER_RANGE]
  return value === (lower ? min : max)
}

function text(pv: string, argument: string, value: unknown): string {
  if (typeof value !== 'string') throw new CaprotoSpecError(pv, argument, `${String(value)} is not text`)
  return value
}

/**
 * Applies caproto metadata keywords to a spec patch; a limit that is not set becomes `undefined` (a patch
 * removes it). Returns warnings for what was adapted (e.g. units longer than CA carries are cut, as caproto's
 * wire encoding does).
 */
function applyKeywords(
  pv: string,
  type: PvTypeName,
  target: Record<string, unknown>,
  keywords: Readonly<Record<string, unknown>>,
  warnings: string[],
): void {
  for (const [keyword, value] of Object.entries(keywords)) {
    if (value === undefined || value === null) continue
    const limit = LIMITS[keyword]
    if (limit) {
      const [field, key] = limit
      const pair = { ...(target[field] as Record<string, number | undefined> | undefined) }
      pair[key] = isOutermost(type, limit, value) ? undefined : finite(pv, keyword, value)
      target[field] = pair
      continue
    }
    switch (keyword) {
      case 'units': {
        const units = text(pv, keyword, value)
        if (units.length > MAX_UNITS) {
          warnings.push(
            `${pv}: units ${JSON.stringify(units)} cut to ${MAX_UNITS} characters (what CA carries)`,
          )
        }
        target.units = units.slice(0, MAX_UNITS)
        break
      }
      case 'precision':
        target.precision = finite(pv, keyword, value)
        break
      case 'value_atol':
        target.monitorDeadband = finite(pv, keyword, value)
        break
      case 'log_atol':
        target.archiveDeadband = finite(pv, keyword, value)
        break
      case 'enum_strings':
        if (!Array.isArray(value)) throw new CaprotoSpecError(pv, keyword, 'must be a list of strings')
        target.enumStrings = value.map((state, i) => text(pv, `${keyword}[${i}]`, state))
        break
      case 'string_encoding':
        if (value !== 'latin-1' && value !== 'latin1') {
          throw new CaprotoSpecError(pv, keyword, `${String(value)}: IOC Studio serves text as latin-1 only`)
        }
        break
      default:
        if (!IGNORED_KEYWORDS.includes(keyword)) {
          throw new CaprotoSpecError(pv, keyword, 'is not a caproto metadata keyword')
        }
    }
  }
}

export interface MappedSpec {
  readonly spec: PvSpec
  readonly warnings: readonly string[]
}

/** The PvSpec for a PV the shim described. Throws CaprotoSpecError for keywords caproto would refuse. */
export function specFromCaproto(description: CaprotoPvDescription): MappedSpec {
  const pv = description.name
  const allowed = keywordsFor(description)
  for (const keyword of Object.keys(description.kwargs)) {
    if (allowed.includes(keyword) || COMMON_KEYWORDS.includes(keyword)) continue
    const owner = description.dataClass ?? `a PV of type ${description.type}`
    throw new CaprotoSpecError(
      pv,
      keyword,
      `not an argument of ${owner}${allowed.length > 0 ? ` (it takes ${allowed.join(', ')})` : ''}`,
    )
  }
  const warnings: string[] = []
  const spec: Record<string, unknown> = { name: pv, type: description.type }
  if (description.longString) {
    spec.longString = true
    // caproto counts characters without a terminator and allows 1; the database needs room for 2.
    spec.maxLength = Math.max(description.maxLength, 2)
  } else if (description.maxLength !== 1) spec.maxLength = description.maxLength
  if (description.value !== undefined && description.value !== null) spec.value = description.value
  if (description.readOnly) spec.readOnly = true
  if (description.doc) spec.description = description.doc
  if (description.record) spec.recordType = description.record
  if (description.alarmGroup) spec.alarmGroup = description.alarmGroup
  applyKeywords(pv, description.type, spec, description.kwargs, warnings)
  for (const [field] of Object.values(LIMITS)) dropUnset(spec, field)
  return { spec: spec as unknown as PvSpec, warnings }
}

/** A new spec has no use for limits that are not set: drops them, and the pair when nothing is left. */
function dropUnset(spec: Record<string, unknown>, field: LimitField): void {
  const pair = spec[field] as Record<string, unknown> | undefined
  if (!pair) return
  for (const key of Object.keys(pair)) if (pair[key] === undefined) delete pair[key]
  if (Object.keys(pair).length === 0) delete spec[field]
}

/**
 * `write_metadata(units=…, upper_ctrl_limit=…, enum_strings=…)` as a patch for a PV of `spec`'s type (limits
 * merge key by key; an outermost one removes that limit).
 */
export function metadataPatchFromCaproto(
  spec: Pick<PvSpec, 'name' | 'type'>,
  keywords: Readonly<Record<string, unknown>>,
): { patch: MetadataPatch; warnings: string[] } {
  const patch: Record<string, unknown> = {}
  const warnings: string[] = []
  applyKeywords(spec.name, spec.type, patch, keywords, warnings)
  return { patch: patch as MetadataPatch, warnings }
}

/** One caproto metadata keyword read from a spec (undefined when that piece is unset). */
export function caprotoMetadataOf(spec: PvSpec, keyword: string): unknown {
  const limit = LIMITS[keyword]
  if (limit) {
    const [field, key] = limit
    return (spec[field] as Record<string, unknown> | undefined)?.[key]
  }
  switch (keyword) {
    case 'units':
      return spec.units
    case 'precision':
      return spec.precision
    case 'value_atol':
      return spec.monitorDeadband
    case 'log_atol':
      return spec.archiveDeadband
    case 'enum_strings':
      return spec.enumStrings
    default:
      return undefined
  }
}

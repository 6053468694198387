/**
 * caproto's PV vocabulary <-> the PV database's PvSpec. The Python shim describes each PV the way caproto does
 * (a data class, an initial value, `max_length`, and the class keywords: units, precision, the eight limits,
 * enum_strings, value_atol…); this module turns that into a PvSpec, and maps `write_metadata(...)` keywords to
 * spec patches and back.
 *
 * Differences from caproto, on purpose: a limit is enabled when it is given (caproto enables a pair only when
 * its two values differ, so a lone upper limit alarms on every value <= 0); each PV has its own alarm unless
 * it names an `alarm_group`.
 */
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

type Limit = readonly ['displayLimits' | 'controlLimits' | 'alarmLimits', string]

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

function text(pv: string, argument: string, value: unknown): string {
  if (typeof value !== 'string') throw new CaprotoSpecError(pv, argument, `${String(value)} is not text`)
  return value
}

/**
 * Applies caproto metadata keywords to a spec patch. Returns warnings for what was adapted (e.g. units longer
 * than CA carries are cut, as caproto's wire encoding does).
 */
function applyKeywords(
  pv: string,
  target: Record<string, unknown>,
  keywords: Readonly<Record<string, unknown>>,
  warnings: string[],
): void {
  for (const [keyword, value] of Object.entries(keywords)) {
    if (value === undefined || value === null) continue
    const limit = LIMITS[keyword]
    if (limit) {
      const [field, key] = limit
      const pair = { ...(target[field] as Record<string, number> | undefined) }
      pair[key] = finite(pv, keyword, value)
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
  applyKeywords(pv, spec, description.kwargs, warnings)
  return { spec: spec as unknown as PvSpec, warnings }
}

/** `write_metadata(units=…, upper_ctrl_limit=…, enum_strings=…)` as a patch (limits merge key by key). */
export function metadataPatchFromCaproto(
  pvName: string,
  keywords: Readonly<Record<string, unknown>>,
): { patch: MetadataPatch; warnings: string[] } {
  const patch: Record<string, unknown> = {}
  const warnings: string[] = []
  applyKeywords(pvName, patch, keywords, warnings)
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

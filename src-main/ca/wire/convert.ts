/**
 * Element conversions between the seven CA value types, as an EPICS IOC performs them on gets and puts
 * (dbConvert / dbFastLinkConv / epicsStdlib). Pure functions on single elements.
 *
 * Deliberate choices where C leaves the result undefined:
 * - floating -> integer truncates toward zero and SATURATES at the target range (NaN -> 0);
 * - integer -> narrower integer WRAPS like a C cast (LONG 70000 -> SHORT 4464, SHORT -1 -> ENUM 65535), which is
 *   what rsrv does in practice;
 * - double -> float clamps to +-FLT_MAX and lifts tiny non-zero values to +-FLT_MIN (epicsConvertDoubleToFloat);
 *   NaN and infinities pass through.
 */
import { MAX_ENUM_STATES } from './dbr-types'
import { formatDouble, formatFloat } from './format'
import { NativeType } from './snapshot'

// Module-local copies: the per-element paths compare against constants, not another module's properties.
const { SHORT, FLOAT, ENUM, CHAR, LONG, DOUBLE } = NativeType

export class DbrConversionError extends Error {
  override readonly name = 'DbrConversionError'
  constructor(
    /** ECA status to report to the client, e.g. ECA_GETFAIL or ECA_PUTFAIL. */
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const FLT_MAX = 3.4028234663852886e38
const FLT_MIN = 1.1754943508222875e-38
const DBL_MIN = 2.2250738585072014e-308

/** ENUM -> STRING for an index with no state string. */
export const ILLEGAL_ENUM_STRING = 'Illegal Value'

/** Precision rsrv uses when formatting numbers for a field whose record has no PREC (e.g. stringout). */
export const DEFAULT_STRING_PRECISION = 6

export function isFloating(type: NativeType): boolean {
  return type === FLOAT || type === DOUBLE
}

/** double -> float as epicsConvertDoubleToFloat. */
export function toFloat32(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return Math.fround(value)
  const magnitude = Math.abs(value)
  if (magnitude >= FLT_MAX) return value > 0 ? FLT_MAX : -FLT_MAX
  if (magnitude <= FLT_MIN) return value > 0 ? FLT_MIN : -FLT_MIN
  return Math.fround(value)
}

function saturate(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return 0
  const truncated = Math.trunc(value)
  return truncated < min ? min : truncated > max ? max : truncated
}

/**
 * A numeric element converted to numeric type `to` (not STRING). `fromFloating` says whether the source was
 * FLOAT/DOUBLE (saturating truncation) or an integer type (C cast wrap-around).
 */
export function castNumber(value: number, fromFloating: boolean, to: NativeType): number {
  switch (to) {
    case SHORT:
      return fromFloating ? saturate(value, -0x8000, 0x7fff) : (value << 16) >> 16
    case ENUM:
      return fromFloating ? saturate(value, 0, 0xffff) : value & 0xffff
    case CHAR:
      return fromFloating ? saturate(value, 0, 0xff) : value & 0xff
    case LONG:
      return fromFloating ? saturate(value, -0x80000000, 0x7fffffff) : value | 0
    case FLOAT:
      return toFloat32(value)
    case DOUBLE:
      return value
    default:
      throw new RangeError(`castNumber: ${to} is not a numeric type`)
  }
}

/**
 * A numeric element of type `from` as text: integers (CHAR and ENUM included) in decimal, FLOAT/DOUBLE with
 * `precision` decimals the cvtFast way.
 */
export function numberToString(value: number, from: NativeType, precision: number): string {
  if (from === DOUBLE) return formatDouble(value, precision)
  if (from === FLOAT) return formatFloat(value, precision)
  return String(value)
}

/** Only the first 16 states exist on the wire (GR/CTRL_ENUM), so only they count here too. */
function stateCount(enumStrings: readonly string[]): number {
  return Math.min(enumStrings.length, MAX_ENUM_STATES)
}

/** ENUM -> STRING: the state string, or "Illegal Value" when the index has none. */
export function enumToString(index: number, enumStrings: readonly string[]): string {
  return index < stateCount(enumStrings) ? enumStrings[index] : ILLEGAL_ENUM_STRING
}

// C isspace() in the "C" locale.
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13)
}

function skipSpace(text: string): number {
  let i = 0
  while (i < text.length && isSpace(text.charCodeAt(i))) i++
  return i
}

/**
 * strtol/strtoul base 10 as epicsParseLong uses it: leading whitespace, optional sign, decimal digits; whatever
 * follows the digits is ignored ("3.7" -> 3, "12 mm" -> 12). NaN when there are no digits.
 */
function parseDecimalPrefix(text: string): number {
  let i = skipSpace(text)
  let negative = false
  const signCode = text.charCodeAt(i)
  if (signCode === 43 || signCode === 45) {
    negative = signCode === 45
    i++
  }
  const start = i
  let value = 0
  for (; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) break
    value = value * 10 + digit
  }
  if (i === start) return NaN
  return negative ? -value : value
}

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?/
const NAN_OR_INFINITY = /^([+-]?)(?:(inf(?:inity)?)|nan(?:\([0-9A-Za-z_]*\))?)/i

/**
 * strtod as epicsParseDouble uses it: leading whitespace, decimal or hex (0x1.8p3) notation, inf/infinity/nan
 * in any case; trailing text ignored. Undefined when nothing parses, and where strtod sets ERANGE: overflow to
 * infinity, and underflow to a subnormal or to 0 (epicsParseDouble fails those too).
 */
function parseFloatPrefix(text: string): number | undefined {
  const rest = text.slice(skipSpace(text))
  const hex = HEX_FLOAT.exec(rest)
  if (hex && (hex[2].length > 0 || (hex[3] ?? '').length > 0)) {
    const fractionDigits = hex[3] ?? ''
    const mantissa = Number.parseInt(hex[2] + fractionDigits || '0', 16)
    const power = Number(hex[4] ?? 0) - 4 * fractionDigits.length
    const value = mantissa * 2 ** power
    return rangeChecked(hex[1] === '-' ? -value : value, /[1-9a-fA-F]/.test(hex[2] + fractionDigits))
  }
  const decimal = DECIMAL_FLOAT.exec(rest)
  if (decimal) {
    const mantissaDigits = decimal[0].split(/[eE]/)[0]
    return rangeChecked(Number(decimal[0]), /[1-9]/.test(mantissaDigits))
  }
  const special = NAN_OR_INFINITY.exec(rest)
  if (special) {
    const value = special[2] ? Infinity : NaN
    return special[1] === '-' ? -value : value
  }
  return undefined
}

function rangeChecked(value: number, hasNonZeroDigit: boolean): number | undefined {
  if (!Number.isFinite(value)) return undefined
  if (value === 0 ? hasNonZeroDigit : Math.abs(value) < DBL_MIN) return undefined
  return value
}

/**
 * STRING -> numeric element of type `to` (not STRING), as dbFastLinkConv's cvt_st_* do it on gets and puts:
 * "" is 0; integers in base 10 with trailing text ignored and a range check (unsigned targets accept a
 * negative value down to -max and wrap it, as epicsParseUInt16 does); FLOAT/DOUBLE via strtod. Throws
 * DbrConversionError(`failStatus`) for text without a number or a value out of range.
 */
export function stringToNumber(text: string, to: NativeType, failStatus: number): number {
  if (text.length === 0) return 0
  if (to === FLOAT || to === DOUBLE) {
    const value = parseFloatPrefix(text)
    if (value === undefined)
      throw new DbrConversionError(failStatus, `cannot convert ${quote(text)} to a number`)
    if (to === DOUBLE) return value
    const magnitude = Math.abs(value)
    if (Number.isFinite(value) && (magnitude > FLT_MAX || (magnitude !== 0 && magnitude < FLT_MIN))) {
      throw new DbrConversionError(failStatus, `${quote(text)} is out of range for a float`)
    }
    return Math.fround(value)
  }
  const value = parseDecimalPrefix(text)
  if (Number.isNaN(value))
    throw new DbrConversionError(failStatus, `cannot convert ${quote(text)} to an integer`)
  let min: number, max: number
  switch (to) {
    case SHORT:
      ;[min, max] = [-0x8000, 0x7fff]
      break
    case LONG:
      ;[min, max] = [-0x80000000, 0x7fffffff]
      break
    case ENUM:
      ;[min, max] = [-0xffff, 0xffff]
      break
    case CHAR:
      ;[min, max] = [-0xff, 0xff]
      break
    default:
      throw new RangeError(`stringToNumber: ${to} is not a numeric type`)
  }
  if (value < min || value > max) throw new DbrConversionError(failStatus, `${quote(text)} is out of range`)
  return castNumber(value, false, to)
}

/**
 * STRING -> ENUM on a put: an exact state string first, else a decimal index below the number of states
 * (any u16 index when the PV declares no states). Throws DbrConversionError(`failStatus`) otherwise.
 */
export function stringToEnumIndex(text: string, enumStrings: readonly string[], failStatus: number): number {
  const states = stateCount(enumStrings)
  const state = enumStrings.indexOf(text)
  if (state >= 0 && state < states) return state
  const index = parseDecimalPrefix(text)
  const limit = states > 0 ? states : 0x10000
  if (Number.isNaN(index) || index < 0 || index >= limit) {
    throw new DbrConversionError(failStatus, `${quote(text)} is not one of the states or a state index`)
  }
  return index
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)
}

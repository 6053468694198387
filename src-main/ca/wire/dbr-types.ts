/**
 * DBR type numbering and struct layouts (db_access.h, natural alignment; ca-protocol.md §4.2), and the few ECA
 * status codes the payload codecs report. Pure tables, no I/O.
 */
import { NativeType } from './snapshot'

export const DbrType = {
  STRING: 0,
  SHORT: 1,
  FLOAT: 2,
  ENUM: 3,
  CHAR: 4,
  LONG: 5,
  DOUBLE: 6,
  STS_STRING: 7,
  STS_SHORT: 8,
  STS_FLOAT: 9,
  STS_ENUM: 10,
  STS_CHAR: 11,
  STS_LONG: 12,
  STS_DOUBLE: 13,
  TIME_STRING: 14,
  TIME_SHORT: 15,
  TIME_FLOAT: 16,
  TIME_ENUM: 17,
  TIME_CHAR: 18,
  TIME_LONG: 19,
  TIME_DOUBLE: 20,
  GR_STRING: 21,
  GR_SHORT: 22,
  GR_FLOAT: 23,
  GR_ENUM: 24,
  GR_CHAR: 25,
  GR_LONG: 26,
  GR_DOUBLE: 27,
  CTRL_STRING: 28,
  CTRL_SHORT: 29,
  CTRL_FLOAT: 30,
  CTRL_ENUM: 31,
  CTRL_CHAR: 32,
  CTRL_LONG: 33,
  CTRL_DOUBLE: 34,
  PUT_ACKT: 35,
  PUT_ACKS: 36,
  STSACK_STRING: 37,
  CLASS_NAME: 38,
} as const
export type DbrType = (typeof DbrType)[keyof typeof DbrType]

export const LAST_DBR_TYPE = DbrType.CLASS_NAME

/** What precedes the value: nothing, status/severity, + timestamp, + display limits, + control limits, or special. */
export const DbrFamily = {
  PLAIN: 0,
  STS: 1,
  TIME: 2,
  GR: 3,
  CTRL: 4,
  PUT_ACK: 5,
  STSACK: 6,
  CLASS_NAME: 7,
} as const
export type DbrFamily = (typeof DbrFamily)[keyof typeof DbrFamily]

export const ECA_NORMAL = 1
export const ECA_BADTYPE = 114
export const ECA_GETFAIL = 152
export const ECA_PUTFAIL = 160
export const ECA_BADCOUNT = 176
export const ECA_BADSTR = 186
export const ECA_NOCONVERT = 400

const NAMES: readonly string[] = Object.keys(DbrType).map((key) => `DBR_${key}`)

export function isValidDbrType(type: number): boolean {
  return Number.isInteger(type) && type >= 0 && type <= LAST_DBR_TYPE
}

/** 'DBR_TIME_DOUBLE' for 20; 'DBR_INVALID(99)' for numbers outside 0..38. */
export function dbrTypeName(dbrType: number): string {
  return isValidDbrType(dbrType) ? NAMES[dbrType] : `DBR_INVALID(${dbrType})`
}

export function familyOf(dbrType: number): DbrFamily {
  assertValid(dbrType)
  if (dbrType <= DbrType.CTRL_DOUBLE) return Math.floor(dbrType / 7) as DbrFamily
  if (dbrType <= DbrType.PUT_ACKS) return DbrFamily.PUT_ACK
  return dbrType === DbrType.STSACK_STRING ? DbrFamily.STSACK : DbrFamily.CLASS_NAME
}

/**
 * The element type of the value part. PUT_ACKT/PUT_ACKS carry one u16, which is exactly the ENUM element
 * (dbr_put_ackt_t is epicsUInt16), so they report ENUM; STSACK_STRING and CLASS_NAME carry a 40-byte string.
 */
export function elementTypeOf(dbrType: number): NativeType {
  assertValid(dbrType)
  if (dbrType <= DbrType.CTRL_DOUBLE) return (dbrType % 7) as NativeType
  return dbrType <= DbrType.PUT_ACKS ? NativeType.ENUM : NativeType.STRING
}

/** The DBR type with the same family as `dbrType` but `element` values (e.g. TIME_DOUBLE + LONG -> TIME_LONG). */
export function withElementType(family: DbrFamily, element: NativeType): number {
  if (family > DbrFamily.CTRL) throw new RangeError(`family ${family} has no per-element variants`)
  return family * 7 + element
}

function assertValid(dbrType: number): void {
  if (!isValidDbrType(dbrType)) throw new RangeError(`invalid DBR type ${dbrType}`)
}

/** Bytes per value element, indexed by NativeType. */
export const ELEMENT_SIZE: readonly number[] = [40, 2, 4, 2, 1, 4, 8]

export const MAX_STRING_SIZE = 40
export const MAX_UNITS_SIZE = 8
export const MAX_ENUM_STRING_SIZE = 26
export const MAX_ENUM_STATES = 16

/** Where each part of one DBR type's struct sits. Offsets are from the start of the payload; -1 = absent. */
export interface DbrLayout {
  readonly type: number
  readonly name: string
  readonly family: DbrFamily
  readonly element: NativeType
  readonly elementSize: number
  /** Also the size of everything before the value (status, stamp, limits, pads). */
  readonly valueOffset: number
  /** i16 precision (GR/CTRL FLOAT and DOUBLE only). */
  readonly precisionOffset: number
  /** char[8] units (GR/CTRL numeric types). */
  readonly unitsOffset: number
  /** First limit (GR/CTRL numeric types); limitCount limits of elementSize bytes follow in LIMIT_ORDER. */
  readonly limitsOffset: number
  readonly limitCount: number
  /** i16 no_str then 16 x char[26] (GR/CTRL ENUM only). */
  readonly enumOffset: number
}

/** PvMetadata fields in the order GR (first 6) and CTRL (all 8) structs carry them. */
export const LIMIT_ORDER = [
  'upperDisplayLimit',
  'lowerDisplayLimit',
  'upperAlarmLimit',
  'upperWarningLimit',
  'lowerWarningLimit',
  'lowerAlarmLimit',
  'upperControlLimit',
  'lowerControlLimit',
] as const

// Value offsets per family, indexed by element type (STRING, SHORT, FLOAT, ENUM, CHAR, LONG, DOUBLE). The odd
// ones come from C alignment: STS_CHAR/TIME_CHAR/GR_CHAR/CTRL_CHAR carry a pad byte, TIME_SHORT/TIME_ENUM an
// i16 pad, STS_DOUBLE/TIME_DOUBLE an i32 pad so the double is 8-aligned.
const VALUE_OFFSETS: readonly (readonly number[])[] = [
  [0, 0, 0, 0, 0, 0, 0],
  [4, 4, 4, 4, 5, 4, 8],
  [12, 14, 12, 14, 15, 12, 16],
  [4, 24, 40, 422, 19, 36, 64],
  [4, 28, 48, 422, 21, 44, 80],
]

function makeLayout(type: number): DbrLayout {
  const name = dbrTypeName(type)
  const family = familyOf(type)
  const element = elementTypeOf(type)
  const base = {
    type,
    name,
    family,
    element,
    elementSize: family === DbrFamily.PUT_ACK ? 2 : ELEMENT_SIZE[element],
    precisionOffset: -1,
    unitsOffset: -1,
    limitsOffset: -1,
    limitCount: 0,
    enumOffset: -1,
  }
  if (family === DbrFamily.PUT_ACK || family === DbrFamily.CLASS_NAME) return { ...base, valueOffset: 0 }
  if (family === DbrFamily.STSACK) return { ...base, valueOffset: 8 }
  const valueOffset = VALUE_OFFSETS[family][element]
  const graphic = family === DbrFamily.GR || family === DbrFamily.CTRL
  if (!graphic || element === NativeType.STRING) return { ...base, valueOffset }
  if (element === NativeType.ENUM) return { ...base, valueOffset, enumOffset: 4 }
  const hasPrecision = element === NativeType.FLOAT || element === NativeType.DOUBLE
  const unitsOffset = hasPrecision ? 8 : 4
  return {
    ...base,
    valueOffset,
    precisionOffset: hasPrecision ? 4 : -1,
    unitsOffset,
    limitsOffset: unitsOffset + MAX_UNITS_SIZE,
    limitCount: family === DbrFamily.CTRL ? 8 : 6,
  }
}

/** Layout of every DBR type, indexed by type number 0..38. */
export const DBR_LAYOUTS: readonly DbrLayout[] = Array.from({ length: LAST_DBR_TYPE + 1 }, (_, type) =>
  Object.freeze(makeLayout(type)),
)

/**
 * DBR payload codecs: snapshot -> wire bytes for gets and monitors, wire bytes -> native value for puts, and a
 * full structured decode. Sans-I/O; everything is big-endian and laid out as db_access.h (see dbr-types.ts).
 *
 * Conversions follow an EPICS IOC (convert.ts) with one addition for long strings: a STRING snapshot requested
 * as a CHAR type yields the text's latin-1 bytes and a NUL, and a CHAR array written to a STRING PV becomes
 * the text up to its NUL (for any count), so a `$` long-string alias needs no conversion of its own.
 */
import {
  DBR_LAYOUTS,
  DbrFamily,
  DbrType,
  ECA_BADCOUNT,
  ECA_BADSTR,
  ECA_BADTYPE,
  ECA_GETFAIL,
  ECA_NOCONVERT,
  ECA_PUTFAIL,
  LIMIT_ORDER,
  MAX_ENUM_STATES,
  MAX_ENUM_STRING_SIZE,
  MAX_STRING_SIZE,
  MAX_UNITS_SIZE,
  isValidDbrType,
  type DbrLayout,
} from './dbr-types'
import {
  DEFAULT_STRING_PRECISION,
  DbrConversionError,
  castNumber,
  enumToString,
  isFloating,
  numberToString,
  stringToEnumIndex,
  stringToNumber,
} from './convert'
import { NativeType, type PvMetadata, type PvSnapshot, type PvValue } from './snapshot'

export { DbrConversionError } from './convert'

// Module-local copies of the enum members: the per-element paths then compare against constants instead of
// loading a property of another module's object (which some loaders turn into a getter call).
const { STRING, SHORT, FLOAT, ENUM, CHAR, LONG, DOUBLE } = NativeType
const { PLAIN, TIME, CTRL, PUT_ACK, STSACK, CLASS_NAME } = DbrFamily

function layoutOf(dbrType: number): DbrLayout {
  if (!isValidDbrType(dbrType)) throw new DbrConversionError(ECA_BADTYPE, `invalid DBR type ${dbrType}`)
  return DBR_LAYOUTS[dbrType]
}

/**
 * Bytes the DBR occupies for `count` elements, before padding to 8 (db_access.h dbr_size_n): the metadata part
 * plus `count` elements. Count 0 gives the metadata part only (0 for plain types), as current epics-base does.
 */
export function dbrSize(dbrType: number, count: number): number {
  const layout = layoutOf(dbrType)
  return layout.valueOffset + (count > 0 ? count : 0) * layout.elementSize
}

/** dbrSize rounded up to a multiple of 8: the payload size on the wire. */
export function paddedDbrSize(dbrType: number, count: number): number {
  return Math.ceil(dbrSize(dbrType, count) / 8) * 8
}

/**
 * How many elements `snapshot` currently has when read as `dbrType`: what a count-0 ("as many as available")
 * request gets. A STRING snapshot read as a CHAR type has its text's bytes plus the NUL.
 */
export function availableCount(snapshot: PvSnapshot, dbrType: number): number {
  const layout = layoutOf(dbrType)
  if (layout.family === CLASS_NAME || layout.family === PUT_ACK) return 1
  if (snapshot.type === STRING && layout.element === CHAR) {
    const strings = snapshot.value as readonly string[]
    return strings.length > 0 ? strings[0].length + 1 : 0
  }
  return snapshot.value.length
}

/**
 * Encodes `snapshot` as `dbrType` with exactly `count` elements into `target` at `offset`, zero-filling
 * elements beyond the snapshot's current length and every pad byte up to paddedDbrSize. Returns the padded
 * number of bytes written. Converts from the snapshot's native type as rsrv does. Throws DbrConversionError
 * (with an ECA status, e.g. ECA_GETFAIL for a string that is not a number) when conversion is impossible; the
 * region is then all zero, ready to go out with that status. Does not allocate on the numeric paths.
 */
export function encodeDbr(
  target: Buffer,
  offset: number,
  dbrType: number,
  count: number,
  snapshot: PvSnapshot,
): number {
  const layout = layoutOf(dbrType)
  const size = paddedDbrSize(dbrType, count)
  const end = offset + size
  if (end > target.length) {
    throw new RangeError(
      `${layout.name} x ${count} needs ${size} bytes at ${offset}; buffer has ${target.length}`,
    )
  }
  const valueStart = offset + layout.valueOffset
  zero(target, offset, valueStart)
  try {
    if (layout.family === PUT_ACK) {
      throw new DbrConversionError(ECA_GETFAIL, `${layout.name} is write-only`)
    }
    writeMetadata(target, offset, layout, snapshot)
    const valueEnd = writeValues(target, valueStart, layout, count > 0 ? count : 0, snapshot)
    zero(target, valueEnd, end)
  } catch (error) {
    target.fill(0, offset, end)
    throw error
  }
  return size
}

function writeMetadata(target: Buffer, offset: number, layout: DbrLayout, snapshot: PvSnapshot): void {
  const family = layout.family
  if (family === PLAIN || family === CLASS_NAME) return
  target.writeUInt16BE(snapshot.status & 0xffff, offset)
  target.writeUInt16BE(snapshot.severity & 0xffff, offset + 2)
  if (family === STSACK) {
    target.writeUInt16BE(snapshot.acknowledgeTransient ? 1 : 0, offset + 4)
    target.writeUInt16BE(snapshot.unacknowledgedSeverity & 0xffff, offset + 6)
  } else if (family === TIME) {
    target.writeUInt32BE(snapshot.secondsPastEpoch >>> 0, offset + 4)
    target.writeUInt32BE(snapshot.nanoseconds >>> 0, offset + 8)
  } else if (layout.enumOffset >= 0) {
    if (snapshot.type === ENUM) textOf(snapshot.metadata).enumBlock.copy(target, offset + layout.enumOffset)
  } else if (layout.limitsOffset >= 0) {
    writeLimits(target, offset, layout, snapshot)
  }
}

/** A metadata object's text fields in wire form: units char[8], and no_str + char[16][26]. */
interface EncodedText {
  readonly units: Buffer
  readonly enumBlock: Buffer
}

// Metadata objects are immutable and shared by many snapshots, so their text is encoded once per object.
const encodedText = new WeakMap<PvMetadata, EncodedText>()

function textOf(metadata: PvMetadata): EncodedText {
  let text = encodedText.get(metadata)
  if (text === undefined) {
    const units = Buffer.alloc(MAX_UNITS_SIZE)
    writeText(units, 0, metadata.units, MAX_UNITS_SIZE)
    const enumBlock = Buffer.alloc(2 + MAX_ENUM_STATES * MAX_ENUM_STRING_SIZE)
    writeEnumStrings(enumBlock, 0, metadata)
    text = { units, enumBlock }
    encodedText.set(metadata, text)
  }
  return text
}

function writeEnumStrings(target: Buffer, at: number, metadata: PvMetadata): void {
  const states = Math.min(metadata.enumStrings.length, MAX_ENUM_STATES)
  target.writeInt16BE(states, at)
  for (let i = 0; i < states; i++) {
    writeText(target, at + 2 + i * MAX_ENUM_STRING_SIZE, metadata.enumStrings[i], MAX_ENUM_STRING_SIZE)
  }
}

function writeLimits(target: Buffer, offset: number, layout: DbrLayout, snapshot: PvSnapshot): void {
  const metadata = snapshot.metadata
  if (layout.precisionOffset >= 0 && isFloating(snapshot.type)) {
    target.writeInt16BE(
      Math.max(-0x8000, Math.min(0x7fff, metadata.precision | 0)),
      offset + layout.precisionOffset,
    )
  }
  const units = textOf(metadata).units
  const unitsAt = offset + layout.unitsOffset
  for (let i = 0; i < MAX_UNITS_SIZE; i++) target[unitsAt + i] = units[i]
  const element = layout.element
  for (let i = 0; i < layout.limitCount; i++) {
    const limit = castNumber(metadata[LIMIT_ORDER[i]], true, element)
    writeNumber(target, offset + layout.limitsOffset + i * layout.elementSize, element, limit)
  }
}

/** Writes the value part; returns the offset just past the last byte written. */
function writeValues(
  target: Buffer,
  at: number,
  layout: DbrLayout,
  count: number,
  snapshot: PvSnapshot,
): number {
  const element = layout.element
  if (layout.family === CLASS_NAME) {
    if (count > 0) writeText(target, at, snapshot.metadata.recordType, MAX_STRING_SIZE)
    return at + (count > 0 ? MAX_STRING_SIZE : 0)
  }
  const native = snapshot.type
  const value = snapshot.value
  const n = Math.min(count, value.length)
  if (element === STRING) {
    for (let i = 0; i < n; i++) {
      writeText(target, at + i * MAX_STRING_SIZE, elementAsString(snapshot, i), MAX_STRING_SIZE)
    }
    return at + n * MAX_STRING_SIZE
  }
  if (native === STRING) {
    const strings = value as readonly string[]
    if (element === CHAR) {
      // Long-string view: the text's bytes; the NUL comes from the zero fill.
      return strings.length > 0 ? at + target.write(strings[0], at, count, 'latin1') : at
    }
    for (let i = 0; i < n; i++) {
      writeNumber(
        target,
        at + i * layout.elementSize,
        element,
        stringToNumber(strings[i], element, ECA_GETFAIL),
      )
    }
    return at + n * layout.elementSize
  }
  const numbers = value as Exclude<PvValue, readonly string[]>
  const fromFloating = isFloating(native)
  for (let i = 0; i < n; i++) {
    writeNumber(target, at + i * layout.elementSize, element, castNumber(numbers[i], fromFloating, element))
  }
  return at + n * layout.elementSize
}

/** One element of the snapshot as DBR_STRING text. */
function elementAsString(snapshot: PvSnapshot, i: number): string {
  switch (snapshot.type) {
    case STRING:
      return (snapshot.value as readonly string[])[i]
    case ENUM:
      return enumToString((snapshot.value as Uint16Array)[i], snapshot.metadata.enumStrings)
    default:
      return numberToString(
        (snapshot.value as Exclude<PvValue, readonly string[]>)[i],
        snapshot.type,
        snapshot.metadata.precision,
      )
  }
}

/** A number already in `element`'s range, written big-endian. */
function writeNumber(target: Buffer, at: number, element: NativeType, value: number): void {
  switch (element) {
    case SHORT:
      target.writeInt16BE(value, at)
      return
    case FLOAT:
      target.writeFloatBE(value, at)
      return
    case ENUM:
      target.writeUInt16BE(value, at)
      return
    case CHAR:
      target[at] = value
      return
    case LONG:
      target.writeInt32BE(value, at)
      return
    case DOUBLE:
      target.writeDoubleBE(value, at)
      return
  }
}

/** Zeroes target[start, end). Buffer.fill costs a native call with argument checks; short pads are cheaper here. */
function zero(target: Buffer, start: number, end: number): void {
  if (end - start > 64) target.fill(0, start, end)
  else for (let i = start; i < end; i++) target[i] = 0
}

/** Latin-1 text in a zero-filled char[field], cut to field - 1 bytes so a NUL always ends it. */
function writeText(target: Buffer, at: number, text: string, field: number): void {
  const written = target.write(text, at, field - 1, 'latin1')
  zero(target, at + written, at + field)
}

/** Text of a char[field] up to its first NUL (all `field` bytes when there is none). */
function readText(payload: Buffer, at: number, field: number): string {
  const end = textEnd(payload, at, field)
  return payload.toString('latin1', at, end < 0 ? at + field : end)
}

/** Offset of the first NUL in payload[at, at + field), or -1. Bounded: never looks past the field. */
function textEnd(payload: Buffer, at: number, field: number): number {
  const end = Math.min(at + field, payload.length)
  for (let i = at; i < end; i++) if (payload[i] === 0) return i
  return -1
}

type LimitName = (typeof LIMIT_ORDER)[number]

/** A DBR payload taken apart: the value plus whichever metadata its type carries. */
export type DecodedDbr = {
  readonly type: number
  readonly elementType: NativeType
  /** `count` elements; STRING elements cut at their NUL; PUT_ACKT/ACKS as a Uint16Array. */
  readonly value: PvValue
  readonly status?: number
  readonly severity?: number
  readonly secondsPastEpoch?: number
  readonly nanoseconds?: number
  readonly precision?: number
  readonly units?: string
  readonly enumStrings?: readonly string[]
  /** DBR_STSACK_STRING: ackt (0/1) and acks (a severity). */
  readonly acknowledgeTransient?: number
  readonly unacknowledgedSeverity?: number
} & { readonly [K in LimitName]?: number }

/** Full structured decode of any DBR payload (for tests, the traffic inspector and a future client). */
export function decodeDbr(payload: Buffer, offset: number, dbrType: number, count: number): DecodedDbr {
  const layout = layoutOf(dbrType)
  const n = count > 0 ? count : 0
  const size = dbrSize(dbrType, n)
  if (offset + size > payload.length) {
    throw new DbrConversionError(
      ECA_BADCOUNT,
      `${layout.name} x ${n} needs ${size} bytes; only ${payload.length - offset} present`,
    )
  }
  const decoded: Record<string, unknown> = {
    type: dbrType,
    elementType: layout.element,
    value: readValues(payload, offset + layout.valueOffset, layout, n),
  }
  const family = layout.family
  if (family !== PLAIN && family !== CLASS_NAME && family !== PUT_ACK) {
    decoded.status = payload.readUInt16BE(offset)
    decoded.severity = payload.readUInt16BE(offset + 2)
  }
  if (family === STSACK) {
    decoded.acknowledgeTransient = payload.readUInt16BE(offset + 4)
    decoded.unacknowledgedSeverity = payload.readUInt16BE(offset + 6)
  } else if (family === TIME) {
    decoded.secondsPastEpoch = payload.readUInt32BE(offset + 4)
    decoded.nanoseconds = payload.readUInt32BE(offset + 8)
  } else if (layout.enumOffset >= 0) {
    const at = offset + layout.enumOffset
    const states = Math.max(0, Math.min(payload.readInt16BE(at), MAX_ENUM_STATES))
    decoded.enumStrings = Array.from({ length: states }, (_, i) =>
      readText(payload, at + 2 + i * MAX_ENUM_STRING_SIZE, MAX_ENUM_STRING_SIZE),
    )
  } else if (layout.limitsOffset >= 0) {
    if (layout.precisionOffset >= 0) decoded.precision = payload.readInt16BE(offset + layout.precisionOffset)
    decoded.units = readText(payload, offset + layout.unitsOffset, MAX_UNITS_SIZE)
    for (let i = 0; i < layout.limitCount; i++) {
      decoded[LIMIT_ORDER[i]] = readNumber(
        payload,
        offset + layout.limitsOffset + i * layout.elementSize,
        layout.element,
      )
    }
  }
  return decoded as DecodedDbr
}

function readNumber(payload: Buffer, at: number, element: NativeType): number {
  switch (element) {
    case SHORT:
      return payload.readInt16BE(at)
    case FLOAT:
      return payload.readFloatBE(at)
    case ENUM:
      return payload.readUInt16BE(at)
    case CHAR:
      return payload[at]
    case LONG:
      return payload.readInt32BE(at)
    default:
      return payload.readDoubleBE(at)
  }
}

function readValues(payload: Buffer, at: number, layout: DbrLayout, n: number): PvValue {
  if (layout.element === STRING) {
    return Array.from({ length: n }, (_, i) => readText(payload, at + i * MAX_STRING_SIZE, MAX_STRING_SIZE))
  }
  const element = layout.family === PUT_ACK ? ENUM : layout.element
  const values = allocateNumeric(element, n)
  for (let i = 0; i < n; i++) values[i] = readNumber(payload, at + i * layout.elementSize, element)
  return values
}

function allocateNumeric(type: NativeType, n: number): Exclude<PvValue, readonly string[]> {
  switch (type) {
    case SHORT:
      return new Int16Array(n)
    case FLOAT:
      return new Float32Array(n)
    case ENUM:
      return new Uint16Array(n)
    case CHAR:
      return new Uint8Array(n)
    case LONG:
      return new Int32Array(n)
    default:
      return new Float64Array(n)
  }
}

/**
 * Decodes a WRITE/WRITE_NOTIFY payload (`count` elements of `dbrType`, plain or compound: for STS/TIME/GR/CTRL
 * only the value part is used) and converts it to the PV's native type (string->number per strtod/strtol
 * rules, string->enum by state name then by index, numbers->enum as u16, CHAR array -> string for STRING PVs,
 * numbers -> string with 6 decimals for FLOAT/DOUBLE). Tolerates a short scalar DBR_STRING payload (libca sends
 * strlen+1 rounded to 8). Returns the native PvValue (`count` elements), or throws DbrConversionError:
 * ECA_BADTYPE (type > 38), ECA_NOCONVERT (PUT_ACKT/ACKS, STSACK_STRING, CLASS_NAME: see decodePutAcknowledge),
 * ECA_BADCOUNT (payload shorter than `count` elements), ECA_BADSTR (a 40-byte string without NUL),
 * ECA_PUTFAIL (text that is no number / no state, or out of range).
 * For a `$` long-string channel pass NativeType.STRING: CHAR arrays and strings then both give one string.
 */
export function decodePutValue(
  payload: Buffer,
  offset: number,
  length: number,
  dbrType: number,
  count: number,
  nativeType: NativeType,
  metadata: PvMetadata,
): PvValue {
  const layout = layoutOf(dbrType)
  if (layout.family > CTRL) {
    throw new DbrConversionError(ECA_NOCONVERT, `${layout.name} does not carry a value to write`)
  }
  const n = count > 0 ? count : 0
  if (n === 0) return nativeType === STRING ? [] : allocateNumeric(nativeType, 0)
  const available = Math.min(length, payload.length - offset)
  const wire = layout.element
  const shortString = wire === STRING && n === 1 && available > layout.valueOffset
  if (available < dbrSize(dbrType, n) && !shortString) {
    throw new DbrConversionError(
      ECA_BADCOUNT,
      `${layout.name} x ${n} needs ${dbrSize(dbrType, n)} bytes; the payload has ${available}`,
    )
  }
  const at = offset + layout.valueOffset
  if (wire === STRING) {
    const texts = readPutStrings(payload, at, n, offset + available)
    return convertStrings(texts, nativeType, metadata)
  }
  if (nativeType === STRING) {
    if (wire === CHAR) {
      const end = textEnd(payload, at, n)
      return [payload.toString('latin1', at, end < 0 ? at + n : end)]
    }
    return Array.from({ length: n }, (_, i) =>
      numberToString(readNumber(payload, at + i * layout.elementSize, wire), wire, DEFAULT_STRING_PRECISION),
    )
  }
  const values = allocateNumeric(nativeType, n)
  const fromFloating = isFloating(wire)
  for (let i = 0; i < n; i++) {
    values[i] = castNumber(readNumber(payload, at + i * layout.elementSize, wire), fromFloating, nativeType)
  }
  return values
}

/** STRING elements of a put; the last (or only) one may be cut short by the payload's end. */
function readPutStrings(payload: Buffer, at: number, n: number, payloadEnd: number): string[] {
  const texts: string[] = []
  for (let i = 0; i < n; i++) {
    const start = at + i * MAX_STRING_SIZE
    const field = Math.min(MAX_STRING_SIZE, payloadEnd - start)
    const end = textEnd(payload, start, field)
    if (end < 0 && field === MAX_STRING_SIZE) {
      throw new DbrConversionError(
        ECA_BADSTR,
        `string element ${i} has no NUL within ${MAX_STRING_SIZE} bytes`,
      )
    }
    texts.push(payload.toString('latin1', start, end < 0 ? start + field : end))
  }
  return texts
}

function convertStrings(texts: string[], nativeType: NativeType, metadata: PvMetadata): PvValue {
  if (nativeType === STRING) return texts
  const values = allocateNumeric(nativeType, texts.length)
  for (let i = 0; i < texts.length; i++) {
    values[i] =
      nativeType === ENUM
        ? stringToEnumIndex(texts[i], metadata.enumStrings, ECA_PUTFAIL)
        : stringToNumber(texts[i], nativeType, ECA_PUTFAIL)
  }
  return values
}

/** A DBR_PUT_ACKT (acknowledge transient alarms: 0/1) or DBR_PUT_ACKS (acknowledge up to a severity) write. */
export interface PutAcknowledge {
  readonly kind: 'transient' | 'severity'
  readonly value: number
}

/** Decodes the u16 of a PUT_ACKT/PUT_ACKS write; DbrConversionError for other types or an empty payload. */
export function decodePutAcknowledge(
  payload: Buffer,
  offset: number,
  length: number,
  dbrType: number,
): PutAcknowledge {
  const layout = layoutOf(dbrType)
  if (layout.family !== PUT_ACK) {
    throw new DbrConversionError(ECA_BADTYPE, `${layout.name} is not DBR_PUT_ACKT or DBR_PUT_ACKS`)
  }
  if (Math.min(length, payload.length - offset) < 2) {
    throw new DbrConversionError(ECA_BADCOUNT, `${layout.name} needs 2 bytes`)
  }
  return {
    kind: dbrType === DbrType.PUT_ACKT ? 'transient' : 'severity',
    value: payload.readUInt16BE(offset),
  }
}

/**
 * Conversions between the JavaScript values hooks and the app use (number, string, boolean, arrays) and the
 * native storage of a snapshot (PvValue: string[] or a typed array). Integers truncate toward zero like a C cast
 * but out-of-range values are refused rather than wrapped; text is latin-1, one byte per character.
 */
import { NativeType } from '../ca/wire/snapshot'
import type { PvValue } from '../ca/wire/snapshot'
import type { PvTypeName } from './spec'

/** DBR_STRING holds 40 bytes: 39 characters and the terminating NUL. */
export const MAX_STRING_LENGTH = 39
export const MAX_ENUM_STATES = 16
export const MAX_ENUM_STRING_LENGTH = 25

export const NATIVE_TYPE_OF: Readonly<Record<PvTypeName, NativeType>> = {
  STRING: NativeType.STRING,
  SHORT: NativeType.SHORT,
  LONG: NativeType.LONG,
  FLOAT: NativeType.FLOAT,
  DOUBLE: NativeType.DOUBLE,
  ENUM: NativeType.ENUM,
  CHAR: NativeType.CHAR,
}

/** What a conversion needs to know about a PV. */
export interface ValueShape {
  readonly type: PvTypeName
  readonly maxLength: number
  readonly longString: boolean
  readonly enumStrings: readonly string[]
}

/** A value that cannot be stored in a PV; the message says why in terms of the value, not the code. */
export class ValueError extends Error {
  override readonly name = 'ValueError'
}

const INTEGER_RANGE: Partial<Record<PvTypeName, readonly [number, number]>> = {
  SHORT: [-32768, 32767],
  LONG: [-2147483648, 2147483647],
  CHAR: [0, 255],
  ENUM: [0, 65535],
}
const FLOAT_MAX = 3.4028234663852886e38

export function isNumericType(type: PvTypeName): boolean {
  return type === 'SHORT' || type === 'LONG' || type === 'FLOAT' || type === 'DOUBLE' || type === 'CHAR'
}

/** Scalar numeric PVs are the ones with value alarms, deadbands on magnitude and limit fields. */
export function isScalarNumeric(shape: ValueShape): boolean {
  return shape.maxLength === 1 && !shape.longString && (isNumericType(shape.type) || shape.type === 'ENUM')
}

/** Describes a value briefly for error messages and the traffic log. */
export function describeValue(value: unknown, limit = 40): string {
  let text: string
  if (typeof value === 'string') text = JSON.stringify(value)
  else if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    // Only the first few elements are looked at: describing a megabyte waveform must stay cheap.
    const items = value as ArrayLike<unknown>
    const shown: string[] = []
    for (let i = 0; i < Math.min(items.length, 8); i++) {
      const item = items[i]
      shown.push(typeof item === 'string' ? JSON.stringify(item) : String(item))
    }
    text = `[${shown.join(', ')}${items.length > 8 ? `, … ${items.length} items` : ''}]`
  } else text = String(value)
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text
}

/** True when every character is latin-1 (one byte on the wire). */
export function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false
  return true
}

export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
  return bytes
}

/** Text up to the first NUL, one character per byte. */
export function latin1Text(bytes: ArrayLike<number>): string {
  let end = 0
  while (end < bytes.length && bytes[end] !== 0) end++
  let text = ''
  for (let i = 0; i < end; i += 8192) {
    text += String.fromCharCode(...Array.prototype.slice.call(bytes, i, Math.min(end, i + 8192)))
  }
  return text
}

function checkString(text: string, what: string): string {
  if (!isLatin1(text)) throw new ValueError(`${what}: ${describeValue(text)} has characters outside latin-1`)
  if (text.length > MAX_STRING_LENGTH) {
    throw new ValueError(
      `${what}: ${describeValue(text)} is ${text.length} characters, a STRING holds at most ${MAX_STRING_LENGTH} ` +
        '(use CHAR with longString for longer text)',
    )
  }
  return text
}

function toNumber(item: unknown, what: string): number {
  if (typeof item === 'number') return item
  if (typeof item === 'boolean') return item ? 1 : 0
  if (typeof item === 'bigint') return Number(item)
  if (typeof item === 'string') {
    const trimmed = item.trim()
    const parsed = Number(trimmed)
    if (trimmed !== '' && !Number.isNaN(parsed)) return parsed
    if (/^[+-]?nan$/i.test(trimmed)) return Number.NaN
    const inf = /^([+-]?)inf(inity)?$/i.exec(trimmed)
    if (inf) return inf[1] === '-' ? -Infinity : Infinity
  }
  throw new ValueError(`${what}: ${describeValue(item)} is not a number`)
}

function toInteger(item: unknown, type: PvTypeName, what: string): number {
  const number = toNumber(item, what)
  const [min, max] = INTEGER_RANGE[type]!
  if (!Number.isFinite(number)) throw new ValueError(`${what}: ${number} cannot be stored in a ${type}`)
  const truncated = Math.trunc(number)
  if (truncated < min || truncated > max) {
    throw new ValueError(`${what}: ${number} is outside the ${type} range ${min}..${max}`)
  }
  return truncated
}

function toFloat(item: unknown, what: string): number {
  const number = toNumber(item, what)
  // Like dbConvert: finite doubles beyond the float range saturate instead of becoming infinite.
  if (number > FLOAT_MAX) return FLOAT_MAX
  if (number < -FLOAT_MAX) return -FLOAT_MAX
  return number
}

function toEnumIndex(item: unknown, shape: ValueShape, what: string): number {
  const states = shape.enumStrings
  if (typeof item === 'string') {
    const exact = states.indexOf(item)
    if (exact >= 0) return exact
    if (!/^\s*\d+\s*$/.test(item)) {
      throw new ValueError(
        `${what}: ${describeValue(item)} is not one of the states ${describeValue(states, 120)}`,
      )
    }
  }
  const index = toInteger(item, 'ENUM', what)
  if (states.length > 0 && index >= states.length) {
    throw new ValueError(`${what}: state ${index} does not exist (${states.length} states)`)
  }
  return index
}

function itemsOf(input: unknown, shape: ValueShape, what: string): ArrayLike<unknown> {
  if (Array.isArray(input)) return input
  if (ArrayBuffer.isView(input) && !(input instanceof DataView)) return input as unknown as ArrayLike<unknown>
  if (input === undefined || input === null) throw new ValueError(`${what}: no value given`)
  if (typeof input === 'string' && shape.type === 'CHAR') return latin1Bytes(input)
  if (typeof input === 'object') throw new ValueError(`${what}: ${describeValue(input)} is not a PV value`)
  return [input]
}

function checkLength(length: number, shape: ValueShape, what: string): void {
  if (length > shape.maxLength) {
    throw new ValueError(
      `${what}: ${length} ${shape.longString ? 'characters' : 'elements'}, maxLength is ${shape.maxLength}`,
    )
  }
  if (length === 0 && shape.maxLength === 1 && !shape.longString) throw new ValueError(`${what}: empty value`)
}

/** Converts a JavaScript value to native storage; throws ValueError with a message naming `what`. */
export function toNativeValue(shape: ValueShape, input: unknown, what = 'value'): PvValue {
  if (shape.longString) {
    if (typeof input !== 'string') {
      if (input instanceof Uint8Array) return fromNative(shape, input, what)
      throw new ValueError(`${what}: a long-string PV needs text, got ${describeValue(input)}`)
    }
    if (!isLatin1(input))
      throw new ValueError(`${what}: ${describeValue(input)} has characters outside latin-1`)
    checkLength(input.length, shape, what)
    const bytes = new Uint8Array(Math.min(input.length + 1, shape.maxLength))
    for (let i = 0; i < input.length; i++) bytes[i] = input.charCodeAt(i)
    return bytes
  }
  const items = itemsOf(input, shape, what)
  checkLength(items.length, shape, what)
  const n = items.length
  switch (shape.type) {
    case 'STRING': {
      const strings = new Array<string>(n)
      for (let i = 0; i < n; i++) {
        const item = items[i]
        strings[i] = checkString(typeof item === 'string' ? item : String(item), what)
      }
      return Object.freeze(strings)
    }
    case 'DOUBLE': {
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) out[i] = toNumber(items[i], what)
      return out
    }
    case 'FLOAT': {
      const out = new Float32Array(n)
      for (let i = 0; i < n; i++) out[i] = toFloat(items[i], what)
      return out
    }
    case 'ENUM': {
      const out = new Uint16Array(n)
      for (let i = 0; i < n; i++) out[i] = toEnumIndex(items[i], shape, what)
      return out
    }
    default: {
      const out =
        shape.type === 'SHORT'
          ? new Int16Array(n)
          : shape.type === 'LONG'
            ? new Int32Array(n)
            : new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = toInteger(items[i], shape.type, what)
      return out
    }
  }
}

/**
 * Checks a value that already has the native type (a CA put, decoded by the wire layer): length and enum range.
 * Returns it unchanged when valid.
 */
export function fromNative(shape: ValueShape, value: PvValue, what = 'value'): PvValue {
  if (value.length > shape.maxLength) {
    throw new ValueError(`${what}: ${value.length} elements, maxLength is ${shape.maxLength}`)
  }
  if (shape.type === 'ENUM' && shape.enumStrings.length > 0) {
    for (let i = 0; i < value.length; i++) {
      if ((value as Uint16Array)[i] >= shape.enumStrings.length) {
        throw new ValueError(
          `${what}: state ${(value as Uint16Array)[i]} does not exist (${shape.enumStrings.length} states)`,
        )
      }
    }
  }
  if (shape.type === 'STRING') {
    for (const text of value as readonly string[]) checkString(text, what)
  }
  return value
}

/** The zero value a PV holds before it is first written. */
export function emptyValue(shape: ValueShape): PvValue {
  const n = shape.longString ? 0 : 1
  switch (shape.type) {
    case 'STRING':
      return Object.freeze(['']) as readonly string[]
    case 'SHORT':
      return new Int16Array(n)
    case 'LONG':
      return new Int32Array(n)
    case 'FLOAT':
      return new Float32Array(n)
    case 'DOUBLE':
      return new Float64Array(n)
    case 'ENUM':
      return new Uint16Array(n)
    case 'CHAR':
      return new Uint8Array(n)
  }
}

/**
 * The JavaScript view of a stored value: a scalar for maxLength 1, a plain array otherwise, text for long strings,
 * enum states as index numbers.
 */
export function toJsValue(shape: ValueShape, value: PvValue): unknown {
  if (shape.longString) return latin1Text(value as Uint8Array)
  if (shape.maxLength === 1) return value.length === 0 ? undefined : value[0]
  return Object.freeze(Array.from(value as ArrayLike<number | string>))
}

/** What a putter receives: like toJsValue but enum states as their label (caproto passes the label string). */
export function toPutterValue(shape: ValueShape, value: PvValue): unknown {
  if (shape.type === 'ENUM' && shape.maxLength === 1) {
    const index = (value as Uint16Array)[0]
    return shape.enumStrings[index] ?? index
  }
  return toJsValue(shape, value)
}

/** Element-wise equality of two stored values. */
export function sameValue(a: PvValue, b: PvValue): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    const y = b[i]
    if (x !== y && !(x !== x && y !== y)) return false
  }
  return true
}

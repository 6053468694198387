/**
 * Byte-for-byte checks of the DBR codecs against reference payloads produced by EPICS itself (libca's
 * caNetConvert over db_access.h structs; see test/fixtures/dbr/make_reference.py).
 */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import {
  REFERENCE_SCRIPT,
  dbrReference as reference,
  type DbrReferenceCase as Case,
} from '../../../test/fixtures/dbr/references'
import { SYSTEM_PYTHON, pyepics } from '../../../test/support/system'
import {
  DbrConversionError,
  decodeDbr,
  decodePutAcknowledge,
  decodePutValue,
  encodeDbr,
  paddedDbrSize,
} from './dbr'
import { DbrFamily, DbrType, ECA_GETFAIL, familyOf } from './dbr-types'
import { EMPTY_METADATA, NativeType, type PvMetadata, type PvSnapshot, type PvValue } from './snapshot'

function nativeValue(native: NativeType, values: readonly (string | number)[]): PvValue {
  const numbers = values as number[]
  switch (native) {
    case NativeType.STRING:
      return values as string[]
    case NativeType.SHORT:
      return Int16Array.from(numbers)
    case NativeType.FLOAT:
      return Float32Array.from(numbers)
    case NativeType.ENUM:
      return Uint16Array.from(numbers)
    case NativeType.CHAR:
      return Uint8Array.from(numbers)
    case NativeType.LONG:
      return Int32Array.from(numbers)
    default:
      return Float64Array.from(numbers)
  }
}

function metadataFor(native: NativeType): PvMetadata {
  const limits = (reference.metadata.limitsByNative as Record<string, Record<string, number>>)[native] ?? {}
  return {
    ...EMPTY_METADATA,
    ...limits,
    units: reference.metadata.units,
    precision: reference.metadata.precision,
    enumStrings: native === NativeType.ENUM ? reference.metadata.enumStrings : [],
    recordType: reference.metadata.recordType,
  }
}

function snapshotFor(c: Case): PvSnapshot {
  const native = c.native as NativeType
  return {
    ...reference.snapshot,
    type: native,
    value: nativeValue(native, c.value),
    metadata: metadataFor(native),
  }
}

const label = (c: Case) => `${c.name} x ${c.count}`
const readable = reference.cases.filter((c) => familyOf(c.type) !== DbrFamily.PUT_ACK)
const writable = reference.cases.filter((c) => familyOf(c.type) <= DbrFamily.CTRL)

describe('encodeDbr matches the reference bytes', () => {
  it.each(readable.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const expected = Buffer.from(c.hex, 'hex')
    const padded = paddedDbrSize(c.type, c.count)
    const offset = 5 // odd on purpose: nothing may assume alignment of the target
    const target = Buffer.alloc(offset + padded + 8, 0xa5)
    expect(encodeDbr(target, offset, c.type, c.count, snapshotFor(c))).toBe(padded)
    expect(target.subarray(offset, offset + expected.length).toString('hex')).toBe(c.hex)
    expect(target.subarray(offset + expected.length, offset + padded).every((byte) => byte === 0)).toBe(true)
    expect(target.subarray(0, offset).every((byte) => byte === 0xa5)).toBe(true)
    expect(target.subarray(offset + padded).every((byte) => byte === 0xa5)).toBe(true)
  })

  it('refuses to read the write-only PUT_ACKT/PUT_ACKS and leaves the region zeroed', () => {
    const c = reference.cases.find((candidate) => candidate.type === DbrType.PUT_ACKT)!
    const target = Buffer.alloc(8, 0xff)
    expect(() => encodeDbr(target, 0, DbrType.PUT_ACKT, 1, snapshotFor(c))).toThrow(DbrConversionError)
    expect(target.every((byte) => byte === 0)).toBe(true)
    try {
      encodeDbr(target, 0, DbrType.PUT_ACKS, 1, snapshotFor(c))
    } catch (error) {
      expect((error as DbrConversionError).status).toBe(ECA_GETFAIL)
    }
  })
})

describe('decodeDbr reads the reference bytes back', () => {
  it.each(readable.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const snapshot = snapshotFor(c)
    const decoded = decodeDbr(Buffer.from(c.hex, 'hex'), 0, c.type, c.count)
    const family = familyOf(c.type)
    expect(decoded.type).toBe(c.type)
    if (family === DbrFamily.CLASS_NAME) expect(decoded.value).toEqual([reference.metadata.recordType])
    else expect(decoded.value).toEqual(snapshot.value)
    if (family !== DbrFamily.PLAIN && family !== DbrFamily.CLASS_NAME) {
      expect([decoded.status, decoded.severity]).toEqual([
        reference.snapshot.status,
        reference.snapshot.severity,
      ])
    }
    if (family === DbrFamily.TIME) {
      expect([decoded.secondsPastEpoch, decoded.nanoseconds]).toEqual([
        reference.snapshot.secondsPastEpoch,
        reference.snapshot.nanoseconds,
      ])
    }
    if (family === DbrFamily.STSACK) {
      expect([decoded.acknowledgeTransient, decoded.unacknowledgedSeverity]).toEqual([1, 2])
    }
    if ((family === DbrFamily.GR || family === DbrFamily.CTRL) && c.native === NativeType.ENUM) {
      expect(decoded.enumStrings).toEqual(reference.metadata.enumStrings)
    }
    if (decoded.units !== undefined) {
      expect(decoded.units).toBe(reference.metadata.units)
      const limits = (reference.metadata.limitsByNative as Record<string, Record<string, number>>)[c.native]
      const carried = family === DbrFamily.CTRL ? 8 : 6
      for (const [name, limit] of Object.entries(limits).slice(0, carried)) {
        expect(decoded[name as keyof typeof decoded]).toBe(
          c.native === NativeType.FLOAT ? Math.fround(limit) : limit,
        )
      }
    }
  })
})

describe('decodePutValue accepts the reference bytes as writes', () => {
  it.each(writable.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const payload = Buffer.from(c.hex, 'hex')
    const snapshot = snapshotFor(c)
    const value = decodePutValue(
      payload,
      0,
      payload.length,
      c.type,
      c.count,
      snapshot.type,
      snapshot.metadata,
    )
    expect(value).toEqual(snapshot.value)
  })

  it('decodes PUT_ACKT and PUT_ACKS', () => {
    for (const c of reference.cases.filter((candidate) => familyOf(candidate.type) === DbrFamily.PUT_ACK)) {
      const payload = Buffer.from(c.hex, 'hex')
      expect(decodePutAcknowledge(payload, 0, payload.length, c.type)).toEqual({
        kind: c.type === DbrType.PUT_ACKT ? 'transient' : 'severity',
        value: c.value[0],
      })
      expect(decodeDbr(payload, 0, c.type, 1).value).toEqual(Uint16Array.of(c.value[0] as number))
    }
  })
})

describe('the stored reference is current', () => {
  const system = pyepics()
  it.skipIf(!system.available)('make_reference.py still prints reference.json', () => {
    const output = execFileSync(SYSTEM_PYTHON, [REFERENCE_SCRIPT], { encoding: 'utf8', timeout: 30_000 })
    expect(JSON.parse(output)).toEqual(reference)
  })
})

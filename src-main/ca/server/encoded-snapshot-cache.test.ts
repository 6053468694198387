import { describe, expect, it } from 'vitest'
import { DbrType } from '../wire/dbr-types'
import { Eca } from '../wire/protocol'
import { EMPTY_METADATA, NativeType } from '../wire/snapshot'
import type { PvSnapshot, PvValue } from '../wire/snapshot'
import { EncodedSnapshotCache } from './encoded-snapshot-cache'

function snapshot(type: NativeType, value: PvValue): PvSnapshot {
  return {
    type,
    value,
    status: 0,
    severity: 0,
    secondsPastEpoch: 1000,
    nanoseconds: 5,
    acknowledgeTransient: true,
    unacknowledgedSeverity: 0,
    metadata: EMPTY_METADATA,
  }
}

describe('EncodedSnapshotCache', () => {
  it('encodes a snapshot once per (type, count), and the next snapshot into the same buffer', () => {
    const cache = new EncodedSnapshotCache()
    const first = snapshot(NativeType.DOUBLE, Float64Array.of(1.5, 2.5))
    const a = cache.get(first, DbrType.TIME_DOUBLE, 2)
    expect(cache.get(first, DbrType.TIME_DOUBLE, 2)).toBe(a)
    expect([a.size, a.status, a.bytes.readUInt32BE(4), a.bytes.readDoubleBE(16)]).toEqual([
      32,
      Eca.NORMAL,
      1000,
      1.5,
    ])
    const one = cache.get(first, DbrType.TIME_DOUBLE, 1)
    expect(one.size).toBe(24)
    expect(cache.encodings).toBe(2)
    const bytes = a.bytes
    const b = cache.get(snapshot(NativeType.DOUBLE, Float64Array.of(7, 8)), DbrType.TIME_DOUBLE, 2)
    expect(b.bytes).toBe(bytes)
    expect([b.bytes.readDoubleBE(16), b.bytes.readDoubleBE(24)]).toEqual([7, 8])
    expect(cache.encodings).toBe(3)
  })

  it('zeroes the payload and gives the status when a conversion fails, and recovers on the next snapshot', () => {
    const cache = new EncodedSnapshotCache()
    const bad = cache.get(snapshot(NativeType.STRING, ['not a number']), DbrType.DOUBLE, 1)
    expect([bad.status, bad.bytes.equals(Buffer.alloc(8))]).toEqual([Eca.GETFAIL, true])
    expect(bad.error).toMatch(/not a number/)
    const good = cache.get(snapshot(NativeType.STRING, ['2.5']), DbrType.DOUBLE, 1)
    expect([good.status, good.error, good.bytes.readDoubleBE(0)]).toEqual([Eca.NORMAL, undefined, 2.5])
  })

  it('keeps a bounded number of encodings and still answers every request', () => {
    const cache = new EncodedSnapshotCache()
    const value = snapshot(
      NativeType.LONG,
      Int32Array.from({ length: 40 }, (_, i) => i),
    )
    for (let count = 1; count <= 40; count++) {
      const encoded = cache.get(value, DbrType.LONG, count)
      expect([encoded.size, encoded.bytes.readInt32BE(4 * (count - 1))]).toEqual([
        8 * Math.ceil(count / 2),
        count - 1,
      ])
    }
    expect(cache.get(value, DbrType.LONG, 40).bytes.readInt32BE(156)).toBe(39)
    expect(cache.encodings).toBe(40)
  })
})

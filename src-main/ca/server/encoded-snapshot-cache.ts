/**
 * Encodes a snapshot once per (DBR type, count) and hands the same bytes to every get and every subscriber
 * that asks for it. Snapshots are immutable, so the cache only has to notice that the snapshot object changed.
 */
import { DbrConversionError, encodeDbr, paddedDbrSize } from '../wire/dbr'
import { Eca } from '../wire/protocol'
import type { PvSnapshot } from '../wire/snapshot'

/** An encoded DBR payload: `bytes[0, size)`, already padded; all zero when `status` is not ECA_NORMAL. */
export interface EncodedPayload {
  readonly dbrType: number
  readonly count: number
  readonly bytes: Buffer
  readonly size: number
  readonly status: number
  /** Why encoding failed, when it did. */
  readonly error?: string
}

/** Enough for the usual mix (a TIME monitor, a CTRL read, a plain get…) without growing under abuse. */
const MAX_ENTRIES = 16

export class EncodedSnapshotCache {
  private snapshot: PvSnapshot | undefined
  private readonly entries: EncodedPayload[] = []
  private nextVictim = 0
  /** Encodings done (misses), for tests and statistics. */
  encodings = 0

  /** The payload of `snapshot` as `dbrType` with exactly `count` elements (count already resolved, not 0). */
  get(snapshot: PvSnapshot, dbrType: number, count: number): EncodedPayload {
    const entries = this.entries
    if (snapshot !== this.snapshot) {
      this.snapshot = snapshot
      entries.length = 0
      this.nextVictim = 0
    } else {
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]
        if (entry.dbrType === dbrType && entry.count === count) return entry
      }
    }
    const encoded = encode(snapshot, dbrType, count)
    this.encodings++
    if (entries.length < MAX_ENTRIES) entries.push(encoded)
    else {
      entries[this.nextVictim] = encoded
      this.nextVictim = (this.nextVictim + 1) % MAX_ENTRIES
    }
    return encoded
  }
}

/** Encodes without caching (one-off reads of snapshots that are not the PV's current one). */
export function encode(snapshot: PvSnapshot, dbrType: number, count: number): EncodedPayload {
  const size = paddedDbrSize(dbrType, count)
  const bytes = Buffer.allocUnsafe(size)
  try {
    encodeDbr(bytes, 0, dbrType, count, snapshot)
    return { dbrType, count, bytes, size, status: Eca.NORMAL }
  } catch (error) {
    bytes.fill(0)
    if (error instanceof DbrConversionError) {
      return { dbrType, count, bytes, size, status: error.status, error: error.message }
    }
    return { dbrType, count, bytes, size, status: Eca.GETFAIL, error: String(error) }
  }
}

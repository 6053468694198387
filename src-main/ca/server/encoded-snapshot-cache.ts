/**
 * Encodes a snapshot once per (DBR type, count) and hands the same bytes to every get and every subscriber
 * that asks for it. Snapshots are immutable, so an entry only has to notice that the snapshot object changed;
 * it then re-encodes into its own buffer, so a PV that keeps posting allocates nothing per update.
 */
import { DbrConversionError, encodeDbr, paddedDbrSize } from '../wire/dbr'
import { Eca } from '../wire/protocol'
import type { PvSnapshot } from '../wire/snapshot'

/**
 * An encoded DBR payload: `bytes[0, size)`, already padded; all zero when `status` is not ECA_NORMAL. Valid
 * until the cache is next asked for this type and count: copy the bytes out at once.
 */
export interface EncodedPayload {
  readonly dbrType: number
  readonly count: number
  readonly bytes: Buffer
  readonly size: number
  readonly status: number
  /** Why encoding failed, when it did. */
  readonly error: string | undefined
}

/** Enough for the usual mix (a TIME monitor, a CTRL read, a plain get…) without growing under abuse. */
const MAX_ENTRIES = 16

class CacheEntry implements EncodedPayload {
  readonly bytes: Buffer
  readonly size: number
  status: number = Eca.NORMAL
  error: string | undefined = undefined
  /** The snapshot `bytes` hold (undefined: nothing encoded yet). */
  snapshot: PvSnapshot | undefined = undefined

  constructor(
    readonly dbrType: number,
    readonly count: number,
  ) {
    this.size = paddedDbrSize(dbrType, count)
    this.bytes = Buffer.allocUnsafe(this.size)
  }

  encode(snapshot: PvSnapshot): void {
    this.snapshot = snapshot
    try {
      encodeDbr(this.bytes, 0, this.dbrType, this.count, snapshot)
      this.status = Eca.NORMAL
      this.error = undefined
    } catch (error) {
      this.bytes.fill(0)
      this.status = error instanceof DbrConversionError ? error.status : Eca.GETFAIL
      this.error = error instanceof DbrConversionError ? error.message : String(error)
    }
  }
}

export class EncodedSnapshotCache {
  private readonly entries: CacheEntry[] = []
  private nextVictim = 0
  /** Encodings done (misses), for tests and statistics. */
  encodings = 0

  /** The payload of `snapshot` as `dbrType` with exactly `count` elements (count already resolved, not 0). */
  get(snapshot: PvSnapshot, dbrType: number, count: number): EncodedPayload {
    const entry = this.entryFor(dbrType, count)
    if (entry.snapshot !== snapshot) {
      entry.encode(snapshot)
      this.encodings++
    }
    return entry
  }

  private entryFor(dbrType: number, count: number): CacheEntry {
    const entries = this.entries
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]
      if (entry.dbrType === dbrType && entry.count === count) return entry
    }
    const entry = new CacheEntry(dbrType, count)
    if (entries.length < MAX_ENTRIES) entries.push(entry)
    else {
      entries[this.nextVictim] = entry
      this.nextVictim = (this.nextVictim + 1) % MAX_ENTRIES
    }
    return entry
  }
}

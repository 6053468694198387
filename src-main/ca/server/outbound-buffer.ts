/**
 * Where a circuit assembles its replies between flushes. Messages are written straight into a slab; a flush
 * hands the written region to the socket and keeps appending after it in the same slab (the region handed
 * over is never touched again).
 *
 * Slabs follow the batch size, so that a flush is one write (a few at most) and nothing is copied: a batch
 * that outgrows its slab continues in one twice the size, and after a flush the next slab, when one is
 * needed, has room for two batches like the last one. A busy circuit thus allocates a slab every other flush
 * instead of a Buffer per message, and an idle one keeps a small slab.
 */

/** Slabs grow up to this size; larger batches continue in more slabs of this size. */
const MAX_SLAB = 1024 * 1024

export class OutboundBuffer {
  /** Write the next message here, starting at `position`, after `reserve` made room. */
  buffer: Buffer
  position = 0
  /** Start of the bytes written to `buffer` and not yet taken. */
  private start = 0
  /** Regions of this batch in earlier slabs, oldest first. */
  private readonly earlier: Buffer[] = []
  private earlierBytes = 0

  constructor(private readonly slabSize = 16 * 1024) {
    this.buffer = Buffer.allocUnsafe(slabSize)
  }

  /** Makes room for `size` more bytes at `position` (possibly in a fresh slab). */
  reserve(size: number): void {
    if (this.buffer.length - this.position >= size) return
    if (this.position > this.start) {
      this.earlier.push(this.buffer.subarray(this.start, this.position))
      this.earlierBytes += this.position - this.start
    }
    this.startSlab(Math.max(Math.min(2 * this.buffer.length, MAX_SLAB), size))
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.earlierBytes + this.position - this.start
  }

  /** How many Buffers `take` would hand over (1 unless the batch outgrew its slab). */
  get regions(): number {
    return this.earlier.length + (this.position > this.start ? 1 : 0)
  }

  /**
   * Hands every written byte to `write` (one call per region, oldest first) and forgets them. The regions are
   * never modified afterwards, so `write` may keep them (socket.write does).
   */
  take(write: (chunk: Buffer) => void): void {
    const batch = this.length
    for (let i = 0; i < this.earlier.length; i++) write(this.earlier[i])
    this.earlier.length = 0
    this.earlierBytes = 0
    if (this.position > this.start) {
      write(this.buffer.subarray(this.start, this.position))
      this.start = this.position
    }
    // The next batch is likely about this size: give it a fresh slab now if it would not fit, and let a slab
    // that grew for a burst go once batches are small again (an idle circuit keeps only a small one).
    const size = Math.max(this.slabSize, Math.min(2 * batch, MAX_SLAB))
    if (this.buffer.length - this.position < Math.max(batch, 64) || this.buffer.length > 2 * size) {
      this.startSlab(size)
    }
  }

  /** Drops everything not yet taken (the circuit is closing). */
  clear(): void {
    this.earlier.length = 0
    this.earlierBytes = 0
    this.start = this.position
  }

  private startSlab(size: number): void {
    this.buffer = Buffer.allocUnsafe(size)
    this.position = 0
    this.start = 0
  }
}

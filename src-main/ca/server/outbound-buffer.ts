/**
 * Where a circuit assembles its replies between flushes. Messages are written straight into a slab; a flush
 * hands the written region to the socket and keeps appending after it in the same slab (the region handed
 * over is never touched again), so a busy circuit allocates one slab per `slabSize` bytes sent, not one
 * Buffer per message.
 */
export class OutboundBuffer {
  /** Write the next message here, starting at `position`, after `reserve` made room. */
  buffer: Buffer
  position = 0
  private flushedUpTo = 0
  private readonly filled: Buffer[] = []
  private filledBytes = 0

  constructor(private readonly slabSize = 16 * 1024) {
    this.buffer = Buffer.allocUnsafe(slabSize)
  }

  /** Makes room for `size` more bytes at `position` (possibly in a fresh slab). */
  reserve(size: number): void {
    if (this.buffer.length - this.position >= size) return
    if (this.position > this.flushedUpTo) {
      this.filled.push(this.buffer.subarray(this.flushedUpTo, this.position))
      this.filledBytes += this.position - this.flushedUpTo
    }
    this.buffer = Buffer.allocUnsafe(Math.max(this.slabSize, size))
    this.position = 0
    this.flushedUpTo = 0
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.filledBytes + this.position - this.flushedUpTo
  }

  /**
   * Hands every written byte to `write` (one call per contiguous region, oldest first) and forgets them. The
   * regions are never modified afterwards, so `write` may keep them (socket.write does).
   */
  take(write: (chunk: Buffer) => void): void {
    if (this.filled.length > 0) {
      for (const chunk of this.filled) write(chunk)
      this.filled.length = 0
      this.filledBytes = 0
    }
    if (this.position > this.flushedUpTo) {
      write(this.buffer.subarray(this.flushedUpTo, this.position))
      this.flushedUpTo = this.position
    }
    if (this.buffer.length - this.position < 64) {
      // Not worth keeping a nearly full slab: the next reserve would replace it anyway.
      this.buffer = Buffer.allocUnsafe(this.slabSize)
      this.position = 0
      this.flushedUpTo = 0
    }
  }

  /** Drops everything not yet taken (the circuit is closing). */
  clear(): void {
    this.filled.length = 0
    this.filledBytes = 0
    this.flushedUpTo = this.position
  }
}

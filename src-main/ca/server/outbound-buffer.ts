/**
 * Where a circuit assembles its replies between flushes. Messages are written straight into a slab; a flush
 * hands the written region to the socket as ONE Buffer (one write call, no writev of many small chunks) and
 * keeps appending after it in the same slab (the region handed over is never touched again). When a batch
 * outgrows its slab, the batch so far moves to a slab twice the size: a busy circuit allocates a slab now and
 * then and copies each byte at most about once more, instead of allocating one Buffer per message.
 */
export class OutboundBuffer {
  /** Write the next message here, starting at `position`, after `reserve` made room. */
  buffer: Buffer
  position = 0
  /** Start of the bytes written and not yet taken. */
  private start = 0

  constructor(private readonly slabSize = 16 * 1024) {
    this.buffer = Buffer.allocUnsafe(slabSize)
  }

  /** Makes room for `size` more bytes at `position` (possibly in a fresh slab). */
  reserve(size: number): void {
    if (this.buffer.length - this.position >= size) return
    const pending = this.position - this.start
    const next = Buffer.allocUnsafe(Math.max(this.slabSize, 2 * pending + size))
    if (pending > 0) this.buffer.copy(next, 0, this.start, this.position)
    this.buffer = next
    this.start = 0
    this.position = pending
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.position - this.start
  }

  /**
   * Every byte written since the last take, as one Buffer, and forgets them; undefined when there are none.
   * The region is never modified afterwards, so the caller may keep it (socket.write does).
   */
  take(): Buffer | undefined {
    if (this.position === this.start) return undefined
    const taken = this.buffer.subarray(this.start, this.position)
    this.start = this.position
    if (this.buffer.length - this.position < 64) {
      // Not worth keeping a nearly full slab: the next reserve would replace it anyway.
      this.buffer = Buffer.allocUnsafe(this.slabSize)
      this.position = 0
      this.start = 0
    }
    return taken
  }

  /** Drops everything not yet taken (the circuit is closing). */
  clear(): void {
    this.start = this.position
  }
}

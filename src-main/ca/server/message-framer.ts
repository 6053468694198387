/**
 * Splits a TCP byte stream into CA messages, whatever the fragmentation: complete messages are handed over in
 * place from the chunk they arrived in; only a message cut by a chunk boundary is copied, into a buffer that
 * grows with the bytes actually received (never with the size a header merely claims).
 */
import { MessageHeader, readHeader } from '../wire/header'

export interface FramedMessageSink {
  /**
   * One complete message: header fields in `header`, header bytes at `source[start, payloadStart)`, payload at
   * `source[payloadStart, payloadStart + header.payloadSize)`. `source` is only valid during the call.
   */
  onMessage(header: MessageHeader, source: Buffer, start: number, payloadStart: number): void
  /**
   * A header whose payload exceeds the limit: the payload is skipped as it arrives (rsrv answers ECA_TOLARGE
   * and keeps the circuit). The header bytes are at `source[start, start + header.size)`.
   */
  onOversized(header: MessageHeader, source: Buffer, start: number): void
}

/** The stream is unusable (the circuit must close); `message` says why. */
export class FramingError extends Error {}

export class MessageFramer {
  /** Parse 0xFFFF headers as extended (the peer speaks >= 4.9). */
  extendedAllowed = true
  private readonly header = new MessageHeader()
  private pending: Buffer = Buffer.alloc(0)
  private pendingLength = 0
  private discarding = 0
  private stopped = false

  constructor(
    private readonly sink: FramedMessageSink,
    /** Largest payload accepted; larger ones are reported with onOversized and skipped. */
    public maxPayloadBytes: number,
  ) {}

  /** Bytes held back waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.pendingLength
  }

  /** Stops delivering messages (the circuit closed), even from the chunk being processed. */
  stop(): void {
    this.stopped = true
    this.pending = Buffer.alloc(0)
    this.pendingLength = 0
  }

  /** Feeds the next chunk of the stream. Throws FramingError on a malformed header. */
  push(chunk: Buffer): void {
    let offset = 0
    const length = chunk.length
    if (this.discarding > 0) {
      const skipped = Math.min(this.discarding, length)
      this.discarding -= skipped
      offset = skipped
    }
    if (this.pendingLength > 0 && offset < length) offset = this.completePending(chunk, offset)
    const header = this.header
    while (offset < length && !this.stopped) {
      const headerSize = readHeader(chunk, offset, length, this.extendedAllowed, header)
      if (headerSize === 0) break
      const payloadSize = header.payloadSize
      this.validate(header)
      if (payloadSize > this.maxPayloadBytes) {
        this.sink.onOversized(header, chunk, offset)
        const available = length - offset - headerSize
        if (available >= payloadSize) {
          offset += headerSize + payloadSize
          continue
        }
        this.discarding = payloadSize - available
        return
      }
      const end = offset + headerSize + payloadSize
      if (end > length) break
      this.sink.onMessage(header, chunk, offset, offset + headerSize)
      offset = end
    }
    if (offset < length && !this.stopped) this.append(chunk, offset, length)
  }

  /** Moves bytes from `chunk` into the pending message until it is complete (then delivers it). */
  private completePending(chunk: Buffer, offset: number): number {
    const header = this.header
    const length = chunk.length
    for (;;) {
      let headerSize = readHeader(this.pending, 0, this.pendingLength, this.extendedAllowed, header)
      if (headerSize === 0) {
        // Add at most one extended header's worth: the rest may belong to the next message.
        const take = Math.min(24 - this.pendingLength, length - offset)
        this.append(chunk, offset, offset + take)
        offset += take
        headerSize = readHeader(this.pending, 0, this.pendingLength, this.extendedAllowed, header)
        if (headerSize === 0) {
          if (offset >= length) return offset
          continue
        }
      }
      this.validate(header)
      const payloadSize = header.payloadSize
      if (payloadSize > this.maxPayloadBytes) {
        this.sink.onOversized(header, this.pending, 0)
        // Bytes already held past the header belong to the skipped payload (or, if short, beyond it).
        const held = this.pendingLength - headerSize
        this.pendingLength = 0
        const rest = payloadSize - held
        const skipped = Math.min(rest, length - offset)
        this.discarding = rest - skipped
        return offset + skipped
      }
      const total = headerSize + payloadSize
      if (this.pendingLength > total) {
        // We read too far (a short message after a partial header): hand back the surplus.
        const surplus = this.pendingLength - total
        this.pendingLength = total
        offset -= surplus
      }
      const take = Math.min(total - this.pendingLength, length - offset)
      this.append(chunk, offset, offset + take)
      offset += take
      if (this.pendingLength < total) return offset
      this.pendingLength = 0
      this.sink.onMessage(header, this.pending, 0, headerSize)
      return offset
    }
  }

  private validate(header: MessageHeader): void {
    if ((header.payloadSize & 7) !== 0) {
      this.stopped = true
      throw new FramingError(
        `payload size ${header.payloadSize} of command ${header.command} is not a multiple of 8`,
      )
    }
  }

  private append(source: Buffer, start: number, end: number): void {
    const needed = this.pendingLength + (end - start)
    if (needed > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.pending.length * 2, 256))
      this.pending.copy(grown, 0, 0, this.pendingLength)
      this.pending = grown
    }
    source.copy(this.pending, this.pendingLength, start, end)
    this.pendingLength = needed
  }
}

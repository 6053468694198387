/**
 * CA message headers: the 16-byte standard form and the 24-byte extended form (CA >= 4.9), read in place from a
 * Buffer into a reusable `MessageHeader` and written straight into a target Buffer. Payloads are padded to 8.
 */
import { EXTENDED_HEADER_SIZE, EXTENDED_MARKER, STANDARD_HEADER_SIZE } from './protocol'

/** One decoded header. Reuse a single instance per reader: `readHeader` overwrites every field. */
export class MessageHeader {
  command = 0
  /** Payload bytes that follow the header (the real size for an extended header). */
  payloadSize = 0
  dataType = 0
  /** Element count (the real count for an extended header). */
  count = 0
  parameter1 = 0
  parameter2 = 0
  /** 16 or 24: how many bytes the header itself took. */
  size = STANDARD_HEADER_SIZE

  get extended(): boolean {
    return this.size === EXTENDED_HEADER_SIZE
  }

  /** A copy that outlives the next read (for requests answered asynchronously). */
  clone(): MessageHeader {
    const copy = new MessageHeader()
    copy.command = this.command
    copy.payloadSize = this.payloadSize
    copy.dataType = this.dataType
    copy.count = this.count
    copy.parameter1 = this.parameter1
    copy.parameter2 = this.parameter2
    copy.size = this.size
    return copy
  }
}

/**
 * Reads the header at `offset` (bytes up to `end` are available). Returns the header length (16 or 24), or 0 if
 * the bytes available do not yet hold the whole header. A postsize of 0xFFFF with count 0 is an extended header
 * only when `extendedAllowed` (the peer speaks >= 4.9); otherwise it is taken literally.
 */
export function readHeader(
  source: Buffer,
  offset: number,
  end: number,
  extendedAllowed: boolean,
  out: MessageHeader,
): number {
  if (end - offset < STANDARD_HEADER_SIZE) return 0
  // Plain indexed reads: this runs once per message, and Buffer.readUIntXBE's checks cost more than the read.
  const postsize = readU16(source, offset + 2)
  const count = readU16(source, offset + 6)
  out.command = readU16(source, offset)
  out.dataType = readU16(source, offset + 4)
  out.parameter1 = readU32(source, offset + 8)
  out.parameter2 = readU32(source, offset + 12)
  if (postsize === EXTENDED_MARKER && count === 0 && extendedAllowed) {
    if (end - offset < EXTENDED_HEADER_SIZE) return 0
    out.payloadSize = readU32(source, offset + 16)
    out.count = readU32(source, offset + 20)
    out.size = EXTENDED_HEADER_SIZE
    return EXTENDED_HEADER_SIZE
  }
  out.payloadSize = postsize
  out.count = count
  out.size = STANDARD_HEADER_SIZE
  return STANDARD_HEADER_SIZE
}

/** Big-endian u16 at `at`; the caller has checked that the bytes are there. */
export function readU16(source: Uint8Array, at: number): number {
  return (source[at] << 8) | source[at + 1]
}

/** Big-endian u32 at `at`; the caller has checked that the bytes are there. */
export function readU32(source: Uint8Array, at: number): number {
  return ((source[at] << 24) | (source[at + 1] << 16) | (source[at + 2] << 8) | source[at + 3]) >>> 0
}

/** Writes the low 16 bits of `value` big-endian at `at`; the caller has made room. */
export function writeU16(target: Uint8Array, at: number, value: number): void {
  target[at] = value >>> 8
  target[at + 1] = value
}

/** Writes the low 32 bits of `value` big-endian at `at`; the caller has made room. */
export function writeU32(target: Uint8Array, at: number, value: number): void {
  target[at] = value >>> 24
  target[at + 1] = value >>> 16
  target[at + 2] = value >>> 8
  target[at + 3] = value
}

/** Rounds a payload length up to the next multiple of 8 (CA pads every payload). */
export function padded(length: number): number {
  return (length + 7) & ~7
}

/** rsrv and libca switch to the extended form when the padded payload or the count reaches 0xFFFF. */
export function needsExtendedHeader(payloadSize: number, count: number): boolean {
  return payloadSize >= EXTENDED_MARKER || count >= EXTENDED_MARKER
}

export function headerSizeFor(payloadSize: number, count: number): number {
  return needsExtendedHeader(payloadSize, count) ? EXTENDED_HEADER_SIZE : STANDARD_HEADER_SIZE
}

/**
 * Writes a header at `offset`, in extended form when `payloadSize` or `count` needs it (the caller must only do
 * that for peers >= 4.9). `payloadSize` must already be padded. Returns the offset just past the header.
 */
export function writeHeader(
  target: Buffer,
  offset: number,
  command: number,
  payloadSize: number,
  dataType: number,
  count: number,
  parameter1: number,
  parameter2: number,
): number {
  // Indexed writes (see readHeader): every reply and monitor update passes here.
  writeU16(target, offset, command)
  writeU16(target, offset + 4, dataType)
  writeU32(target, offset + 8, parameter1)
  writeU32(target, offset + 12, parameter2)
  if (needsExtendedHeader(payloadSize, count)) {
    writeU16(target, offset + 2, EXTENDED_MARKER)
    writeU16(target, offset + 6, 0)
    writeU32(target, offset + 16, payloadSize)
    writeU32(target, offset + 20, count)
    return offset + EXTENDED_HEADER_SIZE
  }
  writeU16(target, offset + 2, payloadSize)
  writeU16(target, offset + 6, count)
  return offset + STANDARD_HEADER_SIZE
}

/** Zero-fills `[from, to)`: padding bytes in reused output buffers must not leak old data. */
export function zeroFill(target: Buffer, from: number, to: number): void {
  // Padding is at most 7 bytes: a loop beats the native fill call for that.
  if (to - from > 32) target.fill(0, from, to)
  else for (let i = from; i < to; i++) target[i] = 0
}

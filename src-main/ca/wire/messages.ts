/**
 * Encoders for every Channel Access message, in both directions: server replies and client requests (so tests,
 * the benchmark and a future client share them). Each `writeX(target, offset, …)` writes one whole message,
 * padding included, into `target` and returns the offset just past it; the caller guarantees room (see
 * `xSize` helpers). `encodeMessage` turns any writer into an allocating call for tests.
 *
 * DBR payloads are encoded by dbr.ts; data replies here copy an already encoded (and padded) payload so the same
 * bytes can be shared by every client that asked for the same (snapshot, type, count).
 */
import { headerSizeFor, padded, writeHeader, writeU16, zeroFill } from './header'
import {
  CA_MINOR_VERSION,
  Command,
  DONT_REPLY,
  EXTENDED_HEADER_SIZE,
  MAX_ERROR_MESSAGE_BYTES,
  SEARCH_REPLY_USE_SOURCE_ADDRESS,
} from './protocol'

const SMALL_COPY = 32

/** Padded payload bytes of a NUL-terminated latin-1 string. */
export function stringPayloadSize(text: string): number {
  return padded(text.length + 1)
}

/** Writes `text` in latin-1, a NUL and zero padding; returns the offset past the padding. */
function writeString(target: Buffer, offset: number, text: string, payloadSize: number): number {
  const written = target.write(text, offset, text.length, 'latin1')
  zeroFill(target, offset + written, offset + payloadSize)
  return offset + payloadSize
}

function writeStringMessage(
  target: Buffer,
  offset: number,
  command: number,
  dataType: number,
  count: number,
  parameter1: number,
  parameter2: number,
  text: string,
): number {
  const payloadSize = stringPayloadSize(text)
  const at = writeHeader(target, offset, command, payloadSize, dataType, count, parameter1, parameter2)
  return writeString(target, at, text, payloadSize)
}

function writeBare(
  target: Buffer,
  offset: number,
  command: number,
  dataType: number,
  count: number,
  parameter1: number,
  parameter2: number,
): number {
  return writeHeader(target, offset, command, 0, dataType, count, parameter1, parameter2)
}

// ---------------------------------------------------------------------------------------------------------
// Both directions

/**
 * VERSION. Over TCP a client puts its priority in `dataType`; the server sends dataType 0. In a UDP datagram the
 * sender puts SEQUENCE_VALID (1) in `dataType` and the search sequence number in `sequence`.
 */
export function writeVersion(
  target: Buffer,
  offset: number,
  dataType: number,
  minorVersion: number = CA_MINOR_VERSION,
  sequence = 0,
): number {
  return writeBare(target, offset, Command.VERSION, dataType, minorVersion, sequence, 0)
}

/** ECHO request, and the server's reply (the same header). */
export function writeEcho(target: Buffer, offset: number): number {
  return writeBare(target, offset, Command.ECHO, 0, 0, 0, 0)
}

/** Copies a received message (header and payload) unchanged: the reply to ECHO and READ_SYNC. */
export function writeCopy(
  target: Buffer,
  offset: number,
  source: Buffer,
  start: number,
  end: number,
): number {
  source.copy(target, offset, start, end)
  return offset + (end - start)
}

// ---------------------------------------------------------------------------------------------------------
// Client -> server

export function writeSearchRequest(
  target: Buffer,
  offset: number,
  name: string,
  searchId: number,
  replyFlag: number = DONT_REPLY,
  minorVersion: number = CA_MINOR_VERSION,
): number {
  return writeStringMessage(target, offset, Command.SEARCH, replyFlag, minorVersion, searchId, searchId, name)
}

export function writeCreateChanRequest(
  target: Buffer,
  offset: number,
  name: string,
  cid: number,
  minorVersion: number = CA_MINOR_VERSION,
): number {
  return writeStringMessage(target, offset, Command.CREATE_CHAN, 0, 0, cid, minorVersion, name)
}

export function writeClientName(target: Buffer, offset: number, userName: string): number {
  return writeStringMessage(target, offset, Command.CLIENT_NAME, 0, 0, 0, 0, userName)
}

export function writeHostName(target: Buffer, offset: number, hostName: string): number {
  return writeStringMessage(target, offset, Command.HOST_NAME, 0, 0, 0, 0, hostName)
}

export function writeReadNotifyRequest(
  target: Buffer,
  offset: number,
  dbrType: number,
  count: number,
  sid: number,
  ioid: number,
): number {
  return writeBare(target, offset, Command.READ_NOTIFY, dbrType, count, sid, ioid)
}

/** The obsolete READ (3): same fields as READ_NOTIFY, answered without a status. */
export function writeReadRequest(
  target: Buffer,
  offset: number,
  dbrType: number,
  count: number,
  sid: number,
  ioid: number,
): number {
  return writeBare(target, offset, Command.READ, dbrType, count, sid, ioid)
}

/**
 * WRITE (no reply) or WRITE_NOTIFY: `payload[start, end)` holds the encoded DBR value; it is copied and padded.
 * libca puts the CID in p2 of a plain WRITE; pass it as `ioid`.
 */
export function writeWriteRequest(
  target: Buffer,
  offset: number,
  notify: boolean,
  dbrType: number,
  count: number,
  sid: number,
  ioid: number,
  payload: Buffer,
  start = 0,
  end = payload.length,
): number {
  const length = end - start
  const payloadSize = padded(length)
  const command = notify ? Command.WRITE_NOTIFY : Command.WRITE
  const at = writeHeader(target, offset, command, payloadSize, dbrType, count, sid, ioid)
  payload.copy(target, at, start, end)
  zeroFill(target, at + length, at + payloadSize)
  return at + payloadSize
}

export const EVENT_ADD_REQUEST_PAYLOAD_SIZE = 16

/** EVENT_ADD request: three legacy f32 (always 0) then the u16 event mask and a u16 pad. */
export function writeEventAddRequest(
  target: Buffer,
  offset: number,
  dbrType: number,
  count: number,
  sid: number,
  subscriptionId: number,
  mask: number,
): number {
  const at = writeHeader(
    target,
    offset,
    Command.EVENT_ADD,
    EVENT_ADD_REQUEST_PAYLOAD_SIZE,
    dbrType,
    count,
    sid,
    subscriptionId,
  )
  zeroFill(target, at, at + 12)
  target.writeUInt16BE(mask, at + 12)
  target.writeUInt16BE(0, at + 14)
  return at + EVENT_ADD_REQUEST_PAYLOAD_SIZE
}

export function writeEventCancelRequest(
  target: Buffer,
  offset: number,
  dbrType: number,
  count: number,
  sid: number,
  subscriptionId: number,
): number {
  return writeBare(target, offset, Command.EVENT_CANCEL, dbrType, count, sid, subscriptionId)
}

export function writeClearChannelRequest(target: Buffer, offset: number, sid: number, cid: number): number {
  return writeBare(target, offset, Command.CLEAR_CHANNEL, 0, 0, sid, cid)
}

export function writeEventsOff(target: Buffer, offset: number): number {
  return writeBare(target, offset, Command.EVENTS_OFF, 0, 0, 0, 0)
}

export function writeEventsOn(target: Buffer, offset: number): number {
  return writeBare(target, offset, Command.EVENTS_ON, 0, 0, 0, 0)
}

export function writeReadSync(target: Buffer, offset: number): number {
  return writeBare(target, offset, Command.READ_SYNC, 0, 0, 0, 0)
}

/** REPEATER_REGISTER, sent by a client to its caRepeater; p2 = the client's IPv4 address (may be 0). */
export function writeRepeaterRegister(target: Buffer, offset: number, clientAddress = 0): number {
  return writeBare(target, offset, Command.REPEATER_REGISTER, 0, 0, 0, clientAddress)
}

// ---------------------------------------------------------------------------------------------------------
// Server -> client

export const SEARCH_REPLY_PAYLOAD_SIZE = 8

/**
 * UDP SEARCH reply: dataType = our TCP port, p1 = server address (0xFFFFFFFF: "the datagram's source"),
 * p2 = search ID, payload = u16 minor version + 6 zero bytes (libca ignores the port without it).
 */
export function writeSearchReply(
  target: Buffer,
  offset: number,
  tcpPort: number,
  searchId: number,
  serverAddress: number = SEARCH_REPLY_USE_SOURCE_ADDRESS,
  minorVersion: number = CA_MINOR_VERSION,
): number {
  const at = writeHeader(
    target,
    offset,
    Command.SEARCH,
    SEARCH_REPLY_PAYLOAD_SIZE,
    tcpPort,
    0,
    serverAddress,
    searchId,
  )
  writeU16(target, at, minorVersion)
  zeroFill(target, at + 2, at + SEARCH_REPLY_PAYLOAD_SIZE)
  return at + SEARCH_REPLY_PAYLOAD_SIZE
}

/** SEARCH reply over TCP: no payload (an 8-byte payload here crashed CAJ clients). */
export function writeSearchReplyTcp(
  target: Buffer,
  offset: number,
  tcpPort: number,
  searchId: number,
  serverAddress: number = SEARCH_REPLY_USE_SOURCE_ADDRESS,
): number {
  return writeBare(target, offset, Command.SEARCH, tcpPort, 0, serverAddress, searchId)
}

/** NOT_FOUND (TCP only, only for DO_REPLY): echoes the reply flag and version, p1 = p2 = search ID. */
export function writeNotFound(
  target: Buffer,
  offset: number,
  replyFlag: number,
  minorVersion: number,
  searchId: number,
): number {
  return writeBare(target, offset, Command.NOT_FOUND, replyFlag, minorVersion, searchId, searchId)
}

/** Beacon (RSRV_IS_UP): dataType = minor version, count = TCP port, p1 = beacon ID, p2 = address or 0. */
export function writeBeacon(
  target: Buffer,
  offset: number,
  tcpPort: number,
  beaconId: number,
  serverAddress = 0,
  minorVersion: number = CA_MINOR_VERSION,
): number {
  return writeBare(target, offset, Command.RSRV_IS_UP, minorVersion, tcpPort, beaconId, serverAddress)
}

/** REPEATER_CONFIRM, the repeater's answer to REPEATER_REGISTER; p2 = the client address. */
export function writeRepeaterConfirm(target: Buffer, offset: number, clientAddress: number): number {
  return writeBare(target, offset, Command.REPEATER_CONFIRM, 0, 0, 0, clientAddress)
}

export function writeAccessRights(target: Buffer, offset: number, cid: number, rights: number): number {
  return writeBare(target, offset, Command.ACCESS_RIGHTS, 0, 0, cid, rights)
}

/** CREATE_CHAN reply: native type and the maximum count (extended form when count >= 0xFFFF). */
export function writeCreateChanReply(
  target: Buffer,
  offset: number,
  nativeType: number,
  maxCount: number,
  cid: number,
  sid: number,
): number {
  return writeBare(target, offset, Command.CREATE_CHAN, nativeType, maxCount, cid, sid)
}

export function writeCreateChanFail(target: Buffer, offset: number, cid: number): number {
  return writeBare(target, offset, Command.CREATE_CH_FAIL, 0, 0, cid, 0)
}

export function writeClearChannelReply(
  target: Buffer,
  offset: number,
  dataType: number,
  count: number,
  sid: number,
  cid: number,
): number {
  return writeBare(target, offset, Command.CLEAR_CHANNEL, dataType, count, sid, cid)
}

export function writeServerDisconn(target: Buffer, offset: number, cid: number): number {
  return writeBare(target, offset, Command.SERVER_DISCONN, 0, 0, cid, 0)
}

/** WRITE_NOTIFY reply: p1 = ECA status, p2 = IOID, no payload. */
export function writeWriteNotifyReply(
  target: Buffer,
  offset: number,
  dbrType: number,
  count: number,
  status: number,
  ioid: number,
): number {
  return writeBare(target, offset, Command.WRITE_NOTIFY, dbrType, count, status, ioid)
}

/**
 * A reply carrying DBR data: READ_NOTIFY (p1 = status, p2 = IOID), EVENT_ADD (p1 = status, p2 = subscription
 * ID) or READ (p1 = CID, p2 = IOID). `payload[start, start + payloadSize)` is the encoded, already padded DBR.
 */
export function writeDataReply(
  target: Buffer,
  offset: number,
  command: number,
  dbrType: number,
  count: number,
  parameter1: number,
  parameter2: number,
  payload: Buffer,
  start: number,
  payloadSize: number,
): number {
  const at = writeHeader(target, offset, command, payloadSize, dbrType, count, parameter1, parameter2)
  if (payloadSize <= SMALL_COPY) {
    // Scalars: a plain loop beats the native copy call for a few bytes (the get and monitor hot path).
    for (let i = 0; i < payloadSize; i++) target[at + i] = payload[start + i]
  } else {
    payload.copy(target, at, start, start + payloadSize)
  }
  return at + payloadSize
}

/** A data reply whose payload is `payloadSize` zero bytes: how failed gets and NORDACCESS updates look. */
export function writeZeroDataReply(
  target: Buffer,
  offset: number,
  command: number,
  dbrType: number,
  count: number,
  parameter1: number,
  parameter2: number,
  payloadSize: number,
): number {
  const at = writeHeader(target, offset, command, payloadSize, dbrType, count, parameter1, parameter2)
  zeroFill(target, at, at + payloadSize)
  return at + payloadSize
}

/**
 * EVENT_CANCEL confirmation: an EVENT_ADD with no payload, the subscription's type and count, p1 = SID (not a
 * status), p2 = subscription ID. Nothing may follow it for that subscription.
 */
export function writeEventCancelReply(
  target: Buffer,
  offset: number,
  dbrType: number,
  count: number,
  sid: number,
  subscriptionId: number,
): number {
  return writeBare(target, offset, Command.EVENT_ADD, dbrType, count, sid, subscriptionId)
}

/** Bytes an ERROR message takes (capped at 512, as rsrv does). */
export function errorMessageSize(requestHeaderSize: number, text: string): number {
  const textRoom = MAX_ERROR_MESSAGE_BYTES - EXTENDED_HEADER_SIZE - requestHeaderSize - 1
  const payloadSize = padded(requestHeaderSize + Math.min(text.length, textRoom) + 1)
  return headerSizeFor(payloadSize, 0) + payloadSize
}

/**
 * ERROR (11): p1 = CID of the affected channel (0xFFFFFFFF when none), p2 = ECA status; the payload is the
 * offending request header exactly as received (`request[start, start + requestHeaderSize)`) followed by a
 * NUL-terminated text. The text is cut so the whole message stays within 512 bytes.
 */
export function writeError(
  target: Buffer,
  offset: number,
  cid: number,
  status: number,
  request: Buffer,
  start: number,
  requestHeaderSize: number,
  text: string,
): number {
  const textRoom = MAX_ERROR_MESSAGE_BYTES - EXTENDED_HEADER_SIZE - requestHeaderSize - 1
  const textLength = Math.min(text.length, textRoom)
  const payloadSize = padded(requestHeaderSize + textLength + 1)
  const at = writeHeader(target, offset, Command.ERROR, payloadSize, 0, 0, cid, status)
  request.copy(target, at, start, start + requestHeaderSize)
  const textAt = at + requestHeaderSize
  const written = target.write(text, textAt, textLength, 'latin1')
  zeroFill(target, textAt + written, at + payloadSize)
  return at + payloadSize
}

// ---------------------------------------------------------------------------------------------------------
// Allocating helpers (tests, tools): not for hot paths.

/** Runs a writer into a fresh zeroed buffer and returns exactly the bytes written. */
export function encodeMessage<A extends unknown[]>(
  write: (target: Buffer, offset: number, ...args: A) => number,
  ...args: A
): Buffer {
  let capacity = 1024
  for (;;) {
    const scratch = Buffer.alloc(capacity)
    try {
      const end = write(scratch, 0, ...args)
      if (end <= capacity) return scratch.subarray(0, end)
      capacity = end
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      capacity *= 8
    }
  }
}

/** Concatenates messages, e.g. a UDP datagram [VERSION][SEARCH][SEARCH]. */
export function concatMessages(...messages: Buffer[]): Buffer {
  return Buffer.concat(messages)
}

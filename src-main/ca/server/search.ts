/**
 * Name search, sans-I/O: reading a search datagram ([VERSION][SEARCH]…), and building reply datagrams that each
 * start with a VERSION and hold at most 1024 bytes. The UDP transport lives in udp-search.ts.
 */
import { MessageHeader, readHeader } from '../wire/header'
import { writeSearchReply, writeVersion } from '../wire/messages'
import { nulOrEnd } from '../wire/text'
import {
  CA_MINIMUM_MINOR_VERSION,
  CA_SEQUENCE_MINOR_VERSION,
  Command,
  MAX_PV_NAME_LENGTH,
  MAX_UDP_REPLY_BYTES,
  SEQUENCE_VALID,
} from '../wire/protocol'

export interface SearchVisitor {
  /** One SEARCH, in datagram order. `clientMinorVersion` is the SEARCH's own version field. */
  onSearch(name: string, searchId: number, replyFlag: number, clientMinorVersion: number): void
}

/** What the VERSION prefix of a datagram said (if it had one). */
export class SearchDatagramInfo {
  hasVersion = false
  clientMinorVersion = 0
  sequence = 0
  sequenceValid = false
}

const header = new MessageHeader()

/**
 * Walks one datagram, reporting each SEARCH to `visitor`. Lenient about a missing VERSION prefix; ignores ECHO
 * and searches from clients older than 4.4 or with empty or absurdly long names; stops at the first other
 * command or at anything malformed (replies already due still go out, as in rsrv).
 */
export function readSearchDatagram(datagram: Buffer, visitor: SearchVisitor, info: SearchDatagramInfo): void {
  info.hasVersion = false
  info.clientMinorVersion = 0
  info.sequence = 0
  info.sequenceValid = false
  const end = datagram.length
  let offset = 0
  while (offset < end) {
    const headerSize = readHeader(datagram, offset, end, true, header)
    if (headerSize === 0) return
    const payloadStart = offset + headerSize
    const payloadEnd = payloadStart + header.payloadSize
    if ((header.payloadSize & 7) !== 0 || payloadEnd > end) return
    switch (header.command) {
      case Command.VERSION:
        info.hasVersion = true
        info.clientMinorVersion = header.count
        info.sequence = header.parameter1
        info.sequenceValid = header.dataType === SEQUENCE_VALID
        break
      case Command.SEARCH: {
        if (header.count < CA_MINIMUM_MINOR_VERSION || header.payloadSize <= 1) break
        let nameEnd = nulOrEnd(datagram, payloadStart, payloadEnd)
        if (nameEnd === payloadEnd) nameEnd = payloadEnd - 1
        const length = nameEnd - payloadStart
        if (length === 0 || length > MAX_PV_NAME_LENGTH) break
        visitor.onSearch(
          datagram.toString('latin1', payloadStart, nameEnd),
          header.parameter1,
          header.dataType,
          header.count,
        )
        break
      }
      case Command.ECHO:
        break
      default:
        return
    }
    offset = payloadEnd
  }
}

/**
 * Reply datagrams for one client: each starts with a VERSION (sequence copied when the client is >= 4.11) and
 * holds at most `MAX_UDP_REPLY_BYTES`.
 */
export class SearchReplyBatch {
  private readonly done: Buffer[] = []
  private current: Buffer | undefined
  private position = 0

  constructor(
    private readonly tcpPort: number,
    private readonly clientMinorVersion: number,
    private readonly sequence: number,
  ) {}

  add(searchId: number): void {
    if (this.current === undefined || this.position + 24 > MAX_UDP_REPLY_BYTES) this.startDatagram()
    this.position = writeSearchReply(this.current!, this.position, this.tcpPort, searchId)
  }

  get isEmpty(): boolean {
    return this.current === undefined
  }

  /** The finished datagrams; the batch is empty afterwards. */
  take(): Buffer[] {
    if (this.current !== undefined) this.done.push(this.current.subarray(0, this.position))
    this.current = undefined
    return this.done.splice(0)
  }

  private startDatagram(): void {
    if (this.current !== undefined) this.done.push(this.current.subarray(0, this.position))
    this.current = Buffer.allocUnsafe(MAX_UDP_REPLY_BYTES)
    this.position = 0
    if (this.clientMinorVersion >= CA_SEQUENCE_MINOR_VERSION) {
      this.position = writeVersion(this.current, 0, SEQUENCE_VALID, undefined, this.sequence)
    }
  }
}

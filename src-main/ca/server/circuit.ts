/**
 * One TCP virtual circuit: parses requests in place (MessageFramer), dispatches them on a switch, and writes
 * replies straight into an OutboundBuffer that goes to the socket once per batch (the end of each received
 * chunk, or the end of the event-loop turn for asynchronous completions and monitor updates).
 *
 * Flow control: while the client said EVENTS_OFF or the socket is congested, each subscription keeps only its
 * latest pending update (bounded memory, nothing the client needs is lost); replies to reads, writes and ECHO
 * still go out at once. When queued output grows past 4x the high-water mark the circuit stops reading.
 *
 * Nothing may throw out of a socket handler: a malformed stream closes this circuit with a reason, provider
 * failures become ECA statuses, and any unexpected exception closes only this circuit.
 */
import type { Socket } from 'node:net'
import type { Emitter } from '@shared/base/event'
import {
  DbrConversionError,
  availableCount,
  decodePutAcknowledge,
  decodePutValue,
  paddedDbrSize,
} from '../wire/dbr'
import { DbrType, isValidDbrType } from '../wire/dbr-types'
import type { MessageHeader } from '../wire/header'
import { headerSizeFor, needsExtendedHeader } from '../wire/header'
import {
  writeAccessRights,
  writeClearChannelReply,
  writeCopy,
  writeCreateChanFail,
  writeCreateChanReply,
  writeDataReply,
  writeError,
  writeEventCancelReply,
  writeNotFound,
  writeSearchReplyTcp,
  writeServerDisconn,
  writeVersion,
  writeWriteNotifyReply,
  writeZeroDataReply,
  errorMessageSize,
} from '../wire/messages'
import {
  CA_EXTENDED_HEADER_MINOR_VERSION,
  CA_MINIMUM_MINOR_VERSION,
  CA_MINOR_VERSION,
  Command,
  DO_REPLY,
  Eca,
  EXTENDED_HEADER_SIZE,
  MAX_PV_NAME_LENGTH,
  commandName,
  ecaMessage,
} from '../wire/protocol'
import type { PvSnapshot } from '../wire/snapshot'
import { readCString } from '../wire/text'
import { ServerChannel, Subscription } from './channel'
import type { ChannelOwner } from './channel'
import type { CaServerConfig } from './config'
import { FramingError, MessageFramer } from './message-framer'
import type { FramedMessageSink } from './message-framer'
import type { CaClientInfo, CaObservation, CaObservationKind } from './observations'
import { OutboundBuffer } from './outbound-buffer'
import { AccessRights, EventMask } from './provider'
import type { ClientIdentity, PvProvider, ServedPv, WriteOutcome } from './provider'
import type { SubscriptionFanout } from './subscription-fanout'

/** What a circuit needs from its server. */
export interface CircuitHost {
  readonly config: CaServerConfig
  /** Largest message sent or accepted (EPICS_CA_MAX_ARRAY_BYTES rules). */
  readonly maxMessageBytes: number
  readonly provider: PvProvider
  readonly tcpPort: number
  readonly observations: Emitter<CaObservation>
  fanoutFor(pv: ServedPv): SubscriptionFanout
  /** Flush this circuit at the end of the current event-loop turn. */
  requestFlush(circuit: CaCircuit): void
  circuitClosed(circuit: CaCircuit, reason: string): void
}

const NO_CID = 0xffffffff
/** rsrv refuses CLIENT_NAME / HOST_NAME payloads above this. */
const MAX_NAME_PAYLOAD = 512
const MAX_PRIORITY = 99
const DEFAULT_EVENT_MASK = EventMask.VALUE | EventMask.ALARM
/** Room for any header-only message. */
const BARE = EXTENDED_HEADER_SIZE

const WRITE_DONE: WriteOutcome = Object.freeze({ status: Eca.NORMAL })

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<T>).then === 'function'
}

export class CaCircuit implements FramedMessageSink, ChannelOwner {
  identity: ClientIdentity
  priority = 0
  readonly connectedSince = Date.now()
  bytesIn = 0
  bytesOut = 0
  coalescedUpdates = 0
  private readonly framer: MessageFramer
  private readonly out = new OutboundBuffer()
  private readonly channels: (ServerChannel | undefined)[] = []
  private readonly freeSids: number[] = []
  private channelCount = 0
  private readonly subscriptions = new Map<number, Subscription>()
  private queuedUpdates: Subscription[] = []
  private eventsEnabled = true
  private congested = false
  private readingPaused = false
  private pendingOperations = 0
  private processing = false
  private flushRequested = false
  private closed = false
  private readonly highWater: number
  private readonly writeChunk = (chunk: Buffer): void => {
    if (!this.socket.write(chunk)) this.congested = true
  }

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly host: CircuitHost,
  ) {
    this.identity = {
      circuitId: id,
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
      hostName: '',
      userName: '',
      minorVersion: CA_MINOR_VERSION,
    }
    this.highWater = host.config.sendHighWaterBytes
    this.framer = new MessageFramer(this, host.maxMessageBytes)
    socket.setNoDelay(true)
    socket.setKeepAlive(true)
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('drain', () => this.onDrain())
    socket.on('error', (error) => this.close(`socket error: ${error.message}`))
    socket.on('close', () => this.close('closed by the client'))
    socket.on('end', () => this.close('closed by the client'))
    this.observe('client-connect')
    // Send our VERSION at once: clients do not wait for each other's.
    this.out.reserve(BARE)
    this.out.position = writeVersion(this.out.buffer, this.out.position, 0, CA_MINOR_VERSION)
    this.flush()
  }

  get isClosed(): boolean {
    return this.closed
  }

  info(): CaClientInfo {
    return {
      circuitId: this.id,
      address: this.identity.address,
      port: this.identity.port,
      hostName: this.identity.hostName,
      userName: this.identity.userName,
      minorVersion: this.identity.minorVersion,
      priority: this.priority,
      channelCount: this.channelCount,
      subscriptionCount: this.subscriptions.size,
      pendingOperations: this.pendingOperations,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      connectedSince: this.connectedSince,
      eventsEnabled: this.eventsEnabled,
      coalescedUpdates: this.coalescedUpdates,
    }
  }

  /** Ends the circuit: releases channels and subscriptions, drops unsent output, closes the socket. */
  close(reason: string): void {
    if (this.closed) return
    this.closed = true
    this.framer.stop()
    for (const channel of this.channels) if (channel) this.dropChannel(channel)
    this.queuedUpdates = []
    this.socket.destroySoon()
    this.observe('client-disconnect', undefined, { message: reason })
    this.host.circuitClosed(this, reason)
  }

  /** Sends what is pending: called at the end of each received chunk and by the server once per turn. */
  flush(): void {
    this.flushRequested = false
    const out = this.out
    if (this.closed || out.length === 0) return
    this.bytesOut += out.length
    // Usually one region; several (a batch that outgrew its slab) go out in one writev.
    const several = out.regions > 1
    if (several) this.socket.cork()
    out.take(this.writeChunk)
    if (several) this.socket.uncork()
    this.updateReading()
  }

  // ---------------------------------------------------------------------------------------------------------
  // Socket events

  private onData(chunk: Buffer): void {
    if (this.closed) return
    this.bytesIn += chunk.length
    this.processing = true
    try {
      this.framer.push(chunk)
      this.processing = false
      this.flush()
    } catch (error) {
      this.processing = false
      if (!(error instanceof FramingError)) {
        this.closeOnInternalError(error)
        return
      }
      // Replies to the requests before the bad one still go out.
      this.flush()
      this.observe('error', undefined, { status: Eca.INTERNAL, message: `protocol error: ${error.message}` })
      this.close(`protocol error: ${error.message}`)
    }
  }

  private onDrain(): void {
    if (this.closed) return
    this.congested = false
    try {
      this.flushQueuedUpdates()
      this.flush()
    } catch (error) {
      this.closeOnInternalError(error)
    }
  }

  /** A bug of ours, not the client's: end this circuit with the reason and keep the server going. */
  private closeOnInternalError(error: unknown): void {
    const reason = `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
    this.observe('error', undefined, { status: Eca.INTERNAL, message: reason })
    this.close(reason)
  }

  private requestFlush(): void {
    if (this.processing || this.flushRequested || this.closed) return
    this.flushRequested = true
    this.host.requestFlush(this)
  }

  private updateReading(): void {
    const pause =
      this.socket.writableLength > 4 * this.highWater ||
      this.pendingOperations >= this.host.config.maxPendingWritesPerCircuit
    if (pause && !this.readingPaused) {
      this.readingPaused = true
      this.socket.pause()
    } else if (!pause && this.readingPaused) {
      this.readingPaused = false
      this.socket.resume()
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Dispatch (FramedMessageSink)

  onMessage(header: MessageHeader, source: Buffer, start: number, payloadStart: number): void {
    switch (header.command) {
      case Command.READ_NOTIFY:
        return this.handleRead(header, source, start)
      case Command.WRITE:
      case Command.WRITE_NOTIFY:
        return this.handleWrite(header, source, start, payloadStart)
      case Command.EVENT_ADD:
        return this.handleEventAdd(header, source, start, payloadStart)
      case Command.EVENT_CANCEL:
        return this.handleEventCancel(header, source, start)
      case Command.CREATE_CHAN:
        return this.handleCreateChannel(header, source, payloadStart)
      case Command.CLEAR_CHANNEL:
        return this.handleClearChannel(header, source, start)
      case Command.VERSION:
        return this.handleVersion(header)
      case Command.ECHO:
      case Command.READ_SYNC:
        this.out.reserve(header.size + header.payloadSize)
        this.out.position = writeCopy(
          this.out.buffer,
          this.out.position,
          source,
          start,
          payloadStart + header.payloadSize,
        )
        return
      case Command.EVENTS_OFF:
        this.eventsEnabled = false
        return
      case Command.EVENTS_ON:
        this.eventsEnabled = true
        this.flushQueuedUpdates()
        return
      case Command.CLIENT_NAME:
      case Command.HOST_NAME:
        return this.handleName(header, source, start, payloadStart)
      case Command.SEARCH:
        return this.handleSearch(header, source, payloadStart)
      case Command.READ:
        return this.handleRead(header, source, start)
      default:
        this.sendError(
          NO_CID,
          Eca.INTERNAL,
          source,
          start,
          header.size,
          `unexpected ${commandName(header.command)}`,
        )
        this.flush()
        this.close(`protocol error: client sent ${commandName(header.command)}`)
    }
  }

  onOversized(header: MessageHeader, source: Buffer, start: number): void {
    const channel = this.channelAt(header.parameter1)
    this.sendError(
      channel?.cid ?? NO_CID,
      Eca.TOLARGE,
      source,
      start,
      header.size,
      `${commandName(header.command)} payload of ${header.payloadSize} bytes exceeds the server's limit of ${this.host.maxMessageBytes}`,
    )
  }

  // ---------------------------------------------------------------------------------------------------------
  // Handshake and names

  private handleVersion(header: MessageHeader): void {
    const minorVersion = header.count
    const priority = header.dataType
    if (minorVersion < CA_MINIMUM_MINOR_VERSION || priority > MAX_PRIORITY) {
      this.close(`unsupported client version 4.${minorVersion} / priority ${priority}`)
      return
    }
    this.priority = priority
    this.setMinorVersion(minorVersion)
  }

  private setMinorVersion(minorVersion: number): void {
    if (minorVersion === this.identity.minorVersion) return
    this.identity = { ...this.identity, minorVersion }
    this.framer.extendedAllowed = minorVersion >= CA_EXTENDED_HEADER_MINOR_VERSION
  }

  private handleName(header: MessageHeader, source: Buffer, start: number, payloadStart: number): void {
    if (header.payloadSize > MAX_NAME_PAYLOAD) {
      this.sendError(NO_CID, Eca.INTERNAL, source, start, header.size, 'name longer than 512 bytes')
      this.flush()
      this.close(`${commandName(header.command)} longer than ${MAX_NAME_PAYLOAD} bytes`)
      return
    }
    const name = readCString(source, payloadStart, payloadStart + header.payloadSize)
    this.identity =
      header.command === Command.CLIENT_NAME
        ? { ...this.identity, userName: name }
        : { ...this.identity, hostName: name }
    // Access rules may depend on who we are talking to: re-evaluate channels already open.
    for (const channel of this.channels) if (channel) this.onAccessChanged(channel)
  }

  // ---------------------------------------------------------------------------------------------------------
  // Channels

  private channelAt(sid: number): ServerChannel | undefined {
    return sid < this.channels.length ? this.channels[sid] : undefined
  }

  private resolve(name: string): ServedPv | undefined {
    try {
      return this.host.provider.resolve(name)
    } catch (error) {
      this.observe('error', undefined, {
        pv: name,
        status: Eca.INTERNAL,
        message: `resolve failed: ${String(error)}`,
      })
      return undefined
    }
  }

  private handleSearch(header: MessageHeader, source: Buffer, payloadStart: number): void {
    const name = readCString(source, payloadStart, payloadStart + header.payloadSize)
    const found = name.length > 0 && name.length <= MAX_PV_NAME_LENGTH && this.resolve(name) !== undefined
    if (this.host.observations.hasListeners) {
      this.observe('search', undefined, { pv: name, found, transport: 'tcp' })
    }
    this.out.reserve(BARE)
    if (found) {
      this.out.position = writeSearchReplyTcp(
        this.out.buffer,
        this.out.position,
        this.host.tcpPort,
        header.parameter1,
      )
    } else if (header.dataType === DO_REPLY) {
      this.out.position = writeNotFound(
        this.out.buffer,
        this.out.position,
        header.dataType,
        header.count,
        header.parameter1,
      )
    }
  }

  private handleCreateChannel(header: MessageHeader, source: Buffer, payloadStart: number): void {
    const cid = header.parameter1
    if (header.parameter2 >= CA_MINIMUM_MINOR_VERSION && header.parameter2 <= 0xffff) {
      this.setMinorVersion(header.parameter2)
    }
    const name = readCString(source, payloadStart, payloadStart + header.payloadSize)
    if (name.length === 0 || name.length > MAX_PV_NAME_LENGTH) {
      return this.failCreateChannel(cid, name, 'bad channel name')
    }
    if (this.channelCount >= this.host.config.maxChannelsPerCircuit) {
      return this.failCreateChannel(
        cid,
        name,
        `too many channels on this circuit (limit ${this.host.config.maxChannelsPerCircuit})`,
      )
    }
    const pv = this.resolve(name)
    if (pv === undefined) return this.failCreateChannel(cid, name, 'no such PV')
    if (!(pv.nativeType >= 0 && pv.nativeType <= 6)) {
      return this.failCreateChannel(cid, name, `PV has invalid native type ${pv.nativeType}`)
    }
    let rights: number
    try {
      rights = pv.accessFor(this.identity) & AccessRights.READ_WRITE
    } catch (error) {
      return this.failCreateChannel(cid, name, `access check failed: ${String(error)}`)
    }
    const sid = this.freeSids.length > 0 ? this.freeSids.pop()! : this.channels.length
    const fanout = this.host.fanoutFor(pv)
    const channel = new ServerChannel(sid, cid, pv, fanout, this, rights)
    this.channels[sid] = channel
    this.channelCount++
    fanout.addChannel(channel)
    // rsrv clamps the declared count for clients that cannot receive extended headers.
    const count =
      this.identity.minorVersion >= CA_EXTENDED_HEADER_MINOR_VERSION
        ? pv.maxCount
        : Math.min(pv.maxCount, 0xfffe)
    this.out.reserve(2 * BARE)
    // Rights first: libca refuses reads and writes on a channel that connected without them.
    this.out.position = writeAccessRights(this.out.buffer, this.out.position, cid, rights)
    this.out.position = writeCreateChanReply(
      this.out.buffer,
      this.out.position,
      pv.nativeType,
      count,
      cid,
      sid,
    )
    if (this.host.observations.hasListeners) {
      this.observe('connect', pv, { status: Eca.NORMAL, count, rights })
    }
  }

  private failCreateChannel(cid: number, name: string, message: string): void {
    this.out.reserve(BARE)
    this.out.position = writeCreateChanFail(this.out.buffer, this.out.position, cid)
    if (this.host.observations.hasListeners) {
      this.observe('connect', undefined, { pv: name, status: Eca.BADCHID, message })
    }
  }

  private handleClearChannel(header: MessageHeader, source: Buffer, start: number): void {
    const channel = this.channelAt(header.parameter1)
    if (channel === undefined) {
      this.sendError(
        header.parameter2,
        Eca.BADCHID,
        source,
        start,
        header.size,
        `CLEAR_CHANNEL: no channel with SID ${header.parameter1}`,
      )
      return
    }
    this.dropChannel(channel)
    this.out.reserve(BARE)
    this.out.position = writeClearChannelReply(
      this.out.buffer,
      this.out.position,
      header.dataType,
      header.count,
      channel.sid,
      channel.cid,
    )
    if (this.host.observations.hasListeners) {
      this.observe('disconnect', channel.pv, { message: 'cleared by the client' })
    }
  }

  /** Forgets a channel and, silently, its subscriptions; late completions for it will send nothing. */
  private dropChannel(channel: ServerChannel): void {
    channel.alive = false
    const subscriptions = channel.subscriptions
    if (subscriptions !== undefined) {
      channel.subscriptions = undefined
      for (const subscription of subscriptions) {
        subscription.cancelled = true
        channel.fanout.removeSubscription(subscription)
        if (this.subscriptions.get(subscription.id) === subscription)
          this.subscriptions.delete(subscription.id)
      }
    }
    channel.fanout.removeChannel(channel)
    if (this.channels[channel.sid] === channel) {
      this.channels[channel.sid] = undefined
      this.freeSids.push(channel.sid)
      this.channelCount--
    }
  }

  /** ChannelOwner: the PV went away; the client gets SERVER_DISCONN and will search again. */
  onPvRemoved(channel: ServerChannel): void {
    if (!channel.alive || this.closed) return
    try {
      this.disconnectChannel(channel)
    } catch (error) {
      this.closeOnInternalError(error)
    }
  }

  private disconnectChannel(channel: ServerChannel): void {
    this.dropChannel(channel)
    this.out.reserve(BARE)
    this.out.position = writeServerDisconn(this.out.buffer, this.out.position, channel.cid)
    this.requestFlush()
    if (this.host.observations.hasListeners) this.observe('disconnect', channel.pv, { message: 'PV removed' })
  }

  /** ChannelOwner: re-evaluate rights; on a change send ACCESS_RIGHTS and stop or resume monitors. */
  onAccessChanged(channel: ServerChannel): void {
    if (!channel.alive || this.closed) return
    try {
      this.reevaluateAccess(channel)
    } catch (error) {
      this.closeOnInternalError(error)
    }
  }

  private reevaluateAccess(channel: ServerChannel): void {
    let rights: number
    try {
      rights = channel.pv.accessFor(this.identity) & AccessRights.READ_WRITE
    } catch (error) {
      this.observe('error', channel.pv, {
        status: Eca.INTERNAL,
        message: `access check failed: ${String(error)}`,
      })
      rights = AccessRights.NONE
    }
    if (rights === channel.rights) return
    const couldRead = (channel.rights & AccessRights.READ) !== 0
    const canRead = (rights & AccessRights.READ) !== 0
    channel.rights = rights
    this.out.reserve(BARE)
    this.out.position = writeAccessRights(this.out.buffer, this.out.position, channel.cid, rights)
    if (couldRead && !canRead) {
      for (const subscription of channel.subscriptions ?? []) {
        subscription.readDenied = true
        subscription.pending = undefined
        subscription.denyPending = true
        this.enqueue(subscription)
      }
    } else if (!couldRead && canRead) {
      for (const subscription of channel.subscriptions ?? []) {
        subscription.readDenied = false
        subscription.denyPending = false
        this.deliverUpdate(subscription, channel.pv.snapshot)
      }
    }
    this.flushQueuedUpdates()
    this.requestFlush()
  }

  // ---------------------------------------------------------------------------------------------------------
  // Reads

  /** Checks a read or subscription of `count` (0 = dynamic) elements: ECA_NORMAL or why not. */
  private checkRead(channel: ServerChannel, dbrType: number, count: number): number {
    if (!isValidDbrType(dbrType)) return Eca.BADTYPE
    if ((channel.rights & AccessRights.READ) === 0) return Eca.NORDACCESS
    const maxCount = channel.pv.maxCount
    if (count > maxCount) return Eca.BADCOUNT
    const elements = count === 0 ? maxCount : count
    const payload = paddedDbrSize(dbrType, elements)
    if (headerSizeFor(payload, elements) + payload > this.host.maxMessageBytes) return Eca.TOLARGE
    if (
      needsExtendedHeader(payload, elements) &&
      this.identity.minorVersion < CA_EXTENDED_HEADER_MINOR_VERSION
    ) {
      return Eca['16KARRAYCLIENT']
    }
    return Eca.NORMAL
  }

  /**
   * READ_NOTIFY and the legacy READ. `request` is the parsed header and `raw[rawStart…]` its bytes (for an
   * ERROR reply). Synchronous provider results are answered at once; promises are answered when they settle.
   */
  private handleRead(request: MessageHeader, raw: Buffer, rawStart: number): void {
    const channel = this.channelAt(request.parameter1)
    if (channel === undefined) {
      this.sendUnknownChannel(request, raw, rawStart)
      return
    }
    const started = this.host.observations.hasListeners ? performance.now() : 0
    const status = this.checkRead(channel, request.dataType, request.count)
    if (status !== Eca.NORMAL) {
      this.failRead(request, raw, rawStart, channel, status, ecaMessage(status), started)
      return
    }
    let result: PvSnapshot | PromiseLike<PvSnapshot>
    try {
      result = channel.pv.read(this.identity)
    } catch (error) {
      this.failRead(request, raw, rawStart, channel, Eca.GETFAIL, describe(error), started)
      return
    }
    if (!isPromiseLike(result)) {
      this.replyRead(request, raw, rawStart, channel, result, started)
      return
    }
    const saved = request.clone()
    const savedRaw = Buffer.from(raw.subarray(rawStart, rawStart + request.size))
    this.beginOperation()
    result.then(
      (snapshot) =>
        this.settle(channel, () => this.replyRead(saved, savedRaw, 0, channel, snapshot, started)),
      (error: unknown) =>
        this.settle(channel, () =>
          this.failRead(saved, savedRaw, 0, channel, Eca.GETFAIL, describe(error), started),
        ),
    )
  }

  private replyRead(
    request: MessageHeader,
    raw: Buffer,
    rawStart: number,
    channel: ServerChannel,
    snapshot: PvSnapshot,
    started: number,
  ): void {
    const dbrType = request.dataType
    const requested = request.count
    const count =
      requested === 0 ? Math.min(availableCount(snapshot, dbrType), channel.pv.maxCount) : requested
    const payload = channel.fanout.cache.get(snapshot, dbrType, count)
    if (payload.status !== Eca.NORMAL) {
      this.failRead(request, raw, rawStart, channel, payload.status, payload.error ?? '', started)
      return
    }
    const notify = request.command === Command.READ_NOTIFY
    const out = this.out
    out.reserve(BARE + payload.size)
    out.position = writeDataReply(
      out.buffer,
      out.position,
      request.command,
      dbrType,
      count,
      notify ? Eca.NORMAL : channel.cid,
      request.parameter2,
      payload.bytes,
      0,
      payload.size,
    )
    if (started !== 0 && this.host.observations.hasListeners) {
      this.observe('get', channel.pv, {
        dbrType,
        count,
        status: Eca.NORMAL,
        durationMs: performance.now() - started,
      })
    }
  }

  /**
   * A failed read: READ_NOTIFY answers in-reply with the status and a zeroed payload (when that payload can be
   * sent at all); the legacy READ, and sizes we cannot send, get an ERROR.
   */
  private failRead(
    request: MessageHeader,
    raw: Buffer,
    rawStart: number,
    channel: ServerChannel,
    status: number,
    message: string,
    started: number,
  ): void {
    const dbrType = request.dataType
    const inReply =
      request.command === Command.READ_NOTIFY && status !== Eca.TOLARGE && status !== Eca['16KARRAYCLIENT']
    if (inReply) {
      const valid = isValidDbrType(dbrType)
      const count = valid ? Math.min(request.count, channel.pv.maxCount) : 0
      const size = valid ? paddedDbrSize(dbrType, count) : 0
      this.out.reserve(BARE + size)
      this.out.position = writeZeroDataReply(
        this.out.buffer,
        this.out.position,
        Command.READ_NOTIFY,
        dbrType,
        count,
        status,
        request.parameter2,
        size,
      )
    } else {
      this.sendError(channel.cid, status, raw, rawStart, request.size, message)
    }
    if (this.host.observations.hasListeners) {
      const durationMs = started === 0 ? 0 : performance.now() - started
      this.observe('get', channel.pv, { dbrType, count: request.count, status, message, durationMs })
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Writes

  /** WRITE and WRITE_NOTIFY: decode, convert to the native type, hand to the provider, answer on completion. */
  private handleWrite(request: MessageHeader, raw: Buffer, rawStart: number, payloadStart: number): void {
    const channel = this.channelAt(request.parameter1)
    if (channel === undefined) {
      this.sendUnknownChannel(request, raw, rawStart)
      return
    }
    const dbrType = request.dataType
    const count = request.count
    const notify = request.command === Command.WRITE_NOTIFY
    const observing = this.host.observations.hasListeners
    const started = observing ? performance.now() : 0
    const pv = channel.pv
    let status: number = Eca.NORMAL
    if (!isValidDbrType(dbrType)) status = Eca.BADTYPE
    else if ((channel.rights & AccessRights.WRITE) === 0) status = Eca.NOWTACCESS
    else if (count > pv.maxCount) status = Eca.BADCOUNT
    else if (this.pendingOperations >= this.host.config.maxPendingWritesPerCircuit) status = Eca.PUTCBINPROG
    if (status !== Eca.NORMAL) {
      this.finishWrite(request, raw, rawStart, channel, status, undefined, started)
      return
    }
    let outcome: WriteOutcome | PromiseLike<WriteOutcome>
    try {
      if (dbrType === DbrType.PUT_ACKT || dbrType === DbrType.PUT_ACKS) {
        const ack = decodePutAcknowledge(raw, payloadStart, request.payloadSize, dbrType)
        if (observing) {
          this.observe('put', pv, {
            dbrType,
            count,
            notify,
            status: Eca.NORMAL,
            value: Uint16Array.of(ack.value),
          })
        }
        outcome = pv.acknowledge
          ? pv.acknowledge(this.identity, ack.kind, ack.value)
          : { status: Eca.PUTFAIL, message: 'this PV does not support alarm acknowledgement' }
      } else {
        const metadata = pv.snapshot.metadata
        const value = decodePutValue(
          raw,
          payloadStart,
          request.payloadSize,
          dbrType,
          count,
          pv.nativeType,
          metadata,
        )
        if (observing) this.observe('put', pv, { dbrType, count, notify, status: Eca.NORMAL, value })
        // A count-0 write to a scalar changes nothing and is no error (rsrv 7).
        outcome = value.length === 0 && pv.maxCount === 1 ? WRITE_DONE : pv.write(this.identity, value)
      }
    } catch (error) {
      const failed = error instanceof DbrConversionError ? error.status : Eca.PUTFAIL
      if (observing)
        this.observe('put', pv, { dbrType, count, notify, status: failed, message: describe(error) })
      this.finishWrite(request, raw, rawStart, channel, failed, describe(error), started)
      return
    }
    if (!isPromiseLike(outcome)) {
      this.finishWrite(request, raw, rawStart, channel, outcome.status, outcome.message, started)
      return
    }
    const saved = request.clone()
    const savedRaw = Buffer.from(raw.subarray(rawStart, rawStart + request.size))
    this.beginOperation()
    outcome.then(
      (result) =>
        this.settle(channel, () =>
          this.finishWrite(saved, savedRaw, 0, channel, result.status, result.message, started),
        ),
      (error: unknown) =>
        this.settle(channel, () =>
          this.finishWrite(saved, savedRaw, 0, channel, Eca.PUTFAIL, describe(error), started),
        ),
    )
  }

  /** WRITE_NOTIFY always gets its one reply; a plain WRITE only hears about failures (ERROR). */
  private finishWrite(
    request: MessageHeader,
    raw: Buffer,
    rawStart: number,
    channel: ServerChannel,
    status: number,
    message: string | undefined,
    started: number,
  ): void {
    const notify = request.command === Command.WRITE_NOTIFY
    if (notify) {
      this.out.reserve(BARE)
      this.out.position = writeWriteNotifyReply(
        this.out.buffer,
        this.out.position,
        request.dataType,
        request.count,
        status,
        request.parameter2,
      )
    } else if (status !== Eca.NORMAL) {
      this.sendError(channel.cid, status, raw, rawStart, request.size, message ?? ecaMessage(status))
    }
    if (started !== 0 && this.host.observations.hasListeners) {
      const durationMs = performance.now() - started
      this.observe('put-done', channel.pv, {
        dbrType: request.dataType,
        count: request.count,
        notify,
        status,
        message,
        durationMs,
      })
    }
  }

  /**
   * Completes an asynchronous read or write: nothing is sent if the channel was cleared or the circuit closed
   * meanwhile (CLEAR_CHANNEL cancels pending requests silently).
   */
  private settle(channel: ServerChannel, complete: () => void): void {
    this.endOperation()
    if (!channel.alive || this.closed) return
    try {
      complete()
      this.requestFlush()
    } catch (error) {
      this.closeOnInternalError(error)
    }
  }

  private beginOperation(): void {
    this.pendingOperations++
    this.updateReading()
  }

  private endOperation(): void {
    this.pendingOperations--
    if (!this.closed) this.updateReading()
  }

  // ---------------------------------------------------------------------------------------------------------
  // Subscriptions

  private handleEventAdd(header: MessageHeader, source: Buffer, start: number, payloadStart: number): void {
    const channel = this.channelAt(header.parameter1)
    if (channel === undefined) {
      this.sendUnknownChannel(header, source, start)
      return
    }
    const dbrType = header.dataType
    const count = header.count
    const id = header.parameter2
    let status = this.checkRead(channel, dbrType, count)
    // Without read access the subscription still exists: it gets one ECA_NORDACCESS update, then waits.
    if (status === Eca.NORDACCESS) status = Eca.NORMAL
    if (status === Eca.NORMAL && this.subscriptions.size >= this.host.config.maxSubscriptionsPerCircuit) {
      status = Eca.ALLOCMEM
    }
    if (status !== Eca.NORMAL) {
      this.sendError(
        channel.cid,
        status,
        source,
        start,
        header.size,
        `EVENT_ADD refused: ${ecaMessage(status)}`,
      )
      if (this.host.observations.hasListeners)
        this.observe('error', channel.pv, { status, dbrType, count, message: 'EVENT_ADD refused' })
      return
    }
    // Old clients sent no mask; an unknown-bits-only mask is accepted (it just never matches a post).
    const mask = header.payloadSize >= 16 ? source.readUInt16BE(payloadStart + 12) : DEFAULT_EVENT_MASK
    const previous = this.subscriptions.get(id)
    if (previous !== undefined) this.removeSubscription(previous)
    const subscription = new Subscription(id, channel, dbrType, count, mask)
    this.subscriptions.set(id, subscription)
    if (channel.subscriptions === undefined) channel.subscriptions = [subscription]
    else channel.subscriptions.push(subscription)
    channel.fanout.addSubscription(subscription)
    if (this.host.observations.hasListeners) {
      this.observe('monitor-add', channel.pv, { dbrType, count, mask, subscriptionId: id })
    }
    // The current value goes to this subscription only (it may have to wait for EVENTS_ON).
    if ((channel.rights & AccessRights.READ) === 0) {
      subscription.readDenied = true
      subscription.denyPending = true
      this.enqueue(subscription)
      this.flushQueuedUpdates()
    } else {
      this.deliverUpdate(subscription, channel.pv.snapshot)
    }
  }

  private handleEventCancel(header: MessageHeader, source: Buffer, start: number): void {
    const subscription = this.subscriptions.get(header.parameter2)
    if (subscription === undefined || subscription.channel.sid !== header.parameter1) {
      const cid = this.channelAt(header.parameter1)?.cid ?? NO_CID
      this.sendError(
        cid,
        Eca.BADMONID,
        source,
        start,
        header.size,
        `EVENT_CANCEL: no subscription ${header.parameter2}`,
      )
      return
    }
    this.removeSubscription(subscription)
    const channel = subscription.channel
    this.out.reserve(BARE)
    // The confirmation is an empty EVENT_ADD with the SID in p1; nothing follows it for this subscription.
    this.out.position = writeEventCancelReply(
      this.out.buffer,
      this.out.position,
      subscription.dbrType,
      subscription.count,
      channel.sid,
      subscription.id,
    )
    if (this.host.observations.hasListeners) {
      this.observe('monitor-cancel', channel.pv, {
        subscriptionId: subscription.id,
        dbrType: subscription.dbrType,
      })
    }
  }

  private removeSubscription(subscription: Subscription): void {
    subscription.cancelled = true
    subscription.pending = undefined
    const siblings = subscription.channel.subscriptions
    if (siblings !== undefined) {
      const index = siblings.indexOf(subscription)
      if (index >= 0) siblings.splice(index, 1)
    }
    subscription.channel.fanout.removeSubscription(subscription)
    this.subscriptions.delete(subscription.id)
  }

  /** ChannelOwner: a post for this subscription; sent now, or kept as its latest pending update. */
  deliverUpdate(subscription: Subscription, snapshot: PvSnapshot): void {
    if (subscription.readDenied || subscription.cancelled || this.closed) return
    if (subscription.queued) {
      if (subscription.pending !== undefined) this.coalescedUpdates++
      subscription.pending = snapshot
      return
    }
    if (this.eventsEnabled && !this.congested) {
      // Called from the provider's post: a failure here must not reach the provider or other circuits.
      try {
        this.sendUpdate(subscription, snapshot)
      } catch (error) {
        this.closeOnInternalError(error)
        return
      }
      this.requestFlush()
      return
    }
    subscription.pending = snapshot
    this.enqueue(subscription)
  }

  private enqueue(subscription: Subscription): void {
    if (subscription.queued) return
    subscription.queued = true
    this.queuedUpdates.push(subscription)
  }

  /** Sends every subscription's pending update (once events are on and the socket keeps up). */
  private flushQueuedUpdates(): void {
    if (!this.eventsEnabled || this.congested || this.queuedUpdates.length === 0 || this.closed) return
    const queued = this.queuedUpdates
    this.queuedUpdates = []
    for (let i = 0; i < queued.length; i++) {
      const subscription = queued[i]
      subscription.queued = false
      if (subscription.cancelled) continue
      if (subscription.denyPending) {
        subscription.denyPending = false
        this.sendDenied(subscription)
      }
      const snapshot = subscription.pending
      subscription.pending = undefined
      if (snapshot !== undefined && !subscription.readDenied) this.sendUpdate(subscription, snapshot)
    }
    this.requestFlush()
  }

  private sendUpdate(subscription: Subscription, snapshot: PvSnapshot): void {
    const fanout = subscription.fanout
    const dbrType = subscription.dbrType
    let count = subscription.count
    if (count === 0) count = Math.min(availableCount(snapshot, dbrType), fanout.pv.maxCount)
    const payload = fanout.cache.get(snapshot, dbrType, count)
    const out = this.out
    out.reserve(BARE + Math.max(payload.size, 8))
    if (payload.size === 0) {
      // An empty EVENT_ADD reply means "cancelled" to libca and CAJ: send count 0 with 8 zero bytes instead.
      out.position = writeZeroDataReply(
        out.buffer,
        out.position,
        Command.EVENT_ADD,
        dbrType,
        0,
        payload.status,
        subscription.id,
        8,
      )
    } else {
      out.position = writeDataReply(
        out.buffer,
        out.position,
        Command.EVENT_ADD,
        dbrType,
        count,
        payload.status,
        subscription.id,
        payload.bytes,
        0,
        payload.size,
      )
    }
    if (this.host.observations.hasListeners) {
      this.observe('update', fanout.pv, {
        dbrType,
        count,
        status: payload.status,
        subscriptionId: subscription.id,
      })
    }
  }

  private sendDenied(subscription: Subscription): void {
    const count = Math.min(subscription.count, subscription.channel.pv.maxCount)
    const size = Math.max(paddedDbrSize(subscription.dbrType, count), 8)
    this.out.reserve(BARE + size)
    this.out.position = writeZeroDataReply(
      this.out.buffer,
      this.out.position,
      Command.EVENT_ADD,
      subscription.dbrType,
      count,
      Eca.NORDACCESS,
      subscription.id,
      size,
    )
  }

  // ---------------------------------------------------------------------------------------------------------
  // Errors and observations

  private sendUnknownChannel(request: MessageHeader, raw: Buffer, rawStart: number): void {
    const text = `${commandName(request.command)}: no channel with SID ${request.parameter1}`
    this.sendError(NO_CID, Eca.BADCHID, raw, rawStart, request.size, text)
  }

  /** ERROR (11) carrying the offending request header and a text. */
  private sendError(
    cid: number,
    status: number,
    request: Buffer,
    start: number,
    requestSize: number,
    text: string,
  ): void {
    this.out.reserve(errorMessageSize(requestSize, text))
    this.out.position = writeError(
      this.out.buffer,
      this.out.position,
      cid,
      status,
      request,
      start,
      requestSize,
      text,
    )
    if (this.host.observations.hasListeners) this.observe('error', undefined, { status, message: text })
  }

  private observe(
    kind: CaObservationKind,
    pv?: ServedPv,
    details?: Omit<CaObservation, 'kind' | 'time' | 'client' | 'pv'> & { pv?: string },
  ): void {
    const observations = this.host.observations
    if (!observations.hasListeners) return
    observations.fire({ kind, time: Date.now(), client: this.identity, pv: pv?.name, ...details })
  }
}

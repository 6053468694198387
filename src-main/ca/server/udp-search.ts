/**
 * The UDP side of name resolution: search sockets bound with SO_REUSEADDR (so several servers on one host share
 * the port), datagrams from ignored addresses dropped, replies batched per source within one event-loop turn.
 */
import { createSocket } from 'node:dgram'
import type { RemoteInfo, Socket } from 'node:dgram'
import { networkInterfaces } from 'node:os'
import { ipv4ToNumber, numberToIpv4 } from './config'
import type { CaServerConfig } from './config'
import { SearchDatagramInfo, SearchReplyBatch, readSearchDatagram } from './search'
import type { SearchVisitor } from './search'

export interface UdpSearchHost {
  /** The TCP port to advertise (may differ from the UDP port when the preferred one was busy). */
  readonly tcpPort: number
  /** Whether CREATE_CHAN for this name would succeed (only then is a search answered). */
  canServe(name: string): boolean
  onSearch?(name: string, found: boolean, address: string, port: number): void
  onError(message: string): void
}

interface PendingReplies {
  readonly socket: Socket
  readonly address: string
  readonly port: number
  readonly batch: SearchReplyBatch
}

export class UdpSearchService implements SearchVisitor {
  private readonly sockets: Socket[] = []
  private readonly ignored: ReadonlySet<string>
  private readonly info = new SearchDatagramInfo()
  private readonly pending = new Map<string, PendingReplies>()
  private flushScheduled = false
  private currentSocket: Socket | undefined
  private currentSource: RemoteInfo | undefined
  private currentReplies: PendingReplies | undefined
  private closed = false
  port = 0

  private constructor(
    private readonly config: CaServerConfig,
    private readonly host: UdpSearchHost,
  ) {
    this.ignored = new Set(config.ignoreAddresses)
  }

  /** Binds every search socket; rejects if the search port cannot be bound at all. */
  static async start(config: CaServerConfig, host: UdpSearchHost): Promise<UdpSearchService> {
    const service = new UdpSearchService(config, host)
    try {
      await service.bindAll()
    } catch (error) {
      service.close()
      throw error
    }
    return service
  }

  close(): void {
    this.closed = true
    for (const socket of this.sockets) {
      try {
        socket.close()
      } catch {
        // already closed
      }
    }
    this.sockets.length = 0
    this.pending.clear()
  }

  /** SearchVisitor: called by readSearchDatagram for each SEARCH of the current datagram. */
  onSearch(name: string, searchId: number, _replyFlag: number, clientMinorVersion: number): void {
    const source = this.currentSource!
    let found = false
    try {
      found = this.host.canServe(name)
    } catch (error) {
      this.host.onError(`resolving "${name}" failed: ${String(error)}`)
    }
    this.host.onSearch?.(name, found, source.address, source.port)
    // Never NOT_FOUND over UDP, whatever the reply flag says.
    if (!found) return
    // One lookup per datagram, not per name: a datagram carries dozens of searches from one source.
    const replies = (this.currentReplies ??= this.repliesTo(source, clientMinorVersion))
    replies.batch.add(searchId)
  }

  /** The batch of replies to `source` (started with this datagram's VERSION information if it is new). */
  private repliesTo(source: RemoteInfo, clientMinorVersion: number): PendingReplies {
    const key = `${source.address}:${source.port}`
    let replies = this.pending.get(key)
    if (replies === undefined) {
      const info = this.info
      const version = info.hasVersion ? info.clientMinorVersion : clientMinorVersion
      const batch = new SearchReplyBatch(this.host.tcpPort, version, info.sequenceValid ? info.sequence : 0)
      replies = { socket: this.currentSocket!, address: source.address, port: source.port, batch }
      this.pending.set(key, replies)
      this.scheduleFlush()
    }
    return replies
  }

  private onDatagram(socket: Socket, datagram: Buffer, source: RemoteInfo): void {
    if (this.closed || this.ignored.has(source.address)) return
    this.currentSocket = socket
    this.currentSource = source
    this.currentReplies = undefined
    try {
      readSearchDatagram(datagram, this, this.info)
    } catch (error) {
      this.host.onError(`search datagram from ${source.address}:${source.port} dropped: ${String(error)}`)
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    // Datagrams that arrive in the same turn are answered together: one batch per source.
    setImmediate(() => this.flush())
  }

  private flush(): void {
    this.flushScheduled = false
    if (this.closed) return
    for (const replies of this.pending.values()) {
      for (const datagram of replies.batch.take()) {
        replies.socket.send(datagram, replies.port, replies.address, (error) => {
          if (error)
            this.host.onError(`search reply to ${replies.address}:${replies.port} failed: ${error.message}`)
        })
      }
    }
    this.pending.clear()
  }

  private async bindAll(): Promise<void> {
    const interfaces = this.config.interfaces.length > 0 ? this.config.interfaces : ['0.0.0.0']
    this.port = await this.bind(interfaces[0], this.config.serverPort)
    for (const address of interfaces.slice(1)) await this.bind(address, this.port)
    if (this.config.interfaces.length > 0) {
      // A socket bound to a unicast address does not see broadcasts: bind each interface's broadcast too.
      for (const broadcast of broadcastAddressesOf(this.config.interfaces)) {
        await this.bind(broadcast, this.port).catch((error: Error) =>
          this.host.onError(`cannot listen for broadcasts on ${broadcast}: ${error.message}`),
        )
      }
    }
    for (const group of this.config.multicastGroups) {
      await this.bind(group, this.port, group).catch((error: Error) =>
        this.host.onError(`cannot join multicast group ${group}: ${error.message}`),
      )
    }
  }

  private bind(address: string, port: number, multicastGroup?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      // reuseAddr only: SO_REUSEPORT would load-balance unicast searches between servers on Linux.
      const socket = createSocket({ type: 'udp4', reuseAddr: true })
      const onBindError = (error: Error): void => {
        socket.close()
        reject(error)
      }
      socket.once('error', onBindError)
      socket.bind({ address, port }, () => {
        socket.off('error', onBindError)
        socket.on('error', (error) => this.host.onError(`UDP search socket ${address}: ${error.message}`))
        socket.on('message', (datagram, source) => this.onDatagram(socket, datagram, source))
        try {
          if (multicastGroup) socket.addMembership(multicastGroup)
        } catch (error) {
          socket.close()
          reject(error as Error)
          return
        }
        this.sockets.push(socket)
        resolve(socket.address().port)
      })
    })
  }
}

/** Broadcast addresses (address | ~netmask) of the non-loopback IPv4 interfaces whose address is listed. */
export function broadcastAddressesOf(interfaceAddresses: readonly string[] | 'all'): string[] {
  const result = new Set<string>()
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family !== 'IPv4' || entry.internal) continue
      if (interfaceAddresses !== 'all' && !interfaceAddresses.includes(entry.address)) continue
      const address = ipv4ToNumber(entry.address)
      const mask = ipv4ToNumber(entry.netmask)
      const broadcast = (address | ~mask) >>> 0
      if (broadcast !== address) result.add(numberToIpv4(broadcast))
    }
  }
  return [...result]
}

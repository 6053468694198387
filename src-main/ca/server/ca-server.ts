/**
 * The Channel Access server: TCP listeners (falling back to an ephemeral port when the preferred one is busy),
 * UDP name search, beacons, and the circuits. Serves whatever a `PvProvider` resolves.
 */
import { createServer } from 'node:net'
import type { Server, Socket } from 'node:net'
import { Emitter } from '@shared/base/event'
import type { Event } from '@shared/base/event'
import { Eca } from '../wire/protocol'
import { BeaconSender, beaconDestinations } from './beacons'
import { CaCircuit } from './circuit'
import type { CircuitHost } from './circuit'
import { maxMessageBytes, resolveCaServerConfig } from './config'
import type { CaServerConfig, Environment } from './config'
import type { CaClientInfo, CaObservation } from './observations'
import type { ClientIdentity, PvProvider, ServedPv } from './provider'
import { SubscriptionFanout } from './subscription-fanout'
import { UdpSearchService } from './udp-search'

export interface CaServerOptions {
  readonly provider: PvProvider
  /** Settings made in code; they win over the environment. */
  readonly config?: Partial<CaServerConfig>
  /** EPICS_CA* / EPICS_CAS* variables; defaults to process.env. */
  readonly env?: Environment
}

export interface CaServer {
  /** The TCP port clients connect to (the preferred one, or an ephemeral one if it was busy). */
  readonly tcpPort: number
  readonly udpPort: number
  readonly config: CaServerConfig
  /** Environment variables that were set but unusable (their defaults apply). */
  readonly warnings: readonly string[]
  readonly onDidObserve: Event<CaObservation>
  /** A circuit opened or closed (cheap to listen to, unlike onDidObserve). */
  readonly onDidChangeClients: Event<void>
  clients(): CaClientInfo[]
  /** Closes one circuit; false if there is no such circuit. */
  disconnectClient(circuitId: number): boolean
  /** Closes every circuit and socket. */
  close(): Promise<void>
}

export async function startCaServer(options: CaServerOptions): Promise<CaServer> {
  const { config, warnings } = resolveCaServerConfig(options.env ?? process.env, options.config)
  const server = new ChannelAccessServer(options.provider, config, warnings)
  try {
    await server.start()
  } catch (error) {
    await server.close()
    throw error
  }
  return server
}

class ChannelAccessServer implements CaServer, CircuitHost {
  readonly observations = new Emitter<CaObservation>()
  readonly onDidObserve = this.observations.event
  private readonly clientsChanged = new Emitter<void>()
  readonly onDidChangeClients = this.clientsChanged.event
  readonly maxMessageBytes: number
  tcpPort = 0
  udpPort = 0
  private readonly listeners: Server[] = []
  private readonly circuits = new Map<number, CaCircuit>()
  private readonly fanouts = new Map<ServedPv, SubscriptionFanout>()
  private search: UdpSearchService | undefined
  private beacons: BeaconSender | undefined
  private nextCircuitId = 1
  private flushQueue: CaCircuit[] = []
  private flushScheduled = false
  private closed = false

  constructor(
    readonly provider: PvProvider,
    readonly config: CaServerConfig,
    readonly warnings: readonly string[],
  ) {
    this.maxMessageBytes = maxMessageBytes(config)
  }

  async start(): Promise<void> {
    await this.listenTcp()
    this.search = await UdpSearchService.start(this.config, {
      tcpPort: this.tcpPort,
      canServe: (name) => this.provider.resolve(name) !== undefined,
      onSearch: (name, found, address, port) => {
        if (this.observations.hasListeners) {
          this.observations.fire({
            kind: 'search',
            time: Date.now(),
            client: searcher(address, port),
            pv: name,
            found,
            transport: 'udp',
          })
        }
      },
      onError: (message) => this.report(message),
    })
    this.udpPort = this.search.port
    this.beacons = new BeaconSender(
      beaconDestinations(this.config),
      this.tcpPort,
      this.config.beaconPeriodSeconds,
      (m) => this.report(m),
    )
    await this.beacons.start()
  }

  clients(): CaClientInfo[] {
    return [...this.circuits.values()].map((circuit) => circuit.info())
  }

  disconnectClient(circuitId: number): boolean {
    const circuit = this.circuits.get(circuitId)
    if (!circuit) return false
    circuit.close('disconnected by the server')
    return true
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.beacons?.close()
    this.search?.close()
    for (const circuit of [...this.circuits.values()]) circuit.close('server shut down')
    await Promise.all(
      this.listeners.map((listener) => new Promise<void>((resolve) => listener.close(() => resolve()))),
    )
    this.observations.dispose()
    this.clientsChanged.dispose()
  }

  // CircuitHost

  fanoutFor(pv: ServedPv): SubscriptionFanout {
    let fanout = this.fanouts.get(pv)
    if (fanout === undefined) {
      fanout = new SubscriptionFanout(pv, this.fanoutDisposed)
      this.fanouts.set(pv, fanout)
    }
    return fanout
  }

  /** One function for every fan-out (not a closure per PV: connects are dominated by per-channel garbage). */
  private readonly fanoutDisposed = (fanout: SubscriptionFanout): void => {
    if (this.fanouts.get(fanout.pv) === fanout) this.fanouts.delete(fanout.pv)
  }

  requestFlush(circuit: CaCircuit): void {
    this.flushQueue.push(circuit)
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => this.flushAll())
  }

  circuitClosed(circuit: CaCircuit): void {
    if (this.circuits.delete(circuit.id)) this.clientsChanged.fire()
  }

  private flushAll(): void {
    this.flushScheduled = false
    const queue = this.flushQueue
    this.flushQueue = []
    for (let i = 0; i < queue.length; i++) {
      try {
        queue[i].flush()
      } catch (error) {
        queue[i].close(`internal error while sending: ${String(error)}`)
      }
    }
  }

  private accept(socket: Socket): void {
    if (this.closed) {
      socket.destroy()
      return
    }
    try {
      const circuit = new CaCircuit(this.nextCircuitId++, socket, this)
      if (!circuit.isClosed) {
        this.circuits.set(circuit.id, circuit)
        this.clientsChanged.fire()
      }
    } catch (error) {
      this.report(`could not set up a circuit: ${String(error)}`)
      socket.destroy()
    }
  }

  private async listenTcp(): Promise<void> {
    const interfaces = this.config.interfaces.length > 0 ? this.config.interfaces : ['0.0.0.0']
    try {
      this.tcpPort = await this.listen(interfaces[0], this.config.serverPort)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
      // Another server has the port: take any, and advertise it in search replies and beacons.
      this.tcpPort = await this.listen(interfaces[0], 0)
      // Callers see tcpPort !== config.serverPort (the backend words the warning for the user).
    }
    for (const address of interfaces.slice(1)) await this.listen(address, this.tcpPort)
  }

  private listen(address: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const listener = createServer(
        { noDelay: true, keepAlive: true, highWaterMark: this.config.sendHighWaterBytes },
        (socket) => this.accept(socket),
      )
      listener.once('error', reject)
      listener.listen({ host: address, port }, () => {
        listener.off('error', reject)
        listener.on('error', (error) => this.report(`TCP listener ${address}: ${error.message}`))
        this.listeners.push(listener)
        const bound = listener.address()
        resolve(typeof bound === 'object' && bound ? bound.port : port)
      })
    })
  }

  private report(message: string): void {
    if (!this.observations.hasListeners) return
    this.observations.fire({
      kind: 'error',
      time: Date.now(),
      client: searcher('', 0),
      status: Eca.INTERNAL,
      message,
    })
  }
}

/** The identity given to observations that come from no circuit (UDP searches, server-wide errors). */
function searcher(address: string, port: number): ClientIdentity {
  return { circuitId: 0, address, port, hostName: '', userName: '', minorVersion: 0 }
}

/**
 * A soft IOC: a PvDatabase served by our CA server, with the traffic recorder watching both. Start, stop and
 * restart are queued and run one at a time; the database, its PVs, hooks and the recorder's history outlive a
 * restart. Failing to start is a status ('error' with the reason), not a rejection. Used by the backend and
 * the headless CLI.
 */
import type { ServerStatus } from '@shared/api/contract'
import { DisposableStore, Emitter } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'
import { startCaServer } from '../ca/server/ca-server'
import type { CaServer } from '../ca/server/ca-server'
import type { CaServerConfig, Environment } from '../ca/server/config'
import type { CaClientInfo } from '../ca/server/observations'
import { PvDatabase } from './database'
import { TrafficRecorder } from './traffic/recorder'
import type { TrafficRecorderOptions } from './traffic/recorder'

export interface SoftIocOptions {
  /** The PVs to serve; a new empty database by default. */
  readonly database?: PvDatabase
  /** A recorder to use, or options for the one the IOC creates. */
  readonly recorder?: TrafficRecorder | TrafficRecorderOptions
  /** Record CA traffic (default true). Off, the server builds no observations at all: the fastest setting. */
  readonly recordTraffic?: boolean
  /** CA server settings made in code; they win over the environment. */
  readonly config?: Partial<CaServerConfig>
  /** EPICS_CA* / EPICS_CAS* variables; defaults to process.env. */
  readonly env?: Environment
  /** How often the client count is refreshed when traffic is not recorded (default 1000 ms). */
  readonly clientPollMs?: number
}

const STOPPED: ServerStatus = Object.freeze({
  state: 'stopped',
  tcpPort: null,
  udpPort: null,
  interfaces: [],
  clientCount: 0,
  pvCount: 0,
  error: null,
  startedAt: null,
})

export class SoftIoc implements Disposable {
  readonly database: PvDatabase
  readonly recorder: TrafficRecorder
  private current: ServerStatus
  private caServer: CaServer | undefined
  private serverWarnings: readonly string[] = []
  /** What lives as long as the IOC object. */
  private readonly lifetime = new DisposableStore()
  /** What lives while the server runs. */
  private session: DisposableStore | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private readonly statusChanged = new Emitter<ServerStatus>()
  private readonly pvsListener: Disposable

  readonly onDidChangeStatus: Event<ServerStatus> = this.statusChanged.event

  constructor(private readonly options: SoftIocOptions = {}) {
    this.database = options.database ?? new PvDatabase()
    this.recorder =
      options.recorder instanceof TrafficRecorder ? options.recorder : new TrafficRecorder(options.recorder)
    this.lifetime.add(this.recorder.attachDatabase(this.database))
    this.current = { ...STOPPED, pvCount: this.database.size }
    this.pvsListener = this.database.onDidChangePvs(() => this.refreshCounts())
  }

  get status(): ServerStatus {
    return this.current
  }

  /** The CA server while running. */
  get server(): CaServer | undefined {
    return this.caServer
  }

  /** Settings the server could not honour as asked (unusable variables, a busy port). */
  get warnings(): readonly string[] {
    return this.serverWarnings
  }

  clients(): CaClientInfo[] {
    return this.caServer?.clients() ?? []
  }

  start(): Promise<ServerStatus> {
    return this.enqueue(() => this.doStart())
  }

  stop(): Promise<ServerStatus> {
    return this.enqueue(() => this.doStop())
  }

  restart(): Promise<ServerStatus> {
    return this.enqueue(async () => {
      await this.doStop()
      return this.doStart()
    })
  }

  /** Stops serving and releases the recorder and listeners; the database and its PVs are left as they are. */
  async dispose(): Promise<void> {
    await this.stop()
    this.pvsListener.dispose()
    this.lifetime.dispose()
    if (!(this.options.recorder instanceof TrafficRecorder)) this.recorder.dispose()
    this.statusChanged.dispose()
  }

  private enqueue(operation: () => Promise<ServerStatus>): Promise<ServerStatus> {
    const result = this.queue.then(operation)
    this.queue = result.catch(() => undefined)
    return result
  }

  private async doStart(): Promise<ServerStatus> {
    if (this.caServer) return this.current
    this.set({ ...STOPPED, state: 'starting', pvCount: this.database.size })
    let server: CaServer
    try {
      server = await startCaServer({
        provider: this.database,
        config: this.options.config,
        env: this.options.env,
      })
    } catch (error) {
      return this.set({ ...STOPPED, state: 'error', pvCount: this.database.size, error: errorText(error) })
    }
    this.caServer = server
    const session = new DisposableStore()
    this.session = session
    if (this.options.recordTraffic !== false) {
      session.add(this.recorder.attachServer(server))
      session.add(
        server.onDidObserve((o) => {
          // The server reports a circuit before adding it to (and after removing it from) its client list.
          if (o.kind === 'client-connect' || o.kind === 'client-disconnect')
            queueMicrotask(() => this.refreshCounts())
        }),
      )
    } else {
      const poll = setInterval(() => this.refreshCounts(), this.options.clientPollMs ?? 1000)
      poll.unref()
      session.add({ dispose: () => clearInterval(poll) })
    }
    this.serverWarnings = portWarning(server, server.warnings)
    const interfaces = server.config.interfaces.length > 0 ? [...server.config.interfaces] : ['0.0.0.0']
    return this.set({
      state: 'running',
      tcpPort: server.tcpPort,
      udpPort: server.udpPort,
      interfaces,
      clientCount: server.clients().length,
      pvCount: this.database.size,
      error: null,
      startedAt: Date.now(),
    })
  }

  private async doStop(): Promise<ServerStatus> {
    const server = this.caServer
    if (!server)
      return this.current.state === 'stopped'
        ? this.current
        : this.set({ ...STOPPED, pvCount: this.database.size })
    this.set({ ...this.current, state: 'stopping' })
    this.caServer = undefined
    this.session?.dispose()
    this.session = undefined
    let error: string | null = null
    try {
      await server.close()
    } catch (caught) {
      // The sockets are gone either way; report it and carry on stopped.
      error = `closing the CA server failed: ${errorText(caught)}`
    }
    return this.set({ ...STOPPED, pvCount: this.database.size, error })
  }

  private refreshCounts(): void {
    const clientCount = this.caServer ? this.caServer.clients().length : 0
    const pvCount = this.database.size
    if (clientCount === this.current.clientCount && pvCount === this.current.pvCount) return
    this.set({ ...this.current, clientCount, pvCount })
  }

  private set(status: ServerStatus): ServerStatus {
    this.current = Object.freeze(status)
    this.statusChanged.fire(this.current)
    return this.current
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function portWarning(server: CaServer, warnings: readonly string[]): readonly string[] {
  const preferred = server.config.serverPort
  if (server.tcpPort === preferred || preferred === 0) return warnings
  return [
    ...warnings,
    `TCP port ${preferred} is busy; clients reach this IOC on TCP port ${server.tcpPort} via search`,
  ]
}

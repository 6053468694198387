import type { ServerStatus } from '@shared/api/contract'
import { Emitter } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'

/** What the controller needs from a running CA server: where it listens, who is connected, how to stop it. */
export interface RunningCaServer {
  readonly tcpPort: number
  readonly udpPort: number
  readonly interfaces: readonly string[]
  /** Settings that were unusable or not honoured as asked (e.g. the preferred port was busy). */
  readonly warnings: readonly string[]
  readonly clientCount: number
  readonly pvCount: number
  /** Fires when clientCount or pvCount changed. */
  readonly onDidChangeCounts: Event<void>
  close(): Promise<void>
}

/** Starts a CA server; rejects with a readable message (port in use, no interface…) when it cannot. */
export type CaServerLauncher = () => Promise<RunningCaServer>

export type ServerLog = (level: 'info' | 'warn' | 'error', message: string) => void

export const STOPPED_STATUS: ServerStatus = Object.freeze({
  state: 'stopped',
  tcpPort: null,
  udpPort: null,
  interfaces: [],
  clientCount: 0,
  pvCount: 0,
  error: null,
  startedAt: null,
})

/**
 * The start/stop/restart state machine of the CA server:
 *
 *   stopped|error --start--> starting --ok--> running --stop--> stopping --> stopped
 *                                     \--fails--> error
 *
 * Operations are queued and run one at a time, so any interleaving of calls is safe: start while starting
 * or running is a no-op that resolves with the running status, stop while stopped is a no-op (it also clears
 * an error), restart is stop then start. Every operation resolves with the status it left behind; a failure
 * to start is a status (state 'error' with the reason), not a rejection.
 */
export class ServerController implements Disposable {
  private current: ServerStatus = STOPPED_STATUS
  private server: RunningCaServer | undefined
  private countsListener: Disposable | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private readonly didChangeStatus = new Emitter<ServerStatus>()
  readonly onDidChangeStatus = this.didChangeStatus.event

  constructor(
    private readonly launch: CaServerLauncher,
    private readonly log: ServerLog,
  ) {}

  get status(): ServerStatus {
    return this.current
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

  /** Stops the server (if running) and forgets all listeners. */
  async dispose(): Promise<void> {
    await this.stop()
    this.didChangeStatus.dispose()
  }

  private enqueue(operation: () => Promise<ServerStatus>): Promise<ServerStatus> {
    const result = this.queue.then(operation)
    this.queue = result.catch(() => undefined)
    return result
  }

  private async doStart(): Promise<ServerStatus> {
    if (this.current.state === 'running') return this.current
    this.set({ ...STOPPED_STATUS, state: 'starting' })
    this.log('info', 'Starting the Channel Access server')
    let server: RunningCaServer
    try {
      server = await this.launch()
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      this.log('error', `The Channel Access server could not start: ${reason}`)
      return this.set({ ...STOPPED_STATUS, state: 'error', error: reason })
    }
    this.server = server
    this.countsListener = server.onDidChangeCounts(() => this.refreshCounts())
    for (const warning of server.warnings) this.log('warn', warning)
    this.log('info', `Channel Access server running: TCP port ${server.tcpPort}, UDP port ${server.udpPort}`)
    return this.set({
      state: 'running',
      tcpPort: server.tcpPort,
      udpPort: server.udpPort,
      interfaces: [...server.interfaces],
      clientCount: server.clientCount,
      pvCount: server.pvCount,
      error: null,
      startedAt: Date.now(),
    })
  }

  private async doStop(): Promise<ServerStatus> {
    const server = this.server
    if (!server) return this.current.state === 'stopped' ? this.current : this.set(STOPPED_STATUS)
    this.set({ ...this.current, state: 'stopping' })
    this.log('info', 'Stopping the Channel Access server')
    this.server = undefined
    this.countsListener?.dispose()
    this.countsListener = undefined
    try {
      await server.close()
    } catch (error) {
      // The sockets are gone either way; say so and carry on stopped.
      this.log(
        'error',
        `Closing the Channel Access server failed: ${error instanceof Error ? error.message : error}`,
      )
    }
    this.log('info', 'Channel Access server stopped')
    return this.set(STOPPED_STATUS)
  }

  private refreshCounts(): void {
    const server = this.server
    if (!server || this.current.state !== 'running') return
    if (server.clientCount === this.current.clientCount && server.pvCount === this.current.pvCount) return
    this.set({ ...this.current, clientCount: server.clientCount, pvCount: server.pvCount })
  }

  private set(status: ServerStatus): ServerStatus {
    this.current = status
    this.didChangeStatus.fire(status)
    return status
  }
}

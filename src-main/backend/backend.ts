import { platform, versions } from 'node:process'
import type { AppCommand, AppInfo, IocRequests, LogEntry, LogLevel, ServerStatus } from '@shared/api/contract'
import { LOG_HISTORY_LIMIT } from '@shared/api/validate'
import { Emitter } from '@shared/base/event'
import type { Disposable } from '@shared/base/event'
import { caServerLauncher } from './ca-launcher'
import { EventBatcher } from './event-batcher'
import { LogRing } from './log-ring'
import { ServerController } from './server-controller'
import type { CaServerLauncher } from './server-controller'

export interface BackendOptions {
  /** Which host constructs the backend: the Electron main process or `ioc-studio serve`. */
  readonly host: 'electron' | 'browser'
  /** The app's version (package.json). */
  readonly version: string
  /** Extra runtime versions for About, e.g. `{ electron, chrome }` from the Electron host. */
  readonly versions?: Readonly<Record<string, string>>
  /** How to start the CA server; by default our engine over the process environment, serving no PVs yet. */
  readonly launchCaServer?: CaServerLauncher
  /** How often batched streams (the log) are flushed to listeners. Default 50 ms. */
  readonly flushIntervalMs?: number
}

/**
 * The app's backend, independent of any transport: it implements the requests of the contract and owns the
 * streams as VS Code style events. Hosts never call its methods with raw input: they go through
 * `dispatchRequest` / `subscribeStream` (./dispatch), which validate first.
 */
export class Backend implements IocRequests, Disposable {
  private readonly info: AppInfo
  private readonly server: ServerController
  private readonly history = new LogRing(LOG_HISTORY_LIMIT)
  private readonly logBatcher: EventBatcher<LogEntry>
  private logSeq = 0

  private readonly didChangeServerStatus = new Emitter<ServerStatus>()
  private readonly didLog = new Emitter<LogEntry[]>()
  private readonly didRequestCommand = new Emitter<AppCommand>()
  readonly onDidChangeServerStatus = this.didChangeServerStatus.event
  /** Batched: about every `flushIntervalMs`, the entries logged since the last batch. */
  readonly onDidLog = this.didLog.event
  readonly onDidRequestCommand = this.didRequestCommand.event

  constructor(options: BackendOptions) {
    this.info = Object.freeze({
      name: 'IOC Studio',
      version: options.version,
      host: options.host,
      platform,
      versions: Object.freeze({ node: versions.node, v8: versions.v8, ...options.versions }),
    })
    this.logBatcher = new EventBatcher(options.flushIntervalMs ?? 50, LOG_HISTORY_LIMIT, (batch, dropped) => {
      if (dropped > 0)
        this.history.push(this.entry('warn', 'backend', `${dropped} log entries were not streamed`))
      this.didLog.fire(batch)
    })
    this.server = new ServerController(options.launchCaServer ?? caServerLauncher(), (level, message) =>
      this.log(level, 'server', message),
    )
    this.server.onDidChangeStatus((status) => this.didChangeServerStatus.fire(status))
  }

  async getAppInfo(): Promise<AppInfo> {
    return this.info
  }

  async getServerStatus(): Promise<ServerStatus> {
    return this.server.status
  }

  startServer(): Promise<ServerStatus> {
    return this.server.start()
  }

  stopServer(): Promise<ServerStatus> {
    return this.server.stop()
  }

  restartServer(): Promise<ServerStatus> {
    return this.server.restart()
  }

  async getRecentLog(limit: number): Promise<LogEntry[]> {
    return this.history.recent(limit)
  }

  /** Records a log entry: kept in the history and streamed in the next batch. */
  log(level: LogLevel, source: string, message: string): void {
    const logged = this.entry(level, source, message)
    this.history.push(logged)
    this.logBatcher.push(logged)
  }

  /** For the host's own chrome (the Electron menu): asks the renderer to carry out a command. */
  requestCommand(command: AppCommand): void {
    this.didRequestCommand.fire(command)
  }

  private entry(level: LogLevel, source: string, message: string): LogEntry {
    return { seq: ++this.logSeq, time: Date.now(), level, source, message }
  }

  /** Stops the CA server, delivers the last log batch and drops every listener. */
  async dispose(): Promise<void> {
    await this.server.dispose()
    this.logBatcher.flush()
    this.logBatcher.dispose()
    this.didChangeServerStatus.dispose()
    this.didLog.dispose()
    this.didRequestCommand.dispose()
  }
}

/**
 * The backend contract: one typed API of requests (invoke) and event streams (subscribe), the same over
 * Electron IPC and over the browser bridge's WebSocket. Everything that crosses it is JSON-safe: no
 * callbacks, class instances, Buffers or typed arrays.
 *
 * Requests are named like methods; streams follow VS Code's `onDidX` convention. Later issues extend both
 * tables; every request also gets an argument parser in `./validate` so both transports reject bad input the
 * same way.
 */

export interface AppInfo {
  readonly name: string
  readonly version: string
  /** Which host runs the backend: the desktop app, or `ioc-studio serve` for a browser. */
  readonly host: 'electron' | 'browser'
  readonly platform: string
  /** Runtime versions worth showing in About (node, electron, chrome, pyodide…). */
  readonly versions: Readonly<Record<string, string>>
}

export type ServerState = 'stopped' | 'starting' | 'running' | 'stopping' | 'error'

export interface ServerStatus {
  readonly state: ServerState
  /** TCP port clients connect to (may differ from the UDP search port when the preferred one was busy). */
  readonly tcpPort: number | null
  readonly udpPort: number | null
  readonly interfaces: readonly string[]
  readonly clientCount: number
  readonly pvCount: number
  /** Set when state is 'error': why the server could not start or stopped. */
  readonly error: string | null
  /** Milliseconds since the Unix epoch when the server started serving. */
  readonly startedAt: number | null
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface LogEntry {
  /** Increases by one per entry for the backend's lifetime: lets a view join history and stream without duplicates. */
  readonly seq: number
  readonly time: number
  readonly level: LogLevel
  /** Where it came from: 'server', 'ca', a PV name for hook output… */
  readonly source: string
  readonly message: string
}

/** Commands the host's own chrome (the Electron application menu) asks the renderer to carry out. */
export const APP_COMMANDS = [
  'file.new',
  'file.open',
  'file.save',
  'file.saveAs',
  'file.import',
  'file.export',
  'server.start',
  'server.stop',
  'server.restart',
  'help.about',
] as const

export type AppCommand = (typeof APP_COMMANDS)[number]

/** Request/response methods. Every method returns a Promise; arguments are validated on arrival. */
export interface IocRequests {
  getAppInfo(): Promise<AppInfo>
  getServerStatus(): Promise<ServerStatus>
  startServer(): Promise<ServerStatus>
  stopServer(): Promise<ServerStatus>
  restartServer(): Promise<ServerStatus>
  /** The most recent log entries, oldest first, at most `limit`. */
  getRecentLog(limit: number): Promise<LogEntry[]>
}

/** Event streams: the payload type of each. */
export interface IocStreams {
  onDidChangeServerStatus: ServerStatus
  /** Batched: the backend flushes log entries about every 50 ms. */
  onDidLog: LogEntry[]
  onDidRequestCommand: AppCommand
}

export type RequestName = keyof IocRequests
export type StreamName = keyof IocStreams
export type Unsubscribe = () => void

/** The name under which a host puts the API on the renderer's `window` (Electron's preload does). */
export const WINDOW_API_KEY = 'ioc'

/** What the renderer sees: the requests plus one subscribe function per stream. */
export type IocApi = IocRequests & {
  [K in StreamName]: (listener: (payload: IocStreams[K]) => void) => Unsubscribe
}

export const REQUEST_NAMES = [
  'getAppInfo',
  'getServerStatus',
  'startServer',
  'stopServer',
  'restartServer',
  'getRecentLog',
] as const satisfies readonly RequestName[]

export const STREAM_NAMES = [
  'onDidChangeServerStatus',
  'onDidLog',
  'onDidRequestCommand',
] as const satisfies readonly StreamName[]

import type { Project } from '../model/project'
import type { LiveBatch, LivePutLogEntry, LiveSnapshot, LiveWriteResult, LiveWriteValue } from './live'

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
  /** The host shows its own file dialogs (showOpenDialog/showSaveDialog); otherwise the app draws one. */
  readonly nativeFileDialogs: boolean
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

/** A problem found while loading or importing, with a path into the document (`pvs[3].enumStrings`). */
export interface DocumentIssue {
  readonly path: string
  readonly message: string
}

/** Which file the open project belongs to and whether it has changes the file does not. */
export interface ProjectFileState {
  /** Absolute path of the `*.ioc.json`; null while the project is untitled (new, imported, dropped). */
  readonly path: string | null
  /** True when the document differs from what was last opened or saved. */
  readonly dirty: boolean
  /** Changes whenever a different document replaces the open one (New, Open, Import): views reload then. */
  readonly documentId: number
}

/** The open project, whole. */
export interface OpenProject extends ProjectFileState {
  readonly project: Project
  /** What loading noticed without refusing the file: migrations, unknown fields kept, imported code to review. */
  readonly warnings: readonly DocumentIssue[]
}

export interface ExampleProject {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly pvCount: number
}

export interface DirectoryEntry {
  readonly name: string
  readonly kind: 'directory' | 'file'
  /** Bytes, for files. */
  readonly size: number | null
  /** Milliseconds since the Unix epoch. */
  readonly modified: number | null
}

/** One folder, for the in-app file dialog (a browser host has no native one). */
export interface DirectoryListing {
  /** Absolute, normalised. */
  readonly path: string
  /** null at a file-system root. */
  readonly parent: string | null
  /** The user's home folder, for a shortcut. */
  readonly home: string
  /** Folders first, then files, each by name; hidden entries left out. */
  readonly entries: readonly DirectoryEntry[]
  /** True when the folder had more entries than a listing carries. */
  readonly truncated: boolean
}

/** What a file dialog is for: it decides the title, the file filter and the extension a typed name gets. */
export type FileDialogPurpose = 'open' | 'save-project' | 'import-script' | 'export-script'

export interface FileDialogRequest {
  readonly purpose: FileDialogPurpose
  /** Folder or file the dialog starts at. */
  readonly defaultPath?: string
}

export interface ExportPreview {
  /** The caproto script the open project exports to. */
  readonly script: string
  /** Where it would be written by default: beside the project, named after it; null while untitled. */
  readonly defaultPath: string | null
}

/** A Python error found by Python's own compile(), positions 1-based. */
export interface PythonSyntaxIssue {
  readonly line: number
  readonly column: number
  readonly message: string
}

/** An exception raised by a hook of the running IOC. */
export interface HookError {
  readonly time: number
  /** Full name of the PV whose hook failed; null for group-level code (`__ainit__`). */
  readonly pv: string | null
  /** Where that PV is in the document (`subGroups[0].pvs[2]`), when the backend could tell. */
  readonly pvPath: string | null
  readonly hook: 'putter' | 'getter' | 'startup' | 'shutdown' | 'scan' | 'ainit'
  /** The exception type and message, or why the watchdog stopped the hook. */
  readonly message: string
  /** The user's frames of the traceback. */
  readonly traceback: string
  /** Line in the generated script the traceback ends at. */
  readonly scriptLine: number | null
  /** The same line within the hook body as the user wrote it (1-based), when it is in the body. */
  readonly line: number | null
}

/** What Apply changes did to the running IOC while its clients stayed connected. */
export interface ApplySummary {
  readonly added: readonly string[]
  readonly removed: readonly string[]
  readonly changed: readonly string[]
  readonly hooksReloaded: number
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
  'server.apply',
  'edit.undo',
  'edit.redo',
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

  /** The open project (a blank one until something is opened). */
  getProject(): Promise<OpenProject>
  /** Replaces the document with the renderer's edited version; the file is untouched until saved. */
  updateProject(project: Project): Promise<ProjectFileState>
  /** A new untitled project: blank, or a copy of the example with this id. */
  newProject(example: string | null): Promise<OpenProject>
  listExamples(): Promise<ExampleProject[]>
  /** Opens a `*.ioc.json`, or imports a `*.py` caproto script into a new untitled project. */
  openProject(path: string): Promise<OpenProject>
  /** The same for a file's text without a path (dropped into a browser window). */
  openProjectText(fileName: string, text: string): Promise<OpenProject>
  /** Writes the project to `path` (Save As), or to its own file when `path` is null (Save). */
  saveProject(path: string | null): Promise<ProjectFileState>
  /** Projects opened or saved lately, newest first. */
  getRecentProjects(): Promise<string[]>
  /** The script the project exports to, and where it would go. */
  previewExport(): Promise<ExportPreview>
  /** The text of a script on disk, or null when there is no file at `path` (for the export diff). */
  readScript(path: string): Promise<string | null>
  /** Writes the exported script to `path`; returns the path written. */
  exportScript(path: string): Promise<string>
  /** Python's own compile() over a hook or group code, in the app's Python. */
  checkPythonSyntax(source: string, fileName: string): Promise<PythonSyntaxIssue[]>
  /** Hot-reloads the edited project into the running IOC; clients stay connected. */
  applyChanges(): Promise<ApplySummary>
  /** A folder's contents for the in-app file dialog; null lists the default folder. */
  listDirectory(path: string | null): Promise<DirectoryListing>
  /** The host's native file dialog; resolves null when cancelled. Only where AppInfo.nativeFileDialogs. */
  showFileDialog(request: FileDialogRequest): Promise<string | null>

  /** The running IOC as the live views show it (src-shared/api/live); batches with a higher seq follow. */
  getLiveSnapshot(): Promise<LiveSnapshot>
  /** Writes a PV as a Channel Access put from the studio would: same checks, hooks and traffic. */
  writePv(pv: string, value: LiveWriteValue): Promise<LiveWriteResult>
  /** Who wrote what, when: the IOC's put log, oldest first. */
  getPutLog(): Promise<LivePutLogEntry[]>
  /** Closes a CA client's circuit; false when there is no such client. */
  disconnectClient(circuitId: number): Promise<boolean>
}

/** Event streams: the payload type of each. */
export interface IocStreams {
  onDidChangeServerStatus: ServerStatus
  /** Batched: the backend flushes log entries about every 50 ms. */
  onDidLog: LogEntry[]
  onDidRequestCommand: AppCommand
  /** The open project's file or dirty state changed, or another document replaced it (new documentId). */
  onDidChangeProjectFile: ProjectFileState
  onDidChangeRecentProjects: string[]
  /** Batched like the log. */
  onDidHookError: HookError[]
  /** The host's chrome (Open Recent) asks the renderer to open this file, after its unsaved-changes check. */
  onDidRequestOpenFile: string
  /** About every 50 ms while the IOC changes: values, traffic (sampled under load, counts exact), queues, clients. */
  onDidReceiveLiveBatch: LiveBatch
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
  'getProject',
  'updateProject',
  'newProject',
  'listExamples',
  'openProject',
  'openProjectText',
  'saveProject',
  'getRecentProjects',
  'previewExport',
  'readScript',
  'exportScript',
  'checkPythonSyntax',
  'applyChanges',
  'listDirectory',
  'showFileDialog',
  'getLiveSnapshot',
  'writePv',
  'getPutLog',
  'disconnectClient',
] as const satisfies readonly RequestName[]

export const STREAM_NAMES = [
  'onDidChangeServerStatus',
  'onDidLog',
  'onDidRequestCommand',
  'onDidChangeProjectFile',
  'onDidChangeRecentProjects',
  'onDidHookError',
  'onDidRequestOpenFile',
  'onDidReceiveLiveBatch',
] as const satisfies readonly StreamName[]

import { dirname, join } from 'node:path'
import { cwd, platform, versions } from 'node:process'
import type {
  AppCommand,
  AppInfo,
  ApplySummary,
  DirectoryListing,
  ExampleProject,
  ExportPreview,
  FileDialogRequest,
  HookError,
  IocRequests,
  LogEntry,
  LogLevel,
  OpenProject,
  ProjectFileState,
  PythonSyntaxIssue,
  ServerStatus,
} from '@shared/api/contract'
import { isEditableProject } from '@shared/api/editable-project'
import { ApiError } from '@shared/api/errors'
import { baseName, fileKind } from '@shared/api/files'
import { LOG_HISTORY_LIMIT } from '@shared/api/validate'
import { DisposableStore, Emitter } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import { exportProjectJson } from '@shared/codegen/project-json'
import type { LivePutLogEntry, LiveSnapshot, LiveWriteResult, LiveWriteValue } from '@shared/api/live'
import { fullPvName, pvLocations } from '@shared/model/names'
import { parseProjectText } from '@shared/model/parse'
import type { Project } from '@shared/model/project'
import type { CaServerConfig } from '../ca'
import type { PythonRuntime } from '../python/runtime'
import { EventBatcher } from './event-batcher'
import { loadExamples } from './examples'
import type { LoadedExample } from './examples'
import type { HostFileDialogs } from './file-dialogs'
import { locateScriptLine } from './hook-lines'
import { bareCaServerRunner } from './ioc-runner'
import type { IocRunner, SessionHookError } from './ioc-runner'
import { LiveFeed } from './live/live-feed'
import { LogRing } from './log-ring'
import { blankProject, ProjectDocument } from './project-document'
import type { LoadedDocument } from './project-document'
import { listDirectory, readTextFile, writeTextFileAtomic } from './project-files'
import { ProjectSession } from './project-session'
import { MemoryRecentProjects } from './recent-projects'
import type { RecentProjectList } from './recent-projects'
import type { CaServerLauncher } from './server-controller'

export interface BackendOptions {
  /** Which host constructs the backend: the Electron main process or `ioc-studio serve`. */
  readonly host: 'electron' | 'browser'
  /** The app's version (package.json). */
  readonly version: string
  /** Extra runtime versions for About, e.g. `{ electron, chrome }` from the Electron host. */
  readonly versions?: Readonly<Record<string, string>>
  /** How often batched streams (log, hook errors) are flushed to listeners. Default 50 ms. */
  readonly flushIntervalMs?: number
  /** CA server settings for the IOC made in code; they win over the environment (tests pin ports). */
  readonly caConfig?: Partial<CaServerConfig>
  /** EPICS_CA* / EPICS_CAS* variables for the IOC; default process.env. */
  readonly env?: Record<string, string | undefined>
  /** A Python runtime to share (tests load Pyodide once per file); by default the session loads its own. */
  readonly python?: PythonRuntime
  /**
   * Serve the bare CA server from this launcher instead of running projects: no PVs, no Python. Only for
   * host adapters' plumbing tests; a real host leaves it out.
   */
  readonly launchCaServer?: CaServerLauncher
  /** Folder of the example projects File > New offers; default resources/examples of this checkout. */
  readonly examplesDir?: string
  /** The host's persistent Open Recent list (Electron's RecentFiles fits); default one in memory. */
  readonly recentProjects?: RecentProjectList
  /** The host's native file dialogs; without them the renderer draws its own over listDirectory. */
  readonly fileDialogs?: HostFileDialogs
  /** Where file dialogs start while the project is untitled; default the process's working folder. */
  readonly defaultDirectory?: string
}

/** A project file was opened or saved: hosts record it (recent documents, window title). */
export interface ProjectFileEvent {
  readonly path: string
  readonly action: 'opened' | 'saved'
}

// Two levels up from both src-main/backend and the built out/main.
const DEFAULT_EXAMPLES_DIR = join(import.meta.dirname, '../../resources/examples')

/**
 * The app's backend, independent of any transport: it implements the requests of the contract and owns the
 * streams as VS Code style events. Hosts never call its methods with raw input: they go through
 * `dispatchRequest` / `subscribeStream` (./dispatch), which validate first.
 *
 * It holds the open project (document, file, dirty state), reads and writes project and script files, and
 * runs the project as an IOC through a ProjectSession.
 */
export class Backend implements IocRequests, Disposable {
  private readonly info: AppInfo
  private readonly runner: IocRunner
  private readonly document = new ProjectDocument(exportProjectJson)
  private readonly recent: RecentProjectList
  private readonly history = new LogRing(LOG_HISTORY_LIMIT)
  private readonly logBatcher: EventBatcher<LogEntry>
  private readonly hookErrorBatcher: EventBatcher<HookError>
  private readonly lifetime = new DisposableStore()
  private logSeq = 0
  private examples: Promise<LoadedExample[]> | undefined
  /** What the IOC runs now (since the last start or apply): traceback lines refer to its script. */
  private running: { project: Project; script: string } | undefined

  private readonly didChangeServerStatus = new Emitter<ServerStatus>()
  private readonly didLog = new Emitter<LogEntry[]>()
  private readonly didRequestCommand = new Emitter<AppCommand>()
  private readonly didChangeProjectFile = new Emitter<ProjectFileState>()
  private readonly didChangeRecentProjects = new Emitter<string[]>()
  private readonly didHookError = new Emitter<HookError[]>()
  private readonly didRequestOpenFile = new Emitter<string>()
  private readonly didUseProjectFile = new Emitter<ProjectFileEvent>()
  readonly onDidChangeServerStatus = this.didChangeServerStatus.event
  /** Batched: about every `flushIntervalMs`, the entries logged since the last batch. */
  readonly onDidLog = this.didLog.event
  readonly onDidRequestCommand = this.didRequestCommand.event
  readonly onDidChangeProjectFile = this.didChangeProjectFile.event
  readonly onDidChangeRecentProjects = this.didChangeRecentProjects.event
  readonly onDidHookError = this.didHookError.event
  readonly onDidRequestOpenFile = this.didRequestOpenFile.event
  /** For the host, not the renderer: a project file was opened or saved. */
  readonly onDidUseProjectFile: Event<ProjectFileEvent> = this.didUseProjectFile.event
  /** The running IOC's values, traffic, queues and clients (./live). */
  private readonly live = new LiveFeed()
  readonly onDidReceiveLiveBatch = this.live.onDidReceiveLiveBatch

  constructor(private readonly options: BackendOptions) {
    this.info = Object.freeze({
      name: 'IOC Studio',
      version: options.version,
      host: options.host,
      platform,
      versions: Object.freeze({ node: versions.node, v8: versions.v8, ...options.versions }),
      nativeFileDialogs: options.fileDialogs !== undefined,
    })
    const flushMs = options.flushIntervalMs ?? 50
    this.logBatcher = new EventBatcher(flushMs, LOG_HISTORY_LIMIT, (batch, dropped) => {
      if (dropped > 0)
        this.history.push(this.entry('warn', 'backend', `${dropped} log entries were not streamed`))
      this.didLog.fire(batch)
    })
    // A scan hook failing at 10 Hz must not flood the renderer: the newest 100 per batch are plenty.
    this.hookErrorBatcher = new EventBatcher(flushMs, 100, (batch) => this.didHookError.fire(batch))
    this.runner = options.launchCaServer
      ? bareCaServerRunner(options.launchCaServer, (level, message) => this.log(level, 'server', message))
      : new ProjectSession({
          log: (level, source, message) => this.log(level, source, message),
          python: options.python,
          caConfig: options.caConfig,
          env: options.env,
        })
    this.lifetime.add(this.runner.onDidChangeStatus((status) => this.didChangeServerStatus.fire(status)))
    this.lifetime.add(
      this.runner.onDidHookError((error) => this.hookErrorBatcher.push(this.describeHookError(error))),
    )
    if (this.runner instanceof ProjectSession) this.live.attach(this.runner)
    this.recent = options.recentProjects ?? new MemoryRecentProjects()
    this.lifetime.add(this.recent.onDidChange((list) => this.didChangeRecentProjects.fire([...list])))
  }

  /** True when the open project has changes its file lacks (hosts ask before closing the window). */
  get hasUnsavedChanges(): boolean {
    return this.document.dirty
  }

  async getAppInfo(): Promise<AppInfo> {
    return this.info
  }

  async getServerStatus(): Promise<ServerStatus> {
    return this.runner.status
  }

  /** Runs the open project as an IOC. */
  async startServer(): Promise<ServerStatus> {
    const project = this.document.project
    const status = await this.runner.start(project, this.document.path)
    if (status.state === 'running') this.running = { project, script: safeScript(project) }
    return status
  }

  async stopServer(): Promise<ServerStatus> {
    const status = await this.runner.stop()
    this.running = undefined
    return status
  }

  async restartServer(): Promise<ServerStatus> {
    await this.stopServer()
    return this.startServer()
  }

  /** Hot-reloads the open project into the running IOC and logs what changed. */
  async applyChanges(): Promise<ApplySummary> {
    if (this.runner.status.state !== 'running') throw new Error('The IOC is not running: Start it instead')
    const project = this.document.project
    const summary = await this.runner.apply(project)
    this.running = { project, script: safeScript(project) }
    return summary
  }

  async getRecentLog(limit: number): Promise<LogEntry[]> {
    return this.history.recent(limit)
  }

  async getProject(): Promise<OpenProject> {
    return this.document.open
  }

  async updateProject(project: Project): Promise<ProjectFileState> {
    if (this.document.update(project)) this.didChangeProjectFile.fire(this.document.fileState)
    return this.document.fileState
  }

  async newProject(example: string | null): Promise<OpenProject> {
    if (example === null) {
      return this.replaceDocument({ project: blankProject(), path: null, warnings: [], saved: true })
    }
    const found = (await this.loadExamples()).find((e) => e.id === example)
    if (!found) throw new ApiError('bad-arguments', `There is no example called ${JSON.stringify(example)}`)
    return this.replaceDocument({ project: found.project, path: null, warnings: [], saved: true })
  }

  async listExamples(): Promise<ExampleProject[]> {
    return (await this.loadExamples()).map(({ id, name, description, pvCount }) => ({
      id,
      name,
      description,
      pvCount,
    }))
  }

  /** Opens a project file, or imports a caproto script into a new untitled project. */
  async openProject(path: string): Promise<OpenProject> {
    const kind = fileKind(path)
    if (kind === null)
      throw new ApiError('bad-arguments', `${path} is neither a project (.ioc.json) nor a script (.py)`)
    const text = await readTextFile(path)
    if (kind === 'script') return this.importScriptText(text, baseNameWithExtension(path))
    const opened = this.replaceDocument({ ...parseProjectFile(text, path), path, saved: true })
    this.recordUse(path, 'opened')
    return opened
  }

  async openProjectText(fileName: string, text: string): Promise<OpenProject> {
    const kind = fileKind(fileName)
    if (kind === 'script') return this.importScriptText(text, fileName)
    if (kind === 'project')
      return this.replaceDocument({ ...parseProjectFile(text, fileName), path: null, saved: false })
    throw new ApiError('bad-arguments', `${fileName} is neither a project (.ioc.json) nor a script (.py)`)
  }

  async saveProject(path: string | null): Promise<ProjectFileState> {
    const target = path ?? this.document.path
    if (target === null)
      throw new ApiError('bad-arguments', 'The project has no file yet: choose one with Save As')
    if (fileKind(target) !== 'project') {
      throw new ApiError(
        'bad-arguments',
        `A project is saved as a .ioc.json file, not ${baseNameWithExtension(target)}`,
      )
    }
    const text = exportProjectJson(this.document.project)
    await writeTextFileAtomic(target, text)
    this.document.saved(target, text)
    this.log('info', 'project', `Saved ${target}`)
    this.didChangeProjectFile.fire(this.document.fileState)
    this.recordUse(target, 'saved')
    return this.document.fileState
  }

  async getRecentProjects(): Promise<string[]> {
    return [...this.recent.list]
  }

  async previewExport(): Promise<ExportPreview> {
    const path = this.document.path
    return {
      script: exportCaprotoScript(this.document.project),
      defaultPath: path === null ? null : join(dirname(path), `${baseName(path)}.py`),
    }
  }

  async readScript(path: string): Promise<string | null> {
    requireScriptPath(path)
    return readTextFile(path, true)
  }

  async exportScript(path: string): Promise<string> {
    requireScriptPath(path)
    await writeTextFileAtomic(path, exportCaprotoScript(this.document.project))
    this.log('info', 'project', `Exported ${path}`)
    return path
  }

  checkPythonSyntax(source: string, fileName: string): Promise<PythonSyntaxIssue[]> {
    return this.runner.checkPythonSyntax(source, fileName)
  }

  async listDirectory(path: string | null): Promise<DirectoryListing> {
    const current = this.document.path
    return listDirectory(path ?? (current ? dirname(current) : (this.options.defaultDirectory ?? cwd())))
  }

  async showFileDialog(request: FileDialogRequest): Promise<string | null> {
    if (!this.options.fileDialogs) throw new Error('This host has no native file dialogs')
    return this.options.fileDialogs.show(request)
  }

  async getLiveSnapshot(): Promise<LiveSnapshot> {
    return this.live.getLiveSnapshot()
  }

  writePv(pv: string, value: LiveWriteValue): Promise<LiveWriteResult> {
    return this.live.writePv(pv, value)
  }

  async getPutLog(): Promise<LivePutLogEntry[]> {
    return this.live.getPutLog()
  }

  async disconnectClient(circuitId: number): Promise<boolean> {
    return this.live.disconnectClient(circuitId)
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

  /** For the host's Open Recent: the renderer opens the file after asking about unsaved changes. */
  requestOpenFile(path: string): void {
    this.didRequestOpenFile.fire(path)
  }

  /** Stops the IOC, delivers the last batches and drops every listener. */
  async dispose(): Promise<void> {
    await this.runner.dispose()
    this.live.dispose()
    this.lifetime.dispose()
    this.logBatcher.flush()
    this.logBatcher.dispose()
    this.hookErrorBatcher.flush()
    this.hookErrorBatcher.dispose()
    for (const emitter of [
      this.didChangeServerStatus,
      this.didLog,
      this.didRequestCommand,
      this.didChangeProjectFile,
      this.didChangeRecentProjects,
      this.didHookError,
      this.didRequestOpenFile,
      this.didUseProjectFile,
    ])
      emitter.dispose()
  }

  private async importScriptText(text: string, fileName: string): Promise<OpenProject> {
    const imported = await this.runner.importScript(text, fileName)
    this.log('info', 'project', `Imported ${fileName}`)
    return this.replaceDocument({
      project: imported.project,
      path: null,
      warnings: imported.warnings,
      saved: false,
    })
  }

  private replaceDocument(loaded: LoadedDocument): OpenProject {
    this.document.replace(loaded)
    this.didChangeProjectFile.fire(this.document.fileState)
    return this.document.open
  }

  private recordUse(path: string, action: ProjectFileEvent['action']): void {
    this.recent.add(path)
    this.didUseProjectFile.fire({ path, action })
  }

  private loadExamples(): Promise<LoadedExample[]> {
    this.examples ??= loadExamples(this.options.examplesDir ?? DEFAULT_EXAMPLES_DIR, (message) =>
      this.log('warn', 'project', message),
    )
    return this.examples
  }

  /** Adds where the failure is in the document: the PV's path, the hook and the line of its body. */
  private describeHookError(error: SessionHookError): HookError {
    const running = this.running
    const position =
      running && error.line !== null ? locateScriptLine(running.script, running.project, error.line) : null
    let pvPath = position?.pvPath ?? null
    if (!pvPath && running && error.pv !== null) {
      pvPath =
        pvLocations(running.project).find((l) => fullPvName(running.project, l) === error.pv)?.path ?? null
    }
    const hook = error.hook === '__ainit__' ? 'ainit' : error.hook
    return {
      time: Date.now(),
      pv: error.pv,
      pvPath,
      hook,
      message: error.message,
      traceback: error.traceback,
      scriptLine: error.line,
      line: position && position.hook === hook ? position.line : null,
    }
  }

  private entry(level: LogLevel, source: string, message: string): LogEntry {
    return { seq: ++this.logSeq, time: Date.now(), level, source, message }
  }
}

/**
 * A project file's document. A file that breaks the format's rules but keeps its structure (work in progress
 * saved with problems) still opens, its errors listed as warnings and in Problems; anything else is refused
 * with every error named.
 */
function parseProjectFile(text: string, name: string): Pick<LoadedDocument, 'project' | 'warnings'> {
  const parsed = parseProjectText(text)
  if (parsed.ok) return { project: parsed.project, warnings: parsed.warnings }
  const json = parsedJson(text)
  if (isEditableProject(json)) return { project: json, warnings: parsed.errors }
  const shown = parsed.errors.slice(0, 5).map((e) => `  ${e.path}: ${e.message}`)
  const more = parsed.errors.length > 5 ? [`  … and ${parsed.errors.length - 5} more`] : []
  throw new Error([`${name} is not a valid IOC Studio project:`, ...shown, ...more].join('\n'))
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function requireScriptPath(path: string): void {
  if (fileKind(path) !== 'script') {
    throw new ApiError('bad-arguments', `A caproto script is a .py file, not ${baseNameWithExtension(path)}`)
  }
}

function baseNameWithExtension(path: string): string {
  return path.split(/[\\/]/).pop() ?? path
}

/** The script the IOC runs, for mapping traceback lines; a project with errors does not run anyway. */
function safeScript(project: Project): string {
  try {
    return exportCaprotoScript(project)
  } catch {
    return ''
  }
}

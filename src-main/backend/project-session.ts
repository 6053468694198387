/**
 * The one place a project becomes a running IOC: the project is exported with the same generator as "Export"
 * (src-shared/codegen), the script runs in Pyodide against the caproto shim (PythonIoc), its PVs live in a
 * PvDatabase and our CA server serves them (SoftIoc), with the traffic recorder watching both. A caproto .py
 * file runs exactly the same way without a project: what caproto has no argument for is in the script's
 * IOC_STUDIO dict, which PythonIoc applies as it defines the PVs (alarm severities, hysteresis, clamping,
 * undefined at start, the hook time limit); this session adds the access rules and autosave it reports. The
 * server reads the EPICS variables of the script's os.environ: the host's, then what the script set (an
 * exported script sets the project's ports and interfaces with os.environ.setdefault, as under caproto).
 *
 * Start order follows caproto where it matters: the script runs and defines its PVs, autosaved values are
 * restored, then the server binds. Stop: autosave writes the values, the script's tasks stop and its shutdown
 * hooks run, then the server closes every client's circuit, then the PVs go. Operations are queued and run one
 * at a time; a failure to start is a status ('error' with the reason), never a rejection.
 */
import { basename } from 'node:path'
import type { ApplySummary, LogLevel, ServerStatus } from '@shared/api/contract'
import { DisposableStore, Emitter } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import { pvLocations } from '@shared/model/names'
import type { Project } from '@shared/model/project'
import type { CaClientInfo, CaServerConfig } from '../ca'
import { PvDatabase, SoftIoc, TrafficRecorder } from '../ioc'
import { importCaprotoScript } from '../python/importer/import-script'
import type { ImportedProject } from '../python/importer/import-script'
import { checkSyntax } from '../python/importer/python-tools'
import type { SyntaxProblem } from '../python/importer/script-description'
import { PythonIoc, ScriptError } from '../python/python-ioc'
import type { CaprotoScript, LoadReport } from '../python/python-ioc'
import { PythonRuntime } from '../python/runtime'
import { Autosave, autosavePathFor } from './autosave'
import type { LiveSource } from './live/live-source'
import type { HookFailureReport as HookError } from '../python/python-ioc'

export type SessionLog = (level: LogLevel, source: string, message: string) => void

export interface ProjectSessionOptions {
  readonly log: SessionLog
  /** A runtime shared with other sessions; by default the session loads its own. */
  readonly python?: PythonRuntime
  /** CA server settings made in code; they win over the environment. */
  readonly caConfig?: Partial<CaServerConfig>
  /** The host's environment: its EPICS_* variables are in the script's os.environ (default process.env). */
  readonly env?: Record<string, string | undefined>
  /** Watchdog limit for one hook call when the project sets none (default: the runtime's, 2 s). */
  readonly hookTimeLimitMs?: number
  /** How long a stop waits for tasks, then for shutdown hooks (default 2 s each). */
  readonly shutdownTimeoutMs?: number
  /** How often autosaved values are written (default 30 s, as caproto's helper). */
  readonly autosavePeriodMs?: number
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

type NamedScript = CaprotoScript & { readonly filename: string; readonly argv: readonly string[] }

/** What runs: the script, where its project or script file is, and its autosave. */
interface Running {
  script: NamedScript
  /** The project (or .py) file: autosave lives beside it. */
  readonly path: string | null
  autosave: Autosave | undefined
}

export interface StartOptions {
  /** The IOC's command line: --prefix, --<macro> value… (what ioc_arg_parser reads). */
  readonly argv?: readonly string[]
}

export class ProjectSession implements Disposable, LiveSource {
  readonly database: PvDatabase
  readonly recorder: TrafficRecorder
  /** Database + CA server + recorder while an IOC runs (made per start: its server settings may change). */
  private ioc: SoftIoc | undefined
  private iocStatus: Disposable | undefined
  private readonly python: PythonRuntime
  private readonly ownsPython: boolean
  private readonly script: PythonIoc
  private readonly lifetime = new DisposableStore()
  private current: ServerStatus = STOPPED
  /** True while start/stop run: the IOC's own status changes are not this session's yet. */
  private transitioning = false
  private running: Running | undefined
  private queue: Promise<unknown> = Promise.resolve()

  private readonly statusChanged = new Emitter<ServerStatus>()
  readonly onDidChangeStatus: Event<ServerStatus> = this.statusChanged.event
  /** Every hook failure of the script this session runs (from the moment it loads: startup hooks run at once). */
  readonly onDidHookError: Event<HookError>

  constructor(private readonly options: ProjectSessionOptions) {
    this.ownsPython = options.python === undefined
    this.python =
      options.python ?? new PythonRuntime({ log: options.log, hookTimeLimitMs: options.hookTimeLimitMs })
    this.database = new PvDatabase()
    // The studio shows every update sent, not only counts: the ring is bounded and the live feed samples.
    this.recorder = new TrafficRecorder({ updates: true })
    this.script = new PythonIoc({
      runtime: this.python,
      database: this.database,
      queues: this.recorder,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
      hookTimeLimitMs: options.hookTimeLimitMs,
    })
    this.lifetime.add(this.script)
    this.onDidHookError = this.script.onDidHookError
  }

  get status(): ServerStatus {
    return this.current
  }

  /** Connected CA clients (none while stopped). */
  clients(): CaClientInfo[] {
    return this.ioc?.clients() ?? []
  }

  /** Closes one client's circuit; false when there is no such client. */
  disconnectClient(circuitId: number): boolean {
    return this.ioc?.server?.disconnectClient(circuitId) ?? false
  }

  /** The runtime this session runs Python in (shared, or its own). */
  get pythonRuntime(): PythonRuntime {
    return this.python
  }

  /**
   * Runs a project: exported with the shared generator, then like a script. `path` is its file (autosave lives
   * beside it; null while untitled). A running IOC is stopped first. A project with errors is an error status.
   */
  start(project: Project, path: string | null = null, options: StartOptions = {}): Promise<ServerStatus> {
    return this.enqueue(async () => {
      let source: string
      try {
        source = exportCaprotoScript(project)
      } catch (error) {
        this.log('error', `The IOC could not start: ${errorText(error)}`)
        return this.set({ ...STOPPED, state: 'error', error: errorText(error) })
      }
      const filename = path
        ? `${basename(path).replace(/\.ioc\.json$|\.json$/i, '')}.py`
        : `${project.server.className}.py`
      return this.startNow(this.scriptOf(source, filename, options.argv ?? []), path)
    })
  }

  /**
   * Runs a caproto script as it is; a running IOC is stopped first. `path` is the script's file, for autosave
   * (an exported script's autosaved PVs are saved beside it).
   */
  startScript(
    source: string,
    filename: string,
    argv: readonly string[] = [],
    path: string | null = null,
  ): Promise<ServerStatus> {
    return this.enqueue(() => this.startNow(this.scriptOf(source, filename, argv), path))
  }

  /**
   * Hot reload: the running IOC takes the edited project while clients stay connected (unchanged PVs keep their
   * channels, hooks are swapped, startup hooks restart). Rejects when nothing runs or the new script fails; the
   * running one then goes on unchanged.
   */
  apply(project: Project): Promise<ApplySummary> {
    return this.enqueue(async () => {
      const running = this.running
      if (!running) throw new Error('The IOC is not running: start it first')
      const script = { ...running.script, source: exportCaprotoScript(project) }
      const report = await this.script.load(script)
      running.script = script
      this.applyHostSettings(report, running)
      const { added, removed, changed } = report
      this.log('info', `Applied: ${added.length} added, ${removed.length} removed, ${changed.length} changed`)
      return {
        added: [...added],
        removed: [...removed],
        changed: [...changed],
        hooksReloaded: countHooks(project),
      }
    })
  }

  /** A caproto script as a project document (read with Python's ast; the script does not run). */
  importScript(source: string, filename: string): Promise<ImportedProject> {
    return importCaprotoScript(this.python, source, filename)
  }

  /** Runs its shutdown hooks, saves autosaved values, closes every client cleanly and removes the PVs. */
  stop(): Promise<ServerStatus> {
    return this.enqueue(() => this.stopNow())
  }

  /** Python's own compile() verdict on a script: [] or the first error, with line and column. */
  checkPythonSyntax(source: string, filename: string): Promise<SyntaxProblem[]> {
    return checkSyntax(this.python, source, filename)
  }

  async dispose(): Promise<void> {
    await this.stop()
    this.lifetime.dispose()
    this.recorder.dispose()
    if (this.ownsPython) this.python.dispose()
    this.statusChanged.dispose()
  }

  // -- internals ---------------------------------------------------------------------------------------------

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation)
    this.queue = result.catch(() => undefined)
    return result
  }

  private log(level: LogLevel, message: string): void {
    this.options.log(level, 'server', message)
  }

  /** The script with the host's EPICS variables for its os.environ. */
  private scriptOf(source: string, filename: string, argv: readonly string[]): NamedScript {
    const env: Record<string, string> = {}
    for (const [name, value] of Object.entries(this.options.env ?? process.env)) {
      if (name.startsWith('EPICS_') && value !== undefined) env[name] = value
    }
    return { source, filename, argv, env }
  }

  private async startNow(script: NamedScript, path: string | null): Promise<ServerStatus> {
    if (this.running) await this.stopNow()
    this.transitioning = true
    try {
      this.set({ ...STOPPED, state: 'starting' })
      if (!(await this.pythonReady()))
        return this.set({ ...STOPPED, state: 'error', error: 'Python did not load' })

      let report: LoadReport
      try {
        report = await this.script.load(script)
        this.log('info', `${script.filename}: ${report.pvs.length} PV${report.pvs.length === 1 ? '' : 's'}`)
      } catch (error) {
        // The shim already logged the traceback under the script's name.
        const reason = error instanceof ScriptError ? error.message : errorText(error)
        this.log('error', `The IOC could not start: ${reason}`)
        return this.set({ ...STOPPED, state: 'error', error: reason })
      }

      const running: Running = { script, path, autosave: undefined }
      this.applyHostSettings(report, running)
      await running.autosave?.restore()
      const autosave = running.autosave

      this.log('info', 'Starting the Channel Access server')
      const ioc = this.openIoc(report.environment)
      const status = await ioc.start()
      if (status.state !== 'running') {
        autosave?.dispose()
        await this.closeIoc()
        await this.unloadScript()
        const reason = status.error ?? 'the Channel Access server did not start'
        this.log('error', `The Channel Access server could not start: ${reason}`)
        return this.set({ ...STOPPED, state: 'error', error: reason })
      }
      for (const warning of ioc.warnings) this.log('warn', warning)
      this.log(
        'info',
        `Channel Access server running: TCP port ${status.tcpPort}, UDP port ${status.udpPort} ` +
          `on ${status.interfaces.join(', ')}`,
      )
      autosave?.start()
      this.running = running
      return this.set(status)
    } finally {
      this.transitioning = false
    }
  }

  private async stopNow(): Promise<ServerStatus> {
    const running = this.running
    if (!running) return this.current.state === 'stopped' ? this.current : this.set(STOPPED)
    this.transitioning = true
    try {
      this.set({ ...this.current, state: 'stopping' })
      this.log('info', 'Stopping the IOC')
      if (running.autosave) {
        running.autosave.save()
        running.autosave.dispose()
      }
      await this.script.stop({ removePvs: false })
      await this.closeIoc()
      this.database.clear()
      this.running = undefined
      this.log('info', 'IOC stopped')
      return this.set(STOPPED)
    } finally {
      this.transitioning = false
    }
  }

  /**
   * A SoftIoc over the session's database and recorder, reading the EPICS variables of the script's environment;
   * the session's own caConfig (command-line flags, tests) wins over them.
   */
  private openIoc(environment: Readonly<Record<string, string>>): SoftIoc {
    const ioc = new SoftIoc({
      database: this.database,
      recorder: this.recorder,
      config: this.options.caConfig,
      env: environment,
    })
    this.ioc = ioc
    this.iocStatus = ioc.onDidChangeStatus((status) => {
      if (this.running && !this.transitioning) this.set(status)
    })
    return ioc
  }

  private async closeIoc(): Promise<void> {
    const ioc = this.ioc
    if (!ioc) return
    this.ioc = undefined
    this.iocStatus?.dispose()
    const closed = await ioc.stop()
    if (closed.error) this.log('error', closed.error)
    await ioc.dispose()
  }

  private async unloadScript(): Promise<void> {
    await this.script.stop({ removePvs: false })
    this.database.clear()
  }

  /**
   * What the script's IOC_STUDIO dict leaves to the host: its access rules, and which PVs autosave
   * (`running.autosave` is created, updated or dropped to match).
   */
  private applyHostSettings(report: LoadReport, running: Running): void {
    try {
      this.database.setAccessRules(report.access ?? { rules: [] })
    } catch (error) {
      this.log('error', `Access rules not applied, every PV stays readable and writable: ${errorText(error)}`)
    }
    const autosaved = report.autosave
    if (autosaved.length === 0) {
      running.autosave?.dispose()
      running.autosave = undefined
    } else if (running.autosave) running.autosave.setPvNames(autosaved)
    else if (running.path === null) {
      this.log(
        'info',
        `Autosave is off until the project is saved (${autosaved.length} PVs are marked autosave)`,
      )
    } else {
      running.autosave = new Autosave({
        database: this.database,
        path: autosavePathFor(running.path),
        pvNames: autosaved,
        periodMs: this.options.autosavePeriodMs,
        log: (level, message) => this.log(level, message),
      })
      // A start restores and starts it once the server runs; an Apply adds it to a running IOC.
      if (this.running === running) running.autosave.start()
    }
  }

  private async pythonReady(): Promise<boolean> {
    const loading = this.python.loadMs === 0
    if (loading) this.log('info', 'Loading Python (Pyodide)…')
    try {
      await this.python.ready
    } catch (error) {
      this.log('error', `Python could not load: ${errorText(error)}`)
      return false
    }
    if (loading) this.log('info', `Python ready in ${(this.python.loadMs / 1000).toFixed(1)} s`)
    return true
  }

  private set(status: ServerStatus): ServerStatus {
    this.current = Object.freeze({ ...status })
    this.statusChanged.fire(this.current)
    return this.current
  }
}

/** Hooks the project defines (reloaded by Apply): every PV's, and __ainit__. */
function countHooks(project: Project): number {
  let count = project.code?.ainit?.trim() ? 1 : 0
  for (const { pv } of pvLocations(project)) {
    count += Object.values(pv.hooks ?? {}).filter((hook) => hook !== undefined).length
  }
  return count
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * The one place a project becomes a running IOC: the project is exported with the same generator as "Export"
 * (src-shared/codegen), the script runs in Pyodide against the caproto shim (PythonIoc), its PVs live in a
 * PvDatabase and our CA server serves them (SoftIoc), with the traffic recorder watching both. A caproto .py
 * file runs the same way without a project. What caproto has no argument for (alarm severities, hysteresis,
 * clamping, access rules, autosave: the exported script's IOC_STUDIO dict) is applied to the PVs once the
 * script has defined them.
 *
 * Start order follows caproto where it matters: the script runs and defines its PVs, autosaved values are
 * restored, then the server binds. Stop: autosave writes the values, the script's tasks stop and its shutdown
 * hooks run, then the server closes every client's circuit, then the PVs go. Operations are queued and run one
 * at a time; a failure to start is a status ('error' with the reason), never a rejection.
 */
import { basename } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import type { ApplySummary, LogLevel, ServerStatus } from '@shared/api/contract'
import { DisposableStore, Emitter } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import { readStudioSettings, studioSettingsOf } from '@shared/codegen/studio-settings'
import type { RuntimeSettings } from '@shared/codegen/studio-settings'
import { fullPvName, pvLocations } from '@shared/model/names'
import type { Project } from '@shared/model/project'
import type { CaServerConfig } from '../ca'
import { PvDatabase, SoftIoc, TrafficRecorder } from '../ioc'
import type { MetadataPatch } from '../ioc'
import { importCaprotoScript, ImportError } from '../python/importer/import-script'
import type { ImportedProject } from '../python/importer/import-script'
import { checkSyntax } from '../python/importer/python-tools'
import type { SyntaxProblem } from '../python/importer/script-description'
import { PythonIoc, ScriptError } from '../python/python-ioc'
import type { CaprotoScript } from '../python/python-ioc'
import type { PythonRuntime } from '../python/runtime'
import { Autosave, autosavePathFor } from './autosave'
import { hookErrorOf } from './hook-errors'
import type { HookError } from './hook-errors'
import { createPythonRuntime, pythonOutputOf } from './python-output'

export type SessionLog = (level: LogLevel, source: string, message: string) => void

export interface ProjectSessionOptions {
  readonly log: SessionLog
  /** A runtime shared with other sessions (make it with createPythonRuntime to get hook errors); by default the
   *  session loads its own. */
  readonly python?: PythonRuntime
  /** CA server settings made in code; they win over the environment. */
  readonly caConfig?: Partial<CaServerConfig>
  /** EPICS_CA* / EPICS_CAS* variables; default process.env. */
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
  readonly path: string | null
  autosave: Autosave | undefined
}

/** What a start needs beyond the script text. */
interface StartPlan {
  readonly script: NamedScript
  /** The project (or .py) file: autosave lives beside it. */
  readonly path: string | null
  /** The document the script came from (for a .py: what import makes of it), for the IOC_STUDIO settings. */
  readonly layout: () => Promise<Project | undefined>
}

export interface StartOptions {
  /** The IOC's command line: --prefix, --<macro> value… (what ioc_arg_parser reads). */
  readonly argv?: readonly string[]
}

export class ProjectSession implements Disposable {
  readonly database: PvDatabase
  readonly recorder: TrafficRecorder
  /** Database + CA server + recorder while an IOC runs (made per start: its server settings may change). */
  private ioc: SoftIoc | undefined
  private iocStatus: Disposable | undefined
  private readonly python: PythonRuntime
  private readonly ownsPython: boolean
  /** The hook time limit when a project sets none. */
  private readonly defaultHookTimeLimitMs: number
  private readonly script: PythonIoc
  private readonly lifetime = new DisposableStore()
  private current: ServerStatus = STOPPED
  /** True while start/stop run: the IOC's own status changes are not this session's yet. */
  private transitioning = false
  private running: Running | undefined
  /** The file name of the script whose hooks run (set from the moment it loads: startup hooks run at once). */
  private scriptName: string | undefined
  private queue: Promise<unknown> = Promise.resolve()

  private readonly statusChanged = new Emitter<ServerStatus>()
  private readonly hookFailed = new Emitter<HookError>()
  readonly onDidChangeStatus: Event<ServerStatus> = this.statusChanged.event
  readonly onDidHookError: Event<HookError> = this.hookFailed.event

  constructor(private readonly options: ProjectSessionOptions) {
    this.ownsPython = options.python === undefined
    this.python =
      options.python ?? createPythonRuntime({ log: options.log, hookTimeLimitMs: options.hookTimeLimitMs })
    this.defaultHookTimeLimitMs = options.hookTimeLimitMs ?? this.python.watchdog.limitMs
    this.database = new PvDatabase()
    this.recorder = new TrafficRecorder()
    this.script = new PythonIoc({
      runtime: this.python,
      database: this.database,
      queues: this.recorder,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    })
    const output = pythonOutputOf(this.python)
    if (output) this.lifetime.add(output((line) => this.noticeHookError(line)))
  }

  get status(): ServerStatus {
    return this.current
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
      return this.startNow({
        script: { source, filename, argv: options.argv ?? [] },
        path,
        layout: async () => project,
      })
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
    return this.enqueue(() =>
      this.startNow({
        script: { source, filename, argv },
        path,
        layout: () => this.layoutOfScript(source, filename),
      }),
    )
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
      const source = exportCaprotoScript(project)
      const settings = settingsOf(project)
      this.python.watchdog.limitMs = settings.hookTimeLimitMs ?? this.defaultHookTimeLimitMs
      const script = { ...running.script, source }
      const before = new Map(this.database.list().map((pv) => [pv.name, pv.spec]))
      const report = await this.script.load(script)
      running.script = script
      this.applySettings(project, settings, running)
      // The script redefines a PV without the settings applied on top: changed is what differs once they are.
      const changed = report.changed.filter(
        (name) => !isDeepStrictEqual(before.get(name), this.database.get(name)?.spec),
      )
      this.log(
        'info',
        `Applied: ${report.added.length} added, ${report.removed.length} removed, ${changed.length} changed`,
      )
      return {
        added: [...report.added],
        removed: [...report.removed],
        changed,
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
    this.hookFailed.dispose()
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

  private async startNow(plan: StartPlan): Promise<ServerStatus> {
    if (this.running) await this.stopNow()
    this.transitioning = true
    try {
      this.set({ ...STOPPED, state: 'starting' })
      if (!(await this.pythonReady()))
        return this.set({ ...STOPPED, state: 'error', error: 'Python did not load' })

      let layout: Project | undefined
      let settings: RuntimeSettings | undefined
      try {
        layout = await plan.layout()
        settings = layout && settingsOf(layout)
      } catch (error) {
        this.log('error', `The IOC could not start: ${errorText(error)}`)
        return this.set({ ...STOPPED, state: 'error', error: errorText(error) })
      }
      // Startup hooks run as soon as the script loads: the project's hook time limit applies from then on.
      this.python.watchdog.limitMs = settings?.hookTimeLimitMs ?? this.defaultHookTimeLimitMs

      const { filename } = plan.script
      this.scriptName = filename
      try {
        const report = await this.script.load(plan.script)
        this.log('info', `${filename}: ${report.pvs.length} PV${report.pvs.length === 1 ? '' : 's'}`)
      } catch (error) {
        // The shim already logged the traceback under the script's name.
        this.scriptName = undefined
        const reason = error instanceof ScriptError ? error.message : errorText(error)
        this.log('error', `The IOC could not start: ${reason}`)
        return this.set({ ...STOPPED, state: 'error', error: reason })
      }

      const running: Running = { script: plan.script, path: plan.path, autosave: undefined }
      if (layout && settings) this.applySettings(layout, settings, running)
      else this.database.setAccessRules({ rules: [] })
      await running.autosave?.restore()
      const autosave = running.autosave

      this.log('info', 'Starting the Channel Access server')
      const ioc = this.openIoc(layout)
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
      this.scriptName = undefined
      await this.closeIoc()
      this.database.clear()
      this.running = undefined
      this.log('info', 'IOC stopped')
      return this.set(STOPPED)
    } finally {
      this.transitioning = false
    }
  }

  /** A SoftIoc over the session's database and recorder, with the CA settings of this start. */
  private openIoc(layout: Project | undefined): SoftIoc {
    const ioc = new SoftIoc({
      database: this.database,
      recorder: this.recorder,
      config: this.caConfigFor(layout),
      env: this.options.env,
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

  /**
   * The project's interfaces and ports, where the environment does not set them (the exported script puts them
   * in os.environ with setdefault, so real caproto gives the environment the last word too); the session's own
   * caConfig (command-line flags, tests) wins over both.
   */
  private caConfigFor(layout: Project | undefined): Partial<CaServerConfig> {
    const env = this.options.env ?? process.env
    const server = layout?.server
    const config: { -readonly [K in keyof CaServerConfig]?: CaServerConfig[K] } = {}
    if (server?.interfaces?.length && !env.EPICS_CAS_INTF_ADDR_LIST) config.interfaces = server.interfaces
    if (server?.serverPort !== undefined && !env.EPICS_CAS_SERVER_PORT && !env.EPICS_CA_SERVER_PORT) {
      config.serverPort = server.serverPort
    }
    if (server?.beaconPort !== undefined && !env.EPICS_CAS_BEACON_PORT) config.beaconPort = server.beaconPort
    return { ...config, ...this.options.caConfig }
  }

  private async unloadScript(): Promise<void> {
    await this.script.stop({ removePvs: false })
    this.scriptName = undefined
    this.database.clear()
  }

  /**
   * What the script cannot say, applied to the PVs it defined: alarm severities, hysteresis, clamping, the
   * undefined-at-start severity, access rules, and which PVs autosave (`running.autosave` is created, updated
   * or dropped to match).
   */
  private applySettings(project: Project, settings: RuntimeSettings, running: Running): void {
    try {
      this.database.setAccessRules(settings.access ?? { rules: [] })
    } catch (error) {
      this.log('error', `Access rules not applied, every PV stays readable and writable: ${errorText(error)}`)
    }
    const naming = namingOf(project, running.script.argv)
    const autosaved: string[] = []
    for (const location of pvLocations(project)) {
      const pvSettings = settings.pvs.get(location.attrPath)
      if (!pvSettings) continue
      const name = fullPvName(project, location, naming)
      const pv = this.database.get(name)
      if (!pv) {
        this.log('warn', `${name} is not served, so its settings (${location.attrPath}) were not applied`)
        continue
      }
      try {
        if (Object.keys(pvSettings.patch).length > 0) pv.writeMetadata(pvSettings.patch as MetadataPatch)
      } catch (error) {
        this.log('warn', `${name}: settings not applied: ${errorText(error)}`)
      }
      if (pvSettings.autosave) autosaved.push(name)
    }

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

  /** The document a .py script describes, when it can be read as one (for its IOC_STUDIO settings). */
  private async layoutOfScript(source: string, filename: string): Promise<Project | undefined> {
    try {
      return (await importCaprotoScript(this.python, source, filename)).project
    } catch (error) {
      if (error instanceof ImportError) return undefined
      throw error
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

  private noticeHookError(line: { level: LogLevel; source: string; message: string }): void {
    const filename = this.scriptName
    if (filename === undefined || line.level !== 'error') return
    const error = hookErrorOf(line, filename)
    // A shared runtime reports every session's hooks: keep this session's own.
    if (error && (error.pv === null ? line.source === filename : this.database.get(error.pv))) {
      this.hookFailed.fire(error)
    }
  }

  private set(status: ServerStatus): ServerStatus {
    this.current = Object.freeze({ ...status })
    this.statusChanged.fire(this.current)
    return this.current
  }
}

/** What the project says that its exported script cannot (the IOC_STUDIO dict), as the runtime needs it. */
function settingsOf(project: Project): RuntimeSettings {
  const read = readStudioSettings(studioSettingsOf(project) ?? {})
  if (!read.ok) throw new Error(read.message)
  return read.settings
}

/** The prefix and macro values the IOC's command line gives (what ioc_arg_parser would make of it). */
function namingOf(
  project: Project,
  argv: readonly string[],
): { prefix?: string; macros: Record<string, string> } {
  const wanted = new Set(['prefix', ...(project.server.macros ?? []).map((macro) => macro.name)])
  const values: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([A-Za-z_][A-Za-z0-9_-]*)(?:=(.*))?$/.exec(argv[i])
    if (!match || !wanted.has(match[1])) continue
    const value = match[2] ?? argv[i + 1]
    if (match[2] === undefined) i++
    if (value !== undefined) values[match[1]] = value
  }
  const { prefix, ...macros } = values
  return prefix === undefined ? { macros } : { prefix, macros }
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

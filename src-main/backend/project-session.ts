/**
 * The one place a project becomes a running IOC: the project is exported with the same generator as "Export"
 * (src-shared/codegen), the script runs in Pyodide against the caproto shim (PythonIoc), its PVs live in a
 * PvDatabase and our CA server serves them (SoftIoc), with the traffic recorder watching both. A caproto .py
 * file runs the same way without a project.
 *
 * Start order follows caproto where it matters: the script runs and defines its PVs, autosaved values are
 * restored, then the server binds. Stop: autosave writes the values, the script's tasks stop and its shutdown
 * hooks run, then the server closes every client's circuit, then the PVs go. Operations are queued and run one
 * at a time; a failure to start is a status ('error' with the reason), never a rejection.
 */
import type { LogLevel, ServerStatus } from '@shared/api/contract'
import { DisposableStore, Emitter } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'
import type { CaServerConfig } from '../ca'
import { SoftIoc } from '../ioc'
import type { PvDatabase, TrafficRecorder } from '../ioc'
import { checkSyntax } from '../python/importer/python-tools'
import type { SyntaxProblem } from '../python/importer/script-description'
import { PythonIoc, ScriptError } from '../python/python-ioc'
import type { CaprotoScript } from '../python/python-ioc'
import type { PythonRuntime } from '../python/runtime'
import type { Autosave } from './autosave'
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

/** What runs: the script, and the autosave of a saved project. */
interface Running {
  readonly script: CaprotoScript & { readonly filename: string }
  readonly autosave: Autosave | undefined
}

/** What a start needs beyond the script text. */
interface StartPlan {
  readonly script: CaprotoScript & { readonly filename: string }
  readonly hookTimeLimitMs?: number
  /** Called after the PVs exist and before the server binds (access rules, autosave). */
  readonly prepare?: () => Promise<Autosave | undefined>
}

export class ProjectSession implements Disposable {
  readonly database: PvDatabase
  readonly recorder: TrafficRecorder
  private readonly ioc: SoftIoc
  private readonly python: PythonRuntime
  private readonly ownsPython: boolean
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
    this.ioc = new SoftIoc({ config: options.caConfig, env: options.env })
    this.database = this.ioc.database
    this.recorder = this.ioc.recorder
    this.script = new PythonIoc({
      runtime: this.python,
      database: this.database,
      queues: this.recorder,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    })
    this.lifetime.add(
      this.ioc.onDidChangeStatus((status) => {
        if (this.running && !this.transitioning) this.set(status)
      }),
    )
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

  /** Runs a caproto script as it is; a running IOC is stopped first. */
  startScript(source: string, filename: string, argv: readonly string[] = []): Promise<ServerStatus> {
    return this.enqueue(() => this.startNow({ script: { source, filename, argv } }))
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
    await this.ioc.dispose()
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
      const limit = plan.hookTimeLimitMs ?? this.options.hookTimeLimitMs
      if (limit !== undefined) this.python.watchdog.limitMs = limit

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

      let autosave: Autosave | undefined
      try {
        autosave = await plan.prepare?.()
      } catch (error) {
        await this.unloadScript()
        this.log('error', `The IOC could not start: ${errorText(error)}`)
        return this.set({ ...STOPPED, state: 'error', error: errorText(error) })
      }

      this.log('info', 'Starting the Channel Access server')
      const status = await this.ioc.start()
      if (status.state !== 'running') {
        autosave?.dispose()
        await this.unloadScript()
        const reason = status.error ?? 'the Channel Access server did not start'
        this.log('error', `The Channel Access server could not start: ${reason}`)
        return this.set({ ...STOPPED, state: 'error', error: reason })
      }
      for (const warning of this.ioc.warnings) this.log('warn', warning)
      this.log(
        'info',
        `Channel Access server running: TCP port ${status.tcpPort}, UDP port ${status.udpPort} ` +
          `on ${status.interfaces.join(', ')}`,
      )
      autosave?.start()
      this.running = { script: plan.script, autosave }
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
      const closed = await this.ioc.stop()
      if (closed.error) this.log('error', closed.error)
      this.database.clear()
      this.running = undefined
      this.log('info', 'IOC stopped')
      return this.set(STOPPED)
    } finally {
      this.transitioning = false
    }
  }

  private async unloadScript(): Promise<void> {
    await this.script.stop({ removePvs: false })
    this.scriptName = undefined
    this.database.clear()
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Runs a caproto script against the PV database: every pvproperty becomes an IocPv (PvDatabase.define), its
 * putter/getter become the PV's hooks, its startup/scan/shutdown hooks run as tasks. Loading a script again is
 * a hot reload: the new script runs first (a broken one changes nothing), then the old tasks stop and their
 * shutdown hooks run, then PVs are redefined in one batch (unchanged PVs keep their clients) and the hooks
 * swap, then the new startup hooks start. The CA server never restarts.
 *
 * The script's IOC_STUDIO dict is applied as it loads: its PVs are defined with their settings and its hook
 * time limit holds from the start of its tasks; access rules and autosave are in the report for the host. Each
 * script has its own os.environ (the host's variables on top of the runtime's), so nothing one script sets there
 * reaches the next; the report says which EPICS variables it ends up with.
 */
import { Emitter } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'
import type { RuntimeSettings } from '@shared/codegen/studio-settings'
import type { AccessSettings } from '@shared/model/project'
import type { PyCallable, PyProxy } from 'pyodide/ffi'
import { validateSpec } from '../ioc'
import type { IocPv, PvDatabase, PvHooks, PvsChange, PvSpec } from '../ioc'
import { specFromCaproto } from './caproto-spec'
import type { CaprotoPvDescription } from './caproto-spec'
import { toGetterValue, toPutterResult } from './hook-result'
import type { HookKind, PythonRuntime, QueueRecorder } from './runtime'
import { readScriptSettings, unservedSettings, withPvSettings } from './script-settings'

export interface PythonIocOptions {
  readonly runtime: PythonRuntime
  readonly database: PvDatabase
  /** Receives every ThreadsafeQueue put and get (the traffic recorder). */
  readonly queues?: QueueRecorder
  /** How long a stop waits for cancelled tasks, then for shutdown hooks (default 2 s each). */
  readonly shutdownTimeoutMs?: number
  /** The hook time limit of a script whose IOC_STUDIO sets none (default: the runtime's limit at construction). */
  readonly hookTimeLimitMs?: number
}

export interface CaprotoScript {
  readonly source: string
  /** Shown in tracebacks and as the log source of top-level output (default 'ioc.py'). */
  readonly filename?: string
  /** The script's command line (what ioc_arg_parser parses): --prefix, --list-pvs, -v, --<macro>… */
  readonly argv?: readonly string[]
  /** Variables the script's os.environ has on top of the runtime's (e.g. the host's EPICS_* settings). */
  readonly env?: Readonly<Record<string, string>>
}

export interface LoadReport {
  /** Every PV the script serves, in definition order. */
  readonly pvs: readonly string[]
  readonly added: readonly string[]
  readonly removed: readonly string[]
  /** Redefined: metadata changed in place, or replaced because the type or size changed. */
  readonly changed: readonly string[]
  readonly warnings: readonly string[]
  /** The access rules of the script's IOC_STUDIO dict (undefined: it has none). */
  readonly access?: AccessSettings
  /** PVs its IOC_STUDIO dict marks autosave, by full name. */
  readonly autosave: readonly string[]
  /**
   * The EPICS_* variables of the script's os.environ once its top level ran: what caproto's server would read
   * (an exported script sets the project's ports and interfaces there with os.environ.setdefault).
   */
  readonly environment: Readonly<Record<string, string>>
}

/** A hook that raised, hung (the watchdog stopped it) or called sys.exit(); already logged with its traceback. */
export interface HookFailureReport {
  /** The PV whose hook failed; null for the IOC-level `__ainit__`. */
  readonly pv: string | null
  readonly hook: HookKind
  /** One line: the exception type and message, or why the watchdog stopped it. */
  readonly message: string
  /** The script's own frames only. */
  readonly traceback: string
  /** Line in the script of the innermost frame the user wrote, when there is one. */
  readonly line: number | null
}

/** The script could not be loaded (it raised, exited, or described a PV the database refuses). */
export class ScriptError extends Error {
  override readonly name = 'ScriptError'
  constructor(
    message: string,
    /** The Python traceback, limited to the script's own frames ('' when the error is not from Python). */
    readonly traceback = '',
  ) {
    super(message)
  }
}

interface LoadedScript {
  readonly session: PyProxy
  readonly callPutter: PyProxy & PyCallable
  readonly callGetter: PyProxy & PyCallable
  readonly pvs: readonly IocPv[]
  readonly hooks: Disposable[]
}

function destroyAll(...proxies: PyProxy[]): void {
  for (const proxy of proxies) proxy.destroy()
}

export class PythonIoc implements Disposable {
  private loaded: LoadedScript | undefined
  /** Loads and stops run one at a time, in call order. */
  private work: Promise<unknown> = Promise.resolve()
  private readonly hookFailed = new Emitter<HookFailureReport>()
  private readonly defaultHookTimeLimitMs: number

  /** Every hook failure of the running script (putter, getter, startup, scan, shutdown, __ainit__). */
  readonly onDidHookError: Event<HookFailureReport> = this.hookFailed.event

  constructor(private readonly options: PythonIocOptions) {
    this.defaultHookTimeLimitMs = options.hookTimeLimitMs ?? options.runtime.watchdog.limitMs
  }

  /** Names of the PVs the current script serves. */
  get pvNames(): string[] {
    return this.loaded ? this.loaded.pvs.map((pv) => pv.name) : []
  }

  get isLoaded(): boolean {
    return this.loaded !== undefined
  }

  /** Loads a script, or hot-reloads over the running one. Throws ScriptError and keeps the old one running. */
  load(script: CaprotoScript): Promise<LoadReport> {
    return this.serialize(() => this.loadNow(script))
  }

  /** Cancels the script's tasks, runs its shutdown hooks and detaches its hooks; `removePvs` also drops its PVs. */
  stop(options: { removePvs?: boolean } = {}): Promise<void> {
    return this.serialize(async () => {
      const loaded = this.loaded
      if (!loaded) return
      this.loaded = undefined
      await this.stopTasks(loaded)
      this.unload(loaded)
      if (options.removePvs ?? true) {
        this.options.database.batch(() => {
          for (const pv of loaded.pvs)
            if (this.options.database.get(pv.name) === pv) this.options.database.remove(pv.name)
        })
      }
    })
  }

  dispose(): void {
    void this.stop({ removePvs: false }).finally(() => this.hookFailed.dispose())
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const next = this.work.then(task, task)
    this.work = next.catch(() => undefined)
    return next
  }

  private async loadNow(script: CaprotoScript): Promise<LoadReport> {
    const { runtime, database } = this.options
    await runtime.ready
    const filename = script.filename ?? 'ioc.py'
    const recordQueue = this.options.queues
      ? (name: string, op: 'put' | 'get', depth: number, summary: string) =>
          this.options.queues?.recordQueue(name, op, depth, summary)
      : undefined
    const session = runtime.createSession(filename, recordQueue, (pv, hook, message, traceback, line) =>
      // Python's None arrives as undefined.
      this.hookFailed.fire({ pv: pv ?? null, hook, message, traceback, line: line ?? null }),
    )
    let descriptions: CaprotoPvDescription[]
    let specs: PvSpec[]
    let settings: RuntimeSettings
    let environment: Record<string, string>
    const warnings: string[] = []
    try {
      const failure = runtime.guarded(
        () =>
          session.execute(script.source, [...(script.argv ?? [])], { ...script.env }) as
            { error: string; traceback: string } | undefined,
        runtime.scriptTimeLimitMs,
      )
      if (failure) throw new ScriptError(`${filename}: ${failure.error}`, failure.traceback)
      settings = readScriptSettings(runtime.guarded(() => session.studio_settings()))
      environment = runtime.guarded(() => session.epics_environment() as Record<string, string>)
      descriptions = runtime.guarded(() => session.describe() as CaprotoPvDescription[])
      specs = descriptions.map((description) => {
        const mapped = specFromCaproto(description)
        warnings.push(...mapped.warnings)
        const pvSettings = description.attrPath ? settings.pvs.get(description.attrPath) : undefined
        const spec = pvSettings
          ? withPvSettings(mapped.spec, pvSettings, description.valueGiven !== false)
          : mapped.spec
        // Validate everything before the database changes, so a bad PV leaves the running IOC untouched.
        return validateSpec(spec)
      })
      const paths = new Set(descriptions.flatMap((description) => description.attrPath ?? []))
      warnings.push(...unservedSettings(settings, paths))
    } catch (error) {
      session.destroy()
      if (error instanceof ScriptError) throw error
      throw new ScriptError(`${filename}: ${error instanceof Error ? error.message : String(error)}`)
    }
    for (const warning of warnings) runtime.log('warn', filename, warning)

    const previous = this.loaded
    if (previous) await this.stopTasks(previous)

    let change: PvsChange = { added: [], removed: [], changed: [] }
    const listening = database.onDidChangePvs((batch) => (change = batch))
    let pvs: IocPv[]
    try {
      pvs = database.batch(() => {
        const defined = specs.map((spec) => database.define(spec))
        const names = new Set(specs.map((spec) => spec.name))
        for (const old of previous?.pvs ?? []) {
          if (!names.has(old.name) && database.get(old.name) === old) database.remove(old.name)
        }
        return defined
      })
    } catch (error) {
      // Specs were validated above, so this is unexpected; the old script's tasks are already stopped.
      session.destroy()
      throw new ScriptError(`${filename}: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      listening.dispose()
    }

    const callPutter = session.call_putter as PyProxy & PyCallable
    const callGetter = session.call_getter as PyProxy & PyCallable
    runtime.guarded(() => session.attach(pvs))
    if (previous) this.unload(previous)
    const hooks: Disposable[] = []
    descriptions.forEach((description, index) => {
      const pvHooks = this.hooksFor(index, description, callPutter, callGetter)
      if (pvHooks) hooks.push(pvs[index].setHooks(pvHooks))
    })
    this.loaded = { session, callPutter, callGetter, pvs, hooks }
    runtime.watchdog.limitMs = settings.hookTimeLimitMs ?? this.defaultHookTimeLimitMs
    runtime.guarded(() => session.start())
    return {
      pvs: pvs.map((pv) => pv.name),
      added: change.added,
      removed: change.removed,
      changed: change.changed,
      warnings,
      ...(settings.access ? { access: settings.access } : {}),
      autosave: descriptions.flatMap((description) =>
        description.attrPath && settings.pvs.get(description.attrPath)?.autosave ? description.name : [],
      ),
      environment,
    }
  }

  /** The PV's hooks: each call into Python runs under the watchdog and comes back without a PyProxy. */
  private hooksFor(
    index: number,
    description: CaprotoPvDescription,
    callPutter: PyCallable,
    callGetter: PyCallable,
  ): PvHooks | undefined {
    if (!description.hooks.put && !description.hooks.get) return undefined
    const watchdog = this.options.runtime.watchdog
    const hooks: PvHooks = {}
    if (description.hooks.put) {
      hooks.putter = (_pv, value) => {
        watchdog.enter()
        let result: unknown
        try {
          result = callPutter(index, value)
        } finally {
          watchdog.leave()
        }
        return toPutterResult(result)
      }
    }
    if (description.hooks.get) {
      hooks.getter = () => {
        watchdog.enter()
        let result: unknown
        try {
          result = callGetter(index)
        } finally {
          watchdog.leave()
        }
        return toGetterValue(result)
      }
    }
    return hooks
  }

  private async stopTasks(loaded: LoadedScript): Promise<void> {
    const seconds = (this.options.shutdownTimeoutMs ?? 2000) / 1000
    try {
      await this.options.runtime.guarded(() => loaded.session.stop(seconds) as Promise<void>)
    } catch (error) {
      // Whatever went wrong, the script is going: its hooks are detached next.
      this.options.runtime.log('error', 'python', `stopping the script failed: ${String(error)}`)
    }
  }

  /** Drops the script's hooks, detaches its Python instances from their PVs and forgets its queues. */
  private unload(loaded: LoadedScript): void {
    for (const hook of loaded.hooks) hook.dispose()
    const queues = this.options.runtime.guarded(() => loaded.session.queue_names() as string[])
    for (const name of queues) this.options.queues?.forgetQueue(name)
    this.options.runtime.guarded(() => loaded.session.close())
    destroyAll(loaded.callPutter, loaded.callGetter, loaded.session)
  }
}

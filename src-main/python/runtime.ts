/**
 * The Python runtime: one Pyodide interpreter, loaded once in the background from node_modules/pyodide (offline),
 * with IOC Studio's caproto shim written into its file system and the host bindings the shim calls
 * (`_iocstudio_js`). Python runs on this thread; the watchdog interrupts it when a call runs too long.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadPyodide } from 'pyodide'
import type { PyodideInterface } from 'pyodide'
import type { PyCallable, PyProxy } from 'pyodide/ffi'
import type { Disposable } from '@shared/base/event'
import type { LogLevel } from '@shared/api/contract'
import { Eca } from '../ca'
import { scanSettingForPeriod } from '../ioc'
import type { IocPv, TrafficRecorder, WriteOptions, WriteOutcome } from '../ioc'
import { caprotoMetadataOf, metadataPatchFromCaproto } from './caproto-spec'
import { HookFailure, SKIP } from './hook-result'
import { HookWatchdog } from './watchdog'

/** Where log lines go: level, source (a PV name for hook output, the script's file name, 'python'), text. */
export type PythonLogSink = (level: LogLevel, source: string, message: string) => void

export interface PythonRuntimeOptions {
  readonly log: PythonLogSink
  /** Pyodide's files (pyodide.asm.wasm, python_stdlib.zip…); default: the installed `pyodide` package. */
  readonly indexURL?: string
  /** The shim's Python sources; default: `shim/` beside this module (copied there in the built app). */
  readonly shimDir?: string
  /** How long one hook call may run before the watchdog interrupts it (default 2 s). */
  readonly hookTimeLimitMs?: number
  /** How long a script's top level may run (default 10 s). */
  readonly scriptTimeLimitMs?: number
}

/**
 * A write's outcome as the shim sees it: 1 when it succeeded, else the failure message. Both cross into Python
 * as plain values, so a hook's write allocates no proxy.
 */
function writeResult(outcome: WriteOutcome): 1 | string {
  return outcome.status === Eca.NORMAL
    ? 1
    : (outcome.message ?? `write failed with ECA status ${outcome.status}`)
}

/** Where the shim lives inside Pyodide's file system. */
const SHIM_MOUNT = '/iocstudio/shim'

/**
 * The shim beside this module: src-main/python/shim from source (tests, tsx), out/main/shim in the build (the
 * bundler may put this module in out/main/chunks, hence the second place to look).
 */
export function defaultShimDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const candidates = [join(here, 'shim'), join(here, '..', 'shim')]
  return candidates.find((dir) => existsSync(join(dir, 'caproto', '__init__.py'))) ?? candidates[0]
}

/**
 * The installed `pyodide` package. In the packaged app it resolves inside app.asar, but its files are unpacked
 * (electron-builder asarUnpack) because Pyodide opens them by path: point there.
 */
export function defaultIndexURL(): string {
  const packageJson = createRequire(import.meta.url).resolve('pyodide/package.json')
  return dirname(packageJson).replace(`app.asar${sep}`, `app.asar.unpacked${sep}`) + sep
}

/** Every .py file under `dir`, as paths relative to it (POSIX separators) and contents. */
export function readShimFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== '__pycache__') walk(path)
      } else if (entry.name.endsWith('.py')) {
        files.set(relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8'))
      }
    }
  }
  walk(dir)
  if (!files.has('caproto/__init__.py')) throw new Error(`no caproto shim in ${dir}`)
  return files
}

export class PythonRuntime implements Disposable {
  /** Resolves when Python is ready for scripts. */
  readonly ready: Promise<void>
  readonly watchdog: HookWatchdog
  readonly scriptTimeLimitMs: number
  /** Milliseconds from construction until Python was ready. */
  loadMs = 0
  private pyodide: PyodideInterface | undefined
  private sessionClass: (PyProxy & PyCallable) | undefined
  private disposed = false

  constructor(private readonly options: PythonRuntimeOptions) {
    this.watchdog = new HookWatchdog({ limitMs: options.hookTimeLimitMs ?? 2000 })
    this.scriptTimeLimitMs = options.scriptTimeLimitMs ?? 10_000
    this.ready = this.load()
    // Whoever awaits `ready` sees a failure; it is also logged for the case nobody does.
    this.ready.catch((error: unknown) =>
      this.log('error', 'python', `Python failed to load: ${String(error)}`),
    )
  }

  private async load(): Promise<void> {
    const started = performance.now()
    const shim = readShimFiles(this.options.shimDir ?? defaultShimDir())
    const pyodide = await loadPyodide({
      indexURL: this.options.indexURL ?? defaultIndexURL(),
      // Until the shim captures sys.stdout, Pyodide's own output goes to the log as 'python'.
      stdout: (line) => this.log('info', 'python', line),
      stderr: (line) => this.log('warn', 'python', line),
    })
    if (this.disposed) return
    pyodide.setInterruptBuffer(this.watchdog.interruptBuffer)
    for (const [path, source] of shim) {
      const target = `${SHIM_MOUNT}/${path}`
      pyodide.FS.mkdirTree(target.slice(0, target.lastIndexOf('/')))
      pyodide.FS.writeFile(target, source)
    }
    pyodide.registerJsModule('_iocstudio_js', this.hostBindings())
    pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(SHIM_MOUNT)})`)
    const iocstudio = pyodide.pyimport('_iocstudio')
    iocstudio.install()
    iocstudio.destroy()
    const sessionModule = pyodide.pyimport('_iocstudio.session')
    this.sessionClass = sessionModule.Session.copy()
    sessionModule.destroy()
    this.pyodide = pyodide
    this.loadMs = performance.now() - started
  }

  /** The functions the shim calls (module `_iocstudio_js`). */
  private hostBindings(): object {
    const watchdog = this.watchdog
    return {
      log: (level: LogLevel, source: string, message: string) => this.log(level, source, message),
      enter: () => watchdog.enter(),
      leave: () => watchdog.leave(),
      watchdogLimit: () => watchdog.limitMs / 1000,
      SKIP,
      failure: (message: string) => new HookFailure(message),
      // instance.write(): the PV's pipeline, synchronous unless a hook on that PV awaits.
      write: (pv: IocPv, value: unknown, options?: WriteOptions): 1 | string | Promise<1 | string> => {
        const outcome = pv.putNow(value, options)
        return outcome instanceof Promise ? outcome.then(writeResult) : writeResult(outcome)
      },
      // Returns an error message instead of throwing, so Python can raise caproto's own exception type.
      writeMetadata: (pv: IocPv, keywords: Record<string, unknown>): string | undefined => {
        try {
          const { patch, warnings } = metadataPatchFromCaproto(pv.spec, keywords)
          for (const warning of warnings) this.log('warn', pv.name, warning)
          pv.writeMetadata(patch)
          return undefined
        } catch (error) {
          return error instanceof Error ? error.message : String(error)
        }
      },
      specMetadata: (pv: IocPv, keyword: string) => caprotoMetadataOf(pv.spec, keyword),
      scanSetting: (pv: IocPv) => pv.scan,
      setScanPeriod: (pv: IocPv, seconds: number) => {
        const setting = scanSettingForPeriod(seconds)
        if (setting) pv.setScan(setting.index)
        return setting !== undefined
      },
    }
  }

  get pyodideVersion(): string | undefined {
    return this.pyodide?.version
  }

  /** The interpreter; throws until `ready` resolved. */
  get interpreter(): PyodideInterface {
    if (!this.pyodide) throw new Error('Python is not ready yet: await runtime.ready first')
    return this.pyodide
  }

  /** A new script session (the shim's `_iocstudio.session.Session`); the caller destroys it. */
  createSession(
    filename: string,
    recordQueue?: QueueRecorder['recordQueue'],
    reportFailure?: (
      pv: string | null,
      hook: HookKind,
      message: string,
      traceback: string,
      line: number | null,
    ) => void,
  ): PyProxy {
    if (!this.sessionClass) throw new Error('Python is not ready yet: await runtime.ready first')
    return this.sessionClass(filename, recordQueue ?? null, reportFailure ?? null) as PyProxy
  }

  /** Runs `work` (which calls into Python) under the watchdog. */
  guarded<T>(work: () => T, limitMs?: number): T {
    this.watchdog.enter(limitMs)
    try {
      return work()
    } finally {
      this.watchdog.leave()
    }
  }

  log(level: LogLevel, source: string, message: string): void {
    this.options.log(level, source, message)
  }

  dispose(): void {
    this.disposed = true
    this.watchdog.dispose()
    this.sessionClass?.destroy()
    this.sessionClass = undefined
  }
}

export type HookKind = 'putter' | 'getter' | 'startup' | 'scan' | 'shutdown' | '__ainit__'

/** Where ThreadsafeQueue activity goes: the traffic recorder's queue instrumentation. */
export type QueueRecorder = Pick<TrafficRecorder, 'recordQueue' | 'forgetQueue'>

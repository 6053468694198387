/**
 * A Python runtime whose output can be watched. The shim reports a failing hook only as a log line (with the
 * hook's traceback), so every ProjectSession built on one shared runtime listens here to turn those lines into
 * onDidHookError events. Create shared runtimes with `createPythonRuntime`; the output still goes to the log
 * sink given in the options, exactly once.
 */
import type { LogLevel } from '@shared/api/contract'
import { Emitter } from '@shared/base/event'
import type { Event } from '@shared/base/event'
import { PythonRuntime } from '../python/runtime'
import type { PythonRuntimeOptions } from '../python/runtime'

export interface PythonLine {
  readonly level: LogLevel
  /** A PV name for hook output, the script's file name, or 'python'. */
  readonly source: string
  readonly message: string
}

const outputs = new WeakMap<PythonRuntime, Emitter<PythonLine>>()

/** A runtime whose lines go to `options.log` and to `pythonOutputOf(runtime)` listeners. */
export function createPythonRuntime(options: PythonRuntimeOptions): PythonRuntime {
  const output = new Emitter<PythonLine>()
  const runtime = new PythonRuntime({
    ...options,
    log: (level, source, message) => {
      options.log(level, source, message)
      if (output.hasListeners) output.fire({ level, source, message })
    },
  })
  outputs.set(runtime, output)
  return runtime
}

/** The lines of a runtime made by `createPythonRuntime`; undefined for any other runtime. */
export function pythonOutputOf(runtime: PythonRuntime): Event<PythonLine> | undefined {
  return outputs.get(runtime)?.event
}

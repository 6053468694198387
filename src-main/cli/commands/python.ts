/**
 * The Python runtime for a command: Pyodide from node_modules, the caproto shim from the app's files. The CLI
 * runs from src-main/cli (tests, tsx) or from its build in out/main; the shim sits beside the build when the
 * build copies it there, and in the source tree otherwise.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { PythonRuntime } from '../../python/runtime'
import type { PythonLogSink } from '../../python/runtime'

export function shimDirFor(appDir: string): string {
  const candidates = [join(appDir, 'shim'), join(appDir, '../../src-main/python/shim')]
  return candidates.find((dir) => existsSync(join(dir, 'caproto', '__init__.py'))) ?? candidates[0]
}

export function commandPython(appDir: string, log: PythonLogSink): PythonRuntime {
  return new PythonRuntime({ log, shimDir: shimDirFor(appDir) })
}

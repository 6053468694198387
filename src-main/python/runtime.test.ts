import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defaultShimDir, PythonRuntime, readShimFiles } from './runtime'

interface LogLine {
  readonly level: string
  readonly source: string
  readonly message: string
}
const logs: LogLine[] = []
let runtime: PythonRuntime

// One interpreter for the file: loading Pyodide takes seconds.
beforeAll(async () => {
  runtime = new PythonRuntime({
    log: (level, source, message) => logs.push({ level, source, message }),
    hookTimeLimitMs: 200,
  })
  await runtime.ready
})

afterAll(() => runtime.dispose())

beforeEach(() => {
  logs.length = 0
})

/** Runs Python under the watchdog, as every call into Python is. */
function python(code: string): unknown {
  return runtime.guarded(() => runtime.interpreter.runPython(code))
}

/** The message of the Python exception `code` raises (its last line). */
function pythonError(code: string): string {
  try {
    python(code)
  } catch (error) {
    return (
      String((error as Error).message)
        .trim()
        .split('\n')
        .at(-1) ?? ''
    )
  }
  throw new Error('expected a Python exception')
}

describe('PythonRuntime', () => {
  it('loads Pyodide offline with the caproto shim on sys.path', () => {
    expect(runtime.loadMs).toBeGreaterThan(0)
    expect(runtime.pyodideVersion).toMatch(/^\d+\./)
    expect(python('import caproto, caproto.server; caproto.__version__')).toBe('1.3.0+iocstudio')
    expect(python('import sys; sys.version_info[0]')).toBe(3)
  })

  it('ships every shim source file', () => {
    const files = [...readShimFiles(defaultShimDir()).keys()]
    expect(files).toEqual(
      expect.arrayContaining([
        'caproto/__init__.py',
        'caproto/_data.py',
        'caproto/server/__init__.py',
        'caproto/server/server.py',
        'caproto/asyncio/server.py',
        'caproto/asyncio/utils.py',
        '_iocstudio/session.py',
      ]),
    )
    expect(python("import os; sorted(os.listdir('/iocstudio/shim/caproto'))")).toBeDefined()
  })

  it('sends print and logging to the log, labelled with the running hook', () => {
    python(`
import logging, sys
from _iocstudio import host
print('top level')
token = host.running_var.set(host.Running(None, 'ioc:temp'))
print('from a hook', end='')
print(' continued')
logging.getLogger('user').warning('careful')
sys.stderr.write('to stderr\\n')
host.running_var.reset(token)
logging.getLogger('user').info('no hook running')
`)
    expect(logs).toEqual([
      { level: 'info', source: 'python', message: 'top level' },
      { level: 'info', source: 'ioc:temp', message: 'from a hook continued' },
      { level: 'warn', source: 'ioc:temp', message: 'careful' },
      { level: 'warn', source: 'ioc:temp', message: 'to stderr' },
      { level: 'info', source: 'user', message: 'no hook running' },
    ])
  })
})

describe('what Pyodide cannot do', () => {
  it('refuses threads, subprocesses and sockets with a message saying what to do instead', () => {
    expect(pythonError('import threading; threading.Thread(target=print).start()')).toMatch(
      /threads are not available in IOC Studio.*startup hook that loops with `await async_lib.sleep/,
    )
    expect(pythonError("import subprocess; subprocess.run(['ls'])")).toMatch(/subprocesses are not available/)
    expect(pythonError('import socket; socket.socket()')).toMatch(/sockets are not available to hooks/)
    expect(
      pythonError('from concurrent.futures import ThreadPoolExecutor; ThreadPoolExecutor().submit(print)'),
    ).toMatch(/threads are not available/)
  })

  it('says that packages like numpy are not bundled', () => {
    const message = pythonError('import numpy as np')
    expect(message).toMatch(
      /No module named 'numpy': IOC Studio's Python .* only the standard library and caproto/,
    )
    expect(message).not.toMatch(/micropip/)
    // Standard-library probes for optional modules still work as usual.
    expect(python('try:\n    import numpy\nexcept ImportError:\n    ok = True\nok')).toBe(true)
  })

  it('warns once per hook that time.sleep blocks the server, and still sleeps', () => {
    const started = Date.now()
    python(`
import time
from _iocstudio import host
token = host.running_var.set(host.Running(None, 'ioc:slow'))
time.sleep(0.05)
time.sleep(0.05)
host.running_var.reset(token)
`)
    expect(Date.now() - started).toBeGreaterThanOrEqual(95)
    expect(
      logs.filter((line) => /time.sleep\(\) in a hook blocks the whole server/.test(line.message)),
    ).toEqual([expect.objectContaining({ level: 'warn', source: 'ioc:slow' })])
  })
})

describe('the watchdog on real Python', () => {
  it('interrupts a runaway loop and leaves the interpreter usable', () => {
    const fired = runtime.watchdog.fireCount
    const started = Date.now()
    expect(pythonError('while True:\n    pass')).toBe('KeyboardInterrupt')
    expect(Date.now() - started).toBeLessThan(2000)
    expect(runtime.watchdog.fireCount).toBe(fired + 1)
    expect(python('1 + 1')).toBe(2)
  })

  it('interrupts time.sleep too (it sleeps in slices)', () => {
    const started = Date.now()
    expect(pythonError('import time\ntime.sleep(5)')).toBe('KeyboardInterrupt')
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

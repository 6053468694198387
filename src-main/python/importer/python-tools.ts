/**
 * Python-side tools that read scripts without running them: the script reader behind import and Python's own
 * syntax check. Both run in the app's Pyodide (CPython's parser, so they agree with what will run), in a
 * namespace of their own, loaded once per runtime and under the watchdog like any other Python call.
 */
import type { PyCallable, PyProxy } from 'pyodide/ffi'
import type { PythonRuntime } from '../runtime'
import checkSyntaxSource from './check_syntax.py?raw'
import readScriptSource from './read_script.py?raw'
import type { ScriptDescription, SyntaxProblem } from './script-description'

/** Results cross as plain JavaScript objects (no PyProxy to destroy). */
const GLUE = `
from js import Object
from pyodide.ffi import to_js

def _plain(value):
    return to_js(value, dict_converter=Object.fromEntries, create_pyproxies=False)

def read_script_js(source, filename):
    return _plain(read_script(source, filename))

def check_syntax_js(source, filename):
    return _plain(check_syntax(source, filename))
`

interface Tools {
  readonly readScript: PyProxy & PyCallable
  readonly checkSyntax: PyProxy & PyCallable
}

const loaded = new WeakMap<PythonRuntime, Tools>()

function toolsOf(runtime: PythonRuntime): Tools {
  const cached = loaded.get(runtime)
  if (cached) return cached
  const py = runtime.interpreter
  const namespace = py.globals.get('dict')() as PyProxy
  try {
    py.runPython(readScriptSource, { globals: namespace, filename: 'read_script.py' })
    py.runPython(checkSyntaxSource, { globals: namespace, filename: 'check_syntax.py' })
    py.runPython(GLUE, { globals: namespace, filename: 'python_tools.py' })
    const tools: Tools = {
      readScript: namespace.get('read_script_js') as PyProxy & PyCallable,
      checkSyntax: namespace.get('check_syntax_js') as PyProxy & PyCallable,
    }
    loaded.set(runtime, tools)
    return tools
  } finally {
    namespace.destroy()
  }
}

/** Describes a caproto script's parts; a SyntaxProblem when it is not valid Python. */
export async function readScript(
  runtime: PythonRuntime,
  source: string,
  filename: string,
): Promise<ScriptDescription | { syntaxError: SyntaxProblem }> {
  await runtime.ready
  const tools = toolsOf(runtime)
  return runtime.guarded(
    () => tools.readScript(source, filename) as ScriptDescription | { syntaxError: SyntaxProblem },
    runtime.scriptTimeLimitMs,
  )
}

/** Python's compile() verdict: [] when the source compiles, else the first error. */
export async function checkSyntax(
  runtime: PythonRuntime,
  source: string,
  filename: string,
): Promise<SyntaxProblem[]> {
  await runtime.ready
  const tools = toolsOf(runtime)
  return runtime.guarded(
    () => tools.checkSyntax(source, filename) as SyntaxProblem[],
    runtime.scriptTimeLimitMs,
  )
}

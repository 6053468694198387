/**
 * Python hooks in caproto's dialect, run by Pyodide. This is the API the backend and the CLI use.
 *
 * PythonRuntime            one interpreter, loaded once in the background (`ready`), offline from the installed
 *                          pyodide package, with the caproto shim (shim/, shipped as files beside the bundle)
 *                          on sys.path; print/logging go to the log sink labelled with the running hook's PV;
 *                          a watchdog worker interrupts Python that runs longer than `hookTimeLimitMs`
 * PythonIoc                runs one caproto script against a PvDatabase: load() defines the script's PVs and
 *                          hooks and starts its startup/scan tasks; load() again is a hot reload (the CA server
 *                          never restarts; unchanged PVs keep their clients); stop() cancels the tasks and runs
 *                          the shutdown hooks. Errors come as ScriptError with the script's own traceback;
 *                          onDidHookError reports each failing hook (pv, hook, message, traceback, line). The
 *                          script's IOC_STUDIO dict is applied as its PVs are defined; each script has its own
 *                          os.environ, and the load report gives its EPICS variables, access rules and autosave
 * specFromCaproto          caproto's pvproperty arguments -> PvSpec (limits enabled when given; the outermost
 *                          value of a limit pair's side means not set)
 */
export { PythonIoc, ScriptError } from './python-ioc'
export type { CaprotoScript, HookFailureReport, LoadReport, PythonIocOptions } from './python-ioc'
export { defaultIndexURL, defaultShimDir, PythonRuntime } from './runtime'
export type { HookKind, PythonLogSink, PythonRuntimeOptions, QueueRecorder } from './runtime'
export {
  CaprotoSpecError,
  caprotoMetadataOf,
  metadataPatchFromCaproto,
  specFromCaproto,
} from './caproto-spec'
export type { CaprotoPvDescription, MappedSpec } from './caproto-spec'
export { HookWatchdog } from './watchdog'
export type { WatchdogOptions } from './watchdog'

/**
 * Hook failures, recognised in the shim's log lines. The shim logs each failure once, at level 'error', with
 * the PV's name as the source (the script's file name for `__ainit__`) and the user's frames of the traceback:
 *
 *   putter of simple:val failed: ValueError: too big\nTraceback …     (putter, getter)
 *   startup failed: ZeroDivisionError: division by zero\nTraceback …   (startup, scan, shutdown, startup hook)
 *   scan ran longer than 2 s and was interrupted by the watchdog\n…
 *   Scan exception\nTraceback …                                         (a scan hook, caproto's own wording)
 */
import type { PythonLine } from './python-output'

export type HookKind = 'putter' | 'getter' | 'startup' | 'scan' | 'shutdown' | '__ainit__'

export interface HookError {
  /** The PV whose hook failed; null for the IOC-level `__ainit__`. */
  readonly pv: string | null
  readonly hook: HookKind
  /** One line: the exception type and message, or why the watchdog stopped it. */
  readonly message: string
  /** The user's frames only ('' when Python gave none). */
  readonly traceback: string
  /** Line in the running script of the innermost user frame, when the traceback names one. */
  readonly line: number | null
}

const CALL_FAILED = /^(putter|getter) of (.+?) failed: (.*)$/
const TASK_FAILED = /^(startup hook|startup|scan|shutdown) failed: (.*)$/
const TASK_TIMED_OUT =
  /^(startup hook|startup|scan|shutdown) (ran longer than .* interrupted by the watchdog)$/
const SCAN_EXCEPTION = 'Scan exception'

/** The hook failure a log line reports, or undefined when it reports something else. */
export function hookErrorOf(line: PythonLine, scriptFilename: string): HookError | undefined {
  if (line.level !== 'error') return undefined
  const newline = line.message.indexOf('\n')
  const head = newline === -1 ? line.message : line.message.slice(0, newline)
  const traceback = newline === -1 ? '' : line.message.slice(newline + 1)
  const scriptLine = lastScriptLine(traceback, scriptFilename)
  const pv = line.source === scriptFilename || line.source === 'python' ? null : line.source

  const call = CALL_FAILED.exec(head)
  if (call) {
    return { pv: call[2], hook: call[1] as HookKind, message: call[3], traceback, line: scriptLine }
  }
  const failed = TASK_FAILED.exec(head)
  const timedOut = failed ? null : TASK_TIMED_OUT.exec(head)
  const task = failed ?? timedOut
  if (task) {
    const hook: HookKind = task[1] === 'startup hook' ? '__ainit__' : (task[1] as HookKind)
    const message = failed ? task[2] : `${task[1]} ${task[2]}`
    return { pv: hook === '__ainit__' ? null : pv, hook, message, traceback, line: scriptLine }
  }
  if (head === SCAN_EXCEPTION && pv !== null) {
    const message = traceback.trimEnd().split('\n').pop() ?? SCAN_EXCEPTION
    return { pv, hook: 'scan', message, traceback, line: scriptLine }
  }
  return undefined
}

/** The line number of the last frame in the script itself (the innermost one the user wrote). */
function lastScriptLine(traceback: string, scriptFilename: string): number | null {
  const frame = `File "${scriptFilename}", line `
  const at = traceback.lastIndexOf(frame)
  if (at === -1) return null
  const line = Number.parseInt(traceback.slice(at + frame.length), 10)
  return Number.isFinite(line) ? line : null
}

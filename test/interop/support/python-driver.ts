/**
 * Runs one of the Python driver scripts in test/interop/py with Debian's python3 (pyepics + libca) against a
 * server on loopback. A driver prints JSON lines: progress events the test can wait for, then one
 * `{"event": "result"}`; the test answers on stdin with one word per line. One process per scenario group:
 * starting libca costs more than many requests.
 */
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { resolve } from 'node:path'
import { loopbackClientEnv } from '../../support/epics-client-env'
import type { LoopbackClient } from '../../support/epics-client-env'
import { SYSTEM_PYTHON } from '../../support/system'

const SCRIPTS = resolve(import.meta.dirname, '../py')

export interface DriverEvent {
  readonly event: string
  readonly [field: string]: unknown
}

export class PythonDriver<Result = Record<string, unknown>> {
  readonly result: Promise<Result & DriverEvent>
  private readonly child: ChildProcessWithoutNullStreams
  private readonly events: DriverEvent[] = []
  private readonly waiters: Array<{ name: string; resolve: (e: DriverEvent) => void }> = []
  private stderr = ''
  private exited = false

  constructor(script: string, args: unknown, client: LoopbackClient, timeoutMs = 60_000) {
    this.child = spawn(SYSTEM_PYTHON, [resolve(SCRIPTS, script), JSON.stringify(args)], {
      env: loopbackClientEnv(client),
      stdio: 'pipe',
    })
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk))
    let pending = ''
    let result: (Result & DriverEvent) | undefined
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk
      let newline: number
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline)
        pending = pending.slice(newline + 1)
        if (!line.startsWith('{')) continue
        const event = JSON.parse(line) as DriverEvent
        if (event.event === 'result') result = event as Result & DriverEvent
        else this.deliver(event)
      }
    })
    // Swallow EPIPE if the script exits while we still write to it; the exit code tells the story.
    this.child.stdin.on('error', () => {})
    this.result = new Promise((resolvePromise, reject) => {
      this.child.on('close', (code, signal) => {
        clearTimeout(timer)
        this.exited = true
        for (const waiter of this.waiters.splice(0)) waiter.resolve({ event: 'exit' })
        if (code === 0 && result) resolvePromise(result)
        else
          reject(
            new Error(
              `${script} ${signal ? `killed by ${signal} (timeout ${timeoutMs} ms?)` : `exited with ${code}`}` +
                `${result ? '' : ' without a result'}\n--- stderr ---\n${this.stderr.slice(-4000)}`,
            ),
          )
      })
    })
    // Callers that only await `next` must not see an unhandled rejection; they get it from `result`.
    this.result.catch(() => {})
  }

  /** Resolves with the next event called `name` (earlier events of that name are consumed in order). */
  next(name: string): Promise<DriverEvent> {
    const index = this.events.findIndex((e) => e.event === name)
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0])
    if (this.exited)
      return this.result.then(() => Promise.reject(new Error(`driver exited before '${name}'`)))
    return new Promise<DriverEvent>((resolveEvent) =>
      this.waiters.push({ name, resolve: resolveEvent }),
    ).then((event) =>
      event.event === 'exit'
        ? this.result.then(() => Promise.reject(new Error(`driver exited before '${name}'`)))
        : event,
    )
  }

  send(word: string): void {
    if (!this.exited) this.child.stdin.write(`${word}\n`)
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL')
  }

  private deliver(event: DriverEvent): void {
    const index = this.waiters.findIndex((w) => w.name === event.event)
    if (index >= 0) this.waiters.splice(index, 1)[0].resolve(event)
    else this.events.push(event)
  }
}

/** Runs a driver that needs no interaction and returns its result. */
export function runDriver<Result = Record<string, unknown>>(
  script: string,
  args: unknown,
  client: LoopbackClient,
  timeoutMs?: number,
): Promise<Result & DriverEvent> {
  return new PythonDriver<Result>(script, args, client, timeoutMs).result
}

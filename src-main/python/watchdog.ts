/**
 * Interrupts Python that runs too long. Python (Pyodide) runs on the server's own thread, so a hook stuck in
 * `while True: pass` would stop every client; a worker thread watches a deadline in shared memory and, when it
 * passes, writes SIGINT into Pyodide's interrupt buffer: the hook gets KeyboardInterrupt and the server goes on.
 *
 * The main thread arms the watchdog when it enters Python and disarms it when Python returns (nested entries
 * count). Arming is two stores into a SharedArrayBuffer, cheap enough for every hook call. The state word holds
 * a generation and a phase, so the worker can only fire the arming it saw, and a disarm that races with a fire
 * waits for it and clears the interrupt: a late SIGINT never lands in the next, innocent, piece of Python.
 */
import { Worker } from 'node:worker_threads'
import type { Disposable } from '@shared/base/event'

const IDLE = 0
const ARMED = 1
const FIRING = 2
const FIRED = 3
const PHASE_MASK = 3
const GENERATION_MASK = 0x1fff_ffff
const SIGINT = 2

/** Int32 slots of the shared state. */
const STATE = 0
const FIRES = 1
const SLEEP = 2
const CONTROL_SLOTS = 4

// The worker: sleeps while idle, sleeps until the deadline while armed, and fires once per arming.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads')
const control = new Int32Array(workerData.control)
const deadline = new Float64Array(workerData.deadline)
const interrupt = new Uint8Array(workerData.interrupt)
const poll = workerData.pollMs
for (;;) {
  const word = Atomics.load(control, ${STATE})
  let wait = poll
  if ((word & ${PHASE_MASK}) === ${ARMED}) {
    const left = deadline[0] - Date.now()
    if (left <= 0) {
      if (Atomics.compareExchange(control, ${STATE}, word, (word & ~${PHASE_MASK}) | ${FIRING}) === word) {
        Atomics.store(interrupt, 0, ${SIGINT})
        Atomics.add(control, ${FIRES}, 1)
        Atomics.store(control, ${STATE}, (word & ~${PHASE_MASK}) | ${FIRED})
      }
    } else wait = Math.min(poll, Math.ceil(left))
  }
  Atomics.wait(control, ${SLEEP}, 0, wait)
}
`

export interface WatchdogOptions {
  /** How long Python may run before it is interrupted. */
  readonly limitMs: number
  /** How often the worker looks at an idle watchdog (default: a quarter of the limit, 5..50 ms). */
  readonly pollMs?: number
}

export class HookWatchdog implements Disposable {
  /** Give this to Pyodide's setInterruptBuffer. */
  readonly interruptBuffer: Uint8Array
  private readonly control: Int32Array
  private readonly deadline: Float64Array
  private readonly worker: Worker
  private depth = 0
  private generation = 0
  private limit: number

  constructor(options: WatchdogOptions) {
    this.limit = checkedLimit(options.limitMs)
    this.control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4))
    this.deadline = new Float64Array(new SharedArrayBuffer(8))
    this.interruptBuffer = new Uint8Array(new SharedArrayBuffer(1))
    const pollMs = options.pollMs ?? Math.min(50, Math.max(5, Math.floor(this.limit / 4)))
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        control: this.control.buffer,
        deadline: this.deadline.buffer,
        interrupt: this.interruptBuffer.buffer,
        pollMs,
      },
    })
    // The watchdog never keeps the process alive on its own.
    this.worker.unref()
  }

  get limitMs(): number {
    return this.limit
  }

  set limitMs(value: number) {
    this.limit = checkedLimit(value)
  }

  /** How many times the watchdog has interrupted Python. */
  get fireCount(): number {
    return Atomics.load(this.control, FIRES)
  }

  /** Python is about to run. `limitMs` overrides the limit for this entry (e.g. a whole script's top level). */
  enter(limitMs?: number): void {
    if (this.depth++ > 0) return
    this.generation = (this.generation + 1) & GENERATION_MASK
    this.deadline[0] = Date.now() + (limitMs ?? this.limit)
    Atomics.store(this.control, STATE, (this.generation << 2) | ARMED)
  }

  /** Python returned. */
  leave(): void {
    if (this.depth === 0) return
    if (--this.depth > 0) return
    const armed = (this.generation << 2) | ARMED
    if (Atomics.compareExchange(this.control, STATE, armed, this.generation << 2) === armed) return
    // The worker fired (or is firing) for this entry: wait for it, then clear an interrupt Python did not take.
    while ((Atomics.load(this.control, STATE) & PHASE_MASK) === FIRING) {
      /* the worker is between two stores */
    }
    Atomics.store(this.interruptBuffer, 0, 0)
    Atomics.store(this.control, STATE, (this.generation << 2) | IDLE)
  }

  dispose(): void {
    void this.worker.terminate()
  }
}

function checkedLimit(limitMs: number): number {
  if (!Number.isFinite(limitMs) || limitMs <= 0) {
    throw new RangeError(`watchdog limit must be a positive number of milliseconds, not ${limitMs}`)
  }
  return limitMs
}

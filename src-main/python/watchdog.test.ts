import { afterEach, describe, expect, it } from 'vitest'
import { HookWatchdog } from './watchdog'

/** Keeps this thread busy, as a runaway hook would. */
function busy(ms: number): void {
  const end = Date.now() + ms
  while (Date.now() < end) {
    /* spin */
  }
}

async function settle(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

describe('HookWatchdog', () => {
  let watchdog: HookWatchdog | undefined
  afterEach(() => watchdog?.dispose())

  it('raises SIGINT in the interrupt buffer when an entry outlives the limit', async () => {
    watchdog = new HookWatchdog({ limitMs: 60, pollMs: 5 })
    await settle(50) // let the worker start
    watchdog.enter()
    busy(250)
    expect(watchdog.interruptBuffer[0]).toBe(2)
    expect(watchdog.fireCount).toBe(1)
    watchdog.leave()
    // A SIGINT nobody consumed is cleared on the way out, so it cannot hit the next Python call.
    expect(watchdog.interruptBuffer[0]).toBe(0)
  })

  it('never fires for entries that return in time, however many', async () => {
    watchdog = new HookWatchdog({ limitMs: 40, pollMs: 5 })
    await settle(50)
    const started = performance.now()
    for (let i = 0; i < 200_000; i++) {
      watchdog.enter()
      watchdog.leave()
    }
    const perPair = ((performance.now() - started) * 1000) / 200_000
    await settle(100)
    expect(watchdog.fireCount).toBe(0)
    expect(watchdog.interruptBuffer[0]).toBe(0)
    expect(perPair).toBeLessThan(5) // microseconds per enter/leave: cheap enough for every hook call
  })

  it('times the outermost entry only and uses a per-entry limit when given', async () => {
    watchdog = new HookWatchdog({ limitMs: 1000, pollMs: 5 })
    await settle(50)
    watchdog.enter(60)
    watchdog.enter()
    watchdog.leave()
    busy(250)
    expect(watchdog.fireCount).toBe(1)
    watchdog.leave()
    watchdog.enter()
    busy(100)
    watchdog.leave()
    expect(watchdog.fireCount).toBe(1)
  })

  it('rejects a limit that is not a positive duration', () => {
    expect(() => new HookWatchdog({ limitMs: 0 })).toThrow(/positive number of milliseconds/)
  })
})

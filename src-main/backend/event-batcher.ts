import type { Disposable } from '@shared/base/event'

/**
 * Collects items and hands them over in one batch per interval, so a burst of events costs the UI one message
 * instead of thousands. Nothing is scheduled while nothing is pending. At most `maxPending` items wait: beyond
 * that the oldest are dropped and counted, so a stalled consumer cannot grow memory without bound.
 */
export class EventBatcher<T> implements Disposable {
  private pending: T[] = []
  private dropped = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly intervalMs: number,
    private readonly maxPending: number,
    private readonly deliver: (batch: T[], dropped: number) => void,
  ) {}

  push(item: T): void {
    if (this.pending.length >= this.maxPending) {
      this.pending.shift()
      this.dropped++
    }
    this.pending.push(item)
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs)
      // A batch waiting to go out must not keep a headless process alive on its own.
      this.timer.unref?.()
    }
  }

  /** Delivers what is pending now (also what the timer does). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.length === 0) return
    const batch = this.pending
    const dropped = this.dropped
    this.pending = []
    this.dropped = 0
    this.deliver(batch, dropped)
  }

  /** Drops what is pending without delivering it. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.pending = []
  }
}

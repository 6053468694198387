import type { LogEntry } from '@shared/api/contract'

/** The backend's log history: the most recent `capacity` entries, older ones overwritten in place. */
export class LogRing {
  private readonly entries: (LogEntry | undefined)[]
  private next = 0
  private count = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
    this.entries = new Array(capacity)
  }

  get size(): number {
    return this.count
  }

  push(entry: LogEntry): void {
    this.entries[this.next] = entry
    this.next = (this.next + 1) % this.capacity
    if (this.count < this.capacity) this.count++
  }

  /** The newest `limit` entries, oldest first. */
  recent(limit: number): LogEntry[] {
    const n = Math.max(0, Math.min(limit, this.count))
    const out = new Array<LogEntry>(n)
    let index = (this.next - n + this.capacity) % this.capacity
    for (let i = 0; i < n; i++) {
      out[i] = this.entries[index] as LogEntry
      index = (index + 1) % this.capacity
    }
    return out
  }
}

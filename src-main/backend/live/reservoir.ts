/**
 * A uniform random sample of at most `capacity` items from a stream of unknown length (Vitter's algorithm R):
 * memory stays fixed however many items are offered, and every offered item is equally likely to be kept.
 * `take(k)` draws a uniform k-subset of what is kept, which is itself a uniform k-subset of everything offered.
 */
export class Reservoir<T> {
  private readonly items: T[] = []
  private offered = 0

  constructor(
    readonly capacity: number,
    /** A number in [0, 1); injectable so tests are deterministic. */
    private readonly random: () => number = Math.random,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`reservoir capacity ${capacity} is not a positive integer`)
  }

  /** Items offered since the last reset. */
  get seen(): number {
    return this.offered
  }

  /** Items kept (at most capacity). */
  get size(): number {
    return this.items.length
  }

  offer(item: T): void {
    const index = this.offered++
    if (index < this.capacity) {
      this.items.push(item)
      return
    }
    const slot = Math.floor(this.random() * (index + 1))
    if (slot < this.capacity) this.items[slot] = item
  }

  /** Appends a uniform random choice of `count` kept items (all of them when count >= size) to `out`. */
  take(count: number, out: T[]): void {
    const items = this.items
    const n = items.length
    if (count >= n) {
      for (let i = 0; i < n; i++) out.push(items[i])
      return
    }
    // Partial Fisher-Yates: the first `count` positions end up a uniform choice; the order inside does not matter.
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.random() * (n - i))
      const picked = items[j]
      items[j] = items[i]
      items[i] = picked
      out.push(picked)
    }
  }

  reset(): void {
    this.items.length = 0
    this.offered = 0
  }
}

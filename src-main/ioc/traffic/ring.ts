/**
 * A fixed-capacity ring: pushing onto a full ring overwrites the oldest item. Each item gets a sequence number
 * (1, 2, 3…) so a reader can ask for what arrived since the last number it saw.
 */
export class Ring<T> {
  private readonly items: (T | undefined)[]
  private next = 0
  private pushed = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ring capacity ${capacity} is not a positive integer`)
    this.items = new Array<T | undefined>(capacity)
  }

  /** Items currently held (at most capacity). */
  get size(): number {
    return Math.min(this.pushed, this.capacity)
  }

  /** Sequence number of the newest item (0 when empty); item n has sequence n. */
  get lastSequence(): number {
    return this.pushed
  }

  push(item: T): number {
    this.items[this.next] = item
    this.next = (this.next + 1) % this.capacity
    return ++this.pushed
  }

  /** Items with a sequence number above `sequence`, oldest first (all held items by default). */
  since(sequence = 0): T[] {
    const held = this.size
    const wanted = Math.max(0, Math.min(held, this.pushed - sequence))
    const out = new Array<T>(wanted)
    let index = (this.next - wanted + this.capacity) % this.capacity
    for (let i = 0; i < wanted; i++) {
      out[i] = this.items[index] as T
      index = (index + 1) % this.capacity
    }
    return out
  }

  clear(): void {
    this.items.fill(undefined)
    this.next = 0
    this.pushed = 0
  }
}

/**
 * A Map that holds at most `capacity` entries and forgets the least recently touched one to make room, so
 * per-PV and per-client statistics stay bounded however many names clients throw at the server.
 */
export class CappedMap<K, V> {
  private readonly map = new Map<K, V>()

  constructor(
    readonly capacity: number,
    /** Whether an entry may be evicted (e.g. not while a client is still connected). */
    private readonly evictable: (value: V) => boolean = () => true,
  ) {}

  get size(): number {
    return this.map.size
  }

  /** The entry for `key`, created with `create` when missing; either way it becomes the most recent. */
  touch(key: K, create: () => V): V {
    let value = this.map.get(key)
    if (value !== undefined) {
      this.map.delete(key)
    } else {
      value = create()
      this.makeRoom()
    }
    this.map.set(key, value)
    return value
  }

  get(key: K): V | undefined {
    return this.map.get(key)
  }

  delete(key: K): boolean {
    return this.map.delete(key)
  }

  values(): IterableIterator<V> {
    return this.map.values()
  }

  clear(): void {
    this.map.clear()
  }

  private makeRoom(): void {
    if (this.map.size < this.capacity) return
    // Map iteration is insertion order, and touch() re-inserts: the first evictable entry is the stalest.
    for (const [key, value] of this.map) {
      if (this.evictable(value)) {
        this.map.delete(key)
        return
      }
    }
  }
}

/**
 * Live state of the Python layer's ThreadsafeQueues (the put/get queues of the caproto pattern): depth, its
 * high-water mark, how many entries went in and out, and the latest entries. Bounded in queues and entries.
 */
import { CappedMap } from './capped-map'
import { Ring } from './ring'

export interface QueueEntry {
  readonly time: number
  readonly op: 'put' | 'get'
  readonly entry: string
}

export interface QueueState {
  readonly name: string
  readonly depth: number
  readonly maxDepth: number
  readonly puts: number
  readonly gets: number
  readonly lastActivity: number
  /** Latest entries, oldest first. */
  readonly recent: readonly QueueEntry[]
}

interface MutableQueue {
  name: string
  depth: number
  maxDepth: number
  puts: number
  gets: number
  lastActivity: number
  recent: Ring<QueueEntry>
}

export class QueueMonitor {
  private readonly queues: CappedMap<string, MutableQueue>

  constructor(
    maxQueues: number,
    private readonly entriesPerQueue: number,
  ) {
    this.queues = new CappedMap(maxQueues)
  }

  record(name: string, op: 'put' | 'get', depth: number, entry: string, time: number): void {
    const queue = this.queues.touch(name, () => ({
      name,
      depth: 0,
      maxDepth: 0,
      puts: 0,
      gets: 0,
      lastActivity: time,
      recent: new Ring<QueueEntry>(this.entriesPerQueue),
    }))
    queue.depth = depth
    if (depth > queue.maxDepth) queue.maxDepth = depth
    if (op === 'put') queue.puts++
    else queue.gets++
    queue.lastActivity = time
    queue.recent.push({ time, op, entry })
  }

  states(): QueueState[] {
    return [...this.queues.values()].map((queue) => ({ ...queue, recent: queue.recent.since() }))
  }

  /** Forgets a queue (the script that owned it was reloaded). */
  delete(name: string): void {
    this.queues.delete(name)
  }

  clear(): void {
    this.queues.clear()
  }
}

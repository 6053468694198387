/**
 * The put log: who wrote what, when, with the old and new value (what caPutLog gives an EPICS IOC). Bounded;
 * the oldest entries go first. Writable as text, one line per put.
 */
import { Ring } from './ring'
import { describeClient } from './traffic-event'
import type { TrafficClient } from './traffic-event'

export interface PutLogEntry {
  /** Milliseconds since the Unix epoch. */
  readonly time: number
  readonly pv: string
  readonly client: TrafficClient | null
  readonly oldValue: string
  readonly newValue: string
}

export class PutLog {
  private readonly ring: Ring<PutLogEntry>

  constructor(capacity: number) {
    this.ring = new Ring(capacity)
  }

  add(entry: PutLogEntry): void {
    this.ring.push(entry)
  }

  entries(): PutLogEntry[] {
    return this.ring.since()
  }

  /** One line per put: `2026-01-02T03:04:05.678Z alice@ws1.lab (10.0.0.5) BL:TEMP 1.5 -> 2`. */
  toText(): string {
    return this.ring
      .since()
      .map((entry) => {
        const who = describeClient(entry.client)
        const address = entry.client ? ` (${entry.client.address})` : ''
        return `${new Date(entry.time).toISOString()} ${who}${address} ${entry.pv} ${entry.oldValue} -> ${entry.newValue}\n`
      })
      .join('')
  }

  clear(): void {
    this.ring.clear()
  }
}

/**
 * The put log as the inspector shows it: loaded from the backend (exact), then extended by the completed
 * client puts that arrive in the traffic (which may be sampled under load: reload for the full log).
 */
import type { LiveClientRef, LivePutLogEntry, LiveTrafficEvent } from '@shared/api/live'
import { Ring } from '../ring'

export const PUT_LOG_ROWS = 10_000

export class PutLogModel {
  readonly entries = new Ring<LivePutLogEntry>(PUT_LOG_ROWS)
  /** True once loaded from the backend in this session. */
  loaded = false
  /** Traffic up to this sequence number is in the loaded log already. */
  private loadedThrough = 0

  /**
   * The backend's log; `throughSeq` is the newest traffic event applied when it arrived (the backend sends what
   * it collected before answering, so later events are later puts).
   */
  load(entries: readonly LivePutLogEntry[], throughSeq: number): void {
    this.entries.clear()
    for (const entry of entries) this.entries.push(entry)
    this.loadedThrough = throughSeq
    this.loaded = true
  }

  /** Adds the completed client puts among new traffic; returns true when it added any. */
  appendFrom(
    events: readonly LiveTrafficEvent[],
    client: (key: string) => LiveClientRef | undefined,
  ): boolean {
    if (!this.loaded) return false
    let added = false
    for (const event of events) {
      if (event.op !== 'put-done' || !event.ok || event.client === null || event.newValue === undefined)
        continue
      if (event.seq <= this.loadedThrough) continue
      this.entries.push({
        time: event.time,
        pv: event.pv,
        client: client(event.client) ?? null,
        oldValue: event.oldValue ?? '',
        newValue: event.newValue,
      })
      added = true
    }
    return added
  }

  reset(): void {
    this.entries.clear()
    this.loaded = false
    this.loadedThrough = 0
  }
}

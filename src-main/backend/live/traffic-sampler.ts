/**
 * One batch interval of traffic: every event is counted exactly (in total, per operation, failures), and at
 * most `maxEvents` of them are carried to the UI. Under that limit every event goes; above it the batch carries
 * a uniform sample, favouring the rare, telling operations (puts, errors, connects…) over the high-volume ones
 * (gets, monitor updates, searches), and says how many it dropped.
 */
import type { LiveClientRef, LiveOp, LiveTrafficBatch, LiveTrafficEvent } from '@shared/api/live'
import type { TrafficEvent } from '../../ioc'
import { Reservoir } from './reservoir'
import { toLiveEvent } from './traffic-json'

/** Events one batch carries at most: about 20,000 a second at one batch per 50 ms. */
export const MAX_EVENTS_PER_BATCH = 1000

const HIGH_VOLUME: ReadonlySet<LiveOp> = new Set<LiveOp>(['get', 'update', 'search'])

export class TrafficSampler {
  private readonly telling: Reservoir<TrafficEvent>
  private readonly highVolume: Reservoir<TrafficEvent>
  private byOp: Partial<Record<LiveOp, number>> = {}
  private recorded = 0
  private failures = 0

  constructor(
    private readonly maxEvents = MAX_EVENTS_PER_BATCH,
    random: () => number = Math.random,
  ) {
    this.telling = new Reservoir(maxEvents, random)
    this.highVolume = new Reservoir(maxEvents, random)
  }

  /** Events recorded since the last drain. */
  get pending(): number {
    return this.recorded
  }

  record(event: TrafficEvent): void {
    this.recorded++
    this.byOp[event.op] = (this.byOp[event.op] ?? 0) + 1
    if (!event.ok) this.failures++
    if (event.ok && HIGH_VOLUME.has(event.op)) this.highVolume.offer(event)
    else this.telling.offer(event)
  }

  /** The batch for the interval that ends now (`lastSeq`: the recorder's newest event); starts the next one. */
  drain(lastSeq: number): LiveTrafficBatch {
    const chosen: TrafficEvent[] = []
    this.telling.take(this.maxEvents, chosen)
    this.highVolume.take(this.maxEvents - chosen.length, chosen)
    chosen.sort((a, b) => a.seq - b.seq)
    const clients: Record<string, LiveClientRef> = {}
    const events = new Array<LiveTrafficEvent>(chosen.length)
    for (let i = 0; i < chosen.length; i++) events[i] = toLiveEvent(chosen[i], clients)
    const batch: LiveTrafficBatch = {
      events,
      clients,
      recorded: this.recorded,
      dropped: this.recorded - events.length,
      byOp: this.byOp,
      failures: this.failures,
      lastSeq,
    }
    this.reset()
    return batch
  }

  /** Forgets the interval. */
  reset(): void {
    this.telling.reset()
    this.highVolume.reset()
    this.byOp = {}
    this.recorded = 0
    this.failures = 0
  }
}

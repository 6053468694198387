/**
 * The traffic the renderer holds: the newest events in a ring (outside React state), the clients they name,
 * exact totals (recorded, carried, dropped by the backend under load), and per-second rates for the chart.
 * A `TrafficView` is the filtered, pausable list the inspector shows, kept incrementally.
 */
import type {
  LiveClientRef,
  LiveOp,
  LiveSnapshot,
  LiveTrafficBatch,
  LiveTrafficEvent,
} from '@shared/api/live'
import { Ring } from '../ring'
import { RateHistory } from './rate-history'

/** Rows kept for the inspector (the backend's recorder keeps its own history). */
export const TRAFFIC_ROWS = 50_000

export type RateSeries = 'all' | 'puts' | 'gets' | 'errors'

export class TrafficLog {
  readonly rows: Ring<LiveTrafficEvent>
  readonly clients = new Map<string, LiveClientRef>()
  readonly rates: Record<RateSeries, RateHistory> = {
    all: new RateHistory(),
    puts: new RateHistory(),
    gets: new RateHistory(),
    errors: new RateHistory(),
  }
  /** Sequence number of the newest event held (events at or below it are not added twice). */
  lastSeq = 0
  /** Events the IOC recorded in this session. */
  recorded = 0
  /** Events the backend did not send because there were too many to show (counts stay exact). */
  dropped = 0

  constructor(capacity = TRAFFIC_ROWS) {
    this.rows = new Ring(capacity)
  }

  /** Starts over from a snapshot: its recent events, their clients and the session's total. */
  reset(snapshot: Pick<LiveSnapshot, 'traffic' | 'trafficClients' | 'trafficTotal'>): void {
    this.rows.clear()
    this.clients.clear()
    for (const rates of Object.values(this.rates)) rates.clear()
    this.lastSeq = 0
    this.dropped = 0
    this.recorded = snapshot.trafficTotal
    this.addClients(snapshot.trafficClients)
    this.push(snapshot.traffic)
  }

  /** Adds a batch; returns the events that are new. */
  add(batch: LiveTrafficBatch, time: number): readonly LiveTrafficEvent[] {
    this.addClients(batch.clients)
    this.recorded = Math.max(this.recorded, batch.lastSeq)
    this.dropped += batch.dropped
    const byOp = batch.byOp
    this.rates.all.add(time, batch.recorded)
    // A put shows as 'put' on arrival and 'put-done' on completion; internal writes only complete.
    this.rates.puts.add(time, byOp['put-done'] ?? 0)
    this.rates.gets.add(time, byOp.get ?? 0)
    this.rates.errors.add(time, batch.failures)
    return this.push(batch.events)
  }

  client(key: string | null): LiveClientRef | undefined {
    return key === null ? undefined : this.clients.get(key)
  }

  private addClients(clients: Readonly<Record<string, LiveClientRef>>): void {
    for (const key in clients) this.clients.set(key, clients[key])
  }

  private push(events: readonly LiveTrafficEvent[]): readonly LiveTrafficEvent[] {
    let first = 0
    while (first < events.length && events[first].seq <= this.lastSeq) first++
    for (let i = first; i < events.length; i++) this.rows.push(events[i])
    if (events.length > first) this.lastSeq = events[events.length - 1].seq
    return first === 0 ? events : events.slice(first)
  }
}

export interface TrafficFilter {
  /** A PV name pattern: `*` and `?` wildcards, otherwise a case-insensitive substring. */
  readonly pv: string
  /** A client key, or '' for all. */
  readonly client: string
  /** An operation, or '' for all ('put' also matches 'put-done'). */
  readonly op: LiveOp | ''
  readonly errorsOnly: boolean
}

export const NO_FILTER: TrafficFilter = Object.freeze({ pv: '', client: '', op: '', errorsOnly: false })

export function isFiltering(filter: TrafficFilter): boolean {
  return filter.pv !== '' || filter.client !== '' || filter.op !== '' || filter.errorsOnly
}

export function pvMatcher(pattern: string): (name: string) => boolean {
  const trimmed = pattern.trim()
  if (trimmed === '') return () => true
  if (!/[*?]/.test(trimmed)) {
    const needle = trimmed.toLowerCase()
    return (name) => name.toLowerCase().includes(needle)
  }
  const source = trimmed
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  const regex = new RegExp(`^${source}$`, 'i')
  return (name) => regex.test(name)
}

export function compileFilter(filter: TrafficFilter): (event: LiveTrafficEvent) => boolean {
  const pv = pvMatcher(filter.pv)
  const { client, op, errorsOnly } = filter
  return (event) =>
    (!errorsOnly || !event.ok) &&
    (client === '' || event.client === client) &&
    (op === '' || event.op === op || (op === 'put' && event.op === 'put-done')) &&
    pv(event.pv)
}

/**
 * The rows the inspector shows: the log's events that pass the filter, in their own ring so filtering a
 * fast stream costs one test per new event. Paused, it stops taking new rows (and counts them) until resumed.
 */
export class TrafficView {
  readonly rows: Ring<LiveTrafficEvent>
  private matches: (event: LiveTrafficEvent) => boolean = () => true
  private filterValue: TrafficFilter = NO_FILTER
  private pausedAt: number | null = null
  /** Events at or below this sequence number were cleared away by the user. */
  private clearedAt = 0
  /** Matching events that arrived while paused. */
  missed = 0

  constructor(
    private readonly log: TrafficLog,
    capacity = TRAFFIC_ROWS,
  ) {
    this.rows = new Ring(capacity)
  }

  get filter(): TrafficFilter {
    return this.filterValue
  }

  get paused(): boolean {
    return this.pausedAt !== null
  }

  setFilter(filter: TrafficFilter): void {
    this.filterValue = filter
    this.matches = compileFilter(filter)
    if (!this.paused) this.rebuild()
  }

  append(events: readonly LiveTrafficEvent[]): void {
    const matches = this.matches
    for (let i = 0; i < events.length; i++) {
      if (!matches(events[i])) continue
      if (this.pausedAt !== null) this.missed++
      else this.rows.push(events[i])
    }
  }

  pause(): void {
    if (this.pausedAt === null) this.pausedAt = this.log.lastSeq
  }

  resume(): void {
    if (this.pausedAt === null) return
    this.pausedAt = null
    this.missed = 0
    this.rebuild()
  }

  /** Refills from the log (after a filter change, a resume, a reset). */
  rebuild(): void {
    this.rows.clear()
    const source = this.log.rows
    const matches = this.matches
    for (let i = 0; i < source.size; i++) {
      const event = source.at(i)!
      if (event.seq > this.clearedAt && matches(event)) this.rows.push(event)
    }
  }

  /** Empties the view; only events that arrive later show. */
  clear(): void {
    this.rows.clear()
    this.missed = 0
    this.clearedAt = this.log.lastSeq
  }

  /** Another session began: nothing is cleared any more. */
  reset(): void {
    this.clearedAt = 0
    this.missed = 0
    if (this.pausedAt !== null) this.pausedAt = 0
    this.rebuild()
  }
}

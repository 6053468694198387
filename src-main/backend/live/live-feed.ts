/**
 * The live feed: watches the attached IOC (database, traffic recorder, CA clients) and hands the UI one batch
 * of changes about every 50 ms: the latest value of each PV that changed, the traffic (every event, or a
 * uniform sample with exact counts when there are too many to show), per-PV put/get counters and queues, the
 * ThreadsafeQueues, and the clients. Nothing is collected while nobody listens; a view that connects loads
 * `getLiveSnapshot()` and applies the batches that follow it.
 */
import type {
  LiveBatch,
  LiveClient,
  LiveClientRef,
  LivePutLogEntry,
  LivePvActivity,
  LivePvInfo,
  LiveQueue,
  LiveSnapshot,
  LiveTrafficEvent,
  LiveValue,
  LiveWriteResult,
  LiveWriteValue,
} from '@shared/api/live'
import { LIVE_SNAPSHOT_EVENTS } from '@shared/api/live'
import { DisposableStore, Emitter, NONE, toDisposable } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'
import { Eca, ecaName } from '../../ca'
import type { ClientIdentity } from '../../ca'
import type { IocPv, PvActivity, PvsChange, QueueState, TrafficEvent } from '../../ioc'
import { ClientChannels } from './client-channels'
import { PendingOperations } from './pending-operations'
import type { LiveSource } from './live-source'
import { studioIdentity, writeFromStudio } from './studio-writes'
import { clientRef, toLiveEvent } from './traffic-json'
import { MAX_EVENTS_PER_BATCH, TrafficSampler } from './traffic-sampler'
import { livePvInfoOf, liveValueOf } from './value-json'

export interface LiveFeedOptions {
  /** How often a batch goes out while something changes (default 50 ms). */
  readonly intervalMs?: number
  /** Most traffic events one batch carries (default 1000). */
  readonly maxEventsPerBatch?: number
  /** Most PV values one batch carries; the rest follow in the next (default 5000). */
  readonly maxValuesPerBatch?: number
  /** How often client byte counters are refreshed while there is traffic (default 1000 ms). */
  readonly clientsIntervalMs?: number
  /** How often per-PV counters go out for PVs that are merely busy (default 500 ms; waiting PVs go at once). */
  readonly activityIntervalMs?: number
  /** The identity of writes from the studio (default: this machine and user). */
  readonly studio?: ClientIdentity
}

interface WatchedPv {
  readonly pv: IocPv
  /** Value changes since the last batch. */
  changes: number
  subscription: Disposable
}

/** Depth samples kept per queue and batch: the newest. */
const QUEUE_SAMPLES = 256

export class LiveFeed implements Disposable {
  private readonly intervalMs: number
  private readonly maxValues: number
  private readonly clientsIntervalMs: number
  private readonly activityIntervalMs: number
  private readonly studio: ClientIdentity
  private readonly batches = new Emitter<LiveBatch>()
  private listeners = 0
  private source: LiveSource | undefined
  private attachment = new DisposableStore()
  private session = 0
  private batchSeq = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  // Per-source state, whether or not anyone listens.
  private readonly watched = new Map<string, WatchedPv>()
  private readonly channels = new ClientChannels()
  private readonly pending = new PendingOperations()

  // What changed since the last batch (collected only while someone listens).
  private readonly sampler: TrafficSampler
  /** PVs whose value changed since the last batch (each once; its `changes` counts how often). */
  private changedValues: WatchedPv[] = []
  private readonly changedActivity = new Set<string>()
  private readonly upserted = new Set<string>()
  private readonly removed = new Set<string>()
  private readonly queueSamples = new Map<string, [number, number][]>()
  private sessionChanged = false
  private clientsChanged = false
  private clientsSentAt = 0
  private activitySentAt = 0

  /** Batches of changes, while anyone listens; the first listener starts the collection. */
  readonly onDidReceiveLiveBatch: Event<LiveBatch> = (listener) => {
    const subscription = this.batches.event(listener)
    if (this.listeners++ === 0) this.startCollecting()
    return toDisposable(() => {
      subscription.dispose()
      if (--this.listeners === 0) this.stopCollecting()
    })
  }

  constructor(options: LiveFeedOptions = {}) {
    this.intervalMs = options.intervalMs ?? 50
    this.maxValues = options.maxValuesPerBatch ?? 5000
    this.clientsIntervalMs = options.clientsIntervalMs ?? 1000
    this.activityIntervalMs = options.activityIntervalMs ?? 500
    this.studio = options.studio ?? studioIdentity()
    this.sampler = new TrafficSampler(options.maxEventsPerBatch ?? MAX_EVENTS_PER_BATCH)
  }

  /**
   * Watches another IOC (or none). Views are told with a batch under a new session number and reload the
   * snapshot.
   */
  attach(source: LiveSource | undefined): void {
    if (source === this.source) return
    this.attachment.dispose()
    this.attachment = new DisposableStore()
    this.clearSourceState()
    this.source = source
    this.session++
    if (source) {
      const { database, recorder } = source
      this.attachment.add(recorder.onDidRecord((event) => this.onTraffic(event)))
      this.attachment.add(database.onDidChangePvs((change) => this.onPvsChanged(change)))
      this.attachment.add(database.onDidActivity((activity) => this.onActivity(activity)))
      for (const pv of database.list()) this.watchValue(pv)
      this.attachment.add(toDisposable(() => this.unwatchValues()))
    }
    this.sessionChanged = true
    this.schedule()
  }

  // ---- requests ----

  /** Everything a view shows, now; batches with a higher `seq` than `batchSeq` apply on top. */
  getLiveSnapshot(): LiveSnapshot {
    // Whatever is collected goes out first, so the snapshot and the batches after it do not overlap.
    this.flush()
    const source = this.source
    if (!source) {
      return {
        session: this.session,
        batchSeq: this.batchSeq,
        attached: false,
        pvs: [],
        values: [],
        activity: [],
        queues: [],
        clients: [],
        traffic: [],
        trafficClients: {},
        trafficTotal: 0,
      }
    }
    const { database, recorder } = source
    const pvs = database.list()
    const trafficClients: Record<string, LiveClientRef> = {}
    const since = Math.max(0, recorder.lastSequence - LIVE_SNAPSHOT_EVENTS)
    const traffic: LiveTrafficEvent[] = recorder.events(since).map((e) => toLiveEvent(e, trafficClients))
    const activity: LivePvActivity[] = []
    for (const pv of pvs) {
      const counters = this.activityOf(pv.name)
      if (counters) activity.push(counters)
    }
    return {
      session: this.session,
      batchSeq: this.batchSeq,
      attached: true,
      pvs: pvs.map(livePvInfoOf),
      values: pvs.map((pv) => liveValueOf(pv, pv.snapshot, 0)),
      activity,
      queues: recorder.queueStates().map((q) => liveQueue(q, [])),
      clients: this.clientList(source),
      traffic,
      trafficClients,
      trafficTotal: recorder.lastSequence,
    }
  }

  writePv(name: string, value: LiveWriteValue): Promise<LiveWriteResult> {
    const source = this.source
    if (!source)
      return Promise.resolve({ ok: false, status: ecaName(Eca.DISCONN), message: 'No IOC is running' })
    return writeFromStudio(source.database, this.studio, name, value)
  }

  /** The put log; what was collected goes out first, so later batches carry only later puts. */
  getPutLog(): LivePutLogEntry[] {
    this.flush()
    const entries = this.source?.recorder.putLog() ?? []
    return entries.map((entry) => ({
      time: entry.time,
      pv: entry.pv,
      client: entry.client && clientRef(entry.client),
      oldValue: entry.oldValue,
      newValue: entry.newValue,
    }))
  }

  disconnectClient(circuitId: number): boolean {
    return this.source?.disconnectClient(circuitId) ?? false
  }

  dispose(): void {
    this.attachment.dispose()
    this.clearSourceState()
    this.source = undefined
    this.cancelTimer()
    this.batches.dispose()
  }

  // ---- collection ----

  private get collecting(): boolean {
    return this.listeners > 0
  }

  private startCollecting(): void {
    this.resetChanges()
  }

  private stopCollecting(): void {
    this.cancelTimer()
    this.resetChanges()
  }

  private onTraffic(event: TrafficEvent): void {
    if (this.channels.record(event)) this.clientsChanged = true
    else if (event.op === 'client-connect' || event.op === 'client-disconnect') this.clientsChanged = true
    if (!this.collecting) return
    this.sampler.record(event)
    if (event.op === 'queue-put' || event.op === 'queue-get') this.sampleQueue(event)
    else if (event.pv !== '' && event.op !== 'search') this.changedActivity.add(event.pv)
    this.schedule()
  }

  private onActivity(activity: PvActivity): void {
    const name = activity.pv.name
    if (activity.phase === 'start') this.pending.start(name, activity.op)
    // A hook that took a millisecond or more (it awaited, typically) kept the operation waiting.
    else this.pending.end(name, activity.op, (activity.hookMs ?? 0) >= 1)
    // Counters change with the traffic event that follows; a wait is reported through `pending.urgent()`.
    if (this.collecting) this.schedule()
  }

  private onPvsChanged(change: PvsChange): void {
    const database = this.source?.database
    if (!database) return
    for (const name of change.removed) {
      this.unwatchValue(name)
      this.pending.forget(name)
      if (this.collecting) {
        this.upserted.delete(name)
        this.removed.add(name)
      }
    }
    for (const name of [...change.added, ...change.changed]) {
      const pv = database.get(name)
      if (!pv) continue
      this.watchValue(pv)
      if (this.collecting) {
        this.removed.delete(name)
        this.upserted.add(name)
        this.valueChanged(this.watched.get(name)!)
      }
    }
    if (this.collecting) this.schedule()
  }

  private watchValue(pv: IocPv): void {
    const current = this.watched.get(pv.name)
    if (current?.pv === pv) return
    if (current) this.unwatchValue(pv.name)
    const watch: WatchedPv = { pv, changes: 0, subscription: NONE }
    // The hot path of a fast IOC: one counter and, once per batch interval, one push.
    watch.subscription = pv.onDidChangeValue(() => {
      if (this.collecting) this.valueChanged(watch)
    })
    this.watched.set(pv.name, watch)
  }

  private valueChanged(watch: WatchedPv): void {
    if (watch.changes++ === 0) {
      this.changedValues.push(watch)
      this.schedule()
    }
  }

  private unwatchValue(name: string): void {
    const watch = this.watched.get(name)
    if (!watch) return
    watch.subscription.dispose()
    this.watched.delete(name)
    if (watch.changes > 0) this.changedValues = this.changedValues.filter((w) => w !== watch)
    watch.changes = 0
  }

  private unwatchValues(): void {
    for (const watch of this.watched.values()) watch.subscription.dispose()
    this.watched.clear()
    this.forgetValueChanges()
  }

  private forgetValueChanges(): void {
    for (const watch of this.changedValues) watch.changes = 0
    this.changedValues = []
  }

  private sampleQueue(event: TrafficEvent): void {
    let samples = this.queueSamples.get(event.pv)
    if (!samples) {
      samples = []
      this.queueSamples.set(event.pv, samples)
    }
    // Beyond the limit the oldest sample of the batch goes: the depth chart wants the latest state.
    if (samples.length >= QUEUE_SAMPLES) samples.shift()
    samples.push([event.time, event.count])
  }

  // ---- batches ----

  private schedule(): void {
    if (this.timer !== undefined || !this.collecting) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.flush()
    }, this.intervalMs)
    // A batch waiting to go out must not keep a headless process alive on its own.
    this.timer.unref?.()
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Sends what changed since the last batch (nothing when nothing did, or nobody listens). */
  private flush(): void {
    this.cancelTimer()
    if (!this.collecting) return
    const source = this.source
    const now = Date.now()
    const activityDue = now - this.activitySentAt >= this.activityIntervalMs
    const urgent = this.pending.urgent()
    const somethingChanged =
      this.sessionChanged ||
      this.sampler.pending > 0 ||
      this.changedValues.length > 0 ||
      urgent.size > 0 ||
      (activityDue && this.changedActivity.size > 0) ||
      this.upserted.size > 0 ||
      this.removed.size > 0 ||
      this.queueSamples.size > 0 ||
      this.clientsChanged
    if (!somethingChanged) {
      // Counters of merely busy PVs wait for their turn.
      if (this.changedActivity.size > 0) this.schedule()
      return
    }
    const batch: { -readonly [K in keyof LiveBatch]: LiveBatch[K] } = {
      seq: ++this.batchSeq,
      session: this.session,
      time: now,
      values: this.drainValues(),
      traffic: this.sampler.drain(source?.recorder.lastSequence ?? 0),
      activity: this.drainActivity(activityDue, urgent, now),
      queues: this.drainQueues(),
    }
    if (this.upserted.size > 0 || this.removed.size > 0) batch.pvs = this.drainPvs()
    if (
      source &&
      (this.clientsChanged || this.sessionChanged || now - this.clientsSentAt >= this.clientsIntervalMs)
    ) {
      batch.clients = this.clientList(source)
      this.clientsSentAt = now
      this.clientsChanged = false
    }
    this.sessionChanged = false
    this.batches.fire(batch)
    // PV values beyond one batch's share, and throttled counters, are still waiting.
    if (this.changedValues.length > 0 || this.changedActivity.size > 0) this.schedule()
  }

  private drainValues(): LiveValue[] {
    const taken = this.changedValues.splice(0, this.maxValues)
    const values = new Array<LiveValue>(taken.length)
    for (let i = 0; i < taken.length; i++) {
      const watch = taken[i]
      values[i] = liveValueOf(watch.pv, watch.pv.snapshot, watch.changes)
      watch.changes = 0
    }
    return values
  }

  /**
   * Counters of PVs with puts or gets waiting (or lately waiting) go in every batch; those of PVs that are just
   * busy (every write changes a count) at most every `activityIntervalMs`.
   */
  private drainActivity(due: boolean, urgent: ReadonlySet<string>, now: number): LivePvActivity[] {
    const activity: LivePvActivity[] = []
    const add = (name: string) => {
      const counters = this.activityOf(name)
      if (counters) activity.push(counters)
    }
    for (const name of urgent) add(name)
    if (due) {
      for (const name of this.changedActivity) if (!urgent.has(name)) add(name)
      this.changedActivity.clear()
      this.activitySentAt = now
    } else {
      for (const name of urgent) this.changedActivity.delete(name)
    }
    this.pending.endInterval()
    return activity
  }

  private activityOf(name: string): LivePvActivity | undefined {
    const counters = this.source?.recorder.pvTrafficFor(name)
    if (!counters) return undefined
    const peaks = this.pending.peaks(name)
    return {
      pv: name,
      gets: counters.gets,
      puts: counters.puts,
      putFailures: counters.putFailures,
      updates: counters.updates,
      channels: counters.channels,
      monitors: counters.monitors,
      pendingPuts: counters.pendingPuts,
      pendingGets: counters.pendingGets,
      peakPendingPuts: Math.max(counters.pendingPuts, peaks.puts),
      peakPendingGets: Math.max(counters.pendingGets, peaks.gets),
      maxPendingPuts: counters.maxPendingPuts,
      maxPendingGets: counters.maxPendingGets,
      lastHookMs: counters.lastHookMs,
    }
  }

  private drainQueues(): LiveQueue[] {
    if (this.queueSamples.size === 0 || !this.source) {
      this.queueSamples.clear()
      return []
    }
    const queues: LiveQueue[] = []
    for (const state of this.source.recorder.queueStates()) {
      const samples = this.queueSamples.get(state.name)
      if (samples) queues.push(liveQueue(state, samples))
    }
    this.queueSamples.clear()
    return queues
  }

  private drainPvs(): { upsert: LivePvInfo[]; removed: string[] } {
    const upsert: LivePvInfo[] = []
    for (const name of this.upserted) {
      const pv = this.source?.database.get(name)
      if (pv) upsert.push(livePvInfoOf(pv))
    }
    const removed = [...this.removed]
    this.upserted.clear()
    this.removed.clear()
    return { upsert, removed }
  }

  private clientList(source: LiveSource): LiveClient[] {
    const infos = source.clients()
    const counters = new Map(source.recorder.clientTraffic().map((c) => [c.circuitId, c]))
    this.channels.retain(new Set(infos.map((info) => info.circuitId)))
    return infos.map((info) => {
      const traffic = counters.get(info.circuitId)
      return {
        key: `c${info.circuitId}`,
        circuitId: info.circuitId,
        address: info.address,
        port: info.port,
        host: info.hostName,
        user: info.userName,
        minorVersion: info.minorVersion,
        priority: info.priority,
        channelCount: info.channelCount,
        subscriptionCount: info.subscriptionCount,
        pendingOperations: info.pendingOperations,
        bytesIn: info.bytesIn,
        bytesOut: info.bytesOut,
        connectedSince: info.connectedSince,
        eventsEnabled: info.eventsEnabled,
        gets: traffic?.gets ?? 0,
        puts: traffic?.puts ?? 0,
        putFailures: traffic?.putFailures ?? 0,
        updates: traffic?.updates ?? 0,
        errors: traffic?.errors ?? 0,
        channels: this.channels.of(info.circuitId),
      }
    })
  }

  private resetChanges(): void {
    this.sampler.reset()
    this.forgetValueChanges()
    this.changedActivity.clear()
    this.upserted.clear()
    this.removed.clear()
    this.queueSamples.clear()
    this.sessionChanged = false
    this.clientsChanged = false
  }

  private clearSourceState(): void {
    this.unwatchValues()
    this.channels.clear()
    this.pending.clear()
    this.resetChanges()
  }
}

function liveQueue(state: QueueState, samples: readonly (readonly [number, number])[]): LiveQueue {
  return {
    name: state.name,
    depth: state.depth,
    maxDepth: state.maxDepth,
    puts: state.puts,
    gets: state.gets,
    lastActivity: state.lastActivity,
    recent: state.recent,
    samples,
  }
}

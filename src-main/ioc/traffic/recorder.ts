/**
 * The traffic recorder: turns the CA server's observations and the PV database's activity into a bounded ring
 * of TrafficEvents, live counters per PV and per client, pending puts and gets per PV (the put/get queues: a
 * put is pending from its arrival until its putter finished), the Python layer's queue states, and a put log.
 *
 * A CA put shows up twice on the way in (the server decodes it, then the database runs it), so the recorder
 * pairs them: the database's result (old -> new value, hook time) waits for the server's completion (latency,
 * DBR type) on the same circuit and PV, and one 'put-done' event carries both. Without a server attached the
 * database's activity alone produces the events.
 */
import { DisposableStore, Emitter, toDisposable } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'
import type { CaObservation } from '../../ca/server/observations'
import { dbrTypeName } from '../../ca/wire/dbr-types'
import { Eca, ecaName } from '../../ca/wire/protocol'
import type { PvDatabase } from '../database'
import type { IocPv, PvActivity } from '../pv'
import { describeValue, latin1Text } from '../values'
import type { PvSnapshot } from '../../ca/wire/snapshot'
import { CappedMap } from './capped-map'
import { PutLog } from './put-log'
import type { PutLogEntry } from './put-log'
import { QueueMonitor } from './queue-monitor'
import type { QueueState } from './queue-monitor'
import { Ring } from './ring'
import { summarizeNative, trafficClient } from './traffic-event'
import type { TrafficClient, TrafficEvent, TrafficOp } from './traffic-event'

export interface TrafficRecorderOptions {
  /** Events kept in the ring (default 10,000). */
  readonly capacity?: number
  /** Puts kept in the put log (default 10,000). */
  readonly putLogCapacity?: number
  /** PVs with counters (default 20,000; the least recently active are forgotten first). */
  readonly maxPvs?: number
  /** Disconnected clients remembered (connected ones always are; default 1,000). */
  readonly maxClients?: number
  readonly maxQueues?: number
  /** Latest entries kept per queue (default 16). */
  readonly queueEntries?: number
  /** Which searches become events: found names only (default), all, or none. */
  readonly searches?: 'found' | 'all' | 'none'
  /** Record each monitor update as an event (default false: updates are only counted). */
  readonly updates?: boolean
}

/** Something with the CA server's observation stream (CaServer). */
export interface ObservableServer {
  readonly onDidObserve: Event<CaObservation>
}

export interface PvTraffic {
  readonly pv: string
  readonly gets: number
  readonly puts: number
  readonly putFailures: number
  readonly updates: number
  readonly searches: number
  /** Open CA channels and active subscriptions. */
  readonly channels: number
  readonly monitors: number
  /** Puts and gets (running a getter) not yet finished, and the highest these have been. */
  readonly pendingPuts: number
  readonly pendingGets: number
  readonly maxPendingPuts: number
  readonly maxPendingGets: number
  readonly lastHookMs: number | null
  readonly lastActivity: number
}

export interface ClientTraffic extends TrafficClient {
  readonly connected: boolean
  readonly connectedAt: number
  readonly disconnectedAt: number | null
  readonly gets: number
  readonly puts: number
  readonly putFailures: number
  readonly updates: number
  readonly errors: number
  readonly channels: number
  readonly monitors: number
  readonly lastActivity: number
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

interface PutResult {
  readonly oldValue: string
  readonly newValue: string | undefined
  readonly hookMs: number | undefined
  readonly message: string | undefined
}

/** Per circuit and PV: channels and monitors open, CA puts awaiting completion, database results awaiting them. */
interface ChannelUse {
  channels: number
  monitors: number
  caPutsInFlight: number
  puts: PutResult[]
  getHookMs: number[]
}

const MAX_STASHED = 64
/** Characters of a long string decoded for a summary (the summary itself is shorter). */
const SUMMARY_CHARACTERS = 64

export class TrafficRecorder implements Disposable {
  private readonly ring: Ring<TrafficEvent>
  private readonly pvs: CappedMap<string, Mutable<PvTraffic>>
  private readonly clients: CappedMap<number, Mutable<ClientTraffic>>
  private readonly uses = new Map<number, Map<string, ChannelUse>>()
  private readonly log: PutLog
  private readonly queues: QueueMonitor
  private readonly recorded = new Emitter<TrafficEvent>()
  private readonly store = new DisposableStore()
  private database: PvDatabase | undefined
  private servers = 0
  private readonly searches: 'found' | 'all' | 'none'
  private readonly recordUpdates: boolean

  /** Every recorded event, as it is recorded (the backend batches them for the UI). */
  readonly onDidRecord: Event<TrafficEvent> = this.recorded.event

  constructor(options: TrafficRecorderOptions = {}) {
    this.ring = new Ring(options.capacity ?? 10_000)
    this.pvs = new CappedMap(options.maxPvs ?? 20_000)
    this.clients = new CappedMap(options.maxClients ?? 1_000, (client) => !client.connected)
    this.log = new PutLog(options.putLogCapacity ?? 10_000)
    this.queues = new QueueMonitor(options.maxQueues ?? 256, options.queueEntries ?? 16)
    this.searches = options.searches ?? 'found'
    this.recordUpdates = options.updates ?? false
  }

  attachDatabase(database: PvDatabase): Disposable {
    this.database = database
    const subscription = database.onDidActivity((activity) => this.onActivity(activity))
    return this.store.add(
      toDisposable(() => {
        subscription.dispose()
        if (this.database === database) this.database = undefined
      }),
    )
  }

  attachServer(server: ObservableServer): Disposable {
    this.servers++
    const subscription = server.onDidObserve((observation) => this.onObservation(observation))
    return this.store.add(
      toDisposable(() => {
        subscription.dispose()
        this.servers--
      }),
    )
  }

  /** Instrumentation entry point for the Python layer's ThreadsafeQueues. */
  recordQueue(name: string, op: 'put' | 'get', depth: number, entrySummary: string): void {
    const time = Date.now()
    this.queues.record(name, op, depth, entrySummary, time)
    this.emit(op === 'put' ? 'queue-put' : 'queue-get', time, name, null, {
      count: depth,
      value: entrySummary,
    })
  }

  /** Recorded events with a sequence number above `since`, oldest first. */
  events(since = 0): TrafficEvent[] {
    return this.ring.since(since)
  }

  get lastSequence(): number {
    return this.ring.lastSequence
  }

  pvTraffic(): PvTraffic[] {
    return [...this.pvs.values()].map((counters) => ({ ...counters }))
  }

  pvTrafficFor(name: string): PvTraffic | undefined {
    const counters = this.pvs.get(name)
    return counters && { ...counters }
  }

  clientTraffic(): ClientTraffic[] {
    return [...this.clients.values()].map((client) => ({ ...client }))
  }

  queueStates(): QueueState[] {
    return this.queues.states()
  }

  forgetQueue(name: string): void {
    this.queues.delete(name)
  }

  putLog(): PutLogEntry[] {
    return this.log.entries()
  }

  putLogText(): string {
    return this.log.toText()
  }

  /** Forgets events, counters, queues and the put log (open channels are still counted). */
  clear(): void {
    this.ring.clear()
    this.log.clear()
    this.queues.clear()
    for (const counters of this.pvs.values()) {
      Object.assign(counters, {
        gets: 0,
        puts: 0,
        putFailures: 0,
        updates: 0,
        searches: 0,
        maxPendingPuts: 0,
        maxPendingGets: 0,
      })
    }
    for (const client of this.clients.values()) {
      Object.assign(client, { gets: 0, puts: 0, putFailures: 0, updates: 0, errors: 0 })
    }
  }

  dispose(): void {
    this.store.dispose()
    this.recorded.dispose()
  }

  // ---- the database's side ----

  private onActivity(activity: PvActivity): void {
    const name = activity.pv.name
    const counters = this.pv(name, activity.time)
    const { client } = activity
    if (activity.phase === 'start') {
      if (activity.op === 'put') {
        counters.pendingPuts++
        if (counters.pendingPuts > counters.maxPendingPuts) counters.maxPendingPuts = counters.pendingPuts
      } else {
        counters.pendingGets++
        if (counters.pendingGets > counters.maxPendingGets) counters.maxPendingGets = counters.pendingGets
      }
      return
    }
    if (activity.hookMs !== undefined) counters.lastHookMs = activity.hookMs
    const use = client && this.servers > 0 ? this.use(client.circuitId, name) : undefined
    if (activity.op === 'get') {
      counters.pendingGets = Math.max(0, counters.pendingGets - 1)
      // With a server attached its 'get' observation follows and carries the hook time into the event.
      if (use) stash(use.getHookMs, activity.hookMs ?? 0)
      else
        this.getDone(
          activity.time,
          name,
          trafficClient(client),
          '',
          0,
          activity.status ?? Eca.NORMAL,
          undefined,
          activity.hookMs,
          this.valueOf(activity.pv, activity.pv.snapshot),
        )
      return
    }
    counters.pendingPuts = Math.max(0, counters.pendingPuts - 1)
    const result: PutResult = {
      oldValue: activity.before ? this.valueOf(activity.pv, activity.before) : '',
      newValue: activity.after ? this.valueOf(activity.pv, activity.after) : undefined,
      hookMs: activity.hookMs,
      message: activity.skipped ? 'skipped by the putter' : activity.message,
    }
    if (use && use.caPutsInFlight > use.puts.length) stash(use.puts, result)
    else
      this.putDone(
        activity.time,
        name,
        trafficClient(client),
        '',
        0,
        activity.status ?? Eca.NORMAL,
        result,
        undefined,
      )
  }

  // ---- the server's side ----

  private onObservation(o: CaObservation): void {
    const client = o.client.circuitId === 0 ? null : trafficClient(o.client)
    const pv = o.pv ?? ''
    switch (o.kind) {
      case 'search':
        if (o.found) this.pv(pv, o.time).searches++
        if (this.searches === 'all' || (this.searches === 'found' && o.found)) {
          this.emit('search', o.time, pv, trafficClient(o.client), {
            message: o.found ? undefined : 'not found',
            ok: o.found !== false,
          })
        }
        return
      case 'client-connect':
        this.clientCounters(o)
        this.emit('client-connect', o.time, '', client, {})
        return
      case 'client-disconnect':
        this.clientDisconnected(o)
        this.emit('client-disconnect', o.time, '', client, { message: o.message })
        return
      case 'connect':
        if (o.status === Eca.NORMAL) this.adjustChannels(o, 1, 0)
        this.emit('connect', o.time, pv, client, { count: o.count, status: o.status, message: o.message })
        return
      case 'disconnect':
        this.adjustChannels(o, -1, 0)
        this.emit('disconnect', o.time, pv, client, { message: o.message })
        return
      case 'monitor-add':
        this.adjustChannels(o, 0, 1)
        this.emit('monitor-add', o.time, pv, client, {
          dbrType: o.dbrType,
          count: o.count,
          message: maskText(o.mask),
        })
        return
      case 'monitor-cancel':
        this.adjustChannels(o, 0, -1)
        this.emit('monitor-cancel', o.time, pv, client, { dbrType: o.dbrType })
        return
      case 'update': {
        this.pv(pv, o.time).updates++
        const counters = this.clientCounters(o)
        counters.updates++
        if (this.recordUpdates) {
          this.emit('update', o.time, pv, client, {
            dbrType: o.dbrType,
            count: o.count,
            status: o.status,
            value: this.currentValue(pv),
          })
        }
        return
      }
      case 'get': {
        const hookMs = this.use(o.client.circuitId, pv).getHookMs.shift()
        this.getDone(
          o.time,
          pv,
          client,
          dbrTypeName(o.dbrType ?? 0),
          o.count ?? 0,
          o.status ?? Eca.NORMAL,
          o.durationMs,
          hookMs,
          o.status === Eca.NORMAL ? this.currentValue(pv) : '',
          o.message,
        )
        return
      }
      case 'put': {
        if (o.status === Eca.NORMAL) this.use(o.client.circuitId, pv).caPutsInFlight++
        this.emit('put', o.time, pv, client, {
          dbrType: o.dbrType,
          count: o.count,
          value: summarizeNative(o.value),
          status: o.status,
          message: o.status === Eca.NORMAL ? (o.notify ? 'with completion' : undefined) : o.message,
        })
        return
      }
      case 'put-done': {
        const use = this.use(o.client.circuitId, pv)
        let result: PutResult | undefined
        if (use.caPutsInFlight > 0) {
          use.caPutsInFlight--
          result = use.puts.shift()
        }
        this.putDone(
          o.time,
          pv,
          client,
          dbrTypeName(o.dbrType ?? 0),
          o.count ?? 0,
          o.status ?? Eca.NORMAL,
          result,
          o.durationMs,
          o.message,
        )
        return
      }
      case 'error':
        if (client) this.clientCounters(o).errors++
        this.emit('error', o.time, pv, client, { status: o.status, message: o.message, ok: false })
        return
    }
  }

  private getDone(
    time: number,
    pv: string,
    client: TrafficClient | null,
    dbrType: string,
    count: number,
    status: number,
    durationMs: number | undefined,
    hookMs: number | undefined,
    value: string,
    message?: string,
  ): void {
    this.pv(pv, time).gets++
    if (client) this.clientById(client, time).gets++
    this.emit('get', time, pv, client, { dbrType, count, status, durationMs, hookMs, value, message })
  }

  private putDone(
    time: number,
    pv: string,
    client: TrafficClient | null,
    dbrType: string,
    count: number,
    status: number,
    result: PutResult | undefined,
    durationMs: number | undefined,
    serverMessage?: string,
  ): void {
    const ok = status === Eca.NORMAL
    const counters = this.pv(pv, time)
    if (ok) counters.puts++
    else counters.putFailures++
    if (client) {
      const clientCounters = this.clientById(client, time)
      if (ok) clientCounters.puts++
      else clientCounters.putFailures++
    }
    this.emit('put-done', time, pv, client, {
      dbrType,
      count,
      status,
      durationMs,
      hookMs: result?.hookMs,
      value: result?.newValue ?? '',
      oldValue: result?.oldValue,
      newValue: result?.newValue,
      message: serverMessage ?? result?.message,
    })
    if (ok && client && result?.newValue !== undefined) {
      this.log.add({ time, pv, client, oldValue: result.oldValue, newValue: result.newValue })
    }
  }

  private emit(
    op: TrafficOp,
    time: number,
    pv: string,
    client: TrafficClient | null,
    details: {
      dbrType?: number | string
      count?: number
      value?: string
      oldValue?: string
      newValue?: string
      status?: number
      ok?: boolean
      message?: string
      hookMs?: number
      durationMs?: number
    },
  ): void {
    const status = details.status
    const event: Mutable<TrafficEvent> = {
      seq: this.ring.lastSequence + 1,
      time,
      op,
      pv,
      client,
      dbrType: typeof details.dbrType === 'number' ? dbrTypeName(details.dbrType) : (details.dbrType ?? ''),
      count: details.count ?? 0,
      value: details.value ?? '',
      status: status === undefined ? '' : ecaName(status),
      ok: details.ok ?? (status === undefined || status === Eca.NORMAL),
    }
    if (details.oldValue !== undefined) event.oldValue = details.oldValue
    if (details.newValue !== undefined) event.newValue = details.newValue
    if (details.message !== undefined) event.message = details.message
    if (details.hookMs !== undefined) event.hookMs = details.hookMs
    if (details.durationMs !== undefined) event.durationMs = details.durationMs
    this.ring.push(event)
    if (this.recorded.hasListeners) this.recorded.fire(event)
  }

  private pv(name: string, time: number): Mutable<PvTraffic> {
    const counters = this.pvs.touch(name, () => ({
      pv: name,
      gets: 0,
      puts: 0,
      putFailures: 0,
      updates: 0,
      searches: 0,
      channels: 0,
      monitors: 0,
      pendingPuts: 0,
      pendingGets: 0,
      maxPendingPuts: 0,
      maxPendingGets: 0,
      lastHookMs: null,
      lastActivity: time,
    }))
    counters.lastActivity = time
    return counters
  }

  private clientCounters(o: CaObservation): Mutable<ClientTraffic> {
    return this.clientById(trafficClient(o.client)!, o.time)
  }

  private clientById(client: TrafficClient, time: number): Mutable<ClientTraffic> {
    const counters = this.clients.touch(client.circuitId, () => ({
      ...client,
      connected: true,
      connectedAt: time,
      disconnectedAt: null,
      gets: 0,
      puts: 0,
      putFailures: 0,
      updates: 0,
      errors: 0,
      channels: 0,
      monitors: 0,
      lastActivity: time,
    }))
    // CLIENT_NAME / HOST_NAME may arrive after the circuit opened.
    counters.host = client.host
    counters.user = client.user
    counters.lastActivity = time
    return counters
  }

  private use(circuitId: number, pv: string): ChannelUse {
    let byPv = this.uses.get(circuitId)
    if (!byPv) {
      byPv = new Map()
      this.uses.set(circuitId, byPv)
    }
    let use = byPv.get(pv)
    if (!use) {
      use = { channels: 0, monitors: 0, caPutsInFlight: 0, puts: [], getHookMs: [] }
      byPv.set(pv, use)
    }
    return use
  }

  private adjustChannels(o: CaObservation, channels: number, monitors: number): void {
    const pv = o.pv ?? ''
    const use = this.use(o.client.circuitId, pv)
    const counters = this.pv(pv, o.time)
    const client = this.clientCounters(o)
    use.channels = Math.max(0, use.channels + channels)
    counters.channels = Math.max(0, counters.channels + channels)
    client.channels = Math.max(0, client.channels + channels)
    let monitorChange = monitors
    // A cleared channel drops its subscriptions silently; when the client has no channel left on the PV, its
    // monitors there are gone too.
    if (use.channels === 0 && channels < 0) monitorChange = -use.monitors
    use.monitors = Math.max(0, use.monitors + monitorChange)
    counters.monitors = Math.max(0, counters.monitors + monitorChange)
    client.monitors = Math.max(0, client.monitors + monitorChange)
  }

  private clientDisconnected(o: CaObservation): void {
    const circuitId = o.client.circuitId
    for (const [pv, use] of this.uses.get(circuitId) ?? []) {
      const counters = this.pvs.get(pv)
      if (!counters) continue
      counters.channels = Math.max(0, counters.channels - use.channels)
      counters.monitors = Math.max(0, counters.monitors - use.monitors)
    }
    this.uses.delete(circuitId)
    const client = this.clientCounters(o)
    client.connected = false
    client.disconnectedAt = o.time
    client.channels = 0
    client.monitors = 0
  }

  private currentValue(name: string): string {
    const channel = this.database?.resolve(name)
    return channel ? summarizeNative(channel.snapshot.value) : ''
  }

  /** Short text of a stored value as hooks see it: an enum as its label, a long string as text. */
  private valueOf(pv: IocPv, snapshot: PvSnapshot): string {
    const spec = pv.spec
    const value = snapshot.value
    if (spec.longString)
      return describeValue(latin1Text((value as Uint8Array).subarray(0, SUMMARY_CHARACTERS)))
    if (spec.type === 'ENUM') return describeValue(spec.enumStrings?.[value[0] as number] ?? value[0])
    return summarizeNative(value)
  }
}

function stash<T>(list: T[], item: T): void {
  if (list.length >= MAX_STASHED) list.shift()
  list.push(item)
}

function maskText(mask: number | undefined): string | undefined {
  if (mask === undefined) return undefined
  const names = ['VALUE', 'LOG', 'ALARM', 'PROPERTY'].filter((_, bit) => (mask & (1 << bit)) !== 0)
  return `mask ${names.join('|') || 'none'}`
}

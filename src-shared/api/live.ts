/**
 * The live view of the running IOC, as JSON: what the backend streams about every 50 ms (`LiveBatch`), what a
 * view loads when it connects or the IOC changes (`LiveSnapshot`), and a value written from the studio.
 *
 * Batches carry changes only: the latest value of each PV that changed (with how many changes it stands for),
 * the traffic events recorded since the previous batch (all of them, or a uniform sample under load, with exact
 * counts), the counters, queues and clients that changed. `session` changes when another IOC is attached (or
 * none): a view then reloads the snapshot.
 */
import { ApiError } from './errors'

export type LivePvType = 'STRING' | 'SHORT' | 'LONG' | 'FLOAT' | 'DOUBLE' | 'ENUM' | 'CHAR'

/** Alarm severities (menuAlarmSevr), indexed by number. */
export const ALARM_SEVERITY_NAMES: readonly string[] = Object.freeze([
  'NO_ALARM',
  'MINOR',
  'MAJOR',
  'INVALID',
])

/** Alarm statuses (menuAlarmStat, as alarmString.c spells them), indexed by number. */
export const ALARM_STATUS_NAMES: readonly string[] = Object.freeze([
  'NO_ALARM',
  'READ',
  'WRITE',
  'HIHI',
  'HIGH',
  'LOLO',
  'LOW',
  'STATE',
  'COS',
  'COMM',
  'TIMEOUT',
  'HWLIMIT',
  'CALC',
  'SCAN',
  'LINK',
  'SOFT',
  'BAD_SUB',
  'UDF',
  'DISABLE',
  'SIMM',
  'READ_ACCESS',
  'WRITE_ACCESS',
])

/** Most array elements one value carries; `length` says how many the PV holds. */
export const LIVE_ARRAY_ELEMENTS = 4096

/** What the Values table needs to know about a PV besides its value. */
export interface LivePvInfo {
  readonly name: string
  readonly type: LivePvType
  readonly maxLength: number
  /** A CHAR array holding text: its value is sent as a string. */
  readonly longString: boolean
  readonly units: string
  readonly precision: number
  readonly enumStrings: readonly string[]
  readonly description: string
  /** False when the PV is read-only over Channel Access (and so from the studio, which writes the same way). */
  readonly writable: boolean
  /** Display limits for plots, when set. */
  readonly displayLow: number | null
  readonly displayHigh: number | null
}

/**
 * A number that JSON cannot carry (NaN, ±Infinity) travels as the string 'NaN', 'Infinity' or '-Infinity'.
 * An ENUM is its state index; a long string is its text; arrays are lists (at most LIVE_ARRAY_ELEMENTS).
 */
export type LiveScalar = number | string
export type LiveValueData = LiveScalar | readonly LiveScalar[]

export interface LiveValue {
  readonly pv: string
  readonly value: LiveValueData
  /** Elements the PV holds now (arrays may carry fewer); 1 for scalars, characters for long strings. */
  readonly length: number
  /** Index into ALARM_STATUS_NAMES / ALARM_SEVERITY_NAMES. */
  readonly status: number
  readonly severity: number
  /** The PV's timestamp, milliseconds since the Unix epoch; 0 = never written. */
  readonly time: number
  /** Value changes since the previous batch that this one stands for (1 unless several were coalesced). */
  readonly changes: number
}

export type LiveOp =
  | 'search'
  | 'client-connect'
  | 'client-disconnect'
  | 'connect'
  | 'disconnect'
  | 'get'
  | 'put'
  | 'put-done'
  | 'monitor-add'
  | 'monitor-cancel'
  | 'update'
  | 'error'
  | 'queue-put'
  | 'queue-get'

export const LIVE_OPS: readonly LiveOp[] = Object.freeze([
  'search',
  'client-connect',
  'client-disconnect',
  'connect',
  'disconnect',
  'get',
  'put',
  'put-done',
  'monitor-add',
  'monitor-cancel',
  'update',
  'error',
  'queue-put',
  'queue-get',
])

/** Who did something, referred to by `key` from traffic events. */
export interface LiveClientRef {
  /** 'c<circuit id>' for a TCP circuit, 'udp:<address>:<port>' for a UDP searcher, 'studio' for this app. */
  readonly key: string
  readonly circuitId: number
  readonly address: string
  readonly port: number
  /** From HOST_NAME / CLIENT_NAME ('' until the client sent them). */
  readonly host: string
  readonly user: string
}

/** One traffic event (the traffic recorder's event, with the client as a key into `clients`). */
export interface LiveTrafficEvent {
  /** 1, 2, 3… in recording order, per IOC session. */
  readonly seq: number
  /** Milliseconds since the Unix epoch. */
  readonly time: number
  readonly op: LiveOp
  /** The PV or channel name ('' for circuit events); the queue name for queue events. */
  readonly pv: string
  /** A key of LiveClientRef; null for internal operations (hooks) and server-wide events. */
  readonly client: string | null
  /** e.g. 'DBR_TIME_DOUBLE'; '' when not applicable. */
  readonly dbrType: string
  /** Element count on the wire; the queue depth for queue events. */
  readonly count: number
  readonly value: string
  readonly oldValue?: string
  readonly newValue?: string
  /** e.g. 'ECA_NORMAL'; '' when not applicable. */
  readonly status: string
  readonly ok: boolean
  readonly message?: string
  /** Time spent in the putter or getter hook. */
  readonly hookMs?: number
  /** From request to reply (CA operations). */
  readonly durationMs?: number
}

export interface LiveTrafficBatch {
  /** The events carried: every event recorded since the last batch, or a uniform sample of them. */
  readonly events: readonly LiveTrafficEvent[]
  /** The clients `events` refer to. */
  readonly clients: Readonly<Record<string, LiveClientRef>>
  /** Events recorded since the previous batch (exact). */
  readonly recorded: number
  /** Of those, not carried because the rate was too high to show every row (`recorded - events.length`). */
  readonly dropped: number
  /** Exact events per operation since the previous batch. */
  readonly byOp: Readonly<Partial<Record<LiveOp, number>>>
  /** Exact failed operations since the previous batch. */
  readonly failures: number
  /** Sequence number of the newest event recorded. */
  readonly lastSeq: number
}

/** Per-PV counters: operations so far, and the put/get queue of the PV (pending = arrived, hook not finished). */
export interface LivePvActivity {
  readonly pv: string
  readonly gets: number
  readonly puts: number
  readonly putFailures: number
  readonly updates: number
  readonly channels: number
  readonly monitors: number
  readonly pendingPuts: number
  readonly pendingGets: number
  /** The most pending at once since the previous batch (a put that waited briefly still shows). */
  readonly peakPendingPuts: number
  readonly peakPendingGets: number
  /** Highest ever. */
  readonly maxPendingPuts: number
  readonly maxPendingGets: number
  readonly lastHookMs: number | null
}

export interface LiveQueueEntry {
  readonly time: number
  readonly op: 'put' | 'get'
  /** Python repr of the entry, shortened. */
  readonly entry: string
}

/** A ThreadsafeQueue created by the IOC's hooks. */
export interface LiveQueue {
  readonly name: string
  readonly depth: number
  readonly maxDepth: number
  readonly puts: number
  readonly gets: number
  readonly lastActivity: number
  /** Latest entries, oldest first. */
  readonly recent: readonly LiveQueueEntry[]
  /** Depth after each put/get since the previous batch, as [time, depth] (the newest when there were many). */
  readonly samples: readonly (readonly [number, number])[]
}

export interface LiveClientChannel {
  readonly pv: string
  /** Channels the client has open on the PV, and subscriptions on them. */
  readonly channels: number
  readonly monitors: number
}

/** A connected Channel Access client. */
export interface LiveClient extends LiveClientRef {
  /** CA minor protocol version (4.<minor>). */
  readonly minorVersion: number
  readonly priority: number
  readonly channelCount: number
  readonly subscriptionCount: number
  readonly pendingOperations: number
  readonly bytesIn: number
  readonly bytesOut: number
  /** Milliseconds since the Unix epoch. */
  readonly connectedSince: number
  readonly eventsEnabled: boolean
  readonly gets: number
  readonly puts: number
  readonly putFailures: number
  readonly updates: number
  readonly errors: number
  /** The channels it holds, by PV. */
  readonly channels: readonly LiveClientChannel[]
}

export interface LiveBatch {
  /** Increases by one per batch for the backend's lifetime. */
  readonly seq: number
  /** Which IOC the batch is about; a new number means reload the snapshot. */
  readonly session: number
  readonly time: number
  /** PVs added or redefined (full info), and removed. */
  readonly pvs?: { readonly upsert: readonly LivePvInfo[]; readonly removed: readonly string[] }
  readonly values: readonly LiveValue[]
  readonly traffic: LiveTrafficBatch
  readonly activity: readonly LivePvActivity[]
  readonly queues: readonly LiveQueue[]
  /** Every connected client, when the list or its counters changed (at most about once a second otherwise). */
  readonly clients?: readonly LiveClient[]
}

export interface LiveSnapshot {
  readonly session: number
  /** `seq` of the last batch sent before this snapshot was taken: later batches apply on top of it. */
  readonly batchSeq: number
  /** False when no IOC is attached (nothing has been run yet). */
  readonly attached: boolean
  readonly pvs: readonly LivePvInfo[]
  readonly values: readonly LiveValue[]
  readonly activity: readonly LivePvActivity[]
  readonly queues: readonly LiveQueue[]
  readonly clients: readonly LiveClient[]
  /** The newest recorded events (at most LIVE_SNAPSHOT_EVENTS), oldest first. */
  readonly traffic: readonly LiveTrafficEvent[]
  readonly trafficClients: Readonly<Record<string, LiveClientRef>>
  /** Events recorded in this session so far. */
  readonly trafficTotal: number
}

/** Most events a snapshot carries. */
export const LIVE_SNAPSHOT_EVENTS = 5000

export interface LivePutLogEntry {
  readonly time: number
  readonly pv: string
  readonly client: LiveClientRef | null
  readonly oldValue: string
  readonly newValue: string
}

/** A value typed in the studio: text is converted by the PV's type (a number, an enum label, a list…). */
export type LiveWriteValue = string | number | boolean | readonly (string | number)[]

export interface LiveWriteResult {
  readonly ok: boolean
  /** e.g. 'ECA_NORMAL', 'ECA_PUTFAIL', 'ECA_NOWTACCESS'. */
  readonly status: string
  readonly message?: string
}

/** Most elements a write from the studio may carry. */
export const MAX_LIVE_WRITE_ELEMENTS = 100_000
const MAX_PV_NAME = 1024
const MAX_WRITE_TEXT = 1024 * 1024

/** Argument parsers for the live requests (used by ./validate). */
export function parsePvName(value: unknown, label: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PV_NAME) {
    throw new ApiError('bad-arguments', `${label} must be a PV name of 1 to ${MAX_PV_NAME} characters`)
  }
  return value
}

export function parseLiveWriteValue(value: unknown, label: string): LiveWriteValue {
  if (typeof value === 'string') {
    if (value.length > MAX_WRITE_TEXT)
      throw new ApiError('bad-arguments', `${label} is longer than ${MAX_WRITE_TEXT} characters`)
    return value
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value
  if (Array.isArray(value)) {
    if (value.length > MAX_LIVE_WRITE_ELEMENTS) {
      throw new ApiError(
        'bad-arguments',
        `${label} has ${value.length} elements, at most ${MAX_LIVE_WRITE_ELEMENTS}`,
      )
    }
    for (const item of value) {
      if (typeof item !== 'number' && (typeof item !== 'string' || item.length > 256)) {
        throw new ApiError('bad-arguments', `${label} must list numbers or short texts`)
      }
    }
    return value as (string | number)[]
  }
  throw new ApiError('bad-arguments', `${label} must be text, a number, a boolean or a list`)
}

export function parseCircuitId(value: unknown, label: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ApiError('bad-arguments', `${label} must be a circuit id (a positive integer)`)
  }
  return value
}

/** 'NaN' / 'Infinity' / '-Infinity' back to numbers, other values unchanged (for plots and sorting). */
export function liveNumber(value: LiveScalar): number {
  if (typeof value === 'number') return value
  if (value === 'NaN') return Number.NaN
  if (value === 'Infinity') return Number.POSITIVE_INFINITY
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY
  return Number.NaN
}

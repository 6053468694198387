/**
 * The traffic recorder's vocabulary: one JSON-safe event per operation, as the traffic panel and the backend
 * stream show it, and the helpers that turn clients and values into short text.
 */
import type { ClientIdentity } from '../../ca/server/provider'
import type { PvValue } from '../../ca/wire/snapshot'
import { describeValue } from '../values'

export type TrafficOp =
  | 'search'
  | 'client-connect'
  | 'client-disconnect'
  | 'connect'
  | 'disconnect'
  | 'get'
  /** A put arrived (CA) or was started (internal): the value asked for. */
  | 'put'
  /** A put completed: old -> new, status, hook and total duration. */
  | 'put-done'
  | 'monitor-add'
  | 'monitor-cancel'
  | 'update'
  | 'error'
  | 'queue-put'
  | 'queue-get'

export interface TrafficClient {
  readonly circuitId: number
  readonly address: string
  readonly port: number
  readonly host: string
  readonly user: string
}

export interface TrafficEvent {
  /** 1, 2, 3… in recording order; ask for events since the last one seen. */
  readonly seq: number
  /** Milliseconds since the Unix epoch. */
  readonly time: number
  readonly op: TrafficOp
  /** The PV or channel name ('' for circuit events); the queue name for queue events. */
  readonly pv: string
  /** null: an internal operation (a hook or the app), or a server-wide event. */
  readonly client: TrafficClient | null
  /** e.g. 'DBR_TIME_DOUBLE'; '' when not applicable. */
  readonly dbrType: string
  /** Element count on the wire; the queue depth for queue events. */
  readonly count: number
  /** Short text of the value read, written or queued. */
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

export function trafficClient(identity: ClientIdentity | undefined): TrafficClient | null {
  if (!identity) return null
  return {
    circuitId: identity.circuitId,
    address: identity.address,
    port: identity.port,
    host: identity.hostName,
    user: identity.userName,
  }
}

/** Short text of a native value: the element for scalars, a bracketed list for arrays. */
export function summarizeNative(value: PvValue | undefined): string {
  if (value === undefined) return ''
  if (value.length === 1) return describeValue(value[0])
  return describeValue(value)
}

/** "alice@ws1.lab", falling back to the address when the client sent no names; "app" for internal operations. */
export function describeClient(client: TrafficClient | null): string {
  if (!client) return 'app'
  const host = client.host || client.address
  return client.user ? `${client.user}@${host}` : host
}

/**
 * What the server lets the outside watch (the traffic inspector, logs, tests): one flat event type for every
 * operation, and a per-circuit summary. Observations are only built when someone listens.
 */
import type { ClientIdentity } from './provider'
import type { PvValue } from '../wire/snapshot'

export type CaObservationKind =
  /** A name search (UDP or TCP): `pv`, `found`, `transport`. Client: the datagram's source (circuitId 0 on UDP). */
  | 'search'
  /** A TCP circuit was accepted. */
  | 'client-connect'
  /** A circuit ended: `message` says why (peer closed, protocol error…). */
  | 'client-disconnect'
  /** CREATE_CHAN: `pv`, `status` (ECA_NORMAL, or why it failed), `count` = declared maximum, `rights`. */
  | 'connect'
  /** CLEAR_CHANNEL by the client, or SERVER_DISCONN because the PV went away (`message`). */
  | 'disconnect'
  /** READ_NOTIFY / READ: `pv`, `dbrType`, `count`, `status`, `durationMs`. */
  | 'get'
  /** WRITE / WRITE_NOTIFY received and decoded: `pv`, `dbrType`, `count`, `value` (native), `notify`, `status`. */
  | 'put'
  /** The write finished: `status`, `durationMs` (from request to completion), `notify`. */
  | 'put-done'
  /** EVENT_ADD: `pv`, `dbrType`, `count`, `mask`, `subscriptionId`. */
  | 'monitor-add'
  /** EVENT_CANCEL: `pv`, `subscriptionId`. (Subscriptions of a cleared channel end silently.) */
  | 'monitor-cancel'
  /** A subscription update was queued for sending: `pv`, `dbrType`, `count`, `status`, `subscriptionId`. */
  | 'update'
  /** A request was refused or the circuit misbehaved: `status`, `message`, maybe `pv`. */
  | 'error'

export interface CaObservation {
  readonly kind: CaObservationKind
  /** Milliseconds since the Unix epoch. */
  readonly time: number
  readonly client: ClientIdentity
  readonly pv?: string
  readonly dbrType?: number
  readonly count?: number
  /** ECA status code. */
  readonly status?: number
  readonly durationMs?: number
  readonly mask?: number
  readonly subscriptionId?: number
  readonly rights?: number
  readonly value?: PvValue
  readonly notify?: boolean
  readonly found?: boolean
  readonly transport?: 'udp' | 'tcp'
  readonly message?: string
}

/** One TCP circuit as `CaServer.clients()` reports it. */
export interface CaClientInfo {
  readonly circuitId: number
  readonly address: string
  readonly port: number
  readonly hostName: string
  readonly userName: string
  readonly minorVersion: number
  readonly priority: number
  readonly channelCount: number
  readonly subscriptionCount: number
  /** Asynchronous reads and writes not yet completed. */
  readonly pendingOperations: number
  readonly bytesIn: number
  readonly bytesOut: number
  /** Milliseconds since the Unix epoch. */
  readonly connectedSince: number
  /** False between EVENTS_OFF and EVENTS_ON. */
  readonly eventsEnabled: boolean
  /** Monitor updates replaced by a newer one before they could be sent (slow reader or EVENTS_OFF). */
  readonly coalescedUpdates: number
}

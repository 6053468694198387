/**
 * The seam between the Channel Access engine and whatever serves PVs (the soft IOC in src-main/ioc, or a
 * static table in tests). The engine asks a `PvProvider` to resolve names and talks to the `ServedPv` it gets;
 * it knows nothing about Python, projects or the UI.
 */
import type { Disposable, Event } from '@shared/base/event'
import type { NativeType, PvSnapshot, PvValue } from '../wire/snapshot'

/** Who is asking: the circuit's peer and what it said in CLIENT_NAME / HOST_NAME. */
export interface ClientIdentity {
  /** Unique for the server's lifetime; stable for one TCP circuit. */
  readonly circuitId: number
  readonly address: string
  readonly port: number
  /** From HOST_NAME ('' until sent). */
  readonly hostName: string
  /** From CLIENT_NAME ('' until sent). */
  readonly userName: string
  /** Client's CA minor protocol version. */
  readonly minorVersion: number
}

/** Access bits as on the wire: READ = 1, WRITE = 2. */
export const AccessRights = { NONE: 0, READ: 1, WRITE: 2, READ_WRITE: 3 } as const
export type AccessRights = number

/** Event mask bits posted with an update (DBE_VALUE 1, DBE_LOG 2, DBE_ALARM 4, DBE_PROPERTY 8). */
export const EventMask = { VALUE: 1, LOG: 2, ALARM: 4, PROPERTY: 8 } as const

export interface PvPost {
  readonly snapshot: PvSnapshot
  /** Which event bits this change posts; subscriptions whose mask intersects it get the update. */
  readonly mask: number
}

/** Outcome of a write: an ECA status code (ECA_NORMAL = 1 on success) and, on failure, a message. */
export interface WriteOutcome {
  readonly status: number
  readonly message?: string
}

export interface PvProvider {
  /**
   * Resolves a channel name (which may carry `.FIELD` or a trailing `$`). Returns undefined when the name does
   * not exist: searches for it stay silent and CREATE_CHAN fails. Must be cheap: it answers every search.
   */
  resolve(name: string): ServedPv | undefined
}

export interface ServedPv {
  readonly name: string
  readonly nativeType: NativeType
  /** Declared maximum element count (fixed for the channel's life). */
  readonly maxCount: number
  /** The latest value; always available synchronously. */
  readonly snapshot: PvSnapshot
  accessFor(client: ClientIdentity): AccessRights
  /** A get. Returns the snapshot directly unless a getter hook must run first. */
  read(client: ClientIdentity): PvSnapshot | Promise<PvSnapshot>
  /**
   * A put, with the value already converted to the native type. Resolves when the write has completed (hooks
   * run, value stored), which is when a WRITE_NOTIFY reply is sent.
   */
  write(client: ClientIdentity, value: PvValue): WriteOutcome | Promise<WriteOutcome>
  /** Alarm acknowledgement (DBR_PUT_ACKT / DBR_PUT_ACKS writes). Optional: without it such writes fail. */
  acknowledge?(client: ClientIdentity, kind: 'transient' | 'severity', value: number): WriteOutcome
  /** Fires for every posted change; the engine fans it out to subscriptions. */
  readonly onDidPost: Event<PvPost>
  /** Fires when access rules change; the engine re-evaluates `accessFor` and sends ACCESS_RIGHTS. */
  readonly onDidChangeAccess: Event<void>
  /** Fires when the PV is removed or redefined; the engine sends SERVER_DISCONN to its channels. */
  readonly onDidRemove: Event<void>
}

export type { Disposable }

/**
 * A `PvProvider` over a plain table of PVs, for tests, the benchmark and demos: no IOC layer, no hooks. PVs of
 * any native type can be added, set (posting VALUE|LOG|ALARM), made read-only or given custom access rules,
 * given slow read/write behaviour, and removed (firing onDidRemove so circuits send SERVER_DISCONN).
 */
import { Emitter } from '@shared/base/event'
import type { Event } from '@shared/base/event'
import { AccessRights, EventMask } from '../../src-main/ca/server/provider'
import type {
  ClientIdentity,
  PvPost,
  PvProvider,
  ServedPv,
  WriteOutcome,
} from '../../src-main/ca/server/provider'
import { EMPTY_METADATA, EPICS_EPOCH_OFFSET_SECONDS, NativeType } from '../../src-main/ca/wire/snapshot'
import type { PvMetadata, PvSnapshot, PvValue } from '../../src-main/ca/wire/snapshot'

const ECA_NORMAL = 1
const ECA_NOWTACCESS = 376
const WRITE_OK: WriteOutcome = Object.freeze({ status: ECA_NORMAL })
const POSTED_ON_SET = EventMask.VALUE | EventMask.LOG | EventMask.ALARM

/** Anything `toPvValue` can turn into a native value: a PvValue, one number or string, or a plain array. */
export type LooseValue = PvValue | number | string | readonly number[] | readonly string[]

export interface StaticPvDefinition {
  readonly name: string
  readonly type: NativeType
  readonly value: LooseValue
  /** Declared maximum element count; defaults to the initial value's length (at least 1). */
  readonly maxCount?: number
  readonly metadata?: Partial<PvMetadata>
  /** Clients get READ only; puts fail with ECA_NOWTACCESS. */
  readonly readOnly?: boolean
  readonly status?: number
  readonly severity?: number
  /** Custom rights per client (overrides readOnly). */
  readonly access?: (client: ClientIdentity) => AccessRights
  /**
   * Replaces the default write (store and post). May be slow or asynchronous; call `pv.set` to store. Lets tests
   * model a putter hook that takes a long time or rejects the value.
   */
  readonly onWrite?: (
    pv: StaticPv,
    value: PvValue,
    client: ClientIdentity,
  ) => WriteOutcome | Promise<WriteOutcome>
  /** Replaces the default read (the current snapshot), e.g. an asynchronous getter. */
  readonly onRead?: (pv: StaticPv, client: ClientIdentity) => PvSnapshot | Promise<PvSnapshot>
}

export interface SetOptions {
  readonly status?: number
  readonly severity?: number
  /** Event bits to post; defaults to VALUE|LOG|ALARM. */
  readonly mask?: number
  readonly metadata?: Partial<PvMetadata>
}

/** Converts a loose JavaScript value into the storage type of `type` (see PvValue). */
export function toPvValue(type: NativeType, value: LooseValue): PvValue {
  if (type === NativeType.STRING) {
    if (typeof value === 'string') return Object.freeze([value])
    if (Array.isArray(value)) return Object.freeze(value.map(String))
    if (typeof value === 'number') return Object.freeze([String(value)])
    throw new TypeError(`a STRING PV needs strings, got ${Object.prototype.toString.call(value)}`)
  }
  const items: ArrayLike<number> =
    typeof value === 'number'
      ? [value]
      : typeof value === 'string'
        ? type === NativeType.CHAR
          ? Buffer.from(`${value}\0`, 'latin1')
          : [Number(value)]
        : (value as ArrayLike<number>)
  switch (type) {
    case NativeType.SHORT:
      return Int16Array.from(items)
    case NativeType.FLOAT:
      return Float32Array.from(items)
    case NativeType.ENUM:
      return Uint16Array.from(items)
    case NativeType.CHAR:
      return Uint8Array.from(items)
    case NativeType.LONG:
      return Int32Array.from(items)
    case NativeType.DOUBLE:
      return Float64Array.from(items)
  }
  throw new TypeError(`unknown native type ${type}`)
}

function nowStamp(): { secondsPastEpoch: number; nanoseconds: number } {
  const ms = Date.now()
  return {
    secondsPastEpoch: Math.floor(ms / 1000) - EPICS_EPOCH_OFFSET_SECONDS,
    nanoseconds: (ms % 1000) * 1_000_000,
  }
}

export class StaticPv implements ServedPv {
  readonly nativeType: NativeType
  readonly maxCount: number
  private current: PvSnapshot
  private readonly posted = new Emitter<PvPost>()
  private readonly accessChanged = new Emitter<void>()
  private readonly removed = new Emitter<void>()
  private accessRule: (client: ClientIdentity) => AccessRights
  readonly onDidPost: Event<PvPost> = this.posted.event
  readonly onDidChangeAccess: Event<void> = this.accessChanged.event
  readonly onDidRemove: Event<void> = this.removed.event
  /** Number of writes received from clients (handy in tests). */
  writeCount = 0

  constructor(
    readonly name: string,
    private readonly definition: StaticPvDefinition,
  ) {
    this.nativeType = definition.type
    const value = toPvValue(definition.type, definition.value)
    this.maxCount = definition.maxCount ?? Math.max(1, value.length)
    const stamp = nowStamp()
    this.current = Object.freeze({
      type: definition.type,
      value,
      status: definition.status ?? 0,
      severity: definition.severity ?? 0,
      secondsPastEpoch: stamp.secondsPastEpoch,
      nanoseconds: stamp.nanoseconds,
      acknowledgeTransient: true,
      unacknowledgedSeverity: 0,
      metadata: Object.freeze({ ...EMPTY_METADATA, ...definition.metadata }),
    })
    this.accessRule = definition.access ?? this.defaultAccess()
  }

  get snapshot(): PvSnapshot {
    return this.current
  }

  accessFor(client: ClientIdentity): AccessRights {
    return this.accessRule(client)
  }

  read(client: ClientIdentity): PvSnapshot | Promise<PvSnapshot> {
    return this.definition.onRead ? this.definition.onRead(this, client) : this.current
  }

  write(client: ClientIdentity, value: PvValue): WriteOutcome | Promise<WriteOutcome> {
    this.writeCount++
    if ((this.accessRule(client) & AccessRights.WRITE) === 0) {
      return { status: ECA_NOWTACCESS, message: `${this.name} is read-only` }
    }
    if (this.definition.onWrite) return this.definition.onWrite(this, value, client)
    this.set(value)
    return WRITE_OK
  }

  /** Stores a new value (time-stamped now) and posts it to subscribers. */
  set(value: LooseValue, options: SetOptions = {}): PvSnapshot {
    const previous = this.current
    const stamp = nowStamp()
    const next: PvSnapshot = Object.freeze({
      type: this.nativeType,
      value: this.clip(toPvValue(this.nativeType, value)),
      status: options.status ?? previous.status,
      severity: options.severity ?? previous.severity,
      secondsPastEpoch: stamp.secondsPastEpoch,
      nanoseconds: stamp.nanoseconds,
      acknowledgeTransient: previous.acknowledgeTransient,
      unacknowledgedSeverity: previous.unacknowledgedSeverity,
      metadata: options.metadata
        ? Object.freeze({ ...previous.metadata, ...options.metadata })
        : previous.metadata,
    })
    return this.post(next, options.mask ?? POSTED_ON_SET)
  }

  /** Posts a ready-made snapshot as is (the benchmark uses this to avoid conversions per update). */
  post(snapshot: PvSnapshot, mask: number = POSTED_ON_SET): PvSnapshot {
    this.current = snapshot
    if (this.posted.hasListeners) this.posted.fire({ snapshot, mask })
    return snapshot
  }

  /** Replaces the access rule and tells the server to re-evaluate every channel of this PV. */
  setAccess(rule: AccessRights | ((client: ClientIdentity) => AccessRights)): void {
    this.accessRule = typeof rule === 'number' ? () => rule : rule
    this.accessChanged.fire()
  }

  /** True while someone (the server's fan-out) listens to onDidPost. */
  get hasPostListeners(): boolean {
    return this.posted.hasListeners
  }

  /** Called by StaticPvProvider.remove: tells the server, then drops every listener. */
  dispose(): void {
    this.removed.fire()
    this.posted.dispose()
    this.accessChanged.dispose()
    this.removed.dispose()
  }

  private defaultAccess(): (client: ClientIdentity) => AccessRights {
    const rights = this.definition.readOnly ? AccessRights.READ : AccessRights.READ_WRITE
    return () => rights
  }

  private clip(value: PvValue): PvValue {
    if (value.length <= this.maxCount) return value
    return Array.isArray(value)
      ? Object.freeze(value.slice(0, this.maxCount))
      : (value as Exclude<PvValue, readonly string[]>).subarray(0, this.maxCount)
  }
}

export class StaticPvProvider implements PvProvider {
  private readonly pvs = new Map<string, StaticPv>()

  constructor(definitions: readonly StaticPvDefinition[] = []) {
    for (const definition of definitions) this.add(definition)
  }

  resolve(name: string): ServedPv | undefined {
    return this.pvs.get(name)
  }

  add(definition: StaticPvDefinition): StaticPv {
    if (this.pvs.has(definition.name)) throw new Error(`PV ${definition.name} already exists`)
    const pv = new StaticPv(definition.name, definition)
    this.pvs.set(definition.name, pv)
    return pv
  }

  get(name: string): StaticPv {
    const pv = this.pvs.get(name)
    if (!pv) throw new Error(`no PV named ${name}`)
    return pv
  }

  has(name: string): boolean {
    return this.pvs.has(name)
  }

  names(): string[] {
    return [...this.pvs.keys()]
  }

  set(name: string, value: LooseValue, options?: SetOptions): PvSnapshot {
    return this.get(name).set(value, options)
  }

  /** Removes the PV: its channels get SERVER_DISCONN and searches for it go silent. */
  remove(name: string): boolean {
    const pv = this.pvs.get(name)
    if (!pv) return false
    this.pvs.delete(name)
    pv.dispose()
    return true
  }
}

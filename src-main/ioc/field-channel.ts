/**
 * A record field served as its own channel (`NAME.EGU`). Its snapshot carries the field's value with the
 * record's alarm and timestamp, and is rebuilt lazily after the PV changes. It posts only when the field's own
 * value changed (STAT and SEVR add DBE_ALARM), never for every record update.
 */
import { DisposableStore, Emitter } from '@shared/base/event'
import type { Event } from '@shared/base/event'
import { AccessRights, EventMask } from '../ca/server/provider'
import type { ClientIdentity, PvPost, WriteOutcome } from '../ca/server/provider'
import { Eca } from '../ca/wire/protocol'
import { EMPTY_METADATA, NativeType } from '../ca/wire/snapshot'
import type { PvMetadata, PvSnapshot, PvValue } from '../ca/wire/snapshot'
import { PvChange } from './pv'
import type { DerivedChannel, IocPv } from './pv'
import type { FieldDefinition, FieldValue } from './record-fields'
import { latin1Text, MAX_STRING_LENGTH } from './values'

const OK: WriteOutcome = Object.freeze({ status: Eca.NORMAL })

function storageOf(type: NativeType, value: FieldValue): PvValue {
  switch (type) {
    case NativeType.STRING: {
      // Fields hold what the record holds; DBR_STRING carries 39 latin-1 characters.
      const text = String(value)
        .replace(/[\u0100-\uffff]/g, '?')
        .slice(0, MAX_STRING_LENGTH)
      return Object.freeze([text])
    }
    case NativeType.SHORT:
      return Int16Array.of(value as number)
    case NativeType.LONG:
      return Int32Array.of(value as number)
    case NativeType.ENUM:
      return Uint16Array.of(value as number)
    case NativeType.CHAR:
      return Uint8Array.of(value as number)
    case NativeType.FLOAT:
      return Float32Array.of(value as number)
    default:
      return Float64Array.of(value as number)
  }
}

/** The first element of a put as a field value (text for STRING puts, a CHAR array as text up to its NUL). */
function putValueOf(type: NativeType, value: PvValue): FieldValue {
  if (type === NativeType.STRING && value instanceof Uint8Array) return latin1Text(value)
  return value[0]
}

export class FieldChannel implements DerivedChannel {
  readonly name: string
  readonly nativeType: NativeType
  readonly maxCount = 1

  private cached: PvSnapshot | undefined
  private lastValue: FieldValue | undefined
  private metadataCache: PvMetadata | undefined
  private readonly store = new DisposableStore()
  private readonly posted = new Emitter<PvPost>()
  private readonly accessChanged = new Emitter<void>()
  private readonly removed = new Emitter<void>()
  readonly onDidPost: Event<PvPost> = this.posted.event
  readonly onDidChangeAccess: Event<void> = this.accessChanged.event
  readonly onDidRemove: Event<void> = this.removed.event

  constructor(
    private readonly pv: IocPv,
    private readonly definition: FieldDefinition,
  ) {
    this.name = `${pv.name}.${definition.name}`
    this.nativeType = definition.type
    this.store.add(pv.onDidChangeState((change) => this.pvChanged(change)))
    this.store.add(pv.onDidChangeAccess(() => this.accessChanged.fire()))
  }

  get snapshot(): PvSnapshot {
    if (!this.cached) {
      const record = this.pv.snapshot
      const value = this.definition.read(this.pv)
      this.lastValue = value
      this.cached = Object.freeze({
        ...record,
        type: this.nativeType,
        value: storageOf(this.nativeType, value),
        metadata: this.metadata(),
      })
    }
    return this.cached
  }

  accessFor(client: ClientIdentity): AccessRights {
    // readOnly covers the PV's value (see record-fields.ts); the access rules cover every field.
    if (this.definition.writesValue) return this.pv.accessFor(client)
    const rights = this.pv.ruleAccessFor(client)
    return this.definition.write ? rights : rights & AccessRights.READ
  }

  read(): PvSnapshot {
    return this.snapshot
  }

  write(client: ClientIdentity, value: PvValue): WriteOutcome | Promise<WriteOutcome> {
    const write = this.definition.write
    if (!write || (this.accessFor(client) & AccessRights.WRITE) === 0) {
      return { status: Eca.NOWTACCESS, message: `${this.name} is not writable` }
    }
    if (value.length === 0) return OK
    try {
      return write(this.pv, putValueOf(this.nativeType, value), client) ?? OK
    } catch (error) {
      return {
        status: Eca.PUTFAIL,
        message: `${this.name}: ${error instanceof Error ? error.message : String(error)}`,
      }
    }
  }

  dispose(): void {
    this.store.dispose()
    this.removed.fire()
    this.posted.dispose()
    this.accessChanged.dispose()
    this.removed.dispose()
  }

  private pvChanged(change: number): void {
    if (change & PvChange.SPEC) this.metadataCache = undefined
    // The snapshot carries the record's alarm and time, so any change makes it stale.
    this.cached = undefined
    if ((change & this.definition.dependsOn) === 0 || !this.posted.hasListeners) return
    const previous = this.lastValue
    const snapshot = this.snapshot
    if (this.lastValue === previous) return
    const alarm = this.nativeType === NativeType.ENUM && this.definition.dependsOn === PvChange.ALARM
    this.posted.fire({ snapshot, mask: EventMask.VALUE | EventMask.LOG | (alarm ? EventMask.ALARM : 0) })
  }

  private metadata(): PvMetadata {
    if (!this.metadataCache) {
      const spec = this.pv.spec
      this.metadataCache = Object.freeze({
        ...EMPTY_METADATA,
        units: this.definition.withUnits ? (spec.units ?? '') : '',
        precision: this.definition.withUnits ? (spec.precision ?? 0) : 0,
        enumStrings: this.definition.menu ?? EMPTY_METADATA.enumStrings,
        recordType: spec.recordType ?? '',
      })
    }
    return this.metadataCache
  }
}

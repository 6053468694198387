/**
 * One PV of the soft IOC: its value, alarm, metadata and the single write pipeline shared by CA puts and internal
 * writes (hooks, the app). A write goes: convert -> control limits -> putter hook -> value alarm -> timestamp ->
 * deadbands decide DBE_VALUE / DBE_LOG, an alarm change adds DBE_ALARM -> one immutable snapshot posted.
 *
 * Work that completes synchronously (no hook, or a hook that returns a plain value) never creates a Promise on
 * the CA path; only a hook that really awaits makes the write asynchronous.
 */
import { Emitter } from '@shared/base/event'
import type { Disposable, Event } from '@shared/base/event'
import { AccessRights, EventMask } from '../ca/server/provider'
import type { ClientIdentity, PvPost, ServedPv, WriteOutcome } from '../ca/server/provider'
import { EPICS_EPOCH_OFFSET_SECONDS } from '../ca/wire/snapshot'
import type { NativeType, PvSnapshot, PvValue } from '../ca/wire/snapshot'
import { Eca } from '../ca/wire/protocol'
import {
  AlarmSeverity,
  AlarmStatus,
  evaluateLimitAlarm,
  isAlarmSeverity,
  isAlarmStatus,
  NO_LIMIT_ALARM,
} from './alarm'
import type { AlarmLimitName, LimitAlarmConfig } from './alarm'
import type { AlarmGroup, AlarmMember } from './alarm-group'
import { passesDeadband } from './deadband'
import { limitAlarmConfigOf, metadataOf, sameMetadata } from './metadata'
import { scanSettingOf, SCAN_SETTINGS } from './scan'
import type { ScanSetting } from './scan'
import { patchSpec, shapeOf, specsEqual } from './spec'
import type { MetadataPatch, PvSpec } from './spec'
import {
  emptyValue,
  fromNative,
  isScalarNumeric,
  NATIVE_TYPE_OF,
  sameValue,
  toJsValue,
  toNativeValue,
  toPutterValue,
  ValueError,
} from './values'
import type { ValueShape } from './values'

export interface WriteOptions {
  /** Absent = an internal write from a hook or the app. */
  readonly client?: ClientIdentity
  /** Default true: control limits and the putter hook; false bypasses both (caproto's verify_value=False). */
  readonly verifyValue?: boolean
  /** EPICS-epoch seconds and nanoseconds, or a number of Unix seconds. Default: now. */
  readonly timestamp?: { readonly secondsPastEpoch: number; readonly nanoseconds: number } | number
  /** Explicit alarm: overrides limit evaluation (caproto write(status=, severity=)). One alone keeps the other. */
  readonly status?: number
  readonly severity?: number
}

export type PutterResult = { kind: 'accept' } | { kind: 'coerce'; value: unknown } | { kind: 'skip' }

export interface PvHooks {
  /**
   * Called for CA puts and internal writes with verifyValue !== false, with the value as a JavaScript value (an
   * enum as its label, like caproto). Throwing fails the put (ECA_PUTFAIL with the message) and raises a
   * WRITE/MAJOR alarm. Returning undefined accepts.
   */
  putter?(
    pv: IocPv,
    value: unknown,
    client: ClientIdentity | undefined,
  ): PutterResult | void | Promise<PutterResult | void>
  /** Called on every CA read; a result other than undefined is written (through the putter) before replying. */
  getter?(pv: IocPv, client: ClientIdentity | undefined): unknown
}

/** An operation on a PV as the traffic recorder sees it: a start, then an end with the same id. */
export interface PvActivity {
  readonly op: 'put' | 'get'
  readonly phase: 'start' | 'end'
  readonly id: number
  readonly pv: IocPv
  readonly client: ClientIdentity | undefined
  /** Milliseconds since the Unix epoch. */
  readonly time: number
  /** start of a put: the requested value as given (JavaScript or native). */
  readonly requested?: unknown
  /** end: the snapshot before the operation and, when a value was stored, after it. */
  readonly before?: PvSnapshot
  readonly after?: PvSnapshot
  /** end: ECA status and failure message. */
  readonly status?: number
  readonly message?: string
  /** end: 'skip' when the putter kept the old value. */
  readonly skipped?: boolean
  /** end: milliseconds spent in the putter or getter hook, when one ran. */
  readonly hookMs?: number
}

/** What a PV needs from the database that owns it. */
export interface PvHost {
  /** Rights from the access rules alone (the PV adds readOnly). */
  ruleAccessFor(pv: IocPv, client: ClientIdentity): AccessRights
  readonly activity: Emitter<PvActivity>
  /** The alarm group a PV with this spec belongs to (a fresh private one when `name` is undefined). */
  alarmGroup(name: string | undefined): AlarmGroup
  releaseAlarmGroup(group: AlarmGroup): void
  /** The spec changed in place (writeMetadata, a field write, or a redefinition). */
  specChanged(pv: IocPv, previous: PvSpec): void
}

/** Bits of `onDidChangeState`, for the channels derived from a PV (record fields, long-string views). */
export const PvChange = { VALUE: 1, ALARM: 2, SPEC: 4, SCAN: 8 } as const

/** A channel derived from a PV (a record field or a `$` view), disposed with it. */
export interface DerivedChannel extends ServedPv, Disposable {}

const OK: WriteOutcome = Object.freeze({ status: Eca.NORMAL })

let nextActivityId = 1

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function failure(status: number, message: string): WriteOutcome {
  return Object.freeze({ status, message })
}

export interface EpicsTime {
  readonly secondsPastEpoch: number
  readonly nanoseconds: number
}

export function epicsNow(): EpicsTime {
  return epicsTimeOf((performance.timeOrigin + performance.now()) / 1000)
}

export function epicsTimeOf(unixSeconds: number): EpicsTime {
  const whole = Math.floor(unixSeconds)
  const nanoseconds = Math.min(999_999_999, Math.round((unixSeconds - whole) * 1e9))
  return { secondsPastEpoch: whole - EPICS_EPOCH_OFFSET_SECONDS, nanoseconds }
}

function timestampOf(stamp: WriteOptions['timestamp']): EpicsTime {
  if (typeof stamp === 'number') {
    if (!Number.isFinite(stamp)) throw new ValueError(`timestamp: ${stamp} is not a time`)
    return epicsTimeOf(stamp)
  }
  const { secondsPastEpoch, nanoseconds } = stamp!
  if (!Number.isInteger(secondsPastEpoch) || secondsPastEpoch < 0 || secondsPastEpoch > 0xffffffff) {
    throw new ValueError(`timestamp: secondsPastEpoch ${secondsPastEpoch} is not an EPICS time`)
  }
  if (!Number.isInteger(nanoseconds) || nanoseconds < 0 || nanoseconds > 999_999_999) {
    throw new ValueError(`timestamp: nanoseconds ${nanoseconds} is not in 0..999999999`)
  }
  return { secondsPastEpoch, nanoseconds }
}

/** The new unacknowledged severity after the alarm severity became `severity` (rsrv's ACKS rules). */
function acknowledgeAfter(previous: PvSnapshot, severity: number): number {
  if (severity > previous.unacknowledgedSeverity) return severity
  if (!previous.acknowledgeTransient && severity < previous.unacknowledgedSeverity) return severity
  return previous.unacknowledgedSeverity
}

interface Trace {
  readonly op: 'put' | 'get'
  readonly id: number
  readonly client: ClientIdentity | undefined
  readonly before: PvSnapshot
  hookMs?: number
}

export class IocPv implements ServedPv, AlarmMember {
  readonly name: string
  readonly nativeType: NativeType
  readonly maxCount: number

  private currentSpec: PvSpec
  private shape: ValueShape
  private scalarNumeric: boolean
  private limitConfig: LimitAlarmConfig | undefined
  private current: PvSnapshot
  private group: AlarmGroup
  private hooks: PvHooks | undefined
  private scanSetting: ScanSetting = SCAN_SETTINGS[0]
  private disposed = false
  /** The limit in alarm after the last evaluation, for hysteresis (rsrv's LALM). */
  private lastLimit: AlarmLimitName | undefined
  /** Last values posted with DBE_VALUE and DBE_LOG (numbers for scalars, stored values otherwise). */
  private lastMonitor = Number.NaN
  private lastArchive = Number.NaN
  private lastMonitorValue: PvValue | undefined
  private lastArchiveValue: PvValue | undefined
  private jsValueOf: PvValue | undefined
  private jsValue: unknown
  private readonly derived = new Map<string, DerivedChannel>()

  private readonly posted = new Emitter<PvPost>()
  private readonly accessChanged = new Emitter<void>()
  private readonly removed = new Emitter<void>()
  private readonly valueChanged = new Emitter<PvSnapshot>()
  private readonly stateChanged = new Emitter<number>()
  private readonly scanChanged = new Emitter<ScanSetting>()

  readonly onDidPost: Event<PvPost> = this.posted.event
  readonly onDidChangeAccess: Event<void> = this.accessChanged.event
  readonly onDidRemove: Event<void> = this.removed.event
  /** Every new snapshot: a stored write, an alarm change, a metadata change. */
  readonly onDidChangeValue: Event<PvSnapshot> = this.valueChanged.event
  /** PvChange bits; used by derived channels (record fields) to refresh. */
  readonly onDidChangeState: Event<number> = this.stateChanged.event
  /** The SCAN selection changed (a .SCAN put or setScan); the Python layer adjusts the scan loop. */
  readonly onDidChangeScan: Event<ScanSetting> = this.scanChanged.event

  /** `spec` must come from validateSpec. */
  constructor(
    spec: PvSpec,
    private readonly host: PvHost,
  ) {
    this.name = spec.name
    this.currentSpec = spec
    this.shape = shapeOf(spec)
    this.nativeType = NATIVE_TYPE_OF[spec.type]
    this.maxCount = this.shape.maxLength
    this.scalarNumeric = isScalarNumeric(this.shape)
    this.limitConfig = limitAlarmConfigOf(spec)

    let value: PvValue
    let status: number
    let severity: number
    let stamp: EpicsTime = { secondsPastEpoch: 0, nanoseconds: 0 }
    if (spec.value === undefined) {
      value = emptyValue(this.shape)
      status = AlarmStatus.UDF
      severity = spec.udfSeverity ?? AlarmSeverity.INVALID
    } else {
      value = toNativeValue(this.shape, spec.value)
      stamp = epicsNow()
      const alarm = this.valueAlarm(value)
      status = alarm.status
      severity = alarm.severity
      this.rememberPosted(value)
    }
    this.group = host.alarmGroup(spec.alarmGroup)
    this.group.join(this, status, severity)
    this.current = Object.freeze({
      type: this.nativeType,
      value,
      status: this.group.status,
      severity: this.group.severity,
      secondsPastEpoch: stamp.secondsPastEpoch,
      nanoseconds: stamp.nanoseconds,
      acknowledgeTransient: true,
      unacknowledgedSeverity: this.group.severity,
      metadata: metadataOf(spec),
    })
  }

  get spec(): PvSpec {
    return this.currentSpec
  }

  get snapshot(): PvSnapshot {
    return this.current
  }

  /** JavaScript view of the current value: scalar or array, enum as index, long string as text. */
  get value(): unknown {
    const value = this.current.value
    if (this.jsValueOf !== value) {
      this.jsValue = toJsValue(this.shape, value)
      this.jsValueOf = value
    }
    return this.jsValue
  }

  get status(): number {
    return this.current.status
  }

  get severity(): number {
    return this.current.severity
  }

  /** Unix seconds of the current timestamp (0 while never written). */
  get timestamp(): number {
    const { secondsPastEpoch, nanoseconds } = this.current
    if (secondsPastEpoch === 0 && nanoseconds === 0) return 0
    return secondsPastEpoch + EPICS_EPOCH_OFFSET_SECONDS + nanoseconds / 1e9
  }

  get scan(): ScanSetting {
    return this.scanSetting
  }

  get isRemoved(): boolean {
    return this.disposed
  }

  get hasHooks(): boolean {
    return this.hooks !== undefined
  }

  setHooks(hooks: PvHooks): Disposable {
    this.hooks = hooks
    return {
      dispose: () => {
        if (this.hooks === hooks) this.hooks = undefined
      },
    }
  }

  // ---- ServedPv ----

  accessFor(client: ClientIdentity): AccessRights {
    const rights = this.host.ruleAccessFor(this, client)
    return this.currentSpec.readOnly ? rights & AccessRights.READ : rights
  }

  /** Rights from the access rules alone: `readOnly` covers the value, not the record's settings fields. */
  ruleAccessFor(client: ClientIdentity): AccessRights {
    return this.host.ruleAccessFor(this, client)
  }

  read(client: ClientIdentity): PvSnapshot | Promise<PvSnapshot> {
    const getter = this.hooks?.getter
    if (!getter || this.disposed) return this.current
    return this.runGetter(getter, client)
  }

  write(client: ClientIdentity, value: PvValue): WriteOutcome | Promise<WriteOutcome> {
    if ((this.accessFor(client) & AccessRights.WRITE) === 0) {
      return failure(Eca.NOWTACCESS, `${this.name} is not writable for ${client.userName || 'this client'}`)
    }
    // A count-0 put to a scalar changes nothing and is no error (rsrv 7.0).
    if (value.length === 0 && this.maxCount === 1) return OK
    return this.runPut(value, true, { client })
  }

  acknowledge(_client: ClientIdentity, kind: 'transient' | 'severity', value: number): WriteOutcome {
    const previous = this.current
    let acknowledgeTransient = previous.acknowledgeTransient
    let unacknowledged = previous.unacknowledgedSeverity
    if (kind === 'transient') {
      acknowledgeTransient = value !== 0
      if (!acknowledgeTransient && unacknowledged > previous.severity) unacknowledged = previous.severity
    } else if (value >= unacknowledged) unacknowledged = 0
    if (
      acknowledgeTransient === previous.acknowledgeTransient &&
      unacknowledged === previous.unacknowledgedSeverity
    ) {
      return OK
    }
    this.replaceSnapshot(
      { ...previous, acknowledgeTransient, unacknowledgedSeverity: unacknowledged },
      EventMask.ALARM,
      PvChange.ALARM,
    )
    return OK
  }

  // ---- writes ----

  /** The one write pipeline for CA and internal writes; resolves when the value is stored (or refused). */
  put(value: unknown, options: WriteOptions = {}): Promise<WriteOutcome> {
    return Promise.resolve(this.runPut(value, false, options))
  }

  /**
   * The same pipeline, synchronous when no hook awaits (the Python layer finishes non-suspending coroutines
   * synchronously and uses this to avoid a Promise per write).
   */
  putNow(value: unknown, options: WriteOptions = {}): WriteOutcome | Promise<WriteOutcome> {
    return this.runPut(value, false, options)
  }

  /** Re-processes: writes the current value again through the pipeline (what a .PROC put does). */
  process(client?: ClientIdentity): WriteOutcome | Promise<WriteOutcome> {
    return this.runPut(this.current.value, true, { client })
  }

  /** Sets the alarm of this PV's alarm group (caproto's instance.alarm.write); posts DBE_ALARM where it changed. */
  setAlarm(status: number, severity: number): void {
    if (!isAlarmStatus(status)) throw new RangeError(`${this.name}: ${status} is not an alarm status 0..21`)
    if (!isAlarmSeverity(severity)) throw new RangeError(`${this.name}: ${severity} is not a severity 0..3`)
    if (this.group.set(status, severity, this)) this.alarmChangedByGroup()
  }

  /**
   * Changes metadata (units, precision, limits, enum strings, description, deadbands, readOnly, alarm group…).
   * Limit objects merge key by key (a key set to undefined removes that limit). Posts DBE_PROPERTY when what the
   * GR/CTRL types carry changed. Throws SpecError naming the field for invalid values.
   */
  writeMetadata(patch: MetadataPatch): void {
    const spec = patchSpec(this.currentSpec, patch)
    if (!specsEqual(spec, this.currentSpec)) this.applySpec(spec)
  }

  setScan(value: number | string): void {
    const setting = scanSettingOf(value)
    if (setting === this.scanSetting) return
    this.scanSetting = setting
    this.scanChanged.fire(setting)
    this.stateChanged.fire(PvChange.SCAN)
  }

  // ---- used by the database ----

  /** Takes a new validated spec with the same name, type and size (PvDatabase.define of a changed spec). */
  applySpec(spec: PvSpec): void {
    if (this.disposed) throw new Error(`${this.name} was removed from the database`)
    const previous = this.currentSpec
    this.currentSpec = spec
    this.shape = shapeOf(spec)
    this.limitConfig = limitAlarmConfigOf(spec)
    if (previous.alarmGroup !== spec.alarmGroup) this.moveToGroup(spec.alarmGroup)
    const metadata = metadataOf(spec)
    if (!sameMetadata(metadata, this.current.metadata)) {
      this.replaceSnapshot({ ...this.current, metadata }, EventMask.PROPERTY, PvChange.SPEC)
    } else this.stateChanged.fire(PvChange.SPEC)
    if (previous.readOnly !== spec.readOnly) this.accessChanged.fire()
    if (previous.recordType !== undefined && spec.recordType === undefined) this.disposeDerived()
    this.host.specChanged(this, previous)
  }

  /** The derived channel cached under `key`, created on first use. */
  derivedChannel(key: string, create: () => DerivedChannel | undefined): DerivedChannel | undefined {
    let channel = this.derived.get(key)
    if (!channel && !this.disposed) {
      channel = create()
      if (channel) this.derived.set(key, channel)
    }
    return channel
  }

  /** The access rules changed: channels re-evaluate their rights. */
  accessRulesChanged(): void {
    this.accessChanged.fire()
  }

  /** Removed from the database: channels get SERVER_DISCONN, listeners are dropped, later writes fail. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.disposeDerived()
    this.group.leave(this)
    this.host.releaseAlarmGroup(this.group)
    this.hooks = undefined
    this.removed.fire()
    for (const emitter of [
      this.posted,
      this.accessChanged,
      this.removed,
      this.valueChanged,
      this.stateChanged,
      this.scanChanged,
    ]) {
      emitter.dispose()
    }
  }

  alarmChangedByGroup(): void {
    const previous = this.current
    const { status, severity } = this.group
    if (previous.status === status && previous.severity === severity) return
    this.replaceSnapshot(
      { ...previous, status, severity, unacknowledgedSeverity: acknowledgeAfter(previous, severity) },
      EventMask.ALARM,
      PvChange.ALARM,
    )
  }

  // ---- internals ----

  private runPut(
    input: unknown,
    native: boolean,
    options: WriteOptions,
  ): WriteOutcome | Promise<WriteOutcome> {
    const trace = this.host.activity.hasListeners ? this.begin('put', options.client, input) : undefined
    if (this.disposed)
      return this.end(trace, failure(Eca.PUTFAIL, `${this.name} was removed from the database`))
    let value: PvValue
    try {
      this.checkAlarmOptions(options)
      value = native ? fromNative(this.shape, input as PvValue) : toNativeValue(this.shape, input)
    } catch (error) {
      return this.end(trace, failure(Eca.PUTFAIL, `${this.name}: ${errorText(error)}`))
    }
    if (options.verifyValue === false) return this.storeAndEnd(trace, value, options)
    const limited = this.applyControlLimits(value)
    if (typeof limited === 'string') return this.end(trace, failure(Eca.PUTFAIL, limited))
    const putter = this.hooks?.putter
    if (!putter) return this.storeAndEnd(trace, limited, options)
    const started = performance.now()
    let result: PutterResult | void | Promise<PutterResult | void>
    try {
      result = putter(this, toPutterValue(this.shape, limited), options.client)
    } catch (error) {
      return this.putterFailed(trace, error, started)
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (resolved) => this.afterPutter(trace, limited, resolved, options, started),
        (error: unknown) => this.putterFailed(trace, error, started),
      )
    }
    return this.afterPutter(trace, limited, result, options, started)
  }

  private afterPutter(
    trace: Trace | undefined,
    value: PvValue,
    result: PutterResult | void,
    options: WriteOptions,
    started: number,
  ): WriteOutcome {
    if (trace) trace.hookMs = performance.now() - started
    if (this.disposed)
      return this.end(trace, failure(Eca.PUTFAIL, `${this.name} was removed from the database`))
    if (result === undefined || result === null || result.kind === 'accept')
      return this.storeAndEnd(trace, value, options)
    if (result.kind === 'skip') return this.end(trace, OK, true)
    if (result.kind !== 'coerce') {
      return this.putterFailed(
        trace,
        new Error(`putter returned ${JSON.stringify(result)}, not accept/coerce/skip`),
        started,
      )
    }
    let coerced: PvValue
    try {
      coerced = toNativeValue(this.shape, result.value, 'putter result')
    } catch (error) {
      return this.putterFailed(trace, error, started)
    }
    return this.storeAndEnd(trace, coerced, options)
  }

  private putterFailed(trace: Trace | undefined, error: unknown, started: number): WriteOutcome {
    if (trace) trace.hookMs = performance.now() - started
    if (!this.disposed) this.setAlarm(AlarmStatus.WRITE, AlarmSeverity.MAJOR)
    return this.end(trace, failure(Eca.PUTFAIL, `${this.name}: putter failed: ${errorText(error)}`))
  }

  private storeAndEnd(trace: Trace | undefined, value: PvValue, options: WriteOptions): WriteOutcome {
    let stamp: EpicsTime
    try {
      stamp = options.timestamp === undefined ? epicsNow() : timestampOf(options.timestamp)
    } catch (error) {
      return this.end(trace, failure(Eca.PUTFAIL, `${this.name}: ${errorText(error)}`))
    }
    this.store(value, stamp, options)
    return this.end(trace, OK)
  }

  private store(value: PvValue, stamp: EpicsTime, options: WriteOptions): void {
    const previous = this.current
    let status: number
    let severity: number
    if (options.status !== undefined || options.severity !== undefined) {
      status = options.status ?? previous.status
      severity = options.severity ?? previous.severity
      this.lastLimit = undefined
    } else {
      const alarm = this.valueAlarm(value)
      status = alarm.status
      severity = alarm.severity
    }
    let mask = this.deadbandMask(value)
    this.group.set(status, severity, this)
    let change: number = PvChange.VALUE
    if (status !== previous.status || severity !== previous.severity) {
      mask |= EventMask.ALARM
      change |= PvChange.ALARM
    }
    this.replaceSnapshot(
      {
        ...previous,
        value,
        status,
        severity,
        secondsPastEpoch: stamp.secondsPastEpoch,
        nanoseconds: stamp.nanoseconds,
        unacknowledgedSeverity: acknowledgeAfter(previous, severity),
      },
      mask,
      change,
    )
  }

  private replaceSnapshot(next: PvSnapshot, mask: number, change: number): void {
    const snapshot = Object.freeze(next)
    this.current = snapshot
    if (mask !== 0 && this.posted.hasListeners) this.posted.fire({ snapshot, mask })
    if (this.valueChanged.hasListeners) this.valueChanged.fire(snapshot)
    if (this.stateChanged.hasListeners) this.stateChanged.fire(change)
  }

  /** Value alarm from the limits (scalar numeric PVs), else NO_ALARM; a first value also clears UDF. */
  private valueAlarm(value: PvValue): { status: number; severity: number } {
    if (this.limitConfig && this.scalarNumeric) {
      const alarm = evaluateLimitAlarm(value[0] as number, this.limitConfig, this.lastLimit)
      this.lastLimit = alarm.limit
      return alarm
    }
    this.lastLimit = undefined
    return NO_LIMIT_ALARM
  }

  private deadbandMask(value: PvValue): number {
    const mdel = this.currentSpec.monitorDeadband ?? 0
    const adel = this.currentSpec.archiveDeadband ?? 0
    let mask = 0
    if (this.scalarNumeric) {
      const number = value[0] as number
      if (passesDeadband(mdel, this.lastMonitor, number)) {
        mask |= EventMask.VALUE
        this.lastMonitor = number
      }
      if (passesDeadband(adel, this.lastArchive, number)) {
        mask |= EventMask.LOG
        this.lastArchive = number
      }
      return mask
    }
    // Text and arrays post when they changed, or on every write with a negative deadband.
    if (mdel < 0 || this.lastMonitorValue === undefined || !sameValue(this.lastMonitorValue, value)) {
      mask |= EventMask.VALUE
      this.lastMonitorValue = value
    }
    if (adel < 0 || this.lastArchiveValue === undefined || !sameValue(this.lastArchiveValue, value)) {
      mask |= EventMask.LOG
      this.lastArchiveValue = value
    }
    return mask
  }

  private rememberPosted(value: PvValue): void {
    if (this.scalarNumeric) {
      this.lastMonitor = value[0] as number
      this.lastArchive = value[0] as number
    } else {
      this.lastMonitorValue = value
      this.lastArchiveValue = value
    }
  }

  /** Applies control limits to numeric values: the clamped value, or an error message when rejecting. */
  private applyControlLimits(value: PvValue): PvValue | string {
    const limits = this.currentSpec.controlLimits
    if (!limits || (limits.low === undefined && limits.high === undefined)) return value
    const numbers = value as Exclude<PvValue, readonly string[]>
    const low = limits.low ?? -Infinity
    const high = limits.high ?? Infinity
    let clamped: typeof numbers | undefined
    for (let i = 0; i < numbers.length; i++) {
      const x = numbers[i]
      if (x >= low && x <= high) continue
      if (Number.isNaN(x)) return `${this.name}: NaN is outside the control limits`
      if (limits.mode !== 'clamp') {
        return `${this.name}: ${x} is ${x < low ? 'below' : 'above'} the control limit ${x < low ? low : high}`
      }
      clamped ??= numbers.slice()
      clamped[i] = x < low ? low : high
    }
    return clamped ?? value
  }

  private checkAlarmOptions(options: WriteOptions): void {
    if (options.status !== undefined && !isAlarmStatus(options.status)) {
      throw new ValueError(`status: ${options.status} is not an alarm status 0..21`)
    }
    if (options.severity !== undefined && !isAlarmSeverity(options.severity)) {
      throw new ValueError(`severity: ${options.severity} is not a severity 0..3`)
    }
  }

  private runGetter(
    getter: NonNullable<PvHooks['getter']>,
    client: ClientIdentity,
  ): PvSnapshot | Promise<PvSnapshot> {
    const trace = this.host.activity.hasListeners ? this.begin('get', client, undefined) : undefined
    const started = performance.now()
    let result: unknown
    try {
      result = getter(this, client)
    } catch (error) {
      return this.getterFailed(trace, error, started)
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (resolved) => this.afterGetter(trace, resolved, client, started),
        (error: unknown) => this.getterFailed(trace, error, started),
      )
    }
    return this.afterGetter(trace, result, client, started)
  }

  private afterGetter(
    trace: Trace | undefined,
    result: unknown,
    client: ClientIdentity,
    started: number,
  ): PvSnapshot | Promise<PvSnapshot> {
    if (trace) trace.hookMs = performance.now() - started
    if (result === undefined || result === null) {
      this.end(trace, OK)
      return this.current
    }
    const written = this.runPut(result, false, { client })
    const finish = (outcome: WriteOutcome): PvSnapshot => {
      this.end(trace, outcome)
      return this.current
    }
    return isPromiseLike(written) ? Promise.resolve(written).then(finish) : finish(written)
  }

  private getterFailed(trace: Trace | undefined, error: unknown, started: number): PvSnapshot {
    if (trace) trace.hookMs = performance.now() - started
    if (!this.disposed) this.setAlarm(AlarmStatus.READ, AlarmSeverity.MAJOR)
    this.end(trace, failure(Eca.GETFAIL, `${this.name}: getter failed: ${errorText(error)}`))
    return this.current
  }

  private begin(op: 'put' | 'get', client: ClientIdentity | undefined, requested: unknown): Trace {
    const id = nextActivityId++
    const before = this.current
    this.host.activity.fire({ op, phase: 'start', id, pv: this, client, time: Date.now(), requested })
    return { op, id, client, before }
  }

  private end(trace: Trace | undefined, outcome: WriteOutcome, skipped = false): WriteOutcome {
    if (trace) {
      const after = this.current
      this.host.activity.fire({
        op: trace.op,
        phase: 'end',
        id: trace.id,
        pv: this,
        client: trace.client,
        time: Date.now(),
        before: trace.before,
        after: after === trace.before ? undefined : after,
        status: outcome.status,
        message: outcome.message,
        skipped,
        hookMs: trace.hookMs,
      })
    }
    return outcome
  }

  private moveToGroup(name: string | undefined): void {
    this.group.leave(this)
    this.host.releaseAlarmGroup(this.group)
    this.group = this.host.alarmGroup(name)
    this.group.join(this, this.current.status, this.current.severity)
    this.alarmChangedByGroup()
  }

  private disposeDerived(): void {
    for (const channel of this.derived.values()) channel.dispose()
    this.derived.clear()
  }
}

/**
 * The value model shared by the wire codecs, the server and the IOC layer. A `PvSnapshot` is immutable: the
 * IOC layer makes a new one for every change, so the server can encode it once per (DBR type, count) and share
 * the bytes among every client that asks.
 */

/** Native (DBF) types a channel may declare on the wire: 0..6. */
export const NativeType = {
  STRING: 0,
  SHORT: 1,
  FLOAT: 2,
  ENUM: 3,
  CHAR: 4,
  LONG: 5,
  DOUBLE: 6,
} as const
export type NativeType = (typeof NativeType)[keyof typeof NativeType]

/**
 * Element storage per native type. Scalars are arrays of length 1; the array length is the current element
 * count (which may be below the channel's declared maximum).
 * STRING: string[] (each at most 39 bytes in latin-1 on the wire); SHORT: Int16Array; FLOAT: Float32Array;
 * ENUM: Uint16Array of state indices; CHAR: Uint8Array; LONG: Int32Array; DOUBLE: Float64Array.
 */
export type PvValue =
  readonly string[] | Int16Array | Float32Array | Uint16Array | Uint8Array | Int32Array | Float64Array

/** Display, alarm and control metadata as the GR/CTRL DBR families carry it. Shared between snapshots while unchanged. */
export interface PvMetadata {
  readonly units: string
  readonly precision: number
  readonly upperDisplayLimit: number
  readonly lowerDisplayLimit: number
  readonly upperAlarmLimit: number
  readonly upperWarningLimit: number
  readonly lowerWarningLimit: number
  readonly lowerAlarmLimit: number
  readonly upperControlLimit: number
  readonly lowerControlLimit: number
  /** ENUM state strings (at most 16, each at most 25 characters). Empty for other types. */
  readonly enumStrings: readonly string[]
  /** Record type for DBR_CLASS_NAME, e.g. "ai". */
  readonly recordType: string
}

export interface PvSnapshot {
  readonly type: NativeType
  readonly value: PvValue
  /** Alarm status (0 NO_ALARM … 21 WRITE_ACCESS) and severity (0 NO_ALARM, 1 MINOR, 2 MAJOR, 3 INVALID). */
  readonly status: number
  readonly severity: number
  /** Seconds since the EPICS epoch (1990-01-01 UTC) and nanoseconds; 0/0 means never processed. */
  readonly secondsPastEpoch: number
  readonly nanoseconds: number
  /** Alarm acknowledgement state for DBR_STSACK_STRING. */
  readonly acknowledgeTransient: boolean
  readonly unacknowledgedSeverity: number
  readonly metadata: PvMetadata
}

export const EMPTY_METADATA: PvMetadata = Object.freeze({
  units: '',
  precision: 0,
  upperDisplayLimit: 0,
  lowerDisplayLimit: 0,
  upperAlarmLimit: 0,
  upperWarningLimit: 0,
  lowerWarningLimit: 0,
  lowerAlarmLimit: 0,
  upperControlLimit: 0,
  lowerControlLimit: 0,
  enumStrings: Object.freeze([]) as readonly string[],
  recordType: '',
})

/** Seconds between the Unix epoch and the EPICS epoch (1990-01-01T00:00:00Z). */
export const EPICS_EPOCH_OFFSET_SECONDS = 631_152_000

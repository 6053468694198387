/**
 * The record fields a PV with a `recordType` serves as `NAME.FIELD` channels, and how each is wired to the PV.
 * Names and types follow the EPICS record reference (ai/ao/bi/bo/mbbi/mbbo/waveform) so clients and displays
 * find what they expect; unlike caproto's mock records the fields are live views of the PV: .EGU is the units,
 * .HOPR/.LOPR the display limits, .DRVH/.DRVL the control limits, .PROC re-processes.
 *
 * A limit and its severity follow EPICS: an unset limit reads 0 with severity NO_ALARM; writing a limit
 * enables it, writing NaN removes it; a severity of NO_ALARM turns the limit off but keeps its value.
 *
 * A read-only PV (caproto's `read_only`) refuses writes to its value, so to .PROC too (it writes the value
 * again); its other fields (.DESC, .SCAN, .EGU, limits…) stay writable, as caproto's read_only covers the value
 * only. Access rules apply to every field.
 */
import type { ClientIdentity, WriteOutcome } from '../ca/server/provider'
import { NativeType } from '../ca/wire/snapshot'
import { ALARM_SEVERITY_STRINGS, ALARM_STATUS_STRINGS } from './alarm'
import { DEFAULT_SEVERITIES } from './metadata'
import { PvChange } from './pv'
import type { IocPv } from './pv'
import { SCAN_MENU } from './scan'
import type { AlarmLimits, MetadataPatch, PvSpec } from './spec'
import { isNumericType, MAX_ENUM_STATES } from './values'

export type FieldValue = number | string

export interface FieldDefinition {
  readonly name: string
  readonly type: NativeType
  /** State strings of an ENUM (menu) field. */
  readonly menu?: readonly string[]
  /** PvChange bits after which the field's value may differ. */
  readonly dependsOn: number
  /** Numeric fields that carry the PV's units and precision in GR/CTRL reads (limits, deadbands). */
  readonly withUnits?: boolean
  /** Which PVs have the field (all of them when absent). */
  readonly appliesTo?: (spec: PvSpec) => boolean
  read(pv: IocPv): FieldValue
  /** Absent for read-only fields. Throwing fails the put with the message (ECA_PUTFAIL). */
  write?(pv: IocPv, value: FieldValue, client: ClientIdentity): WriteOutcome | Promise<WriteOutcome> | void
  /** The write stores the PV's value, so a read-only PV refuses it like a put to the PV itself. */
  readonly writesValue?: boolean
}

const isNumericPv = (spec: PvSpec): boolean => isNumericType(spec.type) && !spec.longString
const isEnumPv = (spec: PvSpec): boolean => spec.type === 'ENUM'

function numberOf(value: FieldValue): number {
  return typeof value === 'number' ? value : Number(value)
}

/** NaN from a client means "no limit". */
function limitOf(value: FieldValue): number | undefined {
  const number = numberOf(value)
  return Number.isNaN(number) ? undefined : number
}

type PairName = 'displayLimits' | 'controlLimits'

/** A limit in the PV's units (.HOPR, .HIHI...): a DOUBLE field only numeric PVs have. */
function limitField(
  name: string,
  read: FieldDefinition['read'],
  write: FieldDefinition['write'],
): FieldDefinition {
  return {
    name,
    type: NativeType.DOUBLE,
    dependsOn: PvChange.SPEC,
    withUnits: true,
    appliesTo: isNumericPv,
    read,
    write,
  }
}

function pairField(name: string, pair: PairName, end: 'low' | 'high'): FieldDefinition {
  return limitField(
    name,
    (pv) => pv.spec[pair]?.[end] ?? 0,
    (pv, value) => pv.writeMetadata({ [pair]: { [end]: limitOf(value) } } as MetadataPatch),
  )
}

type AlarmLimitName = 'hihi' | 'high' | 'low' | 'lolo'
const SEVERITY_KEY = {
  hihi: 'hihiSeverity',
  high: 'highSeverity',
  low: 'lowSeverity',
  lolo: 'loloSeverity',
} as const satisfies Record<AlarmLimitName, keyof AlarmLimits>

function alarmLimitField(name: string, limit: AlarmLimitName): FieldDefinition {
  return limitField(
    name,
    (pv) => pv.spec.alarmLimits?.[limit] ?? 0,
    (pv, value) => pv.writeMetadata({ alarmLimits: { [limit]: limitOf(value) } }),
  )
}

function severityField(name: string, limit: AlarmLimitName): FieldDefinition {
  const key = SEVERITY_KEY[limit]
  return {
    name,
    type: NativeType.ENUM,
    menu: ALARM_SEVERITY_STRINGS,
    dependsOn: PvChange.SPEC,
    appliesTo: isNumericPv,
    read: (pv) => {
      const alarms = pv.spec.alarmLimits
      return alarms?.[limit] === undefined ? 0 : (alarms[key] ?? DEFAULT_SEVERITIES[key])
    },
    write: (pv, value) => {
      const severity = numberOf(value)
      const alarms = pv.spec.alarmLimits
      // As in EPICS, giving a severity to an unset limit enables that limit at 0.
      const patch: Record<string, number> = { [key]: severity }
      if (severity > 0 && alarms?.[limit] === undefined) patch[limit] = 0
      pv.writeMetadata({ alarmLimits: patch })
    },
  }
}

function enumStateField(name: string, state: number): FieldDefinition {
  return {
    name,
    type: NativeType.STRING,
    dependsOn: PvChange.SPEC,
    appliesTo: isEnumPv,
    read: (pv) => pv.spec.enumStrings?.[state] ?? '',
    write: (pv, value) => {
      const states = [...(pv.spec.enumStrings ?? [])]
      while (states.length <= state) states.push('')
      states[state] = String(value)
      while (states.length > 0 && states[states.length - 1] === '') states.pop()
      pv.writeMetadata({ enumStrings: states })
    },
  }
}

function numberSetting(name: string, key: 'monitorDeadband' | 'archiveDeadband'): FieldDefinition {
  return {
    name,
    type: NativeType.DOUBLE,
    dependsOn: PvChange.SPEC,
    withUnits: true,
    read: (pv) => pv.spec[key] ?? 0,
    write: (pv, value) => pv.writeMetadata({ [key]: numberOf(value) }),
  }
}

const MBB_STATE_FIELDS = [
  'ZRST',
  'ONST',
  'TWST',
  'THST',
  'FRST',
  'FVST',
  'SXST',
  'SVST',
  'EIST',
  'NIST',
  'TEST',
  'ELST',
  'TVST',
  'TTST',
  'FTST',
  'FFST',
]

const DEFINITIONS: readonly FieldDefinition[] = [
  { name: 'NAME', type: NativeType.STRING, dependsOn: 0, read: (pv) => pv.name },
  { name: 'RTYP', type: NativeType.STRING, dependsOn: PvChange.SPEC, read: (pv) => pv.spec.recordType ?? '' },
  {
    name: 'DESC',
    type: NativeType.STRING,
    dependsOn: PvChange.SPEC,
    read: (pv) => pv.spec.description ?? '',
    write: (pv, value) => pv.writeMetadata({ description: String(value) }),
  },
  {
    name: 'STAT',
    type: NativeType.ENUM,
    menu: ALARM_STATUS_STRINGS,
    dependsOn: PvChange.ALARM,
    read: (pv) => pv.status,
  },
  {
    name: 'SEVR',
    type: NativeType.ENUM,
    menu: ALARM_SEVERITY_STRINGS,
    dependsOn: PvChange.ALARM,
    read: (pv) => pv.severity,
  },
  {
    name: 'SCAN',
    type: NativeType.ENUM,
    menu: SCAN_MENU,
    dependsOn: PvChange.SCAN,
    read: (pv) => pv.scan.index,
    write: (pv, value) => pv.setScan(typeof value === 'string' ? value : numberOf(value)),
  },
  {
    name: 'PROC',
    type: NativeType.CHAR,
    dependsOn: 0,
    read: () => 0,
    write: (pv, _value, client) => pv.process(client),
    writesValue: true,
  },
  { name: 'NELM', type: NativeType.LONG, dependsOn: 0, read: (pv) => pv.maxCount },
  { name: 'NORD', type: NativeType.LONG, dependsOn: PvChange.VALUE, read: (pv) => pv.snapshot.value.length },
  numberSetting('MDEL', 'monitorDeadband'),
  numberSetting('ADEL', 'archiveDeadband'),
  {
    name: 'EGU',
    type: NativeType.STRING,
    dependsOn: PvChange.SPEC,
    appliesTo: isNumericPv,
    read: (pv) => pv.spec.units ?? '',
    write: (pv, value) => pv.writeMetadata({ units: String(value) }),
  },
  {
    name: 'PREC',
    type: NativeType.SHORT,
    dependsOn: PvChange.SPEC,
    appliesTo: isNumericPv,
    read: (pv) => pv.spec.precision ?? 0,
    write: (pv, value) => pv.writeMetadata({ precision: numberOf(value) }),
  },
  pairField('HOPR', 'displayLimits', 'high'),
  pairField('LOPR', 'displayLimits', 'low'),
  pairField('DRVH', 'controlLimits', 'high'),
  pairField('DRVL', 'controlLimits', 'low'),
  alarmLimitField('HIHI', 'hihi'),
  alarmLimitField('HIGH', 'high'),
  alarmLimitField('LOW', 'low'),
  alarmLimitField('LOLO', 'lolo'),
  severityField('HHSV', 'hihi'),
  severityField('HSV', 'high'),
  severityField('LSV', 'low'),
  severityField('LLSV', 'lolo'),
  {
    name: 'HYST',
    type: NativeType.DOUBLE,
    dependsOn: PvChange.SPEC,
    withUnits: true,
    appliesTo: isNumericPv,
    read: (pv) => pv.spec.alarmLimits?.hysteresis ?? 0,
    write: (pv, value) => pv.writeMetadata({ alarmLimits: { hysteresis: numberOf(value) } }),
  },
  enumStateField('ZNAM', 0),
  enumStateField('ONAM', 1),
  ...MBB_STATE_FIELDS.slice(0, MAX_ENUM_STATES).map((name, state) => enumStateField(name, state)),
]

const BY_NAME = new Map(DEFINITIONS.map((definition) => [definition.name, definition]))

/** The field definition for `field` on `spec`'s PV, or undefined when that PV has no such field. */
export function fieldDefinition(spec: PvSpec, field: string): FieldDefinition | undefined {
  if (spec.recordType === undefined) return undefined
  const definition = BY_NAME.get(field)
  if (!definition || (definition.appliesTo && !definition.appliesTo(spec))) return undefined
  return definition
}

/** Every field name `spec`'s PV serves besides VAL (for listings and completion). */
export function fieldNames(spec: PvSpec): string[] {
  if (spec.recordType === undefined) return []
  return DEFINITIONS.filter((definition) => !definition.appliesTo || definition.appliesTo(spec)).map(
    (d) => d.name,
  )
}

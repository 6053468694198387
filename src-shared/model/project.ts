/**
 * The project document (`*.ioc.json`): what the GUI edits and saves, and what the exporter turns into a caproto
 * script. Written in the user's terms (description, units, limits that can be switched off) rather than
 * caproto's keywords; `codegen` maps one to the other.
 *
 * The shapes below are the single description of the format: the TypeScript types are inferred from them, the
 * loader validates with them and docs/project-schema.json is generated from them.
 */
import {
  anyOf,
  boolean,
  choice,
  dictionary,
  list,
  literal,
  named,
  number,
  object,
  optional,
  required,
  text,
} from './shape'
import type { Infer, Shape } from './shape'

export const FORMAT_VERSION = 1

/** Channel Access limits the runtime and caproto share. */
export const MAX_ENUM_STATES = 16
export const MAX_ENUM_STRING_LENGTH = 25
/** DBR_STRING holds 40 bytes: 39 characters and the terminator. */
export const MAX_STRING_LENGTH = 39
export const MAX_ARRAY_LENGTH = 16_777_216
/** DBR_GR/CTRL carry 8 bytes of units, terminator included. */
export const MAX_UNITS_LENGTH = 7
export const MAX_PRECISION = 17
export const DEFAULT_LONG_STRING_LENGTH = 256
export const DEFAULT_HOOK_TIME_LIMIT_MS = 2000

export const PV_TYPES = ['DOUBLE', 'FLOAT', 'LONG', 'SHORT', 'ENUM', 'STRING', 'LONG_STRING', 'CHAR'] as const
export type PvType = (typeof PV_TYPES)[number]

export const SEVERITIES = ['NO_ALARM', 'MINOR', 'MAJOR', 'INVALID'] as const
export type Severity = (typeof SEVERITIES)[number]

/** A Python identifier (ASCII). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
/** A pvproperty attribute: caproto ignores class attributes that start with '_'. */
export const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_]*$/

const identifier = text({ pattern: IDENTIFIER, patternMeaning: 'a Python identifier (letters, digits, _)' })
const attribute = text({
  pattern: ATTRIBUTE,
  patternMeaning: "a Python identifier that starts with a letter (caproto skips names starting with '_')",
})
const pythonCode = text()
const severity = choice(...SEVERITIES)

export const limitShape = named('limit', () =>
  object({
    enabled: required(boolean(), 'Whether the limit applies; a disabled limit keeps its value for later'),
    value: required(number(), 'The limit, in engineering units'),
  }),
)

export const alarmLimitShape = named('alarmLimit', () =>
  object({
    enabled: required(boolean(), 'Whether the limit raises an alarm'),
    value: required(number(), 'The limit, in engineering units'),
    severity: optional(
      severity,
      'Severity when the value is beyond the limit (default: MAJOR for LOLO/HIHI, MINOR for LOW/HIGH)',
    ),
  }),
)

const displayLimits = object({
  low: optional(limitShape, 'Lower display limit (LOPR)'),
  high: optional(limitShape, 'Upper display limit (HOPR)'),
})

const controlLimits = object({
  low: optional(limitShape, 'Lowest value a put may set (DRVL)'),
  high: optional(limitShape, 'Highest value a put may set (DRVH)'),
  mode: optional(
    choice('reject', 'clamp'),
    "What a put outside the control limits does: 'reject' it (the default) or 'clamp' it to the limit",
  ),
})

const alarmLimits = object({
  lolo: optional(alarmLimitShape, 'LOLO: alarm at or below this value'),
  low: optional(alarmLimitShape, 'LOW: warning at or below this value'),
  high: optional(alarmLimitShape, 'HIGH: warning at or above this value'),
  hihi: optional(alarmLimitShape, 'HIHI: alarm at or above this value'),
  hysteresis: optional(
    number({ minimum: 0 }),
    'HYST: an alarm clears only once the value is this far back inside the limit',
  ),
})

export const scanHookShape = named('scanHook', () =>
  object({
    body: required(pythonCode, 'Body of `async def <pv>(self, instance, async_lib)`, called every period'),
    period: required(
      number({ exclusiveMinimum: 0 }),
      'Seconds between calls (the initial rate with useScanField)',
    ),
    subtractElapsed: optional(boolean(), 'Subtract the time the hook took from the wait (default true)'),
    stopOnError: optional(boolean(), 'Stop scanning after an exception (default false: raise a SCAN alarm)'),
    failureSeverity: optional(severity, 'Severity of the SCAN alarm after an exception (default MAJOR)'),
    useScanField: optional(boolean(), 'Let clients change the rate through .SCAN (needs a recordType)'),
  }),
)

const hooks = object({
  putter: optional(
    pythonCode,
    'Body of `async def <pv>(self, instance, value)`: runs on every put; return a value to replace it, ' +
      'raise SkipWrite to keep the old one',
  ),
  getter: optional(
    pythonCode,
    'Body of `async def <pv>(self, instance)`: runs on every read; a returned value is written first',
  ),
  startup: optional(
    pythonCode,
    'Body of `async def <pv>(self, instance, async_lib)`: a task started with the IOC',
  ),
  shutdown: optional(
    pythonCode,
    'Body of `async def <pv>(self, instance, async_lib)`: runs when the IOC stops',
  ),
  scan: optional(scanHookShape, 'A hook called periodically'),
})

const initialValue = anyOf<number | string | readonly number[] | readonly string[]>(
  'a number, text, or a list of numbers or of texts',
  number(),
  text(),
  list(number()),
  list(text()),
)

export const pvShape = named('pv', () =>
  object(
    {
      name: required(
        text({ minLength: 1 }),
        'PV name after the prefix; {macro} inserts a macro, {{ and }} are literal braces',
      ),
      attr: optional(
        attribute,
        'Python attribute name in the exported class (default: derived from the name)',
      ),
      type: required(
        choice(...PV_TYPES),
        'DOUBLE, FLOAT, LONG (32-bit), SHORT (16-bit), ENUM, STRING (up to 39 characters), ' +
          'LONG_STRING (text as a CHAR array) or CHAR (bytes)',
      ),
      maxLength: optional(
        number({ integer: true, minimum: 1, maximum: MAX_ARRAY_LENGTH }),
        `Array capacity, or characters of a LONG_STRING (default 1; ${DEFAULT_LONG_STRING_LENGTH} for LONG_STRING)`,
      ),
      value: optional(initialValue, 'Initial value (an ENUM takes the state label); default zero or empty'),
      readOnly: optional(boolean(), 'Clients cannot write it (hooks still can)'),
      description: optional(text(), 'What the PV is; the class docstring line and .DESC'),
      recordType: optional(
        text({
          maxLength: 39,
          pattern: /^[A-Za-z][A-Za-z0-9_]*$/,
          patternMeaning: "a record type like 'ai'",
        }),
        "Record type reported as .RTYP (e.g. 'ai', 'bo'); makes record fields such as .EGU available",
      ),
      units: optional(text({ maxLength: MAX_UNITS_LENGTH, latin1: true }), 'Engineering units (.EGU)'),
      precision: optional(
        number({ integer: true, minimum: 0, maximum: MAX_PRECISION }),
        'Digits after the decimal point clients show (.PREC)',
      ),
      displayLimits: optional(displayLimits, 'Range clients display'),
      controlLimits: optional(controlLimits, 'Range a put may set'),
      alarmLimits: optional(alarmLimits, 'Alarm and warning limits with their severities'),
      enumStrings: optional(
        list(text({ maxLength: MAX_ENUM_STRING_LENGTH, latin1: true }), {
          maxItems: MAX_ENUM_STATES,
          itemsCalled: 'states',
        }),
        'State labels of an ENUM, index 0 first',
      ),
      monitorDeadband: optional(
        number(),
        'MDEL: post a value change to monitors only when it moves more than this (negative: every write)',
      ),
      archiveDeadband: optional(number(), 'ADEL: the same for archive (DBE_LOG) monitors'),
      alarmGroup: optional(
        text({ minLength: 1 }),
        'PVs of one group naming the same alarm group share one alarm; by default each PV has its own',
      ),
      udfSeverity: optional(
        severity,
        'Start undefined (UDF alarm of this severity) until first written; only without an initial value',
      ),
      autosave: optional(boolean(), 'Save the value beside the project and restore it on start'),
      hooks: optional(hooks, 'Python hooks, written as function bodies'),
    },
    'A process variable',
  ),
)

export type PvDefinition = Infer<typeof pvShape>
export type Limit = Infer<typeof limitShape>
export type AlarmLimit = Infer<typeof alarmLimitShape>
export type ScanHook = Infer<typeof scanHookShape>
export type PvHooks = NonNullable<PvDefinition['hooks']>
export type DisplayLimits = NonNullable<PvDefinition['displayLimits']>
export type ControlLimits = NonNullable<PvDefinition['controlLimits']>
export type AlarmLimits = NonNullable<PvDefinition['alarmLimits']>
export type InitialValue = NonNullable<PvDefinition['value']>

export interface SubGroupDefinition {
  readonly attr: string
  readonly className: string
  readonly prefix?: string
  readonly description?: string
  readonly pvs: readonly PvDefinition[]
  readonly subGroups?: readonly SubGroupDefinition[]
  readonly helpers?: string
}

export const subGroupShape: Shape<SubGroupDefinition> = named('subGroup', () =>
  object(
    {
      attr: required(attribute, 'Attribute name of the group in its parent class'),
      className: required(identifier, 'Python class name of the group'),
      prefix: optional(text(), "Added to its PVs' names (default: the attribute name and ':')"),
      description: optional(text(), 'The group class docstring'),
      pvs: required(list(pvShape), "The group's PVs"),
      subGroups: optional(list(subGroupShape), 'Groups nested in this one'),
      helpers: optional(pythonCode, "Python in the group's class body (methods, constants)"),
    },
    'A nested PVGroup (caproto SubGroup)',
  ),
)

const macroShape = object({
  name: required(identifier, 'Macro name: used as {name} in PV names and as --name on the command line'),
  default: optional(text(), 'Value when --name is not given; without a default the macro is required'),
})

const serverShape = object({
  name: required(text({ minLength: 1 }), 'Name of the IOC, shown in the app and in --help'),
  className: required(identifier, 'Python class name of the exported PVGroup'),
  description: optional(text(), 'What the IOC does: the class docstring and the --help description'),
  prefix: required(text(), 'Default prefix of every PV name (--prefix overrides it); may use {macros}'),
  macros: optional(list(macroShape), 'Macros the command line can set'),
  interfaces: optional(
    list(text({ minLength: 1 })),
    'Addresses to serve on (EPICS_CAS_INTF_ADDR_LIST); default all interfaces',
  ),
  serverPort: optional(
    number({ integer: true, minimum: 1, maximum: 65535 }),
    'UDP search and first TCP port (EPICS_CA_SERVER_PORT); default 5064',
  ),
  beaconPort: optional(
    number({ integer: true, minimum: 1, maximum: 65535 }),
    'Beacon destination port (EPICS_CAS_BEACON_PORT); default 5065',
  ),
  hookTimeLimitMs: optional(
    number({ integer: true, minimum: 10 }),
    `A hook running longer is interrupted (default ${DEFAULT_HOOK_TIME_LIMIT_MS} ms)`,
  ),
})

const codeShape = object({
  imports: optional(pythonCode, 'Module-level Python after the generated imports: imports, helper functions'),
  helpers: optional(pythonCode, 'Python in the IOC class body after the hooks (methods, constants)'),
  ainit: optional(
    pythonCode,
    'Body of `async def __ainit__(self, async_lib)`: runs once when the IOC starts, before the startup hooks',
  ),
})

const groupNames = list(text({ minLength: 1 }))

const accessRuleShape = object({
  pvPattern: required(
    text({ minLength: 1 }),
    'Glob over full PV names (prefix included): * any run of characters, ? one character',
  ),
  access: required(choice('NONE', 'READ', 'WRITE'), 'What the matching clients may do (WRITE includes READ)'),
  users: optional(groupNames, 'User groups the rule applies to (default: every user)'),
  hosts: optional(groupNames, 'Host groups the rule applies to (default: every host)'),
})

export const accessShape = object({
  userGroups: optional(
    dictionary({ minLength: 1 }, list(text())),
    'Named groups of user names (the CA client name)',
  ),
  hostGroups: optional(
    dictionary({ minLength: 1 }, list(text())),
    'Named groups of host names or IP addresses (compared lowercase)',
  ),
  rules: required(
    list(accessRuleShape),
    'A channel gets the most any matching rule grants; PVs no rule matches are READ/WRITE',
  ),
})

export const VERBATIM_PLACEMENTS = ['module', 'class', 'module-end'] as const

const verbatimShape = object({
  placement: required(
    choice(...VERBATIM_PLACEMENTS),
    "Where the code goes: 'module' after the imports, 'class' at the end of the IOC class, " +
      "'module-end' before the __main__ block",
  ),
  code: required(pythonCode, 'The code, exported exactly as written'),
  needsReview: required(boolean(), 'Shown as a problem until someone has looked at it (set by import)'),
  note: optional(text(), 'Why the code is kept verbatim'),
})

export const projectShape = object(
  {
    formatVersion: required(literal(FORMAT_VERSION), 'Version of this file format'),
    server: required(serverShape, 'Server settings'),
    pvs: required(list(pvShape), 'PVs of the IOC class, in the order they are exported'),
    subGroups: optional(list(subGroupShape), 'Nested PV groups'),
    code: optional(codeShape, 'Group-level Python'),
    access: optional(accessShape, 'Access rules in the spirit of an EPICS access security file'),
    verbatim: optional(list(verbatimShape), 'Code kept exactly as written (e.g. from an imported script)'),
  },
  'IOC Studio project',
)

export type Project = Infer<typeof projectShape>
export type ServerSettings = Project['server']
export type MacroDefinition = NonNullable<ServerSettings['macros']>[number]
export type GroupCode = NonNullable<Project['code']>
export type AccessSettings = NonNullable<Project['access']>
export type AccessRuleDefinition = AccessSettings['rules'][number]
export type VerbatimBlock = NonNullable<Project['verbatim']>[number]
export type VerbatimPlacement = (typeof VERBATIM_PLACEMENTS)[number]

/** Default severity of each alarm limit (as in an EPICS ai record). */
export const DEFAULT_ALARM_SEVERITY: Readonly<Record<'lolo' | 'low' | 'high' | 'hihi', Severity>> = {
  lolo: 'MAJOR',
  low: 'MINOR',
  high: 'MINOR',
  hihi: 'MAJOR',
}

export function isFloatType(type: PvType): boolean {
  return type === 'DOUBLE' || type === 'FLOAT'
}

export function isIntegerType(type: PvType): boolean {
  return type === 'LONG' || type === 'SHORT' || type === 'CHAR'
}

/** Types with units, limits and deadbands. */
export function isNumericType(type: PvType): boolean {
  return isFloatType(type) || isIntegerType(type)
}

/** Array capacity, with the default filled in. */
export function maxLengthOf(pv: PvDefinition): number {
  return pv.maxLength ?? (pv.type === 'LONG_STRING' ? DEFAULT_LONG_STRING_LENGTH : 1)
}

/** Numeric range of the integer types, for limits that must fit the wire type. */
export const INTEGER_RANGE: Readonly<Record<'LONG' | 'SHORT' | 'CHAR', readonly [number, number]>> = {
  LONG: [-2147483648, 2147483647],
  SHORT: [-32768, 32767],
  CHAR: [0, 255],
}

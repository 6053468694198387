/**
 * What the hook editor knows about caproto's server API: the members of the objects a hook receives
 * (`instance`, `self`, `async_lib`, a ThreadsafeQueue, `instance.alarm`) and the module names the generated
 * script imports. Completions and hover docs are built from this table and from the project's PV names; it is
 * plain data so it is tested without Monaco.
 */
import { ALARM_STATUS_NAMES } from '@shared/api/live'

export type ApiObject =
  'instance' | 'alarm' | 'self' | 'async_lib' | 'queue' | 'ChannelType' | 'AlarmSeverity' | 'AlarmStatus'

export interface ApiMember {
  readonly name: string
  readonly kind: 'method' | 'property' | 'class' | 'constant'
  /** How it is called or read, as it appears in code. */
  readonly signature: string
  readonly doc: string
  /** Text inserted on completion, in Monaco's snippet syntax; the name when absent. */
  readonly insert?: string
}

export const API_MEMBERS: Readonly<Record<ApiObject, readonly ApiMember[]>> = {
  instance: [
    {
      name: 'value',
      kind: 'property',
      signature: 'instance.value',
      doc: 'The current value (an ENUM gives its label). Reading it is a plain read; use write() to change it.',
    },
    {
      name: 'write',
      kind: 'method',
      signature:
        'await instance.write(value, *, verify_value=True, timestamp=None, status=None, severity=None)',
      doc:
        'Writes through the PV pipeline: limits, alarms, the putter, then monitors. Inside this PV’s own ' +
        'putter pass verify_value=False, or the putter runs again.',
      insert: 'write(${1:value})',
    },
    {
      name: 'write_metadata',
      kind: 'method',
      signature: 'await instance.write_metadata(*, units=None, precision=None, enum_strings=None, …limits)',
      doc: 'Changes units, precision, limits or enum strings at run time; clients get a DBE_PROPERTY event.',
      insert: 'write_metadata(${1:units=${2:"mm"}})',
    },
    {
      name: 'alarm',
      kind: 'property',
      signature: 'instance.alarm',
      doc: 'The PV’s alarm (shared with its alarm group): `await instance.alarm.write(status=…, severity=…)`.',
    },
    {
      name: 'timestamp',
      kind: 'property',
      signature: 'instance.timestamp',
      doc: 'Time of the last write, in seconds since the Unix epoch.',
    },
    {
      name: 'status',
      kind: 'property',
      signature: 'instance.status',
      doc: 'The alarm status (AlarmStatus).',
    },
    {
      name: 'severity',
      kind: 'property',
      signature: 'instance.severity',
      doc: 'The alarm severity (AlarmSeverity).',
    },
    {
      name: 'max_length',
      kind: 'property',
      signature: 'instance.max_length',
      doc: 'Array capacity (elements or characters); fixed for the life of the PV.',
    },
    {
      name: 'pvname',
      kind: 'property',
      signature: 'instance.pvname',
      doc: 'The full PV name, prefix included.',
    },
    { name: 'units', kind: 'property', signature: 'instance.units', doc: 'Engineering units (.EGU).' },
    {
      name: 'precision',
      kind: 'property',
      signature: 'instance.precision',
      doc: 'Display precision (.PREC).',
    },
    {
      name: 'enum_strings',
      kind: 'property',
      signature: 'instance.enum_strings',
      doc: 'State labels of an ENUM PV, index 0 first.',
    },
    {
      name: 'raw_value',
      kind: 'property',
      signature: 'instance.raw_value',
      doc: 'An ENUM’s value as its index.',
    },
    ...[
      ['upper_ctrl_limit', 'DRVH: highest value a put may set'],
      ['lower_ctrl_limit', 'DRVL: lowest value a put may set'],
      ['upper_disp_limit', 'HOPR: top of the display range'],
      ['lower_disp_limit', 'LOPR: bottom of the display range'],
      ['upper_alarm_limit', 'HIHI: MAJOR alarm at or above'],
      ['upper_warning_limit', 'HIGH: MINOR alarm at or above'],
      ['lower_warning_limit', 'LOW: MINOR alarm at or below'],
      ['lower_alarm_limit', 'LOLO: MAJOR alarm at or below'],
      ['value_atol', 'MDEL: monitor deadband'],
      ['log_atol', 'ADEL: archive deadband'],
    ].map(([name, doc]) => ({ name, kind: 'property' as const, signature: `instance.${name}`, doc })),
  ],
  alarm: [
    {
      name: 'write',
      kind: 'method',
      signature: 'await instance.alarm.write(*, status=None, severity=None, alarm_string=None)',
      doc: 'Sets the alarm of every PV in the alarm group; clients get a DBE_ALARM event.',
      insert: 'write(status=AlarmStatus.${1:STATE}, severity=AlarmSeverity.${2:MINOR_ALARM})',
    },
    { name: 'status', kind: 'property', signature: 'alarm.status', doc: 'Current AlarmStatus.' },
    { name: 'severity', kind: 'property', signature: 'alarm.severity', doc: 'Current AlarmSeverity.' },
    {
      name: 'alarm_string',
      kind: 'property',
      signature: 'alarm.alarm_string',
      doc: 'Free text shown with the alarm.',
    },
  ],
  self: [
    {
      name: 'prefix',
      kind: 'property',
      signature: 'self.prefix',
      doc: 'The prefix this IOC was started with (--prefix), prepended to every PV name.',
    },
    {
      name: 'macros',
      kind: 'property',
      signature: 'self.macros',
      doc: 'Macro values from the command line, by name.',
    },
    { name: 'pvdb', kind: 'property', signature: 'self.pvdb', doc: 'Every PV of the group by full name.' },
    {
      name: 'log',
      kind: 'property',
      signature: 'self.log',
      doc: 'A logging.Logger for this group; output goes to the Log panel.',
    },
  ],
  async_lib: [
    {
      name: 'sleep',
      kind: 'method',
      signature: 'await async_lib.sleep(seconds)',
      doc: 'Waits without blocking the server. Never call time.sleep() in a hook: it stalls every client.',
      insert: 'sleep(${1:1.0})',
    },
    {
      name: 'ThreadsafeQueue',
      kind: 'class',
      signature: 'async_lib.ThreadsafeQueue()',
      doc:
        'A queue between the server and plain threads: `await q.async_get()` / `await q.async_put(x)` in ' +
        'hooks, `q.put(x)` / `q.get()` from a thread. Create it inside a startup hook.',
      insert: 'ThreadsafeQueue()',
    },
    {
      name: 'Event',
      kind: 'class',
      signature: 'async_lib.Event()',
      doc: 'An asyncio.Event: `await e.wait()`, `e.set()`.',
      insert: 'Event()',
    },
    {
      name: 'library',
      kind: 'property',
      signature: 'async_lib.library',
      doc: 'The async library module (asyncio).',
    },
    {
      name: 'name',
      kind: 'property',
      signature: 'async_lib.name',
      doc: "The async library's name ('asyncio').",
    },
  ],
  queue: [
    {
      name: 'async_get',
      kind: 'method',
      signature: 'await queue.async_get()',
      doc: 'Waits for the next entry (in a hook). The Traffic view shows the queue depth.',
      insert: 'async_get()',
    },
    {
      name: 'async_put',
      kind: 'method',
      signature: 'await queue.async_put(entry)',
      doc: 'Adds an entry (in a hook).',
      insert: 'async_put(${1:entry})',
    },
    {
      name: 'put',
      kind: 'method',
      signature: 'queue.put(entry)',
      doc: 'Adds an entry from a plain thread; does not wait.',
      insert: 'put(${1:entry})',
    },
    {
      name: 'get',
      kind: 'method',
      signature: 'queue.get()',
      doc: 'Takes the next entry from a plain thread; blocks that thread.',
      insert: 'get()',
    },
  ],
  ChannelType: ['STRING', 'INT', 'LONG', 'FLOAT', 'DOUBLE', 'ENUM', 'CHAR'].map((name) => ({
    name,
    kind: 'constant' as const,
    signature: `ChannelType.${name}`,
    doc: `Channel Access native type DBR_${name === 'INT' ? 'SHORT' : name}.`,
  })),
  AlarmSeverity: ['NO_ALARM', 'MINOR_ALARM', 'MAJOR_ALARM', 'INVALID_ALARM'].map((name, index) => ({
    name,
    kind: 'constant' as const,
    signature: `AlarmSeverity.${name}`,
    doc: `Severity ${index}.`,
  })),
  AlarmStatus: ALARM_STATUS_NAMES.map((name, index) => ({
    name,
    kind: 'constant' as const,
    signature: `AlarmStatus.${name}`,
    doc: `Alarm status ${index} (menuAlarmStat).`,
  })),
}

/** Names a hook body can use without importing them (the generated script imports them). */
export const GLOBALS: readonly ApiMember[] = [
  {
    name: 'SkipWrite',
    kind: 'class',
    signature: 'raise SkipWrite',
    doc: 'In a putter: keep the old value and post nothing. The put still succeeds for the client.',
  },
  { name: 'ChannelType', kind: 'class', signature: 'ChannelType', doc: 'Channel Access native types.' },
  {
    name: 'AlarmSeverity',
    kind: 'class',
    signature: 'AlarmSeverity',
    doc: 'NO_ALARM, MINOR_ALARM, MAJOR_ALARM, INVALID_ALARM.',
  },
  {
    name: 'AlarmStatus',
    kind: 'class',
    signature: 'AlarmStatus',
    doc: 'Why a PV is in alarm (HIHI, STATE, WRITE…).',
  },
]

/** The arguments each kind of hook body receives, in order. */
export const HOOK_PARAMETERS = {
  putter: ['self', 'instance', 'value'],
  getter: ['self', 'instance'],
  startup: ['self', 'instance', 'async_lib'],
  shutdown: ['self', 'instance', 'async_lib'],
  scan: ['self', 'instance', 'async_lib'],
  ainit: ['self', 'async_lib'],
} as const

export type HookKind = keyof typeof HOOK_PARAMETERS

export const PARAMETER_DOCS: Readonly<Record<string, string>> = {
  self: 'The IOC (your PVGroup): `self.<pv>` is another PV of this IOC.',
  instance: 'This PV (caproto ChannelData): `instance.value`, `await instance.write(…)`.',
  value:
    'The value a client (or a write) is putting. Return a value to replace it, raise SkipWrite to refuse it.',
  async_lib: 'The async library layer: `await async_lib.sleep(s)`, `async_lib.ThreadsafeQueue()`.',
}

/**
 * The object a member access refers to, from the code just before the dot: `instance.` -> 'instance',
 * `self.rbv.` -> 'instance' (a PV), `self.put_queue.` -> 'queue', `instance.alarm.` -> 'alarm'.
 */
export function objectBeforeDot(expression: string, pvAttributes: ReadonlySet<string>): ApiObject | null {
  const parts = expression.split('.')
  const last = parts.at(-1) ?? ''
  if (parts.length === 1) {
    if (last === 'instance' || last === 'self' || last === 'async_lib') return last
    if (last === 'ChannelType' || last === 'AlarmSeverity' || last === 'AlarmStatus') return last
    return /queue$/i.test(last) ? 'queue' : null
  }
  if (last === 'alarm') return 'alarm'
  if (parts.length === 2 && parts[0] === 'self' && pvAttributes.has(last)) return 'instance'
  if (/queue$/i.test(last)) return 'queue'
  return null
}

/** The dotted expression ending at the end of `lineBefore` and the word being typed after its last dot. */
export function memberAccessAt(lineBefore: string): { expression: string; partial: string } | null {
  const match = /([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z0-9_]*)$/.exec(lineBefore)
  if (!match) return null
  return { expression: match[1], partial: match[2] }
}

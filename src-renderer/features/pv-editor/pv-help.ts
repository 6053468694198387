/** What each PV field does over Channel Access, shown under the field in the PV form. */
export const PV_HELP = {
  name: 'What clients search for: the server prefix (and group prefixes) followed by this. {macro} inserts a macro.',
  attr: 'The attribute in the exported class: hooks reach this PV as self.<attr>. Derived from the name when empty.',
  type: 'The native type clients read (DBR_DOUBLE, DBR_LONG, DBR_STRING…): caget returns it, caput is converted to it.',
  maxLength:
    'Element count (NELM): 1 for a scalar; arrays serve up to this many elements. For LONG_STRING, the characters.',
  value:
    'Served until the first write. Arrays: values separated by commas. An ENUM starts at one of its states.',
  readOnly: 'Clients get read access only (a caput fails); hooks and the app can still write it.',
  description: 'Served as .DESC when a record type is set, and the PV’s line in the class docstring.',
  units: 'Engineering units (EGU) in DBR_GR/DBR_CTRL replies; clients show them next to values.',
  precision:
    'Digits after the decimal point (PREC) in DBR_GR/DBR_CTRL replies; displays format values with it.',
  displayLimits: 'LOPR/HOPR: the range displays scale gauges and plots to (DBR_GR/DBR_CTRL).',
  controlLimits:
    'DRVL/DRVH: a caput outside the range is refused with ECA_PUTFAIL, or clamped; sent in DBR_CTRL replies.',
  controlMode: 'What a put outside the control limits does.',
  alarmLimits:
    'LOLO/LOW/HIGH/HIHI: the value sets the alarm status and severity every DBR_STS/TIME reply and monitor carries.',
  hysteresis: 'HYST: an alarm clears only once the value is back inside the limit by this much (no flicker).',
  enumStrings:
    'One state per line, index 0 first: DBR_CTRL_ENUM sends the labels (at most 16, each at most 25 characters).',
  monitorDeadband:
    'MDEL: a change smaller than this posts no value event to monitors (camonitor); 0 posts every change, negative every write.',
  archiveDeadband: 'ADEL: the same for archive (DBE_LOG) monitors, used by archivers.',
  recordType:
    'Reported as .RTYP; makes record fields (.EGU, .DESC, .HOPR, .SCAN…) readable and writable over CA.',
  alarmGroup:
    'PVs naming the same group share one alarm, as caproto’s alarm_group; empty: this PV alarms alone.',
  udfSeverity: 'Without an initial value, the PV reports a UDF alarm of this severity until first written.',
  autosave: 'The value is saved beside the project while the IOC runs and restored when it starts again.',
  hooks: 'Python that runs inside the IOC, in caproto’s dialect: each hook is the body of an async method.',
} as const

export const HOOK_HELP = {
  putter: 'On every put (caput) and write: check, change or refuse the new value; the client waits for it.',
  getter: 'On every read (caget): compute the value to serve. Prefer a scan or putter where you can.',
  startup: 'Once when the IOC starts, as a task of its own: loops, queues, device connections.',
  scan: 'Periodically, every period seconds.',
  shutdown: 'When the IOC stops: release what startup took.',
} as const

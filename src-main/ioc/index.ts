/**
 * The soft IOC: a PV database that implements the CA engine's PvProvider, the traffic recorder, and SoftIoc
 * which serves one with the other watching. This is the API the Python layer (src-main/python) and the backend
 * code against.
 *
 * PvDatabase
 *   define(spec)           add a PV, or redefine it: an unchanged spec keeps the PV, its hooks and clients; a
 *                          changed type/maxLength/longString replaces it (clients get SERVER_DISCONN and reconnect
 *                          with the new type; the new PV has no hooks); other changes apply in place (metadata
 *                          posts DBE_PROPERTY). The spec's `value` is only the initial value. Throws SpecError
 *                          naming the field ("enumStrings: 17 states, at most 16").
 *   remove(name)           its channels (and its field channels) get SERVER_DISCONN
 *   get / list / size      lookups; batch(work) reports everything `work` changed in one onDidChangePvs
 *   setAccessRules(rules)  see access.ts: max over matching rules, PVs no rule names stay READ|WRITE, host
 *                          groups may list names (lowercase) or IPs; connected clients get new rights at once
 *   resolve(name)          for the CA engine: NAME, NAME.FIELD for PVs with a recordType (record-fields.ts),
 *                          NAME$ / NAME.VAL$ / NAME.DESC$ (STRING as a CHAR array; a CHAR long string is itself)
 *   onDidChangePvs         { added, removed, changed }
 *   onDidActivity          start/end of every put and of every get that runs a getter (traffic recorder)
 *
 * IocPv (one PV; also the ServedPv the CA engine talks to)
 *   spec, snapshot, value (JS view: scalar or array, enum as index, long string as text), status, severity,
 *   timestamp (Unix seconds, 0 = never written), scan
 *   put(value, options)    the one write pipeline: convert -> control limits (reject: ECA_PUTFAIL with a message,
 *                          or clamp) -> putter -> value alarm (or options.status/severity) -> timestamp ->
 *                          MDEL/ADEL decide DBE_VALUE/DBE_LOG, alarm changes add DBE_ALARM. verifyValue:false
 *                          skips limits and putter. putNow() is the same but synchronous when no hook awaits.
 *   setHooks({ putter, getter }) -> Disposable. The putter gets the JS value (enum as label) and the client
 *                          (undefined for internal writes) and returns accept / coerce / skip (undefined =
 *                          accept); throwing fails the put (ECA_PUTFAIL + message) and raises WRITE/MAJOR. The
 *                          getter runs on every CA read; a result other than undefined is written (through the
 *                          putter) before the reply; throwing raises READ/MAJOR and the stored value is served.
 *   writeMetadata(patch)   units, precision, limits (merged key by key; undefined removes), enumStrings,
 *                          description, deadbands, readOnly, alarmGroup, recordType; posts DBE_PROPERTY
 *   setAlarm(status, sev)  the alarm of the PV's alarm group (caproto instance.alarm.write); posts DBE_ALARM on
 *                          every member whose alarm changed
 *   process(client?)       re-writes the current value through the pipeline (what .PROC does)
 *   setScan(index|label)   the .SCAN menu; onDidChangeScan tells the Python layer to adjust a scan loop
 *   onDidChangeValue       every new snapshot
 *
 * Alarms: UDF (udfSeverity, default INVALID) until the first value; HIHI/HIGH/LOW/LOLO with severities and
 * hysteresis as an ai record evaluates them (scalar numeric PVs; a limit is on when present and its severity is
 * not 0); each PV has its own alarm unless PVs name the same alarmGroup, and a PV posts only for its own changes.
 *
 * TrafficRecorder (traffic/): attachDatabase, attachServer, recordQueue(name, 'put'|'get', depth, summary) for
 * the Python layer's ThreadsafeQueues; events(since), pvTraffic(), clientTraffic(), queueStates(), putLog(),
 * putLogText(); onDidRecord. Everything bounded.
 *
 * SoftIoc: database + CA server + recorder; start/stop/restart (queued), status (the contract's ServerStatus),
 * onDidChangeStatus, clients().
 */
export { AccessPolicy, AccessRulesError, globToRegExp } from './access'
export type { AccessLevel, AccessRule, AccessRules } from './access'
export {
  ALARM_SEVERITY_STRINGS,
  ALARM_STATUS_STRINGS,
  AlarmSeverity,
  AlarmStatus,
  evaluateLimitAlarm,
} from './alarm'
export type { AlarmLimitName, LimitAlarm, LimitAlarmConfig } from './alarm'
export { PvDatabase } from './database'
export type { PvsChange } from './database'
export { IocPv, PvChange, epicsNow, epicsTimeOf } from './pv'
export type { EpicsTime, PutterResult, PvActivity, PvHooks, WriteOptions } from './pv'
export { fieldDefinition, fieldNames } from './record-fields'
export { SCAN_MENU, SCAN_SETTINGS, scanSettingForPeriod, scanSettingOf } from './scan'
export type { ScanSetting } from './scan'
export { SoftIoc } from './soft-ioc'
export type { SoftIocOptions } from './soft-ioc'
export { MAX_ARRAY_LENGTH, PV_TYPE_NAMES, SpecError, patchSpec, validateSpec } from './spec'
export type { AlarmLimits, ControlLimits, LimitPair, MetadataPatch, PvSpec, PvTypeName } from './spec'
export { TrafficRecorder } from './traffic/recorder'
export type { ClientTraffic, ObservableServer, PvTraffic, TrafficRecorderOptions } from './traffic/recorder'
export type { PutLogEntry } from './traffic/put-log'
export type { QueueEntry, QueueState } from './traffic/queue-monitor'
export type { TrafficClient, TrafficEvent, TrafficOp } from './traffic/traffic-event'
export { describeValue, MAX_STRING_LENGTH, ValueError } from './values'
export type { WriteOutcome, ClientIdentity } from '../ca/server/provider'

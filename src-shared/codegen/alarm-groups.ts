/**
 * caproto's `alarm_group` for each PV of one PVGroup class. caproto's default (no alarm_group) puts every PV of
 * the group on one shared alarm, so one PV's alarm shows on all of them and every alarm change re-posts them
 * all (caproto #803). The document's meaning is "each PV has its own alarm unless it names a group", so a PV
 * that can raise an alarm gets a group of its own, named after its attribute ('_' appended while that name is
 * one the document uses). An importer undoes exactly this rule with `isOwnAlarmGroup`.
 */
import { attributeOf } from '../model/names'
import type { PvDefinition } from '../model/project'

/** A PV that its limits or its hooks can put into alarm. */
export function canAlarm(pv: PvDefinition): boolean {
  const alarms = pv.alarmLimits
  const control = pv.controlLimits
  return (
    [alarms?.lolo, alarms?.low, alarms?.high, alarms?.hihi, control?.low, control?.high].some(
      (limit) => limit?.enabled,
    ) ||
    pv.udfSeverity !== undefined ||
    (pv.hooks !== undefined && Object.values(pv.hooks).some((hook) => hook !== undefined))
  )
}

/** The alarm_group of each PV of one class that gets one: the document's, or one of its own. */
export function alarmGroupsOf(pvs: readonly PvDefinition[]): Map<PvDefinition, string> {
  const named = new Set(pvs.flatMap((pv) => (pv.alarmGroup !== undefined ? [pv.alarmGroup] : [])))
  const groups = new Map<PvDefinition, string>()
  for (const pv of pvs) {
    if (pv.alarmGroup !== undefined) groups.set(pv, pv.alarmGroup)
    else if (canAlarm(pv)) {
      let group = attributeOf(pv)
      while (named.has(group)) group += '_'
      groups.set(pv, group)
    }
  }
  return groups
}

/**
 * For an importer: true when `group` on `pv` (one of `pvs`, read back with their alarm_group as alarmGroup) is
 * the group `alarmGroupsOf` gives a PV of its own, so the document should not name it.
 */
export function isOwnAlarmGroup(pv: PvDefinition, pvs: readonly PvDefinition[]): boolean {
  if (pv.alarmGroup === undefined) return false
  const { alarmGroup: _own, ...withoutGroup } = pv
  if (!canAlarm(withoutGroup)) return false
  const others = pvs.filter((other) => other !== pv && other.alarmGroup === pv.alarmGroup)
  if (others.length > 0) return false
  const named = new Set(
    pvs.flatMap((other) =>
      other !== pv && other.alarmGroup !== undefined && !isGeneratedName(other) ? [other.alarmGroup] : [],
    ),
  )
  let expected = attributeOf(pv)
  while (named.has(expected)) expected += '_'
  return expected === pv.alarmGroup
}

/** A group name of the form the rule above produces for this PV (its attribute, maybe with '_'s). */
function isGeneratedName(pv: PvDefinition): boolean {
  const attr = attributeOf(pv)
  return pv.alarmGroup?.startsWith(attr) === true && /^_*$/.test(pv.alarmGroup.slice(attr.length))
}

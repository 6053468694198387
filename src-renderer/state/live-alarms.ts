/**
 * Alarm severities of the running IOC's PVs, by full PV name, for the tree's alarm dots. Part 2 (live
 * values) feeds it from its value stream with `setLiveAlarms`; until then the tree shows no live alarms.
 */
import { create } from 'zustand'

export type AlarmSeverity = 0 | 1 | 2 | 3

interface LiveAlarmStore {
  readonly severities: ReadonlyMap<string, AlarmSeverity>
}

export const useLiveAlarms = create<LiveAlarmStore>()(() => ({ severities: new Map() }))

/** Replace the map (a new Map per update, so selectors see the change). */
export function setLiveAlarms(severities: ReadonlyMap<string, AlarmSeverity>): void {
  useLiveAlarms.setState({ severities })
}

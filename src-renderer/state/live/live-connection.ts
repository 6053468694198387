/**
 * The one live connection of the window: started once (when the live views are registered, so the PV tree's
 * alarm dots work before any live view is opened) and kept for the app's lifetime (switching tabs does not
 * reload), reloaded when the bridge reconnects. Its model is module state outside React; `useLiveStore` says
 * when it changed, and the PV tree gets alarm severities through `setLiveAlarms`.
 */
import { getPlatform } from '../../platform/api'
import type { Platform } from '../../platform/api'
import { FrameCoalescer } from './frame-coalescer'
import { LiveModel, Part } from './live-model'
import { setLiveAlarms } from '../live-alarms'
import type { AlarmSeverity } from '../live-alarms'
import { commitParts, liveStats, useLiveStore } from './live-store'
import { LiveSync } from './live-sync'

export const liveModel = new LiveModel()

const commits = new FrameCoalescer((parts) => {
  commitParts(parts)
  if (parts & Part.VALUES) publishAlarms()
})
let started = false

/** The PV tree shows alarm dots from here: at most a few updates a second, a new Map each time. */
const ALARM_PUBLISH_MS = 250
let alarmsPublishedAt = 0
let alarmTimer: ReturnType<typeof setTimeout> | undefined

function publishAlarms(): void {
  if (alarmTimer !== undefined || !liveModel.values.takeAlarmChanges()) return
  const wait = alarmsPublishedAt + ALARM_PUBLISH_MS - Date.now()
  const publish = () => {
    alarmTimer = undefined
    alarmsPublishedAt = Date.now()
    setLiveAlarms(liveModel.values.severities() as Map<string, AlarmSeverity>)
  }
  if (wait <= 0) publish()
  else alarmTimer = setTimeout(publish, wait)
}

/** Starts the live connection once (idempotent). */
export function ensureLive(platform: Platform = getPlatform()): void {
  if (started) return
  started = true
  const sync = new LiveSync(platform.api, liveModel, {
    changed: (parts) => {
      liveStats.applied++
      commits.request(parts)
    },
    state: (state) => useLiveStore.setState(state),
  })
  sync.start()
  platform.connection?.onDidChangeState((state) => {
    if (state === 'open') void sync.load()
  })
  // Updates per second and the rate charts move on even when nothing arrives.
  setInterval(() => commits.request(liveModel.tick(Date.now())), 1000)
  if (new URLSearchParams(location.search).has('liveStats')) {
    // Read-only counters for the UI benchmark (test/bench/ui.ts).
    Object.assign(window, { __iocLiveStats: { stats: liveStats, model: liveModel } })
  }
}

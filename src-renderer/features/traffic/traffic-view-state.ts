/**
 * The Traffic inspector's settings (filter, pause, follow, selection, tab). Filter and pause live in the
 * model's TrafficView too (it keeps the filtered rows); these actions keep both in step.
 */
import { create } from 'zustand'
import type { LiveTrafficEvent } from '@shared/api/live'
import { liveModel } from '../../state/live/live-connection'
import { NO_FILTER } from '../../state/live/traffic-log'
import type { TrafficFilter } from '../../state/live/traffic-log'

interface TrafficViewState {
  readonly filter: TrafficFilter
  readonly paused: boolean
  /** Keep the newest row in sight. Scrolling up turns it off. */
  readonly follow: boolean
  readonly selected: LiveTrafficEvent | null
  readonly tab: 'log' | 'puts'
  /** Bumped when the view's rows were rebuilt (filter, pause, clear). */
  readonly rebuilt: number
}

export const useTrafficView = create<TrafficViewState>()(() => ({
  filter: NO_FILTER,
  paused: false,
  follow: true,
  selected: null,
  tab: 'log',
  rebuilt: 0,
}))

export function setTrafficFilter(patch: Partial<TrafficFilter>): void {
  const filter = { ...useTrafficView.getState().filter, ...patch }
  liveModel.trafficView.setFilter(filter)
  useTrafficView.setState((s) => ({ filter, rebuilt: s.rebuilt + 1 }))
}

export function setTrafficPaused(paused: boolean): void {
  if (paused) liveModel.trafficView.pause()
  else liveModel.trafficView.resume()
  useTrafficView.setState((s) => ({ paused, rebuilt: s.rebuilt + 1, follow: paused ? s.follow : true }))
}

export function setFollow(follow: boolean): void {
  if (useTrafficView.getState().follow !== follow) useTrafficView.setState({ follow })
}

export function selectEvent(selected: LiveTrafficEvent | null): void {
  useTrafficView.setState({ selected })
}

export function clearTraffic(): void {
  liveModel.trafficView.clear()
  useTrafficView.setState((s) => ({ selected: null, rebuilt: s.rebuilt + 1 }))
}

export function showTrafficTab(tab: 'log' | 'puts'): void {
  useTrafficView.setState({ tab })
}

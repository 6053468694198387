/**
 * The live views' React state: only version counters (one per part of the model) and the connection state.
 * Views subscribe to the counters they draw with atomic selectors and read the mutable model while rendering.
 */
import { create } from 'zustand'
import { Part } from './live-model'

export type LiveConnection = 'idle' | 'loading' | 'live' | 'error'

export interface LiveState {
  readonly connection: LiveConnection
  readonly error: string | null
  readonly session: number
  readonly attached: boolean
  readonly traffic: number
  readonly values: number
  readonly pvs: number
  readonly activity: number
  readonly queues: number
  readonly clients: number
  readonly putLog: number
  /** When the last commit happened (ms): views that show ages or rates read the clock from here. */
  readonly now: number
}

export const useLiveStore = create<LiveState>()(() => ({
  connection: 'idle',
  error: null,
  session: 0,
  attached: false,
  traffic: 0,
  values: 0,
  pvs: 0,
  activity: 0,
  queues: 0,
  clients: 0,
  putLog: 0,
  now: 0,
}))

/** Counters for the UI benchmark: store commits, and batches (or snapshots) applied to the model. */
export const liveStats = { commits: 0, applied: 0 }

/** One commit: the versions of the changed parts go up by one. */
export function commitParts(parts: number, extra: Partial<LiveState> = {}): void {
  liveStats.commits++
  useLiveStore.setState((s) => ({
    ...extra,
    now: Date.now(),
    traffic: parts & Part.TRAFFIC ? s.traffic + 1 : s.traffic,
    values: parts & Part.VALUES ? s.values + 1 : s.values,
    pvs: parts & Part.PVS ? s.pvs + 1 : s.pvs,
    activity: parts & Part.ACTIVITY ? s.activity + 1 : s.activity,
    queues: parts & Part.QUEUES ? s.queues + 1 : s.queues,
    clients: parts & Part.CLIENTS ? s.clients + 1 : s.clients,
    putLog: parts & Part.PUT_LOG ? s.putLog + 1 : s.putLog,
  }))
}

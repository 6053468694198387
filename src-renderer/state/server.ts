import { create } from 'zustand'
import type { ServerStatus } from '@shared/api/contract'
import { getPlatform } from '../platform/api'

export type ServerAction = 'start' | 'stop' | 'restart'

interface ServerStore {
  /** null until the backend answered the first time. */
  readonly status: ServerStatus | null
  /** The action the user asked for and that has not finished. */
  readonly busy: ServerAction | null
  /** Why the last action failed to reach the backend (not a server error: that is in status.error). */
  readonly failure: string | null
}

export const useServerStore = create<ServerStore>()(() => ({ status: null, busy: null, failure: null }))

export function setServerStatus(status: ServerStatus): void {
  useServerStore.setState({ status })
}

/** Starts, stops or restarts the CA server; ignored while another action is under way. */
export async function runServerAction(action: ServerAction): Promise<void> {
  if (useServerStore.getState().busy) return
  useServerStore.setState({ busy: action, failure: null })
  const { api } = getPlatform()
  try {
    const status =
      action === 'start'
        ? await api.startServer()
        : action === 'stop'
          ? await api.stopServer()
          : await api.restartServer()
    useServerStore.setState({ status, busy: null })
  } catch (error) {
    useServerStore.setState({ busy: null, failure: error instanceof Error ? error.message : String(error) })
  }
}

/** Which actions make sense now. */
export function availableActions(
  status: ServerStatus | null,
  busy: ServerAction | null,
): Record<ServerAction, boolean> {
  const state = busy ? 'busy' : status?.state
  return {
    start: state === 'stopped' || state === 'error',
    stop: state === 'running',
    restart: state === 'running',
  }
}

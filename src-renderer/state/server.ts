import { create } from 'zustand'
import { describeApply } from '@shared/api/apply-summary'
import type { ApplySummary, ServerStatus } from '@shared/api/contract'
import { getPlatform } from '../platform/api'
import { showNotice } from './app'
import { clearHookErrors } from './hook-errors'
import { flushProject } from './project'

export type ServerAction = 'start' | 'stop' | 'restart' | 'apply'

interface ServerStore {
  /** null until the backend answered the first time. */
  readonly status: ServerStatus | null
  /** The action the user asked for and that has not finished. */
  readonly busy: ServerAction | null
  /** Why the last action failed to reach the backend (not a server error: that is in status.error). */
  readonly failure: string | null
  /** What the last Apply changes did. */
  readonly lastApply: ApplySummary | null
}

export const useServerStore = create<ServerStore>()(() => ({
  status: null,
  busy: null,
  failure: null,
  lastApply: null,
}))

export function setServerStatus(status: ServerStatus): void {
  useServerStore.setState({ status })
}

/**
 * Starts, stops or restarts the IOC, or applies the edited project to the running one; ignored while another
 * action is under way. Start, Restart and Apply first hand the backend the newest edits.
 */
export async function runServerAction(action: ServerAction): Promise<void> {
  if (useServerStore.getState().busy) return
  useServerStore.setState({ busy: action, failure: null })
  const { api } = getPlatform()
  try {
    if (action !== 'stop') await flushProject()
    if (action === 'start' || action === 'restart') clearHookErrors()
    if (action === 'apply') {
      const summary = await api.applyChanges()
      useServerStore.setState({ busy: null, lastApply: summary })
      showNotice(`Applied: ${describeApply(summary)}`)
      return
    }
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

/** Which actions make sense now; Start also needs a project without blocking problems. */
export function availableActions(
  status: ServerStatus | null,
  busy: ServerAction | null,
  blocked = false,
): Record<ServerAction, boolean> {
  const state = busy ? 'busy' : status?.state
  return {
    start: (state === 'stopped' || state === 'error') && !blocked,
    stop: state === 'running',
    restart: state === 'running' && !blocked,
    apply: state === 'running' && !blocked,
  }
}

import type { AppCommand, IocApi } from '@shared/api/contract'
import type { Platform } from '../platform/api'
import { useAppStore } from './app'
import { appendLog, replaceLog } from './log'
import { setServerStatus } from './server'

/**
 * Wires the stores to the backend: subscribes to the streams first (so nothing falls between the snapshot
 * and the stream), then loads app info, server status and recent log. Runs again after the bridge socket
 * reconnects, since the backend may have moved on (or restarted) meanwhile. Returns the disconnect function.
 */
export function connectStores(platform: Platform, onCommand: (command: AppCommand) => void): () => void {
  const { api, connection } = platform
  const unsubscribes = [
    api.onDidChangeServerStatus(setServerStatus),
    api.onDidLog(appendLog),
    api.onDidRequestCommand(onCommand),
  ]
  let generation = 0
  const load = () => {
    const current = ++generation
    void loadSnapshot(api, () => current === generation)
  }
  if (connection) {
    useAppStore.setState({ connection: connection.state })
    unsubscribes.push(
      connection.onDidChangeState((state) => {
        useAppStore.setState({ connection: state })
        if (state === 'open') load()
      }),
    )
  } else {
    useAppStore.setState({ connection: 'open' })
  }
  load()
  return () => {
    generation++
    for (const unsubscribe of unsubscribes) unsubscribe()
  }
}

async function loadSnapshot(api: IocApi, stillWanted: () => boolean): Promise<void> {
  try {
    const [info, status, recent] = await Promise.all([
      api.getAppInfo(),
      api.getServerStatus(),
      api.getRecentLog(500),
    ])
    if (!stillWanted()) return
    useAppStore.setState({ info })
    setServerStatus(status)
    replaceLog(recent)
  } catch {
    // The socket dropped mid-load; the reconnect loads again.
  }
}

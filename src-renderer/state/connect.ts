import type { AppCommand, IocApi } from '@shared/api/contract'
import type { Platform } from '../platform/api'
import { useAppStore } from './app'
import { addHookErrors } from './hook-errors'
import { appendLog, replaceLog } from './log'
import { followProjectFile, reconcileProject, useProjectStore } from './project'
import { SyntaxChecker } from './python-syntax'
import { setRecentProjects } from './recent'
import { setServerStatus } from './server'
import { pruneTabs } from './workbench'

export interface ConnectHandlers {
  /** A command from the host's chrome (the Electron menu). */
  readonly onCommand: (command: AppCommand) => void
  /** The host's Open Recent: open this file after the unsaved-changes check. */
  readonly onOpenFile: (path: string) => void
}

/**
 * Wires the stores to the backend: subscribes to the streams first (so nothing falls between the snapshot
 * and the stream), then loads app info, server status, recent log, recent projects and the open project.
 * Runs again after the bridge socket reconnects, since the backend may have moved on (or restarted)
 * meanwhile. Python syntax checks follow the document. Returns the disconnect function.
 */
export function connectStores(platform: Platform, handlers: ConnectHandlers): () => void {
  const { api, connection } = platform
  const checker = new SyntaxChecker((source, fileName) => api.checkPythonSyntax(source, fileName))
  const unsubscribes = [
    api.onDidChangeServerStatus(setServerStatus),
    api.onDidLog(appendLog),
    api.onDidRequestCommand(handlers.onCommand),
    api.onDidChangeProjectFile((state) => void followProjectFile(state).catch(() => undefined)),
    api.onDidChangeRecentProjects(setRecentProjects),
    api.onDidHookError(addHookErrors),
    api.onDidRequestOpenFile(handlers.onOpenFile),
    useProjectStore.subscribe((state, previous) => {
      const project = state.history?.present
      if (!project || project === previous.history?.present) return
      checker.update(project)
      pruneTabs(project)
    }),
    () => checker.dispose(),
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
    const [info, status, recent, recentProjects] = await Promise.all([
      api.getAppInfo(),
      api.getServerStatus(),
      api.getRecentLog(500),
      api.getRecentProjects(),
    ])
    if (!stillWanted()) return
    useAppStore.setState({ info })
    setServerStatus(status)
    replaceLog(recent)
    setRecentProjects(recentProjects)
    await reconcileProject()
  } catch {
    // The socket dropped mid-load; the reconnect loads again.
  }
}

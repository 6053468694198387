import { startCaServer } from '../ca'
import type { CaServerConfig, Environment, PvProvider } from '../ca'
import { Emitter } from '@shared/base/event'
import type { CaServerLauncher, RunningCaServer } from './server-controller'

export interface CaLauncherOptions {
  /** What the server serves; until the IOC layer provides PVs, nothing. */
  readonly provider?: PvProvider
  /** Settings made in code; they win over the environment. */
  readonly config?: Partial<CaServerConfig>
  /** EPICS_CA* / EPICS_CAS* variables; defaults to process.env. */
  readonly env?: Environment
  /** How often the client count is refreshed. Default 1000 ms. */
  readonly clientPollMs?: number
}

const NO_PVS: PvProvider = { resolve: () => undefined }

/**
 * Starts our Channel Access server (src-main/ca). The client count is polled rather than observed: listening to
 * the server's observations would make it build one for every message on the hot path just to count circuits.
 */
export function caServerLauncher(options: CaLauncherOptions = {}): CaServerLauncher {
  return async (): Promise<RunningCaServer> => {
    const server = await startCaServer({
      provider: options.provider ?? NO_PVS,
      config: options.config,
      env: options.env,
    })
    const changed = new Emitter<void>()
    let clientCount = 0
    const poll = setInterval(() => {
      const now = server.clients().length
      if (now === clientCount) return
      clientCount = now
      changed.fire()
    }, options.clientPollMs ?? 1000)
    poll.unref()
    return {
      tcpPort: server.tcpPort,
      udpPort: server.udpPort,
      interfaces: server.config.interfaces.length > 0 ? [...server.config.interfaces] : ['0.0.0.0'],
      warnings: portWarning(server.tcpPort, server.config.serverPort, server.warnings),
      get clientCount() {
        return clientCount
      },
      pvCount: 0,
      onDidChangeCounts: changed.event,
      close: async () => {
        clearInterval(poll)
        changed.dispose()
        await server.close()
      },
    }
  }
}

function portWarning(tcpPort: number, preferred: number, warnings: readonly string[]): readonly string[] {
  if (tcpPort === preferred || preferred === 0) return warnings
  return [
    ...warnings,
    `TCP port ${preferred} is in use by another server; clients reach this one on TCP port ${tcpPort} via search`,
  ]
}

/**
 * What the live feed watches: a running IOC's database, its traffic recorder and its CA server's clients.
 * A ProjectSession is one; a bare SoftIoc becomes one through `liveSourceOf`.
 */
import type { CaClientInfo } from '../../ca'
import type { PvDatabase, SoftIoc, TrafficRecorder } from '../../ioc'

export interface LiveSource {
  readonly database: PvDatabase
  readonly recorder: TrafficRecorder
  /** Connected CA clients (none while the server is stopped). */
  clients(): CaClientInfo[]
  /** Closes one client's circuit; false when there is no such client. */
  disconnectClient(circuitId: number): boolean
}

/** The live source of a SoftIoc (and of anything that runs one, such as a project session). */
export function liveSourceOf(ioc: SoftIoc): LiveSource {
  return {
    database: ioc.database,
    recorder: ioc.recorder,
    clients: () => ioc.clients(),
    disconnectClient: (circuitId) => ioc.server?.disconnectClient(circuitId) ?? false,
  }
}

/**
 * Starts our CA server in-process for an interop suite: loopback clients, a non-default port pair, beacons
 * only to the suite's private repeater port, and the array limit the drivers use.
 */
import { startCaServer } from '../../../src-main/ca'
import type { PvProvider } from '../../../src-main/ca/server/provider'
import type { LoopbackClient } from '../../support/epics-client-env'

export const MAX_ARRAY_BYTES = 2_000_000

export type TestServer = Awaited<ReturnType<typeof startCaServer>>

export function startTestServer(provider: PvProvider, ports: LoopbackClient): Promise<TestServer> {
  return startCaServer({
    provider,
    config: {
      serverPort: ports.serverPort,
      autoBeaconAddresses: false,
      beaconAddresses: [{ host: '127.0.0.1', port: ports.repeaterPort }],
      autoArrayBytes: false,
      maxArrayBytes: MAX_ARRAY_BYTES,
    },
    env: {},
  })
}

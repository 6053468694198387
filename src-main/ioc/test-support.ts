/** Client identities for unit tests (what a circuit would pass after CLIENT_NAME / HOST_NAME). */
import type { ClientIdentity } from '../ca/server/provider'

let circuits = 0

export function client(userName = 'alice', hostName = 'ws1.lab', address = '10.0.0.5'): ClientIdentity {
  return { circuitId: ++circuits, address, port: 40000 + circuits, hostName, userName, minorVersion: 13 }
}

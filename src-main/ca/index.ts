/**
 * The Channel Access layer's public surface: the server, its configuration and observations, the provider seam
 * the IOC layer implements, and the wire codecs (for tests, tools and a future client).
 */
export { startCaServer } from './server/ca-server'
export type { CaServer, CaServerOptions } from './server/ca-server'
export {
  DEFAULT_CA_SERVER_CONFIG,
  maxMessageBytes,
  readCaServerEnvironment,
  resolveCaServerConfig,
} from './server/config'
export type { AddressAndPort, CaServerConfig, Environment, EnvironmentReading } from './server/config'
export type { CaClientInfo, CaObservation, CaObservationKind } from './server/observations'
export { AccessRights, EventMask } from './server/provider'
export type { ClientIdentity, PvPost, PvProvider, ServedPv, WriteOutcome } from './server/provider'
export * from './wire/protocol'
export * from './wire/snapshot'

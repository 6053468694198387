/**
 * CA server configuration: the values rsrv reads from the EPICS environment, as one plain object that code can
 * also set directly. `readCaServerEnvironment` is a pure function of the environment it is given.
 */
import {
  DEFAULT_BEACON_PERIOD_SECONDS,
  DEFAULT_MAX_ARRAY_BYTES,
  DEFAULT_REPEATER_PORT,
  DEFAULT_SERVER_PORT,
  EXTENDED_HEADER_SIZE,
  MIN_MAX_MESSAGE_BYTES,
} from '../wire/protocol'

export interface AddressAndPort {
  readonly host: string
  readonly port: number
}

export interface CaServerConfig {
  /** UDP search port, and the TCP port we try first (EPICS_CAS_SERVER_PORT, else EPICS_CA_SERVER_PORT). */
  readonly serverPort: number
  /** Interface addresses to bind (EPICS_CAS_INTF_ADDR_LIST); empty = all interfaces. */
  readonly interfaces: readonly string[]
  /** Multicast groups to join on the search sockets (multicast entries of EPICS_CAS_INTF_ADDR_LIST). */
  readonly multicastGroups: readonly string[]
  /** Extra beacon destinations (EPICS_CAS_BEACON_ADDR_LIST); entries without a port use `beaconPort`. */
  readonly beaconAddresses: readonly AddressAndPort[]
  /** Also beacon to every interface's broadcast address (EPICS_CAS_AUTO_BEACON_ADDR_LIST). */
  readonly autoBeaconAddresses: boolean
  /** Longest interval between beacons, seconds (EPICS_CAS_BEACON_PERIOD, else EPICS_CA_BEACON_PERIOD). */
  readonly beaconPeriodSeconds: number
  /** Beacon destination port (EPICS_CAS_BEACON_PORT, else EPICS_CA_REPEATER_PORT). */
  readonly beaconPort: number
  /** UDP datagrams from these source addresses are dropped (EPICS_CAS_IGNORE_ADDR_LIST). */
  readonly ignoreAddresses: readonly string[]
  /** EPICS_CA_MAX_ARRAY_BYTES; only enforced when `autoArrayBytes` is false. */
  readonly maxArrayBytes: number
  /** EPICS_CA_AUTO_ARRAY_BYTES: grow buffers on demand (the EPICS default since 3.16.1). */
  readonly autoArrayBytes: boolean
  /** Largest request accepted with autoArrayBytes; larger ones get ECA_TOLARGE and are skipped. */
  readonly autoArrayBytesLimit: number
  /** Per-circuit limits: beyond them requests are refused with an error, and memory stays bounded. */
  readonly maxChannelsPerCircuit: number
  readonly maxSubscriptionsPerCircuit: number
  readonly maxPendingWritesPerCircuit: number
  /**
   * Queued output (socket buffer included) above which a circuit counts as congested: monitor updates then
   * keep only the latest value per subscription. Above four times this, the circuit stops reading requests.
   */
  readonly sendHighWaterBytes: number
}

export const DEFAULT_CA_SERVER_CONFIG: CaServerConfig = Object.freeze({
  serverPort: DEFAULT_SERVER_PORT,
  interfaces: [],
  multicastGroups: [],
  beaconAddresses: [],
  autoBeaconAddresses: true,
  beaconPeriodSeconds: DEFAULT_BEACON_PERIOD_SECONDS,
  beaconPort: DEFAULT_REPEATER_PORT,
  ignoreAddresses: [],
  maxArrayBytes: DEFAULT_MAX_ARRAY_BYTES,
  autoArrayBytes: true,
  autoArrayBytesLimit: 256 * 1024 * 1024,
  maxChannelsPerCircuit: 1_000_000,
  maxSubscriptionsPerCircuit: 1_000_000,
  maxPendingWritesPerCircuit: 1024,
  sendHighWaterBytes: 1024 * 1024,
})

export type Environment = Readonly<Record<string, string | undefined>>

export interface EnvironmentReading {
  readonly config: CaServerConfig
  /** One line per variable that was set but could not be used (its default applies). */
  readonly warnings: readonly string[]
}

/** Reads the EPICS variables rsrv honours; anything unset or unusable keeps its default. */
export function readCaServerEnvironment(env: Environment): EnvironmentReading {
  const warnings: string[] = []
  const value = (name: string): string | undefined => {
    const text = env[name]?.trim()
    return text ? text : undefined
  }
  const port = (name: string): number | undefined => {
    const text = value(name)
    if (text === undefined) return undefined
    const parsed = /^\d+$/.test(text) ? Number(text) : NaN
    if (parsed >= 1 && parsed <= 65535) return parsed
    warnings.push(`${name}=${text} is not a port number (1-65535); ignored`)
    return undefined
  }
  const positive = (name: string): number | undefined => {
    const text = value(name)
    if (text === undefined) return undefined
    const parsed = Number(text)
    if (Number.isFinite(parsed) && parsed > 0) return parsed
    warnings.push(`${name}=${text} is not a positive number; ignored`)
    return undefined
  }
  const yesNo = (name: string): boolean | undefined => {
    const text = value(name)
    if (text === undefined) return undefined
    if (/^(yes|y|true|1)$/i.test(text)) return true
    if (/^(no|n|false|0)$/i.test(text)) return false
    warnings.push(`${name}=${text} is neither YES nor NO; ignored`)
    return undefined
  }
  const list = (name: string): string[] => value(name)?.split(/\s+/) ?? []

  const defaults = DEFAULT_CA_SERVER_CONFIG
  const serverPort = port('EPICS_CAS_SERVER_PORT') ?? port('EPICS_CA_SERVER_PORT') ?? defaults.serverPort
  const beaconPort = port('EPICS_CAS_BEACON_PORT') ?? port('EPICS_CA_REPEATER_PORT') ?? defaults.beaconPort

  const interfaces: string[] = []
  const multicastGroups: string[] = []
  for (const entry of list('EPICS_CAS_INTF_ADDR_LIST')) {
    const parsed = parseAddress(entry, 0)
    if (!parsed || !isIPv4(parsed.host)) {
      warnings.push(`EPICS_CAS_INTF_ADDR_LIST: "${entry}" is not an IPv4 address; ignored`)
      continue
    }
    if (parsed.port !== 0) warnings.push(`EPICS_CAS_INTF_ADDR_LIST: the port in "${entry}" is ignored`)
    if (isMulticast(parsed.host)) multicastGroups.push(parsed.host)
    else interfaces.push(parsed.host)
  }
  if (interfaces.includes('0.0.0.0') && interfaces.length > 1) {
    warnings.push(
      'EPICS_CAS_INTF_ADDR_LIST: 0.0.0.0 cannot be combined with other addresses; using 0.0.0.0 only',
    )
    interfaces.splice(0, interfaces.length)
  }
  if (interfaces.length === 1 && interfaces[0] === '0.0.0.0') interfaces.length = 0

  const beaconAddresses: AddressAndPort[] = []
  for (const entry of list('EPICS_CAS_BEACON_ADDR_LIST')) {
    const parsed = parseAddress(entry, beaconPort)
    if (parsed) beaconAddresses.push(parsed)
    else warnings.push(`EPICS_CAS_BEACON_ADDR_LIST: "${entry}" is not host[:port]; ignored`)
  }

  const ignoreAddresses: string[] = []
  for (const entry of list('EPICS_CAS_IGNORE_ADDR_LIST')) {
    const parsed = parseAddress(entry, 0)
    if (parsed && isIPv4(parsed.host)) ignoreAddresses.push(parsed.host)
    else warnings.push(`EPICS_CAS_IGNORE_ADDR_LIST: "${entry}" is not an IPv4 address; ignored`)
  }

  const maxArrayBytes = positive('EPICS_CA_MAX_ARRAY_BYTES')
  const config: CaServerConfig = {
    ...defaults,
    serverPort,
    interfaces,
    multicastGroups,
    beaconAddresses,
    autoBeaconAddresses: yesNo('EPICS_CAS_AUTO_BEACON_ADDR_LIST') ?? defaults.autoBeaconAddresses,
    beaconPeriodSeconds:
      positive('EPICS_CAS_BEACON_PERIOD') ??
      positive('EPICS_CA_BEACON_PERIOD') ??
      defaults.beaconPeriodSeconds,
    beaconPort,
    ignoreAddresses,
    maxArrayBytes: maxArrayBytes === undefined ? defaults.maxArrayBytes : Math.floor(maxArrayBytes),
    autoArrayBytes: yesNo('EPICS_CA_AUTO_ARRAY_BYTES') ?? defaults.autoArrayBytes,
  }
  return { config, warnings }
}

/** The environment's configuration with `overrides` (settings made in code) on top. */
export function resolveCaServerConfig(
  env: Environment,
  overrides: Partial<CaServerConfig> = {},
): EnvironmentReading {
  const reading = readCaServerEnvironment(env)
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
  return { config: Object.freeze({ ...reading.config, ...defined }), warnings: reading.warnings }
}

/**
 * Largest message (header and payload) the server sends or accepts. With EPICS_CA_AUTO_ARRAY_BYTES=NO this is
 * rsrv's max(16384, EPICS_CA_MAX_ARRAY_BYTES + header); otherwise `autoArrayBytesLimit`.
 */
export function maxMessageBytes(config: CaServerConfig): number {
  if (config.autoArrayBytes) return config.autoArrayBytesLimit
  return Math.max(MIN_MAX_MESSAGE_BYTES, config.maxArrayBytes + EXTENDED_HEADER_SIZE)
}

/** Parses `host[:port]`; the host may be an IPv4 address or a name. */
export function parseAddress(entry: string, defaultPort: number): AddressAndPort | undefined {
  const match = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry)
  if (!match) return undefined
  const port = match[2] === undefined ? defaultPort : Number(match[2])
  if (port > 65535) return undefined
  return { host: match[1], port }
}

export function isIPv4(host: string): boolean {
  const parts = host.split('.')
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
}

export function isMulticast(host: string): boolean {
  const first = Number(host.split('.')[0])
  return first >= 224 && first <= 239
}

/** a.b.c.d as an unsigned 32-bit number. */
export function ipv4ToNumber(host: string): number {
  return host.split('.').reduce((acc, part) => acc * 256 + Number(part), 0)
}

export function numberToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.')
}

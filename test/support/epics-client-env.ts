/**
 * The environment of an EPICS client (libca, pyepics) in a loopback test: it searches 127.0.0.1 only, on the
 * test's own port pair, so it never meets a real IOC or the default repeater on 5065.
 */
export interface LoopbackClient {
  /** Our server's UDP/TCP port (EPICS_CA_SERVER_PORT). */
  readonly serverPort: number
  /** A private repeater port, so libca never touches 5065. */
  readonly repeaterPort: number
  /** Extra variables, e.g. EPICS_CA_MAX_ARRAY_BYTES. */
  readonly env?: Readonly<Record<string, string>>
}

export function loopbackClientEnv(client: LoopbackClient): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PYTHONDONTWRITEBYTECODE: '1',
    EPICS_CA_ADDR_LIST: '127.0.0.1',
    EPICS_CA_AUTO_ADDR_LIST: 'NO',
    EPICS_CA_SERVER_PORT: String(client.serverPort),
    EPICS_CA_REPEATER_PORT: String(client.repeaterPort),
    // pyepics raises its default to 16 MiB when this is unset; state the limit so tests do not depend on it.
    EPICS_CA_MAX_ARRAY_BYTES: '2000000',
    ...client.env,
  }
}

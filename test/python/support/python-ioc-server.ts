/**
 * The whole stack for the Python corpus suites, in this process: one Pyodide runtime, a PV database served by
 * our CA server on a loopback port pair, and a PythonIoc per loaded caproto fixture.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { startCaServer } from '../../../src-main/ca'
import type { CaServer } from '../../../src-main/ca'
import { PvDatabase, TrafficRecorder } from '../../../src-main/ioc'
import { PythonIoc } from '../../../src-main/python/python-ioc'
import type { LoadReport } from '../../../src-main/python/python-ioc'
import { PythonRuntime } from '../../../src-main/python/runtime'

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/caproto')

export function fixture(name: string): string {
  return readFileSync(resolve(FIXTURES, name), 'utf8')
}

export interface LogLine {
  readonly level: string
  readonly source: string
  readonly message: string
}

export class PythonIocServer {
  readonly logs: LogLine[] = []
  readonly database = new PvDatabase()
  readonly recorder = new TrafficRecorder()
  readonly runtime: PythonRuntime
  private server: CaServer | undefined
  private readonly iocs: PythonIoc[] = []

  constructor(
    readonly serverPort: number,
    readonly repeaterPort: number,
    hookTimeLimitMs = 500,
  ) {
    this.runtime = new PythonRuntime({
      log: (level, source, message) => this.logs.push({ level, source, message }),
      hookTimeLimitMs,
    })
  }

  async start(): Promise<void> {
    await this.runtime.ready
    this.server = await startCaServer({
      provider: this.database,
      config: {
        serverPort: this.serverPort,
        interfaces: ['127.0.0.1'],
        autoBeaconAddresses: false,
        beaconAddresses: [{ host: '127.0.0.1', port: this.repeaterPort }],
      },
      env: {},
    })
  }

  get tcpPort(): number | undefined {
    return this.server?.tcpPort
  }

  /** Loads a fixture from test/fixtures/caproto with its own PythonIoc. */
  load(name: string, argv: string[] = []): Promise<{ ioc: PythonIoc; report: LoadReport }> {
    return this.loadSource(name, fixture(name), argv)
  }

  /** Loads a script given as text with its own PythonIoc. */
  async loadSource(
    filename: string,
    source: string,
    argv: string[] = [],
  ): Promise<{ ioc: PythonIoc; report: LoadReport }> {
    const ioc = new PythonIoc({
      runtime: this.runtime,
      database: this.database,
      queues: this.recorder,
    })
    this.iocs.push(ioc)
    const report = await ioc.load({ source, filename, argv })
    return { ioc, report }
  }

  logged(source: string, pattern: RegExp): LogLine[] {
    return this.logs.filter((line) => line.source === source && pattern.test(line.message))
  }

  async close(): Promise<void> {
    for (const ioc of this.iocs) await ioc.stop()
    await this.server?.close()
    this.runtime.dispose()
  }
}

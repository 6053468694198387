import { existsSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import { join, resolve } from 'node:path'
import { Backend } from '../../backend'
import type { CaServerLauncher } from '../../backend'
import type { CliIo } from '../io'
import { formatOptions, parseOptions, parsePort } from '../options'
import type { OptionSpec } from '../options'
import { generateAccessToken, isLoopbackHost } from './access'
import { startWebBridge } from './web-bridge'
import type { WebBridge } from './web-bridge'

export const DEFAULT_SERVE_PORT = 5199

const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'port',
    value: 'N',
    description: `port for the web UI (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)`,
  },
  {
    name: 'host',
    value: 'H',
    description: 'interface to bind (default 127.0.0.1); any other address needs the printed access token',
  },
  {
    name: 'renderer',
    value: 'DIR',
    description: 'the built renderer to serve (default: the one next to this build)',
  },
  { name: 'help', description: 'show this help' },
]

export const SERVE_HELP = [
  'Usage: ioc-studio serve [--port N] [--host H]',
  '',
  'Serves IOC Studio to a web browser: the app and its backend (the Channel Access server included) run in',
  'this process. By default only this machine can connect. Binding another interface (for example',
  '--host 0.0.0.0) lets others on the network in; the URL then carries a random access token, and requests',
  'without it are refused.',
  '',
  'Options:',
  ...formatOptions(OPTIONS),
].join('\n')

export interface ServeSettings {
  readonly host: string
  readonly port: number
  readonly rendererDir: string
  /** Set exactly when the host is not loopback. */
  readonly token: string | undefined
}

/** Turns `serve` arguments into settings; throws UsageError on a bad command line. */
export function serveSettings(args: readonly string[], defaultRendererDir: string): ServeSettings | 'help' {
  const options = parseOptions(args, OPTIONS)
  if (options.has('help')) return 'help'
  const host = (options.get('host') as string | undefined) ?? '127.0.0.1'
  const port = options.has('port') ? parsePort(options.get('port') as string, 'port') : DEFAULT_SERVE_PORT
  const rendererDir = resolve((options.get('renderer') as string | undefined) ?? defaultRendererDir)
  return { host, port, rendererDir, token: isLoopbackHost(host) ? undefined : generateAccessToken() }
}

/** Where the built renderer is: beside the built CLI (out/main/cli.js), or in out/ when running from source. */
export function defaultRendererDir(moduleDir: string): string {
  const candidates = [join(moduleDir, '../renderer'), join(moduleDir, '../../out/renderer')]
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]
}

export interface RunningServe {
  readonly backend: Backend
  readonly bridge: WebBridge
  close(): Promise<void>
}

/** Starts a backend and its web bridge, and prints where to point a browser. */
export async function startServe(
  settings: ServeSettings,
  io: CliIo,
  app: { version: string; launchCaServer?: CaServerLauncher },
): Promise<RunningServe> {
  const backend = new Backend({ host: 'browser', version: app.version, launchCaServer: app.launchCaServer })
  let bridge: WebBridge
  try {
    bridge = await startWebBridge({ backend, ...settings })
  } catch (error) {
    await backend.dispose()
    throw error
  }
  backend.onDidLog((entries) => {
    for (const e of entries)
      io.err(`${new Date(e.time).toISOString()} ${e.level.padEnd(5)} [${e.source}] ${e.message}`)
  })
  io.out(`IOC Studio ${app.version} is serving at ${bridge.url}`)
  if (settings.token) {
    io.out('Anyone who can reach this address and has the token can run and change IOCs on this machine.')
    for (const url of lanUrls(settings.host, bridge)) io.out(`  ${url}`)
  }
  io.out('Press Ctrl+C to stop.')
  return {
    backend,
    bridge,
    close: async () => {
      await bridge.close()
      await backend.dispose()
    },
  }
}

/** For a wildcard bind, the URLs under each of this machine's external IPv4 addresses. */
function lanUrls(host: string, bridge: WebBridge): string[] {
  if (host !== '0.0.0.0' && host !== '::') return []
  const path = new URL(bridge.url)
  const urls: string[] = []
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) {
        urls.push(`http://${address.address}:${bridge.port}/${path.search}`)
      }
    }
  }
  return urls
}

import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import type { WebSocket } from 'ws'
import { BRIDGE_PATH, TOKEN_PARAM } from '@shared/api/bridge-protocol'
import { CONTENT_SECURITY_POLICY } from '@shared/api/security'
import type { BackendApi } from '../../backend'
import { AccessPolicy } from './access'
import { BridgeSession } from './bridge-session'
import { StaticFiles } from './static-files'
import { StreamFanout } from './stream-fanout'

export interface WebBridgeOptions {
  readonly backend: BackendApi
  /** The built renderer (out/renderer): must contain index.html. */
  readonly rendererDir: string
  /** Interface to bind; default 127.0.0.1. */
  readonly host?: string
  /** TCP port; default 0 (any free port). */
  readonly port?: number
  /** When set, every HTTP request and the WebSocket upgrade must carry it (see AccessPolicy). */
  readonly token?: string
}

export interface WebBridge {
  /** The URL to open: our origin, plus `?token=` when a token is required. */
  readonly url: string
  readonly host: string
  readonly port: number
  /** Open WebSocket connections. */
  readonly connectionCount: number
  close(): Promise<void>
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The token may be in the page URL: never send it anywhere in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

/** A socket whose unsent output grows past this is too slow to follow the streams: it is closed, not buffered. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024
/** Frames from the renderer are small requests; anything bigger is refused by `ws`. */
const MAX_FRAME_BYTES = 1024 * 1024

/**
 * The browser host: one HTTP server on one origin that serves the built renderer and carries the backend API
 * over a WebSocket at /bridge, so the page's CSP `connect-src 'self'` covers the socket and the same bundle
 * runs here and in Electron.
 */
export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${options.rendererDir}: run \`npm run build\` first`)
  }
  const host = options.host ?? '127.0.0.1'
  const files = new StaticFiles(options.rendererDir, SECURITY_HEADERS)
  const fanout = new StreamFanout(options.backend)
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  })

  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  // Built once the port is known (the cookie name carries it); no connection is accepted before this turn ends.
  const access = new AccessPolicy(options.token, port)

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handleHttp(request, response).catch(() => {
      if (!response.headersSent) files.reply(response, 500, 'Internal Server Error')
      else response.destroy()
    })
  })

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request)
    if (!url) return files.reply(response, 400, 'Bad Request')
    const decision = access.check(url, request.headers, false)
    if (!decision.allowed) return files.reply(response, 403, 'Forbidden')
    if (decision.cookie) response.setHeader('Set-Cookie', decision.cookie)
    if (url.pathname === BRIDGE_PATH) {
      return files.reply(response, 426, 'Upgrade Required', { Upgrade: 'websocket' })
    }
    await files.handle(request, response, url.pathname)
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(request)
    if (!url || url.pathname !== BRIDGE_PATH) return refuse(socket, 404, 'Not Found')
    if (!access.check(url, request.headers, true).allowed) return refuse(socket, 403, 'Forbidden')
    sockets.handleUpgrade(request, socket, head, (ws) => attach(ws))
  })

  function attach(ws: WebSocket): void {
    const session = new BridgeSession(options.backend, fanout, {
      send: (frame) => {
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.close(1013, 'too slow to follow the event streams')
        else ws.send(frame)
      },
      close: (code, reason) => ws.close(code, reason),
    })
    ws.on('message', (data, isBinary) => {
      if (isBinary) ws.close(1003, 'binary frames are not part of the bridge protocol')
      else session.receive(data.toString())
    })
    ws.on('close', () => session.dispose())
    ws.on('error', () => ws.terminate())
  }

  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  return {
    url: `${origin}/${options.token ? `?${TOKEN_PARAM}=${options.token}` : ''}`,
    host,
    port,
    get connectionCount() {
      return sockets.clients.size
    },
    close: async () => {
      for (const ws of sockets.clients) ws.close(1001, 'server shutting down')
      fanout.dispose()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      for (const ws of sockets.clients) ws.terminate()
      sockets.close()
    },
  }
}

function requestUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://bridge.invalid')
  } catch {
    return undefined
  }
}

function refuse(socket: Duplex, status: number, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

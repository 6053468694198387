import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { CONTENT_SECURITY_POLICY } from '@shared/api/security'
import { Backend } from '../../backend'
import { startWebBridge } from './web-bridge'
import type { WebBridge } from './web-bridge'

const renderer = mkdtempSync(join(tmpdir(), 'ioc-bridge-'))
mkdirSync(join(renderer, 'assets'))
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>IOC Studio</title>')
writeFileSync(join(renderer, 'assets', 'main-abc.js'), 'console.log(1)')

const open: Array<{ bridge: WebBridge; backend: Backend }> = []
async function bridge(token?: string): Promise<WebBridge> {
  const backend = new Backend({
    host: 'browser',
    version: '0.0.1',
    launchCaServer: () => Promise.reject(new Error('no CA server in this test')),
    flushIntervalMs: 5,
  })
  const started = await startWebBridge({ backend, rendererDir: renderer, token })
  open.push({ bridge: started, backend })
  return started
}

afterEach(async () => {
  for (const { bridge, backend } of open.splice(0)) {
    await bridge.close()
    await backend.dispose()
  }
})
afterAll(() => rmSync(renderer, { recursive: true, force: true }))

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A raw HTTP request: the path goes on the wire exactly as given (fetch would normalise `..`). */
function http(port: number, path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** Opens a socket; resolves with it once open, or rejects with the HTTP status that refused it. */
function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** Collects every frame a socket receives; `next()` waits for the next one not yet taken. */
function inbox(ws: WebSocket) {
  const frames: Record<string, unknown>[] = []
  let taken = 0
  let wake: (() => void) | undefined
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()))
    wake?.()
  })
  return {
    async next(): Promise<Record<string, unknown>> {
      while (frames.length <= taken) await new Promise<void>((resolve) => (wake = resolve))
      return frames[taken++]
    },
  }
}

function closed(ws: WebSocket): Promise<[number, string]> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve([code, reason.toString()])))
}

describe('startWebBridge on loopback', () => {
  it('serves the renderer with its CSP and the right types', async () => {
    const { port, url } = await bridge()
    expect(url).toBe(`http://127.0.0.1:${port}/`)
    const page = await http(port, '/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>IOC Studio</title>')
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['cache-control']).toBe('no-cache')
    const script = await http(port, '/assets/main-abc.js')
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.headers['cache-control']).toContain('immutable')
    expect((await http(port, '/assets/main-abc.js', { method: 'HEAD' })).headers['content-length']).toBe('14')
  })

  it('refuses to leave the renderer folder or to do anything but read', async () => {
    const { port } = await bridge()
    for (const path of [
      '/../../../../etc/passwd',
      '/assets/..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const reply = await http(port, path)
      expect(reply.status, path).toBe(404)
      expect(reply.body).not.toContain('root:')
    }
    expect((await http(port, '/', { method: 'POST' })).status).toBe(405)
    expect((await http(port, '/bridge')).status).toBe(426)
  })

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const { port } = await bridge()
    expect((await http(port, '/', { headers: { host: `attacker.example:${port}` } })).status).toBe(403)
  })

  it('carries requests, replies and events over /bridge', async () => {
    const { port } = await bridge()
    const ws = await connect(`ws://127.0.0.1:${port}/bridge`, { origin: `http://127.0.0.1:${port}` })
    const received = inbox(ws)
    ws.send(JSON.stringify({ type: 'request', id: 1, name: 'getServerStatus', args: [] }))
    expect(await received.next()).toEqual({
      type: 'reply',
      id: 1,
      ok: true,
      result: expect.objectContaining({ state: 'stopped' }),
    })

    ws.send(JSON.stringify({ type: 'subscribe', stream: 'onDidChangeServerStatus' }))
    ws.send(JSON.stringify({ type: 'request', id: 2, name: 'startServer', args: [] }))
    const frames = [await received.next(), await received.next(), await received.next()]
    expect(frames).toEqual([
      {
        type: 'event',
        stream: 'onDidChangeServerStatus',
        payload: expect.objectContaining({ state: 'starting' }),
      },
      {
        type: 'event',
        stream: 'onDidChangeServerStatus',
        payload: expect.objectContaining({ state: 'error' }),
      },
      {
        type: 'reply',
        id: 2,
        ok: true,
        result: expect.objectContaining({ error: 'no CA server in this test' }),
      },
    ])
    ws.close()
  })

  it('closes a socket that breaks the protocol and keeps serving the others', async () => {
    const { port } = await bridge()
    const origin = { origin: `http://127.0.0.1:${port}` }
    const rude = await connect(`ws://127.0.0.1:${port}/bridge`, origin)
    const polite = await connect(`ws://127.0.0.1:${port}/bridge`, origin)
    const rudeClosed = closed(rude)
    rude.send('{"type":"request","id":"one"}')
    expect(await rudeClosed).toEqual([1008, 'request without a valid id'])
    const binary = await connect(`ws://127.0.0.1:${port}/bridge`, origin)
    const binaryClosed = closed(binary)
    binary.send(Buffer.from([1, 2, 3]))
    expect((await binaryClosed)[0]).toBe(1003)

    const politeInbox = inbox(polite)
    polite.send(JSON.stringify({ type: 'request', id: 7, name: 'getAppInfo', args: [] }))
    expect(await politeInbox.next()).toMatchObject({ id: 7, ok: true })
    polite.close()
  })

  it('refuses sockets from other origins and other paths', async () => {
    const { port } = await bridge()
    await expect(
      connect(`ws://127.0.0.1:${port}/bridge`, { origin: 'https://attacker.example' }),
    ).rejects.toThrow('HTTP 403')
    await expect(connect(`ws://127.0.0.1:${port}/elsewhere`)).rejects.toThrow('HTTP 404')
  })

  it('closes open sockets when it closes', async () => {
    const b = await bridge()
    const ws = await connect(`ws://127.0.0.1:${b.port}/bridge`)
    expect(b.connectionCount).toBe(1)
    const wsClosed = closed(ws)
    await b.close()
    expect((await wsClosed)[0]).toBe(1001)
  })
})

describe('startWebBridge with an access token', () => {
  const token = 'k3y-for-this-test_only'

  it('puts the token in the URL and refuses every request without it', async () => {
    const { port, url } = await bridge(token)
    expect(url).toBe(`http://127.0.0.1:${port}/?token=${token}`)
    expect((await http(port, '/')).status).toBe(403)
    expect((await http(port, '/assets/main-abc.js')).status).toBe(403)
    expect((await http(port, '/?token=wrong')).status).toBe(403)
    await expect(connect(`ws://127.0.0.1:${port}/bridge`)).rejects.toThrow('HTTP 403')
  })

  it('lets the page in with the token, and its follow-up requests with the cookie it set', async () => {
    const { port } = await bridge(token)
    const page = await http(port, `/?token=${token}`)
    expect(page.status).toBe(200)
    const cookie = (page.headers['set-cookie'] ?? [])[0].split(';')[0]
    expect(cookie).toBe(`ioc_studio_token_${port}=${token}`)
    expect((await http(port, '/assets/main-abc.js', { headers: { cookie } })).status).toBe(200)
    const ws = await connect(`ws://127.0.0.1:${port}/bridge?token=${token}`)
    const received = inbox(ws)
    ws.send(JSON.stringify({ type: 'request', id: 1, name: 'getAppInfo', args: [] }))
    expect(await received.next()).toMatchObject({ ok: true })
    ws.close()
  })
})

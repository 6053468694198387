/**
 * The renderer's bridge client (src-shared/api/bridge-client.ts) against the real bridge and backend,
 * in Node with `ws` standing in for the browser's WebSocket: queuing before the socket opens, streams, and
 * what happens when the server goes away and comes back.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import type { LogEntry } from '../../src-shared/api/contract'
import { ApiError } from '../../src-shared/api/errors'
import { Backend } from '../../src-main/backend'
import type { CaServerLauncher } from '../../src-main/backend'
import { startWebBridge } from '../../src-main/cli/serve/web-bridge'
import type { WebBridge } from '../../src-main/cli/serve/web-bridge'
import { BridgeClient } from '../../src-shared/api/bridge-client'
import type { BridgeSocket, ConnectionState } from '../../src-shared/api/bridge-client'

const renderer = mkdtempSync(join(tmpdir(), 'ioc-client-'))
writeFileSync(join(renderer, 'index.html'), '<!doctype html>')

const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

function backend(
  launchCaServer: CaServerLauncher = () => Promise.reject(new Error('no CA server here')),
): Backend {
  const created = new Backend({
    host: 'browser',
    version: '0.0.1',
    launchCaServer,
    flushIntervalMs: 5,
  })
  cleanup.push(() => created.dispose())
  return created
}

async function bridge(b: Backend, port = 0): Promise<WebBridge> {
  const started = await startWebBridge({ backend: b, rendererDir: renderer, port })
  cleanup.push(() => started.close())
  return started
}

function client(port: number): BridgeClient {
  const created = new BridgeClient(
    `ws://127.0.0.1:${port}/bridge`,
    (url) => new WebSocket(url) as unknown as BridgeSocket,
  )
  cleanup.push(() => created.dispose())
  return created
}

function states(c: BridgeClient): ConnectionState[] {
  const seen: ConnectionState[] = []
  c.onDidChangeState((state) => seen.push(state))
  return seen
}

describe('BridgeClient', () => {
  it('sends requests made before the socket opens, and rebuilds API errors', async () => {
    const { port } = await bridge(backend())
    const c = client(port)
    expect(c.state).toBe('connecting')
    const info = c.api.getAppInfo()
    const bad = c.api.getRecentLog(-1)
    expect(await info).toMatchObject({ name: 'IOC Studio', host: 'browser' })
    const error = await bad.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'bad-arguments' })
    expect(c.state).toBe('open')
  })

  it('shares one subscription per stream among listeners', async () => {
    const b = backend()
    const { port } = await bridge(b)
    const c = client(port)
    const first: string[] = []
    const second: string[] = []
    const stopFirst = c.api.onDidLog((batch: LogEntry[]) => first.push(...batch.map((e) => e.message)))
    c.api.onDidLog((batch: LogEntry[]) => second.push(...batch.map((e) => e.message)))
    await c.api.getAppInfo()
    b.log('info', 'test', 'one')
    await expect.poll(() => second).toEqual(['one'])
    stopFirst()
    b.log('info', 'test', 'two')
    await expect.poll(() => second).toEqual(['one', 'two'])
    expect(first).toEqual(['one'])
  })

  it('fails requests in flight when the server goes, and reconnects and resubscribes when it is back', async () => {
    const holding: Array<() => void> = []
    const b = backend(
      () => new Promise((_resolve, reject) => holding.push(() => reject(new Error('released by the test')))),
    )
    cleanup.push(() => holding.forEach((release) => release()))
    const first = await bridge(b)
    const c = client(first.port)
    const seen = states(c)
    const logged: string[] = []
    c.api.onDidLog((batch: LogEntry[]) => logged.push(...batch.map((e) => e.message)))
    await c.api.getAppInfo()

    // A request the backend cannot answer before the socket closes: the CA server start is held.
    const stuck = c.api.startServer()
    await expect.poll(() => holding.length).toBe(1)
    await first.close()
    await expect(stuck).rejects.toMatchObject({ code: 'disconnected' })
    expect(c.state).toBe('reconnecting')

    await bridge(b, first.port)
    await expect.poll(() => c.state, { timeout: 5000 }).toBe('open')
    expect(seen).toEqual(['open', 'reconnecting', 'open'])
    b.log('info', 'test', 'after the reconnect')
    await expect.poll(() => logged).toContain('after the reconnect')
  })
})

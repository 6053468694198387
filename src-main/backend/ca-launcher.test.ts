import { createConnection } from 'node:net'
import type { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ServerStatus } from '@shared/api/contract'
import { Backend } from './backend'
import { caServerLauncher } from './ca-launcher'
import { dispatchRequest } from './dispatch'

/** Our real CA engine on loopback only, with a port of its own and no beacons leaving the machine. */
const launcher = (serverPort: number) =>
  caServerLauncher({
    env: {},
    config: { serverPort, interfaces: ['127.0.0.1'], autoBeaconAddresses: false, beaconAddresses: [] },
    clientPollMs: 20,
  })

const backends: Backend[] = []
const sockets: Socket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await Promise.all(backends.splice(0).map((b) => b.dispose()))
})

function backend(serverPort: number): Backend {
  const created = new Backend({ host: 'browser', version: '0.0.1', launchCaServer: launcher(serverPort) })
  backends.push(created)
  return created
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
    sockets.push(socket)
  })
}

describe('the Backend with our CA server', () => {
  it('serves on the configured port and counts connected clients', async () => {
    const b = backend(25064)
    const running = (await dispatchRequest(b, 'startServer', [])) as ServerStatus
    expect(running).toMatchObject({
      state: 'running',
      tcpPort: 25064,
      udpPort: 25064,
      interfaces: ['127.0.0.1'],
    })
    expect(running.clientCount).toBe(0)

    const counted = new Promise<number>((resolve) => b.onDidChangeServerStatus((s) => resolve(s.clientCount)))
    await connect(25064)
    expect(await counted).toBe(1)
  })

  it('frees its ports when stopped, so a restart gets them back', async () => {
    const b = backend(25065)
    await b.startServer()
    await b.stopServer()
    await expect(connect(25065)).rejects.toThrow(/ECONNREFUSED/)
    expect((await b.restartServer()).tcpPort).toBe(25065)
  })

  it('falls back to another TCP port when its own is taken, and says so', async () => {
    const first = backend(25066)
    await first.startServer()
    const second = backend(25066)
    const status = await second.startServer()
    expect(status.state).toBe('running')
    expect(status.tcpPort).not.toBe(25066)
    const log = await second.getRecentLog(10)
    expect(log.some((e) => e.level === 'warn' && e.message.includes('25066'))).toBe(true)
  })
})

import { createConnection, createServer } from 'node:net'
import type { Server, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ServerState } from '@shared/api/contract'
import { Emitter } from '@shared/base/event'
import { ServerController } from './server-controller'
import type { CaServerLauncher, RunningCaServer } from './server-controller'

/**
 * The controller is tested against a stand-in that really binds a loopback TCP port and counts real
 * connections, so port conflicts and client counts are the real thing; the CA protocol is not its business.
 */
function loopbackLauncher(port = 0): CaServerLauncher & { opened: Server[] } {
  const opened: Server[] = []
  const launch = () =>
    new Promise<RunningCaServer>((resolve, reject) => {
      const sockets = new Set<Socket>()
      const changed = new Emitter<void>()
      const server = createServer((socket) => {
        sockets.add(socket)
        changed.fire()
        socket.on('close', () => {
          sockets.delete(socket)
          changed.fire()
        })
      })
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        opened.push(server)
        const address = server.address()
        const tcpPort = typeof address === 'object' && address ? address.port : 0
        resolve({
          tcpPort,
          udpPort: tcpPort,
          interfaces: ['127.0.0.1'],
          warnings: [],
          get clientCount() {
            return sockets.size
          },
          pvCount: 0,
          onDidChangeCounts: changed.event,
          close: () =>
            new Promise<void>((done) => {
              for (const socket of sockets) socket.destroy()
              server.close(() => done())
            }),
        })
      })
    })
  return Object.assign(launch, { opened })
}

const controllers: ServerController[] = []
function controller(launch: CaServerLauncher, logs: string[] = []): ServerController {
  const created = new ServerController(launch, (level, message) => logs.push(`${level}: ${message}`))
  controllers.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.dispose()))
})

describe('ServerController', () => {
  it('starts, reports where it listens, and stops', async () => {
    const logs: string[] = []
    const server = controller(loopbackLauncher(), logs)
    const states: ServerState[] = []
    server.onDidChangeStatus((status) => states.push(status.state))

    const running = await server.start()
    expect(running.state).toBe('running')
    expect(running.tcpPort).toBeGreaterThan(0)
    expect(running.startedAt).toBeTypeOf('number')
    expect(server.status).toBe(running)

    const stopped = await server.stop()
    expect(stopped).toMatchObject({ state: 'stopped', tcpPort: null, error: null })
    expect(states).toEqual(['starting', 'running', 'stopping', 'stopped'])
    expect(logs[0]).toBe('info: Starting the Channel Access server')
    expect(logs).toContain(
      `info: Channel Access server running: TCP port ${running.tcpPort}, UDP port ${running.udpPort}`,
    )
  })

  it('releases the port when it stops', async () => {
    const launch = loopbackLauncher()
    const server = controller(launch)
    await server.start()
    await server.stop()
    expect(launch.opened[0].listening).toBe(false)
  })

  it('is idempotent and serialises overlapping calls', async () => {
    const launch = loopbackLauncher()
    const server = controller(launch)
    const [first, second] = await Promise.all([server.start(), server.start()])
    expect(second).toBe(first)
    expect(launch.opened).toHaveLength(1)
    const [, , last] = await Promise.all([server.stop(), server.stop(), server.start()])
    expect(last.state).toBe('running')
    expect(launch.opened).toHaveLength(2)
    expect(launch.opened[0].listening).toBe(false)
  })

  it('restarts on a fresh server', async () => {
    const launch = loopbackLauncher()
    const server = controller(launch)
    const before = await server.start()
    const after = await server.restart()
    expect(after.state).toBe('running')
    expect(after).not.toBe(before)
    expect(launch.opened).toHaveLength(2)
    expect(launch.opened[0].listening).toBe(false)
  })

  it('turns a failure to start into an error state, and recovers', async () => {
    const blocker = controller(loopbackLauncher())
    const { tcpPort } = await blocker.start()
    const logs: string[] = []
    const server = controller(loopbackLauncher(tcpPort as number), logs)
    const failed = await server.start()
    expect(failed.state).toBe('error')
    expect(failed.error).toMatch(/EADDRINUSE/)
    expect(logs.at(-1)).toMatch(/^error: The Channel Access server could not start: .*EADDRINUSE/)

    await blocker.stop()
    expect((await server.start()).state).toBe('running')
  })

  it('clears an error on stop', async () => {
    const server = controller(() => Promise.reject(new Error('no interface')))
    expect((await server.start()).error).toBe('no interface')
    expect(await server.stop()).toMatchObject({ state: 'stopped', error: null })
  })

  it('follows the client count of the running server', async () => {
    const server = controller(loopbackLauncher())
    const { tcpPort } = await server.start()
    const counted = new Promise<number>((resolve) => {
      const sub = server.onDidChangeStatus((status) => {
        sub.dispose()
        resolve(status.clientCount)
      })
    })
    const client = createConnection(tcpPort as number, '127.0.0.1')
    expect(await counted).toBe(1)
    client.destroy()
  })
})

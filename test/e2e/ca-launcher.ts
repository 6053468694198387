// TEMPORARY until src-main/ca/index.ts lands: a loopback TCP stand-in.
import { createServer } from 'node:net'
import { Emitter } from '../../src-shared/base/event'
import type { CaServerLauncher, RunningCaServer } from '../../src-main/backend'

export function testCaServerLauncher(): CaServerLauncher {
  return () =>
    new Promise<RunningCaServer>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port
        resolve({
          tcpPort: port,
          udpPort: port,
          interfaces: ['127.0.0.1'],
          clientCount: 0,
          pvCount: 0,
          onDidChangeCounts: new Emitter<void>().event,
          close: () => new Promise((done) => server.close(() => done())),
        })
      })
    })
}

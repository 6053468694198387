/**
 * The benchmark's server process: our CA server over a StaticPvProvider, in a process of its own so its RSS
 * can be measured and the load generator does not share its CPU accounting. run.ts drives it over IPC:
 * requests `{ id, cmd, ... }`, replies `{ id, ... }`.
 *
 *   addPvs { prefix, n }       DOUBLE PVs prefix0..prefix<n-1>
 *   memory                     RSS and heap after a full GC (the process runs with --expose-gc)
 *   postStart { prefix, n }    post new values to those PVs as fast as the event loop allows
 *   postStop                   stop posting; reply with the number of posts and seconds
 *   profileStart               start V8's CPU profiler (sampling every 200 µs)
 *   profileStop { file }       stop it and write the .cpuprofile to `file`
 *   exit                       close the server and exit
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { performance } from 'node:perf_hooks'
import { startCaServer } from '../../src-main/ca'
import { NativeType } from '../../src-main/ca/wire/snapshot'
import type { PvSnapshot } from '../../src-main/ca/wire/snapshot'
import { StaticPvProvider } from '../support/static-provider'
import type { StaticPv } from '../support/static-provider'

interface Request {
  readonly id: number
  readonly cmd: 'addPvs' | 'memory' | 'postStart' | 'postStop' | 'profileStart' | 'profileStop' | 'exit'
  readonly prefix?: string
  readonly n?: number
  readonly file?: string
}

const port = Number(process.argv[2])
const provider = new StaticPvProvider([
  { name: 'bench:double', type: NativeType.DOUBLE, value: 1 },
  { name: 'bench:put', type: NativeType.DOUBLE, value: 0 },
  { name: 'bench:putcb', type: NativeType.DOUBLE, value: 0 },
  { name: 'bench:fan0', type: NativeType.DOUBLE, value: 0 },
])
// Loopback clients only: beacons go nowhere; the environment is ignored so a developer's EPICS settings do not
// change the numbers.
const server = await startCaServer({
  provider,
  config: { serverPort: port, autoBeaconAddresses: false, beaconAddresses: [] },
  env: {},
})

/** Posts a fresh snapshot to every PV in turn, in slices of ~5 ms so the server's sockets get their turns. */
class Poster {
  posts = 0
  private running = false
  private startedAt = 0

  constructor(private readonly pvs: readonly StaticPv[]) {}

  start(): void {
    this.running = true
    this.startedAt = performance.now()
    setImmediate(() => this.slice())
  }

  stop(): { posts: number; seconds: number } {
    this.running = false
    return { posts: this.posts, seconds: (performance.now() - this.startedAt) / 1000 }
  }

  private slice(): void {
    if (!this.running) return
    const until = performance.now() + 5
    do {
      for (const pv of this.pvs) {
        const previous = pv.snapshot
        const next: PvSnapshot = { ...previous, value: new Float64Array([(previous.value[0] as number) + 1]) }
        pv.post(next)
      }
      this.posts += this.pvs.length
    } while (performance.now() < until)
    setImmediate(() => this.slice())
  }
}

let poster: Poster | undefined

function names(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`)
}

let profiler: Session | undefined

async function handle(request: Request): Promise<object> {
  switch (request.cmd) {
    case 'addPvs':
      for (const name of names(request.prefix!, request.n!)) {
        if (!provider.has(name)) provider.add({ name, type: NativeType.DOUBLE, value: 0 })
      }
      return { pvs: provider.names().length }
    case 'memory': {
      globalThis.gc?.()
      const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage()
      return { rss, heapUsed, external, arrayBuffers, clients: server.clients().length }
    }
    case 'postStart':
      poster = new Poster(names(request.prefix!, request.n!).map((name) => provider.get(name)))
      poster.start()
      return {}
    case 'postStop':
      return poster ? poster.stop() : { posts: 0, seconds: 0 }
    case 'profileStart':
      profiler = new Session()
      profiler.connect()
      await profiler.post('Profiler.enable')
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 })
      await profiler.post('Profiler.start')
      return {}
    case 'profileStop': {
      const { profile } = await profiler!.post('Profiler.stop')
      profiler!.disconnect()
      writeFileSync(request.file!, JSON.stringify(profile))
      return {}
    }
    case 'exit':
      return {}
  }
}

process.on('message', async (request: Request) => {
  const reply = await handle(request)
  process.send!({ id: request.id, ...reply })
  if (request.cmd === 'exit') void server.close().then(() => process.exit(0))
})
// If the runner dies, do not linger holding the port.
process.on('disconnect', () => process.exit(1))
process.send!({ event: 'ready', tcpPort: server.tcpPort, udpPort: server.udpPort })

/**
 * `npm run bench`: builds the C load generator (ca-load.c, against Debian's libca), starts our CA server with
 * a StaticPvProvider in a child process (server-child.ts) and measures it with real libca clients: connects/s,
 * pipelined gets/s and puts/s, put-callbacks/s, monitor updates/s (1 PV x 100 subscriptions; 10,000 PVs x 10
 * clients), get latency and server RSS per 100,000 channels. Prints a table against the issue's floors and the
 * quoted C-server and caproto figures and writes test/bench/build/bench-result.json.
 *
 *   --profile   profile the server (V8 CPU profiler) during each phase and print its hottest functions
 *   --quick     shorter runs (a smoke test of the bench itself)
 * Environment: BENCH_PORT (default 16900; the repeater port is the next one).
 */
import { execFileSync, fork, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { TestRepeater } from '../interop/support/repeater'
import { hotSpots } from './profile-summary'

const ROOT = resolve(import.meta.dirname, '../..')
const HERE = resolve(ROOT, 'test/bench')
const BUILD = resolve(HERE, 'build')
const PROFILE_DIR = resolve(BUILD, 'profile')
const LIBCA = '/usr/lib/x86_64-linux-gnu/libca.so'
const PORT = Number(process.env.BENCH_PORT ?? 16900)
const PROFILE = process.argv.includes('--profile')
const QUICK = process.argv.includes('--quick')
const SECONDS = QUICK ? 1 : 3
const WINDOW = 20_000
const CONNECT_CHANNELS = 10_000
const RSS_CHANNELS = 100_000

/** From the issue: our floors, and what EPICS base's C server (rsrv) and caproto do on this kind of machine. */
const FLOOR = { connects: 50_000, gets: 1_000_000, puts: 1_000_000, updates: 1_000_000 }
const C_SERVER = { connects: 200_000, gets: 5_000_000 }
const CAPROTO = { connects: 1_500, gets: 15_000 }

type Json = Record<string, number | string>

function buildLoadGenerator(): string {
  if (!existsSync(LIBCA)) {
    console.error(`${LIBCA} is missing: apt-get install -y libca-dev gcc`)
    process.exit(1)
  }
  mkdirSync(BUILD, { recursive: true })
  const binary = join(BUILD, 'ca-load')
  execFileSync('gcc', [
    '-O2',
    '-Wall',
    '-std=c11',
    '-D_DEFAULT_SOURCE',
    `-I${HERE}`,
    '-o',
    binary,
    join(HERE, 'ca-load.c'),
    LIBCA,
    '-lpthread',
  ])
  return binary
}

const clientEnv = {
  PATH: process.env.PATH,
  EPICS_CA_ADDR_LIST: '127.0.0.1',
  EPICS_CA_AUTO_ADDR_LIST: 'NO',
  EPICS_CA_SERVER_PORT: String(PORT),
  EPICS_CA_REPEATER_PORT: String(PORT + 1),
}

/** The server process and its IPC request/reply channel. */
class ServerChild {
  readonly ready: Promise<Json>
  private readonly child: ChildProcess
  private nextId = 1
  private readonly replies = new Map<number, (reply: Json) => void>()

  constructor() {
    const execArgv = ['--import', 'tsx', '--expose-gc']
    // tsx reads the `@shared/*` alias from tsconfig.node.json (the root tsconfig only holds references).
    const env = { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json') }
    this.child = fork(join(HERE, 'server-child.ts'), [String(PORT)], { execArgv, cwd: ROOT, env })
    this.ready = new Promise((resolveReady, reject) => {
      this.child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)))
      this.child.on('message', (message: Json & { id?: number; event?: string }) => {
        if (message.event === 'ready') resolveReady(message)
        else if (message.id !== undefined) this.replies.get(message.id)?.(message)
      })
    })
  }

  request(cmd: string, extra: Json = {}): Promise<Json> {
    const id = this.nextId++
    return new Promise((resolveReply) => {
      this.replies.set(id, resolveReply)
      this.child.send({ id, cmd, ...extra })
    })
  }

  async exit(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r))
    await this.request('exit')
    await exited
  }
}

/** One ca-load process. Modes that wait for "go" print a ready event first. */
class LoadProcess {
  readonly ready: Promise<Json>
  readonly result: Promise<Json>
  private readonly child: ChildProcess

  constructor(binary: string, args: readonly (string | number)[]) {
    this.child = spawn(binary, args.map(String), { env: clientEnv, stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    let onReady: (event: Json) => void = () => {}
    this.ready = new Promise((r) => (onReady = r))
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const lines = out.split('\n')
      out = lines.pop()!
      for (const line of lines) {
        const parsed = JSON.parse(line) as Json
        if (parsed.event === 'ready') onReady(parsed)
        else this.lastResult = parsed
      }
    })
    this.result = new Promise((resolveResult, reject) =>
      this.child.on('close', (code) =>
        code === 0 && this.lastResult
          ? resolveResult(this.lastResult)
          : reject(new Error(`ca-load ${args.join(' ')} exited with ${code}`)),
      ),
    )
  }

  private lastResult: Json | undefined

  go(): void {
    this.child.stdin!.write('go\n')
  }

  /** For `hold`: closing stdin makes it exit. */
  release(): void {
    this.child.stdin!.end()
  }
}

function run(binary: string, ...args: (string | number)[]): Promise<Json> {
  const load = new LoadProcess(binary, args)
  load.release()
  return load.result
}

async function monitorRun(
  binary: string,
  server: ServerChild,
  prefix: string,
  pvs: number,
  clients: number,
  subscriptionsPerPv: number,
) {
  const loads = Array.from(
    { length: clients },
    () => new LoadProcess(binary, ['monitor', prefix, pvs, subscriptionsPerPv, SECONDS]),
  )
  await Promise.all(loads.map((l) => l.ready))
  await server.request('postStart', { prefix, n: pvs })
  // Let the posting loop and the clients reach a steady state before the clients start counting.
  await new Promise((r) => setTimeout(r, 300))
  for (const load of loads) load.go()
  const results = await Promise.all(loads.map((l) => l.result))
  const posted = await server.request('postStop')
  const perSecond = results.reduce((sum, r) => sum + Number(r.perSecond), 0)
  return {
    perSecond,
    subscriptions: pvs * clients * subscriptionsPerPv,
    postsPerSecond: Number(posted.posts) / Number(posted.seconds),
    failed: results.reduce((sum, r) => sum + Number(r.failed), 0),
  }
}

function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined || !Number.isFinite(n)) return '—'
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

function ratio(ours: number, reference: number | undefined): string {
  return reference ? `${(ours / reference).toFixed(2)}x` : '—'
}

async function main(): Promise<void> {
  const binary = buildLoadGenerator()
  rmSync(PROFILE_DIR, { recursive: true, force: true })
  if (PROFILE) mkdirSync(PROFILE_DIR)
  // Debian has no caRepeater program; without a repeater each libca client complains that it cannot start one.
  const repeater = await TestRepeater.start(PORT + 1)
  const server = new ServerChild()
  await server.ready
  await server.request('addPvs', { prefix: 'bench:n:', n: CONNECT_CHANNELS })
  const started = Date.now()
  const loadBefore = loadavg()[0]

  /** Runs one measurement; with --profile the server's CPU profile of just that phase is kept. */
  const profiles: Array<[string, string]> = []
  const phase = async <T>(name: string, measure: () => Promise<T>): Promise<T> => {
    if (!PROFILE) return measure()
    await server.request('profileStart')
    const result = await measure()
    const file = join(PROFILE_DIR, `${name}.cpuprofile`)
    await server.request('profileStop', { file })
    profiles.push([name, file])
    return result
  }

  const connects: Json[] = []
  for (let i = 0; i < 3; i++) {
    connects.push(await phase(`connect-${i + 1}`, () => run(binary, 'connect', 'bench:n:', CONNECT_CHANNELS)))
  }
  const connect = connects.reduce((best, r) => (Number(r.perSecond) > Number(best.perSecond) ? r : best))
  const get = await phase('get', () => run(binary, 'get', 'bench:double', SECONDS, WINDOW))
  const put = await phase('put', () => run(binary, 'put', 'bench:put', SECONDS))
  const putcb = await phase('putcb', () => run(binary, 'putcb', 'bench:putcb', SECONDS, WINDOW))
  const latency = await phase('latency', () => run(binary, 'latency', 'bench:double', QUICK ? 2_000 : 20_000))
  const fanout = await phase('fanout', () => monitorRun(binary, server, 'bench:fan', 1, 1, 100))
  const wide = await phase('wide', () => monitorRun(binary, server, 'bench:n:', CONNECT_CHANNELS, 10, 1))

  await server.request('addPvs', { prefix: 'bench:r:', n: RSS_CHANNELS })
  const before = await server.request('memory')
  const hold = new LoadProcess(binary, ['hold', 'bench:r:', RSS_CHANNELS])
  await hold.ready
  const after = await server.request('memory')
  hold.release()
  await hold.result
  await server.exit()
  await repeater.close()
  const rssPer100k = ((Number(after.rss) - Number(before.rss)) * (100_000 / RSS_CHANNELS)) / 2 ** 20
  const heapPer100k =
    ((Number(after.heapUsed) - Number(before.heapUsed)) * (100_000 / RSS_CHANNELS)) / 2 ** 20

  const rows: Array<[string, number, number | undefined, number | undefined, number | undefined, string]> = [
    [
      'channel connects/s (10,000 channels)',
      Number(connect.perSecond),
      FLOOR.connects,
      C_SERVER.connects,
      CAPROTO.connects,
      '',
    ],
    ['pipelined gets/s (DBR_DOUBLE)', Number(get.perSecond), FLOOR.gets, C_SERVER.gets, CAPROTO.gets, ''],
    ['puts/s (ca_array_put)', Number(put.perSecond), FLOOR.puts, undefined, undefined, ''],
    ['put-callbacks/s', Number(putcb.perSecond), undefined, undefined, undefined, ''],
    [
      'updates/s, 1 PV x 100 subscriptions',
      fanout.perSecond,
      FLOOR.updates,
      undefined,
      undefined,
      `server posted ${fmt(fanout.postsPerSecond)}/s`,
    ],
    [
      'updates/s, 10,000 PVs x 10 clients',
      wide.perSecond,
      FLOOR.updates,
      undefined,
      undefined,
      `server posted ${fmt(wide.postsPerSecond)}/s`,
    ],
  ]
  const machine = {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    nproc: availableParallelism(),
    node: process.version,
    // Other work on the machine moves every number; the 1-minute load average before and after says how much.
    loadAverage: [loadBefore, loadavg()[0]],
  }
  console.log(
    `\nIOC Studio CA server benchmark — ${machine.date}, ${machine.cpu}, ${machine.nproc} cores, node ${machine.node}, ` +
      `load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`,
  )
  console.log(
    `${'metric'.padEnd(40)} ${'ours'.padStart(12)} ${'floor'.padStart(10)} ${'/floor'.padStart(7)} ${'C rsrv'.padStart(10)} ${'/C'.padStart(6)} ${'caproto'.padStart(8)} ${'/caproto'.padStart(9)}`,
  )
  for (const [name, ours, floor, c, caproto, note] of rows) {
    console.log(
      `${name.padEnd(40)} ${fmt(ours).padStart(12)} ${fmt(floor).padStart(10)} ${ratio(ours, floor).padStart(7)} ` +
        `${fmt(c).padStart(10)} ${ratio(ours, c).padStart(6)} ${fmt(caproto).padStart(8)} ${ratio(ours, caproto).padStart(9)}  ${note}`,
    )
  }
  console.log(
    `${'get latency p50 / p99 (µs, one at a time)'.padEnd(40)} ${`${fmt(Number(latency.p50us))} / ${fmt(Number(latency.p99us))}`.padStart(12)}`,
  )
  console.log(
    `${'server RSS per 100,000 channels (MiB)'.padEnd(40)} ${fmt(rssPer100k, 1).padStart(12)}   (JS heap ${fmt(heapPer100k, 1)} MiB)`,
  )
  const checks = [
    `get value ${get.lastValue} (PV holds 1)`,
    `put read-back ${put.readBack} of ${put.lastWritten} written`,
    `failed replies: gets ${get.failed}, put-callbacks ${putcb.failed}, updates ${fanout.failed + wide.failed}`,
  ]
  console.log(checks.join('; '))

  const result = {
    machine,
    seconds: (Date.now() - started) / 1000,
    connect: { best: connect, runs: connects },
    get,
    put,
    putcb,
    latency,
    fanout,
    wide,
    rss: { channels: RSS_CHANNELS, before, after, rssPer100kMiB: rssPer100k, heapPer100kMiB: heapPer100k },
  }
  writeFileSync(join(BUILD, 'bench-result.json'), `${JSON.stringify(result, null, 2)}\n`)
  console.log(
    `total ${result.seconds.toFixed(0)} s; results in ${join('test/bench/build', 'bench-result.json')}`,
  )

  for (const [name, file] of profiles) {
    console.log(`\nserver hot spots during ${name} (self time; ${relative(ROOT, file)}):`)
    for (const spot of hotSpots(file, ROOT, 8)) {
      console.log(`${spot.percent.toFixed(1).padStart(5)}%  ${spot.name}  ${spot.location}`)
    }
  }
}

await main()

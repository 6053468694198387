/**
 * Python hook benchmarks: Pyodide start-up time, hook call overhead, puts/s through a Python putter (in process
 * and over Channel Access with Debian's libca), and memory with 10,000 PVs defined in Python.
 *
 *   npx tsx test/bench/python-hooks.ts [--quick]
 *
 * The CA numbers use the bench's C load generator (test/bench/ca-load.c, built here into a scratch directory
 * with gcc against libca); without gcc or libca-dev they are skipped with a note. Prints a table and one JSON
 * line (`python-hooks-result {...}`). Environment: PYTHON_BENCH_PORT (default 17900; the repeater port is the
 * next one).
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const ROOT = resolve(import.meta.dirname, '../..')

if (!process.env.TSX_TSCONFIG_PATH) {
  // tsx reads the `@shared/*` alias from tsconfig.node.json (the root tsconfig only holds references): run again
  // with it, so plain `npx tsx test/bench/python-hooks.ts` works.
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json') },
  })
  process.exit(again.status ?? 1)
}

const { startCaServer } = await import('../../src-main/ca')
const { PvDatabase } = await import('../../src-main/ioc')
const { PythonIoc } = await import('../../src-main/python/python-ioc')
const { PythonRuntime } = await import('../../src-main/python/runtime')

const QUICK = process.argv.includes('--quick')
const SECONDS = QUICK ? 1 : 3
const CALLS = QUICK ? 20_000 : 100_000
const PORT = Number(process.env.PYTHON_BENCH_PORT ?? 17900)
const LIBCA = '/usr/lib/x86_64-linux-gnu/libca.so'

const HOOKS_SCRIPT = `
import asyncio
from caproto.server import PVGroup, pvproperty, run


class Bench(PVGroup):
    plain = pvproperty(value=0.0, doc='no hooks: the baseline')
    accept = pvproperty(value=0.0, doc='putter that accepts (returns None)')
    coerce = pvproperty(value=0.0, doc='putter that returns the value to store')
    writes = pvproperty(value=0.0, doc='putter that writes another PV')
    awaits = pvproperty(value=0.0, doc='putter that awaits once (goes through the event loop)')
    target = pvproperty(value=0.0)

    @accept.putter
    async def accept(self, instance, value):
        pass

    @coerce.putter
    async def coerce(self, instance, value):
        return value

    @writes.putter
    async def writes(self, instance, value):
        await self.target.write(value)

    @awaits.putter
    async def awaits(self, instance, value):
        await asyncio.sleep(0)


run(Bench(prefix='bench:').pvdb)
`

const BIG_SCRIPT = `
from caproto.server import PVGroup, pvproperty, run

Big = type('Big', (PVGroup,), {f'pv{i}': pvproperty(value=float(i), precision=2, units='mm') for i in range(10_000)})
run(Big(prefix='big:').pvdb)
`

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10

function measure(calls: number, work: (i: number) => unknown): number {
  const started = performance.now()
  for (let i = 0; i < calls; i++) work(i)
  return ((performance.now() - started) * 1000) / calls
}

async function measureAsync(calls: number, work: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < calls; i++) await work(i)
  return ((performance.now() - started) * 1000) / calls
}

function buildLoadGenerator(dir: string): string | undefined {
  if (!existsSync(LIBCA)) return undefined
  const binary = join(dir, 'ca-load')
  try {
    execFileSync('gcc', [
      '-O2',
      '-std=c11',
      '-D_DEFAULT_SOURCE',
      `-I${join(ROOT, 'test/bench')}`,
      '-o',
      binary,
      join(ROOT, 'test/bench/ca-load.c'),
      LIBCA,
      '-lpthread',
    ])
    return binary
  } catch {
    return undefined
  }
}

async function caLoad(binary: string, ...args: Array<string | number>): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)(binary, args.map(String), {
    env: {
      PATH: process.env.PATH,
      EPICS_CA_ADDR_LIST: '127.0.0.1',
      EPICS_CA_AUTO_ADDR_LIST: 'NO',
      EPICS_CA_SERVER_PORT: String(PORT),
      EPICS_CA_REPEATER_PORT: String(PORT + 1),
    },
    timeout: 120_000,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>
}

const rssBefore = process.memoryUsage().rss
const runtime = new PythonRuntime({ log: () => {} })
await runtime.ready
const startupMs = runtime.loadMs
const rssPython = process.memoryUsage().rss

const database = new PvDatabase()
const ioc = new PythonIoc({ runtime, database })
await ioc.load({ source: HOOKS_SCRIPT, filename: 'bench.py' })
const pv = (name: string) => {
  const found = database.get(`bench:${name}`)
  if (!found) throw new Error(`no PV bench:${name}`)
  return found
}

// Hook call overhead, in process: the same write pipeline with and without a Python putter.
for (const name of ['plain', 'accept', 'coerce', 'writes']) measure(2000, (i) => pv(name).putNow(i)) // warm up
const inProcess: Record<string, number> = {}
for (const name of ['plain', 'accept', 'coerce', 'writes'])
  inProcess[name] = measure(CALLS, (i) => pv(name).putNow(i))
inProcess.awaits = await measureAsync(QUICK ? 500 : 2000, (i) => pv('awaits').put(i))
const overhead = inProcess.accept - inProcess.plain

// Over Channel Access with libca.
const scratch = mkdtempSync(join(tmpdir(), 'python-bench-'))
const binary = buildLoadGenerator(scratch)
const overCa: Record<string, { put?: number; putcb: number }> = {}
let caNote = ''
if (binary) {
  const server = await startCaServer({
    provider: database,
    config: { serverPort: PORT, interfaces: ['127.0.0.1'], autoBeaconAddresses: false, beaconAddresses: [] },
    env: {},
  })
  for (const name of ['plain', 'accept', 'writes', 'awaits']) {
    // Unacknowledged puts flood a putter that awaits faster than the event loop turns; only bounded windows
    // (put-callbacks) make sense there.
    const put = name === 'awaits' ? undefined : await caLoad(binary, 'put', `bench:${name}`, SECONDS)
    const putcb = await caLoad(binary, 'putcb', `bench:${name}`, SECONDS, 1000)
    overCa[name] = { put: put?.perSecond, putcb: putcb.perSecond }
  }
  await server.close()
} else caNote = 'CA numbers skipped: needs gcc and libca-dev (apt-get install -y libca-dev)'
rmSync(scratch, { recursive: true, force: true })
await ioc.stop()

// 10,000 PVs defined in Python.
global.gc?.()
const rssBeforeBig = process.memoryUsage().rss
const bigDatabase = new PvDatabase()
const bigIoc = new PythonIoc({ runtime, database: bigDatabase })
const bigStarted = performance.now()
await bigIoc.load({ source: BIG_SCRIPT, filename: 'big.py' })
const bigLoadMs = performance.now() - bigStarted
global.gc?.()
const rssBig = process.memoryUsage().rss
const bigPutUs = measure(CALLS / 10, (i) => bigDatabase.get(`big:pv${i % 10_000}`)?.putNow(i))

const rows: Array<[string, string]> = [
  ['Pyodide start-up (load + shim)', `${startupMs.toFixed(0)} ms`],
  ['RSS added by Python', `${mb(rssPython - rssBefore)} MB`],
  ['put, no hook (in process)', `${inProcess.plain.toFixed(2)} µs`],
  ['put, Python putter that accepts', `${inProcess.accept.toFixed(2)} µs`],
  ['put, Python putter that coerces', `${inProcess.coerce.toFixed(2)} µs`],
  ['put, Python putter writing another PV', `${inProcess.writes.toFixed(2)} µs`],
  ['put, Python putter that awaits once', `${inProcess.awaits.toFixed(1)} µs`],
  ['hook call overhead (accept - none)', `${overhead.toFixed(2)} µs`],
  ...Object.entries(overCa).flatMap(([name, rate]): Array<[string, string]> => [
    ...(rate.put === undefined
      ? []
      : ([[`CA puts/s, ${name}`, Math.round(rate.put).toLocaleString('en')]] as Array<[string, string]>)),
    [`CA put-callbacks/s, ${name}`, Math.round(rate.putcb).toLocaleString('en')],
  ]),
  ['10,000 Python PVs: load + define', `${bigLoadMs.toFixed(0)} ms`],
  ['10,000 Python PVs: RSS added', `${mb(rssBig - rssBeforeBig)} MB`],
  ['10,000 Python PVs: put, no hook', `${bigPutUs.toFixed(2)} µs`],
]
const width = Math.max(...rows.map(([label]) => label.length))
console.log(
  `\nPython hooks (${QUICK ? 'quick' : 'full'} run, Node ${process.version}, Pyodide ${runtime.pyodideVersion})`,
)
for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`)
if (caNote) console.log(`  ${caNote}`)
console.log(
  `python-hooks-result ${JSON.stringify({
    startupMs,
    pythonRssMb: mb(rssPython - rssBefore),
    putUs: inProcess,
    hookOverheadUs: overhead,
    ca: overCa,
    bigPvs: { count: 10_000, loadMs: bigLoadMs, rssMb: mb(rssBig - rssBeforeBig), putUs: bigPutUs },
  })}`,
)
await bigIoc.stop()
runtime.dispose()

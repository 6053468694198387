import { createSocket } from 'node:dgram'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import type { Project } from '@shared/model/project'
import { CaClient } from '../../test/examples/support/ca-client'
import { pyepics } from '../../test/support/system'
import { RawCaClient } from '../ca/server/testing/raw-client'
import { PythonRuntime } from '../python/runtime'
import type { HookFailureReport as HookError } from '../python/python-ioc'
import { ProjectSession } from './project-session'

const ports = { serverPort: 18100, repeaterPort: 18101 }
const caConfig = {
  serverPort: ports.serverPort,
  interfaces: ['127.0.0.1'],
  autoBeaconAddresses: false,
  beaconAddresses: [{ host: '127.0.0.1', port: ports.repeaterPort }],
}

interface Line {
  level: string
  source: string
  message: string
}
const lines: Line[] = []
const log = (level: string, source: string, message: string) => lines.push({ level, source, message })
let runtime: PythonRuntime
let session: ProjectSession | undefined

beforeAll(async () => {
  runtime = new PythonRuntime({ log, hookTimeLimitMs: 500 })
  await runtime.ready
})
afterAll(() => runtime.dispose())
afterEach(async () => {
  await session?.dispose()
  session = undefined
  lines.length = 0
})

function newSession(): ProjectSession {
  session = new ProjectSession({ log, python: runtime, caConfig, env: {}, shutdownTimeoutMs: 500 })
  return session
}

const SCRIPT = `
from caproto.server import PVGroup, ioc_arg_parser, pvproperty, run

class Demo(PVGroup):
    val = pvproperty(value=1.0, precision=2)
    doubled = pvproperty(value=2.0, read_only=True)
    broken = pvproperty(value=0)

    @val.putter
    async def val(self, instance, value):
        if value < 0:
            raise ValueError(f'{value} is negative')
        await self.doubled.write(value * 2)

    @broken.startup
    async def broken(self, instance, async_lib):
        await async_lib.sleep(0.05)
        1 / 0

    @val.shutdown
    async def val(self, instance, async_lib):
        print('shutting down at', instance.value)

if __name__ == '__main__':
    ioc_options, run_options = ioc_arg_parser(default_prefix='demo:', desc='demo')
    ioc = Demo(**ioc_options)
    run(ioc.pvdb, **run_options)
`

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('ProjectSession with a caproto script', () => {
  it('runs it: PVs defined, served on the configured port, status reported at each step', async () => {
    const s = newSession()
    const states: string[] = []
    s.onDidChangeStatus((status) => states.push(status.state))
    const status = await s.startScript(SCRIPT, 'demo.py', ['--prefix', 'p:'])
    expect(status).toMatchObject({
      state: 'running',
      tcpPort: ports.serverPort,
      udpPort: ports.serverPort,
      interfaces: ['127.0.0.1'],
      pvCount: 3,
      error: null,
    })
    expect(states).toEqual(['starting', 'running'])
    expect(s.database.list().map((pv) => pv.name)).toEqual(['p:val', 'p:doubled', 'p:broken'])
    expect(lines.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        'demo.py: 3 PVs',
        'Channel Access server running: TCP port 18100, UDP port 18100 on 127.0.0.1',
      ]),
    )
  })

  it('reports hook failures as events with the PV, hook, message, traceback and script line', async () => {
    const s = newSession()
    const errors: HookError[] = []
    s.onDidHookError((error) => errors.push(error))
    await s.startScript(SCRIPT, 'demo.py')
    await until(() => errors.length > 0, 'the startup hook to fail')
    expect(errors[0]).toMatchObject({
      pv: 'demo:broken',
      hook: 'startup',
      message: 'ZeroDivisionError: division by zero',
      line: 18,
    })
    expect(errors[0].traceback).toMatch(/File "demo.py", line 18, in broken\n/)

    const outcome = await s.database.get('demo:val')?.put(-1)
    expect(outcome?.message).toMatch(/-1(\.0)? is negative/)
    await until(() => errors.length > 1, 'the putter failure')
    expect(errors[1]).toMatchObject({
      pv: 'demo:val',
      hook: 'putter',
      message: 'ValueError: -1.0 is negative',
      line: 12,
    })
  })

  it('also reports scan exceptions, the watchdog, and a failing __ainit__', async () => {
    const s = newSession()
    const errors: HookError[] = []
    s.onDidHookError((error) => errors.push(error))
    await s.startScript(
      `from caproto.server import PVGroup, pvproperty, run
class Ioc(PVGroup):
    tick = pvproperty(value=0)
    spin = pvproperty(value=0)

    @tick.scan(period=0.05)
    async def tick(self, instance, async_lib):
        raise RuntimeError('no tick')

    @spin.putter
    async def spin(self, instance, value):
        while True:
            pass

    async def __ainit__(self, async_lib):
        raise KeyError('setup')

ioc = Ioc(prefix='w:')
run(ioc.pvdb, startup_hook=ioc.__ainit__)
`,
      'watch.py',
    )
    await s.database.get('w:spin')?.put(1)
    await until(() => errors.some((e) => e.hook === 'scan') && errors.length >= 3, 'three kinds of failure')
    expect(errors.find((e) => e.hook === '__ainit__')).toMatchObject({
      pv: null,
      message: "KeyError: 'setup'",
      line: 16,
    })
    expect(errors.find((e) => e.hook === 'scan')).toMatchObject({
      pv: 'w:tick',
      message: 'RuntimeError: no tick',
      line: 8,
    })
    expect(errors.find((e) => e.hook === 'putter')).toMatchObject({
      pv: 'w:spin',
      message: 'putter ran longer than 0.5 s and was interrupted by the watchdog',
    })
  })

  it('stop runs shutdown hooks, closes connected clients and removes the PVs; it can start again', async () => {
    const s = newSession()
    await s.startScript(SCRIPT, 'demo.py')
    const client = await RawCaClient.connect(ports.serverPort)
    await s.database.get('demo:val')?.put(3)
    const stopped = await s.stop()
    expect(stopped).toMatchObject({ state: 'stopped', pvCount: 0, tcpPort: null })
    await client.closed
    expect(lines).toContainEqual({ level: 'info', source: 'demo:val', message: 'shutting down at 3.0' })
    expect(s.database.size).toBe(0)

    expect((await s.startScript(SCRIPT, 'demo.py')).state).toBe('running')
    expect(s.database.get('demo:val')?.value).toBe(1)
  })

  it('a script that fails is an error status with the reason; nothing is served and a fixed one starts', async () => {
    const s = newSession()
    const status = await s.startScript('from caproto.server import pvproperty\n1/0\n', 'bad.py')
    expect(status).toMatchObject({ state: 'error', error: 'bad.py: ZeroDivisionError: division by zero' })
    expect(s.database.size).toBe(0)
    expect((await s.startScript(SCRIPT, 'demo.py')).state).toBe('running')
  })

  it('a port it cannot bind is an error status; the script is unloaded again', async () => {
    // Another process holds the UDP search port on this interface.
    const udp = createSocket('udp4')
    await new Promise<void>((resolve) => udp.bind(ports.serverPort + 2, '127.0.0.1', resolve))
    try {
      const s = new ProjectSession({
        log,
        python: runtime,
        env: {},
        caConfig: { ...caConfig, serverPort: ports.serverPort + 2 },
      })
      session = s
      const status = await s.startScript(SCRIPT, 'demo.py')
      expect(status.state).toBe('error')
      expect(status.error).toMatch(/18102/)
      expect(s.database.size).toBe(0)
    } finally {
      udp.close()
    }
  })

  it('checks Python syntax with compile()', async () => {
    const s = newSession()
    expect(await s.checkPythonSyntax(SCRIPT, 'demo.py')).toEqual([])
    expect(await s.checkPythonSyntax('def f(:\n  pass\n', 'x.py')).toEqual([
      { line: 1, column: 7, message: 'invalid syntax' },
    ])
  })
})

const PROJECT: Project = {
  formatVersion: 1,
  server: { name: 'Oven', className: 'Oven', prefix: 'oven:', hookTimeLimitMs: 300 },
  pvs: [
    {
      name: 'T',
      type: 'DOUBLE',
      value: 20,
      alarmLimits: {
        lolo: { enabled: true, value: 0 },
        low: { enabled: true, value: 10 },
        high: { enabled: true, value: 80 },
        hihi: { enabled: true, value: 100, severity: 'INVALID' },
        hysteresis: 2,
      },
    },
    {
      name: 'SP',
      type: 'DOUBLE',
      value: 25,
      controlLimits: { low: { enabled: true, value: 0 }, high: { enabled: true, value: 120 }, mode: 'clamp' },
      autosave: true,
      hooks: { putter: 'await self.T.write(value)' },
    },
  ],
  access: { rules: [{ pvPattern: '*:T', access: 'READ' }] },
}

describe('ProjectSession with a project', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-session-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('runs the exported script and applies what caproto cannot say: severities, clamping, access rules', async () => {
    const s = newSession()
    expect(await s.start(PROJECT)).toMatchObject({ state: 'running', pvCount: 2 })
    const t = s.database.get('oven:T')
    expect(t?.spec.alarmLimits).toMatchObject({ hihi: 100, hihiSeverity: 3, hysteresis: 2 })
    expect(s.database.get('oven:SP')?.spec.controlLimits).toEqual({ low: 0, high: 120, mode: 'clamp' })
    expect(s.database.accessRules).toEqual(PROJECT.access)
    expect(s.pythonRuntime.watchdog.limitMs).toBe(300)
    await s.database.get('oven:SP')?.put(500)
    expect(s.database.get('oven:SP')?.value).toBe(120)
    expect(t?.value).toBe(120)
    expect(t?.severity).toBe(3)
    expect(lines.map((l) => l.message)).toContain(
      'Autosave is off until the project is saved (1 PVs are marked autosave)',
    )
  })

  it("autosaves beside the project on stop, in caproto's format, and restores on start", async () => {
    const path = join(dir, 'oven.ioc.json')
    const s = newSession()
    await s.start(PROJECT, path, { argv: ['--prefix', 'o2:'] })
    await s.database.get('o2:SP')?.put(42.5)
    await s.stop()
    expect(JSON.parse(readFileSync(join(dir, 'oven.autosave.json'), 'utf8'))).toEqual({
      'o2:SP': { value: 42.5, fields: {} },
    })
    await s.start(PROJECT, path, { argv: ['--prefix', 'o2:'] })
    expect(s.database.get('o2:SP')?.value).toBe(42.5)
    // Through the putter, as caproto's helper restores.
    expect(s.database.get('o2:T')?.value).toBe(42.5)

    writeFileSync(join(dir, 'oven.autosave.json'), '{"o2:SP": 3')
    await s.stop()
    writeFileSync(join(dir, 'oven.autosave.json'), '{"o2:SP": 3')
    expect((await s.start(PROJECT, path, { argv: ['--prefix', 'o2:'] })).state).toBe('running')
    expect(s.database.get('o2:SP')?.value).toBe(25)
    expect(lines.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/oven.autosave.json is not usable, nothing restored: not JSON/),
    )
  })

  it('applies an edited project while a client stays connected', async () => {
    const s = newSession()
    await s.start(PROJECT)
    const client = await RawCaClient.connect(ports.serverPort)
    let closed = false
    void client.closed.then(() => (closed = true))
    const edited: Project = {
      ...PROJECT,
      pvs: [
        PROJECT.pvs[0],
        { ...PROJECT.pvs[1], hooks: { putter: 'await self.T.write(value * 2)' } },
        { name: 'MODE', type: 'ENUM', enumStrings: ['Off', 'On'] },
      ],
    }
    expect(await s.apply(edited)).toEqual({
      added: ['oven:MODE'],
      removed: [],
      changed: [],
      hooksReloaded: 1,
    })
    expect(s.status.pvCount).toBe(3)
    await s.database.get('oven:SP')?.put(10)
    expect(s.database.get('oven:T')?.value).toBe(20)
    expect(closed).toBe(false)
    await expect(s.apply({ ...edited, server: { ...edited.server, className: 'class' } })).rejects.toThrow(
      /cannot be exported/,
    )
    expect(s.database.size).toBe(3)
    await client.close()
  })

  it("serves on the project's interfaces and port unless the environment or the session says otherwise", async () => {
    const project: Project = {
      ...PROJECT,
      server: { ...PROJECT.server, interfaces: ['127.0.0.1'], serverPort: 18103 },
    }
    const quiet = { autoBeaconAddresses: false, beaconAddresses: [] }
    session = new ProjectSession({ log, python: runtime, env: {}, caConfig: quiet })
    expect(await session.start(project)).toMatchObject({ tcpPort: 18103, interfaces: ['127.0.0.1'] })
    await session.dispose()
    session = new ProjectSession({
      log,
      python: runtime,
      env: { EPICS_CA_SERVER_PORT: '18104' },
      caConfig: quiet,
    })
    expect(await session.start(project)).toMatchObject({ tcpPort: 18104, interfaces: ['127.0.0.1'] })
  })

  it('runs its exported script bare (ioc-studio run x.py) exactly as the project: IOC_STUDIO applied', async () => {
    const project: Project = {
      ...PROJECT,
      server: { ...PROJECT.server, serverPort: 18105 },
      pvs: [...PROJECT.pvs, { name: 'AMBIENT', type: 'DOUBLE', udfSeverity: 'MAJOR' }],
    }
    const script = exportCaprotoScript(project)
    const path = join(dir, 'oven.py')
    const quiet = { interfaces: ['127.0.0.1'], autoBeaconAddresses: false, beaconAddresses: [] }
    const served = new Map<string, unknown>()
    for (const run of ['project', 'script'] as const) {
      const s = new ProjectSession({ log, python: runtime, env: {}, caConfig: quiet })
      session = s
      const status =
        run === 'project'
          ? await s.start(project, join(dir, 'oven.ioc.json'))
          : await s.startScript(script, 'oven.py', [], path)
      expect(status, run).toMatchObject({ state: 'running', tcpPort: 18105, pvCount: 3 })
      const ambient = s.database.get('oven:AMBIENT')
      expect([ambient?.status, ambient?.severity], run).toEqual([17, 2])
      expect(s.database.accessRules, run).toEqual(PROJECT.access)
      expect(s.pythonRuntime.watchdog.limitMs, run).toBe(300)
      await s.database.get('oven:SP')?.put(500)
      expect(s.database.get('oven:SP')?.value, run).toBe(120)
      served.set(run, Object.fromEntries(s.database.list().map((pv) => [pv.name, pv.spec])))
      await s.dispose()
      session = undefined
    }
    expect(served.get('script')).toEqual(served.get('project'))
    expect(JSON.parse(readFileSync(join(dir, 'oven.autosave.json'), 'utf8'))).toEqual({
      'oven:SP': { value: 120, fields: {} },
    })
  })

  it('a project with errors does not start; import reads a script into a project', async () => {
    const s = newSession()
    const status = await s.start({ ...PROJECT, pvs: [PROJECT.pvs[0], PROJECT.pvs[0]] })
    expect(status.state).toBe('error')
    expect(status.error).toMatch(/The project has errors/)
    const imported = await s.importScript(SCRIPT, 'demo.py')
    expect(imported.project.pvs.map((pv) => pv.name)).toEqual(['val', 'doubled', 'broken'])
  })
})

describe.skipIf(!pyepics().available)('ProjectSession over Channel Access (pyepics)', () => {
  it('serves the script: a put runs the putter, a failing put leaves the value and raises the alarm', async () => {
    const s = newSession()
    await s.startScript(SCRIPT, 'demo.py')
    const client = new CaClient(ports)
    try {
      await client.ready()
      expect(await client.get('demo:val', { ctrl: true })).toMatchObject({
        value: 1,
        type: 'double',
        precision: 2,
      })
      await client.put('demo:val', 4.5)
      expect((await client.get('demo:doubled')).value).toBe(9)
      await client.put('demo:val', -1)
      expect(await client.get('demo:val')).toMatchObject({ value: 4.5, severity: 2 })
    } finally {
      await client.quit()
    }
  })
})

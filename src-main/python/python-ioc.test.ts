import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { PvDatabase, TrafficRecorder } from '../ioc'
import type { IocPv } from '../ioc'
import { PythonIoc, ScriptError } from './python-ioc'
import type { CaprotoScript, HookFailureReport } from './python-ioc'
import { PythonRuntime } from './runtime'

// One interpreter for the whole file (loading takes seconds); each test gets a fresh database and IOC.
interface LogLine {
  readonly level: string
  readonly source: string
  readonly message: string
}
const logs: LogLine[] = []
let runtime: PythonRuntime
let database: PvDatabase
let ioc: PythonIoc
let recorder: TrafficRecorder

beforeAll(async () => {
  runtime = new PythonRuntime({
    log: (level, source, message) => logs.push({ level, source, message }),
    hookTimeLimitMs: 300,
  })
  await runtime.ready
})

afterAll(() => runtime.dispose())

afterEach(async () => {
  await ioc?.stop()
  logs.length = 0
})

const HEADER = `
import asyncio
from caproto import AlarmSeverity, AlarmStatus, ChannelType, SkipWrite
from caproto.server import PVGroup, SubGroup, ioc_arg_parser, pvproperty, run
`

function script(body: string, main = "ioc = Ioc(prefix='t:')\nrun(ioc.pvdb)"): string {
  return `${HEADER}\n${body}\n${main}\n`
}

async function load(source: string, extra: Partial<CaprotoScript> = {}) {
  database = new PvDatabase()
  recorder = new TrafficRecorder()
  ioc = new PythonIoc({
    runtime,
    database,
    queues: recorder,
    shutdownTimeoutMs: 500,
    hookTimeLimitMs: 300,
  })
  return ioc.load({ source, filename: 'test_ioc.py', ...extra })
}

function pv(name: string): IocPv {
  const found = database.get(name)
  if (!found) throw new Error(`no PV ${name}; have ${database.list().map((p) => p.name)}`)
  return found
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const logged = (pattern: RegExp) => logs.filter((line) => pattern.test(line.message))

describe('PVs from pvproperty (caproto dtype rules)', () => {
  it('maps dtypes, counts and class keywords to PV specs', async () => {
    const report = await load(
      script(`
import enum
class Mode(enum.IntEnum):
    Idle = 0
    Run = 1
    Fault = 3

class Ioc(PVGroup):
    i = pvproperty(value=1)
    f = pvproperty(value=1.5, precision=3, units='mm', upper_ctrl_limit=10.0, value_atol=0.1, log_atol=0.5)
    s = pvproperty(value='hello')
    long_text = pvproperty(value='', max_length=100)
    dbr_string = pvproperty(value='abc', dtype=ChannelType.STRING)
    short = pvproperty(value=2, dtype=ChannelType.INT)
    single = pvproperty(value=2.5, dtype=ChannelType.FLOAT)
    b = pvproperty(value=True)
    mode = pvproperty(value=Mode.Run)
    e = pvproperty(value='B', dtype=ChannelType.ENUM, enum_strings=['A', 'B'])
    arr = pvproperty(value=[1.0, 2.0, 3.0], max_length=10)
    raw = pvproperty(value=b'ab', dtype=bytes)
    ro = pvproperty(value=0, read_only=True, doc='read only', record='longin')
    alarmed = pvproperty(value=5.0, upper_alarm_limit=9.0, upper_warning_limit=7.0)
`),
    )
    expect(report.pvs).toEqual([
      't:i',
      't:f',
      't:s',
      't:long_text',
      't:dbr_string',
      't:short',
      't:single',
      't:b',
      't:mode',
      't:e',
      't:arr',
      't:raw',
      't:ro',
      't:alarmed',
    ])
    expect(report.added).toHaveLength(14)
    expect(pv('t:i').spec).toMatchObject({ type: 'LONG', maxLength: 1, value: 1 })
    expect(pv('t:f').spec).toMatchObject({
      type: 'DOUBLE',
      precision: 3,
      units: 'mm',
      controlLimits: { high: 10 },
      monitorDeadband: 0.1,
      archiveDeadband: 0.5,
    })
    // Only the given limit is enabled: no lower control limit at 0 (caproto's "pair" trap).
    expect(pv('t:f').spec.controlLimits).toEqual({ high: 10 })
    expect(pv('t:s').spec).toMatchObject({ type: 'CHAR', longString: true, maxLength: 5, value: 'hello' })
    expect(pv('t:long_text').spec).toMatchObject({ type: 'CHAR', longString: true, maxLength: 100 })
    expect(pv('t:dbr_string').spec).toMatchObject({ type: 'STRING', value: 'abc' })
    expect(pv('t:short').spec.type).toBe('SHORT')
    expect(pv('t:single').spec.type).toBe('FLOAT')
    expect(pv('t:b').spec).toMatchObject({ type: 'ENUM', enumStrings: ['Off', 'On'], value: 1 })
    expect(pv('t:mode').spec).toMatchObject({
      type: 'ENUM',
      enumStrings: ['Idle', 'Run', 'unset_2', 'Fault'],
    })
    expect(pv('t:mode').value).toBe(1)
    expect(pv('t:e').value).toBe(1)
    expect(pv('t:arr').spec).toMatchObject({ type: 'DOUBLE', maxLength: 10 })
    expect(pv('t:arr').value).toEqual([1, 2, 3])
    expect(pv('t:raw').spec).toMatchObject({ type: 'CHAR', maxLength: 2 })
    expect(pv('t:raw').spec.longString).toBeUndefined()
    expect(pv('t:ro').spec).toMatchObject({ readOnly: true, description: 'read only', recordType: 'longin' })
    expect(pv('t:alarmed').spec.alarmLimits).toEqual({ hihi: 9, high: 7 })
  })

  it('refuses class keywords caproto would refuse, naming the PV and the keyword', async () => {
    await expect(
      load(script(`class Ioc(PVGroup):\n    n = pvproperty(value=1, precision=2)`)),
    ).rejects.toThrow(/t:n: precision: not an argument of PvpropertyInteger/)
  })

  it('names the PV group attribute and prefix, with subgroups and macros from the command line', async () => {
    const report = await load(
      script(
        `
class Inner(PVGroup):
    x = pvproperty(value=0, name='{axis}.VAL')

class Ioc(PVGroup):
    inner = SubGroup(Inner, prefix='in:')
    y = pvproperty(value=0)
`,
        `opts, run_opts = ioc_arg_parser(default_prefix='d:', desc='', macros={'axis': 'X'})
ioc = Ioc(**opts)
run(ioc.pvdb, **run_opts)`,
      ),
      { argv: ['--prefix', 'p:', '--axis', 'Z', '--list-pvs'] },
    )
    expect(report.pvs).toEqual(['p:in:Z.VAL', 'p:y'])
    await until(() => logged(/PVs available/).length > 0, 'the --list-pvs log')
    expect(logged(/PVs available/)[0].message).toContain('p:in:Z.VAL')
  })
})

describe('PVs without pvproperty', () => {
  it('serves a hand-built pvdb of ChannelData and calls an overridden group_write', async () => {
    await load(
      script(
        `
from caproto import ChannelDouble, ChannelEnum, ChannelString

class Ioc(PVGroup):
    doubled = pvproperty(value=0)

    async def group_write(self, instance, value):
        return value * 2
`,
        `ioc = Ioc(prefix='t:')
pvdb = dict(ioc.pvdb)
pvdb['raw:temp'] = ChannelDouble(value=21.5, units='degC', precision=1)
pvdb['raw:mode'] = ChannelEnum(value='auto', enum_strings=['off', 'auto'])
pvdb['raw:text'] = ChannelString(value='hi')
run(pvdb)`,
      ),
    )
    expect(pv('raw:temp').spec).toMatchObject({ type: 'DOUBLE', units: 'degC', precision: 1, value: 21.5 })
    expect(pv('raw:mode').value).toBe(1)
    expect(pv('raw:text').value).toBe('hi')
    await pv('t:doubled').put(4)
    expect(pv('t:doubled').value).toBe(8)
  })
})

describe('loading errors', () => {
  it('reports a script that raises with the traceback of its own frames', async () => {
    const error = await load(script('class Ioc(PVGroup):\n    x = pvproperty(value=0)\n1 / 0')).catch(
      (e) => e,
    )
    expect(error).toBeInstanceOf(ScriptError)
    expect(error.message).toMatch(/test_ioc.py: ZeroDivisionError: division by zero/)
    expect(error.traceback).toMatch(/File "test_ioc.py", line \d+/)
    expect(error.traceback).not.toMatch(/_iocstudio|caproto\/server/)
  })

  it('explains a hook that is not async', async () => {
    const error = await load(
      script(
        'class Ioc(PVGroup):\n    x = pvproperty(value=0)\n    @x.putter\n    def x(self, instance, value):\n        pass',
      ),
    ).catch((e) => e)
    expect(error.message).toMatch(/The put hook 'x' .* must be callable with a signature like/)
  })

  it('explains a script that never calls run()', async () => {
    await expect(
      load(script('class Ioc(PVGroup):\n    x = pvproperty(value=0)', 'ioc = Ioc(prefix="t:")')),
    ).rejects.toThrow(/finished without calling run\(pvdb/)
  })

  it('reports a missing required macro (argparse exits) without touching the database', async () => {
    await expect(
      load(
        script(
          'class Ioc(PVGroup):\n    x = pvproperty(value=0)',
          "o, r = ioc_arg_parser(default_prefix='t:', desc='', macros={'beamline': None})\nrun(Ioc(**o).pvdb, **r)",
        ),
      ),
    ).rejects.toThrow(/exited \(sys.exit\(2\)\) before calling run/)
    expect(logs.some((line) => /the following arguments are required: --beamline/.test(line.message))).toBe(
      true,
    )
    expect(database.size).toBe(0)
  })
})

describe('putters (caproto semantics)', () => {
  const putters = script(`
class Ioc(PVGroup):
    level = pvproperty(value=10)
    log = pvproperty(value='', max_length=200)
    checked = pvproperty(value=1.0)

    @level.putter
    async def level(self, instance, value):
        print(f'putter got {value!r}')
        if value < 0:
            raise SkipWrite
        if value > 100:
            return SkipWrite
        if value == 13:
            raise ValueError('unlucky')
        return value * 2

    @checked.putter
    async def checked(self, instance, value):
        if value > 5:
            raise RuntimeError(f'{value} is too much')

    @log.startup
    async def log(self, instance, async_lib):
        try:
            await self.checked.write(9.0)
        except RuntimeError as error:
            await instance.write(f'caught {type(error).__name__}: {error}')
`)

  it('stores the return value, keeps the old value on SkipWrite, and finishes synchronously', async () => {
    await load(putters)
    const level = pv('t:level')
    // A putter that never awaits completes inside the call: putNow returns an outcome, not a Promise.
    const outcome = level.putNow(21)
    expect(outcome).toEqual({ status: 1 })
    expect(level.value).toBe(42)
    expect(await level.put(-5)).toEqual({ status: 1 })
    expect(await level.put(500)).toEqual({ status: 1 })
    expect(level.value).toBe(42)
    expect(logs.filter((line) => line.source === 't:level').map((line) => line.message)).toEqual([
      'putter got 21',
      'putter got -5',
      'putter got 500',
    ])
  })

  it('fails the put, raises WRITE/MAJOR and logs the traceback when the putter raises', async () => {
    await load(putters)
    const level = pv('t:level')
    const outcome = await level.put(13)
    expect(outcome.status).not.toBe(1)
    expect(outcome.message).toMatch(/ValueError: unlucky/)
    expect(level.value).toBe(10)
    expect([level.status, level.severity]).toEqual([2, 2])
    const error = logs.find((line) => line.level === 'error' && line.source === 't:level')
    expect(error?.message).toMatch(
      /putter of t:level failed: ValueError: unlucky[\s\S]*File "test_ioc.py", line \d+, in level/,
    )
  })

  it('completes a put when an awaiting putter finishes (put-completion with async_lib.Event)', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    acquire = pvproperty(value=0)
    trigger = pvproperty(value=0)
    raw = pvproperty(value=0)

    @acquire.startup
    async def acquire(self, instance, async_lib):
        self.done = async_lib.Event()

    @acquire.putter
    async def acquire(self, instance, value):
        self.done.clear()
        await self.done.wait(timeout=5)
        return value + 100

    @trigger.putter
    async def trigger(self, instance, value):
        self.done.set()

    @raw.putter
    async def raw(self, instance, value):
        return value * 2

    @raw.startup
    async def raw(self, instance, async_lib):
        await instance.write(21, verify_value=False)
`),
    )
    await until(() => pv('t:raw').value === 21, 'the unverified write (no putter)')
    let completed = false
    const put = pv('t:acquire')
      .put(1)
      .then((outcome) => ((completed = true), outcome))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(completed).toBe(false)
    await pv('t:trigger').put(1)
    expect(await put).toEqual({ status: 1 })
    expect(pv('t:acquire').value).toBe(101)
  })

  it("lets a hook's write see the putter's own exception, as in caproto", async () => {
    await load(putters)
    await until(() => String(pv('t:log').value).startsWith('caught'), 'the startup hook')
    expect(pv('t:log').value).toBe('caught RuntimeError: 9.0 is too much')
  })
})

describe('getters, metadata, alarms and timestamps', () => {
  it('writes what a getter returns before the read is answered', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    reads = pvproperty(value=0)

    @reads.getter
    async def reads(self, instance):
        return instance.value + 1
`),
    )
    const reads = pv('t:reads')
    const client = {
      circuitId: 1,
      address: '127.0.0.1',
      port: 1,
      hostName: 'h',
      userName: 'u',
      minorVersion: 13,
    }
    const first = await reads.read(client)
    const second = await reads.read(client)
    expect([first.value[0], second.value[0]]).toEqual([1, 2])
  })

  it('writes with status, severity and timestamp; write_metadata and alarm.write change the PV', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    t = pvproperty(value=1.0)
    mode = pvproperty(value='a', dtype=ChannelType.ENUM, enum_strings=['a', 'b'])
    seen = pvproperty(value='', max_length=200)

    @seen.startup
    async def seen(self, instance, async_lib):
        await self.t.write(2.5, status=AlarmStatus.HIGH, severity=AlarmSeverity.MINOR_ALARM, timestamp=1_700_000_000.25)
        await self.t.write_metadata(units='degC', precision=2, upper_ctrl_limit=50.0)
        await self.mode.write_metadata(enum_strings=['off', 'on', 'auto'])
        await self.mode.write('auto')
        parts = [self.t.value, self.t.severity.name, self.t.status.name, round(self.t.timestamp, 2),
                 self.t.units, self.t.precision, self.t.upper_ctrl_limit, self.mode.value, self.mode.raw_value]
        await self.mode.alarm.write(status=AlarmStatus.COMM, severity=AlarmSeverity.INVALID_ALARM)
        await instance.write(repr(parts))
`),
    )
    await until(() => pv('t:seen').value !== '', 'the startup hook')
    expect(pv('t:seen').value).toBe("[2.5, 'MINOR_ALARM', 'HIGH', 1700000000.25, 'degC', 2, 50.0, 'auto', 2]")
    expect(pv('t:t').spec).toMatchObject({ units: 'degC', precision: 2, controlLimits: { high: 50 } })
    expect(pv('t:t').snapshot.secondsPastEpoch).toBe(1_700_000_000 - 631_152_000)
    expect([pv('t:mode').status, pv('t:mode').severity]).toEqual([9, 3])
    // Limits now apply to client-style puts through the pipeline.
    expect((await pv('t:t').put(70)).status).not.toBe(1)
  })

  it('gives every PV its own alarm unless it names an alarm group', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    a = pvproperty(value=0, alarm_group='pair')
    b = pvproperty(value=0, alarm_group='pair')
    c = pvproperty(value=0)

    @c.startup
    async def c(self, instance, async_lib):
        await self.a.alarm.write(status=AlarmStatus.STATE, severity=AlarmSeverity.MAJOR_ALARM)
`),
    )
    await until(() => pv('t:a').severity === 2, 'the alarm')
    expect([pv('t:b').status, pv('t:b').severity]).toEqual([7, 2])
    expect(pv('t:c').severity).toBe(0)
  })
})

describe('startup, scan and shutdown hooks', () => {
  it('keeps running when a startup hook raises: the PV goes into alarm and the error is logged', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    broken = pvproperty(value=0)
    alive = pvproperty(value=0)

    @broken.startup
    async def broken(self, instance, async_lib):
        raise KeyError('no such device')

    @alive.scan(period=0.02)
    async def alive(self, instance, async_lib):
        await instance.write(instance.value + 1)
`),
    )
    await until(() => (pv('t:alive').value as number) > 5, 'the scan hook')
    expect([pv('t:broken').status, pv('t:broken').severity]).toEqual([15, 2])
    expect(logged(/startup failed: KeyError: 'no such device'/)[0].source).toBe('t:broken')
  })

  it('survives sys.exit() in a hook: logged, the PV alarms, nothing reaches the JavaScript event loop', async () => {
    await load(
      script(`
import sys

class Ioc(PVGroup):
    quitter = pvproperty(value=0)
    alive = pvproperty(value=0)

    @quitter.startup
    async def quitter(self, instance, async_lib):
        await async_lib.sleep(0.01)
        sys.exit(3)

    @quitter.putter
    async def quitter(self, instance, value):
        sys.exit(4)

    @alive.scan(period=0.02)
    async def alive(self, instance, async_lib):
        await instance.write(instance.value + 1)
`),
    )
    await until(() => logged(/called sys.exit\(3\); the IOC keeps running/).length === 1, 'the startup hook')
    expect([pv('t:quitter').status, pv('t:quitter').severity]).toEqual([15, 2])
    expect((await pv('t:quitter').put(1)).message).toMatch(/SystemExit: 4/)
    const before = pv('t:alive').value as number
    await until(() => (pv('t:alive').value as number) > before + 2, 'the scan hook to go on')
  })

  it('raises a SCAN alarm while a scan hook fails and clears it when it succeeds again', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    fail = pvproperty(value=1)
    x = pvproperty(value=0)

    @x.scan(period=0.02)
    async def x(self, instance, async_lib):
        if self.fail.value:
            raise RuntimeError('sensor offline')
        await instance.write(instance.value + 1)
`),
    )
    await until(() => pv('t:x').status === 13, 'the SCAN alarm')
    expect(pv('t:x').severity).toBe(2)
    await pv('t:fail').put(0)
    await until(() => pv('t:x').severity === 0 && (pv('t:x').value as number) > 0, 'recovery')
    expect(logged(/Scan exception[\s\S]*RuntimeError: sensor offline/).length).toBeGreaterThan(0)
  })

  it("follows a record's .SCAN selection with use_scan_field", async () => {
    await load(
      script(`
class Ioc(PVGroup):
    n = pvproperty(value=0, record='longin')

    @n.scan(period=0.1, use_scan_field=True)
    async def n(self, instance, async_lib):
        await instance.write(instance.value + 1)
`),
    )
    const n = pv('t:n')
    await until(() => (n.value as number) >= 2, 'scanning at .1 second')
    expect(n.scan.label).toBe('.1 second')
    n.setScan('Passive')
    await new Promise((resolve) => setTimeout(resolve, 250))
    const stopped = n.value
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(n.value).toBe(stopped)
    n.setScan('.1 second')
    await until(() => (n.value as number) > (stopped as number), 'scanning again')
  })
})

describe('hook failure reports', () => {
  it('reports every failing hook with its kind, message, traceback and script line', async () => {
    database = new PvDatabase()
    ioc = new PythonIoc({ runtime, database, shutdownTimeoutMs: 500 })
    const reports: HookFailureReport[] = []
    ioc.onDidHookError((report) => reports.push(report))
    await ioc.load({
      filename: 'failing.py',
      source: script(
        `
class Ioc(PVGroup):
    p = pvproperty(value=0)
    s = pvproperty(value=0)

    async def __ainit__(self, async_lib):
        raise LookupError('no config')

    @p.putter
    async def p(self, instance, value):
        raise ValueError('bad value')

    @s.scan(period=0.02)
    async def s(self, instance, async_lib):
        raise OSError('sensor gone')
`,
        "ioc = Ioc(prefix='t:')\nrun(ioc.pvdb, startup_hook=ioc.__ainit__)",
      ),
    })
    await pv('t:p').put(1)
    await until(
      () => ['__ainit__', 'putter', 'scan'].every((hook) => reports.some((report) => report.hook === hook)),
      'the three failures',
    )
    const byHook = (hook: string) => reports.find((report) => report.hook === hook)
    expect(byHook('__ainit__')).toMatchObject({ pv: null, message: 'LookupError: no config', line: 12 })
    expect(byHook('putter')).toMatchObject({ pv: 't:p', message: 'ValueError: bad value', line: 16 })
    expect(byHook('putter')?.traceback).toMatch(/File "failing.py", line 16, in p\n/)
    expect(byHook('scan')).toMatchObject({ pv: 't:s', message: 'OSError: sensor gone', line: 20 })
  })
})

describe('the watchdog', () => {
  it('interrupts a putter that hangs: the put fails, the PV alarms, later puts work', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    hang = pvproperty(value=0)

    @hang.putter
    async def hang(self, instance, value):
        while value == 1:
            pass
        return value
`),
    )
    const hang = pv('t:hang')
    const started = Date.now()
    const outcome = await hang.put(1)
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    expect(outcome.message).toMatch(/ran longer than 0.3 s and was interrupted by the watchdog/)
    expect([hang.status, hang.severity]).toEqual([2, 2])
    expect(logged(/interrupted by the watchdog[\s\S]*line \d+, in hang/)).toHaveLength(1)
    expect(await hang.put(5)).toEqual({ status: 1 })
    expect(hang.value).toBe(5)
    expect(runtime.watchdog.fireCount).toBeGreaterThan(0)
  })

  it('interrupts a startup hook that spins: TIMEOUT alarm, the rest keeps running', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    spin = pvproperty(value=0)
    beat = pvproperty(value=0)

    @spin.startup
    async def spin(self, instance, async_lib):
        await async_lib.sleep(0.05)
        while True:
            pass

    @beat.scan(period=0.02)
    async def beat(self, instance, async_lib):
        await instance.write(instance.value + 1)
`),
    )
    await until(() => pv('t:spin').severity === 2, 'the watchdog')
    expect(pv('t:spin').status).toBe(10)
    const before = pv('t:beat').value as number
    await until(() => (pv('t:beat').value as number) > before + 3, 'the scan hook to go on')
  })
})

describe('ThreadsafeQueue', () => {
  it('records every put and get in the traffic recorder, named after its attribute', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    running = pvproperty(value=0)
    val = pvproperty(value=0)
    rbv = pvproperty(value=0)

    @running.startup
    async def running(self, instance, async_lib):
        self.put_queue = async_lib.ThreadsafeQueue()
        await instance.write(1)
        while True:
            entry = await self.put_queue.async_get()
            await self.rbv.write(entry['value'])

    @val.putter
    async def val(self, instance, value):
        self.put_queue.put({'pv': 'val', 'value': value})
`),
    )
    await until(() => pv('t:running').value === 1, 'the router')
    await pv('t:val').put(7)
    await until(() => pv('t:rbv').value === 7, 'the router to copy the value')
    expect(recorder.queueStates()).toEqual([
      expect.objectContaining({
        name: 't:put_queue',
        depth: 0,
        maxDepth: 1,
        puts: 1,
        gets: 1,
        recent: [
          expect.objectContaining({ op: 'put', entry: "{'pv': 'val', 'value': 7}" }),
          expect.objectContaining({ op: 'get', entry: "{'pv': 'val', 'value': 7}" }),
        ],
      }),
    ])
    expect(recorder.events().map((event) => event.op)).toEqual(['queue-put', 'queue-get'])
    // The script's queues go with it.
    await ioc.stop()
    expect(recorder.queueStates()).toEqual([])
  })

  it('explains why the blocking get() cannot work here', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    msg = pvproperty(value='', max_length=300)

    @msg.startup
    async def msg(self, instance, async_lib):
        queue = async_lib.ThreadsafeQueue()
        try:
            queue.get()
        except RuntimeError as error:
            await instance.write(str(error)[:300])
`),
    )
    await until(() => pv('t:msg').value !== '', 'the hook')
    expect(pv('t:msg').value).toMatch(/get\(\) blocks .* Use `value = await queue.async_get\(\)`/)
  })
})

describe('hot reload', () => {
  const version = (n: number, extra = '') =>
    script(`
class Ioc(PVGroup):
    kept = pvproperty(value=0)
    gain = pvproperty(value=1.0)
${extra}
    @gain.putter
    async def gain(self, instance, value):
        return value * ${n}

    @kept.startup
    async def kept(self, instance, async_lib):
        print('start ${n}')
        try:
            while True:
                await async_lib.sleep(10)
        finally:
            print('cancelled ${n}')

    @kept.shutdown
    async def kept(self, instance, async_lib):
        print('shutdown ${n}')
`)

  it('keeps unchanged PVs, swaps hooks, restarts tasks and adds and removes PVs', async () => {
    await load(version(1, '    old_only = pvproperty(value=0)\n'))
    const kept = pv('t:kept')
    await kept.put(5)
    await until(() => logged(/^start 1$/).length === 1, 'the first startup hook')
    const report = await ioc.load({
      source: version(10, "    new_only = pvproperty(value='x', dtype=ChannelType.STRING)\n"),
      filename: 'test_ioc.py',
    })
    expect(report.added).toEqual(['t:new_only'])
    expect(report.removed).toEqual(['t:old_only'])
    expect(pv('t:kept')).toBe(kept)
    expect(kept.value).toBe(5)
    await pv('t:gain').put(2)
    expect(pv('t:gain').value).toBe(20)
    await until(() => logged(/^start 10$/).length === 1, 'the new startup hook')
    expect(
      logs.map((line) => line.message).filter((m) => /^(start|cancelled|shutdown) \d+$/.test(m)),
    ).toEqual(['start 1', 'cancelled 1', 'shutdown 1', 'start 10'])
  })

  it('cancels the tasks a script started itself when it is reloaded or stopped', async () => {
    const ticker = (name: string) =>
      script(`
class Ioc(PVGroup):
    x = pvproperty(value=0)

    @x.startup
    async def x(self, instance, async_lib):
        async def tick():
            while True:
                await instance.write(instance.value + 1)
                await async_lib.sleep(0.01)
        asyncio.create_task(tick(), name='${name}')
`)
    await load(ticker('first'))
    await until(() => (pv('t:x').value as number) > 3, 'the first ticker')
    await ioc.load({ source: ticker('second'), filename: 'test_ioc.py' })
    await ioc.stop({ removePvs: false })
    const stopped = pv('t:x').value
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(pv('t:x').value).toBe(stopped)
  })

  it('keeps the running script when the new one is broken', async () => {
    await load(version(3))
    await expect(
      ioc.load({ source: 'import nonexistent_module_xyz', filename: 'test_ioc.py' }),
    ).rejects.toThrow(/No module named 'nonexistent_module_xyz'/)
    await pv('t:gain').put(2)
    expect(pv('t:gain').value).toBe(6)
    expect(logged(/^cancelled 3$/)).toHaveLength(0)
  })
})

describe("the script's IOC_STUDIO dict", () => {
  const settings = `
IOC_STUDIO = {
    'hookTimeLimitMs': 1500,
    'access': {'rules': [{'pvPattern': '*:temp', 'access': 'READ'}]},
    'pvs': {
        'temp': {'alarmLimits': {'high': {'enabled': False, 'value': 70.0, 'severity': 'MAJOR'},
                                 'hihi': {'severity': 'INVALID'}, 'hysteresis': 0.5}},
        'sp': {'controlLimits': {'mode': 'clamp'}, 'autosave': True},
        'ambient': {'udfSeverity': 'MINOR'},
        'stage.x': {'udfSeverity': 'MAJOR', 'autosave': True},
        'gone': {'autosave': True},
    },
}
`
  const body = `
class Stage(PVGroup):
    x = pvproperty(dtype=float)

class Ioc(PVGroup):
    temp = pvproperty(value=20.0, lower_warning_limit=float('-inf'), upper_warning_limit=float('inf'),
                      lower_alarm_limit=float('-inf'), upper_alarm_limit=90.0)
    sp = pvproperty(value=5, lower_ctrl_limit=0, upper_ctrl_limit=2147483647)
    ambient = pvproperty(dtype=float, precision=1)
    stage = SubGroup(Stage)
${settings}`

  it('defines its PVs with their settings, undefined at start where no value is given', async () => {
    const report = await load(script(body))
    expect(pv('t:temp').spec.alarmLimits).toEqual({ hihi: 90, hihiSeverity: 3, hysteresis: 0.5 })
    expect(pv('t:sp').spec.controlLimits).toEqual({ low: 0, mode: 'clamp' })
    expect((await pv('t:sp').put(-3)).status).toBe(1)
    expect(pv('t:sp').value).toBe(0)
    expect(pv('t:ambient').spec).toMatchObject({ udfSeverity: 1, precision: 1 })
    expect(pv('t:ambient').spec.value).toBeUndefined()
    expect([pv('t:ambient').status, pv('t:ambient').severity]).toEqual([17, 1])
    expect([pv('t:stage:x').status, pv('t:stage:x').severity]).toEqual([17, 2])
    await pv('t:ambient').put(21.5)
    expect([pv('t:ambient').status, pv('t:ambient').severity]).toEqual([0, 0])
    expect(report).toMatchObject({
      access: { rules: [{ pvPattern: '*:temp', access: 'READ' }] },
      autosave: ['t:sp', 't:stage:x'],
    })
    expect(report.warnings).toEqual(["IOC_STUDIO['pvs'] names gone, which the script does not serve"])
    expect(runtime.watchdog.limitMs).toBe(1500)
  })

  it('a PV whose script gives a value keeps it: undefined-at-start needs none', async () => {
    await load(
      script(`
class Ioc(PVGroup):
    level = pvproperty(value=3.0)

IOC_STUDIO = {'pvs': {'level': {'udfSeverity': 'MAJOR'}}}
`),
    )
    expect(pv('t:level').spec).toMatchObject({ value: 3 })
    expect(pv('t:level').spec.udfSeverity).toBeUndefined()
    expect(pv('t:level').severity).toBe(0)
    expect(runtime.watchdog.limitMs).toBe(300)
  })

  it('refuses settings it cannot apply, saying where, and keeps the running script', async () => {
    await load(script('class Ioc(PVGroup):\n    a = pvproperty(value=1)'))
    await expect(
      ioc.load({
        source: script(`class Ioc(PVGroup):\n    a = pvproperty(value=2)\n\nIOC_STUDIO = {'pvs': {'a': []}}`),
        filename: 'test_ioc.py',
      }),
    ).rejects.toThrow(new ScriptError('test_ioc.py: IOC_STUDIO[\'pvs\']["a"]: must be a dict'))
    expect(pv('t:a').value).toBe(1)
  })
})

describe("a script's os.environ", () => {
  const environ = (name: string) =>
    script(
      `
import os

class Ioc(PVGroup):
    seen = pvproperty(value='', max_length=200)

    @seen.startup
    async def seen(self, instance, async_lib):
        await instance.write(repr([os.environ.get('LEAK'), os.getenv('EPICS_CA_SERVER_PORT')]))
        os.environ['FROM_HOOK'] = '${name}'
`,
      `os.environ.setdefault('EPICS_CA_SERVER_PORT', '5070')
os.environ.setdefault('EPICS_CAS_INTF_ADDR_LIST', '127.0.0.1')
os.environ['LEAK'] = '${name}'
ioc = Ioc(prefix='t:')
run(ioc.pvdb)`,
    )

  it("is the script's own: what one script sets never reaches the next", async () => {
    const first = await load(environ('first'))
    await until(() => pv('t:seen').value !== '', 'the first startup hook')
    expect(pv('t:seen').value).toBe("['first', '5070']")
    expect(first.environment).toEqual({ EPICS_CA_SERVER_PORT: '5070', EPICS_CAS_INTF_ADDR_LIST: '127.0.0.1' })

    // A second script in the same Python, loaded while the first still runs, with the host's own EPICS settings.
    const other = new PythonIoc({ runtime, database: new PvDatabase(), shutdownTimeoutMs: 500 })
    try {
      const second = await other.load({
        source: script(`
import os

class Ioc(PVGroup):
    a = pvproperty(value=0)

seen = [os.environ.get('LEAK'), os.environ.get('FROM_HOOK'), os.environ.get('EPICS_CA_SERVER_PORT')]
assert seen == [None, None, '6000'], seen
`),
        filename: 'other.py',
        env: { EPICS_CA_SERVER_PORT: '6000' },
      })
      expect(second.environment).toEqual({ EPICS_CA_SERVER_PORT: '6000' })
    } finally {
      await other.stop()
    }
    const reloaded = await ioc.load({ source: environ('third'), filename: 'test_ioc.py' })
    expect(reloaded.environment.EPICS_CA_SERVER_PORT).toBe('5070')
    await until(() => pv('t:seen').value === "['third', '5070']", 'the reloaded startup hook')
  })
})

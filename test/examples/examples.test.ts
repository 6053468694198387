/**
 * The example projects (resources/examples), each run headless the way `ioc-studio run` runs it (a
 * ProjectSession: exported script, Pyodide, our CA server) and checked with pyepics. Every example must also
 * load without errors, export to a script CPython compiles, and come back unchanged through import.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import { checkProject } from '@shared/model/check'
import { parseProjectText } from '@shared/model/parse'
import type { Project } from '@shared/model/project'
import { ProjectSession } from '../../src-main/backend/project-session'
import { importCaprotoScript } from '../../src-main/python/importer/import-script'
import { PythonRuntime } from '../../src-main/python/runtime'
import { pyepics, SYSTEM_PYTHON } from '../support/system'
import { CaClient } from './support/ca-client'

const EXAMPLES = join(import.meta.dirname, '../../resources/examples')
const names = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith('.ioc.json'))
  .map((file) => file.slice(0, -'.ioc.json'.length))
  .sort()
const ports = { serverPort: 18300, repeaterPort: 18301 }
const dir = mkdtempSync(join(tmpdir(), 'ioc-examples-'))

interface Line {
  level: string
  source: string
  message: string
}
const lines: Line[] = []
let runtime: PythonRuntime

beforeAll(async () => {
  runtime = new PythonRuntime({ log: (level, source, message) => lines.push({ level, source, message }) })
  await runtime.ready
})
afterAll(() => {
  runtime?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

function load(name: string): Project {
  const parsed = parseProjectText(readFileSync(join(EXAMPLES, `${name}.ioc.json`), 'utf8'))
  if (!parsed.ok)
    throw new Error(`${name}: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`)
  return parsed.project
}

describe.each(names)('%s', (name) => {
  it('loads without problems, exports a script CPython compiles, and imports back unchanged', async () => {
    const project = load(name)
    expect(checkProject(project)).toEqual([])
    const script = exportCaprotoScript(project)
    const file = join(dir, `${name}.py`)
    writeFileSync(file, script)
    execFileSync(SYSTEM_PYTHON, ['-m', 'py_compile', file])
    const back = await importCaprotoScript(runtime, script, `${name}.py`)
    expect(back.warnings).toEqual([])
    expect(back.project).toEqual(project)
  })
})

describe.skipIf(!pyepics().available)('the examples over Channel Access (pyepics)', () => {
  let client: CaClient
  let session: ProjectSession

  beforeAll(async () => {
    client = new CaClient(ports)
    session = new ProjectSession({
      log: (level, source, message) => lines.push({ level, source, message }),
      python: runtime,
      env: {},
      caConfig: {
        serverPort: ports.serverPort,
        interfaces: ['127.0.0.1'],
        autoBeaconAddresses: false,
        beaconAddresses: [{ host: '127.0.0.1', port: ports.repeaterPort }],
      },
    })
    await client.ready()
  })
  afterAll(async () => {
    await client?.quit()
    await session?.dispose()
  })

  async function start(name: string, argv: string[] = []): Promise<void> {
    const path = join(dir, `${name}.ioc.json`)
    copyFileSync(join(EXAMPLES, `${name}.ioc.json`), path)
    lines.length = 0
    const status = await session.start(load(name), path, { argv })
    expect(status, JSON.stringify(lines.filter((l) => l.level === 'error'))).toMatchObject({
      state: 'running',
    })
  }

  /**
   * The behaviour a caproto script shows over CA: the same checks for the original and for its import (under
   * another prefix: libca takes its time to re-find a channel whose server went away).
   */
  const behaviours: Record<string, (prefix: string) => Promise<void>> = {
    'simple_server.py': async (p) => {
      expect((await client.waitFor(`${p}running`, 1)).reached).toBe(true)
      await client.put(`${p}val`, 4.25)
      expect((await client.waitFor(`${p}rbv`, 4.25)).reached).toBe(true)
      expect((await client.waitFor(`${p}processed`, 1)).reached).toBe(true)
    },
    'motor.py': async (p) => {
      await client.put(`${p}VELO`, 100)
      await client.put(`${p}VAL`, 3)
      expect((await client.waitFor(`${p}RBV`, 3, { timeout: 3 })).reached).toBe(true)
      expect((await client.waitFor(`${p}DMOV`, 1)).reached).toBe(true)
      await client.put(`${p}VAL`, 500)
      expect((await client.get(`${p}VAL`)).value).toBe(3)
    },
  }

  it.each(Object.keys(behaviours))('%s behaves the same once imported into a project', async (name) => {
    const source = readFileSync(join(import.meta.dirname, '../fixtures/caproto', name), 'utf8')
    const prefix = `orig${name.length}:`
    expect((await session.startScript(source, name, ['--prefix', prefix])).state).toBe('running')
    await behaviours[name](prefix)
    const imported = await session.importScript(source, name)
    expect(
      (await session.start(imported.project, null, { argv: ['--prefix', `imported:${prefix}`] })).state,
    ).toBe('running')
    await behaviours[name](`imported:${prefix}`)
    await session.stop()
  })

  it('simple-server: a put goes through the put queue to the read-back; gets run the getter', async () => {
    await start('simple-server')
    expect((await client.waitFor('simple:running', 1)).reached).toBe(true)
    await client.put('simple:val', 1.5)
    expect((await client.waitFor('simple:rbv', 1.5)).reached).toBe(true)
    expect((await client.waitFor('simple:processed', 1)).reached).toBe(true)
    expect(await client.get('simple:rbv', { ctrl: true })).toMatchObject({
      units: 'mm',
      precision: 3,
      write: false,
    })
    await client.get('simple:val')
    expect(lines).toContainEqual({
      level: 'info',
      source: 'simple:val',
      message: 'val: responding to a get request',
    })
    const queues = new Map(session.recorder.queueStates().map((queue) => [queue.name, queue]))
    expect(queues.get('simple:put_queue')).toMatchObject({ puts: 1, gets: 1, depth: 0 })
    expect(queues.get('simple:get_queue')).toMatchObject({ puts: 1, depth: 1 })
  })

  it('motor-simulator: moves at VELO, DMOV drops and comes back, limits refuse, STOP halts', async () => {
    await start('motor-simulator')
    await client.put('sim:mtr1:VELO', 50)
    await client.call('monitor', { pv: 'sim:mtr1:DMOV' })
    await client.put('sim:mtr1:VAL', 5)
    const moved = await client.waitFor('sim:mtr1:RBV', 5, { timeout: 3 })
    expect(moved.reached).toBe(true)
    expect(moved.seconds).toBeGreaterThan(0.05)
    expect((await client.waitFor('sim:mtr1:DMOV', 1)).reached).toBe(true)
    const dmov = (await client.call('updates', { pv: 'sim:mtr1:DMOV' })).updates.map(
      (u: { value: number }) => u.value,
    )
    expect(dmov).toEqual([1, 0, 1])
    expect((await client.get('sim:mtr1:MOVN')).value).toBe(0)

    await client.put('sim:mtr1:VAL', 200)
    expect((await client.get('sim:mtr1:VAL')).value).toBe(5)

    await client.put('sim:mtr1:VELO', 10)
    await client.put('sim:mtr1:VAL', -50)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await client.put('sim:mtr1:STOP', 1)
    expect((await client.waitFor('sim:mtr1:DMOV', 1)).reached).toBe(true)
    const stoppedAt = (await client.get('sim:mtr1:RBV')).value as number
    expect(stoppedAt).toBeLessThan(5)
    expect(stoppedAt).toBeGreaterThan(-50)
    expect((await client.get('sim:mtr1:VAL')).value).toBeCloseTo(stoppedAt, 6)
    expect((await client.get('sim:mtr1:STOP')).value).toBe(0)
  })

  it('temperature-controller: PID reaches the setpoint, SP clamps, T alarms beyond HIHI', async () => {
    await start('temperature-controller')
    expect(await client.get('tc1:T', { ctrl: true })).toMatchObject({
      units: 'degC',
      precision: 2,
      upper_alarm_limit: 95,
      upper_warning_limit: 80,
      lower_warning_limit: 10,
      lower_alarm_limit: 5,
    })
    await client.put('tc1:SP', 50)
    await client.put('tc1:ENABLE', 1)
    expect((await client.waitFor('tc1:T', 50, { tol: 1, timeout: 10 })).reached).toBe(true)
    const power = (await client.get('tc1:OUT')).value as number
    expect(power).toBeGreaterThan(0)
    expect(power).toBeLessThan(100)

    await client.put('tc1:SP', 500)
    expect((await client.get('tc1:SP')).value).toBe(120)

    // Holding 100 degC is beyond HIHI (95): a MAJOR alarm with status HIHI.
    await client.put('tc1:SP', 100)
    expect((await client.waitFor('tc1:T', 100, { tol: 1, timeout: 10 })).reached).toBe(true)
    expect(await client.get('tc1:T')).toMatchObject({ severity: 2, status: 3 })
  })

  it('waveform-generator: NPTS samples of the chosen shape at AMPL; RUN Off freezes it', async () => {
    await start('waveform-generator')
    const sine = ((await client.get('wfm:WAVE')).value as number[]).slice(0, 100)
    expect(sine.every((v) => v >= -1 && v <= 1)).toBe(true)
    expect(sine.some((v) => Math.abs(v) > 0.5)).toBe(true)

    await client.put('wfm:AMPL', 2)
    await client.put('wfm:SHAPE', 1)
    await client.put('wfm:NPTS', 50)
    await expect
      .poll(async () => new Set(((await client.get('wfm:WAVE')).value as number[]).slice(0, 50)), {
        timeout: 3000,
      })
      .toEqual(new Set([2, -2]))
    expect(((await client.get('wfm:X')).value as number[]).slice(0, 3)).toEqual([0, 0.02, 0.04])

    await client.put('wfm:RUN', 0)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const frozen = (await client.get('wfm:WAVE')).value
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await client.get('wfm:WAVE')).value).toEqual(frozen)
  })

  it('beamline: the shutter and the detector complete their puts when done; the mono follows energy', async () => {
    await start('beamline', ['--beamline', 'BL7'])
    expect(session.database.get('BL7:RING:CURRENT')?.value).toBe(400)

    const opened = Date.now()
    await client.put('BL7:SHUTTER:CMD', 1)
    expect(Date.now() - opened).toBeGreaterThanOrEqual(250)
    expect((await client.get('BL7:SHUTTER:STATUS', { as_string: true })).value).toBe('Open')

    await client.put('BL7:MONO:ENERGY', 10)
    const bragg = (await client.get('BL7:MONO:BRAGG')).value as number
    expect(bragg).toBeCloseTo((Math.asin(12.398 / 10 / (2 * 3.1356)) * 180) / Math.PI, 4)

    await client.put('BL7:DET:EXPOSURE', 0.2)
    const acquired = Date.now()
    await client.put('BL7:DET:ACQUIRE', 1)
    expect(Date.now() - acquired).toBeGreaterThanOrEqual(180)
    expect((await client.get('BL7:DET:COUNTS')).value).toBeGreaterThan(0)
    expect((await client.get('BL7:DET:ACQUIRE', { as_string: true })).value).toBe('Done')
  })
})

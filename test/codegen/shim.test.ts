/**
 * One generator, two uses: the app runs the exported script in its caproto shim (Pyodide), so each golden
 * fixture is loaded here through the real PythonRuntime into a real PvDatabase, and every PV the document
 * describes must be served with the spec the document means (`runtimeSpecOf`, normalised by the runtime's own
 * validateSpec): name, type, size, initial value, metadata, enabled limits (one-sided ones are exported as whole
 * pairs), deadbands, the IOC_STUDIO settings (severities, hysteresis, clamping, undefined at start), which PVs
 * share an alarm.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import { fullPvName, pvLocations } from '@shared/model/names'
import type { PvLocation } from '@shared/model/names'
import { parseProjectText } from '@shared/model/parse'
import type { Project } from '@shared/model/project'
import { runtimeSpecOf } from '@shared/model/runtime-spec'
import { AlarmStatus, PvDatabase, validateSpec } from '../../src-main/ioc'
import type { PvSpec } from '../../src-main/ioc'
import { PythonIoc } from '../../src-main/python/python-ioc'
import { PythonRuntime } from '../../src-main/python/runtime'

const FIXTURES = join(import.meta.dirname, '../fixtures/projects')
/** Values for the macros a fixture requires. */
const MACROS: Readonly<Record<string, Readonly<Record<string, string>>>> = { beamline: { beamline: 'BL7' } }

const names = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.ioc.json'))
  .map((file) => file.slice(0, -'.ioc.json'.length))
  .sort()

let runtime: PythonRuntime
beforeAll(async () => {
  runtime = new PythonRuntime({ log: () => undefined, hookTimeLimitMs: 1000 })
  await runtime.ready
}, 60_000)
afterAll(() => runtime?.dispose())

function load(name: string): Project {
  const result = parseProjectText(readFileSync(join(FIXTURES, `${name}.ioc.json`), 'utf8'))
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.errors)}`)
  return result.project
}

/** The spec compared: everything but the initial value (compared as the PV's value) and the group's name. */
function comparable(spec: PvSpec): Omit<PvSpec, 'value' | 'alarmGroup'> {
  const { value: _value, alarmGroup: _group, ...rest } = spec
  return rest
}

/**
 * The PV's value as the runtime shows it (enum as index), for a document value or the type's zero (caproto's
 * default, and the placeholder of a PV undefined at start).
 */
function expectedValue(location: PvLocation): unknown {
  const { pv } = location
  if (pv.type === 'ENUM')
    return pv.value === undefined ? 0 : (pv.enumStrings ?? []).indexOf(pv.value as string)
  if (pv.value !== undefined) return pv.value
  if (pv.type === 'LONG_STRING') return ''
  // caproto's default is the type's zero, so an array starts with one element.
  const zero = pv.type === 'STRING' ? '' : 0
  return (pv.maxLength ?? 1) > 1 ? [zero] : zero
}

function plain(value: unknown): unknown {
  return ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value
}

/** Which PVs share an alarm: each PV mapped to the first PV of its group. */
function alarmPartition(names: readonly string[], groupOf: (name: string) => string | undefined): string[] {
  const first = new Map<string, string>()
  return names.map((name) => {
    const group = groupOf(name)
    if (group === undefined) return name
    if (!first.has(group)) first.set(group, name)
    return first.get(group) as string
  })
}

async function serve(name: string) {
  const project = load(name)
  const database = new PvDatabase()
  const ioc = new PythonIoc({ runtime, database, shutdownTimeoutMs: 300 })
  const macros = MACROS[name] ?? {}
  const argv = Object.entries(macros).flatMap(([key, value]) => [`--${key}`, value])
  try {
    const report = await ioc.load({ source: exportCaprotoScript(project), filename: `${name}.py`, argv })
    const locations = pvLocations(project)
    const fullNames = locations.map((location) => fullPvName(project, location, { macros }))
    expect(report.pvs).toEqual(fullNames)
    locations.forEach((location, index) => {
      const served = database.get(fullNames[index])
      const expected = validateSpec(runtimeSpecOf(location.pv, fullNames[index]))
      expect(served && comparable(served.spec), fullNames[index]).toEqual(comparable(expected))
      expect(plain(served?.value), fullNames[index]).toEqual(expectedValue(location))
      if (expected.value === undefined && expected.udfSeverity !== undefined) {
        expect([served?.status, served?.severity], fullNames[index]).toEqual([
          AlarmStatus.UDF,
          expected.udfSeverity,
        ])
      }
    })
    // caproto's alarm groups are per group instance: the same name in two groups is two alarms.
    const documentGroup = new Map(
      locations.map((location, index) => [
        fullNames[index],
        location.pv.alarmGroup &&
          `${location.groups.map((group) => group.attr).join('.')}/${location.pv.alarmGroup}`,
      ]),
    )
    expect(alarmPartition(fullNames, (pv) => database.get(pv)?.spec.alarmGroup)).toEqual(
      alarmPartition(fullNames, (pv) => documentGroup.get(pv)),
    )
  } finally {
    await ioc.stop()
  }
}

describe.each(names)('%s, exported and run in the shim', (name) => {
  it("serves the document's PVs with the document's specs", () => serve(name))
})

it('the runtime spec of a document PV is what the runtime accepts (type check and validation)', () => {
  for (const name of names) {
    for (const location of pvLocations(load(name))) {
      const spec: PvSpec = runtimeSpecOf(location.pv, `x:${location.attrPath}`)
      expect(() => validateSpec(spec), `${name} ${location.path}`).not.toThrow()
    }
  }
})

import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import { checkProject } from '@shared/model/check'
import { parseProjectText } from '@shared/model/parse'
import type { Project } from '@shared/model/project'
import { PvDatabase } from '../../ioc'
import type { PvSpec } from '../../ioc'
import { PythonIoc } from '../python-ioc'
import { PythonRuntime } from '../runtime'
import { ImportError, importCaprotoScript } from './import-script'

let runtime: PythonRuntime
beforeAll(async () => {
  runtime = new PythonRuntime({ log: () => {} })
  await runtime.ready
})
afterAll(() => runtime.dispose())

const PROJECTS = new URL('../../../test/fixtures/projects/', import.meta.url)
const CORPUS = new URL('../../../test/fixtures/caproto/', import.meta.url)
const files = (dir: URL, extension: string) => readdirSync(dir).filter((name) => name.endsWith(extension))

function fixtureProject(name: string): Project {
  const parsed = parseProjectText(readFileSync(new URL(name, PROJECTS), 'utf8'))
  if (!parsed.ok) throw new Error(`${name}: ${parsed.errors[0].path}: ${parsed.errors[0].message}`)
  return parsed.project
}

async function imported(source: string, filename = 'script.py') {
  return importCaprotoScript(runtime, source, filename)
}

describe('import(export(document))', () => {
  it.each(files(PROJECTS, '.ioc.json'))(
    '%s comes back as the same document and the same script',
    async (name) => {
      const project = fixtureProject(name)
      const script = exportCaprotoScript(project)
      const back = await imported(script, name.replace('.ioc.json', '.py'))
      expect(back.warnings).toEqual([])
      expect(back.project).toEqual(project)
      expect(exportCaprotoScript(back.project)).toBe(script)
    },
  )
})

/** Loads a script into a fresh database and returns the PV specs it serves, by name. */
function initialState(spec: PvSpec): unknown {
  const label = spec.type === 'ENUM' && typeof spec.value === 'string'
  return label ? spec.enumStrings?.indexOf(spec.value as string) : spec.value
}

async function servedSpecs(source: string, filename: string, argv: string[]): Promise<Map<string, PvSpec>> {
  const database = new PvDatabase()
  const ioc = new PythonIoc({ runtime, database, shutdownTimeoutMs: 200 })
  try {
    await ioc.load({ source, filename, argv })
    // The alarm groups' names are the script's own business; each PV's alarm is what is compared below. An
    // ENUM's initial value is a label or an index, as the script wrote it: compared as the state it is.
    return new Map(
      database
        .list()
        .map((pv) => [pv.name, { ...pv.spec, alarmGroup: undefined, value: initialState(pv.spec) }]),
    )
  } finally {
    await ioc.stop()
  }
}

describe('export(import(script)) for the caproto corpus', () => {
  it.each(files(CORPUS, '.py'))('%s serves the same PVs as the original', async (name) => {
    const source = readFileSync(new URL(name, CORPUS), 'utf8')
    const { project } = await imported(source, name)
    expect(checkProject(project).filter((problem) => problem.severity === 'error')).toEqual([])
    const exported = exportCaprotoScript(project)
    const argv = name === 'macros.py' ? ['--beamline', 'BL1'] : []
    const original = await servedSpecs(source, name, argv)
    const roundTrip = await servedSpecs(exported, name, argv)
    expect([...roundTrip.keys()].sort()).toEqual([...original.keys()].sort())
    for (const [pvName, spec] of original) expect(roundTrip.get(pvName), pvName).toEqual(spec)
  })

  it('reports what it kept as written, and why', async () => {
    const arrays = await imported(readFileSync(new URL('arrays.py', CORPUS), 'utf8'), 'arrays.py')
    expect(arrays.project.pvs.map((pv) => pv.name)).toEqual([
      'ints',
      'doubles',
      'shorts',
      'names',
      'raw',
      'sine',
      'total',
    ])
    expect(arrays.project.pvs[1]).toMatchObject({
      type: 'DOUBLE',
      maxLength: 8,
      value: [0, 0, 0, 0, 0, 0, 0, 0],
    })
    expect(arrays.project.pvs[4]).toMatchObject({ type: 'CHAR', maxLength: 4, value: [1, 2, 3, 4] })
    expect(arrays.warnings).toEqual([])

    const strings = await imported(readFileSync(new URL('strings.py', CORPUS), 'utf8'), 'strings.py')
    expect(strings.project.verbatim?.filter((block) => block.placement === 'class')).toEqual([
      {
        placement: 'class',
        code: "label = pvproperty(value='label', dtype=str, max_length=40, report_as_string=True)",
        needsReview: true,
        note: 'imported: pvproperty label: report_as_string cannot be represented',
      },
    ])
    expect(strings.project.verbatim?.[0]).toMatchObject({
      placement: 'module',
      note: "imported: the script's module docstring",
    })
    expect(strings.warnings).toEqual([
      {
        path: 'verbatim[1]',
        message: 'kept as written (line 11): pvproperty label: report_as_string cannot be represented',
      },
    ])

    const groups = await imported(readFileSync(new URL('subgroups.py', CORPUS), 'utf8'), 'subgroups.py')
    expect(groups.project.subGroups?.map((g) => [g.attr, g.className, g.prefix])).toEqual([
      ['nested', 'Middle', undefined],
      ['status', 'Status', undefined],
    ])
    expect(groups.project.subGroups?.[0].subGroups?.[0]).toMatchObject({
      attr: 'inner',
      className: 'Inner',
      prefix: 'in:',
    })
    expect(groups.project.verbatim?.map((block) => [block.placement, block.code.split('\n')[0]])).toEqual([
      [
        'module',
        '"""Subgroups and setpoint/readback pairs: a SubGroup from a class, one from the decorator form with its own',
      ],
      ['module', 'class Channel(PVGroup):'],
      ['class', "ch1 = SubGroup(Channel, prefix='ch1:')"],
    ])
    expect(groups.warnings.map((w) => w.message)).toEqual([
      'class status (line 37) is now called Status',
      'class Channel (line 10) kept as written: its PVs are served but not editable',
      'kept as written (line 33): SubGroup ch1: class Channel is used by more than one SubGroup; SubGroup ch2: gain cannot be represented',
    ])
  })
})

const HEAD = `from caproto import ChannelType
from caproto.server import PVGroup, ioc_arg_parser, pvproperty, run
`
const MAIN = `
if __name__ == '__main__':
    ioc_options, run_options = ioc_arg_parser(default_prefix='t:', desc='Test IOC')
    ioc = Ioc(**ioc_options)
    run(ioc.pvdb, **run_options)
`

describe('importing hand-written scripts', () => {
  it('maps caproto dtypes and values: IntEnum, bool, str, bytes, repeated lists, ChannelType', async () => {
    const { project, warnings } = await imported(`import enum
${HEAD}
class Mode(enum.IntEnum):
    Idle = 0
    Run = 2

class Ioc(PVGroup):
    mode = pvproperty(value=Mode.Run)
    moded = pvproperty(value=1, dtype=Mode)
    flag = pvproperty(value=True, enum_strings=['No', 'Yes'])
    text = pvproperty(value='hello')
    raw = pvproperty(value=b'ab')
    wave = pvproperty(value=[0.5] * 3, max_length=10)
    short = pvproperty(value=-3, dtype=ChannelType.INT, upper_ctrl_limit=10, lower_ctrl_limit=-10)
${MAIN}`)
    expect(warnings).toEqual([])
    expect(project.server).toEqual({ name: 'Ioc', className: 'Ioc', description: 'Test IOC', prefix: 't:' })
    expect(project.code?.imports).toBe(
      'import enum\n\n\nclass Mode(enum.IntEnum):\n    Idle = 0\n    Run = 2',
    )
    expect(project.pvs).toEqual([
      { name: 'mode', type: 'ENUM', value: 'Run', enumStrings: ['Idle', 'unset_1', 'Run'] },
      { name: 'moded', type: 'ENUM', value: 'unset_1', enumStrings: ['Idle', 'unset_1', 'Run'] },
      { name: 'flag', type: 'ENUM', value: 'Yes', enumStrings: ['No', 'Yes'] },
      { name: 'text', type: 'LONG_STRING', maxLength: 5, value: 'hello' },
      { name: 'raw', type: 'CHAR', maxLength: 2, value: [97, 98] },
      { name: 'wave', type: 'DOUBLE', maxLength: 10, value: [0.5, 0.5, 0.5] },
      {
        name: 'short',
        type: 'SHORT',
        value: -3,
        controlLimits: { low: { enabled: true, value: -10 }, high: { enabled: true, value: 10 } },
      },
    ])
  })

  it('keeps hooks it cannot attach as written, and they still run', async () => {
    const source = `${HEAD}
class Ioc(PVGroup):
    a = pvproperty(value=1)
    b = pvproperty(value=0)

    @a.putter
    async def a(self, inst, val):
        await self.b.write(val * 10)
${MAIN}`
    const { project, warnings } = await imported(source)
    expect(project.pvs.map((pv) => pv.hooks)).toEqual([undefined, undefined])
    expect(project.verbatim?.[0]).toMatchObject({
      placement: 'class',
      code: '@a.putter\nasync def a(self, inst, val):\n    await self.b.write(val * 10)',
      needsReview: true,
    })
    expect(warnings[0].message).toMatch(
      /putter hook of a: its parameters are \(self, inst, val\), not \(self, instance, value\)/,
    )
    const database = new PvDatabase()
    const ioc = new PythonIoc({ runtime, database })
    await ioc.load({ source: exportCaprotoScript(project), filename: 'out.py' })
    await database.get('t:a')?.put(4)
    expect(database.get('t:b')?.value).toBe(40)
    await ioc.stop()
  })

  it('reads __ainit__, autosaved(), the __main__ block, and reports comments it cannot keep', async () => {
    const { project, warnings } = await imported(`"""A hand-written IOC."""
${HEAD}from caproto.server.autosave import AutosaveHelper, autosaved


class Ioc(PVGroup):
    # the set point
    sp = autosaved(pvproperty(value=2.0))
    autosave_helper = SubGroup(AutosaveHelper)

    async def __ainit__(self, async_lib):
        self.ready = True


if __name__ == '__main__':
    ioc_options, run_options = ioc_arg_parser(default_prefix='h:', desc='d', macros={'bl': None, 'n': 3})
    print('starting')
    ioc = Ioc(**ioc_options)
    run(ioc.pvdb, startup_hook=ioc.__ainit__, **run_options)
`)
    expect(project.server).toMatchObject({
      prefix: 'h:',
      macros: [{ name: 'bl' }, { name: 'n', default: '3' }],
    })
    expect(project.pvs).toEqual([{ name: 'sp', type: 'DOUBLE', value: 2, autosave: true }])
    expect(project.code?.ainit).toBe('self.ready = True')
    expect(project.verbatim).toEqual([
      {
        placement: 'module-end',
        code: "print('starting')",
        needsReview: true,
        note: 'imported from the __main__ block: it now runs whenever the script is loaded',
      },
      {
        placement: 'module',
        code: '"""A hand-written IOC."""',
        needsReview: false,
        note: "imported: the script's module docstring",
      },
    ])
    expect(warnings.map((w) => w.message)).toEqual([
      'statements of the __main__ block (line 18) kept as written before it: review them',
      'the comment "# the set point" above pvproperty sp (line 9) is not kept',
      "line 10: caproto's AutosaveHelper is replaced by IOC Studio's autosave",
      "line 4: caproto's autosave helper is replaced by IOC Studio's autosave (the PVs' autosave flag)",
    ])
  })

  it('drops only the alarm groups the exporter gives PVs of their own; a shared one stays', async () => {
    const { project } = await imported(`${HEAD}
class Ioc(PVGroup):
    x = pvproperty(value=0, upper_alarm_limit=5, alarm_group='x_')
    x_ = pvproperty(value=0, upper_alarm_limit=5, alarm_group='x_')
    y = pvproperty(value=0, upper_alarm_limit=5, alarm_group='y')
${MAIN}`)
    expect(project.pvs.map((pv) => [pv.name, pv.alarmGroup])).toEqual([
      ['x', 'x_'],
      ['x_', 'x_'],
      ['y', undefined],
    ])
  })

  it('brings back the blocks an exported script marks as verbatim, as they are, whatever they hold', async () => {
    const { project, warnings } =
      await imported(`from caproto.server import PVGroup, ioc_arg_parser, pvproperty, run
import math

# IOC Studio verbatim (review): kept import
import json
# IOC Studio verbatim end


class Ioc(PVGroup):
    a = pvproperty(value=1)

    def helper(self):
        return 1

    # IOC Studio verbatim: a kept PV
    b = pvproperty(value=2)

    @b.putter
    async def b(self, instance, value):
        pass
    # IOC Studio verbatim end


X = 1
# IOC Studio verbatim
# only a comment
# IOC Studio verbatim end

# IOC Studio verbatim (review)
Y = json.dumps([1])
${MAIN}`)
    expect(project.pvs).toEqual([{ name: 'a', type: 'LONG', value: 1 }])
    expect(project.code).toEqual({ imports: 'import math', helpers: 'def helper(self):\n    return 1' })
    expect(project.verbatim).toEqual([
      { placement: 'module', code: 'import json', needsReview: true, note: 'kept import' },
      {
        placement: 'class',
        code: 'b = pvproperty(value=2)\n\n@b.putter\nasync def b(self, instance, value):\n    pass',
        needsReview: false,
        note: 'a kept PV',
      },
      { placement: 'module-end', code: 'X = 1', needsReview: false },
      { placement: 'module-end', code: '# only a comment', needsReview: false },
      // A begin marker without its end is a comment like any other.
      {
        placement: 'module-end',
        code: '# IOC Studio verbatim (review)\nY = json.dumps([1])',
        needsReview: false,
      },
    ])
    expect(warnings).toEqual([])
  })

  it('refuses what is not a caproto IOC, saying why', async () => {
    await expect(imported('class Ioc(PVGroup:\n', 'broken.py')).rejects.toThrow(
      new ImportError('broken.py:1:18: invalid syntax'),
    )
    await expect(imported('print(1)\n', 'plain.py')).rejects.toThrow(
      'plain.py defines no PVGroup class: nothing to import',
    )
  })
})

import { describe, expect, it } from 'vitest'
import type { Project, PvDefinition } from '../model/project'
import { exportCaprotoScript, ExportError } from './caproto-script'

const server = { name: 'Test', className: 'TestIOC', prefix: 't:' }

function exportOf(fields: Partial<Project> & { pvs?: readonly object[] }): string {
  return exportCaprotoScript({ formatVersion: 1, server, pvs: [], ...fields } as Project)
}

/** One pvproperty statement of a script, on one line, without the trailing comma of a wrapped call. */
function property(script: string, attr: string): string {
  const lines = script.split('\n')
  const start = lines.findIndex((line) => line.startsWith(`    ${attr} = pvproperty(`))
  if (start < 0) throw new Error(`no pvproperty ${attr} in:\n${script}`)
  if (lines[start].endsWith(')')) return lines[start].trim()
  const end = lines.findIndex((line, index) => index > start && line === '    )')
  return lines
    .slice(start, end + 1)
    .map((line) => line.trim())
    .join(' ')
    .replace('( ', '(')
    .replace(/, \)$/, ')')
}

const pv = (fields: Partial<PvDefinition>): PvDefinition => ({ name: 'x', type: 'DOUBLE', ...fields })
const one = (fields: Partial<PvDefinition>) => property(exportOf({ pvs: [pv(fields)] }), fields.attr ?? 'x')
const on = (value: number) => ({ enabled: true, value })
const off = (value: number) => ({ enabled: false, value })

describe('values and types: only what caproto cannot infer', () => {
  it.each([
    [{ value: 5 }, 'x = pvproperty(value=5.0)'],
    [{}, 'x = pvproperty(dtype=float)'],
    [{ type: 'FLOAT', value: 1.5 }, 'x = pvproperty(value=1.5, dtype=ChannelType.FLOAT)'],
    [{ type: 'LONG', value: 3 }, 'x = pvproperty(value=3)'],
    [{ type: 'LONG' }, 'x = pvproperty(dtype=int)'],
    [{ type: 'SHORT', value: -2 }, 'x = pvproperty(value=-2, dtype=ChannelType.INT)'],
    [{ type: 'STRING', value: 'idle' }, "x = pvproperty(value='idle', dtype=ChannelType.STRING)"],
    [{ type: 'LONG_STRING', value: 'a long text' }, "x = pvproperty(value='a long text', max_length=256)"],
    [{ type: 'LONG_STRING', maxLength: 80 }, 'x = pvproperty(dtype=str, max_length=80)'],
    [
      { type: 'ENUM', enumStrings: ['Off', 'On'], value: 'On' },
      "x = pvproperty(value='On', dtype=ChannelType.ENUM, enum_strings=['Off', 'On'])",
    ],
    [{ type: 'CHAR', maxLength: 4, value: [1, 2] }, 'x = pvproperty(value=bytes([1, 2]), max_length=4)'],
    [{ type: 'CHAR', value: 7 }, 'x = pvproperty(value=bytes([7]))'],
    [{ maxLength: 3, value: [1, 2.5] }, 'x = pvproperty(value=[1.0, 2.5], max_length=3)'],
    [{ maxLength: 3, value: [] }, 'x = pvproperty(value=[], dtype=float, max_length=3)'],
    [
      { type: 'STRING', maxLength: 2, value: ['a', 'b'] },
      "x = pvproperty(value=['a', 'b'], dtype=ChannelType.STRING, max_length=2)",
    ],
  ])('%j', (fields, expected) => {
    expect(one(fields as Partial<PvDefinition>)).toBe(expected)
  })

  it('metadata keywords follow in a fixed order, the docstring last', () => {
    expect(
      one({
        value: 1,
        readOnly: true,
        recordType: 'ai',
        units: 'mm',
        precision: 3,
        monitorDeadband: 0.5,
        archiveDeadband: 2,
        description: 'Position',
      }),
    ).toBe(
      "x = pvproperty(value=1.0, read_only=True, record='ai', units='mm', precision=3, value_atol=0.5, log_atol=2.0, " +
        "doc='Position')",
    )
  })

  it('a PV whose name is not a Python identifier gets an attribute and name=', () => {
    const script = exportOf({ pvs: [pv({ name: 'temp:setpoint' }), pv({ name: 'RBV', attr: 'readback' })] })
    expect(property(script, 'temp_setpoint')).toBe(
      "temp_setpoint = pvproperty(name='temp:setpoint', dtype=float)",
    )
    expect(property(script, 'readback')).toBe("readback = pvproperty(name='RBV', dtype=float)")
  })
})

describe('limits: emitted only when enabled, and a pair always whole', () => {
  it.each([
    [{ displayLimits: { high: on(10) } }, 'x = pvproperty(dtype=float, upper_disp_limit=10.0)'],
    [{ displayLimits: { low: off(1), high: off(10) } }, 'x = pvproperty(dtype=float)'],
    [
      { controlLimits: { high: on(10) } },
      "x = pvproperty(dtype=float, lower_ctrl_limit=float('-inf'), upper_ctrl_limit=10.0, alarm_group='x')",
    ],
    [
      { controlLimits: { low: on(0), high: off(10) } },
      "x = pvproperty(dtype=float, lower_ctrl_limit=0.0, upper_ctrl_limit=float('inf'), alarm_group='x')",
    ],
    [
      { type: 'LONG', alarmLimits: { hihi: on(100) } },
      "x = pvproperty(dtype=int, lower_alarm_limit=-2147483648, upper_alarm_limit=100, alarm_group='x')",
    ],
    [
      { type: 'SHORT', alarmLimits: { low: on(-5) } },
      'x = pvproperty(dtype=ChannelType.INT, lower_warning_limit=-5, upper_warning_limit=32767, ' +
        "alarm_group='x')",
    ],
    [
      { alarmLimits: { hihi: on(4), lolo: on(1), high: on(3), low: on(2) } },
      'x = pvproperty(dtype=float, lower_alarm_limit=1.0, lower_warning_limit=2.0, upper_warning_limit=3.0, ' +
        "upper_alarm_limit=4.0, alarm_group='x')",
    ],
  ])('%j', (fields, expected) => {
    expect(one(fields as Partial<PvDefinition>)).toBe(expected)
  })
})

describe('alarm groups (caproto shares one alarm per group unless told otherwise, #803)', () => {
  it('a PV that can alarm gets its own; a plain one is left alone; named groups are kept', () => {
    const script = exportOf({
      pvs: [
        pv({ name: 'plain', value: 1 }),
        pv({ name: 'limited', alarmLimits: { high: on(1) } }),
        pv({ name: 'hooked', hooks: { putter: 'pass' } }),
        pv({ name: 'a', alarmGroup: 'pair' }),
        pv({ name: 'b', alarmGroup: 'pair' }),
      ],
    })
    expect(property(script, 'plain')).toBe('plain = pvproperty(value=1.0)')
    expect(property(script, 'limited')).toContain("alarm_group='limited'")
    expect(property(script, 'hooked')).toBe("hooked = pvproperty(dtype=float, alarm_group='hooked')")
    expect(property(script, 'a')).toBe("a = pvproperty(dtype=float, alarm_group='pair')")
    expect(property(script, 'b')).toBe("b = pvproperty(dtype=float, alarm_group='pair')")
  })

  it('an own group never lands in a named group of the same name', () => {
    const script = exportOf({
      pvs: [pv({ name: 'heater', hooks: { putter: 'pass' } }), pv({ name: 'power', alarmGroup: 'heater' })],
    })
    expect(property(script, 'heater')).toBe("heater = pvproperty(dtype=float, alarm_group='heater_')")
  })
})

describe('hooks', () => {
  const hooked = exportOf({
    pvs: [
      pv({ name: 'a', hooks: { getter: 'return 1.0', putter: 'return value', startup: 'print("a up")' } }),
      pv({
        name: 'b',
        hooks: {
          shutdown: 'print("bye")',
          scan: { body: 'pass', period: 2, subtractElapsed: false, failureSeverity: 'MINOR' },
          startup: 'self.queue = async_lib.ThreadsafeQueue()\nwhile True:\n    await self.queue.async_get()',
        },
      }),
    ],
  })

  it('come after the pvproperties: startups (queue owners first), putters, getters, scans, shutdowns', () => {
    const order = hooked
      .split('\n')
      .filter((line) => line.startsWith('    @'))
      .map((line) => line.trim())
    expect(order).toEqual([
      '@b.startup',
      '@a.startup',
      '@a.putter',
      '@a.getter',
      '@b.scan(period=2.0, subtract_elapsed=False, failure_severity=AlarmSeverity.MINOR_ALARM)',
      '@b.shutdown',
    ])
    expect(hooked).toContain('from caproto import AlarmSeverity\n')
  })

  it("have caproto's signatures and the body indented inside", () => {
    expect(hooked).toContain(
      '    @b.startup\n    async def b(self, instance, async_lib):\n' +
        '        self.queue = async_lib.ThreadsafeQueue()\n        while True:\n            await self.queue.async_get()\n',
    )
    expect(hooked).toContain('    @a.putter\n    async def a(self, instance, value):\n        return value\n')
    expect(hooked).toContain('    @a.getter\n    async def a(self, instance):\n        return 1.0\n')
  })

  it('an empty body becomes pass', () => {
    expect(exportOf({ pvs: [pv({ hooks: { putter: '   \n' } })] })).toContain(
      '    async def x(self, instance, value):\n        pass\n',
    )
  })

  it('__ainit__ is written when there is code for it, and handed to run()', () => {
    const script = exportOf({ pvs: [pv({})], code: { ainit: 'self.count = 0' } })
    expect(script).toContain('    async def __ainit__(self, async_lib):\n        self.count = 0\n')
    expect(script).toContain('    run(ioc.pvdb, startup_hook=ioc.__ainit__, **run_options)\n')
    expect(exportOf({ pvs: [pv({})], code: { ainit: '  ' } })).toContain('    run(ioc.pvdb, **run_options)\n')
  })
})

describe('the module around the class', () => {
  it('ends with ioc_arg_parser (prefix, description, macros) and run', () => {
    const script = exportOf({
      server: {
        ...server,
        description: 'Does things.',
        macros: [{ name: 'bl' }, { name: 'hutch', default: 'A' }],
      },
      pvs: [pv({})],
    })
    expect(
      script.endsWith(
        [
          "if __name__ == '__main__':",
          '    ioc_options, run_options = ioc_arg_parser(',
          "        default_prefix='t:',",
          "        desc='Does things.',",
          "        macros={'bl': None, 'hutch': 'A'},",
          '    )',
          '    ioc = TestIOC(**ioc_options)',
          '    run(ioc.pvdb, **run_options)',
          '',
        ].join('\n'),
      ),
    ).toBe(true)
  })

  it('sets interfaces and ports as environment defaults, which caproto reads', () => {
    const script = exportOf({
      server: { ...server, interfaces: ['127.0.0.1', '10.0.0.2'], serverPort: 5070 },
    })
    expect(script).toContain('import os\n')
    expect(script).toContain(
      "    os.environ.setdefault('EPICS_CAS_INTF_ADDR_LIST', '127.0.0.1 10.0.0.2')\n" +
        "    os.environ.setdefault('EPICS_CA_SERVER_PORT', '5070')\n",
    )
    expect(exportOf({})).not.toContain('import os')
  })

  it('groups become classes before the class that uses them, with SubGroup attributes', () => {
    const script = exportOf({
      pvs: [pv({})],
      subGroups: [
        {
          attr: 'stage',
          className: 'Stage',
          pvs: [pv({ name: 'pos' })],
          subGroups: [{ attr: 'axis', className: 'Axis', prefix: 'AX:', pvs: [] }],
        },
      ],
    })
    const classes = [...script.matchAll(/^class (\w+)\(PVGroup\):/gm)].map((match) => match[1])
    expect(classes).toEqual(['Axis', 'Stage', 'TestIOC'])
    expect(script).toContain("    axis = SubGroup(Axis, prefix='AX:')\n")
    expect(script).toContain('    stage = SubGroup(Stage)\n')
    expect(script).toContain(
      'from caproto.server import PVGroup, SubGroup, ioc_arg_parser, pvproperty, run\n',
    )
  })

  it('writes the settings caproto has no argument for into IOC_STUDIO', () => {
    const script = exportOf({ pvs: [pv({ autosave: true, controlLimits: { high: on(1), mode: 'clamp' } })] })
    expect(script).toContain(
      "IOC_STUDIO = {'pvs': {'x': {'controlLimits': {'mode': 'clamp'}, 'autosave': True}}}\n",
    )
    expect(exportOf({ pvs: [pv({})] })).not.toContain('IOC_STUDIO')
  })

  it('places verbatim code where it was found', () => {
    const script = exportOf({
      pvs: [pv({})],
      verbatim: [
        { placement: 'module-end', code: 'END = 1', needsReview: false },
        { placement: 'class', code: 'def extra(self):\n    return 2', needsReview: false },
        { placement: 'module', code: 'START = 0', needsReview: false },
      ],
    })
    expect(script.indexOf('START = 0')).toBeLessThan(script.indexOf('class TestIOC'))
    expect(script).toContain('    def extra(self):\n        return 2\n')
    expect(script.indexOf('END = 1')).toBeLessThan(script.indexOf("if __name__ == '__main__':"))
    expect(script.indexOf('END = 1')).toBeGreaterThan(script.indexOf('def extra'))
  })
})

describe('determinism and refusal', () => {
  it('the same project gives the same text, whatever the key order of its objects', () => {
    const a: PvDefinition = {
      name: 'x',
      type: 'DOUBLE',
      units: 'mm',
      value: 2,
      controlLimits: { low: on(0), high: on(5) },
    }
    const b: PvDefinition = {
      controlLimits: { high: on(5), low: on(0) },
      value: 2,
      units: 'mm',
      type: 'DOUBLE',
      name: 'x',
    }
    expect(exportOf({ pvs: [a] })).toBe(exportOf({ pvs: [a] }))
    expect(exportOf({ pvs: [b] })).toBe(exportOf({ pvs: [a] }))
  })

  it('a project with errors is refused with the problems listed', () => {
    let thrown: unknown
    try {
      exportOf({
        pvs: [pv({ readOnly: true, hooks: { putter: 'pass' } }), pv({ name: 'y', type: 'LONG', value: 0.5 })],
      })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ExportError)
    expect((thrown as ExportError).problems.map((problem) => problem.path)).toEqual([
      'pvs[0].hooks.putter',
      'pvs[1].value',
    ])
    expect((thrown as Error).message).toBe(
      [
        'The project has errors, so it cannot be exported:',
        '  pvs[0].hooks.putter: a read-only PV cannot have a putter (caproto refuses it)',
        '  pvs[1].value: 0.5 is not a whole number; LONG holds integers',
      ].join('\n'),
    )
  })
})

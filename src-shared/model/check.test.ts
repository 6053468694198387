import { describe, expect, it } from 'vitest'
import { checkProject, hasErrors } from './check'
import type { Problem } from './check'
import type { Project, PvDefinition } from './project'

const server = { name: 'Test', className: 'TestIOC', prefix: 't:' }

function check(fields: Partial<Project> & { pvs?: readonly PvDefinition[] }): Problem[] {
  return checkProject({ formatVersion: 1, server, pvs: [], ...fields })
}

const pvs = (...list: object[]) => check({ pvs: list as PvDefinition[] })
const error = (path: string, message: string): Problem => ({ severity: 'error', path, message })
const warning = (path: string, message: string): Problem => ({ severity: 'warning', path, message })
const on = (value: number) => ({ enabled: true, value })

it('a clean project has no problems', () => {
  expect(
    pvs(
      { name: 'T', attr: 'temperature', type: 'DOUBLE', value: 20, units: 'degC', precision: 2 },
      { name: 'MODE', type: 'ENUM', enumStrings: ['Off', 'On'], value: 'On' },
      { name: 'MSG', type: 'LONG_STRING', value: 'x'.repeat(300), maxLength: 300 },
    ),
  ).toEqual([])
})

it('structural errors come first and alone (the semantic checks need a sound structure)', () => {
  const problems = checkProject({
    formatVersion: 1,
    server,
    pvs: [{ name: 'a', type: 'WORD' }],
  } as unknown as Project)
  expect(problems).toEqual([
    error(
      'pvs[0].type',
      `"WORD" is not one of 'DOUBLE', 'FLOAT', 'LONG', 'SHORT', 'ENUM', 'STRING', 'LONG_STRING', 'CHAR'`,
    ),
  ])
  expect(hasErrors(problems)).toBe(true)
})

describe('PV names', () => {
  it.each([
    [
      [{ name: 'a b', type: 'LONG' }],
      [error('pvs[0].name', "'t:a b' has a space; PV names are printable ASCII without spaces")],
    ],
    [
      [{ name: 'tempé', attr: 'temp', type: 'LONG' }],
      [error('pvs[0].name', `'t:tempé' has the character "é"; PV names are printable ASCII without spaces`)],
    ],
    [
      [{ name: 'text$', attr: 'text', type: 'LONG' }],
      [error('pvs[0].name', "a trailing '$' is reserved for long-string access")],
    ],
    [
      [{ name: 'x'.repeat(498), type: 'LONG' }],
      [error('pvs[0].name', 'the full name is 500 characters, at most 499')],
    ],
    [
      [{ name: '{bl}:x', type: 'LONG' }],
      [error('pvs[0].name', 'uses macro {bl}, which server.macros does not declare')],
    ],
    [
      [{ name: '{bl:x', attr: 'x', type: 'LONG' }],
      [error('pvs[0].name', "'{' at 0 is not closed (write '{{' for a literal brace)")],
    ],
    [
      [{ name: 'a.VAL', attr: 'a', type: 'LONG', recordType: 'ai' }],
      [
        error(
          'pvs[0].recordType',
          "a PV whose name has a '.' cannot have a record type (caproto refuses it)",
        ),
      ],
    ],
  ])('%j', (list, expected) => {
    expect(pvs(...list)).toEqual(expected)
  })

  it('must be unique once prefixes and macro defaults are applied', () => {
    const problems = check({
      server: { ...server, macros: [{ name: 'n', default: 'x' }] },
      pvs: [
        { name: 'g:x', type: 'LONG' },
        { name: '{n}', type: 'LONG' },
      ],
      subGroups: [{ attr: 'g', className: 'G', pvs: [{ name: 'x', type: 'LONG' }] }],
    })
    expect(problems).toEqual([error('subGroups[0].pvs[0].name', "'t:g:x' is also the name of pvs[0]")])
  })
})

describe('attributes and classes', () => {
  it('two PVs deriving the same attribute need an attr', () => {
    expect(pvs({ name: 'a:b', type: 'LONG' }, { name: 'a.b', type: 'LONG' })).toEqual([
      error('pvs[1].name', "attribute 'a_b' is also used by pvs[0]; give one of them another attr"),
    ])
  })

  it('reserved and colliding names are refused', () => {
    expect(pvs({ name: 'p', attr: 'pvdb', type: 'LONG' })).toEqual([
      error('pvs[0].attr', "'pvdb' is reserved in a caproto PVGroup"),
    ])
    expect(
      check({
        server: { ...server, className: 'ChannelType' },
        pvs: [{ name: 'g', type: 'LONG' }],
        subGroups: [
          { attr: 'g', className: 'ChannelType', pvs: [] },
          { attr: 'Other', className: 'Other', pvs: [] },
        ],
      }),
    ).toEqual([
      error('server.className', "'ChannelType' is a name the exported script already uses"),
      error('subGroups[0].attr', "attribute 'g' is also used by pvs[0]"),
      error('subGroups[0].className', "class name 'ChannelType' is already used by server.className"),
      error('subGroups[1]', "attribute 'Other' shadows the class of the same name"),
    ])
  })
})

describe('fields by type (caproto refuses the others when the IOC starts)', () => {
  it.each([
    [
      { name: 'a', type: 'STRING', units: 'mm' },
      error('pvs[0].units', 'only numeric PVs take units; this one is STRING'),
    ],
    [
      { name: 'a', type: 'LONG', precision: 2 },
      error('pvs[0].precision', 'only FLOAT and DOUBLE PVs take precision; this one is LONG'),
    ],
    [
      { name: 'a', type: 'ENUM', enumStrings: ['x'], controlLimits: {} },
      error('pvs[0].controlLimits', 'only numeric PVs take controlLimits; this one is ENUM'),
    ],
    [
      { name: 'a', type: 'LONG_STRING', monitorDeadband: 1 },
      error('pvs[0].monitorDeadband', 'only numeric PVs take monitorDeadband; this one is LONG_STRING'),
    ],
    [
      { name: 'a', type: 'DOUBLE', enumStrings: ['x'] },
      error('pvs[0].enumStrings', 'only ENUM PVs take enumStrings; this one is DOUBLE'),
    ],
    [
      { name: 'a', type: 'ENUM', enumStrings: ['x'], maxLength: 4 },
      error('pvs[0].maxLength', 'ENUM PVs are scalars (Channel Access has no enum arrays)'),
    ],
    [
      { name: 'a', type: 'LONG_STRING', maxLength: 1 },
      error('pvs[0].maxLength', 'a LONG_STRING needs room for at least 2 characters'),
    ],
    [
      { name: 'a', type: 'ENUM' },
      warning('pvs[0].enumStrings', 'an ENUM without states: clients see numbers'),
    ],
    [
      { name: 'a', type: 'ENUM', enumStrings: ['x', 'y', 'x'] },
      warning('pvs[0].enumStrings[2]', 'state "x" is listed twice'),
    ],
    [
      { name: 'a', type: 'DOUBLE', maxLength: 8, controlLimits: { high: on(1) } },
      warning('pvs[0].controlLimits', 'limits are not checked for arrays'),
    ],
  ])('%j', (pv, problem) => {
    expect(pvs(pv)).toEqual([problem])
  })
})

describe('initial values', () => {
  it.each([
    [
      { type: 'STRING', value: 'x'.repeat(40) },
      error('pvs[0].value', `"${'x'.repeat(37)}…" is 40 characters, a STRING holds 39 (use LONG_STRING)`),
    ],
    [{ type: 'STRING', value: '€' }, error('pvs[0].value', '"€" has characters outside latin-1')],
    [{ type: 'STRING', value: 3 }, error('pvs[0].value', 'a STRING holds text, not number')],
    [
      { type: 'STRING', maxLength: 2, value: ['a', 'b'.repeat(40)] },
      error('pvs[0].value[1]', `"${'b'.repeat(37)}…" is 40 characters, a STRING holds 39 (use LONG_STRING)`),
    ],
    [
      { type: 'LONG_STRING', maxLength: 4, value: 'hello' },
      error('pvs[0].value', '5 characters, maxLength is 4'),
    ],
    [
      { type: 'LONG_STRING', value: ['a'] },
      error('pvs[0].value', 'a LONG_STRING value is one text, not a list'),
    ],
    [
      { type: 'ENUM', enumStrings: ['Off', 'On'], value: 'Auto' },
      error('pvs[0].value', '"Auto" is not one of the states ["Off","On"]'),
    ],
    [
      { type: 'ENUM', enumStrings: ['Off', 'On'], value: 1 },
      error('pvs[0].value', '1 is not one of the states ["Off","On"]'),
    ],
    [{ type: 'LONG', value: 1.5 }, error('pvs[0].value', '1.5 is not a whole number; LONG holds integers')],
    [{ type: 'SHORT', value: 40000 }, error('pvs[0].value', "40000 is outside SHORT's range -32768..32767")],
    [
      { type: 'CHAR', maxLength: 2, value: [1, 256] },
      error('pvs[0].value[1]', "256 is outside CHAR's range 0..255"),
    ],
    [
      { type: 'FLOAT', value: 1e39 },
      error('pvs[0].value', '1e+39 is beyond the largest FLOAT (3.4028234663852886e+38)'),
    ],
    [
      { type: 'DOUBLE', value: [1, 2] },
      error('pvs[0].value', 'a list needs maxLength above 1 (an array PV)'),
    ],
    [{ type: 'DOUBLE', maxLength: 2, value: [1, 2, 3] }, error('pvs[0].value', '3 elements, maxLength is 2')],
    [{ type: 'DOUBLE', value: 'warm' }, error('pvs[0].value', 'a DOUBLE holds numbers, not string')],
    [
      { type: 'DOUBLE', value: 1, udfSeverity: 'MINOR' },
      warning('pvs[0].udfSeverity', 'has no effect: the PV has an initial value, so it is never undefined'),
    ],
  ])('%j', (fields, problem) => {
    expect(pvs({ name: 'a', ...fields })).toEqual([problem])
  })
})

describe('limits', () => {
  it.each([
    [{ displayLimits: { low: on(5), high: on(1) } }, error('pvs[0].displayLimits', 'low 5 is above high 1')],
    [{ controlLimits: { low: on(5), high: on(1) } }, error('pvs[0].controlLimits', 'low 5 is above high 1')],
    [
      { controlLimits: { low: on(3), high: on(3) } },
      warning(
        'pvs[0].controlLimits',
        'low and high are equal: caproto switches a pair with equal limits off, so the export will not enforce them',
      ),
    ],
    [{ controlLimits: { low: { enabled: false, value: 5 }, high: on(1) } }, undefined],
    [
      { alarmLimits: { low: on(10), high: on(5) } },
      warning('pvs[0].alarmLimits.high', 'high 5 is below low 10'),
    ],
    [
      { alarmLimits: { lolo: on(2), hihi: on(2) } },
      warning(
        'pvs[0].alarmLimits.hihi',
        'lolo and hihi are equal: caproto switches a pair with equal limits off, so the export will not alarm',
      ),
    ],
    [
      { alarmLimits: { hihi: { enabled: true, value: 9, severity: 'NO_ALARM' } } },
      warning('pvs[0].alarmLimits.hihi.severity', 'NO_ALARM switches the HIHI limit off (default MAJOR)'),
    ],
    [
      { value: 20, controlLimits: { high: on(10) } },
      warning('pvs[0].value', '20 is outside the control limits'),
    ],
  ])('%j', (fields, problem) => {
    expect(pvs({ name: 'a', type: 'DOUBLE', ...fields })).toEqual(problem ? [problem] : [])
  })

  it('of a CHAR come in pairs: the switched-off side would be 0 or 255, values a byte takes', () => {
    expect(
      pvs({ name: 'a', type: 'CHAR', alarmLimits: { hihi: on(200), low: on(3), high: on(100) } }),
    ).toEqual([
      warning(
        'pvs[0].alarmLimits.lolo',
        "caproto needs both lolo and hihi: a CHAR's lolo is exported as 0, which alarms at that value; enable it " +
          'with a value of your choice',
      ),
    ])
  })

  it('of integer PVs are whole numbers in the type range (the CTRL reply carries them as integers)', () => {
    expect(pvs({ name: 'a', type: 'SHORT', controlLimits: { low: on(-1e6), high: on(0.5) } })).toEqual([
      error('pvs[0].controlLimits.low.value', "-1000000 is outside SHORT's range -32768..32767"),
      error('pvs[0].controlLimits.high.value', '0.5 is not a whole number; SHORT holds integers'),
    ])
  })
})

describe('hooks and code', () => {
  it.each([
    [
      { readOnly: true, hooks: { putter: 'pass' } },
      error('pvs[0].hooks.putter', 'a read-only PV cannot have a putter (caproto refuses it)'),
    ],
    [
      { hooks: { scan: { body: 'pass', period: 1, useScanField: true } } },
      error('pvs[0].hooks.scan.useScanField', 'needs a recordType: the rate comes from the .SCAN field'),
    ],
    [
      { hooks: { putter: 'if value:\n\treturn 1' } },
      warning(
        'pvs[0].hooks.putter',
        'indents with tabs; the export indents with spaces, so use spaces here too',
      ),
    ],
    [
      { recordType: 'ai', description: 'x'.repeat(40) },
      warning('pvs[0].description', '.DESC carries the first 39 characters'),
    ],
  ])('%j', (fields, problem) => {
    expect(pvs({ name: 'a', type: 'DOUBLE', ...fields })).toEqual([problem])
  })

  it('verbatim code waiting for review is a warning', () => {
    expect(
      check({ verbatim: [{ placement: 'module', code: 'x = 1', needsReview: true, note: 'imported' }] }),
    ).toEqual([warning('verbatim[0]', 'code kept verbatim (imported): review it, then clear needsReview')])
  })
})

describe('server settings and access rules', () => {
  it('macros are unique and do not shadow ioc_arg_parser options', () => {
    expect(
      check({ server: { ...server, macros: [{ name: 'list_pvs' }, { name: 'a' }, { name: 'a' }] } }),
    ).toEqual([
      error('server.macros[0].name', "'list_pvs' clashes with the command-line option --list-pvs"),
      error('server.macros[2].name', "macro 'a' is declared twice"),
    ])
  })

  it('interfaces are IPv4 addresses and beacons need their own port', () => {
    expect(
      check({
        server: { ...server, interfaces: ['127.0.0.1', 'localhost'], serverPort: 5070, beaconPort: 5070 },
      }),
    ).toEqual([
      error('server.interfaces[1]', '"localhost" is not an IPv4 address like 127.0.0.1'),
      error('server.beaconPort', "beacons cannot go to the server's own port 5070"),
    ])
  })

  it('rules name groups that exist', () => {
    expect(
      check({
        access: {
          userGroups: { ops: ['alice'] },
          rules: [{ pvPattern: '*', access: 'WRITE', users: ['ops', 'admins'], hosts: ['lab'] }],
        },
      }),
    ).toEqual([
      error('access.rules[0].users[1]', "'admins' is not one of the userGroups"),
      error('access.rules[0].hosts[0]', "'lab' is not one of the hostGroups"),
    ])
  })

  it('the prefix may only use declared macros', () => {
    expect(check({ server: { ...server, prefix: '{bl}:' } })).toEqual([
      error('server.prefix', 'uses macro {bl}, which server.macros does not declare'),
    ])
  })
})

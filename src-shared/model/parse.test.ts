import { describe, expect, it } from 'vitest'
import { exportProjectJson } from '../codegen/project-json'
import { migrate } from './migrations'
import type { JsonObject, Migration } from './migrations'
import { jsonErrorOffset, parseProject, parseProjectText } from './parse'

const server = { name: 'Test', className: 'TestIOC', prefix: 'test:' }
const minimal = { formatVersion: 1, server, pvs: [{ name: 'a', type: 'DOUBLE' }] }
const withPvs = (...pvs: object[]) => ({ ...minimal, pvs })

describe('valid documents', () => {
  it('load as a copy that shares nothing with the input', () => {
    const input = withPvs({ name: 'a', type: 'DOUBLE', value: 1, hooks: { putter: 'return value' } })
    const result = parseProject(input)
    expect(result).toEqual({ ok: true, project: input, warnings: [] })
    if (!result.ok) return
    expect(result.project).not.toBe(input)
    expect(result.project.pvs[0]).not.toBe(input.pvs[0])
  })
})

describe('invalid documents: every error has a path and says what is wrong', () => {
  it.each([
    ['a list', [], '(document)', 'an IOC Studio project is a JSON object, not a list'],
    [
      'no version',
      { server, pvs: [] },
      'formatVersion',
      'missing: an IOC Studio project starts with "formatVersion": 1',
    ],
    [
      'a text version',
      { ...minimal, formatVersion: '1' },
      'formatVersion',
      '"1" is not a format version number',
    ],
    [
      'a newer version',
      { ...minimal, formatVersion: 2 },
      'formatVersion',
      'version 2 is newer than this IOC Studio reads (1); update IOC Studio to open it',
    ],
    ['no server', { formatVersion: 1, pvs: [] }, 'server', 'missing (Server settings)'],
    [
      'a bad class name',
      { ...minimal, server: { ...server, className: 'My-IOC' } },
      'server.className',
      '"My-IOC" is not a Python identifier (letters, digits, _)',
    ],
    [
      '17 enum states',
      withPvs(
        { name: 'a', type: 'DOUBLE' },
        { name: 'b', type: 'DOUBLE' },
        { name: 'c', type: 'DOUBLE' },
        { name: 'd', type: 'ENUM', enumStrings: Array.from({ length: 17 }, (_, i) => `state ${i}`) },
      ),
      'pvs[3].enumStrings',
      '17 states, at most 16',
    ],
    [
      'a 26-character state',
      withPvs({ name: 'a', type: 'ENUM', enumStrings: ['ok', 'abcdefghijklmnopqrstuvwxyz'] }),
      'pvs[0].enumStrings[1]',
      '"abcdefghijklmnopqrstuvwxyz" is 26 characters, at most 25',
    ],
    [
      'an unknown type',
      withPvs({ name: 'a', type: 'INT64' }),
      'pvs[0].type',
      `"INT64" is not one of 'DOUBLE', 'FLOAT', 'LONG', 'SHORT', 'ENUM', 'STRING', 'LONG_STRING', 'CHAR'`,
    ],
    [
      'precision 18',
      withPvs({ name: 'a', type: 'DOUBLE', precision: 18 }),
      'pvs[0].precision',
      '18 is above 17',
    ],
    ['maxLength 0', withPvs({ name: 'a', type: 'DOUBLE', maxLength: 0 }), 'pvs[0].maxLength', '0 is below 1'],
    [
      'units of 8 characters',
      withPvs({ name: 'a', type: 'DOUBLE', units: 'furlongs' }),
      'pvs[0].units',
      '"furlongs" is 8 characters, at most 7',
    ],
    [
      'a limit without its flag',
      withPvs({ name: 'a', type: 'DOUBLE', controlLimits: { low: { value: 0 } } }),
      'pvs[0].controlLimits.low.enabled',
      'missing (Whether the limit applies; a disabled limit keeps its value for later)',
    ],
    [
      'a severity name from caproto',
      withPvs({
        name: 'a',
        type: 'DOUBLE',
        alarmLimits: { hihi: { enabled: true, value: 1, severity: 'MAJOR_ALARM' } },
      }),
      'pvs[0].alarmLimits.hihi.severity',
      `"MAJOR_ALARM" is not one of 'NO_ALARM', 'MINOR', 'MAJOR', 'INVALID'`,
    ],
    [
      'a scan period of 0',
      withPvs({ name: 'a', type: 'DOUBLE', hooks: { scan: { body: 'pass', period: 0 } } }),
      'pvs[0].hooks.scan.period',
      '0 must be above 0',
    ],
    [
      'a hook that is not text',
      withPvs({ name: 'a', type: 'DOUBLE', hooks: { putter: ['return value'] } }),
      'pvs[0].hooks.putter',
      'must be text, not a list',
    ],
    [
      'an object as value',
      withPvs({ name: 'a', type: 'DOUBLE', value: { x: 1 } }),
      'pvs[0].value',
      'must be a number, text, or a list of numbers or of texts, not an object',
    ],
    [
      'an attribute starting with _',
      withPvs({ name: 'a', type: 'DOUBLE', attr: '_a' }),
      'pvs[0].attr',
      `"_a" is not a Python identifier that starts with a letter (caproto skips names starting with '_')`,
    ],
    [
      'a nested group without PVs',
      {
        ...minimal,
        subGroups: [{ attr: 'g', className: 'G', subGroups: [{ attr: 'h', className: 'H' }], pvs: [] }],
      },
      'subGroups[0].subGroups[0].pvs',
      "missing (The group's PVs)",
    ],
    [
      'an access level LIST',
      { ...minimal, access: { rules: [{ pvPattern: '*', access: 'LIST' }] } },
      'access.rules[0].access',
      `"LIST" is not one of 'NONE', 'READ', 'WRITE'`,
    ],
  ])('%s', (_, document, path, message) => {
    expect(parseProject(document)).toEqual({ ok: false, errors: [{ path, message }] })
  })

  it('reports all errors at once', () => {
    const result = parseProject({
      formatVersion: 1,
      server: { name: '', className: '1x', prefix: 7 },
      pvs: {},
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.map((error) => error.path)).toEqual([
      'server.name',
      'server.className',
      'server.prefix',
      'pvs',
    ])
  })

  it('explain JSON syntax errors with a line and column', () => {
    const result = parseProjectText('{\n  "formatVersion": 1,\n  "server": }\n')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0].path).toBe('(document)')
    expect(result.errors[0].message).toBe('not valid JSON at line 3, column 13: unexpected "}"')
  })
})

describe('unknown fields', () => {
  const document = {
    formatVersion: 1,
    comment: 'hand-written',
    server: { ...server, colour: 'blue' },
    pvs: [
      {
        name: 'a',
        type: 'DOUBLE',
        descripton: 'typo',
        controlLimits: { low: { enabled: true, value: 0, note: 'from the spec sheet' } },
      },
    ],
  }

  it('are kept, and each is a warning with a suggestion when one is close', () => {
    const result = parseProject(document)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.project).toEqual(document)
    expect(result.warnings).toEqual([
      { path: 'comment', message: 'unknown field, kept as it is' },
      { path: 'server.colour', message: 'unknown field, kept as it is' },
      { path: 'pvs[0].descripton', message: "unknown field, kept as it is (did you mean 'description'?)" },
      { path: 'pvs[0].controlLimits.low.note', message: 'unknown field, kept as it is' },
    ])
  })

  it('survive saving, after the fields the format knows', () => {
    const result = parseProject(document)
    if (!result.ok) throw new Error('did not load')
    const saved = JSON.parse(exportProjectJson(result.project)) as typeof document
    expect(saved).toEqual(document)
    expect(Object.keys(saved)).toEqual(['formatVersion', 'server', 'pvs', 'comment'])
    expect(Object.keys(saved.pvs[0])).toEqual(['name', 'type', 'controlLimits', 'descripton'])
  })
})

describe('migrations', () => {
  // A synthetic "version 0": the PV description was called `doc` and the class name `class`.
  const zeroToOne: Migration = {
    from: 0,
    summary: 'pvs[].doc is now description, server.class is className',
    migrate(document) {
      const { class: className, ...serverRest } = document.server as JsonObject
      return {
        ...document,
        server: { ...serverRest, className },
        pvs: (document.pvs as JsonObject[]).map(({ doc, ...pv }) => ({ ...pv, description: doc })),
      }
    },
  }
  const versionZero = {
    formatVersion: 0,
    server: { name: 'Old', class: 'OldIOC', prefix: 'old:' },
    pvs: [{ name: 'a', type: 'LONG', doc: 'written by version 0' }],
  }

  it('bring an older document forward, say so, and leave the input alone', () => {
    const before = JSON.stringify(versionZero)
    const result = parseProject(versionZero, { migrations: [zeroToOne] })
    expect(result).toEqual({
      ok: true,
      project: {
        formatVersion: 1,
        server: { name: 'Old', className: 'OldIOC', prefix: 'old:' },
        pvs: [{ name: 'a', type: 'LONG', description: 'written by version 0' }],
      },
      warnings: [
        {
          path: 'formatVersion',
          message: 'migrated version 0 -> 1: pvs[].doc is now description, server.class is className',
        },
      ],
    })
    expect(JSON.stringify(versionZero)).toBe(before)
  })

  it('refuse a version no migration starts from', () => {
    expect(parseProject(versionZero)).toEqual({
      ok: false,
      errors: [{ path: 'formatVersion', message: 'version 0 is not a format IOC Studio ever wrote' }],
    })
  })

  it('run in order, one version at a time', () => {
    const step = (from: number): Migration => ({
      from,
      summary: `step ${from}`,
      migrate: (document) => ({ ...document, trail: [...((document.trail as number[]) ?? []), from] }),
    })
    const result = migrate({ formatVersion: 0 }, 0, 3, [step(2), step(0), step(1)])
    expect(result).toEqual({
      ok: true,
      document: { formatVersion: 3, trail: [0, 1, 2] },
      applied: ['version 0 -> 1: step 0', 'version 1 -> 2: step 1', 'version 2 -> 3: step 2'],
    })
  })
})

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": 1}', undefined],
    ['[1, -2.5e3, "x\\"y", true, null, {}]', undefined],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['{"a": tru}', 6],
    ['[1 2]', 3],
    ['{"a": "line\nbreak"}', 11],
    ['{"a": 01}', 7],
    ['{"a": 1} x', 9],
    ['{"a": [1, 2', 11],
    ["{'a': 1}", 1],
  ])('%j -> %s', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset)
    expect(() => JSON.parse(text)).toSatisfy((parse: () => unknown) => {
      try {
        parse()
        return offset === undefined
      } catch {
        return offset !== undefined
      }
    })
  })
})

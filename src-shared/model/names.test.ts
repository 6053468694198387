import { describe, expect, it } from 'vitest'
import { attributeOf, expandTemplate, fullPvName, macrosIn, parseTemplate, pvLocations } from './names'
import type { Project, PvDefinition } from './project'

describe('name templates (caproto formats PV names with str.format)', () => {
  it('split into literals and macros; doubled braces are literal', () => {
    expect(parseTemplate('{beamline}:{{x}}.VAL')).toEqual({
      ok: true,
      parts: [{ macro: 'beamline' }, { literal: ':{x}.VAL' }],
    })
    expect(macrosIn('{a}:{b}:{a}')).toEqual(['a', 'b', 'a'])
  })

  it.each([
    ['{beamline', "'{' at 0 is not closed (write '{{' for a literal brace)"],
    ['a}b', "'}' at 1 has no '{' (write '}}' for a literal brace)"],
    ['{0}', '{0} is not a macro reference like {beamline}'],
    ['{a.b}', '{a.b} is not a macro reference like {beamline}'],
    ['{}', '{} is not a macro reference like {beamline}'],
  ])('refuse %j', (template, message) => {
    expect(parseTemplate(template)).toEqual({ ok: false, message })
  })

  it('expand with the values given and leave the others visible', () => {
    expect(expandTemplate('{bl}:{hutch}:{{T}}', { bl: 'BL7' })).toBe('BL7:{hutch}:{T}')
  })
})

describe('attribute names', () => {
  const pv = (name: string, attr?: string): PvDefinition => ({
    name,
    type: 'LONG',
    ...(attr ? { attr } : {}),
  })

  it.each([
    ['temperature', undefined, 'temperature'],
    ['temp:setpoint', undefined, 'temp_setpoint'],
    ['Temp-RB', undefined, 'Temp_RB'],
    ['{beamline}:{suffix}.VAL', undefined, 'beamline_suffix_VAL'],
    ['1st', undefined, 'pv_1st'],
    [':::', undefined, 'pv'],
    ['class', undefined, 'class_'],
    ['prefix', undefined, 'prefix_'],
    ['_hidden', undefined, 'hidden'],
    ['RBV', 'readback', 'readback'],
  ])('%s (attr %s) -> %s', (name, attr, expected) => {
    expect(attributeOf(pv(name, attr))).toBe(expected)
  })
})

describe('PV locations and full names', () => {
  const project: Project = {
    formatVersion: 1,
    server: {
      name: 'B',
      className: 'B',
      prefix: '{bl}:',
      macros: [{ name: 'bl', default: 'BL1' }, { name: 'h' }],
    },
    pvs: [{ name: 'CURRENT', type: 'DOUBLE' }],
    subGroups: [
      {
        attr: 'mono',
        className: 'Mono',
        prefix: 'MONO:',
        pvs: [{ name: 'E', attr: 'energy', type: 'DOUBLE' }],
        subGroups: [{ attr: 'xtal', className: 'Xtal', pvs: [{ name: '{h}:T', type: 'DOUBLE' }] }],
      },
    ],
  }

  it('walk the class, then each group depth first, with attribute paths as caproto keys them', () => {
    expect(
      pvLocations(project).map(({ path, attrPath, prefixTemplate }) => [path, attrPath, prefixTemplate]),
    ).toEqual([
      ['pvs[0]', 'CURRENT', '{bl}:'],
      ['subGroups[0].pvs[0]', 'mono.energy', '{bl}:MONO:'],
      ['subGroups[0].subGroups[0].pvs[0]', 'mono.xtal.h_T', '{bl}:MONO:xtal:'],
    ])
  })

  it('expand with macro defaults, given values and another prefix', () => {
    const [current, energy, temperature] = pvLocations(project)
    expect(fullPvName(project, current)).toBe('BL1:CURRENT')
    expect(fullPvName(project, temperature)).toBe('BL1:MONO:xtal:{h}:T')
    expect(fullPvName(project, temperature, { macros: { h: 'A' } })).toBe('BL1:MONO:xtal:A:T')
    expect(fullPvName(project, energy, { prefix: 'TEST:' })).toBe('TEST:MONO:E')
  })
})

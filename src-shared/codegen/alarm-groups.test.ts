import { describe, expect, it } from 'vitest'
import type { PvDefinition } from '../model/project'
import { alarmGroupsOf, canAlarm, isOwnAlarmGroup } from './alarm-groups'

const pv = (name: string, fields: Partial<PvDefinition> = {}): PvDefinition => ({
  name,
  type: 'DOUBLE',
  ...fields,
})
const on = { enabled: true, value: 1 }

describe('canAlarm', () => {
  it.each([
    [pv('a'), false],
    [pv('a', { displayLimits: { high: on } }), false],
    [pv('a', { alarmLimits: { high: { enabled: false, value: 1 } } }), false],
    [pv('a', { alarmLimits: { high: on } }), true],
    [pv('a', { controlLimits: { low: on } }), true],
    [pv('a', { udfSeverity: 'MINOR' }), true],
    [pv('a', { hooks: { scan: { body: 'pass', period: 1 } } }), true],
  ])('%j -> %s', (definition, expected) => {
    expect(canAlarm(definition)).toBe(expected)
  })
})

describe('the own-group rule and its inverse', () => {
  const hooked = { hooks: { putter: 'pass' } }
  const pvs = [
    pv('plain'),
    pv('heater', hooked),
    pv('power', { alarmGroup: 'heater' }),
    pv('fan', { ...hooked, alarmGroup: 'heater' }),
    pv('pump', hooked),
  ]

  it('gives own groups only to PVs that can alarm and have none, avoiding named groups', () => {
    const groups = alarmGroupsOf(pvs)
    expect(pvs.map((definition) => groups.get(definition))).toEqual([
      undefined,
      'heater_',
      'heater',
      'heater',
      'pump',
    ])
  })

  it('an importer recognises exactly the groups the rule generated', () => {
    const groups = alarmGroupsOf(pvs)
    const imported = pvs.map((definition) => {
      const group = groups.get(definition)
      return group === undefined ? definition : { ...definition, alarmGroup: group }
    })
    expect(imported.map((definition) => isOwnAlarmGroup(definition, imported))).toEqual([
      false,
      true,
      false,
      false,
      true,
    ])
  })
})

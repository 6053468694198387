import { expect, it } from 'vitest'
import type { Project } from '../model/project'
import { exportProjectJson } from './project-json'

it('writes keys in the format order, unknown ones after, two-space indent and a final newline', () => {
  const project = {
    extra: true,
    pvs: [{ hooks: { putter: 'pass' }, type: 'LONG', note: 'mine', name: 'a', value: undefined }],
    server: { prefix: 'p:', className: 'P', name: 'P' },
    formatVersion: 1,
  } as unknown as Project
  expect(exportProjectJson(project)).toBe(
    [
      '{',
      '  "formatVersion": 1,',
      '  "server": {',
      '    "name": "P",',
      '    "className": "P",',
      '    "prefix": "p:"',
      '  },',
      '  "pvs": [',
      '    {',
      '      "name": "a",',
      '      "type": "LONG",',
      '      "hooks": {',
      '        "putter": "pass"',
      '      },',
      '      "note": "mine"',
      '    }',
      '  ],',
      '  "extra": true',
      '}',
      '',
    ].join('\n'),
  )
})

it('orders keys inside nested groups, limits and access rules too', () => {
  const project = {
    formatVersion: 1,
    server: { name: 'P', className: 'P', prefix: '' },
    pvs: [],
    subGroups: [
      {
        pvs: [{ alarmLimits: { hihi: { value: 1, enabled: true } }, type: 'DOUBLE', name: 'x' }],
        className: 'G',
        attr: 'g',
      },
    ],
    access: { rules: [{ access: 'READ', pvPattern: '*' }], userGroups: { b: ['x'], a: ['y'] } },
  } as unknown as Project
  const saved = JSON.parse(exportProjectJson(project)) as {
    subGroups: [{ pvs: [{ alarmLimits: { hihi: object } }] }]
    access: { rules: [object]; userGroups: object }
  }
  expect(Object.keys(saved.subGroups[0])).toEqual(['attr', 'className', 'pvs'])
  expect(Object.keys(saved.subGroups[0].pvs[0])).toEqual(['name', 'type', 'alarmLimits'])
  expect(Object.keys(saved.subGroups[0].pvs[0].alarmLimits.hihi)).toEqual(['enabled', 'value'])
  expect(Object.keys(saved.access)).toEqual(['userGroups', 'rules'])
  expect(Object.keys(saved.access.rules[0])).toEqual(['pvPattern', 'access'])
  // A dictionary keeps the user's order: its keys are names, not fields.
  expect(Object.keys(saved.access.userGroups)).toEqual(['b', 'a'])
})

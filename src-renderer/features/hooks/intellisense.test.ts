import { describe, expect, it } from 'vitest'
import type { Project } from '@shared/model/project'
import { pvId } from '../../state/pv-ids'
import { hoverAt, suggestionsAt } from './intellisense'
import type { CodeContext } from './intellisense'

const project: Project = {
  formatVersion: 1,
  server: { name: 'Lab', className: 'Lab', prefix: 'LAB:' },
  pvs: [
    { name: 'setpoint', type: 'DOUBLE', units: 'mm', description: 'Where to go' },
    { name: 'temp:rbv', type: 'DOUBLE', readOnly: true },
  ],
  subGroups: [{ attr: 'stage', className: 'Stage', pvs: [{ name: 'x', type: 'LONG' }] }],
}
const putter: CodeContext = { kind: 'hook', pvId: pvId(project.pvs[0]), hook: 'putter' }
const labels = (line: string, context: CodeContext = putter) =>
  suggestionsAt(project, context, line).map((s) => s.label)

describe('hook intellisense', () => {
  it('offers the group PVs and sub-groups after self.', () => {
    const items = suggestionsAt(project, putter, '    await self.')
    expect(items.slice(0, 3).map((s) => [s.label, s.kind])).toEqual([
      ['setpoint', 'pv'],
      ['temp_rbv', 'pv'],
      ['stage', 'group'],
    ])
    expect(items[0].documentation).toContain('PV LAB:setpoint · DOUBLE · units mm')
    expect(items.map((s) => s.label)).toContain('prefix')
  })

  it('offers the PV API after instance. and after a PV of self, the queue API after a queue', () => {
    expect(labels('await instance.')).toEqual(
      expect.arrayContaining(['value', 'write', 'write_metadata', 'alarm']),
    )
    expect(labels('await self.temp_rbv.wr')).toContain('write')
    expect(labels('await instance.alarm.')).toContain('alarm_string')
    expect(labels('entry = await self.put_queue.')).toEqual(['async_get', 'async_put', 'put', 'get'])
    expect(labels('x = async_lib.')).toContain('ThreadsafeQueue')
    expect(labels('x = foo.')).toEqual([])
  })

  it("offers a hook's parameters, caproto names and its snippets at the start of a word", () => {
    const words = labels('    ')
    expect(words.slice(0, 3)).toEqual(['self', 'instance', 'value'])
    expect(words).toEqual(expect.arrayContaining(['SkipWrite', 'AlarmSeverity', 'copy to readback']))
    const scan = labels('', { kind: 'hook', pvId: pvId(project.pvs[0]), hook: 'scan' })
    expect(scan.slice(0, 3)).toEqual(['self', 'instance', 'async_lib'])
    expect(scan).toContain('step')
    expect(labels('', { kind: 'code', part: 'helpers' })).toContain('putter hook')
  })

  it('scopes self to the PV group inside a sub-group', () => {
    const x: CodeContext = { kind: 'hook', pvId: pvId(project.subGroups![0].pvs[0]), hook: 'putter' }
    expect(labels('self.', x)[0]).toBe('x')
  })

  it('explains what the cursor is on', () => {
    const line = '    await self.setpoint.write(value)'
    expect(hoverAt(project, putter, line, 'setpoint', line.indexOf('setpoint'))).toContain('PV LAB:setpoint')
    expect(hoverAt(project, putter, line, 'write', line.indexOf('write'))).toContain('verify_value')
    expect(hoverAt(project, putter, line, 'value', line.indexOf('value)'))).toMatch(
      /^value: The value a client/,
    )
    expect(hoverAt(project, putter, 'raise SkipWrite', 'SkipWrite', 6)).toContain('keep the old value')
    expect(hoverAt(project, putter, 'x = y', 'y', 4)).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { exportCaprotoScript } from '@shared/codegen/caproto-script'
import type { Project } from '@shared/model/project'
import { locateScriptLine } from './hook-lines'

const project: Project = {
  formatVersion: 1,
  server: { name: 'Lab', className: 'Lab', prefix: 'LAB:' },
  pvs: [
    {
      name: 'sp',
      type: 'DOUBLE',
      hooks: { putter: '\n\n# copy to the readback\nawait self.rbv.write(value)\nreturn value' },
    },
    { name: 'rbv', type: 'DOUBLE', readOnly: true },
  ],
  subGroups: [
    {
      attr: 'stage',
      className: 'Stage',
      pvs: [{ name: 'sp', type: 'LONG', hooks: { scan: { body: 'x = 1\ny = 1 / 0', period: 1 } } }],
    },
  ],
  code: { ainit: "print('hello')\nraise RuntimeError('no')" },
}

/** The 1-based script line whose text contains `needle` (after `after`, when given). */
function lineOf(script: string, needle: string, after = ''): number {
  const lines = script.split('\n')
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0
  return lines.findIndex((l, i) => i >= start && l.includes(needle)) + 1
}

describe('locateScriptLine', () => {
  const script = exportCaprotoScript(project)

  it('maps a line of a putter body to the line the user wrote, blank lines included', () => {
    expect(locateScriptLine(script, project, lineOf(script, 'return value'))).toEqual({
      pvPath: 'pvs[0]',
      hook: 'putter',
      line: 5,
    })
  })

  it('tells a sub-group PV from a root PV of the same name', () => {
    expect(locateScriptLine(script, project, lineOf(script, 'y = 1 / 0'))).toEqual({
      pvPath: 'subGroups[0].pvs[0]',
      hook: 'scan',
      line: 2,
    })
  })

  it('maps __ainit__ and leaves generated code alone', () => {
    expect(locateScriptLine(script, project, lineOf(script, "raise RuntimeError('no')"))).toEqual({
      pvPath: null,
      hook: 'ainit',
      line: 2,
    })
    expect(locateScriptLine(script, project, lineOf(script, 'rbv = pvproperty'))).toBeNull()
    expect(locateScriptLine(script, project, lineOf(script, 'ioc_arg_parser', '__main__'))).toBeNull()
    expect(locateScriptLine(script, project, 0)).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { parseProject } from '../model/parse'
import { isEditableProject, structureIssues } from './editable-project'

const base = {
  formatVersion: 1,
  server: { name: 'Lab', className: 'Lab', prefix: 'LAB:' },
  pvs: [{ name: 'mode', type: 'ENUM', enumStrings: Array.from({ length: 17 }, (_, i) => `state ${i}`) }],
}

describe('structureIssues', () => {
  it('accepts a document that breaks the rules but keeps its structure', () => {
    expect(parseProject(base).ok).toBe(false)
    expect(structureIssues(base)).toEqual([])
    expect(isEditableProject(base)).toBe(true)
  })

  it('names what the editor could not show', () => {
    expect(structureIssues([])).toEqual([{ path: '(document)', message: 'a project is a JSON object' }])
    expect(
      structureIssues({
        formatVersion: 2,
        server: { name: 'x', prefix: 1 },
        pvs: [{ name: 'a', type: 'DOUBLE', hooks: { putter: 3, scan: { period: 1 } } }, 'b'],
        subGroups: [{ attr: 'g', className: 'G', pvs: [{ type: 'LONG', enumStrings: [1] }] }],
        code: 'x',
      }).map((issue) => issue.path),
    ).toEqual([
      'formatVersion',
      'server.className',
      'server.prefix',
      'pvs[0].hooks.putter',
      'pvs[0].hooks.scan',
      'pvs[1]',
      'subGroups[0].pvs[0].name',
      'subGroups[0].pvs[0].enumStrings',
      'code',
    ])
  })
})

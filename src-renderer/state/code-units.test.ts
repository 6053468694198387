import { describe, expect, it } from 'vitest'
import type { Project } from '@shared/model/project'
import { codeUnits, compilableSource, unitPosition } from './code-units'
import { pvId } from './pv-ids'

const project: Project = {
  formatVersion: 1,
  server: { name: 'Lab', className: 'Lab', prefix: 'LAB:' },
  pvs: [
    {
      name: 'sp',
      type: 'DOUBLE',
      hooks: { putter: 'await self.rbv.write(value)', scan: { body: 'pass', period: 1 } },
    },
    { name: 'rbv', type: 'DOUBLE' },
  ],
  code: { imports: 'import math', helpers: 'GAIN = 2', ainit: '' },
}

describe('code units', () => {
  it('lists every hook and group code with the tab that edits it', () => {
    const id = pvId(project.pvs[0])
    expect(codeUnits(project).map((u) => [u.key, u.path, u.label])).toEqual([
      [`hook:${id}:putter`, 'pvs[0].hooks.putter', 'putter of sp'],
      [`hook:${id}:scan`, 'pvs[0].hooks.scan.body', 'scan of sp'],
      ['code:imports', 'code.imports', 'group imports'],
      ['code:helpers', 'code.helpers', 'group helpers'],
      ['code:ainit', 'code.ainit', '__ainit__'],
    ])
  })

  it('wraps a body so compile() accepts await and return, and maps positions back', () => {
    const [putter] = codeUnits(project)
    expect(compilableSource(putter)).toBe(
      'async def _hook(self, instance, value):\n    await self.rbv.write(value)\n    pass\n',
    )
    expect(unitPosition(putter, 2, 11)).toEqual({ line: 1, column: 7 })
    // compile() may point past the body (an unclosed bracket): stay inside it.
    expect(unitPosition(putter, 4, 1)).toEqual({ line: 1, column: 1 })
    const imports = codeUnits(project)[2]
    expect(compilableSource(imports)).toBe('import math')
    expect(unitPosition(imports, 1, 8)).toEqual({ line: 1, column: 8 })
  })

  it('keeps blank lines, so line numbers match the editor', () => {
    const source = compilableSource({ source: 'x = 1\n\n\ny = (', wrap: { header: 'class _Group:' } })
    expect(source.split('\n')[4]).toBe('    y = (')
  })
})

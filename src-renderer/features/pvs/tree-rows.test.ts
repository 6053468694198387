import { describe, expect, it } from 'vitest'
import type { Project } from '@shared/model/project'
import { treeRows, typeGlyph } from './tree-rows'

const project: Project = {
  formatVersion: 1,
  server: { name: 'Beamline', className: 'Beamline', prefix: 'BL:' },
  pvs: [{ name: 'current', type: 'DOUBLE', description: 'Ring current' }],
  subGroups: [
    {
      attr: 'm1',
      className: 'Motor',
      prefix: 'M1:',
      pvs: [
        { name: 'pos', type: 'DOUBLE' },
        { name: 'moving', type: 'ENUM' },
      ],
    },
    { attr: 'det', className: 'Detector', pvs: [{ name: 'image', type: 'SHORT', maxLength: 1024 }] },
  ],
}

const shown = (rows: ReturnType<typeof treeRows>) =>
  rows.map((r) => `${'  '.repeat(r.depth)}${r.kind}:${r.label}`)

describe('treeRows', () => {
  it('lays out server, PVs and groups depth first, with full names', () => {
    const rows = treeRows(project, '')
    expect(shown(rows)).toEqual([
      'server:Beamline',
      '  pv:current',
      '  group:m1',
      '    pv:pos',
      '    pv:moving',
      '  group:det',
      '    pv:image',
    ])
    expect(rows.find((r) => r.label === 'pos')).toMatchObject({
      detail: 'BL:M1:pos',
      path: 'subGroups[0].pvs[0]',
    })
    expect(rows.find((r) => r.label === 'image')).toMatchObject({ detail: 'BL:det:image' })
  })

  it('filters by name, full name or description and keeps the groups above matches', () => {
    expect(shown(treeRows(project, 'POS'))).toEqual(['server:Beamline', '  group:m1', '    pv:pos'])
    expect(shown(treeRows(project, 'm1:'))).toEqual([
      'server:Beamline',
      '  group:m1',
      '    pv:pos',
      '    pv:moving',
    ])
    expect(shown(treeRows(project, 'ring'))).toEqual(['server:Beamline', '  pv:current'])
    expect(shown(treeRows(project, 'nothing'))).toEqual(['server:Beamline'])
  })

  it('draws a glyph per type', () => {
    expect(typeGlyph('DOUBLE', false)).toBe('1.0')
    expect(typeGlyph('SHORT', true)).toBe('[12]')
  })
})

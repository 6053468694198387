import { describe, expect, it } from 'vitest'
import type { Project, PvDefinition } from '@shared/model/project'
import {
  addressOfPath,
  duplicatePvs,
  insertPvs,
  movePvs,
  pathOfAddress,
  pvAt,
  removePvs,
  setGroupCode,
  setPvField,
  uniquePvName,
  updatePv,
  hookBody,
  withHookBody,
} from './project-edits'
import { pvId } from './pv-ids'

const pv = (name: string, extra: Partial<PvDefinition> = {}): PvDefinition => ({
  name,
  type: 'DOUBLE',
  ...extra,
})

const project: Project = {
  formatVersion: 1,
  server: { name: 'Lab', className: 'Lab', prefix: 'LAB:' },
  pvs: [pv('a'), pv('b'), pv('c'), pv('d')],
  subGroups: [
    {
      attr: 'stage',
      className: 'Stage',
      pvs: [pv('x')],
      subGroups: [{ attr: 'axis', className: 'Axis', pvs: [pv('pos'), pv('vel')] }],
    },
  ],
}

const names = (p: Project) => p.pvs.map((x) => x.name)

describe('project edits', () => {
  it('parses and prints PV addresses', () => {
    expect(addressOfPath('pvs[3]')).toEqual({ groups: [], index: 3 })
    expect(addressOfPath('subGroups[0].subGroups[0].pvs[1].enumStrings')).toEqual({
      groups: [0, 0],
      index: 1,
    })
    expect(addressOfPath('server.prefix')).toBeNull()
    expect(pathOfAddress({ groups: [0, 2], index: 5 })).toBe('subGroups[0].subGroups[2].pvs[5]')
  })

  it('changes one PV in a nested group and shares everything else', () => {
    const address = { groups: [0, 0], index: 1 }
    const next = setPvField(project, address, 'units', 'mm/s')
    expect(pvAt(next, address)).toEqual({ name: 'vel', type: 'DOUBLE', units: 'mm/s' })
    expect(next.pvs).toBe(project.pvs)
    expect(next.subGroups?.[0].pvs).toBe(project.subGroups?.[0].pvs)
    expect(next.subGroups?.[0].subGroups?.[0].pvs[0]).toBe(project.subGroups?.[0].subGroups?.[0].pvs[0])
    expect(pvAt(project, address)?.units).toBeUndefined()
  })

  it('returns the same document when an edit changes nothing', () => {
    expect(setPvField(project, { groups: [], index: 0 }, 'type', 'DOUBLE')).toBe(project)
    expect(setPvField(project, { groups: [], index: 0 }, 'units', undefined)).toBe(project)
    expect(setPvField(project, { groups: [], index: 9 }, 'units', 'x')).toBe(project)
    expect(setGroupCode(project, 'imports', '  ')).toBe(project)
  })

  it('keeps a PV identity across edits, and undo brings back the same one', () => {
    const address = { groups: [], index: 1 }
    const id = pvId(project.pvs[1])
    const renamed = setPvField(project, address, 'name', 'bee')
    expect(pvId(renamed.pvs[1])).toBe(id)
    expect(pvId(renamed.pvs[0])).toBe(pvId(project.pvs[0]))
    expect(pvId(updatePv(renamed, address, (p) => ({ ...p, units: 'V' })).pvs[1])).toBe(id)
  })

  it('inserts, removes, moves and duplicates PVs', () => {
    const root = { groups: [] }
    expect(names(insertPvs(project, root, 1, [pv('new')]))).toEqual(['a', 'new', 'b', 'c', 'd'])
    expect(names(insertPvs(project, root, 99, [pv('z')]))).toEqual(['a', 'b', 'c', 'd', 'z'])
    expect(names(removePvs(project, root, [0, 2]))).toEqual(['b', 'd'])

    const down = movePvs(project, root, [0, 1], 1)
    expect(names(down.project)).toEqual(['c', 'a', 'b', 'd'])
    expect(down.indices).toEqual([1, 2])
    const farUp = movePvs(project, root, [2, 3], -10)
    expect(names(farUp.project)).toEqual(['c', 'd', 'a', 'b'])
    expect(movePvs(project, root, [3], 1).project).toBe(project)

    const copied = duplicatePvs(project, root, [1, 2])
    expect(names(copied.project)).toEqual(['a', 'b', 'c', 'b_2', 'c_2', 'd'])
    expect(copied.indices).toEqual([3, 4])
    expect(pvId(copied.project.pvs[3])).not.toBe(pvId(project.pvs[1]))
  })

  it('drops a duplicated PV attribute name so the copy does not clash', () => {
    const withAttr = setPvField(project, { groups: [], index: 0 }, 'attr', 'alpha')
    const copied = duplicatePvs(withAttr, { groups: [] }, [0])
    expect(copied.project.pvs[1]).toEqual({ name: 'a_2', type: 'DOUBLE' })
  })

  it('finds unused names', () => {
    expect(uniquePvName('', ['pv1', 'pv2'])).toBe('pv3')
    expect(uniquePvName('temp', ['temp', 'temp_2'])).toBe('temp_3')
    expect(uniquePvName('temp_2', ['temp', 'temp_2'])).toBe('temp_3')
    expect(uniquePvName('free', ['temp'])).toBe('free')
  })

  it('sets and clears group-level code', () => {
    const withImports = setGroupCode(project, 'imports', 'import math')
    expect(withImports.code).toEqual({ imports: 'import math' })
    expect(setGroupCode(withImports, 'imports', '')).not.toHaveProperty('code')
  })
})

describe('hook edits', () => {
  it('adds, edits and removes hook bodies, a new scan with a 1 s period', () => {
    const base = pv('sp')
    const withPutter = withHookBody(base, 'putter', 'return value')
    expect(withPutter.hooks).toEqual({ putter: 'return value' })
    expect(withHookBody(withPutter, 'putter', 'return value')).toBe(withPutter)
    const scanned = withHookBody(withPutter, 'scan', 'pass')
    expect(scanned.hooks?.scan).toEqual({ body: 'pass', period: 1 })
    expect(withHookBody(scanned, 'scan', 'x = 1').hooks?.scan).toEqual({ body: 'x = 1', period: 1 })
    expect(hookBody(scanned, 'scan')).toBe('pass')
    expect(withHookBody(withHookBody(scanned, 'scan', undefined), 'putter', undefined)).not.toHaveProperty(
      'hooks',
    )
  })
})

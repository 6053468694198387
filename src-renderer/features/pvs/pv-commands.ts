/** Adding, duplicating and deleting PVs from anywhere (tree, table, PV editor), with undo labels. */
import type { PvDefinition } from '@shared/model/project'
import { pvLocations } from '@shared/model/names'
import { currentProject, editProject } from '../../state/project'
import { duplicatePvs, insertPvs, pvsOf, removePvs, uniquePvName } from '../../state/project-edits'
import type { GroupAddress } from '../../state/project-edits'
import { pvId } from '../../state/pv-ids'
import { locatePv, openTab, pruneTabs, select } from '../../state/workbench'

export function newPv(taken: Iterable<string>): PvDefinition {
  return { name: uniquePvName('', taken), type: 'DOUBLE', value: 0 }
}

/** Adds a PV at the end of a group (the IOC class by default), selects it and opens its form. */
export function addPv(group: GroupAddress = { groups: [] }, open = true): void {
  const project = currentProject()
  if (!project) return
  const pvs = pvsOf(project, group)
  const pv = newPv(pvLocations(project).map((l) => l.pv.name))
  editProject('Add PV', (p) => insertPvs(p, group, pvs.length, [pv]))
  select([pvId(pv)])
  if (open) openTab({ kind: 'pv', pvId: pvId(pv) })
}

/** The PVs with these ids, grouped by the group they are in. */
function byGroup(ids: readonly string[]): Map<string, { group: GroupAddress; indices: number[] }> {
  const project = currentProject()
  const groups = new Map<string, { group: GroupAddress; indices: number[] }>()
  if (!project) return groups
  for (const id of ids) {
    const location = locatePv(project, id)
    if (!location) continue
    const match = /pvs\[(\d+)\]$/.exec(location.path)
    const chain = [...location.path.matchAll(/subGroups\[(\d+)\]/g)].map((m) => Number(m[1]))
    const key = chain.join('.')
    const entry = groups.get(key) ?? { group: { groups: chain }, indices: [] }
    entry.indices.push(Number(match?.[1]))
    groups.set(key, entry)
  }
  return groups
}

export function deletePvs(ids: readonly string[]): void {
  const groups = byGroup(ids)
  if (groups.size === 0) return
  const count = [...groups.values()].reduce((n, g) => n + g.indices.length, 0)
  editProject(count === 1 ? 'Delete PV' : `Delete ${count} PVs`, (project) => {
    let next = project
    for (const { group, indices } of groups.values()) next = removePvs(next, group, indices)
    return next
  })
  select([])
  const project = currentProject()
  if (project) pruneTabs(project)
}

export function duplicateSelected(ids: readonly string[]): void {
  const groups = byGroup(ids)
  if (groups.size === 0) return
  const created: string[] = []
  editProject(ids.length === 1 ? 'Duplicate PV' : `Duplicate ${ids.length} PVs`, (project) => {
    let next = project
    for (const { group, indices } of groups.values()) {
      const copied = duplicatePvs(next, group, indices)
      next = copied.project
      for (const index of copied.indices) created.push(pvId(pvsOf(next, group)[index]))
    }
    return next
  })
  select(created)
}

/**
 * The sidebar tree as rows: the server, its PVs, each sub-group and its PVs, depth first in export order.
 * A filter keeps the PVs whose name, full name or description contains it (any case) and the groups above
 * them; the server row always stays, so there is somewhere to add a PV.
 */
import { fullPvName, pvLocations } from '@shared/model/names'
import type { Project, PvDefinition, PvType, SubGroupDefinition } from '@shared/model/project'
import { pvId } from '../../state/pv-ids'

export type TreeRow =
  | {
      readonly kind: 'server'
      readonly key: 'server'
      readonly depth: 0
      readonly label: string
      readonly detail: string
    }
  | {
      readonly kind: 'group'
      readonly key: string
      readonly depth: number
      readonly label: string
      readonly detail: string
      /** Sub-group indices from the IOC class down. */
      readonly groups: readonly number[]
    }
  | {
      readonly kind: 'pv'
      readonly key: string
      readonly depth: number
      readonly label: string
      readonly detail: string
      readonly pvId: string
      readonly path: string
      readonly pv: PvDefinition
    }

export function treeRows(project: Project, filter: string): TreeRow[] {
  const needle = filter.trim().toLowerCase()
  const locations = pvLocations(project)
  const full = new Map(locations.map((l) => [l.pv, fullPvName(project, l)]))
  const matches = (pv: PvDefinition) =>
    needle === '' ||
    pv.name.toLowerCase().includes(needle) ||
    (full.get(pv)?.toLowerCase().includes(needle) ?? false) ||
    (pv.description?.toLowerCase().includes(needle) ?? false)

  const rows: TreeRow[] = [
    { kind: 'server', key: 'server', depth: 0, label: project.server.name, detail: project.server.prefix },
  ]
  const visit = (
    pvs: readonly PvDefinition[],
    subGroups: readonly SubGroupDefinition[] | undefined,
    path: string,
    groups: readonly number[],
    depth: number,
  ): boolean => {
    let any = false
    pvs.forEach((pv, index) => {
      if (!matches(pv)) return
      any = true
      rows.push({
        kind: 'pv',
        key: `pv:${pvId(pv)}`,
        depth,
        label: pv.name,
        detail: full.get(pv) ?? pv.name,
        pvId: pvId(pv),
        path: `${path}pvs[${index}]`,
        pv,
      })
    })
    ;(subGroups ?? []).forEach((group, index) => {
      const at = rows.length
      const chain = [...groups, index]
      rows.push({
        kind: 'group',
        key: `group:${chain.join('.')}`,
        depth,
        label: group.attr,
        detail: group.className,
        groups: chain,
      })
      const inner = visit(group.pvs, group.subGroups, `${path}subGroups[${index}].`, chain, depth + 1)
      if (!inner && needle !== '') rows.splice(at, 1)
      any ||= inner
    })
    return any
  }
  visit(project.pvs, project.subGroups, '', [], 1)
  return rows
}

/** A short glyph per type, for the tree's type icons (arrays get brackets). */
export function typeGlyph(type: PvType | string, array: boolean): string {
  const glyph: Record<string, string> = {
    DOUBLE: '1.0',
    FLOAT: '.5',
    LONG: '123',
    SHORT: '12',
    ENUM: '≡',
    STRING: 'Aa',
    LONG_STRING: '¶',
    CHAR: 'b',
  }
  const text = glyph[type] ?? '?'
  return array ? `[${text}]` : text
}

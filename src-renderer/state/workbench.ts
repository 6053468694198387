/**
 * The layout's state: which editor tabs are open, which one shows, what is selected, the tree's filter and
 * the bottom panel's tab. Tabs are keys, so part 2 can add kinds of its own (see ../features/workbench):
 *
 *   pv:<pvId>             the PV's form
 *   hook:<pvId>:<kind>    a hook body in Monaco (putter, getter, startup, shutdown, scan)
 *   code:<part>           group-level Python (imports, helpers, ainit)
 *   view:<name>           a whole-project view (table, script, server, or one registered later)
 */
import { create } from 'zustand'
import type { Project } from '@shared/model/project'
import { pvLocations } from '@shared/model/names'
import type { PvLocation } from '@shared/model/names'
import { pvId } from './pv-ids'

export type PvHookKind = 'putter' | 'getter' | 'startup' | 'shutdown' | 'scan'
export type CodePart = 'imports' | 'helpers' | 'ainit'

export type TabRef =
  | { readonly kind: 'pv'; readonly pvId: string }
  | { readonly kind: 'hook'; readonly pvId: string; readonly hook: PvHookKind }
  | { readonly kind: 'code'; readonly part: CodePart }
  | { readonly kind: 'view'; readonly view: string }

export function tabKey(ref: TabRef): string {
  switch (ref.kind) {
    case 'pv':
      return `pv:${ref.pvId}`
    case 'hook':
      return `hook:${ref.pvId}:${ref.hook}`
    case 'code':
      return `code:${ref.part}`
    case 'view':
      return `view:${ref.view}`
  }
}

export function parseTabKey(key: string): TabRef | null {
  const [kind, a, b] = key.split(':')
  if (kind === 'pv' && a) return { kind, pvId: a }
  if (kind === 'hook' && a && b) return { kind, pvId: a, hook: b as PvHookKind }
  if (kind === 'code' && (a === 'imports' || a === 'helpers' || a === 'ainit')) return { kind, part: a }
  if (kind === 'view' && a) return { kind, view: a }
  return null
}

interface WorkbenchStore {
  readonly tabs: readonly string[]
  readonly active: string | null
  /** Selected PVs by id (tree and table share it). */
  readonly selection: readonly string[]
  readonly treeFilter: string
  /** The bottom panel's tab id. */
  readonly panel: string
}

export const useWorkbench = create<WorkbenchStore>()(() => ({
  tabs: ['view:table'],
  active: 'view:table',
  selection: [],
  treeFilter: '',
  panel: 'problems',
}))

export function openTab(ref: TabRef): void {
  const key = tabKey(ref)
  useWorkbench.setState((s) => ({ tabs: s.tabs.includes(key) ? s.tabs : [...s.tabs, key], active: key }))
}

export function closeTab(key: string): void {
  useWorkbench.setState((s) => {
    const index = s.tabs.indexOf(key)
    if (index === -1) return s
    const tabs = s.tabs.filter((k) => k !== key)
    const active = s.active === key ? (tabs[Math.min(index, tabs.length - 1)] ?? null) : s.active
    return { tabs, active }
  })
}

export function activateTab(key: string): void {
  useWorkbench.setState({ active: key })
}

/** Closes tabs whose PV no longer exists (after a delete, an undo, or another document). */
export function pruneTabs(project: Project): void {
  const ids = new Set(pvLocations(project).map((l) => pvId(l.pv)))
  const alive = (key: string) => {
    const ref = parseTabKey(key)
    return !ref || (ref.kind !== 'pv' && ref.kind !== 'hook') || ids.has(ref.pvId)
  }
  const { tabs, active, selection } = useWorkbench.getState()
  const kept = tabs.filter(alive)
  const keptSelection = selection.filter((id) => ids.has(id))
  if (kept.length === tabs.length && keptSelection.length === selection.length) return
  const nextActive = active && kept.includes(active) ? active : (kept.at(-1) ?? null)
  useWorkbench.setState({ tabs: kept, active: nextActive, selection: keptSelection })
}

export function select(ids: readonly string[]): void {
  useWorkbench.setState({ selection: ids })
}

export function setTreeFilter(treeFilter: string): void {
  useWorkbench.setState({ treeFilter })
}

export function showPanel(panel: string): void {
  useWorkbench.setState({ panel })
}

const locationCache = new WeakMap<Project, Map<string, PvLocation>>()

/** Where the PV with this id is in `project` (memoized per document). */
export function locatePv(project: Project, id: string): PvLocation | undefined {
  let byId = locationCache.get(project)
  if (!byId) {
    byId = new Map(pvLocations(project).map((l) => [pvId(l.pv), l]))
    locationCache.set(project, byId)
  }
  return byId.get(id)
}

import { memo, useCallback, useMemo, useRef } from 'react'
import type { ComponentType, KeyboardEvent } from 'react'
import { useHookErrors } from '../../state/hook-errors'
import { useLiveAlarms } from '../../state/live-alarms'
import { useProject } from '../../state/project'
import { openTab, select, setTreeFilter, useWorkbench } from '../../state/workbench'
import type { TabRef } from '../../state/workbench'
import { CodeIcon, GroupIcon, PlusIcon, SearchIcon, ServerIcon } from '../shell/icons'
import { registeredViews } from '../workbench/registry'
import { addPv } from './pv-commands'
import { treeRows, typeGlyph } from './tree-rows'
import type { TreeRow } from './tree-rows'
import { useProblemsByPath } from '../problems/use-problems'

const SEVERITY_LABEL = ['', 'minor alarm', 'major alarm', 'invalid'] as const

/** The project as a tree (server, groups, PVs) with a filter, then the whole-project views and group code. */
export function PvSidebar() {
  const project = useProject()
  const filter = useWorkbench((s) => s.treeFilter)
  const selection = useWorkbench((s) => s.selection)
  const active = useWorkbench((s) => s.active)
  const rows = useMemo(() => (project ? treeRows(project, filter) : []), [project, filter])
  const pvCount = useMemo(() => rows.filter((r) => r.kind === 'pv').length, [rows])
  const tree = useRef<HTMLDivElement>(null)
  // Read once here and handed down as plain values, so a memoized row re-renders only when its own changed.
  const problems = useProblemsByPath()
  const hookErrors = useHookErrors((s) => s.errors)
  const failing = useMemo(() => new Set(hookErrors.map((e) => e.pvPath)), [hookErrors])
  const severities = useLiveAlarms((s) => s.severities)

  const openRow = useCallback((row: TreeRow) => {
    if (row.kind === 'pv') {
      select([row.pvId])
      openTab({ kind: 'pv', pvId: row.pvId })
    } else if (row.kind === 'server') openTab({ kind: 'view', view: 'server' })
    else openTab({ kind: 'view', view: 'table' })
  }, [])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(tree.current?.querySelectorAll<HTMLElement>('[role="treeitem"]') ?? [])]
    const index = items.indexOf(document.activeElement as HTMLElement)
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const next =
        items[Math.max(0, Math.min(items.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))]
      next?.focus()
    } else if (event.key === 'Enter' && index >= 0) {
      event.preventDefault()
      const row = rows.find((r) => r.key === items[index].dataset.key)
      if (row) openRow(row)
    }
  }

  return (
    <aside className="sidebar" aria-label="Project">
      <header className="panel-header">
        <span className="panel-title">Process variables</span>
        <span className="panel-header-actions">
          <span className="badge" data-testid="pv-count">
            {pvCount}
          </span>
          <button
            className="icon-button small"
            title="Add a PV"
            aria-label="Add a PV"
            onClick={() => addPv()}
          >
            <PlusIcon />
          </button>
        </span>
      </header>
      <label className="tree-filter">
        <SearchIcon />
        <input
          type="search"
          placeholder="Filter PVs"
          aria-label="Filter PVs"
          value={filter}
          onChange={(e) => setTreeFilter(e.target.value)}
        />
      </label>
      <div className="tree" role="tree" aria-label="Server, groups and PVs" ref={tree} onKeyDown={onKeyDown}>
        {rows.map((row) => (
          <TreeItem
            key={row.key}
            row={row}
            selected={
              row.kind === 'pv'
                ? selection.includes(row.pvId)
                : active === 'view:server' && row.kind === 'server'
            }
            problem={row.kind === 'pv' ? problems.get(row.path) : undefined}
            failing={row.kind === 'pv' && failing.has(row.path)}
            severity={row.kind === 'pv' ? (severities.get(row.detail) ?? 0) : 0}
            onOpen={openRow}
          />
        ))}
        {project && project.pvs.length === 0 && !project.subGroups?.length && (
          <div className="tree-empty">
            <p>No process variables yet.</p>
            <button className="button small" onClick={() => addPv()}>
              <PlusIcon />
              Add a PV
            </button>
          </div>
        )}
      </div>
      <nav className="sidebar-links" aria-label="Views">
        <span className="panel-title">Views</span>
        {registeredViews().map((view) => (
          <SidebarLink
            key={view.id}
            tab={{ kind: 'view', view: view.id }}
            label={view.title}
            Icon={view.Icon}
          />
        ))}
        <span className="panel-title">Group code</span>
        <SidebarLink
          tab={{ kind: 'code', part: 'imports' }}
          label="Imports and module code"
          Icon={CodeIcon}
        />
        <SidebarLink tab={{ kind: 'code', part: 'helpers' }} label="Class helpers" Icon={CodeIcon} />
        <SidebarLink tab={{ kind: 'code', part: 'ainit' }} label="__ainit__ (IOC start)" Icon={CodeIcon} />
      </nav>
    </aside>
  )
}

function SidebarLink({ tab, label, Icon }: { tab: TabRef; label: string; Icon: ComponentType }) {
  const key = tab.kind === 'view' ? `view:${tab.view}` : tab.kind === 'code' ? `code:${tab.part}` : ''
  const active = useWorkbench((s) => s.active === key)
  return (
    <button className="sidebar-link" aria-current={active ? 'page' : undefined} onClick={() => openTab(tab)}>
      <Icon />
      {label}
    </button>
  )
}

interface TreeItemProps {
  readonly row: TreeRow
  readonly selected: boolean
  readonly problem: 'error' | 'warning' | undefined
  readonly failing: boolean
  readonly severity: number
  readonly onOpen: (row: TreeRow) => void
}

/** Rows are rebuilt on every edit; a row re-renders only when what it shows changed. */
function sameRow(a: TreeItemProps, b: TreeItemProps): boolean {
  const x = a.row
  const y = b.row
  return (
    x.key === y.key &&
    x.label === y.label &&
    x.detail === y.detail &&
    x.depth === y.depth &&
    (x.kind !== 'pv' || (y.kind === 'pv' && x.pv === y.pv && x.path === y.path)) &&
    (x.kind !== 'group' || (y.kind === 'group' && x.groups.join() === y.groups.join())) &&
    a.selected === b.selected &&
    a.problem === b.problem &&
    a.failing === b.failing &&
    a.severity === b.severity &&
    a.onOpen === b.onOpen
  )
}

const TreeItem = memo(function TreeItem({
  row,
  selected,
  problem,
  failing,
  severity,
  onOpen,
}: TreeItemProps) {
  const style = { paddingLeft: 10 + row.depth * 14 }
  const common = {
    role: 'treeitem' as const,
    tabIndex: selected ? 0 : -1,
    'data-key': row.key,
    'aria-selected': selected,
    'aria-level': row.depth + 1,
    className: 'tree-item',
    style,
    onClick: () => onOpen(row),
  }
  if (row.kind === 'server') {
    return (
      <div {...common} data-kind="server" title={`Prefix ${row.detail}`}>
        <ServerIcon />
        <span className="tree-label">{row.label}</span>
        <span className="tree-detail">{row.detail}</span>
      </div>
    )
  }
  if (row.kind === 'group') {
    return (
      <div {...common} data-kind="group" title={`SubGroup ${row.detail}`}>
        <GroupIcon />
        <span className="tree-label">{row.label}</span>
        <span className="tree-detail">{row.detail}</span>
        <button
          className="icon-button tiny tree-action"
          title={`Add a PV to ${row.label}`}
          aria-label={`Add a PV to ${row.label}`}
          onClick={(e) => {
            e.stopPropagation()
            addPv({ groups: row.groups })
          }}
        >
          <PlusIcon />
        </button>
      </div>
    )
  }
  const array = (row.pv.maxLength ?? 1) > 1 && row.pv.type !== 'LONG_STRING'
  const status =
    problem === 'error' ? 'has errors' : problem === 'warning' ? 'has warnings' : failing ? 'hook failed' : ''
  return (
    <div
      {...common}
      data-kind="pv"
      title={`${row.detail} · ${row.pv.type}${row.pv.description ? ` · ${row.pv.description}` : ''}`}
      aria-label={`${row.label}, ${row.pv.type}${status ? `, ${status}` : ''}${severity ? `, ${SEVERITY_LABEL[severity as 1 | 2 | 3]}` : ''}`}
    >
      <span className="type-icon" data-type={row.pv.type} aria-hidden="true">
        {typeGlyph(row.pv.type, array)}
      </span>
      <span className="tree-label">{row.label}</span>
      {row.pv.hooks && Object.keys(row.pv.hooks).length > 0 && (
        <span className="tree-hooks" title="Has Python hooks" aria-hidden="true">
          ƒ
        </span>
      )}
      <span
        className="alarm-dot"
        data-severity={severity}
        data-problem={problem ?? (failing ? 'error' : undefined)}
        aria-hidden="true"
      />
    </div>
  )
}, sameRow)

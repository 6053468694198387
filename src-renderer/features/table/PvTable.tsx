import { memo, useCallback, useMemo, useRef, useState } from 'react'
import type { ClipboardEvent, MouseEvent } from 'react'
import { pvLocations } from '@shared/model/names'
import { PV_TYPES } from '@shared/model/project'
import type { Project, PvDefinition, SubGroupDefinition } from '@shared/model/project'
import { showNotice } from '../../state/app'
import { currentProject, editProject, useProject } from '../../state/project'
import { insertPvs, movePvs, pathOfAddress, pvsOf, updatePv } from '../../state/project-edits'
import type { GroupAddress } from '../../state/project-edits'
import { pvId } from '../../state/pv-ids'
import { openTab, select, useWorkbench } from '../../state/workbench'
import { NumberInput } from '../pv-editor/fields'
import { useProblemsByPath } from '../problems/use-problems'
import { addPv, deletePvs, duplicateSelected } from '../pvs/pv-commands'
import { ArrowDownIcon, ArrowUpIcon, CopyIcon, PlusIcon, TrashIcon } from '../shell/icons'
import { cellText, COLUMNS, pvsFromTsv, withCell } from './table-columns'
import type { Column } from './table-columns'
import { formatTsv } from './tsv'

interface GroupChoice {
  readonly label: string
  readonly address: GroupAddress
}

function groupChoices(project: Project): GroupChoice[] {
  const choices: GroupChoice[] = [
    { label: `${project.server.className} (the IOC class)`, address: { groups: [] } },
  ]
  const visit = (groups: readonly SubGroupDefinition[] | undefined, chain: number[], names: string[]) =>
    (groups ?? []).forEach((group, index) => {
      const path = [...names, group.attr]
      choices.push({
        label: `${path.join('.')} (${group.className})`,
        address: { groups: [...chain, index] },
      })
      visit(group.subGroups, [...chain, index], path)
    })
  visit(project.subGroups, [], [])
  return choices
}

const ROOT: GroupAddress = { groups: [] }

/** Bulk work on one group's PVs: add, duplicate, delete, reorder, multi-select, edit cells, paste rows. */
export function PvTable() {
  const project = useProject()
  const selection = useWorkbench((s) => s.selection)
  const problems = useProblemsByPath()
  const [groupIndex, setGroupIndex] = useState(0)
  const anchor = useRef<string | null>(null)
  const choices = useMemo(() => (project ? groupChoices(project) : []), [project])
  const group = (choices[groupIndex] ?? choices[0])?.address ?? ROOT
  const groupKey = group.groups.join('.')
  // Stable across edits (it reads the newest state when called), so memoized rows stay memoized.
  const onRowClick = useCallback(
    (event: MouseEvent, id: string) => {
      const current = currentProject()
      const rowIds = current
        ? pvsOf(current, { groups: groupKey === '' ? [] : groupKey.split('.').map(Number) }).map(pvId)
        : []
      const { selection: selected } = useWorkbench.getState()
      if (event.shiftKey && anchor.current && rowIds.includes(anchor.current)) {
        const [a, b] = [rowIds.indexOf(anchor.current), rowIds.indexOf(id)].sort((x, y) => x - y)
        select(rowIds.slice(a, b + 1))
        return
      }
      anchor.current = id
      if (event.ctrlKey || event.metaKey) {
        select(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id])
      } else select([id])
    },
    [groupKey],
  )
  if (!project) return null
  const pvs = pvsOf(project, group)
  const ids = pvs.map(pvId)
  const selectedIndices = ids.flatMap((id, index) => (selection.includes(id) ? [index] : []))

  const move = (delta: number) =>
    editProject(
      delta < 0 ? 'Move PVs up' : 'Move PVs down',
      (p) => movePvs(p, group, selectedIndices, delta).project,
    )

  const onPaste = (event: ClipboardEvent) => {
    const text = event.clipboardData.getData('text/plain')
    const inCell = (event.target as HTMLElement).closest('input, select, textarea')
    if (!text || (inCell && !/[\t\n]/.test(text.trimEnd()))) return
    event.preventDefault()
    const current = currentProject()
    if (!current) return
    const { pvs: pasted, errors } = pvsFromTsv(
      text,
      pvLocations(current).map((l) => l.pv.name),
    )
    if (pasted.length > 0) {
      const at = selectedIndices.length > 0 ? Math.max(...selectedIndices) + 1 : pvs.length
      editProject(`Paste ${pasted.length} PV${pasted.length === 1 ? '' : 's'}`, (p) =>
        insertPvs(p, group, at, pasted),
      )
      select(pasted.map(pvId))
    }
    showNotice(
      `Pasted ${pasted.length} PV${pasted.length === 1 ? '' : 's'}` +
        (errors.length > 0 ? `; skipped ${errors.length}: ${errors.slice(0, 2).join('; ')}` : ''),
    )
  }

  const onCopy = (event: ClipboardEvent) => {
    if ((event.target as HTMLElement).closest('input, select, textarea') || selectedIndices.length === 0)
      return
    event.preventDefault()
    const rows = [
      COLUMNS.map((c) => c.title),
      ...selectedIndices.map((i) => COLUMNS.map((c) => cellText(pvs[i], c.key))),
    ]
    event.clipboardData.setData('text/plain', formatTsv(rows))
  }

  const none = selectedIndices.length === 0
  return (
    <div className="table-view" onPaste={onPaste} onCopy={onCopy} data-document-editor>
      <div className="toolbar" role="toolbar" aria-label="PV table">
        {choices.length > 1 && (
          <select
            aria-label="Group"
            value={groupIndex}
            onChange={(e) => setGroupIndex(Number(e.target.value))}
          >
            {choices.map((choice, index) => (
              <option key={choice.label} value={index}>
                {choice.label}
              </option>
            ))}
          </select>
        )}
        <button className="button small" onClick={() => addPv(group, false)}>
          <PlusIcon />
          Add PV
        </button>
        <button className="button small" disabled={none} onClick={() => duplicateSelected(selection)}>
          <CopyIcon />
          Duplicate
        </button>
        <button className="button small" disabled={none} onClick={() => deletePvs(selection)}>
          <TrashIcon />
          Delete
        </button>
        <button
          className="icon-button"
          disabled={none || selectedIndices[0] === 0}
          title="Move up"
          aria-label="Move the selected PVs up"
          onClick={() => move(-1)}
        >
          <ArrowUpIcon />
        </button>
        <button
          className="icon-button"
          disabled={none || selectedIndices.at(-1) === pvs.length - 1}
          title="Move down"
          aria-label="Move the selected PVs down"
          onClick={() => move(1)}
        >
          <ArrowDownIcon />
        </button>
        <span className="toolbar-hint">
          {selectedIndices.length > 0 ? `${selectedIndices.length} selected · ` : ''}Paste rows from a
          spreadsheet to add PVs
        </span>
      </div>
      <div className="table-scroll">
        <table className="pv-table" aria-label="PVs" aria-multiselectable="true" role="grid">
          <colgroup>
            <col style={{ width: 34 }} />
            {COLUMNS.map((c) => (
              <col key={c.key} style={{ width: c.width }} />
            ))}
            <col style={{ width: 120 }} />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all"
                  checked={pvs.length > 0 && selectedIndices.length === pvs.length}
                  onChange={(e) => select(e.target.checked ? ids : [])}
                />
              </th>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col">
                  {c.title}
                </th>
              ))}
              <th scope="col">Hooks</th>
            </tr>
          </thead>
          <tbody>
            {pvs.map((pv, index) => (
              <Row
                key={ids[index]}
                pv={pv}
                id={ids[index]}
                group={group}
                index={index}
                selected={selection.includes(ids[index])}
                problem={problems.get(pathOfAddress({ ...group, index }))}
                onRowClick={onRowClick}
              />
            ))}
          </tbody>
        </table>
        {pvs.length === 0 && (
          <div className="panel-empty">No PVs in this group yet: add one, or paste rows.</div>
        )}
      </div>
    </div>
  )
}

interface RowProps {
  readonly pv: PvDefinition
  readonly id: string
  readonly group: GroupAddress
  readonly index: number
  readonly selected: boolean
  readonly problem: 'error' | 'warning' | undefined
  readonly onRowClick: (event: MouseEvent, id: string) => void
}

/** Every edit builds a new document; a row re-renders only when its PV, place or marks changed. */
function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.pv === b.pv &&
    a.id === b.id &&
    a.index === b.index &&
    a.group.groups.join('.') === b.group.groups.join('.') &&
    a.selected === b.selected &&
    a.problem === b.problem &&
    a.onRowClick === b.onRowClick
  )
}

const Row = memo(function Row({ pv, id, group, index, selected, problem, onRowClick }: RowProps) {
  const hooks = Object.keys(pv.hooks ?? {})
  return (
    <tr aria-selected={selected} data-problem={problem} aria-rowindex={index + 2}>
      <td className="row-select" onClick={(e) => onRowClick(e, id)}>
        <input
          type="checkbox"
          aria-label={`Select ${pv.name}`}
          checked={selected}
          onClick={(e) => e.stopPropagation()}
          onChange={() => onRowClick({ ctrlKey: true } as MouseEvent, id)}
        />
      </td>
      {COLUMNS.map((column) => (
        <td key={column.key}>
          <Cell pv={pv} id={id} group={group} index={index} column={column} />
        </td>
      ))}
      <td className="row-hooks">
        {hooks.map((kind) => (
          <button
            key={kind}
            className="chip"
            title={`Edit the ${kind} of ${pv.name}`}
            onClick={() => openTab({ kind: 'hook', pvId: id, hook: kind as 'putter' })}
          >
            {kind}
          </button>
        ))}
        <button
          className="chip subtle"
          title={`Open ${pv.name}`}
          onClick={() => openTab({ kind: 'pv', pvId: id })}
        >
          …
        </button>
      </td>
    </tr>
  )
}, sameRow)

function Cell({
  pv,
  id,
  group,
  index,
  column,
}: {
  pv: PvDefinition
  id: string
  group: GroupAddress
  index: number
  column: Column
}) {
  const label = `${column.title} of ${pv.name}`
  const commit = (text: string) =>
    editProject(
      `Edit ${column.title.toLowerCase()} of ${pv.name}`,
      (p) =>
        updatePv(p, { ...group, index }, (current) => {
          const next = withCell(current, column.key, text)
          return typeof next === 'string' ? current : next
        }),
      { coalesceKey: `${id}.${column.key}` },
    )
  switch (column.kind) {
    case 'type':
      return (
        <select aria-label={label} value={pv.type} onChange={(e) => commit(e.target.value)}>
          {PV_TYPES.map((type) => (
            <option key={type}>{type}</option>
          ))}
        </select>
      )
    case 'check':
      return (
        <input
          type="checkbox"
          aria-label={label}
          checked={cellText(pv, column.key) !== ''}
          onChange={(e) => commit(e.target.checked ? 'yes' : '')}
        />
      )
    case 'number':
      return (
        <NumberInput
          aria-label={label}
          integer
          value={pv[column.key as 'precision' | 'maxLength']}
          onCommit={(v) => commit(v === undefined ? '' : String(v))}
        />
      )
    default:
      return column.key === 'value' ? (
        <input
          aria-label={label}
          spellCheck={false}
          defaultValue={cellText(pv, 'value')}
          key={`${pv.type}:${cellText(pv, 'value')}`}
          onBlur={(e) => e.target.value !== cellText(pv, 'value') && commit(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
        />
      ) : (
        <input
          aria-label={label}
          spellCheck={false}
          value={cellText(pv, column.key)}
          onChange={(e) => commit(e.target.value)}
        />
      )
  }
}

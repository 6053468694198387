/**
 * Values: every PV of the running IOC, live: value, alarm severity (colour and text), status, timestamp,
 * units, updates per second. Sortable by any column, filtered by name; selected PVs are plotted below; a value
 * is written by double-clicking it (or Enter on a selected row), through the same path as a CA put.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { KeyboardEvent, MouseEvent } from 'react'
import type { LivePvInfo } from '@shared/api/live'
import { getPlatform } from '../../platform/api'
import { ensureLive, liveModel } from '../../state/live/live-connection'
import { useLiveStore } from '../../state/live/live-store'
import {
  editableText,
  formatCount,
  formatDateTime,
  formatRate,
  formatValue,
  parseTypedValue,
  severityName,
  statusName,
} from '../../state/live/format'
import { TrendPanel } from './TrendPanel'
import { visiblePvs } from './value-rows'
import {
  clearSelection,
  pruneSelection,
  selectPv,
  setValuesFilter,
  setWriteError,
  sortBy,
  useValuesView,
} from './values-view-state'
import type { ValueColumn } from './values-view-state'
import './live.css'
import './values.css'

const ROW_HEIGHT = 28

const COLUMNS: readonly { readonly id: ValueColumn; readonly title: string }[] = [
  { id: 'name', title: 'PV' },
  { id: 'value', title: 'Value' },
  { id: 'severity', title: 'Severity' },
  { id: 'status', title: 'Status' },
  { id: 'time', title: 'Timestamp' },
  { id: 'units', title: 'Units' },
  { id: 'rate', title: 'Updates/s' },
]

export function ValuesView() {
  useEffect(() => ensureLive(), [])
  const selected = useValuesView((s) => s.selected)
  return (
    <section className="live-view values-view" aria-label="Values">
      <ValuesToolbar />
      <WriteError />
      <ValuesTable />
      {selected.length > 0 && <TrendPanel />}
    </section>
  )
}

function ValuesToolbar() {
  const filter = useValuesView((s) => s.filter)
  const selectedCount = useValuesView((s) => s.selected.length)
  const pvs = useLiveStore((s) => s.pvs)
  const values = useLiveStore((s) => s.values)
  const attached = useLiveStore((s) => s.attached)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the counts follow the model's versions
  const counts = useMemo(() => alarmCounts(), [pvs, values])
  return (
    <div className="live-toolbar">
      <input
        className="live-filter"
        type="search"
        placeholder="Filter PVs (e.g. sim:*:rbv)"
        aria-label="Filter values by PV name"
        value={filter}
        onChange={(e) => setValuesFilter(e.target.value)}
      />
      <span className="live-summary" data-testid="values-summary">
        {attached ? (
          <>
            {formatCount(counts.total)} PVs
            {counts.alarms > 0 && (
              <span className="alarm-count"> · {formatCount(counts.alarms)} in alarm</span>
            )}
          </>
        ) : (
          'No IOC running'
        )}
      </span>
      <span className="toolbar-spacer" />
      {selectedCount > 0 && (
        <button className="button small" onClick={clearSelection}>
          Clear selection ({selectedCount})
        </button>
      )}
    </div>
  )
}

function alarmCounts(): { total: number; alarms: number } {
  let alarms = 0
  for (const value of liveModel.values.values.values()) if (value.severity > 0) alarms++
  return { total: liveModel.values.names.length, alarms }
}

function WriteError() {
  const error = useValuesView((s) => s.writeError)
  if (!error) return null
  return (
    <div className="live-error" role="alert">
      <strong>{error.pv}</strong>: {error.message}
      <button className="link-button" onClick={() => setWriteError(null)}>
        Dismiss
      </button>
    </div>
  )
}

async function writeValue(info: LivePvInfo, text: string): Promise<boolean> {
  setWriteError(null)
  try {
    const result = await getPlatform().api.writePv(info.name, parseTypedValue(info, text))
    if (result.ok) return true
    setWriteError({ pv: info.name, message: `${result.status}: ${result.message ?? 'the put failed'}` })
  } catch (error) {
    setWriteError({ pv: info.name, message: error instanceof Error ? error.message : String(error) })
  }
  return false
}

function ValuesTable() {
  const filter = useValuesView((s) => s.filter)
  const sort = useValuesView((s) => s.sort)
  const selected = useValuesView((s) => s.selected)
  const pvs = useLiveStore((s) => s.pvs)
  const values = useLiveStore((s) => s.values)
  const session = useLiveStore((s) => s.session)
  const connection = useLiveStore((s) => s.connection)
  // Sorting by a live column follows every batch; by name or units only a change of the PV list.
  const live = sort.column !== 'name' && sort.column !== 'units'
  const order = useMemo(
    () => visiblePvs(liveModel.values, filter, sort),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the model is read at these versions
    [filter, sort, pvs, session, live ? values : 0],
  )
  useEffect(() => pruneSelection((name) => liveModel.values.infos.has(name)), [pvs, session])
  const [editing, setEditing] = useState<string | null>(null)
  const scroller = useRef<HTMLDivElement>(null)
  // We do not use the React Compiler, so its warning about memoizing the virtualizer does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const rows = useVirtualizer({
    count: order.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  })

  const onRowClick = (event: MouseEvent, name: string) => {
    const mode = event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'toggle' : 'only'
    selectPv(name, mode, order)
  }
  const onKeyDown = (event: KeyboardEvent) => {
    const current = selected.at(-1)
    if (event.key === 'Enter' || event.key === 'F2') {
      if (current && !editing && liveModel.values.infos.get(current)?.writable) {
        event.preventDefault()
        setEditing(current)
      }
      return
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    event.preventDefault()
    const index = current === undefined ? -1 : order.indexOf(current)
    const next = order[Math.max(0, Math.min(order.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))]
    if (next === undefined) return
    selectPv(next, event.shiftKey ? 'range' : 'only', order)
    rows.scrollToIndex(order.indexOf(next))
  }

  return (
    <div className="values-table" role="table" aria-label="PV values" aria-rowcount={order.length}>
      <div className="values-row values-head" role="row">
        {COLUMNS.map((column) => (
          <button
            key={column.id}
            role="columnheader"
            className={`values-cell col-${column.id}`}
            aria-sort={sort.column === column.id ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            onClick={() => sortBy(column.id)}
          >
            {column.title}
            {sort.column === column.id && <span className="sort-mark">{sort.descending ? '▼' : '▲'}</span>}
          </button>
        ))}
      </div>
      <div
        className="values-body"
        ref={scroller}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="values-body"
      >
        {order.length === 0 ? (
          <div className="live-empty">
            {connection === 'error'
              ? 'The live view could not load.'
              : liveModel.values.names.length === 0
                ? 'No PVs yet: start the IOC to watch its values.'
                : 'No PV matches the filter.'}
          </div>
        ) : (
          <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
            {rows.getVirtualItems().map((row) => {
              const name = order[row.index]
              return (
                <ValueRow
                  key={name}
                  name={name}
                  top={row.start}
                  selected={selected.includes(name)}
                  editing={editing === name}
                  onClick={onRowClick}
                  onEdit={setEditing}
                />
              )
            })}
          </div>
        )}
      </div>
    </div>
  )
}

interface ValueRowProps {
  readonly name: string
  readonly top: number
  readonly selected: boolean
  readonly editing: boolean
  readonly onClick: (event: MouseEvent, name: string) => void
  readonly onEdit: (name: string | null) => void
}

function ValueRow({ name, top, selected, editing, onClick, onEdit }: ValueRowProps) {
  const info = liveModel.values.infos.get(name)
  const value = liveModel.values.values.get(name)
  if (!info) return null
  const severity = value?.severity ?? 0
  const severityText = severityName(severity)
  return (
    <div
      className="values-row"
      role="row"
      aria-selected={selected}
      data-pv={name}
      data-severity={severityText}
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
      onClick={(event) => onClick(event, name)}
    >
      <span className="values-cell col-name" role="cell" title={info.description || name}>
        {name}
      </span>
      {editing ? (
        <ValueEditor info={info} onDone={() => onEdit(null)} />
      ) : (
        <span
          className={`values-cell col-value${info.writable ? ' writable' : ''}`}
          role="cell"
          data-testid="value"
          title={info.writable ? 'Double-click to write a new value' : 'Read-only'}
          onDoubleClick={() => info.writable && onEdit(name)}
        >
          {formatValue(info, value)}
        </span>
      )}
      <span className="values-cell col-severity" role="cell">
        <span className="severity-chip" data-severity={severityText}>
          {severityText}
        </span>
      </span>
      <span className="values-cell col-status" role="cell">
        {value ? statusName(value.status) : ''}
      </span>
      <span className="values-cell col-time" role="cell">
        {value ? formatDateTime(value.time) : ''}
      </span>
      <span className="values-cell col-units" role="cell">
        {info.units}
      </span>
      <span className="values-cell col-rate" role="cell">
        {formatRate(liveModel.values.updatesPerSecond(name))}
      </span>
    </div>
  )
}

function ValueEditor({ info, onDone }: { readonly info: LivePvInfo; readonly onDone: () => void }) {
  const [text, setText] = useState(() => editableText(info, liveModel.values.values.get(info.name)))
  const busy = useRef(false)
  const submit = async (typed: string) => {
    if (busy.current) return
    busy.current = true
    const ok = await writeValue(info, typed)
    busy.current = false
    if (ok) onDone()
  }
  const label = `New value for ${info.name}`
  return (
    <span className="values-cell col-value editing" role="cell" onClick={(e) => e.stopPropagation()}>
      {info.type === 'ENUM' && info.enumStrings.length > 0 ? (
        <select
          className="value-input"
          aria-label={label}
          value={text}
          autoFocus
          onChange={(e) => {
            setText(e.target.value)
            void submit(e.target.value)
          }}
          onKeyDown={(e) => {
            e.stopPropagation()
            if (e.key === 'Escape') onDone()
          }}
          onBlur={() => !busy.current && onDone()}
        >
          {info.enumStrings.map((state) => (
            <option key={state}>{state}</option>
          ))}
        </select>
      ) : (
        <input
          className="value-input"
          aria-label={label}
          value={text}
          autoFocus
          onChange={(e) => setText(e.target.value)}
          onFocus={(e) => e.target.select()}
          onKeyDown={(e) => {
            e.stopPropagation()
            if (e.key === 'Enter') void submit(text)
            if (e.key === 'Escape') onDone()
          }}
          onBlur={() => !busy.current && onDone()}
        />
      )}
    </span>
  )
}

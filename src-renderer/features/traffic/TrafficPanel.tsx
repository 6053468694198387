/**
 * The Traffic inspector: a virtualized live log of every operation on the IOC (searches, connects, gets, puts
 * with old -> new value, monitors, updates, errors, disconnects, queue operations) with filters, pause, follow
 * the tail, a detail pane, a small rates chart, export of the visible rows, and the put log.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type uPlot from 'uplot'
import { LIVE_OPS } from '@shared/api/live'
import type { LiveOp, LiveTrafficEvent } from '@shared/api/live'
import { ensureLive, liveModel } from '../../state/live/live-connection'
import { useLiveStore } from '../../state/live/live-store'
import { describeClient, formatCount, formatDateTime, formatRate, formatTime } from '../../state/live/format'
import { isFiltering } from '../../state/live/traffic-log'
import { useColorScheme } from '../../state/theme'
import { UPlotChart } from '../values/UPlotChart'
import { eventsToCsv, eventsToJson, exportedEvent } from './export-rows'
import { PutLogView } from './PutLogView'
import { saveText, timestampedName } from './save-text'
import {
  clearTraffic,
  selectEvent,
  setFollow,
  setTrafficFilter,
  setTrafficPaused,
  showTrafficTab,
  useTrafficView,
} from './traffic-view-state'
import { ROW_HEIGHT, useVirtualRows } from './virtual-rows'
import '../values/live.css'
import './traffic.css'

const OP_LABELS: Record<LiveOp, string> = {
  search: 'search',
  'client-connect': 'client connect',
  'client-disconnect': 'client disconnect',
  connect: 'connect',
  disconnect: 'disconnect',
  get: 'get',
  put: 'put',
  'put-done': 'put done',
  'monitor-add': 'monitor add',
  'monitor-cancel': 'monitor cancel',
  update: 'update',
  error: 'error',
  'queue-put': 'queue put',
  'queue-get': 'queue get',
}

export function TrafficPanel() {
  useEffect(() => ensureLive(), [])
  const tab = useTrafficView((s) => s.tab)
  return (
    <section className="live-view traffic-view" aria-label="Traffic">
      <div className="live-toolbar traffic-tabs">
        <div className="segmented" role="tablist" aria-label="Traffic views">
          <button role="tab" aria-selected={tab === 'log'} onClick={() => showTrafficTab('log')}>
            Operations
          </button>
          <button role="tab" aria-selected={tab === 'puts'} onClick={() => showTrafficTab('puts')}>
            Put log
          </button>
        </div>
        {tab === 'log' && <TrafficFilters />}
      </div>
      {tab === 'log' ? <TrafficLogView /> : <PutLogView />}
    </section>
  )
}

function TrafficFilters() {
  const filter = useTrafficView((s) => s.filter)
  const paused = useTrafficView((s) => s.paused)
  const follow = useTrafficView((s) => s.follow)
  const clientCount = useLiveStore(() => liveModel.traffic.clients.size)
  const clients = useMemo(
    () =>
      [...liveModel.traffic.clients.values()]
        .filter((client) => client.circuitId !== 0)
        .sort((a, b) => a.circuitId - b.circuitId),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the list is read when its size changes
    [clientCount],
  )
  return (
    <>
      <input
        className="live-filter"
        type="search"
        placeholder="PV (e.g. sim:*)"
        aria-label="Filter by PV"
        value={filter.pv}
        onChange={(e) => setTrafficFilter({ pv: e.target.value })}
      />
      <select
        className="live-select"
        aria-label="Filter by client"
        value={filter.client}
        onChange={(e) => setTrafficFilter({ client: e.target.value })}
      >
        <option value="">All clients</option>
        {clients.map((client) => (
          <option key={client.key} value={client.key}>
            {describeClient(client, client.key)}
          </option>
        ))}
      </select>
      <select
        className="live-select"
        aria-label="Filter by operation"
        value={filter.op}
        onChange={(e) => setTrafficFilter({ op: e.target.value as LiveOp | '' })}
      >
        <option value="">All operations</option>
        {LIVE_OPS.map((op) => (
          <option key={op} value={op}>
            {OP_LABELS[op]}
          </option>
        ))}
      </select>
      <label className="checkbox-label">
        <input
          type="checkbox"
          checked={filter.errorsOnly}
          onChange={(e) => setTrafficFilter({ errorsOnly: e.target.checked })}
        />
        Errors only
      </label>
      <button className="button small" aria-pressed={paused} onClick={() => setTrafficPaused(!paused)}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button className="button small" aria-pressed={follow} onClick={() => setFollow(!follow)}>
        Follow
      </button>
    </>
  )
}

function exportRows(format: 'csv' | 'json'): void {
  const rows = liveModel.trafficView.rows
  const exported = []
  for (let i = 0; i < rows.size; i++) {
    const event = rows.at(i)!
    exported.push(exportedEvent(event, liveModel.traffic.client(event.client)))
  }
  const name = timestampedName('traffic', format)
  if (format === 'csv') saveText(name, eventsToCsv(exported), 'text/csv')
  else saveText(name, eventsToJson(exported), 'application/json')
}

/** Events per second over the last minute (all, and failures), with the current figures. */
function RateChart() {
  const scheme = useColorScheme()
  const plot = useRef<uPlot | null>(null)
  const build = useCallback(
    (width: number, height: number): uPlot.Options => {
      const accent =
        getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#0d7f8a'
      return {
        width,
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{ show: false }, { show: false }],
        series: [
          {},
          { stroke: accent, width: 1.5, fill: `color-mix(in srgb, ${accent} 18%, transparent)` },
          { stroke: '#d92d2d', width: 1.5 },
        ],
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new scheme redraws
    [scheme],
  )
  const draw = useCallback(() => {
    const chart = plot.current
    if (!chart) return
    const now = Date.now()
    const [times, all] = liveModel.traffic.rates.all.series(now, 60)
    const [, errors] = liveModel.traffic.rates.errors.series(now, 60)
    chart.setData([times, all, errors], true)
  }, [])
  const onPlot = useCallback(
    (instance: uPlot | null) => {
      plot.current = instance
      draw()
    },
    [draw],
  )
  useEffect(() => useLiveStore.subscribe((s, previous) => s.traffic !== previous.traffic && draw()), [draw])
  return (
    <div className="rate-box" title="Operations per second, last minute (red: failures)">
      <RateFigures />
      <UPlotChart build={build} onPlot={onPlot} label="Operations per second" className="rate-chart" />
    </div>
  )
}

function RateFigures() {
  const now = useLiveStore((s) => s.now)
  return (
    <span className="rate-figures" data-testid="traffic-rate">
      <strong>{formatRate(liveModel.traffic.rates.all.lastSecond(now))}</strong> ops/s
      {liveModel.traffic.rates.errors.lastSecond(now) > 0 && (
        <span className="rate-errors">
          {' '}
          · {formatRate(liveModel.traffic.rates.errors.lastSecond(now))} failed/s
        </span>
      )}
    </span>
  )
}

function TrafficLogView() {
  // The rows live in the model: these versions say when to draw them again.
  useLiveStore((s) => s.traffic)
  useTrafficView((s) => s.rebuilt)
  const follow = useTrafficView((s) => s.follow)
  const paused = useTrafficView((s) => s.paused)
  const filter = useTrafficView((s) => s.filter)
  const selected = useTrafficView((s) => s.selected)
  const rows = liveModel.trafficView.rows
  const count = rows.size
  const log = liveModel.traffic
  const first = rows.at(0)
  return (
    <div className="traffic-body">
      <div className="traffic-main">
        <div className="traffic-counts" data-testid="traffic-counts">
          <span>
            {formatCount(log.recorded)} recorded · {formatCount(count)} shown
            {isFiltering(filter) && ' (filtered)'}
          </span>
          {log.dropped > 0 && (
            <span className="live-note warn" data-testid="traffic-dropped">
              {formatCount(log.dropped)} not shown: sampled under load (counts are exact)
            </span>
          )}
          {paused && (
            <span className="live-note warn">
              Paused{liveModel.trafficView.missed > 0 && `: ${formatCount(liveModel.trafficView.missed)} new`}
            </span>
          )}
          {first && log.recorded > log.rows.size && !isFiltering(filter) && (
            <span className="live-note">since {formatTime(first.time)}</span>
          )}
          <span className="toolbar-spacer" />
          <RateChart />
          <button
            className="button small"
            onClick={() => exportRows('csv')}
            title="Save the rows shown as CSV"
          >
            Export CSV
          </button>
          <button
            className="button small"
            onClick={() => exportRows('json')}
            title="Save the rows shown as JSON"
          >
            Export JSON
          </button>
          <button className="button small" onClick={clearTraffic} title="Empty the list (counts stay)">
            Clear
          </button>
        </div>
        <div className="traffic-row traffic-head" role="row">
          <span>Time</span>
          <span>Operation</span>
          <span>PV</span>
          <span>Client</span>
          <span>DBR type</span>
          <span className="num">Count</span>
          <span>Value</span>
          <span>Status</span>
          <span className="num">Hook ms</span>
        </div>
        {count === 0 ? (
          <div className="traffic-rows" data-testid="traffic-rows">
            <div className="live-empty">
              {log.recorded === 0
                ? 'No traffic yet: connect a client (caget, pyepics, CSS…) to the running IOC.'
                : 'No operation matches the filters.'}
            </div>
          </div>
        ) : follow ? (
          <TailRows count={count} selected={selected} />
        ) : (
          <ScrolledRows count={count} selected={selected} />
        )}
      </div>
      {selected && <TrafficDetail event={selected} />}
    </div>
  )
}

/** A WRITE_NOTIFY reads as a put with callback; the reply comes as 'put done' with the request-to-reply time. */
function opLabel(event: LiveTrafficEvent): string {
  return event.op === 'put' && event.message === 'with completion' ? 'put callback' : OP_LABELS[event.op]
}

/**
 * Following the tail: the newest rows that fit, stacked from the bottom of a box that does not scroll, so a
 * commit costs no scroll and no forced layout (setting scrollTop 20 times a second was the inspector's biggest
 * cost). Scrolling up, or a key that moves up, hands over to the scrolled list.
 */
function TailRows({
  count,
  selected,
}: {
  readonly count: number
  readonly selected: LiveTrafficEvent | null
}) {
  const box = useRef<HTMLDivElement>(null)
  const [fits, setFits] = useState(24)
  useEffect(() => {
    const element = box.current!
    const measure = () => setFits(Math.ceil(element.clientHeight / ROW_HEIGHT) + 1)
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  const rows = liveModel.trafficView.rows
  const shown: LiveTrafficEvent[] = []
  for (let i = Math.max(0, count - fits); i < count; i++) shown.push(rows.at(i)!)
  return (
    <div
      className="traffic-rows tail"
      ref={box}
      role="log"
      aria-label="Traffic"
      data-testid="traffic-rows"
      tabIndex={0}
      onWheel={(e) => e.deltaY < 0 && setFollow(false)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowUp' || e.key === 'PageUp' || e.key === 'Home') setFollow(false)
      }}
    >
      {shown.map((event, slot) => (
        // Keyed by position: each commit rewrites the text of the same rows instead of replacing them.
        <TrafficRow key={slot} event={event} selected={selected?.seq === event.seq} />
      ))}
    </div>
  )
}

/** Browsing: every row held, virtualized; scrolling back to the bottom follows the tail again. */
function ScrolledRows({
  count,
  selected,
}: {
  readonly count: number
  readonly selected: LiveTrafficEvent | null
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const list = useVirtualRows(scroller, count)
  // Coming from the tail: start at the bottom, where the user was looking.
  useLayoutEffect(() => {
    const element = scroller.current
    if (element) element.scrollTop = element.scrollHeight - element.clientHeight - ROW_HEIGHT
  }, [])
  const rows = liveModel.trafficView.rows
  return (
    <div
      className="traffic-rows"
      ref={scroller}
      role="log"
      aria-label="Traffic"
      data-testid="traffic-rows"
      tabIndex={0}
      onScroll={(e) => {
        const element = e.currentTarget
        if (element.scrollTop + element.clientHeight >= element.scrollHeight - 2) setFollow(true)
      }}
    >
      <div style={{ height: list.getTotalSize(), position: 'relative' }}>
        {list.getVirtualItems().map((item) => {
          const event = rows.at(item.index)
          if (!event) return null
          return (
            <TrafficRow
              key={event.seq}
              event={event}
              top={item.start}
              selected={selected?.seq === event.seq}
            />
          )
        })}
      </div>
    </div>
  )
}

function valueText(event: LiveTrafficEvent): string {
  if (event.op === 'put-done' && event.newValue !== undefined)
    return `${event.oldValue ?? ''} → ${event.newValue}`
  if (event.value !== '') return event.value
  return event.message ?? ''
}

function TrafficRow({
  event,
  top,
  selected,
}: {
  readonly event: LiveTrafficEvent
  /** Offset in a virtualized list; none in the tail, where rows stack in order. */
  readonly top?: number
  readonly selected: boolean
}) {
  const client = liveModel.traffic.client(event.client)
  return (
    <div
      className="traffic-row"
      role="row"
      aria-selected={selected}
      data-op={event.op}
      data-ok={event.ok}
      style={top === undefined ? undefined : { transform: `translateY(${top}px)` }}
      onClick={() => selectEvent(selected ? null : event)}
    >
      <time dateTime={new Date(event.time).toISOString()}>{formatTime(event.time)}</time>
      <span className="op-label">{opLabel(event)}</span>
      <span className="mono">{event.pv}</span>
      <span className="traffic-client">{describeClient(client, event.client)}</span>
      <span className="muted">{event.dbrType.replace(/^DBR_/, '')}</span>
      <span className="num">{event.count || ''}</span>
      <span className="mono traffic-value">{valueText(event)}</span>
      <span className={event.ok ? 'muted' : 'status-failed'}>{event.status.replace(/^ECA_/, '')}</span>
      <span className="num">{event.hookMs === undefined ? '' : event.hookMs.toFixed(2)}</span>
    </div>
  )
}

function TrafficDetail({ event }: { event: LiveTrafficEvent }) {
  const client = liveModel.traffic.client(event.client)
  const fields: [string, string][] = [
    ['Operation', opLabel(event)],
    ['PV', event.pv || '—'],
    ['Time', formatDateTime(event.time)],
    ['Client', describeClient(client, event.client)],
  ]
  if (client) {
    fields.push(['Address', `${client.address}:${client.port}`])
    fields.push(['Host', client.host || '(not sent)'])
    fields.push(['User', client.user || '(not sent)'])
    if (client.circuitId > 0) fields.push(['Circuit', String(client.circuitId)])
  }
  if (event.dbrType) fields.push(['DBR type', event.dbrType])
  if (event.count) fields.push([event.op.startsWith('queue') ? 'Queue depth' : 'Count', String(event.count)])
  if (event.oldValue !== undefined) fields.push(['Old value', event.oldValue])
  if (event.newValue !== undefined) fields.push(['New value', event.newValue])
  else if (event.value !== '') fields.push(['Value', event.value])
  if (event.status) fields.push(['Status', event.status])
  fields.push(['Succeeded', event.ok ? 'yes' : 'no'])
  if (event.hookMs !== undefined) fields.push(['Hook time', `${event.hookMs.toFixed(3)} ms`])
  if (event.durationMs !== undefined) fields.push(['Request to reply', `${event.durationMs.toFixed(3)} ms`])
  if (event.message) fields.push(['Message', event.message])
  fields.push(['Sequence', `#${event.seq}`])
  return (
    <aside className="traffic-detail" aria-label="Operation details">
      <div className="detail-header">
        <span className="panel-title">Details</span>
        <button className="icon-button" aria-label="Close details" onClick={() => selectEvent(null)}>
          ×
        </button>
      </div>
      <dl>
        {fields.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </aside>
  )
}

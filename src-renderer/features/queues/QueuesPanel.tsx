/**
 * Queues: per PV, the puts and gets that arrived and whose hook has not finished (a putter that awaits shows
 * here while it waits), with peaks and totals; and each ThreadsafeQueue the IOC's hooks created (the
 * put_queue/get_queue pattern): its depth over time and its latest entries.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import uPlot from 'uplot'
import type { LivePvActivity, LiveQueue } from '@shared/api/live'
import { ensureLive, liveModel } from '../../state/live/live-connection'
import { useLiveStore } from '../../state/live/live-store'
import { formatCount, formatTime } from '../../state/live/format'
import { LiveChart } from '../values/LiveChart'
import type { LiveChartOptions } from '../values/LiveChart'
import { axis } from '../values/UPlotChart'
import type { ChartColours } from '../values/UPlotChart'
import '../values/live.css'
import './queues.css'

export function QueuesPanel() {
  useEffect(() => ensureLive(), [])
  return (
    <section className="live-view queues-view" aria-label="Queues">
      <PvQueues />
      <ThreadsafeQueues />
    </section>
  )
}

function busy(a: LivePvActivity): boolean {
  return a.pendingPuts + a.pendingGets + a.peakPendingPuts + a.peakPendingGets > 0
}

function PvQueues() {
  const version = useLiveStore((s) => s.activity)
  const [activeOnly, setActiveOnly] = useState(true)
  const rows = useMemo(() => {
    const all = [...liveModel.queues.activity.values()].filter(
      (a) => !activeOnly || a.puts + a.gets + a.putFailures > 0 || busy(a),
    )
    return all.sort(
      (a, b) =>
        b.pendingPuts + b.pendingGets - (a.pendingPuts + a.pendingGets) ||
        (a.pv < b.pv ? -1 : a.pv > b.pv ? 1 : 0),
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the model is read at this version
  }, [version, activeOnly])
  return (
    <div className="queues-section pv-queues">
      <div className="live-toolbar">
        <span className="panel-title">Puts and gets per PV</span>
        <span className="live-summary">pending = arrived, hook not finished</span>
        <span className="toolbar-spacer" />
        <label className="checkbox-label">
          <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} />
          Only PVs with traffic
        </label>
      </div>
      <div className="queues-scroll">
        <table className="live-table" aria-label="Puts and gets per PV" data-testid="pv-queues">
          <thead>
            <tr>
              <th>PV</th>
              <th className="num">Pending puts</th>
              <th className="num">Pending gets</th>
              <th className="num" title="Most pending at once in the last batch interval / ever">
                Peak / max
              </th>
              <th className="num">Puts</th>
              <th className="num">Gets</th>
              <th className="num">Failed</th>
              <th className="num">Channels</th>
              <th className="num">Last hook ms</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.pv} data-busy={busy(a)} data-pv={a.pv}>
                <td className="mono">{a.pv}</td>
                <td className={`num${a.pendingPuts > 0 ? ' pending' : ''}`}>{a.pendingPuts}</td>
                <td className={`num${a.pendingGets > 0 ? ' pending' : ''}`}>{a.pendingGets}</td>
                <td className="num">
                  {Math.max(a.peakPendingPuts, a.peakPendingGets)} /{' '}
                  {Math.max(a.maxPendingPuts, a.maxPendingGets)}
                </td>
                <td className="num">{formatCount(a.puts)}</td>
                <td className="num">{formatCount(a.gets)}</td>
                <td className={`num${a.putFailures > 0 ? ' failed' : ''}`}>{formatCount(a.putFailures)}</td>
                <td className="num">
                  {a.channels}
                  {a.monitors > 0 && <span className="muted"> ({a.monitors} mon)</span>}
                </td>
                <td className="num">{a.lastHookMs === null ? '' : a.lastHookMs.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <div className="live-empty">No PV has been read or written yet.</div>}
      </div>
    </div>
  )
}

function ThreadsafeQueues() {
  const version = useLiveStore((s) => s.queues)
  const session = useLiveStore((s) => s.session)
  const queues = useMemo(
    () => [...liveModel.queues.queues.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the model is read at this version
    [version, session],
  )
  return (
    <div className="queues-section thread-queues">
      <div className="live-toolbar">
        <span className="panel-title">ThreadsafeQueues</span>
        <span className="live-summary">created by the IOC's hooks</span>
      </div>
      <div className="queue-cards" data-testid="threadsafe-queues">
        {queues.length === 0 ? (
          <div className="live-empty">
            No queue yet. A hook that makes <code>async_lib.ThreadsafeQueue()</code> (the put_queue/get_queue
            pattern) shows here once it is used.
          </div>
        ) : (
          queues.map((queue) => <QueueCard key={queue.name} queue={queue} />)
        )}
      </div>
    </div>
  )
}

function QueueCard({ queue }: { readonly queue: LiveQueue }) {
  const recent = [...queue.recent].reverse().slice(0, 8)
  return (
    <article className="queue-card" aria-label={`Queue ${queue.name}`} data-queue={queue.name}>
      <header>
        <span className="queue-name mono">{queue.name}</span>
        <span className="queue-depth" title="Entries waiting now">
          depth <strong>{queue.depth}</strong>
        </span>
        <span className="muted">
          max {queue.maxDepth} · in {formatCount(queue.puts)} · out {formatCount(queue.gets)}
        </span>
      </header>
      <DepthChart name={queue.name} />
      <ol className="queue-entries" aria-label={`Latest entries of ${queue.name}`}>
        {recent.map((entry, i) => (
          <li key={`${entry.time}-${i}`} data-op={entry.op}>
            <time>{formatTime(entry.time)}</time>
            <span className="entry-op">{entry.op === 'put' ? 'in ▸' : 'out ◂'}</span>
            <span className="mono entry-text">{entry.entry}</span>
          </li>
        ))}
      </ol>
    </article>
  )
}

/** A queue's depth holds between changes: draw it as steps. */
const steps = uPlot.paths.stepped?.({ align: 1 })

/** Depth over the last minute. */
function DepthChart({ name }: { readonly name: string }) {
  const draw = useCallback(
    (chart: uPlot) => {
      const history = liveModel.queues.depthHistory(name)
      if (!history) return
      const now = Date.now() / 1000
      const from = history.firstIndexFrom(now - 60)
      const xs: number[] = []
      const ys: number[] = []
      for (let i = from; i < history.size; i++) {
        xs.push(history.timeAt(i))
        ys.push(history.valueAt(i))
      }
      // The depth holds until the next change: carry the last one to now.
      if (ys.length > 0) {
        xs.push(now)
        ys.push(ys[ys.length - 1])
      }
      chart.batch(() => {
        chart.setData([xs, ys], true)
        chart.setScale('x', { min: now - 60, max: now })
      })
    },
    [name],
  )
  return <LiveChart options={depthOptions} draw={draw} label={`Depth of ${name}`} className="depth-chart" />
}

function depthOptions(colours: ChartColours): LiveChartOptions {
  return {
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(2, max + 1)] } },
    axes: [axis(colours, { size: 22 }), axis(colours, { size: 30, ticks: { show: false } })],
    series: [{}, { stroke: '#1c7ed6', width: 1.5, fill: 'rgba(28,126,214,0.12)', paths: steps }],
  }
}

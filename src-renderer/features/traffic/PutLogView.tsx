/**
 * The put log: who wrote which PV, when, from which value to which (what caPutLog records for an EPICS IOC).
 * Loaded from the backend when shown (exact), extended live, exportable as CSV.
 */
import { useEffect, useRef, useState } from 'react'
import { getPlatform } from '../../platform/api'
import { liveModel } from '../../state/live/live-connection'
import { Part } from '../../state/live/live-model'
import { commitParts, useLiveStore } from '../../state/live/live-store'
import { describeClient, formatCount, formatDateTime } from '../../state/live/format'
import { exportedPut, putsToCsv } from './export-rows'
import { saveText, timestampedName } from './save-text'
import { ROW_HEIGHT, useVirtualRows } from './virtual-rows'

async function loadPutLog(): Promise<string | null> {
  try {
    const entries = await getPlatform().api.getPutLog()
    liveModel.putLog.load(entries, liveModel.traffic.lastSeq)
    commitParts(Part.PUT_LOG)
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

export function PutLogView() {
  const version = useLiveStore((s) => s.putLog)
  const session = useLiveStore((s) => s.session)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    void loadPutLog().then(setError)
  }, [session])
  const entries = liveModel.putLog.entries
  const count = entries.size
  const scroller = useRef<HTMLDivElement>(null)
  const list = useVirtualRows(scroller, count)
  useEffect(() => {
    const element = scroller.current
    if (element) element.scrollTop = list.getTotalSize()
  }, [version, count, list])

  const exportCsv = () => {
    const rows = []
    for (let i = 0; i < entries.size; i++) rows.push(exportedPut(entries.at(i)!))
    saveText(timestampedName('put-log', 'csv'), putsToCsv(rows), 'text/csv')
  }
  return (
    <div className="traffic-main">
      <div className="traffic-counts">
        <span data-testid="put-log-count">{formatCount(count)} puts by clients</span>
        {error && <span className="live-note warn">Could not load the put log: {error}</span>}
        <span className="toolbar-spacer" />
        <button className="button small" onClick={() => void loadPutLog().then(setError)}>
          Reload
        </button>
        <button className="button small" onClick={exportCsv} disabled={count === 0}>
          Export CSV
        </button>
      </div>
      <div className="put-row traffic-head" role="row">
        <span>Time</span>
        <span>Who</span>
        <span>PV</span>
        <span>Old value</span>
        <span>New value</span>
      </div>
      <div className="traffic-rows" ref={scroller} role="log" aria-label="Put log" data-testid="put-log">
        {count === 0 ? (
          <div className="live-empty">No client has written a PV yet.</div>
        ) : (
          <div style={{ height: list.getTotalSize(), position: 'relative' }}>
            {list.getVirtualItems().map((item) => {
              const entry = entries.at(item.index)
              if (!entry) return null
              return (
                <div
                  key={item.index}
                  className="put-row"
                  role="row"
                  style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                >
                  <time dateTime={new Date(entry.time).toISOString()}>{formatDateTime(entry.time)}</time>
                  <span>{describeClient(entry.client ?? undefined, entry.client?.key ?? null)}</span>
                  <span className="mono">{entry.pv}</span>
                  <span className="mono muted">{entry.oldValue}</span>
                  <span className="mono">{entry.newValue}</span>
                </div>
              )
            })}
          </div>
        )}
      </div>
    </div>
  )
}

import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'
import { clearLog, logEntries, useLogStore } from '../../state/log'
import { TrashIcon } from '../shell/icons'

const ROW_HEIGHT = 22

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
})

/** The backend's log, newest at the bottom; it follows new entries while scrolled to the end. */
export function LogPanel() {
  const version = useLogStore((s) => s.version)
  const count = logEntries.size
  const scroller = useRef<HTMLDivElement>(null)
  const atEnd = useRef(true)
  // We do not use the React Compiler, so its warning about memoizing the virtualizer does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const rows = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })

  useEffect(() => {
    if (atEnd.current && count > 0) rows.scrollToIndex(count - 1, { align: 'end' })
  }, [version, count, rows])

  return (
    <div className="log-panel">
      <div
        className="log-rows"
        ref={scroller}
        role="log"
        aria-label="Backend log"
        data-testid="log"
        onScroll={(e) => {
          const el = e.currentTarget
          atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT
        }}
      >
        {count === 0 ? (
          <div className="log-empty">No log entries yet. Start the server to see what it does.</div>
        ) : (
          <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
            {rows.getVirtualItems().map((row) => {
              const entry = logEntries.at(row.index)
              if (!entry) return null
              return (
                <div
                  key={entry.seq}
                  className="log-row"
                  data-level={entry.level}
                  style={{ height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
                >
                  <time dateTime={new Date(entry.time).toISOString()}>{timeFormat.format(entry.time)}</time>
                  <span className="log-level">{entry.level}</span>
                  <span className="log-source">{entry.source}</span>
                  <span className="log-message">{entry.message}</span>
                </div>
              )
            })}
          </div>
        )}
      </div>
    </div>
  )
}

export function LogActions() {
  return (
    <button
      className="icon-button"
      title="Clear the log view"
      aria-label="Clear the log view"
      onClick={clearLog}
    >
      <TrashIcon />
    </button>
  )
}

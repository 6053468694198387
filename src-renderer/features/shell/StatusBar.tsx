import { useEffect } from 'react'
import { dismissNotice, useAppStore } from '../../state/app'
import { useServerStore } from '../../state/server'

export function StatusBar({ kind }: { kind: 'electron' | 'browser' }) {
  const version = useAppStore((s) => s.info?.version)
  const connection = useAppStore((s) => s.connection)
  const pvCount = useServerStore((s) => s.status?.pvCount ?? 0)
  return (
    <footer className="status-bar">
      <span className="status-item" data-connection={connection}>
        <span className="status-dot small" aria-hidden="true" />
        {kind === 'browser' ? `Browser · ${location.host}` : 'Desktop'}
      </span>
      <span className="status-item">
        {pvCount} PV{pvCount === 1 ? '' : 's'}
      </span>
      <span className="status-spacer" />
      <span className="status-item">Python · caproto</span>
      {version && <span className="status-item">IOC Studio {version}</span>}
    </footer>
  )
}

/** Shown while the browser bridge is down: what is on screen may be stale. */
export function ConnectionBanner() {
  const connection = useAppStore((s) => s.connection)
  if (connection !== 'reconnecting') return null
  return (
    <div className="banner" role="alert">
      Lost the connection to IOC Studio. Reconnecting…
    </div>
  )
}

export function Notice() {
  const notice = useAppStore((s) => s.notice)
  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => dismissNotice(notice.id), 4000)
    return () => clearTimeout(timer)
  }, [notice])
  if (!notice) return null
  return (
    <div className="notice" role="status" data-notice={notice.id}>
      {notice.text}
    </div>
  )
}

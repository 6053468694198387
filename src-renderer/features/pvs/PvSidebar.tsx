import { useServerStore } from '../../state/server'
import { ListIcon } from '../shell/icons'

/** The PV tree's place: empty until the project model lands. */
export function PvSidebar() {
  const pvCount = useServerStore((s) => s.status?.pvCount ?? 0)
  return (
    <aside className="sidebar" aria-label="Process variables">
      <header className="panel-header">
        <span className="panel-title">Process variables</span>
        <span className="badge">{pvCount}</span>
      </header>
      <div className="empty-state">
        <ListIcon />
        <p>No process variables yet.</p>
        <p className="hint">PVs you define appear here, grouped as in your IOC, with their live values.</p>
      </div>
    </aside>
  )
}

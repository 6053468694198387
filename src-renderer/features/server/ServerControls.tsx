import type { ServerStatus } from '@shared/api/contract'
import { availableActions, runServerAction, useServerStore } from '../../state/server'
import { PlayIcon, RestartIcon, StopIcon } from '../shell/icons'

const STATE_LABEL: Record<ServerStatus['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  stopping: 'Stopping…',
  error: 'Error',
}

function describe(status: ServerStatus): string {
  if (status.state === 'running') {
    const clients = `${status.clientCount} client${status.clientCount === 1 ? '' : 's'}`
    return `TCP ${status.tcpPort} · UDP ${status.udpPort} · ${clients}`
  }
  if (status.state === 'error') return status.error ?? 'The server failed'
  return 'Channel Access server'
}

/** The CA server's state at a glance, and the buttons that change it. */
export function ServerControls() {
  const status = useServerStore((s) => s.status)
  const busy = useServerStore((s) => s.busy)
  const failure = useServerStore((s) => s.failure)
  const can = availableActions(status, busy)
  const state = status?.state ?? 'stopped'

  return (
    <div className="server-controls">
      <div
        className="server-status"
        data-state={status ? state : 'unknown'}
        role="status"
        aria-live="polite"
        data-testid="server-status"
        title={failure ?? (status ? describe(status) : undefined)}
      >
        <span className="status-dot" aria-hidden="true" />
        <span className="status-label">{status ? STATE_LABEL[state] : 'Connecting…'}</span>
        {status && <span className="status-detail">{failure ?? describe(status)}</span>}
      </div>
      <div className="button-group" role="group" aria-label="Channel Access server">
        <button className="button primary" disabled={!can.start} onClick={() => runServerAction('start')}>
          <PlayIcon />
          Start
        </button>
        <button className="button" disabled={!can.stop} onClick={() => runServerAction('stop')}>
          <StopIcon />
          Stop
        </button>
        <button className="button" disabled={!can.restart} onClick={() => runServerAction('restart')}>
          <RestartIcon />
          Restart
        </button>
      </div>
    </div>
  )
}

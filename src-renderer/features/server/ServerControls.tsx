import { useId } from 'react'
import type { ServerStatus } from '@shared/api/contract'
import { startBlocker } from '../../state/problems'
import { availableActions, runServerAction, useServerStore } from '../../state/server'
import { showPanel } from '../../state/workbench'
import { useProblems } from '../problems/use-problems'
import { withShortcut } from '../shell/keyboard'
import { ApplyIcon, PlayIcon, RestartIcon, StopIcon, WarningIcon } from '../shell/icons'

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
    const host = status.interfaces.length === 1 ? status.interfaces[0] : 'all interfaces'
    return `${host}:${status.tcpPort} · ${status.pvCount} PV${status.pvCount === 1 ? '' : 's'} · ${clients}`
  }
  if (status.state === 'error') return status.error ?? 'The server failed'
  return ''
}

/** The IOC's state at a glance, and the buttons that change it; Start says why it cannot run. */
export function ServerControls() {
  const status = useServerStore((s) => s.status)
  const busy = useServerStore((s) => s.busy)
  const failure = useServerStore((s) => s.failure)
  const problems = useProblems()
  const blocker = startBlocker(problems)
  const can = availableActions(status, busy, blocker !== null)
  const state = status?.state ?? 'stopped'
  const reasonId = useId()
  const blockedNow = blocker !== null && (state === 'stopped' || state === 'error')
  const blocking = problems.filter((p) => p.severity === 'error' && p.source !== 'runtime').length

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
        {status && (failure || describe(status)) && (
          <span className="status-detail">{failure?.split('\n')[0] ?? describe(status)}</span>
        )}
      </div>
      {blockedNow && (
        <button
          className="blocker"
          id={reasonId}
          data-testid="start-blocker"
          title={blocker}
          onClick={() => showPanel('problems')}
        >
          <WarningIcon />
          <span>
            {blocking} problem{blocking === 1 ? '' : 's'} block{blocking === 1 ? 's' : ''} Start
          </span>
          <span className="visually-hidden">: {blocker}</span>
        </button>
      )}
      <div className="button-group" role="group" aria-label="IOC">
        <button
          className="button primary"
          disabled={!can.start}
          title={
            blockedNow ? `Start is not possible: ${blocker}` : withShortcut('Start the IOC', 'server.start')
          }
          aria-describedby={blockedNow ? reasonId : undefined}
          onClick={() => runServerAction('start')}
        >
          <PlayIcon />
          Start
        </button>
        <button
          className="button"
          disabled={!can.stop}
          title={withShortcut('Stop the IOC', 'server.stop')}
          onClick={() => runServerAction('stop')}
        >
          <StopIcon />
          Stop
        </button>
        <button
          className="button"
          disabled={!can.restart}
          title={withShortcut('Restart the IOC', 'server.restart')}
          onClick={() => runServerAction('restart')}
        >
          <RestartIcon />
          Restart
        </button>
        <button
          className="button"
          disabled={!can.apply}
          title={withShortcut('Apply edits to the running IOC; clients stay connected', 'server.apply')}
          onClick={() => runServerAction('apply')}
        >
          <ApplyIcon />
          Apply changes
        </button>
      </div>
    </div>
  )
}

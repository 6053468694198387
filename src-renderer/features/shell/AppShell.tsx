import { useEffect, useState } from 'react'
import type { Platform } from '../../platform/api'
import { connectStores } from '../../state/connect'
import { AboutDialog } from '../about/AboutDialog'
import { runAppCommand } from '../commands/run-app-command'
import { HookEditor } from '../editor/HookEditor'
import { LogActions, LogPanel } from '../log/LogPanel'
import { PvSidebar } from '../pvs/PvSidebar'
import { ConnectionBanner, Notice, StatusBar } from './StatusBar'
import { TopBar } from './TopBar'
import { useLogStore } from '../../state/log'

/** The window: top bar, PV sidebar, editor, bottom panel with tabs, status bar. */
export function AppShell({ platform }: { platform: Platform }) {
  useEffect(() => connectStores(platform, runAppCommand), [platform])

  return (
    <div className="shell">
      <TopBar />
      <ConnectionBanner />
      <div className="workbench">
        <PvSidebar />
        <main className="main-area">
          <HookEditor />
          <BottomPanel />
        </main>
      </div>
      <StatusBar kind={platform.kind} />
      <AboutDialog />
      <Notice />
    </div>
  )
}

const TABS = ['Log'] as const

function BottomPanel() {
  const [tab, setTab] = useState<(typeof TABS)[number]>('Log')
  const errorCount = useLogStore((s) => s.errorCount)
  return (
    <section className="bottom-panel" aria-label="Panel">
      <div className="panel-tabs" role="tablist">
        {TABS.map((name) => (
          <button
            key={name}
            role="tab"
            className="panel-tab"
            aria-selected={tab === name}
            onClick={() => setTab(name)}
          >
            {name}
            {name === 'Log' && errorCount > 0 && <span className="badge error">{errorCount}</span>}
          </button>
        ))}
        <div className="panel-actions">{tab === 'Log' && <LogActions />}</div>
      </div>
      <div className="panel-body" role="tabpanel">
        {tab === 'Log' && <LogPanel />}
      </div>
    </section>
  )
}

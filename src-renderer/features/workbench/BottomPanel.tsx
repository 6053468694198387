import { showPanel, useWorkbench } from '../../state/workbench'
import { registeredPanels } from './registry'
import type { PanelContribution } from './registry'

const noBadge = () => null

/** The bottom panel: Problems, Log and whatever else is registered (part 2 adds its live views). */
export function BottomPanel() {
  const panels = registeredPanels()
  const selected = useWorkbench((s) => s.panel)
  const current = panels.find((p) => p.id === selected) ?? panels[0]
  return (
    <section className="bottom-panel" aria-label="Panel">
      <div className="panel-tabs" role="tablist">
        {panels.map((panel) => (
          <PanelTab key={panel.id} panel={panel} selected={panel === current} />
        ))}
        <div className="panel-actions">{current?.Actions && <current.Actions />}</div>
      </div>
      <div className="panel-body" role="tabpanel" aria-label={current?.title}>
        {current && <current.Component />}
      </div>
    </section>
  )
}

function PanelTab({ panel, selected }: { panel: PanelContribution; selected: boolean }) {
  const badge = (panel.useBadge ?? noBadge)()
  return (
    <button role="tab" className="panel-tab" aria-selected={selected} onClick={() => showPanel(panel.id)}>
      {panel.title}
      {badge && badge.count > 0 && (
        <span
          className={`badge ${badge.tone}`}
          aria-label={`${badge.count} ${badge.tone === 'neutral' ? '' : `${badge.tone}s`}`}
        >
          {badge.count}
        </span>
      )}
    </button>
  )
}

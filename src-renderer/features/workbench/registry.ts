/**
 * Where features plug into the layout. Part 1 contributes the Problems and Log panels and the Table, Script
 * and Server views; part 2 adds its own the same way, without touching the shell:
 *
 *   registerPanel({ id: 'traffic', title: 'Traffic', order: 30, Component: TrafficPanel, useBadge })
 *   registerView({ id: 'values', title: 'Values', order: 15, Icon: PulseIcon, Component: ValuesView })
 *
 * Panels are the bottom panel's tabs; views are whole-project tabs of the main area (`view:<id>`), listed in
 * the sidebar's Views section and opened with openTab({ kind: 'view', view: id }). Register at module load,
 * before the shell renders (import the module from ../../main.tsx, as ./contributions does).
 */
import type { ComponentType } from 'react'

export interface PanelBadge {
  readonly count: number
  readonly tone: 'error' | 'warning' | 'neutral'
}

export interface PanelContribution {
  readonly id: string
  readonly title: string
  /** Left to right, ascending. */
  readonly order: number
  readonly Component: ComponentType
  /** Buttons shown at the right of the tab strip while this panel is shown. */
  readonly Actions?: ComponentType
  /** A hook returning the count shown on the tab (use atomic selectors: it runs on every shell render). */
  readonly useBadge?: () => PanelBadge | null
}

export interface ViewContribution {
  readonly id: string
  readonly title: string
  readonly order: number
  readonly Icon: ComponentType
  readonly Component: ComponentType
}

const panels: PanelContribution[] = []
const views: ViewContribution[] = []

export function registerPanel(panel: PanelContribution): void {
  if (panels.some((p) => p.id === panel.id))
    throw new Error(`A panel called '${panel.id}' is registered already`)
  panels.push(panel)
  panels.sort((a, b) => a.order - b.order)
}

export function registerView(view: ViewContribution): void {
  if (views.some((v) => v.id === view.id)) throw new Error(`A view called '${view.id}' is registered already`)
  views.push(view)
  views.sort((a, b) => a.order - b.order)
}

export function registeredPanels(): readonly PanelContribution[] {
  return panels
}

export function registeredViews(): readonly ViewContribution[] {
  return views
}

export function viewById(id: string): ViewContribution | undefined {
  return views.find((v) => v.id === id)
}

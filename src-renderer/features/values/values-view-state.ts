/** The Values view's own settings: filter, sort, selection, trend window. Plain user input, not live data. */
import { create } from 'zustand'

export type ValueColumn = 'name' | 'value' | 'severity' | 'status' | 'time' | 'units' | 'rate'

export const TREND_WINDOWS = [
  { seconds: 10, label: '10 s' },
  { seconds: 60, label: '1 min' },
  { seconds: 300, label: '5 min' },
  { seconds: 900, label: '15 min' },
] as const

interface ValuesViewState {
  readonly filter: string
  readonly sort: { readonly column: ValueColumn; readonly descending: boolean }
  /** Selected PV names, in the order they were selected (the plot's series order). */
  readonly selected: readonly string[]
  readonly windowSeconds: number
  /** The plot stops following new samples (also while zoomed). */
  readonly paused: boolean
  /** The last write from the table that failed, until dismissed or the next write. */
  readonly writeError: { readonly pv: string; readonly message: string } | null
}

export const useValuesView = create<ValuesViewState>()(() => ({
  filter: '',
  sort: { column: 'name', descending: false },
  selected: [],
  windowSeconds: 60,
  paused: false,
  writeError: null,
}))

export function setValuesFilter(filter: string): void {
  useValuesView.setState({ filter })
}

export function sortBy(column: ValueColumn): void {
  useValuesView.setState((s) => ({
    sort: { column, descending: s.sort.column === column ? !s.sort.descending : false },
  }))
}

/** Click: only this one; with Ctrl/Cmd: toggle it; with Shift: add the range from the last selected. */
export function selectPv(name: string, mode: 'only' | 'toggle' | 'range', order: readonly string[]): void {
  useValuesView.setState((s) => {
    if (mode === 'only') return { selected: s.selected.length === 1 && s.selected[0] === name ? [] : [name] }
    if (mode === 'toggle')
      return {
        selected: s.selected.includes(name) ? s.selected.filter((n) => n !== name) : [...s.selected, name],
      }
    const anchor = s.selected.at(-1)
    const from = anchor === undefined ? -1 : order.indexOf(anchor)
    const to = order.indexOf(name)
    if (from < 0 || to < 0) return { selected: [...s.selected, name] }
    const range = order.slice(Math.min(from, to), Math.max(from, to) + 1)
    return { selected: [...s.selected, ...range.filter((n) => !s.selected.includes(n))] }
  })
}

export function clearSelection(): void {
  useValuesView.setState({ selected: [] })
}

export function setTrendWindow(windowSeconds: number): void {
  useValuesView.setState({ windowSeconds })
}

export function setTrendPaused(paused: boolean): void {
  useValuesView.setState({ paused })
}

/** Forgets selected PVs that no longer exist. */
export function pruneSelection(exists: (name: string) => boolean): void {
  const { selected } = useValuesView.getState()
  const kept = selected.filter(exists)
  if (kept.length !== selected.length) useValuesView.setState({ selected: kept })
}

export function setWriteError(writeError: { pv: string; message: string } | null): void {
  useValuesView.setState({ writeError })
}

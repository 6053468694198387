import { create } from 'zustand'
import type { LogEntry } from '@shared/api/contract'
import { Ring } from './ring'

/** How many entries the Log tab keeps (the backend keeps its own, larger history). */
export const LOG_VIEW_CAPACITY = 2000

/** The entries themselves live outside the store, so a batch costs one push per entry and one commit. */
export const logEntries = new Ring<LogEntry>(LOG_VIEW_CAPACITY)

interface LogStore {
  /** Bumped on every change: views subscribe to it and read `logEntries` while rendering. */
  readonly version: number
  readonly errorCount: number
}

export const useLogStore = create<LogStore>()(() => ({ version: 0, errorCount: 0 }))

/** The newest entry seen: history and stream overlap, and `seq` says which entries are new. */
let lastSeq = 0

/** Adds streamed entries, skipping those already shown. */
export function appendLog(batch: readonly LogEntry[]): void {
  let added = 0
  let errors = 0
  for (const entry of batch) {
    if (entry.seq <= lastSeq) continue
    lastSeq = entry.seq
    logEntries.push(entry)
    added++
    if (entry.level === 'error') errors++
  }
  if (added > 0) useLogStore.setState((s) => ({ version: s.version + 1, errorCount: s.errorCount + errors }))
}

/** Shows the backend's history instead of what is there (on connect, and after a reconnect). */
export function replaceLog(history: readonly LogEntry[]): void {
  logEntries.clear()
  lastSeq = 0
  useLogStore.setState((s) => ({ version: s.version + 1, errorCount: 0 }))
  appendLog(history)
}

/** Empties the view; entries already shown do not come back. */
export function clearLog(): void {
  logEntries.clear()
  useLogStore.setState((s) => ({ version: s.version + 1, errorCount: 0 }))
}

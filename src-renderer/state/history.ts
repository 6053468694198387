/**
 * Undo/redo over immutable snapshots of one document. Each step keeps the whole previous document, which is
 * cheap because edits share every untouched branch with the version before them.
 *
 * Typing produces a change per keystroke; steps that share a `coalesceKey` and follow each other within
 * `coalesceMs` merge into one, so one undo takes back a burst of typing in one field, not one letter.
 */
export interface HistoryStep<T> {
  readonly document: T
  /** What the edit did, for "Undo Rename PV" style labels. */
  readonly label: string
}

export interface History<T> {
  readonly present: T
  /** Oldest first; the last entry is what Undo goes back to. */
  readonly past: readonly HistoryStep<T>[]
  /** Nearest first; the first entry is what Redo goes forward to. */
  readonly future: readonly HistoryStep<T>[]
  /** Label of the edit that produced `present` (what Undo would undo). */
  readonly presentLabel: string
  readonly lastKey: string | null
  readonly lastTime: number
}

export const HISTORY_LIMIT = 200

export function startHistory<T>(document: T): History<T> {
  return { present: document, past: [], future: [], presentLabel: '', lastKey: null, lastTime: 0 }
}

export interface CommitOptions {
  readonly label: string
  readonly coalesceKey?: string
  readonly now?: number
  readonly coalesceMs?: number
}

/** The history after an edit that turned `present` into `next`; the same history when nothing changed. */
export function commit<T>(history: History<T>, next: T, options: CommitOptions): History<T> {
  if (next === history.present) return history
  const now = options.now ?? Date.now()
  const key = options.coalesceKey ?? null
  const merges =
    key !== null &&
    key === history.lastKey &&
    history.future.length === 0 &&
    history.past.length > 0 &&
    now - history.lastTime <= (options.coalesceMs ?? 1500)
  const past = merges
    ? history.past
    : [...history.past, { document: history.present, label: history.presentLabel }].slice(-HISTORY_LIMIT)
  return { present: next, past, future: [], presentLabel: options.label, lastKey: key, lastTime: now }
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1)
  if (!previous) return history
  return {
    present: previous.document,
    past: history.past.slice(0, -1),
    future: [{ document: history.present, label: history.presentLabel }, ...history.future],
    presentLabel: previous.label,
    lastKey: null,
    lastTime: 0,
  }
}

export function redo<T>(history: History<T>): History<T> {
  const next = history.future[0]
  if (!next) return history
  return {
    present: next.document,
    past: [...history.past, { document: history.present, label: history.presentLabel }],
    future: history.future.slice(1),
    presentLabel: next.label,
    lastKey: null,
    lastTime: 0,
  }
}

/** What Undo and Redo would do, for menu labels and disabled states. */
export function undoLabel<T>(history: History<T>): string | null {
  return history.past.length > 0 ? history.presentLabel : null
}

export function redoLabel<T>(history: History<T>): string | null {
  return history.future[0]?.label ?? null
}

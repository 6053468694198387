/**
 * "Go to line" across tabs: the Problems panel asks for a line in a tab that may not be mounted yet; the
 * tab's editor takes the request when it mounts (or at once, when it is already showing).
 */
type Reveal = { readonly line: number; readonly column: number }

const pending = new Map<string, Reveal>()
const listeners = new Map<string, (reveal: Reveal) => void>()

export function revealLine(tabKey: string, line: number, column = 1): void {
  const listener = listeners.get(tabKey)
  if (listener) listener({ line, column })
  else pending.set(tabKey, { line, column })
}

/** An editor showing `tabKey` takes reveal requests; returns the unsubscribe function. */
export function onRevealLine(tabKey: string, listener: (reveal: Reveal) => void): () => void {
  listeners.set(tabKey, listener)
  const waiting = pending.get(tabKey)
  if (waiting) {
    pending.delete(tabKey)
    listener(waiting)
  }
  return () => {
    if (listeners.get(tabKey) === listener) listeners.delete(tabKey)
  }
}

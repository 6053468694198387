/**
 * Stable identities for PVs while the document changes under them. Edits replace PV objects (the document is
 * immutable), and names change as users type, so open tabs and table selections follow an id instead: edits
 * hand the old PV's id to its replacement, and undo brings back the very objects that had the id.
 */
import type { PvDefinition } from '@shared/model/project'

const ids = new WeakMap<PvDefinition, string>()
let next = 0

export function pvId(pv: PvDefinition): string {
  let id = ids.get(pv)
  if (id === undefined) {
    id = `pv-${++next}`
    ids.set(pv, id)
  }
  return id
}

/** Gives `replacement` the id of `original` (when the replacement is not already known as another PV). */
export function inheritPvId(original: PvDefinition, replacement: PvDefinition): void {
  if (original !== replacement && !ids.has(replacement)) ids.set(replacement, pvId(original))
}

import type { ApplySummary } from './contract'

/** What Apply changes did, as users read it: "3 PVs changed, 1 added, 1 removed, 2 hooks reloaded". */
export function describeApply(summary: ApplySummary): string {
  const parts: string[] = []
  const pvs = (count: number, what: string) => {
    if (count > 0)
      parts.push(parts.length === 0 ? `${count} PV${count === 1 ? '' : 's'} ${what}` : `${count} ${what}`)
  }
  pvs(summary.changed.length, 'changed')
  pvs(summary.added.length, 'added')
  pvs(summary.removed.length, 'removed')
  if (summary.hooksReloaded > 0) {
    parts.push(`${summary.hooksReloaded} hook${summary.hooksReloaded === 1 ? '' : 's'} reloaded`)
  }
  return parts.length === 0 ? 'nothing changed' : parts.join(', ')
}

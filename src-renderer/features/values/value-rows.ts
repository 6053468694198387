/** Which PVs the Values table lists, in which order: filtered by name pattern, sorted by any column. */
import { liveNumber } from '@shared/api/live'
import type { LiveScalar } from '@shared/api/live'
import { formatValue } from '../../state/live/format'
import { pvMatcher } from '../../state/live/traffic-log'
import type { ValuesModel } from '../../state/live/values-model'
import type { ValueColumn } from './values-view-state'

type Key = number | string

function sortKey(model: ValuesModel, name: string, column: ValueColumn): Key {
  const value = model.values.get(name)
  switch (column) {
    case 'name':
      return name
    case 'value': {
      if (!value) return ''
      const info = model.infos.get(name)!
      if (typeof value.value === 'number' && info.type !== 'ENUM') return value.value
      if (Array.isArray(value.value)) return formatValue(info, value)
      const number = liveNumber(value.value as LiveScalar)
      return Number.isNaN(number) || info.type === 'ENUM' ? formatValue(info, value) : number
    }
    case 'severity':
      return value?.severity ?? -1
    case 'status':
      return value?.status ?? -1
    case 'time':
      return value?.time ?? 0
    case 'units':
      return model.infos.get(name)?.units ?? ''
    case 'rate':
      return model.updatesPerSecond(name)
  }
}

function compare(a: Key, b: Key): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'number') return -1
  if (typeof b === 'number') return 1
  return a < b ? -1 : a > b ? 1 : 0
}

export function visiblePvs(
  model: ValuesModel,
  filter: string,
  sort: { readonly column: ValueColumn; readonly descending: boolean },
): string[] {
  const matches = pvMatcher(filter)
  const names = model.names.filter(matches)
  const keys = new Map(names.map((name) => [name, sortKey(model, name, sort.column)]))
  const direction = sort.descending ? -1 : 1
  // Ties keep the name order, so rows do not jump around between equal values.
  return names.sort((a, b) => direction * compare(keys.get(a)!, keys.get(b)!) || (a < b ? -1 : a > b ? 1 : 0))
}

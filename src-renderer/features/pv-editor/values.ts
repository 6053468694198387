/** Initial values as text in a field and back: lists comma-separated, numbers checked against the type. */
import { isNumericType, maxLengthOf } from '@shared/model/project'
import type { InitialValue, PvDefinition } from '@shared/model/project'

export function formatValue(value: InitialValue | undefined): string {
  if (value === undefined) return ''
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
}

/** The value `text` means for `pv`: undefined for empty, null when it is not a value of that type. */
export function parseValue(
  text: string,
  pv: Pick<PvDefinition, 'type' | 'maxLength'>,
): InitialValue | undefined | null {
  const numeric = isNumericType(pv.type)
  const array = maxLengthOf(pv as PvDefinition) > 1 && pv.type !== 'LONG_STRING'
  if (text.trim() === '') return undefined
  if (array) {
    const items = text.split(',').map((item) => item.trim())
    if (!numeric) return items
    const numbers = items.map(Number)
    return numbers.every(Number.isFinite) && items.every((item) => item !== '') ? numbers : null
  }
  if (numeric) {
    const number = Number(text.trim())
    return Number.isFinite(number) ? number : null
  }
  return text
}

/**
 * The PV table's columns and what spreadsheet rows mean. Pasted rows become new PVs: when the first row
 * names columns ("name", "type", "units"…) it says which cell is which; otherwise cells follow the table's
 * column order. A row that does not make a PV is reported, and the others still come in.
 */
import { PV_TYPES } from '@shared/model/project'
import type { PvDefinition, PvType } from '@shared/model/project'
import { uniquePvName, withField } from '../../state/project-edits'
import { formatValue, parseValue } from '../pv-editor/values'
import { parseTsv } from './tsv'

export type ColumnKey =
  'name' | 'type' | 'value' | 'units' | 'precision' | 'description' | 'readOnly' | 'maxLength' | 'recordType'

export interface Column {
  readonly key: ColumnKey
  readonly title: string
  readonly width: number
  readonly kind: 'text' | 'number' | 'type' | 'check'
}

export const COLUMNS: readonly Column[] = [
  { key: 'name', title: 'Name', width: 180, kind: 'text' },
  { key: 'type', title: 'Type', width: 120, kind: 'type' },
  { key: 'value', title: 'Initial value', width: 130, kind: 'text' },
  { key: 'units', title: 'Units', width: 80, kind: 'text' },
  { key: 'precision', title: 'Prec.', width: 64, kind: 'number' },
  { key: 'description', title: 'Description', width: 260, kind: 'text' },
  { key: 'readOnly', title: 'Read-only', width: 84, kind: 'check' },
  { key: 'maxLength', title: 'Max length', width: 92, kind: 'number' },
  { key: 'recordType', title: 'Record', width: 84, kind: 'text' },
]

/** A cell's text, as shown and as copied. */
export function cellText(pv: PvDefinition, key: ColumnKey): string {
  switch (key) {
    case 'value':
      return formatValue(pv.value)
    case 'readOnly':
      return pv.readOnly ? 'yes' : ''
    default: {
      const value = pv[key]
      return value === undefined ? '' : String(value)
    }
  }
}

const YES = new Set(['yes', 'y', 'true', '1', 'x', 'read-only', 'readonly', 'ro'])

/** `pv` with the cell set from text; an error message when the text does not fit the column. */
export function withCell(pv: PvDefinition, key: ColumnKey, text: string): PvDefinition | string {
  const trimmed = text.trim()
  switch (key) {
    case 'name':
      return withField(pv, 'name', text)
    case 'type': {
      const type = trimmed.toUpperCase().replace(/\s+/g, '_')
      if (!(PV_TYPES as readonly string[]).includes(type))
        return `type '${trimmed}' is not one of ${PV_TYPES.join(', ')}`
      return withField(pv, 'type', type as PvType)
    }
    case 'value': {
      const value = parseValue(text, pv)
      return value === null ? `'${trimmed}' is not a ${pv.type} value` : withField(pv, 'value', value)
    }
    case 'precision':
    case 'maxLength': {
      if (trimmed === '') return withField(pv, key, undefined)
      const number = Number(trimmed)
      return Number.isInteger(number)
        ? withField(pv, key, number)
        : `${key} '${trimmed}' is not a whole number`
    }
    case 'readOnly':
      return withField(pv, 'readOnly', YES.has(trimmed.toLowerCase()) || undefined)
    default:
      // Kept as typed: this runs on every keystroke, and trimming would eat the space before the next word.
      return withField(pv, key, text === '' ? undefined : text)
  }
}

/** A header cell as looked up: any case, no trailing dot ("Prec." and "prec" are the same column). */
const headerKey = (cell: string) => cell.trim().toLowerCase().replace(/\.$/, '')

const BY_TITLE = new Map<string, ColumnKey>(
  COLUMNS.flatMap((c) => [
    [headerKey(c.key), c.key],
    [headerKey(c.title), c.key],
  ]),
)
BY_TITLE.set('value', 'value')
BY_TITLE.set('egu', 'units')
BY_TITLE.set('desc', 'description')
BY_TITLE.set('prec', 'precision')
BY_TITLE.set('rtyp', 'recordType')

export interface PastedRows {
  readonly pvs: PvDefinition[]
  readonly errors: string[]
}

/** Spreadsheet rows to new PVs; `taken` are the names already in use (pasted names are made unique). */
export function pvsFromTsv(text: string, taken: Iterable<string>): PastedRows {
  const rows = parseTsv(text).filter((row) => row.some((cell) => cell.trim() !== ''))
  if (rows.length === 0) return { pvs: [], errors: [] }
  const header = rows[0].map((cell) => BY_TITLE.get(headerKey(cell)))
  const hasHeader = header.every((key) => key !== undefined)
  const keys = hasHeader ? (header as ColumnKey[]) : COLUMNS.map((c) => c.key)
  const names = new Set(taken)
  const pvs: PvDefinition[] = []
  const errors: string[] = []
  rows.slice(hasHeader ? 1 : 0).forEach((row, index) => {
    const rowNumber = index + 1 + (hasHeader ? 1 : 0)
    let pv: PvDefinition = { name: '', type: 'DOUBLE' }
    // Type and length first: the value is read as that type.
    const order = keys.map((key, column) => ({ key, column })).sort((a, b) => rank(a.key) - rank(b.key))
    for (const { key, column } of order) {
      if (column >= row.length) continue
      const next = withCell(pv, key, row[column].trim())
      if (typeof next === 'string') {
        errors.push(`row ${rowNumber}: ${next}`)
        return
      }
      pv = next
    }
    const name = uniquePvName(pv.name, names)
    names.add(name)
    pvs.push({ ...pv, name })
  })
  return { pvs, errors }
}

function rank(key: ColumnKey): number {
  return key === 'type' ? 0 : key === 'maxLength' ? 1 : 2
}

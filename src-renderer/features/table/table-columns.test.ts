import { describe, expect, it } from 'vitest'
import { cellText, pvsFromTsv, withCell } from './table-columns'

describe('PV table cells', () => {
  it('reads and writes cells by column', () => {
    const pv = { name: 'wave', type: 'SHORT' as const, maxLength: 4, value: [1, 2] }
    expect(cellText(pv, 'value')).toBe('1, 2')
    expect(withCell(pv, 'value', '3, 4')).toEqual({ ...pv, value: [3, 4] })
    expect(withCell(pv, 'type', 'long string')).toMatchObject({ type: 'LONG_STRING' })
    expect(withCell(pv, 'type', 'complex')).toMatch(/^type 'complex' is not one of DOUBLE/)
    expect(withCell(pv, 'precision', '2.5')).toBe("precision '2.5' is not a whole number")
    expect(withCell(pv, 'readOnly', 'Yes')).toMatchObject({ readOnly: true })
    expect(withCell({ ...pv, units: 'mm' }, 'units', '')).not.toHaveProperty('units')
  })
})

describe('pvsFromTsv', () => {
  it('reads spreadsheet rows in table column order', () => {
    const { pvs, errors } = pvsFromTsv('temp\tDOUBLE\t21.5\tdegC\t1\tRoom temperature\nmode\tenum\n', ['x'])
    expect(errors).toEqual([])
    expect(pvs).toEqual([
      {
        name: 'temp',
        type: 'DOUBLE',
        value: 21.5,
        units: 'degC',
        precision: 1,
        description: 'Room temperature',
      },
      { name: 'mode', type: 'ENUM' },
    ])
  })

  it('follows a header row, reads values as the row type, and makes names unique', () => {
    const text = 'Type\tName\tValue\tMax length\tPrec.\nSHORT\tpos\t1,2,3\t3\t\nSTRING\tpos\thello\t\t\n'
    const { pvs, errors } = pvsFromTsv(text, ['pos'])
    expect(errors).toEqual([])
    expect(pvs).toEqual([
      { name: 'pos_2', type: 'SHORT', maxLength: 3, value: [1, 2, 3] },
      { name: 'pos_3', type: 'STRING', value: 'hello' },
    ])
    // The table's own copy (its titles as the header row) pastes back as it was.
    const copied = 'Name\tType\tInitial value\tUnits\tPrec.\tDescription\nsp\tDOUBLE\t1.5\tmm\t2\tWhere to go'
    expect(pvsFromTsv(copied, []).pvs).toEqual([
      { name: 'sp', type: 'DOUBLE', value: 1.5, units: 'mm', precision: 2, description: 'Where to go' },
    ])
  })

  it('reports rows that do not make a PV and keeps the others', () => {
    const { pvs, errors } = pvsFromTsv('a\tDOUBLE\t1\nb\tvector\t2\nc\tLONG\tnope\n\t\t\n', [])
    expect(pvs.map((p) => p.name)).toEqual(['a'])
    expect(errors).toEqual([
      "row 2: type 'vector' is not one of DOUBLE, FLOAT, LONG, SHORT, ENUM, STRING, LONG_STRING, CHAR",
      "row 3: 'nope' is not a LONG value",
    ])
  })
})

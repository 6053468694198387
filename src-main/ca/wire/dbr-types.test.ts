import { describe, expect, it } from 'vitest'
import { dbrReference as reference } from '../../../test/fixtures/dbr/references'
import {
  DBR_LAYOUTS,
  DbrFamily,
  DbrType,
  dbrTypeName,
  elementTypeOf,
  familyOf,
  isValidDbrType,
  withElementType,
} from './dbr-types'
import { NativeType } from './snapshot'

// The reference tables are libca's own exported dbr_size / dbr_value_size / dbr_value_offset / dbr_text arrays
// (see test/fixtures/dbr/make_reference.py).
describe('DBR type tables agree with libca', () => {
  it.each(Array.from({ length: 39 }, (_, type) => type))('type %i', (type) => {
    const layout = DBR_LAYOUTS[type]
    expect(dbrTypeName(type)).toBe(reference.names[type])
    expect(layout.name).toBe(reference.names[type])
    expect(layout.valueOffset).toBe(reference.dbrValueOffset[type])
    expect(layout.elementSize).toBe(reference.dbrValueSize[type])
    expect(layout.valueOffset + layout.elementSize).toBe(reference.dbrSize[type])
  })

  it('names every constant after its number', () => {
    for (const [key, type] of Object.entries(DbrType)) expect(reference.names[type]).toBe(`DBR_${key}`)
  })
})

describe('type classification', () => {
  it('accepts exactly 0..38', () => {
    expect([0, 20, 38].every(isValidDbrType)).toBe(true)
    expect([-1, 39, 1.5, NaN, 65535].some(isValidDbrType)).toBe(false)
    expect(dbrTypeName(39)).toBe('DBR_INVALID(39)')
    expect(() => elementTypeOf(39)).toThrow(RangeError)
  })

  it('gives the element type of every family', () => {
    expect(elementTypeOf(DbrType.TIME_DOUBLE)).toBe(NativeType.DOUBLE)
    expect(elementTypeOf(DbrType.CTRL_CHAR)).toBe(NativeType.CHAR)
    expect(elementTypeOf(DbrType.GR_STRING)).toBe(NativeType.STRING)
    expect(elementTypeOf(DbrType.PUT_ACKT)).toBe(NativeType.ENUM)
    expect(elementTypeOf(DbrType.PUT_ACKS)).toBe(NativeType.ENUM)
    expect(elementTypeOf(DbrType.STSACK_STRING)).toBe(NativeType.STRING)
    expect(elementTypeOf(DbrType.CLASS_NAME)).toBe(NativeType.STRING)
  })

  it('gives families and maps a family plus element type back to a DBR type', () => {
    expect(familyOf(DbrType.STS_LONG)).toBe(DbrFamily.STS)
    expect(familyOf(DbrType.CTRL_DOUBLE)).toBe(DbrFamily.CTRL)
    expect(familyOf(DbrType.PUT_ACKS)).toBe(DbrFamily.PUT_ACK)
    expect(familyOf(DbrType.STSACK_STRING)).toBe(DbrFamily.STSACK)
    expect(familyOf(DbrType.CLASS_NAME)).toBe(DbrFamily.CLASS_NAME)
    expect(withElementType(DbrFamily.TIME, NativeType.ENUM)).toBe(DbrType.TIME_ENUM)
    expect(withElementType(DbrFamily.CTRL, NativeType.LONG)).toBe(DbrType.CTRL_LONG)
    expect(() => withElementType(DbrFamily.STSACK, NativeType.STRING)).toThrow(RangeError)
  })

  it('places GR/CTRL metadata where db_access.h declares it', () => {
    const grFloat = DBR_LAYOUTS[DbrType.GR_FLOAT]
    expect([grFloat.precisionOffset, grFloat.unitsOffset, grFloat.limitsOffset, grFloat.limitCount]).toEqual([
      4, 8, 16, 6,
    ])
    const ctrlChar = DBR_LAYOUTS[DbrType.CTRL_CHAR]
    expect([
      ctrlChar.precisionOffset,
      ctrlChar.unitsOffset,
      ctrlChar.limitsOffset,
      ctrlChar.limitCount,
    ]).toEqual([-1, 4, 12, 8])
    expect(DBR_LAYOUTS[DbrType.CTRL_ENUM].enumOffset).toBe(4)
    expect(DBR_LAYOUTS[DbrType.CTRL_STRING].unitsOffset).toBe(-1)
  })
})

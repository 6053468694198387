import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import {
  CONVERSION_REFERENCE_SCRIPT,
  conversionReference as reference,
} from '../../../test/fixtures/dbr/references'
import { SYSTEM_PYTHON, pyepics } from '../../../test/support/system'
import {
  DbrConversionError,
  castNumber,
  enumToString,
  numberToString,
  stringToEnumIndex,
  stringToNumber,
  toFloat32,
} from './convert'
import { NativeType } from './snapshot'

// Reference results come from libCom's own epicsConvertDoubleToFloat and epicsParse* (make_conversion_reference.py).
function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0)
}

const FAIL = 160

function outcome(text: string, to: NativeType): { ok: boolean; value: number | null } {
  try {
    return { ok: true, value: stringToNumber(text, to, FAIL) }
  } catch (error) {
    expect(error).toBeInstanceOf(DbrConversionError)
    expect((error as DbrConversionError).status).toBe(FAIL)
    return { ok: false, value: null }
  }
}

describe('double -> float matches epicsConvertDoubleToFloat', () => {
  it(`on ${reference.doubleToFloat.length} values`, () => {
    const wrong = reference.doubleToFloat.filter((row) => {
      const ours = toFloat32(fromBits(row.bits))
      const expected = fromBits(row.result)
      return !(Object.is(ours, expected) || (Number.isNaN(ours) && Number.isNaN(expected)))
    })
    expect(wrong).toEqual([])
  })
})

describe('string -> number matches epicsParse*', () => {
  const integerTables = [
    ['parse_int16', NativeType.SHORT],
    ['parse_int32', NativeType.LONG],
    ['parse_uint16', NativeType.ENUM],
    ['parse_uint8', NativeType.CHAR],
  ] as const
  it.each(integerTables)('%s', (table, to) => {
    const wrong = reference[table].filter((row) => {
      const ours = outcome(row.text, to)
      return ours.ok !== row.ok || ours.value !== row.value
    })
    expect(wrong).toEqual([])
  })

  it.each([
    ['parse_double', NativeType.DOUBLE],
    ['parse_float', NativeType.FLOAT],
  ] as const)('%s', (table, to) => {
    const wrong = reference[table].filter((row) => {
      const ours = outcome(row.text, to)
      if (ours.ok !== row.ok) return true
      if (!row.ok) return false
      const expected = fromBits(row.value as string)
      return !(Object.is(ours.value, expected) || (Number.isNaN(ours.value) && Number.isNaN(expected)))
    })
    expect(wrong).toEqual([])
  })

  it('reads the empty string as 0, as cvt_st_* do before parsing', () => {
    for (const to of [
      NativeType.SHORT,
      NativeType.FLOAT,
      NativeType.ENUM,
      NativeType.CHAR,
      NativeType.LONG,
      NativeType.DOUBLE,
    ]) {
      expect(stringToNumber('', to, FAIL)).toBe(0)
    }
  })

  it('reports the failure with the status it was given and a readable message', () => {
    expect(() => stringToNumber('abc', NativeType.LONG, 152)).toThrow(/cannot convert "abc" to an integer/)
    try {
      stringToNumber('40000', NativeType.SHORT, 152)
    } catch (error) {
      expect((error as DbrConversionError).status).toBe(152)
      expect((error as Error).message).toMatch(/out of range/)
    }
  })
})

describe('numeric casts', () => {
  it('truncates floating values toward zero and saturates at the target range', () => {
    expect(castNumber(3.9, true, NativeType.LONG)).toBe(3)
    expect(castNumber(-3.9, true, NativeType.SHORT)).toBe(-3)
    expect(castNumber(1e10, true, NativeType.LONG)).toBe(2147483647)
    expect(castNumber(-1e10, true, NativeType.LONG)).toBe(-2147483648)
    expect(castNumber(40000.5, true, NativeType.SHORT)).toBe(32767)
    expect(castNumber(-1, true, NativeType.ENUM)).toBe(0)
    expect(castNumber(300, true, NativeType.CHAR)).toBe(255)
    expect(castNumber(NaN, true, NativeType.LONG)).toBe(0)
    expect(castNumber(Infinity, true, NativeType.SHORT)).toBe(32767)
  })

  it('wraps integers like a C cast', () => {
    expect(castNumber(70000, false, NativeType.SHORT)).toBe(4464)
    expect(castNumber(-1, false, NativeType.ENUM)).toBe(65535)
    expect(castNumber(65535, false, NativeType.SHORT)).toBe(-1)
    expect(castNumber(-2, false, NativeType.CHAR)).toBe(254)
    expect(castNumber(200, false, NativeType.LONG)).toBe(200)
  })

  it('clamps doubles to the float range and keeps tiny values at FLT_MIN', () => {
    expect(castNumber(1e39, true, NativeType.FLOAT)).toBe(3.4028234663852886e38)
    expect(castNumber(-1e-39, true, NativeType.FLOAT)).toBe(-1.1754943508222875e-38)
    expect(castNumber(Infinity, true, NativeType.FLOAT)).toBe(Infinity)
    expect(castNumber(0.1, true, NativeType.FLOAT)).toBe(Math.fround(0.1))
    expect(castNumber(16777217, false, NativeType.FLOAT)).toBe(16777216)
  })

  it('refuses STRING as a numeric target', () => {
    expect(() => castNumber(1, false, NativeType.STRING)).toThrow(RangeError)
  })
})

describe('text conversions', () => {
  it('prints integers, CHAR included, in decimal and floating values with the precision', () => {
    expect(numberToString(65, NativeType.CHAR, 3)).toBe('65')
    expect(numberToString(-7, NativeType.LONG, 3)).toBe('-7')
    expect(numberToString(2.5, NativeType.DOUBLE, 3)).toBe('2.500')
    expect(numberToString(Math.fround(0.1), NativeType.FLOAT, 9)).toBe('1.000000015e-01')
  })

  it('maps enum indices to state strings, out of range to "Illegal Value"', () => {
    expect(enumToString(1, ['Off', 'On'])).toBe('On')
    expect(enumToString(2, ['Off', 'On'])).toBe('Illegal Value')
  })

  it('maps text to an enum index by exact state, then by index below no_str', () => {
    const states = ['Off', 'On', '2']
    expect(stringToEnumIndex('On', states, FAIL)).toBe(1)
    expect(stringToEnumIndex('2', states, FAIL)).toBe(2) // the state named "2", not index 2 by accident
    expect(stringToEnumIndex(' 1', states, FAIL)).toBe(1)
    expect(() => stringToEnumIndex('on', states, FAIL)).toThrow(DbrConversionError)
    expect(() => stringToEnumIndex('3', states, FAIL)).toThrow(/not one of the states/)
    expect(() => stringToEnumIndex('-1', states, FAIL)).toThrow(DbrConversionError)
    expect(stringToEnumIndex('40000', [], FAIL)).toBe(40000) // no states declared: any u16 index
  })
})

describe('the stored conversion reference is current', () => {
  // libCom comes with libca, which python3-pyepics depends on.
  const system = pyepics()
  it.skipIf(!system.available)('make_conversion_reference.py still prints conversion-reference.json', () => {
    const output = execFileSync(SYSTEM_PYTHON, [CONVERSION_REFERENCE_SCRIPT], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(JSON.parse(output)).toEqual(reference)
  })
})

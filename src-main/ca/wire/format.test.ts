import { describe, expect, it } from 'vitest'
import { conversionReference as reference, type FormatRow } from '../../../test/fixtures/dbr/references'
import { formatDouble, formatFloat, printfExponent, printfFixed } from './format'

// Reference strings come from libCom's own cvtDoubleToString / cvtFloatToString (make_conversion_reference.py).
function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0)
}

function mismatches(rows: readonly FormatRow[], format: (value: number, precision: number) => string) {
  return rows
    .map((row) => ({ ...row, value: fromBits(row.bits), ours: format(fromBits(row.bits), row.precision) }))
    .filter((row) => row.ours !== row.text)
}

describe('formatDouble matches cvtDoubleToString', () => {
  it(`on ${reference.formatDouble.length} value/precision pairs`, () => {
    expect(mismatches(reference.formatDouble, formatDouble)).toEqual([])
  })

  it('keeps the IOC quirks', () => {
    expect(formatDouble(1.23456, 2)).toBe('1.23')
    expect(formatDouble(12345678.9876, 6)).toBe('12345678.988') // %f capped at 3 decimals above 1e7
    expect(formatDouble(1e17, 2)).toBe(' 1.00e+17') // %*.*e with width PREC + 7
    expect(formatDouble(0.5, 0)).toBe('1') // the fast path rounds half up
    expect(formatDouble(1.5, 12)).toBe(' 1.500000000000e+00')
    expect(formatDouble(-0, 2)).toBe('0.00')
    expect(formatDouble(NaN, 2)).toBe('nan')
    expect(formatDouble(-Infinity, 2)).toBe('     -inf')
    expect(formatDouble(2.5, -3)).toBe('3') // negative precision counts as 0
  })
})

describe('formatFloat matches cvtFloatToString', () => {
  it(`on ${reference.formatFloat.length} value/precision pairs`, () => {
    expect(mismatches(reference.formatFloat, formatFloat)).toEqual([])
  })

  it('switches to the exponent form at 1e8', () => {
    expect(formatFloat(Math.fround(99999992), 2)).toBe('99999992.00')
    expect(formatFloat(1e8, 2)).toBe('1.00e+08')
  })
})

describe('printf emulation', () => {
  it('rounds exact ties to even, as glibc does', () => {
    expect(printfFixed(0.125, 2)).toBe('0.12')
    expect(printfFixed(0.375, 2)).toBe('0.38')
    expect(printfFixed(2.5, 0)).toBe('2')
    expect(printfFixed(0.1, 20)).toBe('0.10000000000000000555')
    expect(printfExponent(1.25, 1, 0)).toBe('1.2e+00')
    expect(printfExponent(9.96, 1, 0)).toBe('1.0e+01')
    expect(printfExponent(5e-324, 3, 12)).toBe('  4.941e-324')
    expect(printfExponent(0, 0, 0)).toBe('0e+00')
  })
})

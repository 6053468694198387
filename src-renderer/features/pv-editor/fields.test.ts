import { describe, expect, it } from 'vitest'
import { parseNumber } from './fields'

describe('parseNumber', () => {
  it('reads numbers as users type them, empty as unset', () => {
    expect(parseNumber('1.5', false)).toBe(1.5)
    expect(parseNumber(' -3 ', true)).toBe(-3)
    expect(parseNumber('1e3', false)).toBe(1000)
    expect(parseNumber('', false)).toBeUndefined()
  })

  it('refuses what is not (yet) a number', () => {
    expect(parseNumber('-', false)).toBeNull()
    expect(parseNumber('1e', false)).toBeNull()
    expect(parseNumber('2.5', true)).toBeNull()
    expect(parseNumber('abc', false)).toBeNull()
    expect(parseNumber('1e999', false)).toBeNull()
  })
})

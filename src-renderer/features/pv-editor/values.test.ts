import { describe, expect, it } from 'vitest'
import { formatValue, parseValue } from './values'

describe('initial values as text', () => {
  it('parses scalars by type', () => {
    expect(parseValue('2.5', { type: 'DOUBLE' })).toBe(2.5)
    expect(parseValue('abc', { type: 'LONG' })).toBeNull()
    expect(parseValue('hello, world', { type: 'STRING' })).toBe('hello, world')
    expect(parseValue('a long text, with commas', { type: 'LONG_STRING', maxLength: 300 })).toBe(
      'a long text, with commas',
    )
    expect(parseValue('  ', { type: 'DOUBLE' })).toBeUndefined()
  })

  it('parses comma-separated arrays', () => {
    expect(parseValue('1, 2,3', { type: 'SHORT', maxLength: 8 })).toEqual([1, 2, 3])
    expect(parseValue('1,,3', { type: 'SHORT', maxLength: 8 })).toBeNull()
    expect(parseValue('a, b', { type: 'STRING', maxLength: 4 })).toEqual(['a', 'b'])
  })

  it('formats what it parses', () => {
    expect(formatValue([1, 2, 3])).toBe('1, 2, 3')
    expect(formatValue(undefined)).toBe('')
    expect(formatValue(0)).toBe('0')
  })
})

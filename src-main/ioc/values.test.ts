import { describe, expect, it } from 'vitest'
import { fromNative, sameValue, toJsValue, toNativeValue, toPutterValue, ValueError } from './values'
import type { ValueShape } from './values'
import type { PvTypeName } from './spec'

function shape(type: PvTypeName, extra: Partial<ValueShape> = {}): ValueShape {
  return { type, maxLength: 1, longString: false, enumStrings: [], ...extra }
}

describe('toNativeValue', () => {
  it('stores numbers in the native typed array, truncating integers toward zero', () => {
    expect(toNativeValue(shape('DOUBLE'), 1.5)).toEqual(Float64Array.of(1.5))
    expect(toNativeValue(shape('LONG'), -3.9)).toEqual(Int32Array.of(-3))
    expect(toNativeValue(shape('SHORT'), '12')).toEqual(Int16Array.of(12))
    expect(toNativeValue(shape('CHAR'), true)).toEqual(Uint8Array.of(1))
    expect(toNativeValue(shape('FLOAT'), 1e300)).toEqual(Float32Array.of(3.4028234663852886e38))
  })

  it('refuses values a type cannot hold, naming the value', () => {
    expect(() => toNativeValue(shape('SHORT'), 40000)).toThrow(
      'value: 40000 is outside the SHORT range -32768..32767',
    )
    expect(() => toNativeValue(shape('LONG'), Number.NaN)).toThrow('NaN cannot be stored in a LONG')
    expect(() => toNativeValue(shape('DOUBLE'), 'abc')).toThrow('"abc" is not a number')
    expect(() => toNativeValue(shape('DOUBLE'), { a: 1 })).toThrow(ValueError)
  })

  it('keeps NaN and infinities for floating types', () => {
    expect(toNativeValue(shape('DOUBLE'), 'nan')[0]).toBeNaN()
    expect(toNativeValue(shape('DOUBLE'), '-inf')[0]).toBe(-Infinity)
  })

  it('checks STRING length and latin-1', () => {
    expect(toNativeValue(shape('STRING'), 'ok')).toEqual(['ok'])
    expect(toNativeValue(shape('STRING'), 42)).toEqual(['42'])
    expect(() => toNativeValue(shape('STRING'), 'x'.repeat(40))).toThrow(
      'is 40 characters, a STRING holds at most 39',
    )
    expect(() => toNativeValue(shape('STRING'), 'snow ☃')).toThrow('outside latin-1')
  })

  it('maps enum labels and indices, refusing unknown states', () => {
    const states = shape('ENUM', { enumStrings: ['Off', 'On'] })
    expect(toNativeValue(states, 'On')).toEqual(Uint16Array.of(1))
    expect(toNativeValue(states, 0)).toEqual(Uint16Array.of(0))
    expect(toNativeValue(states, '1')).toEqual(Uint16Array.of(1))
    expect(toNativeValue(states, true)).toEqual(Uint16Array.of(1))
    expect(() => toNativeValue(states, 'Auto')).toThrow('"Auto" is not one of the states')
    expect(() => toNativeValue(states, 2)).toThrow('state 2 does not exist (2 states)')
  })

  it('takes arrays up to maxLength with a variable current length', () => {
    const wave = shape('DOUBLE', { maxLength: 4 })
    expect(toNativeValue(wave, [1, 2])).toEqual(Float64Array.of(1, 2))
    expect(toNativeValue(wave, [])).toEqual(new Float64Array(0))
    expect(() => toNativeValue(wave, [1, 2, 3, 4, 5])).toThrow('value: 5 elements, maxLength is 4')
    expect(() => toNativeValue(shape('DOUBLE'), [])).toThrow('empty value')
  })

  it('stores long strings as latin-1 bytes with a NUL when there is room', () => {
    const text = shape('CHAR', { maxLength: 8, longString: true })
    expect(toNativeValue(text, 'abc')).toEqual(Uint8Array.of(97, 98, 99, 0))
    expect(toNativeValue(text, '12345678')).toEqual(Uint8Array.from(Buffer.from('12345678')))
    expect(() => toNativeValue(text, '123456789')).toThrow('9 characters, maxLength is 8')
    expect(() => toNativeValue(text, 5)).toThrow('a long-string PV needs text')
  })

  it('turns text into bytes for plain CHAR arrays', () => {
    expect(toNativeValue(shape('CHAR', { maxLength: 4 }), 'hi')).toEqual(Uint8Array.of(104, 105))
  })
})

describe('fromNative', () => {
  it('accepts native values within bounds and refuses the rest', () => {
    const states = shape('ENUM', { enumStrings: ['A', 'B'] })
    expect(fromNative(states, Uint16Array.of(1))).toEqual(Uint16Array.of(1))
    expect(() => fromNative(states, Uint16Array.of(5))).toThrow('state 5 does not exist')
    expect(() => fromNative(shape('LONG', { maxLength: 2 }), Int32Array.of(1, 2, 3))).toThrow('3 elements')
  })
})

describe('JavaScript views', () => {
  it('gives scalars, frozen arrays, text and enum labels for putters', () => {
    expect(toJsValue(shape('LONG'), Int32Array.of(7))).toBe(7)
    expect(toJsValue(shape('LONG', { maxLength: 3 }), Int32Array.of(1, 2))).toEqual([1, 2])
    expect(
      toJsValue(shape('CHAR', { maxLength: 9, longString: true }), Uint8Array.of(104, 105, 0, 120)),
    ).toBe('hi')
    const states = shape('ENUM', { enumStrings: ['Off', 'On'] })
    expect(toJsValue(states, Uint16Array.of(1))).toBe(1)
    expect(toPutterValue(states, Uint16Array.of(1))).toBe('On')
  })

  it('compares stored values element by element, NaN equal to NaN', () => {
    expect(sameValue(Float64Array.of(1, Number.NaN), Float64Array.of(1, Number.NaN))).toBe(true)
    expect(sameValue(Float64Array.of(1), Float64Array.of(1, 2))).toBe(false)
    expect(sameValue(['a'], ['b'])).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { changesChannel, patchSpec, SpecError, specsEqual, validateSpec } from './spec'
import type { PvSpec } from './spec'

function error(spec: unknown): SpecError {
  try {
    validateSpec(spec as PvSpec)
  } catch (caught) {
    if (caught instanceof SpecError) return caught
    throw caught
  }
  throw new Error('expected a SpecError')
}

describe('validateSpec', () => {
  it('returns a frozen copy with maxLength filled in', () => {
    const spec = validateSpec({ name: 'T:A', type: 'DOUBLE', value: 1, alarmLimits: { high: 5 } })
    expect(spec.maxLength).toBe(1)
    expect(Object.isFrozen(spec)).toBe(true)
    expect(Object.isFrozen(spec.alarmLimits)).toBe(true)
    expect(validateSpec({ name: 'T:S', type: 'CHAR', longString: true }).maxLength).toBe(256)
  })

  it('names the offending field', () => {
    const states = Array.from({ length: 17 }, (_, i) => `s${i}`)
    expect(error({ name: 'T:E', type: 'ENUM', enumStrings: states }).message).toBe(
      'T:E: enumStrings: 17 states, at most 16',
    )
    expect(error({ name: 'T:E', type: 'ENUM', enumStrings: ['x'.repeat(26)] }).field).toBe('enumStrings[0]')
    expect(error({ name: 'T:A', type: 'FLOAT', precision: 2.5 }).field).toBe('precision')
    expect(error({ name: 'T:A', type: 'DOUBLE', controlLimits: { low: 5, high: 1 } }).message).toBe(
      'T:A: controlLimits: low 5 is above high 1',
    )
    expect(error({ name: 'T:A', type: 'DOUBLE', alarmLimits: { hihiSeverity: 4 } }).field).toBe(
      'alarmLimits.hihiSeverity',
    )
    expect(error({ name: 'T:A', type: 'DOUBLE', units: 'furlongs' }).message).toContain(
      'CA carries at most 7',
    )
    expect(error({ name: 'T:A', type: 'DOUBLE', value: 'x' }).message).toBe('T:A: value: "x" is not a number')
    expect(error({ name: 'T:S', type: 'STRING', value: 'y'.repeat(45) }).field).toBe('value')
  })

  it('refuses fields that do not fit the type', () => {
    expect(error({ name: 'T:S', type: 'STRING', units: 'mm' }).field).toBe('units')
    expect(error({ name: 'T:S', type: 'STRING', alarmLimits: { high: 1 } }).field).toBe('alarmLimits')
    expect(error({ name: 'T:L', type: 'LONG', enumStrings: ['a'] }).field).toBe('enumStrings')
    expect(error({ name: 'T:L', type: 'LONG', longString: true }).field).toBe('longString')
    expect(error({ name: 'T:E', type: 'ENUM', maxLength: 3 }).field).toBe('maxLength')
    expect(error({ name: 'T:A', type: 'DOUBLE', maxLength: 0 }).field).toBe('maxLength')
  })

  it('refuses bad names and unknown fields with a hint', () => {
    expect(error({ type: 'LONG' }).field).toBe('name')
    expect(error({ name: 'has space', type: 'LONG' }).field).toBe('name')
    expect(error({ name: 'LONG$', type: 'LONG' }).field).toBe('name')
    expect(error({ name: 'T:A', type: 'INT' }).message).toContain('not one of STRING, SHORT')
    expect(error({ name: 'T:A', type: 'DOUBLE', unit: 'mm' }).message).toBe(
      "T:A: unit: unknown field (did you mean 'units'?)",
    )
    expect(error({ name: 'T:A', type: 'DOUBLE', alarmLimits: { hi: 1 } }).field).toBe('alarmLimits.hi')
  })
})

describe('patchSpec', () => {
  const base = validateSpec({
    name: 'T:A',
    type: 'DOUBLE',
    units: 'mm',
    controlLimits: { low: 0, high: 10 },
    alarmLimits: { high: 8, hihi: 9 },
  })

  it('merges limit objects key by key and removes keys given as undefined', () => {
    const patched = patchSpec(base, { controlLimits: { high: 20 }, alarmLimits: { hihi: undefined } })
    expect(patched.controlLimits).toEqual({ low: 0, high: 20 })
    expect(patched.alarmLimits).toEqual({ high: 8 })
    expect(patched.units).toBe('mm')
  })

  it('takes new enum strings that do not contain the initial value (it was used when the PV was made)', () => {
    const mode = validateSpec({ name: 'T:M', type: 'ENUM', enumStrings: ['a', 'b'], value: 'a' })
    expect(patchSpec(mode, { enumStrings: ['off', 'on'] })).toMatchObject({
      enumStrings: ['off', 'on'],
      value: 'a',
    })
    expect(() => patchSpec(mode, { enumStrings: ['x'.repeat(26)] })).toThrow('enumStrings[0]')
  })

  it('refuses changes that need a redefinition and validates the result', () => {
    expect(() => patchSpec(base, { type: 'LONG' } as never)).toThrow('type: cannot change at run time')
    expect(() => patchSpec(base, { precision: -1 })).toThrow(SpecError)
  })
})

describe('spec comparison', () => {
  it('sees equal specs as equal and spots channel-level changes', () => {
    const a = validateSpec({ name: 'T:W', type: 'DOUBLE', maxLength: 4, value: [1, 2] })
    expect(specsEqual(a, validateSpec({ name: 'T:W', type: 'DOUBLE', maxLength: 4, value: [1, 2] }))).toBe(
      true,
    )
    expect(specsEqual(a, validateSpec({ ...a, units: 'V' }))).toBe(false)
    expect(changesChannel(a, validateSpec({ ...a, units: 'V' }))).toBe(false)
    expect(changesChannel(a, validateSpec({ ...a, maxLength: 8 }))).toBe(true)
    expect(changesChannel(a, validateSpec({ ...a, type: 'FLOAT' }))).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { passesDeadband } from './deadband'

describe('passesDeadband', () => {
  it('posts any change with deadband 0 and nothing for an equal value', () => {
    expect(passesDeadband(0, 1, 1)).toBe(false)
    expect(passesDeadband(0, 1, 1.0000001)).toBe(true)
  })

  it('posts only moves larger than a positive deadband', () => {
    expect(passesDeadband(0.5, 10, 10.5)).toBe(false)
    expect(passesDeadband(0.5, 10, 10.51)).toBe(true)
    expect(passesDeadband(0.5, 10, 9.4)).toBe(true)
  })

  it('posts every write with a negative deadband', () => {
    expect(passesDeadband(-1, 3, 3)).toBe(true)
  })

  it('counts transitions to and from NaN and infinities, not NaN to NaN', () => {
    expect(passesDeadband(100, 1, Number.NaN)).toBe(true)
    expect(passesDeadband(100, Number.NaN, 1)).toBe(true)
    expect(passesDeadband(100, Number.NaN, Number.NaN)).toBe(false)
    expect(passesDeadband(100, 1, Infinity)).toBe(true)
    expect(passesDeadband(100, Infinity, Infinity)).toBe(false)
    expect(passesDeadband(100, Infinity, -Infinity)).toBe(true)
  })
})

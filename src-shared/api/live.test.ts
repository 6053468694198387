import { describe, expect, it } from 'vitest'
import { ApiError } from './errors'
import { ALARM_SEVERITY_NAMES, ALARM_STATUS_NAMES, liveNumber } from './live'
import { parseRequest } from './validate'

function refused(name: string, args: unknown[]): string {
  try {
    parseRequest(name, args)
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('bad-arguments')
    return (error as ApiError).message
  }
  throw new Error('expected a refusal')
}

describe('live requests', () => {
  it('accept what the live views send', () => {
    expect(parseRequest('getLiveSnapshot', []).args).toEqual([])
    expect(parseRequest('getPutLog', []).args).toEqual([])
    expect(parseRequest('writePv', ['sim:x', '1.5']).args).toEqual(['sim:x', '1.5'])
    expect(parseRequest('writePv', ['sim:x', 2]).args).toEqual(['sim:x', 2])
    expect(parseRequest('writePv', ['sim:x', true]).args).toEqual(['sim:x', true])
    expect(parseRequest('writePv', ['sim:wave', [1, '2', 3]]).args).toEqual(['sim:wave', [1, '2', 3]])
    expect(parseRequest('disconnectClient', [7]).args).toEqual([7])
  })

  it('refuse bad arguments, naming them', () => {
    expect(refused('writePv', ['', 1])).toMatch(/writePv: argument 'pv' must be a PV name/)
    expect(refused('writePv', [42, 1])).toMatch(/argument 'pv'/)
    expect(refused('writePv', ['x', null])).toMatch(
      /argument 'value' must be text, a number, a boolean or a list/,
    )
    expect(refused('writePv', ['x', { a: 1 }])).toMatch(/argument 'value'/)
    expect(refused('writePv', ['x', [1, { a: 1 }]])).toMatch(/must list numbers or short texts/)
    expect(refused('writePv', ['x', new Array(100_001).fill(0)])).toMatch(/100001 elements, at most 100000/)
    expect(refused('disconnectClient', [0])).toMatch(/argument 'circuitId' must be a circuit id/)
    expect(refused('disconnectClient', ['3'])).toMatch(/circuit id/)
    expect(refused('disconnectClient', [1.5])).toMatch(/circuit id/)
  })
})

describe('live vocabulary', () => {
  it('names every alarm severity and status EPICS defines', () => {
    expect(ALARM_SEVERITY_NAMES).toEqual(['NO_ALARM', 'MINOR', 'MAJOR', 'INVALID'])
    expect(ALARM_STATUS_NAMES).toHaveLength(22)
    expect(ALARM_STATUS_NAMES[3]).toBe('HIHI')
    expect(ALARM_STATUS_NAMES[17]).toBe('UDF')
  })

  it('turns the texts JSON carries for non-finite numbers back into numbers', () => {
    expect(liveNumber(1.5)).toBe(1.5)
    expect(liveNumber('Infinity')).toBe(Infinity)
    expect(liveNumber('-Infinity')).toBe(-Infinity)
    expect(liveNumber('NaN')).toBeNaN()
    expect(liveNumber('On')).toBeNaN()
  })
})

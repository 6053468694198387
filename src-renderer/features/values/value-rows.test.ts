import { describe, expect, it } from 'vitest'
import type { LivePvInfo, LiveValue } from '@shared/api/live'
import { ValuesModel } from '../../state/live/values-model'
import { visiblePvs } from './value-rows'

const info = (name: string, overrides: Partial<LivePvInfo> = {}): LivePvInfo => ({
  name,
  type: 'DOUBLE',
  maxLength: 1,
  longString: false,
  units: '',
  precision: 0,
  enumStrings: [],
  description: '',
  writable: true,
  displayLow: null,
  displayHigh: null,
  ...overrides,
})
const value = (pv: string, v: LiveValue['value'], severity = 0, time = 1): LiveValue => ({
  pv,
  value: v,
  length: 1,
  status: 0,
  severity,
  time,
  changes: 0,
})

function model(): ValuesModel {
  const m = new ValuesModel()
  m.reset(
    [info('sim:b', { units: 'mm' }), info('sim:a'), info('other:c'), info('sim:nan')],
    [
      value('sim:b', 5, 2, 30),
      value('sim:a', 10, 0, 20),
      value('other:c', -1, 1, 10),
      value('sim:nan', 'NaN'),
    ],
    0,
  )
  return m
}

describe('visiblePvs', () => {
  it('filters by pattern and sorts by name', () => {
    expect(visiblePvs(model(), 'sim:*', { column: 'name', descending: false })).toEqual([
      'sim:a',
      'sim:b',
      'sim:nan',
    ])
    expect(visiblePvs(model(), '', { column: 'name', descending: true })).toEqual([
      'sim:nan',
      'sim:b',
      'sim:a',
      'other:c',
    ])
  })

  it('sorts numbers as numbers, and by severity and time', () => {
    const m = model()
    expect(visiblePvs(m, '', { column: 'value', descending: false })).toEqual([
      'other:c',
      'sim:b',
      'sim:a',
      'sim:nan',
    ])
    expect(visiblePvs(m, '', { column: 'severity', descending: true })).toEqual([
      'sim:b',
      'other:c',
      'sim:a',
      'sim:nan',
    ])
    expect(visiblePvs(m, 'sim', { column: 'time', descending: true })[0]).toBe('sim:b')
    expect(visiblePvs(m, '', { column: 'units', descending: true })[0]).toBe('sim:b')
  })
})

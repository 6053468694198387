import { describe, expect, it } from 'vitest'
import type { LivePvInfo, LiveValue } from '@shared/api/live'
import {
  describeClient,
  editableText,
  formatAge,
  formatBytes,
  formatNumber,
  formatValue,
  parseTypedValue,
  severityName,
  statusName,
} from './format'

const info = (overrides: Partial<LivePvInfo>): LivePvInfo => ({
  name: 'x',
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
const value = (v: LiveValue['value'], length = 1): LiveValue => ({
  pv: 'x',
  value: v,
  length,
  status: 0,
  severity: 0,
  time: 1,
  changes: 1,
})

describe('format', () => {
  it('shows numbers with the PV precision, and unrounded without one', () => {
    expect(formatValue(info({ precision: 3 }), value(2.5))).toBe('2.500')
    expect(formatValue(info({}), value(2.5))).toBe('2.5')
    expect(formatValue(info({}), value(0.1 + 0.2))).toBe('0.3')
    expect(formatValue(info({}), value('NaN'))).toBe('NaN')
    expect(formatValue(info({ precision: 2 }), value('-Infinity'))).toBe('-Infinity')
    expect(formatNumber(7, 0)).toBe('7')
  })

  it('shows enum labels, strings, long strings and short arrays', () => {
    expect(formatValue(info({ type: 'ENUM', enumStrings: ['Off', 'On'] }), value(1))).toBe('On')
    expect(formatValue(info({ type: 'ENUM', enumStrings: ['Off'] }), value(4))).toBe('4')
    expect(formatValue(info({ type: 'STRING' }), value('hello'))).toBe('hello')
    expect(formatValue(info({ type: 'CHAR', longString: true, maxLength: 256 }), value('long text'))).toBe(
      'long text',
    )
    expect(formatValue(info({ maxLength: 100, precision: 1 }), value([1, 2, 3, 4, 5, 6, 7], 100))).toBe(
      '[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, … 100 items]',
    )
    expect(formatValue(info({ type: 'LONG', maxLength: 3 }), value([1, 2], 2))).toBe('[1, 2]')
  })

  it('turns typed text into what the backend writes', () => {
    expect(parseTypedValue(info({}), ' 1.5 ')).toBe(' 1.5 ')
    expect(parseTypedValue(info({ maxLength: 4 }), '[1, 2  3]')).toEqual(['1', '2', '3'])
    expect(parseTypedValue(info({ maxLength: 4 }), '')).toEqual([])
    expect(parseTypedValue(info({ type: 'STRING', maxLength: 3 }), 'a b, "c"')).toEqual(['a b', 'c'])
    expect(parseTypedValue(info({ type: 'CHAR', maxLength: 40 }), 'text')).toBe('text')
    expect(editableText(info({ maxLength: 4 }), value([1, 2], 2))).toBe('1, 2')
    expect(editableText(info({ type: 'ENUM', enumStrings: ['Off', 'On'] }), value(0))).toBe('Off')
  })

  it('names alarms, sizes, ages and clients', () => {
    expect(severityName(2)).toBe('MAJOR')
    expect(statusName(3)).toBe('HIHI')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1234)).toBe('1.2 kB')
    expect(formatBytes(12_345_678)).toBe('12 MB')
    expect(formatAge(0, 42_000)).toBe('42 s')
    expect(formatAge(0, 3 * 3600_000 + 12 * 60_000)).toBe('3 h 12 min')
    const ref = { key: 'c3', circuitId: 3, address: '127.0.0.1', port: 5000, host: 'ws1', user: 'alice' }
    expect(describeClient(ref, 'c3')).toBe('alice@ws1 (127.0.0.1:5000)')
    expect(describeClient({ ...ref, key: 'studio', circuitId: -1 }, 'studio')).toBe('IOC Studio (alice@ws1)')
    expect(describeClient({ ...ref, key: 'udp:127.0.0.1:5000', circuitId: 0 }, 'udp:127.0.0.1:5000')).toBe(
      '127.0.0.1:5000 (UDP)',
    )
    expect(describeClient(undefined, null)).toBe('hook / IOC')
  })
})

import { describe, expect, it } from 'vitest'
import type { LogEntry } from '@shared/api/contract'
import { LogRing } from './log-ring'

const entry = (n: number): LogEntry => ({ seq: n, time: n, level: 'info', source: 'test', message: `#${n}` })

describe('LogRing', () => {
  it('returns the newest entries, oldest first', () => {
    const ring = new LogRing(4)
    for (let i = 1; i <= 3; i++) ring.push(entry(i))
    expect(ring.recent(10).map((e) => e.time)).toEqual([1, 2, 3])
    expect(ring.recent(2).map((e) => e.time)).toEqual([2, 3])
  })

  it('overwrites the oldest once full', () => {
    const ring = new LogRing(3)
    for (let i = 1; i <= 7; i++) ring.push(entry(i))
    expect(ring.size).toBe(3)
    expect(ring.recent(3).map((e) => e.time)).toEqual([5, 6, 7])
    expect(ring.recent(0)).toEqual([])
  })

  it('refuses a useless capacity', () => {
    expect(() => new LogRing(0)).toThrow(RangeError)
  })
})

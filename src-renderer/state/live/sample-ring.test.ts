import { describe, expect, it } from 'vitest'
import { RateHistory } from './rate-history'
import { SampleRing } from './sample-ring'

describe('SampleRing', () => {
  it('keeps the newest samples in order and finds a time by bisection', () => {
    const ring = new SampleRing(4)
    for (let i = 1; i <= 6; i++) ring.push(i, i * 10)
    expect(ring.size).toBe(4)
    expect([0, 1, 2, 3].map((i) => [ring.timeAt(i), ring.valueAt(i)])).toEqual([
      [3, 30],
      [4, 40],
      [5, 50],
      [6, 60],
    ])
    expect(ring.firstIndexFrom(0)).toBe(0)
    expect(ring.firstIndexFrom(4.5)).toBe(2)
    expect(ring.firstIndexFrom(7)).toBe(4)
  })

  it('grows without losing what it holds', () => {
    const ring = new SampleRing(3)
    for (let i = 1; i <= 5; i++) ring.push(i, -i)
    ring.grow(6)
    ring.push(6, -6)
    ring.push(7, -7)
    expect(ring.capacity).toBe(6)
    expect(Array.from({ length: ring.size }, (_, i) => ring.timeAt(i))).toEqual([3, 4, 5, 6, 7])
    ring.grow(2)
    expect(ring.capacity).toBe(6)
  })
})

describe('RateHistory', () => {
  it('sums counts per second and reports complete seconds only', () => {
    const rates = new RateHistory(10)
    rates.add(100_000, 5)
    rates.add(100_900, 5)
    rates.add(101_100, 7)
    rates.add(102_500, 1)
    const [times, counts] = rates.series(102_600, 3)
    expect(times).toEqual([99, 100, 101])
    expect(counts).toEqual([0, 10, 7])
    expect(rates.lastSecond(102_600)).toBe(7)
  })

  it('forgets seconds that scrolled out, and a long pause clears everything', () => {
    const rates = new RateHistory(5)
    rates.add(10_000, 3)
    rates.add(12_000, 4)
    expect(rates.series(14_000, 4)[1]).toEqual([3, 0, 4, 0])
    expect(rates.series(100_000, 4)[1]).toEqual([0, 0, 0, 0])
    rates.add(99_000, 2)
    expect(rates.lastSecond(100_000)).toBe(2)
    rates.add(10_000, 9)
    expect(rates.series(100_000, 4)[1]).toEqual([0, 0, 0, 2])
  })
})

import { describe, expect, it } from 'vitest'
import { Reservoir } from './reservoir'

/** A seeded generator (mulberry32), so the statistics below are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('Reservoir', () => {
  it('keeps everything until it is full, in order', () => {
    const reservoir = new Reservoir<number>(5)
    for (let i = 0; i < 3; i++) reservoir.offer(i)
    const out: number[] = []
    reservoir.take(10, out)
    expect(out).toEqual([0, 1, 2])
    expect(reservoir.seen).toBe(3)
  })

  it('holds at most its capacity however much is offered, and counts what was offered', () => {
    const reservoir = new Reservoir<number>(100, seeded(1))
    for (let i = 0; i < 100_000; i++) reservoir.offer(i)
    expect(reservoir.size).toBe(100)
    expect(reservoir.seen).toBe(100_000)
    const out: number[] = []
    reservoir.take(100, out)
    expect(new Set(out).size).toBe(100)
    expect(Math.max(...out)).toBeGreaterThan(90_000)
  })

  it('keeps every item with the same probability (early and late alike)', () => {
    const random = seeded(7)
    const hits = new Array<number>(10).fill(0)
    const trials = 20_000
    for (let t = 0; t < trials; t++) {
      const reservoir = new Reservoir<number>(3, random)
      for (let i = 0; i < 10; i++) reservoir.offer(i)
      const out: number[] = []
      reservoir.take(3, out)
      for (const item of out) hits[item]++
    }
    // Each of 10 items is kept with probability 3/10.
    for (const count of hits) expect(count / trials).toBeCloseTo(0.3, 1)
  })

  it('take(k) draws a uniform subset of what it kept', () => {
    const random = seeded(3)
    const hits = new Array<number>(8).fill(0)
    const trials = 20_000
    for (let t = 0; t < trials; t++) {
      const reservoir = new Reservoir<number>(8, random)
      for (let i = 0; i < 8; i++) reservoir.offer(i)
      const out: number[] = []
      reservoir.take(2, out)
      expect(new Set(out).size).toBe(2)
      for (const item of out) hits[item]++
    }
    for (const count of hits) expect(count / trials).toBeCloseTo(0.25, 1)
  })

  it('starts over after reset', () => {
    const reservoir = new Reservoir<string>(2)
    reservoir.offer('a')
    reservoir.offer('b')
    reservoir.offer('c')
    reservoir.reset()
    expect(reservoir.seen).toBe(0)
    expect(reservoir.size).toBe(0)
    reservoir.offer('d')
    const out: string[] = []
    reservoir.take(5, out)
    expect(out).toEqual(['d'])
  })

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Reservoir(0)).toThrow(/not a positive integer/)
    expect(() => new Reservoir(1.5)).toThrow(/not a positive integer/)
  })
})

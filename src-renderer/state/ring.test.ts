import { describe, expect, it } from 'vitest'
import { Ring } from './ring'

const contents = <T>(ring: Ring<T>) => Array.from({ length: ring.size }, (_, i) => ring.at(i))

describe('Ring', () => {
  it('keeps items oldest first until full', () => {
    const ring = new Ring<number>(3)
    ring.push(1)
    ring.push(2)
    expect(contents(ring)).toEqual([1, 2])
    expect(ring.at(2)).toBeUndefined()
    expect(ring.at(-1)).toBeUndefined()
  })

  it('drops the oldest when full', () => {
    const ring = new Ring<number>(3)
    for (let i = 1; i <= 8; i++) ring.push(i)
    expect(ring.size).toBe(3)
    expect(contents(ring)).toEqual([6, 7, 8])
  })

  it('starts over after clear', () => {
    const ring = new Ring<string>(2)
    ring.push('a')
    ring.push('b')
    ring.push('c')
    ring.clear()
    expect(ring.size).toBe(0)
    ring.push('d')
    expect(contents(ring)).toEqual(['d'])
  })
})

import { describe, expect, it } from 'vitest'
import { CappedMap } from './capped-map'
import { Ring } from './ring'

describe('Ring', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new Ring<number>(3)
    expect(ring.since()).toEqual([])
    for (let i = 1; i <= 5; i++) ring.push(i * 10)
    expect(ring.size).toBe(3)
    expect(ring.lastSequence).toBe(5)
    expect(ring.since()).toEqual([30, 40, 50])
  })

  it('returns what arrived after a sequence number, as far as it still holds', () => {
    const ring = new Ring<string>(4)
    for (const item of ['a', 'b', 'c', 'd', 'e', 'f']) ring.push(item)
    expect(ring.since(4)).toEqual(['e', 'f'])
    expect(ring.since(6)).toEqual([])
    expect(ring.since(1)).toEqual(['c', 'd', 'e', 'f'])
    ring.clear()
    expect(ring.since()).toEqual([])
    expect(() => new Ring(0)).toThrow(RangeError)
  })
})

describe('CappedMap', () => {
  it('forgets the least recently touched evictable entry when full', () => {
    const map = new CappedMap<string, { pinned: boolean }>(2, (value) => !value.pinned)
    map.touch('a', () => ({ pinned: false }))
    map.touch('b', () => ({ pinned: false }))
    map.touch('a', () => ({ pinned: false }))
    map.touch('c', () => ({ pinned: false }))
    expect(map.get('b')).toBeUndefined()
    expect(map.get('a')).toBeDefined()
    map.touch('a', () => ({ pinned: true })).pinned = true
    map.touch('d', () => ({ pinned: false }))
    expect(map.get('a')).toBeDefined()
    expect(map.get('c')).toBeUndefined()
    expect(map.size).toBe(2)
  })
})

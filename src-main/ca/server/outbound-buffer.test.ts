import { describe, expect, it } from 'vitest'
import { OutboundBuffer } from './outbound-buffer'

function put(out: OutboundBuffer, bytes: number[]): void {
  out.reserve(bytes.length)
  for (const byte of bytes) out.buffer[out.position++] = byte
}

const filled = (length: number, byte: number): number[] => Array.from({ length }, () => byte)

describe('OutboundBuffer', () => {
  it('hands over what was written, in order, and never rewrites a region it handed over', () => {
    const out = new OutboundBuffer(128)
    put(out, [1, 2, 3])
    put(out, [4])
    expect(out.length).toBe(4)
    const first = out.take()!
    expect(out.length).toBe(0)
    put(out, [5, 6])
    const second = out.take()!
    expect([[...first], [...second]]).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ])
    // the same slab is reused after the region already taken
    expect(second.buffer).toBe(first.buffer)
  })

  it('hands over a batch larger than its slab as one contiguous Buffer', () => {
    const out = new OutboundBuffer(64)
    for (let i = 0; i < 10; i++) put(out, filled(20, i))
    put(out, filled(300, 99))
    expect(out.length).toBe(500)
    const all = out.take()!
    expect(all.length).toBe(500)
    expect([all[0], all[19], all[20], all[199], all[200], all[499]]).toEqual([0, 0, 1, 9, 99, 99])
    expect(out.take()).toBeUndefined()
  })

  it('leaves a region already taken intact when the batch after it moves to a bigger slab', () => {
    const out = new OutboundBuffer(64)
    put(out, filled(40, 7))
    const taken = out.take()!
    put(out, filled(20, 8))
    put(out, filled(100, 9))
    expect([...taken]).toEqual(filled(40, 7))
    expect([...out.take()!]).toEqual([...filled(20, 8), ...filled(100, 9)])
  })

  it('clear drops what was not taken', () => {
    const out = new OutboundBuffer(64)
    put(out, filled(100, 1))
    out.clear()
    expect(out.length).toBe(0)
    expect(out.take()).toBeUndefined()
  })
})

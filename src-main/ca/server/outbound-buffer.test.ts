import { describe, expect, it } from 'vitest'
import { OutboundBuffer } from './outbound-buffer'

function put(out: OutboundBuffer, bytes: number[]): void {
  out.reserve(bytes.length)
  for (const byte of bytes) out.buffer[out.position++] = byte
}

describe('OutboundBuffer', () => {
  it('hands over what was written, in order, and never rewrites a region it handed over', () => {
    const out = new OutboundBuffer(128)
    const taken: Buffer[] = []
    put(out, [1, 2, 3])
    put(out, [4])
    expect(out.length).toBe(4)
    out.take((chunk) => taken.push(chunk))
    expect(out.length).toBe(0)
    put(out, [5, 6])
    out.take((chunk) => taken.push(chunk))
    expect(taken.map((c) => [...c])).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ])
    // the same slab is reused after the region already taken
    expect(taken[1].buffer).toBe(taken[0].buffer)
  })

  it('spills into fresh slabs and keeps large messages whole', () => {
    const out = new OutboundBuffer(64)
    const taken: Buffer[] = []
    for (let i = 0; i < 10; i++)
      put(
        out,
        Array.from({ length: 20 }, () => i),
      )
    put(
      out,
      Array.from({ length: 300 }, () => 99),
    )
    expect(out.length).toBe(500)
    out.take((chunk) => taken.push(Buffer.from(chunk)))
    const all = Buffer.concat(taken)
    expect(all.length).toBe(500)
    expect(all[0]).toBe(0)
    expect(all[199]).toBe(9)
    expect(all[499]).toBe(99)
    expect(taken.every((c) => c.length > 0)).toBe(true)
  })

  it('clear drops what was not taken', () => {
    const out = new OutboundBuffer(64)
    put(
      out,
      Array.from({ length: 100 }, () => 1),
    )
    out.clear()
    expect(out.length).toBe(0)
    const taken: Buffer[] = []
    out.take((chunk) => taken.push(chunk))
    expect(taken).toEqual([])
  })
})

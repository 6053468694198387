import { describe, expect, it } from 'vitest'
import { OutboundBuffer } from './outbound-buffer'

function put(out: OutboundBuffer, bytes: number[]): void {
  out.reserve(bytes.length)
  for (const byte of bytes) out.buffer[out.position++] = byte
}

function take(out: OutboundBuffer): Buffer[] {
  const taken: Buffer[] = []
  out.take((chunk) => taken.push(chunk))
  return taken
}

const filled = (length: number, byte: number): number[] => Array.from({ length }, () => byte)

/** Whether `chunk` is a view into `slab` (small Buffers share Node's pool, so compare ranges). */
const inside = (chunk: Buffer, slab: Buffer): boolean =>
  chunk.buffer === slab.buffer &&
  chunk.byteOffset >= slab.byteOffset &&
  chunk.byteOffset + chunk.length <= slab.byteOffset + slab.length

describe('OutboundBuffer', () => {
  it('hands over what was written, in order, and never rewrites a region it handed over', () => {
    const out = new OutboundBuffer(128)
    put(out, [1, 2, 3])
    put(out, [4])
    expect([out.length, out.regions]).toEqual([4, 1])
    const [first] = take(out)
    expect([out.length, out.regions]).toEqual([0, 0])
    put(out, [5, 6])
    const [second] = take(out)
    expect([[...first], [...second]]).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ])
    // the same slab is reused after the region already taken
    expect(second.buffer).toBe(first.buffer)
    expect(second.byteOffset).toBe(first.byteOffset + first.length)
  })

  it('continues a batch that outgrows its slab in slabs twice the size, without copying', () => {
    const out = new OutboundBuffer(64)
    for (let i = 0; i < 10; i++) put(out, filled(20, i))
    put(out, filled(300, 99))
    expect(out.length).toBe(500)
    // 60 bytes in the first slab, 120 in one of 128, 20 in one of 256, the 300-byte message in one of 512
    expect(out.regions).toBe(4)
    const regions = take(out)
    expect(regions.map((r) => r.length)).toEqual([60, 120, 20, 300])
    const all = Buffer.concat(regions)
    expect([all[0], all[19], all[20], all[199], all[200], all[499]]).toEqual([0, 0, 1, 9, 99, 99])
    expect(take(out)).toEqual([])
  })

  it('starts the batch after a big one in a fresh slab with room for two such batches', () => {
    const out = new OutboundBuffer(64)
    put(out, filled(500, 1))
    const [first] = take(out)
    const slab = out.buffer
    expect(inside(first, slab)).toBe(false)
    expect(slab.length).toBe(1000)
    const batches = [2, 3, 4].map((byte) => {
      put(out, filled(500, byte))
      return take(out)
    })
    expect(batches.map((regions) => regions.length)).toEqual([1, 1, 1])
    expect(batches.map(([region]) => inside(region, slab))).toEqual([true, true, false])
    expect(batches.map(([region]) => [region[0], region[499]])).toEqual([
      [2, 2],
      [3, 3],
      [4, 4],
    ])
  })

  it('lets a slab that grew for a burst go once batches are small again', () => {
    const out = new OutboundBuffer(64)
    put(out, filled(1000, 1))
    take(out)
    expect(out.buffer.length).toBe(2000)
    put(out, filled(10, 2))
    take(out)
    expect(out.buffer.length).toBe(64)
  })

  it('clear drops what was not taken', () => {
    const out = new OutboundBuffer(64)
    put(out, filled(100, 1))
    out.clear()
    expect(out.length).toBe(0)
    expect(take(out)).toEqual([])
  })
})

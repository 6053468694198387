import { describe, expect, it } from 'vitest'
import type { MessageHeader } from '../wire/header'
import {
  encodeMessage,
  writeCreateChanRequest,
  writeEcho,
  writeEventAddRequest,
  writeReadNotifyRequest,
  writeVersion,
  writeWriteRequest,
} from '../wire/messages'
import { FramingError, MessageFramer } from './message-framer'

interface Seen {
  command: number
  payload: string
  count: number
  oversized?: boolean
}

function collector(maxPayload = 1 << 20): { framer: MessageFramer; seen: Seen[] } {
  const seen: Seen[] = []
  const framer = new MessageFramer(
    {
      onMessage(header: MessageHeader, source: Buffer, _start: number, payloadStart: number) {
        seen.push({
          command: header.command,
          count: header.count,
          payload: source.toString('hex', payloadStart, payloadStart + header.payloadSize),
        })
      },
      onOversized(header: MessageHeader) {
        seen.push({ command: header.command, count: header.count, payload: '', oversized: true })
      },
    },
    maxPayload,
  )
  return { framer, seen }
}

const big = Buffer.alloc(70_000 * 8)
for (let i = 0; i < big.length; i++) big[i] = i & 0xff

const stream = Buffer.concat([
  encodeMessage(writeVersion, 1, 13),
  encodeMessage(writeCreateChanRequest, 'some:pv:name', 1),
  encodeMessage(writeReadNotifyRequest, 20, 1, 7, 8),
  encodeMessage(writeEventAddRequest, 14, 0, 7, 9, 5),
  encodeMessage(writeWriteRequest, true, 6, 70_000, 7, 10, big),
  encodeMessage(writeEcho),
  encodeMessage(writeWriteRequest, false, 0, 1, 7, 11, Buffer.from('abc\0')),
])

function expected(): Seen[] {
  const { framer, seen } = collector()
  framer.push(stream)
  return seen
}

describe('MessageFramer', () => {
  it('delivers every message of a coalesced stream, extended headers included', () => {
    const seen = expected()
    expect(seen.map((s) => s.command)).toEqual([0, 18, 15, 1, 19, 23, 4])
    expect(seen[4].count).toBe(70_000)
    expect(seen[4].payload).toBe(big.toString('hex'))
    expect(seen[1].payload).toBe(Buffer.from('some:pv:name\0\0\0\0').toString('hex'))
  })

  it('gives the same messages for any single split point', () => {
    const reference = expected()
    const points = [1, 8, 15, 16, 17, 23, 24, 25, 31, 40, 47, 48, 63, 64, 79, 80, 90, 100, 104, 105, 111]
    for (let p = stream.length - 60; p < stream.length; p++) points.push(p)
    for (const point of points) {
      const { framer, seen } = collector()
      framer.push(stream.subarray(0, point))
      framer.push(stream.subarray(point))
      expect(seen, `split at ${point}`).toEqual(reference)
      expect(framer.bufferedBytes).toBe(0)
    }
  })

  it('survives one byte at a time and random fragment sizes', () => {
    const reference = expected()
    const single = collector()
    for (let i = 0; i < stream.length; i += 1) single.framer.push(stream.subarray(i, i + 1))
    expect(single.seen).toEqual(reference)

    let seed = 12345
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff)
    for (let round = 0; round < 20; round++) {
      const { framer, seen } = collector()
      for (let at = 0; at < stream.length;) {
        const size = 1 + (random() % 3000)
        framer.push(stream.subarray(at, at + size))
        at += size
      }
      expect(seen).toEqual(reference)
    }
  })

  it('skips an oversized payload exactly, across chunks, and carries on', () => {
    const reference = expected().map((s) => (s.command === 19 ? { ...s, payload: '', oversized: true } : s))
    for (const split of [stream.length - 700_000, 100, 130, 150]) {
      const { framer, seen } = collector(16384)
      framer.push(stream.subarray(0, split))
      framer.push(stream.subarray(split, split + 1000))
      framer.push(stream.subarray(split + 1000))
      expect(seen, `split at ${split}`).toEqual(reference)
    }
  })

  it('takes 0xFFFF literally when the peer may not send extended headers', () => {
    const { framer, seen } = collector()
    framer.extendedAllowed = false
    const header = Buffer.from('0017ffff00000000000000000000000000', 'hex').subarray(0, 16)
    expect(() => framer.push(header)).toThrow(FramingError)
    expect(seen).toEqual([])
  })

  it('rejects a payload size that is not a multiple of 8 and stops', () => {
    const { framer, seen } = collector()
    const bad = Buffer.from('0017000300000000000000000000000000', 'hex')
    expect(() => framer.push(Buffer.concat([encodeMessage(writeEcho), bad]))).toThrow(/not a multiple of 8/)
    expect(seen.map((s) => s.command)).toEqual([23])
    framer.push(encodeMessage(writeEcho))
    expect(seen).toHaveLength(1)
  })

  it('grows its buffer with the bytes that arrive, not with what a header claims', () => {
    const { framer } = collector(1 << 25)
    const claim = Buffer.from('0004ffff00060000000000010000000200fffff800000001', 'hex')
    framer.push(claim)
    framer.push(Buffer.alloc(100))
    expect(framer.bufferedBytes).toBe(124)
  })
})

import { describe, expect, it } from 'vitest'
import { MessageHeader, headerSizeFor, needsExtendedHeader, padded, readHeader, writeHeader } from './header'

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex')

describe('standard header', () => {
  it('writes the six fields big-endian', () => {
    const target = Buffer.alloc(16, 0xee)
    expect(writeHeader(target, 0, 15, 8, 20, 1, 0x01020304, 0xfffffffe)).toBe(16)
    expect(target).toEqual(hex('000f 0008 0014 0001 01020304 fffffffe'))
  })

  it('reads in place at an offset and reports its size', () => {
    const source = hex('aaaa 0012 0010 0000 0000 00000007 0000000d 6162630000000000')
    const header = new MessageHeader()
    expect(readHeader(source, 2, source.length, true, header)).toBe(16)
    expect({ ...header, extended: header.extended }).toEqual({
      command: 18,
      payloadSize: 16,
      dataType: 0,
      count: 0,
      parameter1: 7,
      parameter2: 13,
      size: 16,
      extended: false,
    })
  })

  it('returns 0 until the whole header is there', () => {
    const header = new MessageHeader()
    const source = hex('0017 0000 0000 0000 00000000 000000')
    expect(readHeader(source, 0, 15, true, header)).toBe(0)
  })
})

describe('extended header', () => {
  it('is written when the padded payload or the count reaches 0xFFFF', () => {
    expect(needsExtendedHeader(0xfff8, 0xfffe)).toBe(false)
    expect(needsExtendedHeader(0x10000, 1)).toBe(true)
    expect(needsExtendedHeader(0, 0xffff)).toBe(true)
    expect(headerSizeFor(800_000, 100_000)).toBe(24)
    const target = Buffer.alloc(24)
    expect(writeHeader(target, 0, 1, 800_000, 6, 100_000, 1, 42)).toBe(24)
    expect(target).toEqual(hex('0001 ffff 0006 0000 00000001 0000002a 000c3500 000186a0'))
  })

  it('writes a CREATE_CHAN reply with a huge count in extended form with payload 0', () => {
    const target = Buffer.alloc(24)
    writeHeader(target, 0, 18, 0, 6, 0x10000, 3, 4)
    expect(target).toEqual(hex('0012 ffff 0006 0000 00000003 00000004 00000000 00010000'))
  })

  it('is read only when the peer may send it', () => {
    const source = hex('0004 ffff 0006 0000 00000001 00000002 00100000 00020000')
    const header = new MessageHeader()
    expect(readHeader(source, 0, 23, true, header)).toBe(0)
    expect(readHeader(source, 0, 24, true, header)).toBe(24)
    expect([header.payloadSize, header.count, header.extended]).toEqual([0x100000, 0x20000, true])
    expect(readHeader(source, 0, 24, false, header)).toBe(16)
    expect([header.payloadSize, header.count, header.extended]).toEqual([0xffff, 0, false])
  })
})

describe('padding', () => {
  it('rounds up to a multiple of 8', () => {
    expect([0, 1, 7, 8, 9, 40, 41].map(padded)).toEqual([0, 8, 8, 8, 16, 40, 48])
  })
})

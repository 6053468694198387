import { describe, expect, it } from 'vitest'
import { nulOrEnd, readCString } from './text'

describe('NUL-terminated strings', () => {
  it('stop at the first NUL, or take the whole field when there is none', () => {
    const source = Buffer.from('xxpv:a\0junk\0', 'latin1')
    expect(nulOrEnd(source, 2, source.length)).toBe(6)
    expect(readCString(source, 2, source.length)).toBe('pv:a')
    expect(readCString(source, 2, 5)).toBe('pv:')
    expect(readCString(source, 6, 6)).toBe('')
  })

  it('never look past the end of the field for the NUL', () => {
    const source = Buffer.from('abcd\0', 'latin1')
    expect(nulOrEnd(source, 0, 3)).toBe(3)
    expect(readCString(Buffer.from([0xe9, 0x41, 0]), 0, 3)).toBe('éA')
  })
})

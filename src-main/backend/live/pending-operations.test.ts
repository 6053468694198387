import { describe, expect, it } from 'vitest'
import { PendingOperations } from './pending-operations'

describe('PendingOperations', () => {
  it('ignores operations that end within their call', () => {
    const pending = new PendingOperations()
    for (let i = 0; i < 100; i++) {
      pending.start('a', 'put')
      pending.end('a', 'put', false)
    }
    expect(pending.peaks('a')).toEqual({ puts: 0, gets: 0 })
    expect([...pending.urgent()]).toEqual([])
  })

  it('reports a wait that began and ended between two batches, then its return to idle once', () => {
    const pending = new PendingOperations()
    pending.start('a', 'put')
    pending.start('a', 'put')
    expect([...pending.urgent()]).toEqual(['a'])
    pending.end('a', 'put', true)
    pending.end('a', 'put', true)
    expect(pending.peaks('a')).toEqual({ puts: 2, gets: 0 })
    expect([...pending.urgent()]).toEqual(['a'])
    pending.endInterval()
    // Shown busy last time: reported once more, now idle.
    expect([...pending.urgent()]).toEqual(['a'])
    expect(pending.peaks('a')).toEqual({ puts: 0, gets: 0 })
    pending.endInterval()
    expect([...pending.urgent()]).toEqual([])
  })

  it('keeps a long wait visible across intervals, gets apart from puts', () => {
    const pending = new PendingOperations()
    pending.start('b', 'get')
    pending.endInterval()
    expect(pending.peaks('b')).toEqual({ puts: 0, gets: 1 })
    expect(pending.urgent().has('b')).toBe(true)
    pending.end('b', 'get', true)
    pending.forget('b')
    expect([...pending.urgent()]).toEqual([])
  })
})

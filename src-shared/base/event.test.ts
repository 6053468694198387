import { describe, expect, it } from 'vitest'
import { DisposableStore, Emitter, toDisposable } from './event'

describe('Emitter', () => {
  it('delivers to listeners until they are disposed', () => {
    const emitter = new Emitter<number>()
    const seen: number[] = []
    const sub = emitter.event((v) => seen.push(v))
    expect(emitter.hasListeners).toBe(true)
    emitter.fire(1)
    sub.dispose()
    emitter.fire(2)
    expect(seen).toEqual([1])
    expect(emitter.hasListeners).toBe(false)
  })

  it('lets a listener unsubscribe while firing without skipping the others', () => {
    const emitter = new Emitter<string>()
    const seen: string[] = []
    const first = emitter.event(() => {
      seen.push('a')
      first.dispose()
    })
    emitter.event(() => seen.push('b'))
    emitter.fire('x')
    emitter.fire('y')
    expect(seen).toEqual(['a', 'b', 'b'])
  })
})

describe('DisposableStore', () => {
  it('disposes newest first, once, and disposes late additions at once', () => {
    const order: number[] = []
    const store = new DisposableStore()
    store.add(toDisposable(() => order.push(1)))
    store.add(toDisposable(() => order.push(2)))
    store.dispose()
    store.dispose()
    store.add(toDisposable(() => order.push(3)))
    expect(order).toEqual([2, 1, 3])
  })
})

describe('Emitter subscriptions', () => {
  it('a subscription removes only itself, once, even when the same function listens twice', () => {
    const emitter = new Emitter<number>()
    const seen: number[] = []
    const listener = (v: number) => seen.push(v)
    const first = emitter.event(listener)
    const second = emitter.event(listener)
    first.dispose()
    first.dispose()
    emitter.fire(7)
    expect(seen).toEqual([7])
    second.dispose()
    emitter.fire(8)
    expect(seen).toEqual([7])
    expect(emitter.hasListeners).toBe(false)
  })
})

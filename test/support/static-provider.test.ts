import { describe, expect, it } from 'vitest'
import type { PvPost } from '../../src-main/ca/server/provider'
import { NativeType } from '../../src-main/ca/wire/snapshot'
import { StaticPvProvider, toPvValue } from './static-provider'

const client = { circuitId: 1, address: '127.0.0.1', port: 1, hostName: 'h', userName: 'u', minorVersion: 13 }

describe('StaticPvProvider', () => {
  it('stores native storage types and declares the maximum count', () => {
    const provider = new StaticPvProvider([
      { name: 'd', type: NativeType.DOUBLE, value: 1.5 },
      { name: 'w', type: NativeType.LONG, value: [1, 2, 3], maxCount: 10 },
      { name: 's', type: NativeType.STRING, value: 'hello' },
      { name: 'c', type: NativeType.CHAR, value: 'abc', maxCount: 100 },
    ])
    expect(provider.resolve('d')!.snapshot.value).toEqual(new Float64Array([1.5]))
    expect(provider.resolve('w')!.maxCount).toBe(10)
    expect(provider.resolve('s')!.snapshot.value).toEqual(['hello'])
    expect(provider.resolve('c')!.snapshot.value).toEqual(new Uint8Array([97, 98, 99, 0]))
    expect(provider.resolve('missing')).toBeUndefined()
    expect(toPvValue(NativeType.ENUM, 2)).toEqual(new Uint16Array([2]))
  })

  it('posts VALUE|LOG|ALARM on set and on a client write, with a fresh snapshot', () => {
    const provider = new StaticPvProvider([{ name: 'x', type: NativeType.SHORT, value: 0 }])
    const pv = provider.get('x')
    const posts: PvPost[] = []
    pv.onDidPost((post) => posts.push(post))
    const first = pv.snapshot
    provider.set('x', 7, { severity: 2, status: 3 })
    expect(pv.write(client, new Int16Array([9]))).toEqual({ status: 1 })
    expect(posts.map((p) => [p.mask, p.snapshot.value[0], p.snapshot.severity])).toEqual([
      [7, 7, 2],
      [7, 9, 2],
    ])
    expect(pv.snapshot).not.toBe(first)
    expect(Object.isFrozen(pv.snapshot)).toBe(true)
  })

  it('refuses writes to read-only PVs and fires access changes and removal', () => {
    const provider = new StaticPvProvider([{ name: 'ro', type: NativeType.DOUBLE, value: 1, readOnly: true }])
    const pv = provider.get('ro')
    expect(pv.accessFor(client)).toBe(1)
    expect(pv.write(client, new Float64Array([2]))).toMatchObject({ status: 376 })
    expect(pv.snapshot.value[0]).toBe(1)
    let accessChanges = 0
    let removals = 0
    pv.onDidChangeAccess(() => accessChanges++)
    pv.onDidRemove(() => removals++)
    pv.setAccess(3)
    expect(pv.accessFor(client)).toBe(3)
    expect(provider.remove('ro')).toBe(true)
    expect(provider.resolve('ro')).toBeUndefined()
    expect([accessChanges, removals]).toEqual([1, 1])
  })
})

import { describe, expect, it } from 'vitest'
import { AccessRights, EventMask } from '../ca/server/provider'
import type { PvPost, ServedPv } from '../ca/server/provider'
import { Eca } from '../ca/wire/protocol'
import { NativeType } from '../ca/wire/snapshot'
import { AccessRulesError } from './access'
import { PvDatabase } from './database'
import type { PvsChange } from './database'
import { SpecError } from './spec'
import { client } from './test-support'

function watch(db: PvDatabase): PvsChange[] {
  const changes: PvsChange[] = []
  db.onDidChangePvs((change) => changes.push(change))
  return changes
}

function removals(channel: ServedPv): { count: number } {
  const seen = { count: 0 }
  channel.onDidRemove(() => seen.count++)
  return seen
}

describe('PvDatabase define / redefine / remove', () => {
  it('adds PVs and reports them', () => {
    const db = new PvDatabase()
    const changes = watch(db)
    const pv = db.define({ name: 'T:A', type: 'DOUBLE', value: 1 })
    expect(db.get('T:A')).toBe(pv)
    expect(db.list()).toEqual([pv])
    expect(changes).toEqual([{ added: ['T:A'], removed: [], changed: [] }])
  })

  it('keeps the same PV, hooks and clients for an unchanged spec', () => {
    const db = new PvDatabase()
    const pv = db.define({ name: 'T:A', type: 'DOUBLE', value: 1, units: 'mm' })
    pv.setHooks({ putter: () => ({ kind: 'skip' }) })
    const removed = removals(pv)
    const changes = watch(db)
    expect(db.define({ name: 'T:A', type: 'DOUBLE', value: 1, units: 'mm' })).toBe(pv)
    expect(changes).toEqual([])
    expect(removed.count).toBe(0)
    expect(pv.hasHooks).toBe(true)
  })

  it('applies metadata changes in place, posting DBE_PROPERTY and keeping the live value', async () => {
    const db = new PvDatabase()
    const pv = db.define({ name: 'T:A', type: 'DOUBLE', value: 1, units: 'mm' })
    await pv.put(7)
    const posts: PvPost[] = []
    pv.onDidPost((post) => posts.push(post))
    const removed = removals(pv)
    const changes = watch(db)
    expect(db.define({ name: 'T:A', type: 'DOUBLE', value: 1, units: 'V', readOnly: true })).toBe(pv)
    expect(posts.map((post) => post.mask)).toEqual([EventMask.PROPERTY])
    expect(pv.snapshot.metadata.units).toBe('V')
    expect(pv.value).toBe(7)
    expect(pv.accessFor(client())).toBe(AccessRights.READ)
    expect(removed.count).toBe(0)
    expect(changes).toEqual([{ added: [], removed: [], changed: ['T:A'] }])
    pv.writeMetadata({ units: 'V' })
    expect(changes).toHaveLength(1)
  })

  it('replaces a PV whose type or size changed: old channels are told to disconnect', async () => {
    const db = new PvDatabase()
    const old = db.define({ name: 'T:A', type: 'LONG', value: 1 })
    const removed = removals(db.resolve('T:A')!)
    const changes = watch(db)
    const replacement = db.define({ name: 'T:A', type: 'DOUBLE', value: 2.5 })
    expect(replacement).not.toBe(old)
    expect(removed.count).toBe(1)
    expect(db.resolve('T:A')).toBe(replacement)
    expect(replacement.nativeType).toBe(NativeType.DOUBLE)
    expect(changes).toEqual([{ added: [], removed: [], changed: ['T:A'] }])
    expect(await old.put(3)).toEqual({ status: Eca.PUTFAIL, message: 'T:A was removed from the database' })
    expect(db.define({ name: 'T:A', type: 'DOUBLE', value: 2.5, maxLength: 4 }).maxCount).toBe(4)
  })

  it('removes PVs, disconnecting their field channels too', () => {
    const db = new PvDatabase()
    db.define({ name: 'T:A', type: 'DOUBLE', value: 1, recordType: 'ai' })
    const pvGone = removals(db.resolve('T:A')!)
    const fieldGone = removals(db.resolve('T:A.EGU')!)
    const changes = watch(db)
    expect(db.remove('T:A')).toBe(true)
    expect(db.remove('T:A')).toBe(false)
    expect(pvGone.count).toBe(1)
    expect(fieldGone.count).toBe(1)
    expect(db.resolve('T:A')).toBeUndefined()
    expect(db.resolve('T:A.EGU')).toBeUndefined()
    expect(changes).toEqual([{ added: [], removed: ['T:A'], changed: [] }])
  })

  it('reports a batch of changes once', () => {
    const db = new PvDatabase()
    db.define({ name: 'T:OLD', type: 'LONG' })
    const changes = watch(db)
    db.batch(() => {
      db.define({ name: 'T:A', type: 'LONG' })
      db.define({ name: 'T:B', type: 'LONG' })
      db.remove('T:OLD')
    })
    expect(changes).toEqual([{ added: ['T:A', 'T:B'], removed: ['T:OLD'], changed: [] }])
  })

  it('refuses an invalid spec without touching the existing PV', () => {
    const db = new PvDatabase()
    const pv = db.define({ name: 'T:E', type: 'ENUM', enumStrings: ['a', 'b'] })
    expect(() => db.define({ name: 'T:E', type: 'ENUM', enumStrings: Array(17).fill('x') })).toThrow(
      SpecError,
    )
    expect(db.get('T:E')).toBe(pv)
    expect(pv.spec.enumStrings).toEqual(['a', 'b'])
  })
})

describe('PvDatabase.resolve', () => {
  const db = new PvDatabase()
  const ai = db.define({ name: 'T:AI', type: 'DOUBLE', value: 1, recordType: 'ai' })
  db.define({ name: 'T:PLAIN', type: 'DOUBLE', value: 1 })
  const text = db.define({ name: 'T:STR', type: 'STRING', value: 'hello' })
  const long = db.define({ name: 'T:LONG', type: 'CHAR', longString: true, value: 'a long text' })
  db.define({ name: 'dotted.name', type: 'LONG', value: 1 })

  it('finds PVs by exact name first, even names with dots', () => {
    expect(db.resolve('T:AI')).toBe(ai)
    expect(db.resolve('dotted.name')?.name).toBe('dotted.name')
    expect(db.resolve('T:NOPE')).toBeUndefined()
  })

  it('serves record fields only for PVs with a record type, caching each channel', () => {
    expect(db.resolve('T:AI.VAL')).toBe(ai)
    const egu = db.resolve('T:AI.EGU')
    expect(egu?.name).toBe('T:AI.EGU')
    expect(db.resolve('T:AI.EGU')).toBe(egu)
    expect(db.resolve('T:AI.NOPE')).toBeUndefined()
    expect(db.resolve('T:AI.ZNAM')).toBeUndefined()
    expect(db.resolve('T:PLAIN.EGU')).toBeUndefined()
    expect(db.resolve('T:PLAIN.VAL')).toBeUndefined()
  })

  it('serves NAME$ and NAME.VAL$ of STRING PVs and fields as CHAR arrays', async () => {
    const view = db.resolve('T:STR$')!
    expect(view.nativeType).toBe(NativeType.CHAR)
    expect(view.maxCount).toBe(40)
    expect(view.snapshot).toBe(text.snapshot)
    expect(db.resolve('T:STR.VAL$')?.nativeType).toBe(NativeType.CHAR)
    expect(db.resolve('T:AI.DESC$')?.nativeType).toBe(NativeType.CHAR)
    expect(await view.write(client(), Uint8Array.from(Buffer.from('bye\0')))).toEqual({ status: Eca.NORMAL })
    expect(text.value).toBe('bye')
    expect(db.resolve('T:LONG$')).toBe(long)
    expect(db.resolve('T:PLAIN$')).toBeUndefined()
  })
})

describe('PvDatabase access rules', () => {
  it('applies rules per channel, re-evaluated live with onDidChangeAccess', () => {
    const db = new PvDatabase()
    const temp = db.define({ name: 'BL:TEMP', type: 'DOUBLE', value: 1, recordType: 'ai' })
    const locked = db.define({ name: 'BL:LOCKED', type: 'DOUBLE', value: 1, readOnly: true })
    const egu = db.resolve('BL:TEMP.EGU')!
    const stat = db.resolve('BL:TEMP.STAT')!
    let notified = 0
    egu.onDidChangeAccess(() => notified++)
    const alice = client('alice', 'cr1')
    const eve = client('eve', 'cr1')
    expect(temp.accessFor(eve)).toBe(AccessRights.READ_WRITE)
    expect(stat.accessFor(alice)).toBe(AccessRights.READ)

    db.setAccessRules({
      userGroups: { ops: ['alice'] },
      rules: [
        { pvPattern: 'BL:*', access: 'READ' },
        { pvPattern: 'BL:*', access: 'WRITE', users: ['ops'] },
      ],
    })
    expect(notified).toBe(1)
    expect(temp.accessFor(alice)).toBe(AccessRights.READ_WRITE)
    expect(temp.accessFor(eve)).toBe(AccessRights.READ)
    expect(egu.accessFor(eve)).toBe(AccessRights.READ)
    expect(locked.accessFor(alice)).toBe(AccessRights.READ)
    expect(temp.write(eve, Float64Array.of(2))).toMatchObject({ status: Eca.NOWTACCESS })

    expect(() => db.setAccessRules({ rules: [{ pvPattern: '*', access: 'WRITE', users: ['x'] }] })).toThrow(
      AccessRulesError,
    )
    expect(temp.accessFor(alice)).toBe(AccessRights.READ_WRITE)
    db.setAccessRules({ rules: [] })
    expect(temp.accessFor(eve)).toBe(AccessRights.READ_WRITE)
  })
})

import { describe, expect, it } from 'vitest'
import { AccessRights, EventMask } from '../ca/server/provider'
import type { PvPost } from '../ca/server/provider'
import { EPICS_EPOCH_OFFSET_SECONDS } from '../ca/wire/snapshot'
import { Eca } from '../ca/wire/protocol'
import { AlarmSeverity, AlarmStatus } from './alarm'
import { PvDatabase } from './database'
import type { IocPv, PvActivity } from './pv'
import type { PvSpec } from './spec'
import { client } from './test-support'

function setup(spec: PvSpec): { db: PvDatabase; pv: IocPv; posts: PvPost[] } {
  const db = new PvDatabase()
  const pv = db.define(spec)
  const posts: PvPost[] = []
  pv.onDidPost((post) => posts.push(post))
  return { db, pv, posts }
}

const masks = (posts: PvPost[]): number[] => posts.map((post) => post.mask)
const VALUE_LOG = EventMask.VALUE | EventMask.LOG
const ALL_CHANGED = VALUE_LOG | EventMask.ALARM

describe('IocPv initial state', () => {
  it('is UDF/INVALID with a zero timestamp until first written', async () => {
    const { pv, posts } = setup({ name: 'T:A', type: 'DOUBLE' })
    expect(pv.snapshot).toMatchObject({
      status: AlarmStatus.UDF,
      severity: AlarmSeverity.INVALID,
      secondsPastEpoch: 0,
    })
    expect(pv.timestamp).toBe(0)
    await pv.put(0)
    expect(pv.snapshot).toMatchObject({ status: 0, severity: 0 })
    expect(pv.snapshot.secondsPastEpoch).toBeGreaterThan(0)
    // The first write posts the value (even 0, the stored placeholder) and the alarm clearing.
    expect(masks(posts)).toEqual([ALL_CHANGED])
  })

  it('uses udfSeverity, and evaluates alarms on an initial value', () => {
    expect(setup({ name: 'T:A', type: 'LONG', udfSeverity: 1 }).pv.severity).toBe(AlarmSeverity.MINOR)
    const { pv } = setup({ name: 'T:B', type: 'DOUBLE', value: 120, alarmLimits: { hihi: 100 } })
    expect(pv.snapshot).toMatchObject({ status: AlarmStatus.HIHI, severity: AlarmSeverity.MAJOR })
    expect(pv.timestamp).toBeGreaterThan(Date.now() / 1000 - 5)
  })

  it('exposes a JavaScript view of the value', () => {
    expect(setup({ name: 'T:W', type: 'LONG', maxLength: 5, value: [1, 2, 3] }).pv.value).toEqual([1, 2, 3])
    expect(setup({ name: 'T:E', type: 'ENUM', enumStrings: ['Off', 'On'], value: 'On' }).pv.value).toBe(1)
    expect(setup({ name: 'T:S', type: 'CHAR', longString: true, value: 'hello' }).pv.value).toBe('hello')
  })
})

describe('IocPv write pipeline', () => {
  it('posts VALUE|LOG for a change, nothing for the same value, and ALARM when the alarm changes', async () => {
    const { pv, posts } = setup({ name: 'T:A', type: 'DOUBLE', value: 1, alarmLimits: { high: 10 } })
    expect(await pv.put(2)).toEqual({ status: Eca.NORMAL })
    await pv.put(2)
    await pv.put(11)
    await pv.put(12)
    await pv.put(3)
    expect(masks(posts)).toEqual([VALUE_LOG, ALL_CHANGED, VALUE_LOG, ALL_CHANGED])
    expect(posts[1].snapshot).toMatchObject({ status: AlarmStatus.HIGH, severity: AlarmSeverity.MINOR })
  })

  it('gates DBE_VALUE with MDEL and DBE_LOG with ADEL independently', async () => {
    const { pv, posts } = setup({
      name: 'T:A',
      type: 'DOUBLE',
      value: 0,
      monitorDeadband: 1,
      archiveDeadband: 5,
    })
    for (const value of [0.5, 1.2, 2, 4, 6.5]) await pv.put(value)
    // 0.5: inside both; 1.2: >1 from 0 (VALUE); 2: 0.8 from 1.2 (nothing); 4: VALUE; 6.5: VALUE and >5 from 0 (LOG).
    expect(posts.map((post) => [post.snapshot.value[0], post.mask])).toEqual([
      [1.2, EventMask.VALUE],
      [4, EventMask.VALUE],
      [6.5, VALUE_LOG],
    ])
    // The value is stored even when not posted.
    await pv.put(6.6)
    expect(pv.value).toBe(6.6)
  })

  it('posts every write with a negative deadband', async () => {
    const { pv, posts } = setup({ name: 'T:A', type: 'LONG', value: 1, monitorDeadband: -1 })
    await pv.put(1)
    await pv.put(1)
    expect(masks(posts)).toEqual([EventMask.VALUE, EventMask.VALUE])
  })

  it('posts arrays and strings when they changed', async () => {
    const { pv, posts } = setup({ name: 'T:W', type: 'DOUBLE', maxLength: 3, value: [1, 2] })
    await pv.put([1, 2])
    await pv.put([1, 2, 3])
    const text = setup({ name: 'T:S', type: 'STRING', value: 'a' })
    await text.pv.put('a')
    await text.pv.put('b')
    expect(masks(posts)).toEqual([VALUE_LOG])
    expect(masks(text.posts)).toEqual([VALUE_LOG])
  })

  it('rejects puts outside the control limits with ECA_PUTFAIL and a message, keeping the value', async () => {
    const { pv, posts } = setup({
      name: 'T:A',
      type: 'DOUBLE',
      value: 5,
      controlLimits: { low: 0, high: 10 },
    })
    expect(await pv.put(11)).toEqual({
      status: Eca.PUTFAIL,
      message: 'T:A: 11 is above the control limit 10',
    })
    expect(await pv.put(-1)).toEqual({ status: Eca.PUTFAIL, message: 'T:A: -1 is below the control limit 0' })
    expect(pv.value).toBe(5)
    expect(posts).toEqual([])
    // verifyValue: false bypasses limits, as caproto's verify_value=False does.
    expect((await pv.put(50, { verifyValue: false })).status).toBe(Eca.NORMAL)
    expect(pv.value).toBe(50)
  })

  it('clamps to the control limits in clamp mode, element by element for arrays', async () => {
    const { pv } = setup({ name: 'T:A', type: 'LONG', value: 5, controlLimits: { high: 10, mode: 'clamp' } })
    await pv.put(99)
    expect(pv.value).toBe(10)
    const wave = setup({
      name: 'T:W',
      type: 'DOUBLE',
      maxLength: 3,
      controlLimits: { low: 0, high: 1, mode: 'clamp' },
    })
    await wave.pv.put([-1, 0.5, 2])
    expect(wave.pv.value).toEqual([0, 0.5, 1])
  })

  it('refuses values the type cannot hold, naming the PV', async () => {
    const { pv } = setup({ name: 'T:S', type: 'SHORT', value: 0 })
    expect(await pv.put(1e6)).toEqual({
      status: Eca.PUTFAIL,
      message: 'T:S: value: 1000000 is outside the SHORT range -32768..32767',
    })
    expect(pv.value).toBe(0)
  })

  it('takes explicit alarms over limit evaluation and a given timestamp', async () => {
    const { pv, posts } = setup({ name: 'T:A', type: 'DOUBLE', value: 1, alarmLimits: { hihi: 100 } })
    await pv.put(2, {
      status: AlarmStatus.COMM,
      severity: AlarmSeverity.INVALID,
      timestamp: 1_700_000_000.25,
    })
    expect(pv.snapshot).toMatchObject({
      status: AlarmStatus.COMM,
      severity: AlarmSeverity.INVALID,
      secondsPastEpoch: 1_700_000_000 - EPICS_EPOCH_OFFSET_SECONDS,
      nanoseconds: 250_000_000,
    })
    expect(pv.timestamp).toBe(1_700_000_000.25)
    expect(masks(posts)).toEqual([ALL_CHANGED])
    await pv.put(3, { timestamp: { secondsPastEpoch: 5, nanoseconds: 7 } })
    expect(pv.snapshot).toMatchObject({ status: 0, secondsPastEpoch: 5, nanoseconds: 7 })
    expect((await pv.put(4, { severity: 9 })).message).toBe('T:A: severity: 9 is not a severity 0..3')
  })
})

describe('IocPv putter hook', () => {
  it('receives the JavaScript value (enum as label) and the client', async () => {
    const { pv } = setup({ name: 'T:E', type: 'ENUM', enumStrings: ['Off', 'On'], value: 0 })
    const seen: unknown[] = []
    pv.setHooks({ putter: (_pv, value, who) => void seen.push(value, who?.userName) })
    await pv.put(1)
    await pv.write(client('bob'), Uint16Array.of(0))
    expect(seen).toEqual(['On', undefined, 'Off', 'bob'])
    expect(pv.value).toBe(0)
  })

  it('coerces, skips, or fails with a WRITE/MAJOR alarm', async () => {
    const { pv, posts } = setup({ name: 'T:A', type: 'DOUBLE', value: 1 })
    pv.setHooks({
      putter: (_pv, value) => {
        if (value === 2) return { kind: 'coerce', value: 20 }
        if (value === 3) return { kind: 'skip' }
        if (value === 4) throw new Error('motor is parked')
        return { kind: 'accept' }
      },
    })
    await pv.put(2)
    expect(pv.value).toBe(20)
    expect(await pv.put(3)).toEqual({ status: Eca.NORMAL })
    expect(pv.value).toBe(20)
    expect(await pv.put(4)).toEqual({ status: Eca.PUTFAIL, message: 'T:A: putter failed: motor is parked' })
    expect(pv.value).toBe(20)
    expect(pv.snapshot).toMatchObject({ status: AlarmStatus.WRITE, severity: AlarmSeverity.MAJOR })
    await pv.put(5)
    expect(pv.snapshot).toMatchObject({ status: 0, severity: 0 })
    expect(masks(posts)).toEqual([VALUE_LOG, EventMask.ALARM, ALL_CHANGED])
  })

  it('waits for an async putter before storing and completing the write', async () => {
    const { pv } = setup({ name: 'T:A', type: 'DOUBLE', value: 0 })
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    pv.setHooks({ putter: async () => gate })
    const outcome = pv.write(client(), Float64Array.of(7))
    expect(outcome).toBeInstanceOf(Promise)
    await Promise.resolve()
    expect(pv.value).toBe(0)
    release()
    expect(await outcome).toEqual({ status: Eca.NORMAL })
    expect(pv.value).toBe(7)
  })

  it('completes synchronously when there is no hook, so CA writes need no Promise', () => {
    const { pv } = setup({ name: 'T:A', type: 'DOUBLE', value: 0 })
    expect(pv.write(client(), Float64Array.of(1))).toEqual({ status: Eca.NORMAL })
    pv.setHooks({ putter: () => ({ kind: 'accept' }) })
    expect(pv.putNow(2)).toEqual({ status: Eca.NORMAL })
  })

  it('bypasses the putter with verifyValue false, which a putter uses to write its own PV', async () => {
    const { pv } = setup({ name: 'T:A', type: 'DOUBLE', value: 0 })
    let calls = 0
    pv.setHooks({
      putter: async (self, value) => {
        calls++
        await self.put((value as number) * 2, { verifyValue: false })
        return { kind: 'skip' }
      },
    })
    await pv.put(4)
    expect(pv.value).toBe(8)
    expect(calls).toBe(1)
  })

  it('stops calling hooks once the returned disposable is disposed', async () => {
    const { pv } = setup({ name: 'T:A', type: 'DOUBLE', value: 0 })
    const hooks = pv.setHooks({ putter: () => ({ kind: 'skip' }) })
    await pv.put(1)
    hooks.dispose()
    await pv.put(2)
    expect(pv.value).toBe(2)
  })
})

describe('IocPv getter hook', () => {
  it('writes a returned value through the putter before the read is answered', async () => {
    const { pv } = setup({ name: 'T:A', type: 'LONG', value: 0 })
    let reads = 0
    const putterSaw: unknown[] = []
    pv.setHooks({
      getter: async () => ++reads,
      putter: (_pv, value) => void putterSaw.push(value),
    })
    const snapshot = await pv.read(client())
    expect(snapshot.value[0]).toBe(1)
    expect(putterSaw).toEqual([1])
    pv.setHooks({ getter: () => undefined })
    expect(pv.read(client())).toBe(pv.snapshot)
  })

  it('raises READ/MAJOR and answers with the stored value when the getter throws', async () => {
    const { pv } = setup({ name: 'T:A', type: 'LONG', value: 3 })
    pv.setHooks({
      getter: () => {
        throw new Error('device offline')
      },
    })
    const snapshot = await pv.read(client())
    expect(snapshot).toMatchObject({ status: AlarmStatus.READ, severity: AlarmSeverity.MAJOR })
    expect(snapshot.value[0]).toBe(3)
  })
})

describe('IocPv over CA', () => {
  it('refuses CA writes to read-only PVs while internal writes work', async () => {
    const { pv } = setup({ name: 'T:A', type: 'DOUBLE', value: 0, readOnly: true })
    expect(pv.accessFor(client())).toBe(AccessRights.READ)
    expect(pv.write(client(), Float64Array.of(1))).toMatchObject({ status: Eca.NOWTACCESS })
    await pv.put(1)
    expect(pv.value).toBe(1)
  })

  it('treats a count-0 put to a scalar as a successful no-op', () => {
    const { pv, posts } = setup({ name: 'T:A', type: 'DOUBLE', value: 4 })
    expect(pv.write(client(), new Float64Array(0))).toEqual({ status: Eca.NORMAL })
    expect(pv.value).toBe(4)
    expect(posts).toEqual([])
  })

  it('tracks alarm acknowledgement (ACKT/ACKS)', async () => {
    const { pv } = setup({ name: 'T:A', type: 'DOUBLE', value: 0, alarmLimits: { high: 5 } })
    await pv.put(6)
    expect(pv.snapshot.unacknowledgedSeverity).toBe(AlarmSeverity.MINOR)
    await pv.put(1)
    // Transient alarms must be acknowledged: the unacknowledged severity stays after the alarm clears.
    expect(pv.snapshot.unacknowledgedSeverity).toBe(AlarmSeverity.MINOR)
    pv.acknowledge(client(), 'severity', AlarmSeverity.MINOR)
    expect(pv.snapshot.unacknowledgedSeverity).toBe(0)
    pv.acknowledge(client(), 'transient', 0)
    await pv.put(6)
    await pv.put(1)
    expect(pv.snapshot).toMatchObject({ acknowledgeTransient: false, unacknowledgedSeverity: 0 })
  })
})

describe('IocPv metadata and alarms', () => {
  it('posts DBE_PROPERTY for metadata changes only', () => {
    const { pv, posts } = setup({ name: 'T:A', type: 'DOUBLE', value: 0, units: 'mm', precision: 2 })
    pv.writeMetadata({ units: 'um' })
    pv.writeMetadata({ units: 'um' })
    pv.writeMetadata({ description: 'not carried by GR/CTRL types' })
    pv.writeMetadata({ controlLimits: { high: 5 } })
    expect(masks(posts)).toEqual([EventMask.PROPERTY, EventMask.PROPERTY])
    expect(pv.snapshot.metadata).toMatchObject({ units: 'um', precision: 2, upperControlLimit: 5 })
    expect(pv.spec.description).toBe('not carried by GR/CTRL types')
    expect(() => pv.writeMetadata({ precision: 99 })).toThrow(
      'T:A: precision: 99 is not a whole number of digits 0..17',
    )
  })

  it('takes new enum strings whatever its initial label was; the value keeps its index', async () => {
    const { pv, posts } = setup({ name: 'T:E', type: 'ENUM', enumStrings: ['Idle', 'Run'], value: 'Run' })
    pv.writeMetadata({ enumStrings: ['off', 'on', 'auto'] })
    expect(pv.snapshot.metadata.enumStrings).toEqual(['off', 'on', 'auto'])
    expect(pv.value).toBe(1)
    expect(masks(posts)).toEqual([EventMask.PROPERTY])
    expect(await pv.put('auto')).toEqual({ status: Eca.NORMAL })
    expect(pv.value).toBe(2)
  })

  it('posts DBE_ALARM for setAlarm, only when the alarm changes', () => {
    const { pv, posts } = setup({ name: 'T:A', type: 'DOUBLE', value: 0 })
    pv.setAlarm(AlarmStatus.COMM, AlarmSeverity.MAJOR)
    pv.setAlarm(AlarmStatus.COMM, AlarmSeverity.MAJOR)
    expect(masks(posts)).toEqual([EventMask.ALARM])
    expect(() => pv.setAlarm(30, 0)).toThrow('30 is not an alarm status')
  })

  it('gives each PV its own alarm by default: a write never makes another PV post (caproto #803)', async () => {
    const db = new PvDatabase()
    const a = db.define({ name: 'T:A', type: 'DOUBLE', value: 0, alarmLimits: { high: 1 } })
    const b = db.define({ name: 'T:B', type: 'DOUBLE', value: 0 })
    const postsB: PvPost[] = []
    b.onDidPost((post) => postsB.push(post))
    await a.put(5)
    await a.put(0, { status: AlarmStatus.SOFT, severity: AlarmSeverity.MINOR })
    a.setAlarm(AlarmStatus.COMM, AlarmSeverity.MAJOR)
    expect(postsB).toEqual([])
    expect(b.severity).toBe(0)
  })

  it('shares one alarm in an alarm group, posting to the others only when it changes', async () => {
    const db = new PvDatabase()
    const a = db.define({
      name: 'T:A',
      type: 'DOUBLE',
      value: 0,
      alarmGroup: 'motor',
      alarmLimits: { high: 1 },
    })
    const b = db.define({ name: 'T:B', type: 'DOUBLE', value: 0, alarmGroup: 'motor' })
    const postsB: PvPost[] = []
    b.onDidPost((post) => postsB.push(post))
    await a.put(5)
    await a.put(6)
    expect(b.snapshot).toMatchObject({ status: AlarmStatus.HIGH, severity: AlarmSeverity.MINOR })
    expect(masks(postsB)).toEqual([EventMask.ALARM])
    b.setAlarm(AlarmStatus.COMM, AlarmSeverity.MAJOR)
    expect(a.snapshot).toMatchObject({ status: AlarmStatus.COMM, severity: AlarmSeverity.MAJOR })
    // A member joining with a worse alarm raises the group's; moving out gives a PV its own alarm again.
    db.define({ name: 'T:C', type: 'DOUBLE', alarmGroup: 'motor' })
    expect(a.severity).toBe(AlarmSeverity.INVALID)
    b.writeMetadata({ alarmGroup: undefined })
    await b.put(1)
    expect(b.severity).toBe(0)
    expect(a.severity).toBe(AlarmSeverity.INVALID)
  })
})

describe('database activity', () => {
  it('reports the start and end of each put with old and new snapshots and hook time', async () => {
    const { db, pv } = setup({ name: 'T:A', type: 'DOUBLE', value: 1 })
    const seen: PvActivity[] = []
    db.onDidActivity((activity) => seen.push(activity))
    pv.setHooks({ putter: async () => ({ kind: 'accept' }) })
    await pv.write(client('bob'), Float64Array.of(2))
    expect(seen.map((a) => `${a.op}:${a.phase}`)).toEqual(['put:start', 'put:end'])
    const [start, end] = seen
    expect(start.id).toBe(end.id)
    expect(start.client?.userName).toBe('bob')
    expect(end.before?.value[0]).toBe(1)
    expect(end.after?.value[0]).toBe(2)
    expect(end.status).toBe(Eca.NORMAL)
    expect(end.hookMs).toBeGreaterThanOrEqual(0)
  })
})

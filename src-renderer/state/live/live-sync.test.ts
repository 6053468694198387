import { describe, expect, it } from 'vitest'
import type { LiveBatch, LivePvInfo, LiveSnapshot, LiveTrafficEvent, LiveValue } from '@shared/api/live'
import { FrameCoalescer } from './frame-coalescer'
import { LiveModel, Part } from './live-model'
import type { LiveState } from './live-store'
import { LiveSync } from './live-sync'
import type { LiveApi } from './live-sync'

const info = (name: string): LivePvInfo => ({
  name,
  type: 'DOUBLE',
  maxLength: 1,
  longString: false,
  units: '',
  precision: 2,
  enumStrings: [],
  description: '',
  writable: true,
  displayLow: null,
  displayHigh: null,
})
const value = (pv: string, v: number, time = 1_000_000, changes = 1): LiveValue => ({
  pv,
  value: v,
  length: 1,
  status: 0,
  severity: 0,
  time,
  changes,
})
const get = (seq: number): LiveTrafficEvent => ({
  seq,
  time: seq,
  op: 'get',
  pv: 'a',
  client: null,
  dbrType: '',
  count: 1,
  value: '',
  status: '',
  ok: true,
})

function snapshot(session: number, batchSeq: number, overrides: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    session,
    batchSeq,
    attached: true,
    pvs: [info('a')],
    values: [value('a', 1, 1_000_000, 0)],
    activity: [],
    queues: [],
    clients: [],
    traffic: [get(1)],
    trafficClients: {},
    trafficTotal: 1,
    ...overrides,
  }
}

function batch(seq: number, session: number, overrides: Partial<LiveBatch> = {}): LiveBatch {
  return {
    seq,
    session,
    time: 2_000_000,
    values: [],
    traffic: { events: [], clients: {}, recorded: 0, dropped: 0, byOp: {}, failures: 0, lastSeq: 0 },
    activity: [],
    queues: [],
    ...overrides,
  }
}

/** A backend stand-in that answers snapshots when told to and pushes batches. */
class ScriptedApi implements LiveApi {
  listener: ((batch: LiveBatch) => void) | undefined
  answers: ((snapshot: LiveSnapshot) => void)[] = []
  readonly getLiveSnapshot = () => new Promise<LiveSnapshot>((resolve) => this.answers.push(resolve))
  readonly onDidReceiveLiveBatch = (listener: (batch: LiveBatch) => void) => {
    this.listener = listener
    return () => (this.listener = undefined)
  }
  push(b: LiveBatch): void {
    this.listener?.(b)
  }
  async answer(s: LiveSnapshot): Promise<void> {
    this.answers.shift()!(s)
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

function setup() {
  const api = new ScriptedApi()
  const model = new LiveModel()
  const states: Partial<LiveState>[] = []
  let parts = 0
  const sync = new LiveSync(
    api,
    model,
    { changed: (p) => (parts |= p), state: (s) => states.push(s) },
    () => 0,
  )
  const stop = sync.start()
  return { api, model, states, parts: () => parts, sync, stop }
}

describe('LiveSync', () => {
  it('applies batches that follow the snapshot, not those it already contains', async () => {
    const { api, model, states } = setup()
    expect(states).toEqual([{ connection: 'loading' }])
    api.push(batch(4, 1, { values: [value('a', 4)] }))
    api.push(batch(5, 1, { values: [value('a', 5, 1_000_500)] }))
    await api.answer(snapshot(1, 4))
    expect(model.values.values.get('a')?.value).toBe(5)
    expect(states.at(-1)).toMatchObject({ connection: 'live', session: 1, attached: true })
    api.push(batch(5, 1, { values: [value('a', 99)] }))
    expect(model.values.values.get('a')?.value).toBe(5)
    api.push(batch(6, 1, { values: [value('a', 6, 1_000_600)] }))
    expect(model.values.values.get('a')?.value).toBe(6)
    expect(model.values.trend('a')?.size).toBe(3)
  })

  it('reloads the snapshot when a batch of another session arrives, and then carries on', async () => {
    const { api, model } = setup()
    await api.answer(snapshot(1, 0))
    api.push(batch(1, 2, { pvs: { upsert: [info('b')], removed: ['a'] } }))
    expect(api.answers).toHaveLength(1)
    // Still showing the old session until the new snapshot arrives.
    expect(model.session).toBe(1)
    api.push(batch(2, 2, { values: [value('b', 2)] }))
    await api.answer(
      snapshot(2, 1, { pvs: [info('b')], values: [value('b', 1)], traffic: [], trafficTotal: 0 }),
    )
    expect(model.session).toBe(2)
    expect(model.values.names).toEqual(['b'])
    expect(model.values.values.get('b')?.value).toBe(2)
  })

  it('reports a failed load, and loads again when asked', async () => {
    const api = new ScriptedApi()
    const states: Partial<LiveState>[] = []
    const failing: LiveApi = { ...api, getLiveSnapshot: () => Promise.reject(new Error('backend gone')) }
    const sync = new LiveSync(failing, new LiveModel(), {
      changed: () => undefined,
      state: (s) => states.push(s),
    })
    sync.start()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(states.at(-1)).toEqual({ connection: 'error', error: 'backend gone' })
  })

  it('stops applying after stop', async () => {
    const { api, model, stop } = setup()
    await api.answer(snapshot(1, 0))
    stop()
    api.push(batch(1, 1, { values: [value('a', 7)] }))
    expect(model.values.values.get('a')?.value).toBe(1)
  })
})

describe('LiveModel', () => {
  it('says which parts a batch changed and keeps the traffic, put log and rates', () => {
    const model = new LiveModel()
    model.applySnapshot(snapshot(1, 0), 0)
    model.putLog.load([], 1)
    const put: LiveTrafficEvent = { ...get(2), op: 'put-done', client: 'c1', oldValue: '1', newValue: '2' }
    const parts = model.applyBatch(
      batch(1, 1, {
        values: [value('a', 2, 1_000_100, 10)],
        traffic: {
          events: [put],
          clients: { c1: { key: 'c1', circuitId: 1, address: '127.0.0.1', port: 1, host: 'h', user: 'u' } },
          recorded: 5,
          dropped: 4,
          byOp: { 'put-done': 1, get: 4 },
          failures: 0,
          lastSeq: 6,
        },
      }),
    )
    expect(parts).toBe(Part.VALUES | Part.TRAFFIC | Part.PUT_LOG)
    expect(model.traffic.recorded).toBe(6)
    expect(model.traffic.dropped).toBe(4)
    expect(model.trafficView.rows.size).toBe(2)
    expect(model.putLog.entries.at(0)).toMatchObject({
      pv: 'a',
      oldValue: '1',
      newValue: '2',
      client: { user: 'u' },
    })
    expect(model.values.rollRates(2000)).toBe(true)
    expect(model.values.updatesPerSecond('a')).toBe(5)
    expect(model.values.rollRates(2500)).toBe(false)
  })
})

describe('FrameCoalescer', () => {
  it('runs once per frame with every flag requested meanwhile', () => {
    const frames: (() => void)[] = []
    const runs: number[] = []
    const coalescer = new FrameCoalescer(
      (flags) => runs.push(flags),
      (callback) => frames.push(callback),
    )
    coalescer.request(1)
    coalescer.request(2)
    coalescer.request(0)
    expect(frames).toHaveLength(1)
    frames.shift()!()
    expect(runs).toEqual([3])
    coalescer.request(0)
    expect(frames).toHaveLength(0)
    coalescer.request(4)
    frames.shift()!()
    expect(runs).toEqual([3, 4])
  })
})

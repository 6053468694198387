/**
 * Puts through libca: by number and by string, enum by name and by index, arrays and long strings, each with
 * (WRITE_NOTIFY) and without (WRITE) callback; a slow write is only confirmed once it has completed; a
 * read-only channel refuses puts with ECA_NOWTACCESS, in libca and on the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NativeType } from '../../src-main/ca/wire/snapshot'
import { StaticPvProvider } from '../support/static-provider'
import type { StaticPvDefinition } from '../support/static-provider'
import { pyepics } from '../support/system'
import { runDriver } from './support/python-driver'
import { Cmd, ECA_NORMAL, ECA_NOWTACCESS, RawCircuit, greeting, writeDouble } from './support/raw-ca'
import { startTestServer } from './support/server'
import type { TestServer } from './support/server'

const ports = { serverPort: 16200, repeaterPort: 16201 }
const { STRING, SHORT, FLOAT, ENUM, CHAR, LONG, DOUBLE } = NativeType
const ECA_PUTFAIL = 160
const SLOW_WRITE_MS = 400
const LONG_TEXT = 'Written as a long string: more than forty characters, through a CHAR array'

interface PutCase {
  /** Suffix of the PV name; each case gets one PV for the WRITE and one for the WRITE_NOTIFY run. */
  readonly id: string
  readonly pv: Omit<StaticPvDefinition, 'name'>
  readonly type: number
  readonly values: Array<number | string>
  /** Expected stored value (the PV's native storage as a plain array), or the ECA failure it must report. */
  readonly stored?: Array<number | string>
  readonly failure?: number
}

const enumPv = { type: ENUM, value: 0, metadata: { enumStrings: ['Off', 'On', 'Fault'] } }
const CASES: PutCase[] = [
  { id: 'double-by-number', pv: { type: DOUBLE, value: 0 }, type: DOUBLE, values: [1.25], stored: [1.25] },
  { id: 'double-by-string', pv: { type: DOUBLE, value: 0 }, type: STRING, values: ['3.5'], stored: [3.5] },
  { id: 'float-by-string', pv: { type: FLOAT, value: 0 }, type: STRING, values: ['-0.5'], stored: [-0.5] },
  { id: 'long-by-string', pv: { type: LONG, value: 0 }, type: STRING, values: ['42'], stored: [42] },
  { id: 'long-by-double', pv: { type: LONG, value: 0 }, type: DOUBLE, values: [7.9], stored: [7] },
  { id: 'short-by-long', pv: { type: SHORT, value: 0 }, type: LONG, values: [-300], stored: [-300] },
  { id: 'char-by-short', pv: { type: CHAR, value: 0 }, type: SHORT, values: [65], stored: [65] },
  {
    id: 'string-by-string',
    pv: { type: STRING, value: '' },
    type: STRING,
    values: ['new text'],
    stored: ['new text'],
  },
  { id: 'string-by-long', pv: { type: STRING, value: '' }, type: LONG, values: [17], stored: ['17'] },
  { id: 'enum-by-name', pv: enumPv, type: STRING, values: ['Fault'], stored: [2] },
  { id: 'enum-by-index-string', pv: enumPv, type: STRING, values: ['1'], stored: [1] },
  { id: 'enum-by-index', pv: enumPv, type: SHORT, values: [2], stored: [2] },
  { id: 'enum-by-enum', pv: enumPv, type: ENUM, values: [1], stored: [1] },
  { id: 'enum-bad-name', pv: enumPv, type: STRING, values: ['Nope'], failure: ECA_PUTFAIL },
  {
    id: 'double-bad-string',
    pv: { type: DOUBLE, value: 5 },
    type: STRING,
    values: ['abc'],
    failure: ECA_PUTFAIL,
  },
  {
    id: 'array',
    pv: { type: DOUBLE, value: [0], maxCount: 10 },
    type: DOUBLE,
    values: [1, 2, 3],
    stored: [1, 2, 3],
  },
  {
    id: 'long-string',
    pv: { type: CHAR, value: '', maxCount: 256 },
    type: CHAR,
    values: [...Buffer.from(`${LONG_TEXT}\0`, 'latin1')],
    stored: [...Buffer.from(`${LONG_TEXT}\0`, 'latin1')],
  },
]

interface PutOutcome {
  issued: number
  completion?: number
  seconds?: number
  readback: { eca: number; value: Array<number | string> }
}

interface PutResult {
  access: Record<string, { read: boolean; write: boolean }>
  puts: PutOutcome[]
  caput: Array<{ status: number; readback: unknown }>
}

const system = pyepics()

describe.skipIf(!system.available)('puts from libca (pyepics)', () => {
  let provider: StaticPvProvider
  let server: TestServer
  let result: PutResult
  const stored = (name: string) => Array.from(provider.get(name).snapshot.value as ArrayLike<number | string>)
  const runs = CASES.flatMap((c) =>
    [false, true].map((notify) => ({ ...c, notify, name: `put:${c.id}:${notify ? 'cb' : 'plain'}` })),
  )

  beforeAll(async () => {
    provider = new StaticPvProvider([
      ...runs.map((r) => ({ ...r.pv, name: r.name })),
      {
        name: 'put:slow',
        type: DOUBLE,
        value: 0,
        onWrite: async (pv, value) => {
          await new Promise((r) => setTimeout(r, SLOW_WRITE_MS))
          pv.set(value)
          return { status: ECA_NORMAL }
        },
      },
      { name: 'put:ro', type: DOUBLE, value: 9, readOnly: true },
      { name: 'put:hl:double', type: DOUBLE, value: 0 },
      { name: 'put:hl:enum', ...enumPv },
      { name: 'put:hl:longstr', type: CHAR, value: '', maxCount: 256 },
    ])
    server = await startTestServer(provider, ports)
    result = await runDriver<PutResult>(
      'puts.py',
      {
        puts: [
          ...runs.map((r) => ({ name: r.name, type: r.type, values: r.values, notify: r.notify })),
          { name: 'put:slow', type: DOUBLE, values: [8.5], notify: true },
          { name: 'put:ro', type: DOUBLE, values: [1], notify: false },
          { name: 'put:ro', type: DOUBLE, values: [2], notify: true },
        ],
        caput: [
          { name: 'put:hl:double', value: 6.5 },
          { name: 'put:hl:enum', value: 'On' },
          { name: 'put:hl:longstr', value: LONG_TEXT },
        ],
      },
      ports,
    )
  })

  afterAll(async () => {
    await server?.close()
  })

  it('stores every put, converted to the native type, with and without callback', () => {
    runs.forEach((run, i) => {
      const outcome = result.puts[i]
      const context = `${run.name} (${run.type} ${JSON.stringify(run.values)})`
      expect(outcome.issued, context).toBe(ECA_NORMAL)
      if (run.failure === undefined) {
        if (run.notify) expect(outcome.completion, context).toBe(ECA_NORMAL)
        expect(outcome.readback.value, context).toEqual(run.stored)
        expect(stored(run.name), context).toEqual(run.stored)
      } else {
        // WRITE_NOTIFY reports the failure in its reply; a plain WRITE leaves the value unchanged.
        if (run.notify) expect(outcome.completion, context).toBe(run.failure)
        expect(outcome.readback.value, context).toEqual([run.pv.value])
        expect(provider.get(run.name).snapshot.value[0], context).toBe(run.pv.value)
      }
    })
  })

  it('confirms a put-callback only after the write has completed', () => {
    const slow = result.puts[runs.length]
    expect(slow.completion).toBe(ECA_NORMAL)
    expect(slow.seconds).toBeGreaterThanOrEqual((SLOW_WRITE_MS - 20) / 1000)
    expect(slow.readback.value).toEqual([8.5])
  })

  it('refuses puts to a read-only channel with ECA_NOWTACCESS', () => {
    expect(result.access['put:ro']).toEqual({ read: true, write: false })
    const [plain, notify] = result.puts.slice(runs.length + 1)
    // libca knows the rights from ACCESS_RIGHTS and refuses before sending anything.
    expect(plain.issued).toBe(ECA_NOWTACCESS)
    expect(notify.issued).toBe(ECA_NOWTACCESS)
    expect(plain.readback.value).toEqual([9])
    expect(provider.get('put:ro').writeCount).toBe(0)
  })

  it('works with pyepics caput (wait=True): numbers, enum names, long strings', () => {
    expect(result.caput.map((c) => c.status)).toEqual([1, 1, 1])
    expect(provider.get('put:hl:double').snapshot.value[0]).toBe(6.5)
    expect(provider.get('put:hl:enum').snapshot.value[0]).toBe(1)
    expect(Buffer.from(provider.get('put:hl:longstr').snapshot.value as Uint8Array).toString('latin1')).toBe(
      `${LONG_TEXT}\0`,
    )
    expect(result.caput[1].readback).toBe(1)
  })

  it('answers puts a client sends anyway to a read-only channel: WRITE with ERROR, WRITE_NOTIFY with status', async () => {
    const circuit = await RawCircuit.open(ports.serverPort)
    try {
      circuit.send(greeting())
      const channel = await circuit.createChannel('put:ro', 7)
      expect(channel.rights).toBe(1)
      circuit.send(writeDouble(Cmd.WRITE_NOTIFY, channel.sid, 41, 5))
      const notify = await circuit.next((m) => m.command === Cmd.WRITE_NOTIFY && m.p2 === 41)
      expect(notify).toMatchObject({ p1: ECA_NOWTACCESS, dataType: DOUBLE, count: 1 })
      circuit.send(writeDouble(Cmd.WRITE, channel.sid, 7, 6))
      const error = await circuit.next((m) => m.command === Cmd.ERROR)
      expect(error).toMatchObject({ p1: 7, p2: ECA_NOWTACCESS })
      // The ERROR payload starts with the offending request's header.
      expect(error!.payload.readUInt16BE(0)).toBe(Cmd.WRITE)
      expect(provider.get('put:ro').snapshot.value[0]).toBe(9)
      expect(await circuit.echo()).toBe(true)
    } finally {
      circuit.close()
    }
  })
})

/**
 * Gets through Debian's libca (pyepics' library, explicit DBR types via ctypes): every native type as every
 * DBR family, conversions between types, arrays of 1, 5, 5,000 (above 16 KiB) and 100,000 elements, count 0,
 * long strings, and the same PVs through pyepics' own caget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NativeType } from '../../src-main/ca/wire/snapshot'
import { StaticPvProvider } from '../support/static-provider'
import type { StaticPvDefinition } from '../support/static-provider'
import { pyepics } from '../support/system'
import { runDriver } from './support/python-driver'
import { startTestServer } from './support/server'
import type { TestServer } from './support/server'

const ports = { serverPort: 16100, repeaterPort: 16101 }
const { STRING, SHORT, FLOAT, ENUM, CHAR, LONG, DOUBLE } = NativeType
const FAMILIES = ['plain', 'STS', 'TIME', 'GR', 'CTRL'] as const
const ECA_NORMAL = 1
const ECA_GETFAIL = 152

const limits = (disp: number, alarm: number, warning: number, control: number) => ({
  upperDisplayLimit: disp,
  lowerDisplayLimit: -disp,
  upperAlarmLimit: alarm,
  upperWarningLimit: warning,
  lowerWarningLimit: -warning,
  lowerAlarmLimit: -alarm,
  upperControlLimit: control,
  lowerControlLimit: -control,
})

/** One PV per native type, with alarm state and metadata that every family must carry through. */
const NATIVE_PVS: Record<number, StaticPvDefinition> = {
  [STRING]: { name: 'it:string', type: STRING, value: 'hello interop', metadata: { recordType: 'stringin' } },
  [SHORT]: {
    name: 'it:short',
    type: SHORT,
    value: -123,
    status: 6,
    severity: 2,
    metadata: { units: 'cnt', ...limits(1000, 900, 800, 500), recordType: 'longin' },
  },
  [FLOAT]: {
    name: 'it:float',
    type: FLOAT,
    value: 3.25,
    metadata: { units: 'V', precision: 2, ...limits(100, 90, 80, 50), recordType: 'ai' },
  },
  [ENUM]: {
    name: 'it:enum',
    type: ENUM,
    value: 1,
    metadata: { enumStrings: ['Off', 'On', 'Fault'], recordType: 'mbbi' },
  },
  [CHAR]: {
    name: 'it:char',
    type: CHAR,
    value: 200,
    metadata: {
      units: 'B',
      upperDisplayLimit: 250,
      lowerDisplayLimit: 0,
      upperAlarmLimit: 240,
      upperWarningLimit: 230,
      lowerWarningLimit: 20,
      lowerAlarmLimit: 10,
      upperControlLimit: 220,
      lowerControlLimit: 30,
    },
  },
  [LONG]: {
    name: 'it:long',
    type: LONG,
    value: -100_000,
    metadata: { units: 'cnt', ...limits(1_000_000, 900_000, 800_000, 500_000) },
  },
  [DOUBLE]: {
    name: 'it:double',
    type: DOUBLE,
    value: 2.718281828,
    status: 4,
    severity: 1,
    metadata: { units: 'mm', precision: 4, ...limits(10, 9, 8, 5), recordType: 'ai' },
  },
}

const LONG_TEXT = 'A long string, well beyond the 40 characters of a DBR_STRING: 0123456789'
const DESC_TEXT = 'Read through a $ long-string name, also longer than forty characters'
const BIG = Float64Array.from({ length: 100_000 }, (_, i) => i * 0.25 - 7)
const ABOVE_16K = Int32Array.from({ length: 5_000 }, (_, i) => i * 3 - 2_000)

const OTHER_PVS: StaticPvDefinition[] = [
  { name: 'it:numstr', type: STRING, value: '12.5' },
  { name: 'it:arr:1', type: DOUBLE, value: [1.5], maxCount: 1 },
  { name: 'it:arr:5', type: SHORT, value: [1, 2, 3, 4, 5] },
  { name: 'it:arr:20k', type: LONG, value: ABOVE_16K },
  { name: 'it:arr:100k', type: DOUBLE, value: BIG },
  { name: 'it:arr:var', type: FLOAT, value: [1, 2, 3], maxCount: 100 },
  { name: 'it:longstr', type: CHAR, value: LONG_TEXT, maxCount: 256 },
  { name: 'it:desc$', type: CHAR, value: DESC_TEXT, maxCount: 128 },
]

interface GetReply {
  eca: number | null
  type: number
  count: number
  value?: Array<number | string>
  status?: number
  severity?: number
  seconds?: number
  nanoseconds?: number
  units?: string
  precision?: number
  enum_strs?: string[]
  ackt?: number
  acks?: number
  [limit: string]: unknown
}

interface Request {
  name: string
  type: number
  count?: number
}

interface GetResult {
  channels: Record<string, { native_type: number; element_count: number; read: boolean; write: boolean }>
  gets: GetReply[]
  pyepics: unknown[]
}

const INTEGER_RANGE: Record<number, [number, number]> = {
  [SHORT]: [-32768, 32767],
  [ENUM]: [0, 65535],
  [CHAR]: [0, 255],
  [LONG]: [-(2 ** 31), 2 ** 31 - 1],
}

/** What a numeric value reads as in another numeric type; undefined where C leaves it undefined. */
function numericAs(value: number, type: number): number | undefined {
  if (type === DOUBLE) return value
  if (type === FLOAT) return Math.fround(value)
  const truncated = Math.trunc(value)
  const [low, high] = INTEGER_RANGE[type]
  return truncated >= low && truncated <= high ? truncated : undefined
}

const system = pyepics()

describe.skipIf(!system.available)('gets from libca (pyepics)', () => {
  let provider: StaticPvProvider
  let server: TestServer
  let result: GetResult
  const requests: Request[] = []
  const at = new Map<string, number>()
  const ask = (key: string, request: Request) => {
    at.set(key, requests.length)
    requests.push(request)
  }
  const reply = (key: string): GetReply => result.gets[at.get(key)!]

  beforeAll(async () => {
    provider = new StaticPvProvider([...Object.values(NATIVE_PVS), ...OTHER_PVS])
    server = await startTestServer(provider, ports)
    for (const [native, pv] of Object.entries(NATIVE_PVS)) {
      FAMILIES.forEach((family, f) =>
        ask(`${pv.name} ${family}`, { name: pv.name, type: f * 7 + Number(native) }),
      )
      for (let target = 0; target < 7; target++)
        ask(`${pv.name} as ${target}`, { name: pv.name, type: target })
    }
    for (let target = 0; target < 7; target++)
      ask(`it:numstr as ${target}`, { name: 'it:numstr', type: target })
    ask('stsack', { name: 'it:double', type: 37 })
    ask('class', { name: 'it:double', type: 38 })
    ask('ctrl double of long', { name: 'it:long', type: 34 })
    ask('ctrl long of double', { name: 'it:double', type: 33 })
    ask('gr enum of double', { name: 'it:double', type: 24 })
    ask('ctrl string of enum', { name: 'it:enum', type: 28 })
    ask('time string of double', { name: 'it:double', type: 14 })
    ask('arr1', { name: 'it:arr:1', type: DOUBLE, count: 1 })
    ask('arr5', { name: 'it:arr:5', type: SHORT, count: 5 })
    ask('arr5 time long', { name: 'it:arr:5', type: 19, count: 5 })
    ask('arr5 first 3', { name: 'it:arr:5', type: SHORT, count: 3 })
    ask('arr5 count 0', { name: 'it:arr:5', type: 15, count: 0 })
    ask('20k', { name: 'it:arr:20k', type: LONG, count: 5_000 })
    ask('100k', { name: 'it:arr:100k', type: DOUBLE, count: 100_000 })
    ask('100k time count 0', { name: 'it:arr:100k', type: 20, count: 0 })
    ask('100k as float', { name: 'it:arr:100k', type: FLOAT, count: 100_000 })
    ask('var count 0', { name: 'it:arr:var', type: 16, count: 0 })
    ask('var count 100', { name: 'it:arr:var', type: FLOAT, count: 100 })
    ask('longstr', { name: 'it:longstr', type: CHAR, count: 0 })
    ask('desc$', { name: 'it:desc$', type: CHAR, count: 0 })
    result = await runDriver<GetResult>(
      'get_matrix.py',
      {
        requests,
        pyepics: [
          { name: 'it:double' },
          { name: 'it:double', as_string: true },
          { name: 'it:enum', as_string: true },
          { name: 'it:string' },
          { name: 'it:char' },
          { name: 'it:longstr', as_string: true },
          { name: 'it:desc$', as_string: true },
          { name: 'it:arr:20k' },
          { name: 'it:arr:100k' },
        ],
      },
      ports,
    )
  })

  afterAll(async () => {
    await server?.close()
  })

  it('connects every channel with its native type, declared count and read/write rights', () => {
    for (const [native, pv] of Object.entries(NATIVE_PVS)) {
      expect(result.channels[pv.name]).toEqual({
        native_type: Number(native),
        element_count: 1,
        read: true,
        write: true,
      })
    }
    expect(result.channels['it:arr:100k'].element_count).toBe(100_000)
    expect(result.channels['it:arr:var'].element_count).toBe(100)
    expect(result.channels['it:desc$']).toMatchObject({ native_type: CHAR, element_count: 128 })
  })

  it('answers every native type in every DBR family with the value, alarm, time stamp and metadata', () => {
    for (const [nativeText, pv] of Object.entries(NATIVE_PVS)) {
      const native = Number(nativeText)
      const snapshot = provider.get(pv.name).snapshot
      const meta = snapshot.metadata
      const value =
        native === STRING ? [pv.value] : [native === FLOAT ? Math.fround(Number(pv.value)) : pv.value]
      FAMILIES.forEach((family, f) => {
        const got = reply(`${pv.name} ${family}`)
        const context = `${pv.name} as ${family} (DBR ${f * 7 + native})`
        expect(got, context).toMatchObject({ eca: ECA_NORMAL, type: f * 7 + native, count: 1, value })
        if (f >= 1) expect(got, context).toMatchObject({ status: pv.status ?? 0, severity: pv.severity ?? 0 })
        if (f === 2) {
          expect(got, context).toMatchObject({
            seconds: snapshot.secondsPastEpoch,
            nanoseconds: snapshot.nanoseconds,
          })
        }
        if (f >= 3 && native === ENUM) expect(got.enum_strs, context).toEqual(['Off', 'On', 'Fault'])
        if (f >= 3 && native !== ENUM && native !== STRING) {
          const cast = (n: number) => (native === FLOAT ? Math.fround(n) : n)
          expect(got, context).toMatchObject({
            units: meta.units,
            upper_disp: cast(meta.upperDisplayLimit),
            lower_disp: cast(meta.lowerDisplayLimit),
            upper_alarm: cast(meta.upperAlarmLimit),
            upper_warning: cast(meta.upperWarningLimit),
            lower_warning: cast(meta.lowerWarningLimit),
            lower_alarm: cast(meta.lowerAlarmLimit),
          })
          if (native === FLOAT || native === DOUBLE) expect(got.precision, context).toBe(meta.precision)
          if (f === 4) {
            expect(got, context).toMatchObject({
              upper_ctrl: cast(meta.upperControlLimit),
              lower_ctrl: cast(meta.lowerControlLimit),
            })
          } else expect(got.upper_ctrl, context).toBeUndefined()
        }
      })
    }
  })

  it('converts between the plain types as rsrv does (precision, enum strings, truncation)', () => {
    const asString: Record<number, string> = {
      [STRING]: 'hello interop',
      [SHORT]: '-123',
      [FLOAT]: '3.25',
      [ENUM]: 'On',
      [CHAR]: '200',
      [LONG]: '-100000',
      [DOUBLE]: '2.7183',
    }
    for (const [nativeText, pv] of Object.entries(NATIVE_PVS)) {
      const native = Number(nativeText)
      expect(reply(`${pv.name} as ${STRING}`), `${pv.name} as STRING`).toMatchObject({
        eca: ECA_NORMAL,
        value: [asString[native]],
      })
      for (let target = 1; target < 7; target++) {
        const got = reply(`${pv.name} as ${target}`)
        const context = `${pv.name} as plain type ${target}`
        if (native === STRING) {
          // Our documented long-string rule (src-main/ca/wire/dbr.ts): a STRING read as CHAR gives its bytes.
          if (target === CHAR)
            expect(got, context).toMatchObject({ eca: ECA_NORMAL, value: ['h'.charCodeAt(0)] })
          // "hello interop" has no digits: the conversion fails and says so, in the reply.
          else expect(got.eca, context).toBe(ECA_GETFAIL)
          continue
        }
        const source = native === FLOAT ? Math.fround(Number(pv.value)) : Number(pv.value)
        const expected = numericAs(source, target)
        if (expected === undefined) continue
        expect(got, context).toMatchObject({ eca: ECA_NORMAL, type: target, value: [expected] })
      }
    }
    const numeric: Record<number, number> = {
      [SHORT]: 12,
      [FLOAT]: 12.5,
      [LONG]: 12,
      [DOUBLE]: 12.5,
    }
    for (const [target, expected] of Object.entries(numeric)) {
      expect(reply(`it:numstr as ${target}`), `"12.5" as ${target}`).toMatchObject({
        eca: ECA_NORMAL,
        value: [expected],
      })
    }
  })

  it('serves the special and cross-family types', () => {
    expect(reply('stsack')).toMatchObject({
      eca: ECA_NORMAL,
      status: 4,
      severity: 1,
      ackt: 1,
      acks: 0,
      value: ['2.7183'],
    })
    expect(reply('class')).toMatchObject({ eca: ECA_NORMAL, value: ['ai'] })
    expect(reply('ctrl double of long')).toMatchObject({
      eca: ECA_NORMAL,
      precision: 0,
      units: 'cnt',
      upper_disp: 1_000_000,
      lower_ctrl: -500_000,
      value: [-100_000],
    })
    expect(reply('ctrl long of double')).toMatchObject({
      eca: ECA_NORMAL,
      units: 'mm',
      upper_disp: 10,
      upper_alarm: 9,
      lower_warning: -8,
      upper_ctrl: 5,
      value: [2],
    })
    expect(reply('gr enum of double')).toMatchObject({ eca: ECA_NORMAL, enum_strs: [], value: [2] })
    expect(reply('ctrl string of enum')).toMatchObject({ eca: ECA_NORMAL, status: 0, value: ['On'] })
    const stamp = provider.get('it:double').snapshot
    expect(reply('time string of double')).toMatchObject({
      eca: ECA_NORMAL,
      status: 4,
      severity: 1,
      seconds: stamp.secondsPastEpoch,
      value: ['2.7183'],
    })
  })

  it('serves arrays of 1, 5, 5,000 (20 KB) and 100,000 elements, partial counts and count 0', () => {
    expect(reply('arr1')).toMatchObject({ eca: ECA_NORMAL, count: 1, value: [1.5] })
    expect(reply('arr5')).toMatchObject({ count: 5, value: [1, 2, 3, 4, 5] })
    expect(reply('arr5 time long')).toMatchObject({ count: 5, value: [1, 2, 3, 4, 5] })
    expect(reply('arr5 first 3')).toMatchObject({ count: 3, value: [1, 2, 3] })
    expect(reply('arr5 count 0')).toMatchObject({ eca: ECA_NORMAL, count: 5, value: [1, 2, 3, 4, 5] })
    expect(reply('20k')).toMatchObject({ eca: ECA_NORMAL, count: 5_000 })
    expect(reply('20k').value).toEqual(Array.from(ABOVE_16K))
    expect(reply('100k')).toMatchObject({ eca: ECA_NORMAL, count: 100_000 })
    expect(reply('100k').value).toEqual(Array.from(BIG))
    expect(reply('100k time count 0')).toMatchObject({ eca: ECA_NORMAL, count: 100_000 })
    expect(reply('100k time count 0').value).toEqual(Array.from(BIG))
    expect(reply('100k as float').value).toEqual(Array.from(BIG, (v) => Math.fround(v)))
  })

  it('gives "current length" for count 0 and zero-fills up to a larger requested count', () => {
    expect(reply('var count 0')).toMatchObject({ eca: ECA_NORMAL, count: 3, value: [1, 2, 3] })
    expect(reply('var count 100')).toMatchObject({ eca: ECA_NORMAL, count: 100 })
    expect(reply('var count 100').value).toEqual([1, 2, 3, ...new Array(97).fill(0)])
  })

  it('serves long strings as CHAR arrays, also under a $ name', () => {
    const bytes = (text: string) => [...Buffer.from(`${text}\0`, 'latin1')]
    expect(reply('longstr')).toMatchObject({
      eca: ECA_NORMAL,
      count: LONG_TEXT.length + 1,
      value: bytes(LONG_TEXT),
    })
    expect(reply('desc$')).toMatchObject({
      eca: ECA_NORMAL,
      count: DESC_TEXT.length + 1,
      value: bytes(DESC_TEXT),
    })
  })

  it("agrees with pyepics' own caget", () => {
    expect(result.pyepics).toEqual([
      2.718281828,
      '2.7183',
      'On',
      'hello interop',
      200,
      LONG_TEXT,
      DESC_TEXT,
      Array.from(ABOVE_16K),
      Array.from(BIG),
    ])
  })
})

import { describe, expect, it } from 'vitest'
import {
  DbrConversionError,
  availableCount,
  dbrSize,
  decodeDbr,
  decodePutAcknowledge,
  decodePutValue,
  encodeDbr,
  paddedDbrSize,
} from './dbr'
import {
  DbrType,
  ECA_BADCOUNT,
  ECA_BADSTR,
  ECA_BADTYPE,
  ECA_GETFAIL,
  ECA_NOCONVERT,
  ECA_PUTFAIL,
} from './dbr-types'
import { EMPTY_METADATA, NativeType, type PvMetadata, type PvSnapshot, type PvValue } from './snapshot'

const PLAIN = [
  DbrType.STRING,
  DbrType.SHORT,
  DbrType.FLOAT,
  DbrType.ENUM,
  DbrType.CHAR,
  DbrType.LONG,
  DbrType.DOUBLE,
] as const

function snapshot(type: NativeType, value: PvValue, metadata: Partial<PvMetadata> = {}): PvSnapshot {
  return {
    type,
    value,
    status: 0,
    severity: 0,
    secondsPastEpoch: 0,
    nanoseconds: 0,
    acknowledgeTransient: false,
    unacknowledgedSeverity: 0,
    metadata: { ...EMPTY_METADATA, ...metadata },
  }
}

function encode(dbrType: number, count: number, source: PvSnapshot): Buffer {
  const target = Buffer.alloc(paddedDbrSize(dbrType, count), 0xee)
  expect(encodeDbr(target, 0, dbrType, count, source)).toBe(target.length)
  return target
}

function roundTrip(dbrType: number, count: number, source: PvSnapshot) {
  return decodeDbr(encode(dbrType, count, source), 0, dbrType, count)
}

function failure(action: () => unknown): DbrConversionError {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(DbrConversionError)
    return error as DbrConversionError
  }
  throw new Error('expected a DbrConversionError')
}

describe('gets: every native type as every plain type', () => {
  const natives: [string, PvSnapshot, unknown[]][] = [
    ['STRING "42.5"', snapshot(NativeType.STRING, ['42.5']), ['42.5', 42, 42.5, 42, 52, 42, 42.5]],
    ['SHORT -5', snapshot(NativeType.SHORT, Int16Array.of(-5)), ['-5', -5, -5, 65531, 251, -5, -5]],
    [
      'FLOAT 2.5',
      snapshot(NativeType.FLOAT, Float32Array.of(2.5), { precision: 2 }),
      ['2.50', 2, 2.5, 2, 2, 2, 2.5],
    ],
    [
      'ENUM 1',
      snapshot(NativeType.ENUM, Uint16Array.of(1), { enumStrings: ['Off', 'On'] }),
      ['On', 1, 1, 1, 1, 1, 1],
    ],
    ['CHAR 65', snapshot(NativeType.CHAR, Uint8Array.of(65)), ['65', 65, 65, 65, 65, 65, 65]],
    [
      'LONG 100000',
      snapshot(NativeType.LONG, Int32Array.of(100000)),
      ['100000', -31072, 100000, 34464, 160, 100000, 100000],
    ],
    [
      'DOUBLE 3.14159',
      snapshot(NativeType.DOUBLE, Float64Array.of(3.14159), { precision: 3 }),
      ['3.142', 3, Math.fround(3.14159), 3, 3, 3, 3.14159],
    ],
  ]
  it.each(natives)('%s', (_, source, expected) => {
    expect(PLAIN.map((type) => roundTrip(type, 1, source).value[0])).toEqual(expected)
  })
})

describe('puts: every plain type into every native type', () => {
  const metadata = { ...EMPTY_METADATA, enumStrings: ['Zero', 'One'] }
  const wires: [string, number, PvSnapshot, unknown[]][] = [
    ['STRING "1"', DbrType.STRING, snapshot(NativeType.STRING, ['1']), ['1', 1, 1, 1, 1, 1, 1]],
    [
      'SHORT -2',
      DbrType.SHORT,
      snapshot(NativeType.SHORT, Int16Array.of(-2)),
      ['-2', -2, -2, 65534, 254, -2, -2],
    ],
    [
      'FLOAT 2.75',
      DbrType.FLOAT,
      snapshot(NativeType.FLOAT, Float32Array.of(2.75)),
      ['2.750000', 2, 2.75, 2, 2, 2, 2.75],
    ],
    ['ENUM 1', DbrType.ENUM, snapshot(NativeType.ENUM, Uint16Array.of(1)), ['1', 1, 1, 1, 1, 1, 1]],
    [
      'CHAR 200',
      DbrType.CHAR,
      snapshot(NativeType.CHAR, Uint8Array.of(200)),
      ['\u00c8', 200, 200, 200, 200, 200, 200],
    ],
    [
      'LONG 70000',
      DbrType.LONG,
      snapshot(NativeType.LONG, Int32Array.of(70000)),
      ['70000', 4464, 70000, 4464, 112, 70000, 70000],
    ],
    [
      'DOUBLE 1.5',
      DbrType.DOUBLE,
      snapshot(NativeType.DOUBLE, Float64Array.of(1.5)),
      ['1.500000', 1, 1.5, 1, 1, 1, 1.5],
    ],
  ]
  it.each(wires)('%s', (_, wireType, source, expected) => {
    const payload = encode(wireType, 1, source)
    const natives = [0, 1, 2, 3, 4, 5, 6] as NativeType[]
    const values = natives.map((native) =>
      decodePutValue(payload, 0, payload.length, wireType, 1, native, metadata),
    )
    expect(values.map((value) => value[0])).toEqual(expected)
    expect(values.map((value) => value.constructor)).toEqual([
      Array,
      Int16Array,
      Float32Array,
      Uint16Array,
      Uint8Array,
      Int32Array,
      Float64Array,
    ])
  })
})

describe('GR/CTRL metadata for other native types', () => {
  const limits = {
    units: 'degrees C',
    precision: 3,
    upperDisplayLimit: 1e10,
    lowerDisplayLimit: -5.7,
    upperAlarmLimit: 40000,
    upperWarningLimit: 300.9,
    lowerWarningLimit: -1,
    lowerAlarmLimit: NaN,
    upperControlLimit: 255.5,
    lowerControlLimit: -1e10,
  }
  const double = snapshot(NativeType.DOUBLE, Float64Array.of(12.75), limits)

  it('converts limits to the requested type (saturating) and cuts units to 7 bytes', () => {
    expect(roundTrip(DbrType.CTRL_SHORT, 1, double)).toMatchObject({
      value: Int16Array.of(12),
      units: 'degrees',
      upperDisplayLimit: 32767,
      lowerDisplayLimit: -5,
      upperAlarmLimit: 32767,
      upperWarningLimit: 300,
      lowerWarningLimit: -1,
      lowerAlarmLimit: 0,
      upperControlLimit: 255,
      lowerControlLimit: -32768,
    })
    expect(roundTrip(DbrType.CTRL_CHAR, 1, double)).toMatchObject({
      upperDisplayLimit: 255,
      lowerDisplayLimit: 0,
      upperControlLimit: 255,
    })
    expect(roundTrip(DbrType.GR_FLOAT, 1, double)).toMatchObject({ precision: 3, upperDisplayLimit: 1e10 })
  })

  it('sends precision only for FLOAT/DOUBLE natives', () => {
    const long = snapshot(NativeType.LONG, Int32Array.of(7), limits)
    expect(roundTrip(DbrType.CTRL_DOUBLE, 1, long)).toMatchObject({ precision: 0, value: Float64Array.of(7) })
    const float = snapshot(NativeType.FLOAT, Float32Array.of(7), limits)
    expect(roundTrip(DbrType.CTRL_DOUBLE, 1, float).precision).toBe(3)
  })

  it('gives no enum strings for a non-enum PV and the value as u16', () => {
    const decoded = roundTrip(DbrType.CTRL_ENUM, 1, double)
    expect(decoded.enumStrings).toEqual([])
    expect(decoded.value).toEqual(Uint16Array.of(12))
  })

  it('sends at most 16 enum states of at most 25 bytes', () => {
    const states = Array.from({ length: 20 }, (_, i) => `state ${i} ${'x'.repeat(30)}`)
    const decoded = roundTrip(
      DbrType.GR_ENUM,
      1,
      snapshot(NativeType.ENUM, Uint16Array.of(17), { enumStrings: states }),
    )
    expect(decoded.enumStrings).toHaveLength(16)
    expect(decoded.enumStrings![3]).toBe(states[3].slice(0, 25))
    expect(
      roundTrip(DbrType.STRING, 1, snapshot(NativeType.ENUM, Uint16Array.of(17), { enumStrings: states }))
        .value,
    ).toEqual(['Illegal Value'])
  })

  it('encodes the text of each metadata object, however often it is reused', () => {
    const volts = { ...double.metadata, units: 'V', enumStrings: ['a'] }
    expect(roundTrip(DbrType.GR_DOUBLE, 1, double).units).toBe('degrees')
    expect(roundTrip(DbrType.GR_DOUBLE, 1, { ...double, metadata: volts }).units).toBe('V')
    expect(roundTrip(DbrType.GR_DOUBLE, 1, double).units).toBe('degrees')
    const states = { ...volts, enumStrings: ['Low', 'High'] }
    const enumPv = snapshot(NativeType.ENUM, Uint16Array.of(1))
    expect(roundTrip(DbrType.CTRL_ENUM, 1, { ...enumPv, metadata: volts }).enumStrings).toEqual(['a'])
    expect(roundTrip(DbrType.CTRL_ENUM, 1, { ...enumPv, metadata: states }).enumStrings).toEqual([
      'Low',
      'High',
    ])
  })

  it('carries status, severity and stamp in every compound family', () => {
    const alarmed = {
      ...double,
      status: 3,
      severity: 2,
      secondsPastEpoch: 0xfffffffe,
      nanoseconds: 999_999_999,
    }
    expect(roundTrip(DbrType.TIME_STRING, 1, alarmed)).toMatchObject({
      value: ['12.750'],
      status: 3,
      severity: 2,
      secondsPastEpoch: 0xfffffffe,
      nanoseconds: 999_999_999,
    })
    expect(roundTrip(DbrType.CTRL_STRING, 1, alarmed)).toMatchObject({
      value: ['12.750'],
      status: 3,
      severity: 2,
    })
  })
})

describe('element counts', () => {
  const wave = snapshot(NativeType.DOUBLE, Float64Array.of(1, 2, 3))

  it('zero-fills elements beyond the current length and truncates to the requested count', () => {
    expect(roundTrip(DbrType.DOUBLE, 5, wave).value).toEqual(Float64Array.of(1, 2, 3, 0, 0))
    expect(roundTrip(DbrType.TIME_SHORT, 2, wave).value).toEqual(Int16Array.of(1, 2))
    const strings = roundTrip(DbrType.STRING, 3, snapshot(NativeType.STRING, ['a']))
    expect(strings.value).toEqual(['a', '', ''])
  })

  it('sizes count 0 as the metadata part only, as dbr_size_n does', () => {
    expect([dbrSize(DbrType.DOUBLE, 0), paddedDbrSize(DbrType.DOUBLE, 0)]).toEqual([0, 0])
    expect([dbrSize(DbrType.TIME_DOUBLE, 0), paddedDbrSize(DbrType.TIME_DOUBLE, 0)]).toEqual([16, 16])
    expect([dbrSize(DbrType.CTRL_CHAR, 0), paddedDbrSize(DbrType.CTRL_CHAR, 0)]).toEqual([21, 24])
    expect(roundTrip(DbrType.TIME_DOUBLE, 0, wave).value).toEqual(new Float64Array(0))
    expect([dbrSize(DbrType.CHAR, 1000), paddedDbrSize(DbrType.STS_CHAR, 1000)]).toEqual([1000, 1008])
  })

  it('counts what a count-0 request gets', () => {
    expect(availableCount(wave, DbrType.TIME_DOUBLE)).toBe(3)
    expect(availableCount(snapshot(NativeType.STRING, ['hello']), DbrType.CHAR)).toBe(6)
    expect(availableCount(snapshot(NativeType.STRING, ['hello']), DbrType.STRING)).toBe(1)
    expect(availableCount(wave, DbrType.CLASS_NAME)).toBe(1)
  })
})

describe('strings', () => {
  it('cuts STRING elements to 39 bytes, NUL-terminates and zero-fills them, in latin-1', () => {
    const long = 'é'.repeat(50)
    const bytes = encode(DbrType.STRING, 1, snapshot(NativeType.STRING, [long]))
    expect(bytes.subarray(0, 39).every((byte) => byte === 0xe9)).toBe(true)
    expect(bytes[39]).toBe(0)
    expect(decodeDbr(bytes, 0, DbrType.STRING, 1).value).toEqual(['é'.repeat(39)])
  })

  it('decodes each STRING element within its own 40 bytes, NUL or not', () => {
    const payload = Buffer.concat([Buffer.alloc(40, 'A'), Buffer.from('B\0garbage'.padEnd(40, 'x'))])
    expect(decodeDbr(payload, 0, DbrType.STRING, 2).value).toEqual(['A'.repeat(40), 'B'])
  })

  it('gives a STRING PV as DBR_CHAR: its bytes and a NUL (the long-string view)', () => {
    const text = 'a string that is longer than forty characters, in latin-1: ü'
    const source = snapshot(NativeType.STRING, [text])
    const decoded = roundTrip(DbrType.TIME_CHAR, 80, source)
    const bytes = Buffer.from(decoded.value as Uint8Array)
    expect(bytes.subarray(0, text.length).toString('latin1')).toBe(text)
    expect(bytes.subarray(text.length).every((byte) => byte === 0)).toBe(true)
    expect(Buffer.from(roundTrip(DbrType.CHAR, 4, source).value as Uint8Array).toString('latin1')).toBe(
      'a st',
    )
  })

  it('accepts a CHAR array written to a STRING PV (caput -S), up to the NUL', () => {
    const payload = Buffer.from('long text here\0garbage', 'latin1')
    expect(decodePutValue(payload, 0, 24, DbrType.CHAR, 22, NativeType.STRING, EMPTY_METADATA)).toEqual([
      'long text here',
    ])
  })

  it('reads STSACK_STRING and CLASS_NAME', () => {
    const source = {
      ...snapshot(NativeType.DOUBLE, Float64Array.of(2), { precision: 1, recordType: 'calcout' }),
      status: 4,
      severity: 1,
      acknowledgeTransient: true,
      unacknowledgedSeverity: 2,
    }
    expect(roundTrip(DbrType.STSACK_STRING, 1, source)).toMatchObject({
      value: ['2.0'],
      status: 4,
      severity: 1,
      acknowledgeTransient: 1,
      unacknowledgedSeverity: 2,
    })
    expect(roundTrip(DbrType.CLASS_NAME, 1, source).value).toEqual(['calcout'])
  })
})

describe('conversion failures', () => {
  it('fails a get of non-numeric text as a number with ECA_GETFAIL and zeroes the region', () => {
    const target = Buffer.alloc(24, 0xee)
    const source = snapshot(NativeType.STRING, ['12', 'twelve'])
    expect(failure(() => encodeDbr(target, 0, DbrType.TIME_LONG, 2, source)).status).toBe(ECA_GETFAIL)
    expect(target.every((byte) => byte === 0)).toBe(true)
    expect(roundTrip(DbrType.LONG, 1, snapshot(NativeType.STRING, [''])).value).toEqual(Int32Array.of(0))
  })

  it('rejects invalid DBR types with ECA_BADTYPE', () => {
    const source = snapshot(NativeType.DOUBLE, Float64Array.of(1))
    expect(failure(() => encodeDbr(Buffer.alloc(64), 0, 39, 1, source)).status).toBe(ECA_BADTYPE)
    expect(failure(() => dbrSize(-1, 1)).status).toBe(ECA_BADTYPE)
    expect(failure(() => decodeDbr(Buffer.alloc(64), 0, 100, 1)).status).toBe(ECA_BADTYPE)
    expect(
      failure(() => decodePutValue(Buffer.alloc(8), 0, 8, 39, 1, NativeType.DOUBLE, EMPTY_METADATA)).status,
    ).toBe(ECA_BADTYPE)
  })

  it('throws RangeError when the target buffer is too small', () => {
    const source = snapshot(NativeType.DOUBLE, Float64Array.of(1))
    expect(() => encodeDbr(Buffer.alloc(20), 0, DbrType.TIME_DOUBLE, 1, source)).toThrow(RangeError)
  })

  it('rejects a payload shorter than its count says', () => {
    expect(failure(() => decodeDbr(Buffer.alloc(16), 0, DbrType.DOUBLE, 3)).status).toBe(ECA_BADCOUNT)
    const twoStrings = Buffer.alloc(48)
    expect(
      failure(() => decodePutValue(twoStrings, 0, 48, DbrType.STRING, 2, NativeType.STRING, EMPTY_METADATA))
        .status,
    ).toBe(ECA_BADCOUNT)
  })
})

describe('decodePutValue', () => {
  it('tolerates the short scalar DBR_STRING payload libca sends', () => {
    expect(
      decodePutValue(
        Buffer.from('abc\0\0\0\0\0'),
        0,
        8,
        DbrType.STRING,
        1,
        NativeType.STRING,
        EMPTY_METADATA,
      ),
    ).toEqual(['abc'])
    expect(
      decodePutValue(Buffer.from('3.25\0\0\0\0'), 0, 8, DbrType.STRING, 1, NativeType.DOUBLE, EMPTY_METADATA),
    ).toEqual(Float64Array.of(3.25))
    // The length bounds the payload, not the Buffer: bytes past it are never read.
    const framed = Buffer.from('abcdefgh-not-mine\0')
    expect(decodePutValue(framed, 0, 8, DbrType.STRING, 1, NativeType.STRING, EMPTY_METADATA)).toEqual([
      'abcdefgh',
    ])
  })

  it('rejects a 40-byte string without NUL with ECA_BADSTR', () => {
    const payload = Buffer.alloc(40, 0x41)
    expect(
      failure(() => decodePutValue(payload, 0, 40, DbrType.STRING, 1, NativeType.STRING, EMPTY_METADATA))
        .status,
    ).toBe(ECA_BADSTR)
  })

  it('uses only the value part of compound types', () => {
    const source = { ...snapshot(NativeType.DOUBLE, Float64Array.of(6.5, -1)), status: 7, severity: 3 }
    const payload = encode(DbrType.CTRL_DOUBLE, 2, source)
    expect(
      decodePutValue(payload, 0, payload.length, DbrType.CTRL_DOUBLE, 2, NativeType.SHORT, EMPTY_METADATA),
    ).toEqual(Int16Array.of(6, -1))
  })

  it('maps text to an enum by state name, then by index, else ECA_PUTFAIL', () => {
    const metadata = { ...EMPTY_METADATA, enumStrings: ['Closed', 'Open'] }
    const put = (text: string) =>
      decodePutValue(
        Buffer.from(`${text}\0`.padEnd(40, '\0')),
        0,
        40,
        DbrType.STRING,
        1,
        NativeType.ENUM,
        metadata,
      )
    expect(put('Open')).toEqual(Uint16Array.of(1))
    expect(put('0')).toEqual(Uint16Array.of(0))
    expect(failure(() => put('Ajar')).status).toBe(ECA_PUTFAIL)
    expect(failure(() => put('2')).status).toBe(ECA_PUTFAIL)
  })

  it('fails text that is no number with ECA_PUTFAIL', () => {
    const payload = Buffer.from('twelve\0\0')
    expect(
      failure(() => decodePutValue(payload, 0, 8, DbrType.STRING, 1, NativeType.LONG, EMPTY_METADATA)).status,
    ).toBe(ECA_PUTFAIL)
  })

  it('writes an empty array for count 0', () => {
    expect(
      decodePutValue(Buffer.alloc(0), 0, 0, DbrType.DOUBLE, 0, NativeType.DOUBLE, EMPTY_METADATA),
    ).toEqual(new Float64Array(0))
    expect(
      decodePutValue(Buffer.alloc(0), 0, 0, DbrType.STRING, 0, NativeType.STRING, EMPTY_METADATA),
    ).toEqual([])
  })

  it('decodes at an offset inside a larger message buffer', () => {
    const message = Buffer.alloc(16 + 24)
    message.writeDoubleBE(-2.5, 16)
    message.writeDoubleBE(4, 24)
    expect(decodePutValue(message, 16, 24, DbrType.DOUBLE, 2, NativeType.FLOAT, EMPTY_METADATA)).toEqual(
      Float32Array.of(-2.5, 4),
    )
  })

  it('leaves alarm acknowledgements and read-only types to their own paths', () => {
    for (const type of [DbrType.PUT_ACKT, DbrType.PUT_ACKS, DbrType.STSACK_STRING, DbrType.CLASS_NAME]) {
      const error = failure(() =>
        decodePutValue(Buffer.alloc(48), 0, 48, type, 1, NativeType.DOUBLE, EMPTY_METADATA),
      )
      expect(error.status).toBe(ECA_NOCONVERT)
    }
    const ack = Buffer.from([0, 2, 0, 0, 0, 0, 0, 0])
    expect(decodePutAcknowledge(ack, 0, 8, DbrType.PUT_ACKS)).toEqual({ kind: 'severity', value: 2 })
    expect(failure(() => decodePutAcknowledge(ack, 0, 8, DbrType.DOUBLE)).status).toBe(ECA_BADTYPE)
    expect(failure(() => decodePutAcknowledge(ack, 0, 1, DbrType.PUT_ACKT)).status).toBe(ECA_BADCOUNT)
  })
})

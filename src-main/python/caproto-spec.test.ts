import { describe, expect, it } from 'vitest'
import { patchSpec, validateSpec } from '../ioc'
import { caprotoMetadataOf, metadataPatchFromCaproto, specFromCaproto } from './caproto-spec'
import type { CaprotoPvDescription } from './caproto-spec'

function description(overrides: Partial<CaprotoPvDescription>): CaprotoPvDescription {
  return {
    name: 'ioc:x',
    type: 'DOUBLE',
    maxLength: 1,
    longString: false,
    value: 0,
    readOnly: false,
    kwargs: {},
    hooks: { put: false, get: false },
    ...overrides,
  }
}

describe('specFromCaproto', () => {
  it("maps caproto's eight limits, enabling exactly the ones given", () => {
    const { spec } = specFromCaproto(
      description({
        kwargs: {
          upper_ctrl_limit: 10,
          lower_disp_limit: -5,
          upper_alarm_limit: 90,
          upper_warning_limit: 70,
          lower_warning_limit: 10,
          lower_alarm_limit: 0,
        },
      }),
    )
    expect(spec.controlLimits).toEqual({ high: 10 })
    expect(spec.displayLimits).toEqual({ low: -5 })
    // lower_alarm_limit=0 is given, so it is on: caproto's "unset means 0" does not exist here.
    expect(spec.alarmLimits).toEqual({ hihi: 90, high: 70, low: 10, lolo: 0 })
    expect(() => validateSpec(spec)).not.toThrow()
  })

  it("reads an exported pair's switched-off side (its outermost value) as not set", () => {
    const double = specFromCaproto(
      description({
        kwargs: {
          lower_ctrl_limit: 0,
          upper_ctrl_limit: Infinity,
          lower_alarm_limit: -Infinity,
          upper_alarm_limit: 90,
          lower_warning_limit: -Infinity,
          upper_warning_limit: Infinity,
          lower_disp_limit: -Infinity,
        },
      }),
    ).spec
    expect(double.controlLimits).toEqual({ low: 0 })
    expect(double.alarmLimits).toEqual({ hihi: 90 })
    expect(double.displayLimits).toBeUndefined()
    expect(() => validateSpec(double)).not.toThrow()

    const short = specFromCaproto(
      description({
        type: 'SHORT',
        kwargs: {
          lower_ctrl_limit: -32768,
          upper_ctrl_limit: 100,
          lower_alarm_limit: -5,
          upper_alarm_limit: 32767,
          lower_disp_limit: -32768,
        },
      }),
    ).spec
    expect(short.controlLimits).toEqual({ high: 100 })
    expect(short.alarmLimits).toEqual({ lolo: -5 })
    // Display limits are no pair: the type's minimum is a display limit like any other.
    expect(short.displayLimits).toEqual({ low: -32768 })
    const long = specFromCaproto(
      description({ type: 'LONG', kwargs: { lower_ctrl_limit: -2147483648, upper_ctrl_limit: 32767 } }),
    ).spec
    expect(long.controlLimits).toEqual({ high: 32767 })

    // The wrong infinity for a side is still refused.
    expect(() => specFromCaproto(description({ kwargs: { upper_ctrl_limit: -Infinity } }))).toThrow(
      /upper_ctrl_limit: -Infinity is not a finite number/,
    )
  })

  it('maps units, precision, deadbands, description, record type, read-only and alarm group', () => {
    const { spec } = specFromCaproto(
      description({
        doc: 'Sample temperature',
        record: 'ai',
        readOnly: true,
        alarmGroup: 'Group@p:temps',
        kwargs: { units: 'degC', precision: 2, value_atol: 0.5, log_atol: 1, max_subscription_backlog: 10 },
      }),
    )
    expect(spec).toEqual({
      name: 'ioc:x',
      type: 'DOUBLE',
      value: 0,
      readOnly: true,
      description: 'Sample temperature',
      recordType: 'ai',
      alarmGroup: 'Group@p:temps',
      units: 'degC',
      precision: 2,
      monitorDeadband: 0.5,
      archiveDeadband: 1,
    })
  })

  it('gives a long string room for at least two characters and keeps arrays sized', () => {
    expect(
      specFromCaproto(description({ type: 'CHAR', longString: true, maxLength: 1, value: '' })).spec,
    ).toMatchObject({ type: 'CHAR', longString: true, maxLength: 2 })
    expect(specFromCaproto(description({ maxLength: 8, value: [1, 2] })).spec.maxLength).toBe(8)
    expect(specFromCaproto(description({})).spec.maxLength).toBeUndefined()
  })

  it('cuts units longer than CA carries, with a warning', () => {
    const { spec, warnings } = specFromCaproto(description({ kwargs: { units: 'degrees C' } }))
    expect(spec.units).toBe('degrees')
    expect(warnings).toEqual(['ioc:x: units "degrees C" cut to 7 characters (what CA carries)'])
  })

  it('refuses keywords caproto refuses for the data class, naming what it takes', () => {
    expect(() =>
      specFromCaproto(
        description({ type: 'LONG', dataClass: 'PvpropertyInteger', kwargs: { precision: 3 } }),
      ),
    ).toThrow(/ioc:x: precision: not an argument of PvpropertyInteger \(it takes units, value_atol/)
    expect(() => specFromCaproto(description({ type: 'ENUM', kwargs: { units: 'mm' } }))).toThrow(
      /units: not an argument of a PV of type ENUM \(it takes enum_strings\)/,
    )
    expect(() => specFromCaproto(description({ kwargs: { upper_ctrl_limit: 'high' } }))).toThrow(
      /upper_ctrl_limit: high is not a finite number/,
    )
    expect(() => specFromCaproto(description({ kwargs: { string_encoding: 'utf-8' } }))).toThrow(
      /latin-1 only/,
    )
  })
})

describe('write_metadata keywords', () => {
  it('become a patch whose limits merge with the existing ones', () => {
    const { patch } = metadataPatchFromCaproto(
      { name: 'ioc:x', type: 'DOUBLE' },
      { units: 'mm', lower_ctrl_limit: -1, enum_strings: undefined, precision: null },
    )
    expect(patch).toEqual({ units: 'mm', controlLimits: { low: -1 } })
  })

  it('remove a limit set to its outermost value', () => {
    const spec = validateSpec({ name: 'ioc:n', type: 'LONG', controlLimits: { low: 0, high: 10 } })
    const { patch } = metadataPatchFromCaproto(spec, { upper_ctrl_limit: 2147483647 })
    expect(patchSpec(spec, patch).controlLimits).toEqual({ low: 0 })
  })

  it('read back from a spec under their caproto names', () => {
    const spec = validateSpec({
      name: 'ioc:x',
      type: 'DOUBLE',
      units: 'V',
      controlLimits: { low: 0, high: 5 },
      alarmLimits: { hihi: 4.5 },
      monitorDeadband: 0.01,
    })
    expect(caprotoMetadataOf(spec, 'units')).toBe('V')
    expect(caprotoMetadataOf(spec, 'upper_ctrl_limit')).toBe(5)
    expect(caprotoMetadataOf(spec, 'upper_alarm_limit')).toBe(4.5)
    expect(caprotoMetadataOf(spec, 'lower_alarm_limit')).toBeUndefined()
    expect(caprotoMetadataOf(spec, 'value_atol')).toBe(0.01)
    expect(caprotoMetadataOf(spec, 'precision')).toBeUndefined()
  })
})

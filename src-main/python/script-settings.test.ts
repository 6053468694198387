import { describe, expect, it } from 'vitest'
import { validateSpec } from '../ioc'
import { readScriptSettings, unservedSettings, withPvSettings } from './script-settings'

const settingsOf = (pvs: Record<string, unknown>) => readScriptSettings({ pvs })

describe('withPvSettings', () => {
  const spec = validateSpec({
    name: 't:a',
    type: 'DOUBLE',
    value: 0,
    controlLimits: { high: 10 },
    alarmLimits: { hihi: 9, lolo: -9 },
  })

  it('gives severities to the limits that are set, clamping to set control limits, and hysteresis', () => {
    const settings = settingsOf({
      a: {
        alarmLimits: {
          hihi: { severity: 'INVALID' },
          high: { enabled: false, value: 5, severity: 'MAJOR' },
          hysteresis: 0.5,
        },
        controlLimits: { mode: 'clamp' },
      },
    }).pvs.get('a')!
    expect(withPvSettings(spec, settings, true)).toMatchObject({
      alarmLimits: { hihi: 9, lolo: -9, hihiSeverity: 3, hysteresis: 0.5 },
      controlLimits: { high: 10, mode: 'clamp' },
    })
    expect(withPvSettings(spec, settings, true).alarmLimits).not.toHaveProperty('highSeverity')
    const unlimited = validateSpec({ name: 't:b', type: 'DOUBLE', value: 0 })
    expect(withPvSettings(unlimited, settings, true)).toEqual({
      ...unlimited,
      alarmLimits: { hysteresis: 0.5 },
    })
  })

  it('starts a PV undefined only when its pvproperty gives no value', () => {
    const settings = settingsOf({ a: { udfSeverity: 'MINOR' } }).pvs.get('a')!
    const undefinedAtStart = withPvSettings(spec, settings, false)
    expect(undefinedAtStart).toMatchObject({ udfSeverity: 1 })
    expect(undefinedAtStart).not.toHaveProperty('value')
    expect(withPvSettings(spec, settings, true)).toEqual(spec)
  })
})

describe('readScriptSettings', () => {
  it('reads no dict as no settings, and says what is wrong with a bad one', () => {
    expect(readScriptSettings(undefined).pvs.size).toBe(0)
    expect(() => readScriptSettings({ hookTimeLimitMs: -1 })).toThrow(
      "IOC_STUDIO['hookTimeLimitMs']: must be a positive number of milliseconds",
    )
  })

  it('names the PVs a dict has settings for that the script does not serve', () => {
    const settings = settingsOf({ a: { autosave: true }, 'g.b': { autosave: true } })
    expect(unservedSettings(settings, new Set(['a']))).toEqual([
      "IOC_STUDIO['pvs'] names g.b, which the script does not serve",
    ])
  })
})

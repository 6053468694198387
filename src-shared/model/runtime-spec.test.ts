import { expect, it } from 'vitest'
import { runtimeSpecOf } from './runtime-spec'

it('maps the user terms to the runtime spec: enabled limits only, severities as numbers', () => {
  expect(
    runtimeSpecOf(
      {
        name: 'T',
        attr: 'temperature',
        type: 'DOUBLE',
        value: 20,
        units: 'degC',
        displayLimits: { low: { enabled: true, value: 0 }, high: { enabled: false, value: 100 } },
        controlLimits: { high: { enabled: true, value: 90 }, mode: 'clamp' },
        alarmLimits: {
          hihi: { enabled: true, value: 95, severity: 'INVALID' },
          high: { enabled: true, value: 80 },
          low: { enabled: false, value: 5, severity: 'MAJOR' },
          hysteresis: 0.5,
        },
        monitorDeadband: 0.1,
        alarmGroup: 'heater',
        autosave: true,
        hooks: { putter: 'pass' },
      },
      'tc:T',
    ),
  ).toEqual({
    name: 'tc:T',
    type: 'DOUBLE',
    value: 20,
    units: 'degC',
    displayLimits: { low: 0 },
    controlLimits: { high: 90, mode: 'clamp' },
    alarmLimits: { high: 80, hihi: 95, hihiSeverity: 3, hysteresis: 0.5 },
    monitorDeadband: 0.1,
    alarmGroup: 'heater',
  })
})

it('a LONG_STRING is CHAR text with its capacity', () => {
  expect(runtimeSpecOf({ name: 'msg', type: 'LONG_STRING' }, 'm:msg')).toEqual({
    name: 'm:msg',
    type: 'CHAR',
    maxLength: 256,
    longString: true,
  })
})

it('starts undefined only without an initial value; a clamp mode needs a control limit', () => {
  expect(runtimeSpecOf({ name: 'a', type: 'LONG', udfSeverity: 'MINOR' }, 'a')).toEqual({
    name: 'a',
    type: 'LONG',
    udfSeverity: 1,
  })
  expect(
    runtimeSpecOf(
      { name: 'a', type: 'LONG', value: 1, udfSeverity: 'MINOR', controlLimits: { mode: 'clamp' } },
      'a',
    ),
  ).toEqual({ name: 'a', type: 'LONG', value: 1 })
})

import { describe, expect, it } from 'vitest'
import type { Project } from '../model/project'
import { pvStudioSettings, readStudioSettings, studioSettingsOf } from './studio-settings'

const on = (value: number, severity?: 'MINOR' | 'MAJOR' | 'INVALID' | 'NO_ALARM') => ({
  enabled: true,
  value,
  ...(severity ? { severity } : {}),
})

describe('what goes into IOC_STUDIO', () => {
  it('nothing for a PV caproto describes fully', () => {
    expect(
      pvStudioSettings({
        name: 'a',
        type: 'DOUBLE',
        value: 1,
        controlLimits: { low: on(0) },
        alarmLimits: { hihi: on(5) },
      }),
    ).toBeUndefined()
  })

  it('severities, hysteresis, clamping, undefined start, autosave and switched-off limits, in document terms', () => {
    expect(
      pvStudioSettings({
        name: 'a',
        type: 'DOUBLE',
        displayLimits: { low: { enabled: false, value: -1 } },
        controlLimits: { high: on(9), mode: 'clamp' },
        alarmLimits: {
          hihi: on(5, 'INVALID'),
          high: { enabled: false, value: 4, severity: 'MAJOR' },
          hysteresis: 0.5,
        },
        udfSeverity: 'MINOR',
        autosave: true,
      }),
    ).toEqual({
      displayLimits: { low: { enabled: false, value: -1 } },
      controlLimits: { mode: 'clamp' },
      alarmLimits: {
        high: { enabled: false, value: 4, severity: 'MAJOR' },
        hihi: { severity: 'INVALID' },
        hysteresis: 0.5,
      },
      udfSeverity: 'MINOR',
      autosave: true,
    })
  })

  it('project-wide: a non-default hook time limit, access rules, PVs by attribute path', () => {
    const project: Project = {
      formatVersion: 1,
      server: { name: 'T', className: 'T', prefix: 't:', hookTimeLimitMs: 2000 },
      pvs: [{ name: 'a', type: 'LONG', autosave: true }],
      subGroups: [{ attr: 'g', className: 'G', pvs: [{ name: 'X:Y', type: 'LONG', autosave: true }] }],
      access: { rules: [] },
    }
    expect(studioSettingsOf(project)).toEqual({ pvs: { a: { autosave: true }, 'g.X_Y': { autosave: true } } })
    expect(
      studioSettingsOf({
        ...project,
        pvs: [],
        subGroups: [],
        server: { ...project.server, hookTimeLimitMs: 300 },
        access: { rules: [{ pvPattern: '*', access: 'READ' }] },
      }),
    ).toEqual({ hookTimeLimitMs: 300, access: { rules: [{ pvPattern: '*', access: 'READ' }] } })
    expect(studioSettingsOf({ ...project, pvs: [], subGroups: [] })).toBeUndefined()
  })
})

describe('readStudioSettings: the runtime side', () => {
  it('turns a dict back into PV spec patches in the runtime vocabulary', () => {
    const result = readStudioSettings({
      hookTimeLimitMs: 300,
      access: { rules: [{ pvPattern: '*', access: 'READ' }] },
      pvs: {
        temperature: {
          alarmLimits: {
            high: { severity: 'MINOR' },
            hihi: { severity: 'INVALID' },
            lolo: { enabled: false, value: 1 },
            hysteresis: 0.5,
          },
          controlLimits: { mode: 'clamp' },
          autosave: true,
        },
        ambient: { udfSeverity: 'MAJOR' },
      },
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.settings.hookTimeLimitMs).toBe(300)
    expect(result.settings.access).toEqual({ rules: [{ pvPattern: '*', access: 'READ' }] })
    expect(Object.fromEntries(result.settings.pvs)).toEqual({
      temperature: {
        patch: {
          alarmLimits: { highSeverity: 1, hihiSeverity: 3, hysteresis: 0.5 },
          controlLimits: { mode: 'clamp' },
        },
        undefinedAtStart: false,
        autosave: true,
      },
      ambient: { patch: { udfSeverity: 2 }, undefinedAtStart: true, autosave: false },
    })
  })

  it.each([
    [[], 'IOC_STUDIO: must be a dict'],
    [
      { pvs: { a: { udfSeverity: 'LOUD' } } },
      `IOC_STUDIO['pvs']["a"].udfSeverity: "LOUD" is not one of NO_ALARM, MINOR, MAJOR, INVALID`,
    ],
    [
      { pvs: { a: { alarmLimits: { hysteresis: -1 } } } },
      `IOC_STUDIO['pvs']["a"].alarmLimits.hysteresis: must be a number >= 0`,
    ],
    [
      { pvs: { a: { controlLimits: { mode: 'wrap' } } } },
      `IOC_STUDIO['pvs']["a"].controlLimits.mode: must be 'reject' or 'clamp'`,
    ],
    [{ hookTimeLimitMs: 0 }, `IOC_STUDIO['hookTimeLimitMs']: must be a positive number of milliseconds`],
    [
      { access: { rules: [{ pvPattern: '*' }] } },
      `IOC_STUDIO['access'].rules[0].access: missing (What the matching clients may do (WRITE includes READ))`,
    ],
  ])('refuses %j', (value, message) => {
    expect(readStudioSettings(value)).toEqual({ ok: false, message })
  })
})

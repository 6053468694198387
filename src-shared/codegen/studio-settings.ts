/**
 * The `IOC_STUDIO` dict of an exported script: the project settings caproto has no argument for (alarm
 * severities, hysteresis, clamping control limits, undefined-at-start, autosave, access rules, the hook time
 * limit, and limits that are switched off but keep their value). caproto ignores the dict; IOC Studio applies
 * it when it runs the script, and import reads it back, so nothing in the document is lost on the way through
 * Python.
 *
 * Per PV it uses the document's own vocabulary (a fragment of the PV's JSON), keyed by the PV's attribute path
 * in the class (`temperature`, `stage.x`). `readStudioSettings` turns a dict read from a script back into what
 * the runtime needs: a PV spec patch per attribute path.
 */
import { accessShape, DEFAULT_HOOK_TIME_LIMIT_MS, SEVERITIES } from '../model/project'
import { checkShape } from '../model/shape'
import type { AccessSettings, Project, PvDefinition, Severity } from '../model/project'
import { pvLocations } from '../model/names'
import type { PyValue } from './python'

/** The module-level name of the dict in an exported script. */
export const STUDIO_SETTINGS_NAME = 'IOC_STUDIO'

type Fragment = { [key: string]: PyValue }
type Partial = { [key: string]: PyValue | undefined }

function limitFragment(
  limit: { enabled: boolean; value: number; severity?: Severity } | undefined,
): Fragment | undefined {
  if (!limit) return undefined
  if (!limit.enabled)
    return { enabled: false, value: limit.value, ...(limit.severity ? { severity: limit.severity } : {}) }
  return limit.severity ? { severity: limit.severity } : undefined
}

function compact(fragment: Partial): Fragment | undefined {
  const out: Fragment = {}
  for (const [key, value] of Object.entries(fragment)) if (value !== undefined) out[key] = value
  return Object.keys(out).length > 0 ? out : undefined
}

/** What of one PV the pvproperty call cannot say, as a fragment of its document JSON (undefined: nothing). */
export function pvStudioSettings(pv: PvDefinition): Fragment | undefined {
  const display = pv.displayLimits
  const control = pv.controlLimits
  const alarms = pv.alarmLimits
  return compact({
    displayLimits: display && compact({ low: limitFragment(display.low), high: limitFragment(display.high) }),
    controlLimits:
      control &&
      compact({ low: limitFragment(control.low), high: limitFragment(control.high), mode: control.mode }),
    alarmLimits:
      alarms &&
      compact({
        lolo: limitFragment(alarms.lolo),
        low: limitFragment(alarms.low),
        high: limitFragment(alarms.high),
        hihi: limitFragment(alarms.hihi),
        hysteresis: alarms.hysteresis,
      }),
    udfSeverity: pv.udfSeverity,
    autosave: pv.autosave,
  })
}

function accessFragment(access: AccessSettings): Fragment {
  return compact({
    userGroups: access.userGroups as PyValue | undefined,
    hostGroups: access.hostGroups as PyValue | undefined,
    rules: access.rules.map(
      (rule) =>
        compact({
          pvPattern: rule.pvPattern,
          access: rule.access,
          users: rule.users as PyValue | undefined,
          hosts: rule.hosts as PyValue | undefined,
        }) ?? {},
    ),
  }) as Fragment
}

/** The whole dict for a project, or undefined when every setting has caproto's meaning. */
export function studioSettingsOf(project: Project): Fragment | undefined {
  const pvs: Fragment = {}
  for (const location of pvLocations(project)) {
    const settings = pvStudioSettings(location.pv)
    if (settings) pvs[location.attrPath] = settings
  }
  const limit = project.server.hookTimeLimitMs
  return compact({
    hookTimeLimitMs: limit !== undefined && limit !== DEFAULT_HOOK_TIME_LIMIT_MS ? limit : undefined,
    access: project.access && project.access.rules.length > 0 ? accessFragment(project.access) : undefined,
    pvs: Object.keys(pvs).length > 0 ? pvs : undefined,
  })
}

// -- reading a dict back (the runtime's side) -------------------------------------------------------------------

type AlarmKey = 'lolo' | 'low' | 'high' | 'hihi'

/** The part of the runtime's PvSpec the dict can change (same field names as src-main/ioc's PvSpec). */
export interface RuntimeSpecPatch {
  alarmLimits?: {
    loloSeverity?: number
    lowSeverity?: number
    highSeverity?: number
    hihiSeverity?: number
    hysteresis?: number
  }
  controlLimits?: { mode?: 'reject' | 'clamp' }
  udfSeverity?: number
}

export interface PvRuntimeSettings {
  readonly patch: RuntimeSpecPatch
  /** The PV starts undefined (UDF alarm): define it without an initial value. */
  readonly undefinedAtStart: boolean
  readonly autosave: boolean
}

export interface RuntimeSettings {
  readonly hookTimeLimitMs?: number
  readonly access?: AccessSettings
  /** By attribute path (`temperature`, `stage.x`). */
  readonly pvs: ReadonlyMap<string, PvRuntimeSettings>
}

export type ReadSettingsResult =
  { readonly ok: true; readonly settings: RuntimeSettings } | { readonly ok: false; readonly message: string }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function severityNumber(value: unknown, where: string): number {
  const index = SEVERITIES.indexOf(value as Severity)
  if (index < 0) throw new Error(`${where}: ${JSON.stringify(value)} is not one of ${SEVERITIES.join(', ')}`)
  return index
}

function readPv(entry: unknown, where: string): PvRuntimeSettings {
  if (!isRecord(entry)) throw new Error(`${where}: must be a dict`)
  const patch: RuntimeSpecPatch = {}
  const alarms = entry.alarmLimits
  if (alarms !== undefined) {
    if (!isRecord(alarms)) throw new Error(`${where}.alarmLimits: must be a dict`)
    const out: NonNullable<RuntimeSpecPatch['alarmLimits']> = {}
    for (const key of ['lolo', 'low', 'high', 'hihi'] as AlarmKey[]) {
      const limit = alarms[key]
      if (isRecord(limit) && limit.severity !== undefined) {
        out[`${key}Severity`] = severityNumber(limit.severity, `${where}.alarmLimits.${key}.severity`)
      }
    }
    if (alarms.hysteresis !== undefined) {
      if (typeof alarms.hysteresis !== 'number' || !(alarms.hysteresis >= 0)) {
        throw new Error(`${where}.alarmLimits.hysteresis: must be a number >= 0`)
      }
      out.hysteresis = alarms.hysteresis
    }
    if (Object.keys(out).length > 0) patch.alarmLimits = out
  }
  const control = entry.controlLimits
  if (isRecord(control) && control.mode !== undefined) {
    if (control.mode !== 'reject' && control.mode !== 'clamp') {
      throw new Error(`${where}.controlLimits.mode: must be 'reject' or 'clamp'`)
    }
    patch.controlLimits = { mode: control.mode }
  }
  if (entry.udfSeverity !== undefined)
    patch.udfSeverity = severityNumber(entry.udfSeverity, `${where}.udfSeverity`)
  return { patch, undefinedAtStart: entry.udfSeverity !== undefined, autosave: entry.autosave === true }
}

/**
 * Reads an `IOC_STUDIO` dict (converted from Python to plain JavaScript) into runtime settings. Limits that are
 * switched off need nothing here: the pvproperty already leaves them out or gives them an infinite value.
 */
export function readStudioSettings(value: unknown): ReadSettingsResult {
  try {
    if (!isRecord(value)) throw new Error(`${STUDIO_SETTINGS_NAME}: must be a dict`)
    const pvs = new Map<string, PvRuntimeSettings>()
    const entries = value.pvs ?? {}
    if (!isRecord(entries)) throw new Error(`${STUDIO_SETTINGS_NAME}['pvs']: must be a dict`)
    for (const [attrPath, entry] of Object.entries(entries)) {
      pvs.set(attrPath, readPv(entry, `${STUDIO_SETTINGS_NAME}['pvs'][${JSON.stringify(attrPath)}]`))
    }
    const limit = value.hookTimeLimitMs
    if (limit !== undefined && (typeof limit !== 'number' || !(limit > 0))) {
      throw new Error(`${STUDIO_SETTINGS_NAME}['hookTimeLimitMs']: must be a positive number of milliseconds`)
    }
    const access = value.access
    if (access !== undefined) {
      const checked = checkShape(accessShape, access, `${STUDIO_SETTINGS_NAME}['access']`)
      if (!checked.ok) throw new Error(`${checked.errors[0].path}: ${checked.errors[0].message}`)
    }
    return {
      ok: true,
      settings: {
        ...(limit !== undefined ? { hookTimeLimitMs: limit as number } : {}),
        ...(access !== undefined ? { access: access as unknown as AccessSettings } : {}),
        pvs,
      },
    }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}

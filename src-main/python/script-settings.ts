/**
 * A script's IOC_STUDIO dict (docs/decisions.md §9) where the script runs. The shim hands over the dict as the
 * script left it, so nothing is parsed twice: it is read by the same rules as for a project
 * (`readStudioSettings`), and each PV it names is defined with its settings in place (alarm severities,
 * hysteresis, clamping, undefined at start); what concerns the host (access rules, autosave, the hook time
 * limit) is for the caller.
 *
 * The settings mean what the document means (`runtimeSpecOf`): a severity belongs to a limit that is set,
 * clamping to control limits that are set, and a PV starts undefined only when its pvproperty gives no value.
 */
import { readStudioSettings, STUDIO_SETTINGS_NAME } from '@shared/codegen/studio-settings'
import type { PvRuntimeSettings, RuntimeSettings } from '@shared/codegen/studio-settings'
import type { PvSpec } from '../ioc'

const NO_SETTINGS: RuntimeSettings = Object.freeze({ pvs: new Map() })

/** The settings of an IOC_STUDIO value (undefined: the script has none). Throws an Error saying what is wrong. */
export function readScriptSettings(value: unknown): RuntimeSettings {
  if (value === undefined || value === null) return NO_SETTINGS
  const read = readStudioSettings(value)
  if (!read.ok) throw new Error(read.message)
  return read.settings
}

/** `spec` (as the script describes the PV) with its IOC_STUDIO settings; `valueGiven`: the script set a value. */
export function withPvSettings(spec: PvSpec, settings: PvRuntimeSettings, valueGiven: boolean): PvSpec {
  const { alarmLimits, controlLimits, udfSeverity } = settings.patch
  const out: Record<string, unknown> = { ...spec }
  if (alarmLimits) {
    const merged: Record<string, number | undefined> = { ...spec.alarmLimits }
    for (const limit of ['lolo', 'low', 'high', 'hihi'] as const) {
      const severity = alarmLimits[`${limit}Severity`]
      if (severity !== undefined && merged[limit] !== undefined) merged[`${limit}Severity`] = severity
    }
    if (alarmLimits.hysteresis !== undefined) merged.hysteresis = alarmLimits.hysteresis
    if (Object.keys(merged).length > 0) out.alarmLimits = merged
  }
  const control = spec.controlLimits
  if (controlLimits?.mode && (control?.low !== undefined || control?.high !== undefined)) {
    out.controlLimits = { ...control, mode: controlLimits.mode }
  }
  if (settings.undefinedAtStart && !valueGiven) {
    delete out.value
    out.udfSeverity = udfSeverity
  }
  return out as unknown as PvSpec
}

/** A warning for each PV the settings name that the script does not serve (by attribute path). */
export function unservedSettings(settings: RuntimeSettings, attrPaths: ReadonlySet<string>): string[] {
  return [...settings.pvs.keys()]
    .filter((path) => !attrPaths.has(path))
    .map((path) => `${STUDIO_SETTINGS_NAME}['pvs'] names ${path}, which the script does not serve`)
}

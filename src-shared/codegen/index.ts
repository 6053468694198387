/**
 * Document -> text: the caproto script the app runs and exports (one generator, two uses), the saved project
 * JSON, the IOC_STUDIO settings contract with the runtime, and starter bodies for new hooks.
 */
export { exportCaprotoScript, ExportError } from './caproto-script'
export { exportProjectJson } from './project-json'
export { readStudioSettings, STUDIO_SETTINGS_NAME, studioSettingsOf } from './studio-settings'
export type {
  PvRuntimeSettings,
  ReadSettingsResult,
  RuntimeSettings,
  RuntimeSpecPatch,
} from './studio-settings'
export { ainitSnippet, hookSnippet } from './snippets'
export type { HookKind, SnippetOptions } from './snippets'
export { alarmGroupsOf, canAlarm, isOwnAlarmGroup } from './alarm-groups'

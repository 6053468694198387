/**
 * The project document: its format (`project.ts`, with the types), loading (`parseProject`), the Problems panel's
 * checks (`checkProject`), names and macros (`names.ts`), format migrations and the published JSON Schema.
 */
export * from './project'
export { parseProject, parseProjectText } from './parse'
export type { Issue, ParseOptions, ParseResult } from './parse'
export { checkProject, hasErrors } from './check'
export type { Problem, ProblemSeverity } from './check'
export {
  attributeOf,
  expandTemplate,
  fullPvName,
  macroDefaults,
  macrosIn,
  parseTemplate,
  pvLocations,
  subGroupPrefix,
} from './names'
export type { PvLocation } from './names'
export { MIGRATIONS } from './migrations'
export type { Migration } from './migrations'
export { projectJsonSchema } from './json-schema'
export { runtimeSpecOf, severityNumber } from './runtime-spec'
export type { RuntimePvSpec } from './runtime-spec'

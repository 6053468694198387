/**
 * Names in a project: Python attribute names of PVs, PV name templates with {macros}, and the full PV names a
 * project serves. The exporter and the checker share these rules so what passes the check exports cleanly.
 */
import { ATTRIBUTE } from './project'
import type { MacroDefinition, Project, PvDefinition, SubGroupDefinition } from './project'

export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
])

/**
 * Attributes a pvproperty must not take: caproto's PVGroup sets or defines these (a pvproperty is a data
 * descriptor, so `self.prefix = …` in PVGroup.__init__ would write into the PV), and the names the generated
 * class body itself calls while it is being defined.
 */
export const RESERVED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'alarms',
  'attr_pvdb',
  'attr_separator',
  'attr_to_pvname',
  'default_values',
  'group_read',
  'group_write',
  'groups',
  'log',
  'macros',
  'name',
  'parent',
  'prefix',
  'pvdb',
  'states',
  'type_map',
  'type_map_read_only',
  'update_state',
  // used while the class body runs
  'pvproperty',
  'SubGroup',
  'ChannelType',
  'AlarmSeverity',
])

/** Module-level names the exported script defines or imports itself. */
export const GENERATED_MODULE_NAMES: ReadonlySet<string> = new Set([
  'os',
  'AlarmSeverity',
  'ChannelType',
  'PVGroup',
  'SubGroup',
  'ioc_arg_parser',
  'pvproperty',
  'run',
  'IOC_STUDIO',
])

export function isUsableAttribute(name: string): boolean {
  return ATTRIBUTE.test(name) && !PYTHON_KEYWORDS.has(name) && !RESERVED_ATTRIBUTES.has(name)
}

export type TemplatePart = { readonly literal: string } | { readonly macro: string }

export type ParsedTemplate =
  | { readonly ok: true; readonly parts: readonly TemplatePart[] }
  | { readonly ok: false; readonly message: string }

/**
 * Splits a name template the way caproto formats PV names (`str.format(**macros)`): `{name}` is a macro, `{{`
 * and `}}` are literal braces. Only plain macro names are accepted (no `{0}`, `{a.b}`, `{a:>3}`).
 */
export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = []
  let literal = ''
  for (let i = 0; i < template.length; i++) {
    const char = template[i]
    if (char === '{' && template[i + 1] === '{') {
      literal += '{'
      i++
    } else if (char === '}' && template[i + 1] === '}') {
      literal += '}'
      i++
    } else if (char === '{') {
      const end = template.indexOf('}', i)
      if (end < 0) return { ok: false, message: `'{' at ${i} is not closed (write '{{' for a literal brace)` }
      const macro = template.slice(i + 1, end)
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(macro)) {
        return { ok: false, message: `{${macro}} is not a macro reference like {beamline}` }
      }
      if (literal) parts.push({ literal })
      literal = ''
      parts.push({ macro })
      i = end
    } else if (char === '}') {
      return { ok: false, message: `'}' at ${i} has no '{' (write '}}' for a literal brace)` }
    } else literal += char
  }
  if (literal) parts.push({ literal })
  return { ok: true, parts }
}

/** Macro names a template uses (empty when it does not parse). */
export function macrosIn(template: string): string[] {
  const parsed = parseTemplate(template)
  return parsed.ok ? parsed.parts.flatMap((part) => ('macro' in part ? [part.macro] : [])) : []
}

/**
 * Fills a template's macros from `values`; a macro without a value stays as `{name}`. A template that does not
 * parse is returned unchanged.
 */
export function expandTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const parsed = parseTemplate(template)
  if (!parsed.ok) return template
  return parsed.parts
    .map((part) => ('literal' in part ? part.literal : (values[part.macro] ?? `{${part.macro}}`)))
    .join('')
}

/** Each macro's default value (required macros have none). */
export function macroDefaults(macros: readonly MacroDefinition[] | undefined): Record<string, string> {
  const values: Record<string, string> = {}
  for (const macro of macros ?? []) if (macro.default !== undefined) values[macro.name] = macro.default
  return values
}

/**
 * The attribute name of a PV in the exported class: its `attr`, else its name when that is a usable Python
 * attribute, else the name with macros unwrapped and other characters turned into '_' ('temp:sp' -> 'temp_sp').
 */
export function attributeOf(pv: PvDefinition): string {
  if (pv.attr !== undefined) return pv.attr
  if (isUsableAttribute(pv.name)) return pv.name
  let derived = pv.name
    .replace(/\{\{|\}\}/g, '')
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
  if (!/^[A-Za-z]/.test(derived)) derived = `pv_${derived}`.replace(/_+$/, '')
  while (PYTHON_KEYWORDS.has(derived) || RESERVED_ATTRIBUTES.has(derived)) derived += '_'
  return derived
}

/** Where a PV sits in the project. */
export interface PvLocation {
  readonly pv: PvDefinition
  /** Path in the document, e.g. `subGroups[0].pvs[2]`. */
  readonly path: string
  /** The groups from the root down to the PV's group (empty for the IOC class itself). */
  readonly groups: readonly SubGroupDefinition[]
  /** Attribute path from the IOC class: `stage.x` (caproto's attr_pvdb key). */
  readonly attrPath: string
  /** Prefix template the PV's name is appended to: server prefix, then each group's prefix. */
  readonly prefixTemplate: string
}

/** A group's prefix, with caproto's default (attribute name and ':'). */
export function subGroupPrefix(group: SubGroupDefinition): string {
  return group.prefix ?? `${group.attr}:`
}

/** Every PV of the project, depth first in export order (the class's own PVs, then each group's). */
export function pvLocations(project: Project): PvLocation[] {
  const out: PvLocation[] = []
  const visit = (
    pvs: readonly PvDefinition[],
    subGroups: readonly SubGroupDefinition[] | undefined,
    path: string,
    groups: readonly SubGroupDefinition[],
    prefixTemplate: string,
  ): void => {
    const attrPrefix = groups.map((group) => `${group.attr}.`).join('')
    pvs.forEach((pv, index) => {
      out.push({
        pv,
        path: `${path}pvs[${index}]`,
        groups,
        attrPath: `${attrPrefix}${attributeOf(pv)}`,
        prefixTemplate,
      })
    })
    ;(subGroups ?? []).forEach((group, index) => {
      visit(
        group.pvs,
        group.subGroups,
        `${path}subGroups[${index}].`,
        [...groups, group],
        prefixTemplate + subGroupPrefix(group),
      )
    })
  }
  visit(project.pvs, project.subGroups, '', [], project.server.prefix)
  return out
}

/**
 * Full PV name of a location with the given macro values (default: the macros' defaults) and prefix (default:
 * the server's). Macros without a value stay as `{name}`.
 */
export function fullPvName(
  project: Project,
  location: PvLocation,
  options: { prefix?: string; macros?: Readonly<Record<string, string>> } = {},
): string {
  const values = { ...macroDefaults(project.server.macros), ...options.macros }
  const prefix =
    options.prefix === undefined
      ? location.prefixTemplate
      : options.prefix + location.prefixTemplate.slice(project.server.prefix.length)
  return expandTemplate(prefix, values) + expandTemplate(location.pv.name, values)
}

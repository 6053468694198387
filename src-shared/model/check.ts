/**
 * Semantic checks of a project: what the structure allows but the runtime, caproto or Channel Access would
 * refuse or silently do differently. Errors block Start and Export; warnings are shown and do not block. The
 * Problems panel and `ioc-studio check` list these.
 */
import { checkShape, isLatin1, quote } from './shape'
import {
  DEFAULT_ALARM_SEVERITY,
  INTEGER_RANGE,
  isFloatType,
  isIntegerType,
  isNumericType,
  MAX_STRING_LENGTH,
  maxLengthOf,
  projectShape,
} from './project'
import type { AlarmLimits, Project, PvDefinition, SubGroupDefinition } from './project'
import {
  attributeOf,
  fullPvName,
  GENERATED_MODULE_NAMES,
  macroDefaults,
  parseTemplate,
  pvLocations,
  PYTHON_KEYWORDS,
  RESERVED_ATTRIBUTES,
} from './names'
import type { PvLocation } from './names'

export type ProblemSeverity = 'error' | 'warning'

export interface Problem {
  readonly severity: ProblemSeverity
  /** Path in the document, e.g. `pvs[3].enumStrings`. */
  readonly path: string
  readonly message: string
}

/** Options ioc_arg_parser defines itself: a macro of the same name would clash with them. */
const ARGUMENT_PARSER_NAMES = new Set([
  'prefix',
  'quiet',
  'verbose',
  'list_pvs',
  'async_lib',
  'interfaces',
  'help',
])
const MAX_PV_NAME_LENGTH = 499
const FLOAT32_MAX = 3.4028234663852886e38
const DESC_LENGTH = 39
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

class Problems {
  readonly list: Problem[] = []

  error(path: string, message: string): void {
    this.list.push({ severity: 'error', path, message })
  }

  warning(path: string, message: string): void {
    this.list.push({ severity: 'warning', path, message })
  }
}

/** True when some problem blocks starting or exporting the IOC. */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === 'error')
}

/** Checks a project. Structure first: when that fails, only the structural errors are reported. */
export function checkProject(project: Project): Problem[] {
  const structure = checkShape(projectShape, project)
  if (!structure.ok) return structure.errors.map((issue) => ({ severity: 'error', ...issue }))
  const problems = new Problems()
  const declared = new Set((project.server.macros ?? []).map((macro) => macro.name))
  checkServer(project, problems)
  checkTemplate(project.server.prefix, 'server.prefix', declared, problems)
  checkGroups(project, declared, problems)
  const locations = pvLocations(project)
  for (const location of locations) checkPv(location, declared, problems)
  checkPvNames(project, locations, problems)
  checkCode(project, problems)
  checkAccess(project, problems)
  project.verbatim?.forEach((block, index) => {
    if (block.needsReview) {
      problems.warning(
        `verbatim[${index}]`,
        `code kept verbatim${block.note ? ` (${block.note})` : ''}: review it, then clear needsReview`,
      )
    }
  })
  return problems.list
}

function checkServer(project: Project, problems: Problems): void {
  const { server } = project
  if (PYTHON_KEYWORDS.has(server.className) || GENERATED_MODULE_NAMES.has(server.className)) {
    problems.error('server.className', `'${server.className}' is a name the exported script already uses`)
  }
  const seen = new Set<string>()
  server.macros?.forEach((macro, index) => {
    const path = `server.macros[${index}].name`
    if (seen.has(macro.name)) problems.error(path, `macro '${macro.name}' is declared twice`)
    seen.add(macro.name)
    if (ARGUMENT_PARSER_NAMES.has(macro.name)) {
      problems.error(
        path,
        `'${macro.name}' clashes with the command-line option --${macro.name.replace('_', '-')}`,
      )
    }
  })
  server.interfaces?.forEach((address, index) => {
    if (!IPV4.test(address)) {
      problems.error(`server.interfaces[${index}]`, `${quote(address)} is not an IPv4 address like 127.0.0.1`)
    }
  })
  if (server.serverPort !== undefined && server.serverPort === server.beaconPort) {
    problems.error('server.beaconPort', `beacons cannot go to the server's own port ${server.serverPort}`)
  }
}

function checkTemplate(
  template: string,
  path: string,
  declared: ReadonlySet<string>,
  problems: Problems,
): boolean {
  const parsed = parseTemplate(template)
  if (!parsed.ok) {
    problems.error(path, parsed.message)
    return false
  }
  let ok = true
  for (const part of parsed.parts) {
    if ('macro' in part && !declared.has(part.macro)) {
      problems.error(path, `uses macro {${part.macro}}, which server.macros does not declare`)
      ok = false
    }
  }
  return ok
}

/** Class names must be unique; each group's attribute must not collide with its siblings. */
function checkGroups(project: Project, declared: ReadonlySet<string>, problems: Problems): void {
  const classNames = new Map<string, string>([[project.server.className, 'server.className']])
  const visit = (
    pvs: readonly PvDefinition[],
    groups: readonly SubGroupDefinition[] | undefined,
    path: string,
  ): void => {
    const attributes = new Map<string, string>()
    pvs.forEach((pv, index) => {
      const attr = attributeOf(pv)
      const at = `${path}pvs[${index}]`
      const other = attributes.get(attr)
      if (other !== undefined) {
        problems.error(
          `${at}${pv.attr !== undefined ? '.attr' : '.name'}`,
          `attribute '${attr}' is also used by ${other}; give one of them another attr`,
        )
      } else attributes.set(attr, at)
      if (pv.attr !== undefined && (PYTHON_KEYWORDS.has(pv.attr) || RESERVED_ATTRIBUTES.has(pv.attr))) {
        problems.error(`${at}.attr`, `'${pv.attr}' is reserved in a caproto PVGroup`)
      }
    })
    groups?.forEach((group, index) => {
      const at = `${path}subGroups[${index}]`
      if (PYTHON_KEYWORDS.has(group.attr) || RESERVED_ATTRIBUTES.has(group.attr)) {
        problems.error(`${at}.attr`, `'${group.attr}' is reserved in a caproto PVGroup`)
      }
      const other = attributes.get(group.attr)
      if (other !== undefined) {
        problems.error(`${at}.attr`, `attribute '${group.attr}' is also used by ${other}`)
      } else attributes.set(group.attr, at)
      const clash = classNames.get(group.className)
      if (
        clash !== undefined ||
        PYTHON_KEYWORDS.has(group.className) ||
        GENERATED_MODULE_NAMES.has(group.className)
      ) {
        problems.error(
          `${at}.className`,
          `class name '${group.className}' is already used${clash ? ` by ${clash}` : ' by the exported script'}`,
        )
      } else classNames.set(group.className, `${at}.className`)
      if (group.prefix !== undefined) checkTemplate(group.prefix, `${at}.prefix`, declared, problems)
      visit(group.pvs, group.subGroups, `${at}.`)
    })
    for (const [attr, at] of attributes) {
      if (classNames.has(attr)) problems.error(at, `attribute '${attr}' shadows the class of the same name`)
    }
  }
  visit(project.pvs, project.subGroups, '')
}

function checkPvNames(project: Project, locations: readonly PvLocation[], problems: Problems): void {
  const seen = new Map<string, string>()
  const defaults = macroDefaults(project.server.macros)
  for (const location of locations) {
    if (!parseTemplate(location.pv.name).ok) continue
    const name = fullPvName(project, location, { macros: defaults })
    const path = `${location.path}.name`
    const other = seen.get(name)
    if (other !== undefined) problems.error(path, `'${name}' is also the name of ${other}`)
    else seen.set(name, location.path)
    const bad = /[^\x21-\x7e]/.exec(name)
    if (bad) {
      const what = bad[0] === ' ' ? 'a space' : `the character ${quote(bad[0])}`
      problems.error(path, `'${name}' has ${what}; PV names are printable ASCII without spaces`)
    }
    if (name.length > MAX_PV_NAME_LENGTH) {
      problems.error(path, `the full name is ${name.length} characters, at most ${MAX_PV_NAME_LENGTH}`)
    }
  }
}

function checkPv(location: PvLocation, declared: ReadonlySet<string>, problems: Problems): void {
  const { pv, path } = location
  checkTemplate(pv.name, `${path}.name`, declared, problems)
  if (pv.name.endsWith('$'))
    problems.error(`${path}.name`, "a trailing '$' is reserved for long-string access")
  if (pv.recordType !== undefined && pv.name.includes('.')) {
    problems.error(
      `${path}.recordType`,
      "a PV whose name has a '.' cannot have a record type (caproto refuses it)",
    )
  }
  if (pv.recordType !== undefined && (pv.description?.length ?? 0) > DESC_LENGTH) {
    problems.warning(`${path}.description`, `.DESC carries the first ${DESC_LENGTH} characters`)
  }
  checkTypeFields(pv, path, problems)
  checkValue(pv, path, problems)
  checkLimits(pv, path, problems)
  if (pv.udfSeverity !== undefined && pv.value !== undefined) {
    problems.warning(
      `${path}.udfSeverity`,
      'has no effect: the PV has an initial value, so it is never undefined',
    )
  }
  const hooks = pv.hooks
  if (hooks?.putter !== undefined && pv.readOnly) {
    problems.error(`${path}.hooks.putter`, 'a read-only PV cannot have a putter (caproto refuses it)')
  }
  if (hooks?.scan?.useScanField && pv.recordType === undefined) {
    problems.error(
      `${path}.hooks.scan.useScanField`,
      'needs a recordType: the rate comes from the .SCAN field',
    )
  }
  for (const kind of ['putter', 'getter', 'startup', 'shutdown'] as const) {
    checkIndentation(hooks?.[kind], `${path}.hooks.${kind}`, problems)
  }
  checkIndentation(hooks?.scan?.body, `${path}.hooks.scan.body`, problems)
}

/** Fields that only some types take (caproto's data classes refuse the others at start-up). */
function checkTypeFields(pv: PvDefinition, path: string, problems: Problems): void {
  const numeric = isNumericType(pv.type)
  const only = (field: keyof PvDefinition, allowed: boolean, which: string): void => {
    if (pv[field] !== undefined && !allowed) {
      problems.error(`${path}.${field}`, `only ${which} PVs take ${field}; this one is ${pv.type}`)
    }
  }
  only('units', numeric, 'numeric')
  only('precision', isFloatType(pv.type), 'FLOAT and DOUBLE')
  only('displayLimits', numeric, 'numeric')
  only('controlLimits', numeric, 'numeric')
  only('alarmLimits', numeric, 'numeric')
  only('monitorDeadband', numeric, 'numeric')
  only('archiveDeadband', numeric, 'numeric')
  only('enumStrings', pv.type === 'ENUM', 'ENUM')
  const length = maxLengthOf(pv)
  if (pv.type === 'ENUM' && length !== 1) {
    problems.error(`${path}.maxLength`, 'ENUM PVs are scalars (Channel Access has no enum arrays)')
  }
  if (pv.type === 'LONG_STRING' && length < 2) {
    problems.error(`${path}.maxLength`, 'a LONG_STRING needs room for at least 2 characters')
  }
  if (pv.type === 'ENUM') {
    const states = pv.enumStrings ?? []
    if (states.length === 0)
      problems.warning(`${path}.enumStrings`, 'an ENUM without states: clients see numbers')
    states.forEach((state, index) => {
      if (states.indexOf(state) !== index) {
        problems.warning(`${path}.enumStrings[${index}]`, `state ${quote(state)} is listed twice`)
      }
    })
  }
  if (numeric && length > 1 && (pv.controlLimits || pv.alarmLimits)) {
    problems.warning(
      `${path}.${pv.controlLimits ? 'controlLimits' : 'alarmLimits'}`,
      'limits are not checked for arrays',
    )
  }
}

function checkNumber(pv: PvDefinition, value: number, path: string, problems: Problems): void {
  if (isIntegerType(pv.type)) {
    const [low, high] = INTEGER_RANGE[pv.type as 'LONG' | 'SHORT' | 'CHAR']
    if (!Number.isInteger(value))
      problems.error(path, `${value} is not a whole number; ${pv.type} holds integers`)
    else if (value < low || value > high)
      problems.error(path, `${value} is outside ${pv.type}'s range ${low}..${high}`)
  } else if (pv.type === 'FLOAT' && Math.abs(value) > FLOAT32_MAX) {
    problems.error(path, `${value} is beyond the largest FLOAT (${FLOAT32_MAX})`)
  }
}

/** The initial value must suit the type, the size and (for ENUM) the states. */
function checkValue(pv: PvDefinition, pvPath: string, problems: Problems): void {
  const value = pv.value
  if (value === undefined) return
  const path = `${pvPath}.value`
  const length = maxLengthOf(pv)
  const items: readonly unknown[] = Array.isArray(value) ? value : [value]
  if (Array.isArray(value) && (pv.type === 'ENUM' || pv.type === 'LONG_STRING')) {
    problems.error(
      path,
      `a ${pv.type} value is one ${pv.type === 'ENUM' ? 'state label' : 'text'}, not a list`,
    )
    return
  }
  if (Array.isArray(value) && length === 1) {
    problems.error(path, 'a list needs maxLength above 1 (an array PV)')
    return
  }
  if (pv.type === 'LONG_STRING') {
    if (typeof value !== 'string') problems.error(path, `a LONG_STRING starts as text, not ${typeof value}`)
    else if (value.length > length) {
      problems.error(path, `${value.length} characters, maxLength is ${length}`)
    } else if (!isLatin1(value)) problems.error(path, 'has characters outside latin-1')
    return
  }
  if (items.length > length) {
    problems.error(path, `${items.length} elements, maxLength is ${length}`)
    return
  }
  items.forEach((item, index) => {
    const at = Array.isArray(value) ? `${path}[${index}]` : path
    switch (pv.type) {
      case 'STRING':
        if (typeof item !== 'string') problems.error(at, `a STRING holds text, not ${typeof item}`)
        else if (item.length > MAX_STRING_LENGTH) {
          problems.error(
            at,
            `${quote(item)} is ${item.length} characters, a STRING holds ${MAX_STRING_LENGTH} (use LONG_STRING)`,
          )
        } else if (!isLatin1(item)) problems.error(at, `${quote(item)} has characters outside latin-1`)
        break
      case 'ENUM':
        if (typeof item !== 'string' || !(pv.enumStrings ?? []).includes(item)) {
          problems.error(at, `${quote(item)} is not one of the states ${quote(pv.enumStrings ?? [], 80)}`)
        }
        break
      default:
        if (typeof item !== 'number') problems.error(at, `a ${pv.type} holds numbers, not ${typeof item}`)
        else checkNumber(pv, item, at, problems)
    }
  })
}

const ALARM_ORDER = ['lolo', 'low', 'high', 'hihi'] as const

function enabledAlarms(limits: AlarmLimits | undefined): Array<[(typeof ALARM_ORDER)[number], number]> {
  const out: Array<[(typeof ALARM_ORDER)[number], number]> = []
  for (const key of ALARM_ORDER) {
    const limit = limits?.[key]
    if (limit?.enabled) out.push([key, limit.value])
  }
  return out
}

function checkLimits(pv: PvDefinition, path: string, problems: Problems): void {
  if (!isNumericType(pv.type)) return
  const pairs = [
    ['displayLimits', pv.displayLimits],
    ['controlLimits', pv.controlLimits],
  ] as const
  for (const [field, pair] of pairs) {
    for (const side of ['low', 'high'] as const) {
      const limit = pair?.[side]
      if (limit) checkNumber(pv, limit.value, `${path}.${field}.${side}.value`, problems)
    }
    if (pair?.low?.enabled && pair.high?.enabled) {
      if (pair.low.value > pair.high.value) {
        problems.error(`${path}.${field}`, `low ${pair.low.value} is above high ${pair.high.value}`)
      } else if (pair.low.value === pair.high.value && field === 'controlLimits') {
        problems.warning(
          `${path}.${field}`,
          'low and high are equal: caproto switches a pair with equal limits off, so the export will not enforce them',
        )
      }
    }
  }
  for (const key of ALARM_ORDER) {
    const limit = pv.alarmLimits?.[key]
    if (limit) checkNumber(pv, limit.value, `${path}.alarmLimits.${key}.value`, problems)
    if (limit?.enabled && limit.severity === 'NO_ALARM') {
      problems.warning(
        `${path}.alarmLimits.${key}.severity`,
        `NO_ALARM switches the ${key.toUpperCase()} limit off (default ${DEFAULT_ALARM_SEVERITY[key]})`,
      )
    }
  }
  const enabled = enabledAlarms(pv.alarmLimits)
  for (let i = 1; i < enabled.length; i++) {
    const [lowerKey, lower] = enabled[i - 1]
    const [upperKey, upper] = enabled[i]
    if (lower > upper) {
      problems.warning(
        `${path}.alarmLimits.${upperKey}`,
        `${upperKey} ${upper} is below ${lowerKey} ${lower}`,
      )
    }
  }
  const alarms = pv.alarmLimits
  for (const [low, high] of [
    ['lolo', 'hihi'],
    ['low', 'high'],
  ] as const) {
    if (alarms?.[low]?.enabled && alarms[high]?.enabled && alarms[low].value === alarms[high].value) {
      problems.warning(
        `${path}.alarmLimits.${high}`,
        `${low} and ${high} are equal: caproto switches a pair with equal limits off, so the export will not alarm`,
      )
    }
  }
  if (pv.type === 'CHAR') {
    for (const [low, high] of [
      ['lolo', 'hihi'],
      ['low', 'high'],
    ] as const) {
      if (Boolean(alarms?.[low]?.enabled) !== Boolean(alarms?.[high]?.enabled)) {
        const off = alarms?.[low]?.enabled ? high : low
        problems.warning(
          `${path}.alarmLimits.${off}`,
          `caproto needs both ${low} and ${high}: a CHAR's ${off} is exported as ${off === low ? 0 : 255}, ` +
            'which alarms at that value; enable it with a value of your choice',
        )
      }
    }
  }
  const control = pv.controlLimits
  if (typeof pv.value === 'number' && control) {
    if (
      (control.low?.enabled && pv.value < control.low.value) ||
      (control.high?.enabled && pv.value > control.high.value)
    ) {
      problems.warning(`${path}.value`, `${pv.value} is outside the control limits`)
    }
  }
}

/** Python bodies are re-indented on export; mixing in tabs is how that goes wrong. */
function checkIndentation(code: string | undefined, path: string, problems: Problems): void {
  if (code !== undefined && /^ *\t/m.test(code)) {
    problems.warning(path, 'indents with tabs; the export indents with spaces, so use spaces here too')
  }
}

function checkCode(project: Project, problems: Problems): void {
  checkIndentation(project.code?.helpers, 'code.helpers', problems)
  checkIndentation(project.code?.ainit, 'code.ainit', problems)
}

function checkAccess(project: Project, problems: Problems): void {
  const access = project.access
  if (!access) return
  access.rules.forEach((rule, index) => {
    for (const [field, groups] of [
      ['users', access.userGroups],
      ['hosts', access.hostGroups],
    ] as const) {
      rule[field]?.forEach((name, item) => {
        if (!groups || !(name in groups)) {
          problems.error(
            `access.rules[${index}].${field}[${item}]`,
            `'${name}' is not one of the ${field === 'users' ? 'userGroups' : 'hostGroups'}`,
          )
        }
      })
    }
  })
}

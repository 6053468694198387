/**
 * Project document -> caproto server script. The app runs this text in its caproto shim and "Export" writes
 * the same text, so what users run is what they export. The script is shaped like caproto's own examples:
 * imports; the PVGroup classes with their pvproperties first and then the hooks (`__ainit__`, startup hooks
 * that create queues, other startup hooks, putters, getters, scans, shutdowns); the `IOC_STUDIO` settings
 * dict; the `if __name__ == '__main__':` block with ioc_arg_parser and run.
 *
 * Verbatim blocks are written between marker comments (see `VERBATIM_BEGIN`), so import brings them back.
 *
 * caproto traps it avoids by construction: every PV that can raise an alarm gets its own `alarm_group`
 * (caproto's default shares one alarm per group, which re-posts every PV on any alarm change, #803); a limit
 * pair is emitted whole, its switched-off side at the type's extreme, because caproto only checks a pair
 * whose two values differ and treats a missing side as 0.
 */
import { checkProject, hasErrors } from '../model/check'
import type { Problem } from '../model/check'
import { attributeOf } from '../model/names'
import { INTEGER_RANGE, isFloatType, maxLengthOf } from '../model/project'
import type {
  Limit,
  Project,
  PvDefinition,
  Severity,
  SubGroupDefinition,
  VerbatimBlock,
  VerbatimPlacement,
} from '../model/project'
import { indentBlock, PyCall, PyCode, pyDocstring, PyFloat, pyLiteral, pyString } from './python'
import type { PyValue } from './python'
import { alarmGroupsOf } from './alarm-groups'
import { STUDIO_SETTINGS_NAME, studioSettingsOf } from './studio-settings'

/** The project has errors (see `checkProject`); the script would not run. */
export class ExportError extends Error {
  override readonly name = 'ExportError'
  constructor(readonly problems: readonly Problem[]) {
    const shown = problems.slice(0, 5).map((problem) => `  ${problem.path}: ${problem.message}`)
    const more = problems.length > 5 ? [`  … and ${problems.length - 5} more`] : []
    super(['The project has errors, so it cannot be exported:', ...shown, ...more].join('\n'))
  }
}

const WIDTH = 110
const ALARM_SEVERITY_MEMBER: Readonly<Record<Severity, string>> = {
  NO_ALARM: 'AlarmSeverity.NO_ALARM',
  MINOR: 'AlarmSeverity.MINOR_ALARM',
  MAJOR: 'AlarmSeverity.MAJOR_ALARM',
  INVALID: 'AlarmSeverity.INVALID_ALARM',
}
const CHANNEL_TYPE: Partial<Record<PvDefinition['type'], string>> = {
  FLOAT: 'ChannelType.FLOAT',
  SHORT: 'ChannelType.INT',
  ENUM: 'ChannelType.ENUM',
  STRING: 'ChannelType.STRING',
}

/** What the generated code needs imported (collected while writing). */
class Imports {
  readonly caproto = new Set<string>()
  readonly server = new Set<string>(['PVGroup', 'ioc_arg_parser', 'pvproperty', 'run'])
  os = false
}

type Argument = readonly [keyword: string, value: PyValue]

function numberFor(pv: PvDefinition, value: number): PyValue {
  return isFloatType(pv.type) ? new PyFloat(value) : value
}

/** `value=` and `dtype=`: dtype only where caproto would infer another type from the value. */
function valueArguments(pv: PvDefinition, imports: Imports): Argument[] {
  const args: Argument[] = []
  const value = pv.value
  const list = Array.isArray(value) ? (value as readonly (number | string)[]) : undefined
  const channelType = CHANNEL_TYPE[pv.type]
  if (value !== undefined) {
    if (pv.type === 'CHAR') {
      args.push(['value', new PyCall('bytes', list ? [...(list as number[])] : [value as number])])
    } else if (list) {
      args.push(['value', list.map((item) => (typeof item === 'number' ? numberFor(pv, item) : item))])
    } else args.push(['value', typeof value === 'number' ? numberFor(pv, value) : (value as string)])
  }
  const inferable = value !== undefined && (!list || list.length > 0)
  if (channelType) {
    imports.caproto.add('ChannelType')
    args.push(['dtype', new PyCode(channelType)])
  } else if (!inferable) {
    const python = { DOUBLE: 'float', LONG: 'int', LONG_STRING: 'str', CHAR: 'bytes' }[pv.type as string]
    args.push(['dtype', new PyCode(python as string)])
  }
  if (maxLengthOf(pv) > 1 || pv.type === 'LONG_STRING') args.push(['max_length', maxLengthOf(pv)])
  if (pv.type === 'ENUM') args.push(['enum_strings', [...(pv.enumStrings ?? [])]])
  return args
}

/** The value that keeps a switched-off side of a limit pair from ever tripping. */
function outermost(pv: PvDefinition, side: 'low' | 'high'): PyValue {
  if (isFloatType(pv.type)) return new PyCode(side === 'low' ? "float('-inf')" : "float('inf')")
  const [low, high] = INTEGER_RANGE[pv.type as 'LONG' | 'SHORT' | 'CHAR']
  return side === 'low' ? low : high
}

function limitArguments(pv: PvDefinition): Argument[] {
  const args: Argument[] = []
  const display = pv.displayLimits
  if (display?.low?.enabled) args.push(['lower_disp_limit', numberFor(pv, display.low.value)])
  if (display?.high?.enabled) args.push(['upper_disp_limit', numberFor(pv, display.high.value)])
  const pair = (lowKeyword: string, highKeyword: string, low?: Limit, high?: Limit): void => {
    if (!low?.enabled && !high?.enabled) return
    args.push([lowKeyword, low?.enabled ? numberFor(pv, low.value) : outermost(pv, 'low')])
    args.push([highKeyword, high?.enabled ? numberFor(pv, high.value) : outermost(pv, 'high')])
  }
  pair('lower_ctrl_limit', 'upper_ctrl_limit', pv.controlLimits?.low, pv.controlLimits?.high)
  const alarms = pv.alarmLimits
  const before = args.length
  pair('lower_alarm_limit', 'upper_alarm_limit', alarms?.lolo, alarms?.hihi)
  pair('lower_warning_limit', 'upper_warning_limit', alarms?.low, alarms?.high)
  // Written low to high: LOLO, LOW, HIGH, HIHI.
  const alarmArgs = args.splice(before)
  const order = ['lower_alarm_limit', 'lower_warning_limit', 'upper_warning_limit', 'upper_alarm_limit']
  alarmArgs.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
  args.push(...alarmArgs)
  return args
}

function pvArguments(pv: PvDefinition, alarmGroup: string | undefined, imports: Imports): Argument[] {
  const attr = attributeOf(pv)
  const args: Argument[] = []
  if (attr !== pv.name) args.push(['name', pv.name])
  args.push(...valueArguments(pv, imports))
  if (pv.readOnly) args.push(['read_only', true])
  if (pv.recordType !== undefined) args.push(['record', pv.recordType])
  if (pv.units !== undefined) args.push(['units', pv.units])
  if (pv.precision !== undefined) args.push(['precision', pv.precision])
  args.push(...limitArguments(pv))
  if (pv.monitorDeadband !== undefined) args.push(['value_atol', numberFor(pv, pv.monitorDeadband)])
  if (pv.archiveDeadband !== undefined) args.push(['log_atol', numberFor(pv, pv.archiveDeadband)])
  if (alarmGroup !== undefined) args.push(['alarm_group', alarmGroup])
  if (pv.description !== undefined) args.push(['doc', pv.description])
  return args
}

/** `head(a=1, b=2)` on one line when it fits at `indent`, else one argument per line. */
function call(head: string, args: readonly Argument[], indent: number): string {
  const pad = ' '.repeat(indent)
  const flat = `${pad}${head}(${args.map(([key, value]) => `${key}=${pyLiteral(value, 0, 0, Infinity)}`).join(', ')})`
  if (flat.length <= WIDTH) return flat
  const inner = indent + 4
  const lines = args.map(([key, value]) => {
    const start = `${' '.repeat(inner)}${key}=`
    return `${start}${pyLiteral(value, inner, start.length, WIDTH, 1)},`
  })
  return [`${pad}${head}(`, ...lines, `${pad})`].join('\n')
}

type HookKind = 'startup' | 'putter' | 'getter' | 'scan' | 'shutdown'

const HOOK_PARAMETERS: Readonly<Record<HookKind, string>> = {
  startup: 'self, instance, async_lib',
  putter: 'self, instance, value',
  getter: 'self, instance',
  scan: 'self, instance, async_lib',
  shutdown: 'self, instance, async_lib',
}

/** A startup hook that creates ThreadsafeQueues: other hooks use the queues, so it comes first. */
function ownsQueues(pv: PvDefinition): boolean {
  return pv.hooks?.startup?.includes('ThreadsafeQueue') ?? false
}

function hookMethod(pv: PvDefinition, kind: HookKind, imports: Imports): string | undefined {
  const hooks = pv.hooks
  const attr = attributeOf(pv)
  let decorator: string
  let body: string | undefined
  if (kind === 'scan') {
    const scan = hooks?.scan
    if (!scan) return undefined
    const options: Argument[] = [['period', new PyFloat(scan.period)]]
    if (scan.subtractElapsed === false) options.push(['subtract_elapsed', false])
    if (scan.stopOnError) options.push(['stop_on_error', true])
    if (scan.failureSeverity !== undefined && scan.failureSeverity !== 'MAJOR') {
      imports.caproto.add('AlarmSeverity')
      options.push(['failure_severity', new PyCode(ALARM_SEVERITY_MEMBER[scan.failureSeverity])])
    }
    if (scan.useScanField) options.push(['use_scan_field', true])
    decorator = call(`@${attr}.scan`, options, 4).trimStart()
    body = scan.body
  } else {
    body = hooks?.[kind]
    if (body === undefined) return undefined
    decorator = `@${attr}.${kind}`
  }
  return [`    ${decorator}`, `    async def ${attr}(${HOOK_PARAMETERS[kind]}):`, indentBlock(body, 8)].join(
    '\n',
  )
}

/** The hooks of a class's PVs, in the order the IOC meets them. */
function hookMethods(pvs: readonly PvDefinition[], imports: Imports): string[] {
  const startups = [...pvs.filter(ownsQueues), ...pvs.filter((pv) => !ownsQueues(pv))]
  const ordered: Array<[PvDefinition, HookKind]> = [
    ...startups.map((pv): [PvDefinition, HookKind] => [pv, 'startup']),
    ...(['putter', 'getter', 'scan', 'shutdown'] as const).flatMap((kind) =>
      pvs.map((pv): [PvDefinition, HookKind] => [pv, kind]),
    ),
  ]
  return ordered.flatMap(([pv, kind]) => hookMethod(pv, kind, imports) ?? [])
}

interface ClassContent {
  readonly className: string
  readonly docstring: string | undefined
  readonly pvs: readonly PvDefinition[]
  readonly subGroups: readonly SubGroupDefinition[]
  /** Methods before the hooks (`__ainit__`). */
  readonly leading: readonly string[]
  /** Code after the hooks (helpers, verbatim blocks), already indented. */
  readonly trailing: readonly string[]
}

function classSource(content: ClassContent, imports: Imports): string {
  const blocks: string[] = []
  if (content.docstring !== undefined) blocks.push(pyDocstring(content.docstring, 4, WIDTH))
  const groups = alarmGroupsOf(content.pvs)
  const attributes = content.pvs.map((pv) =>
    call(`${attributeOf(pv)} = pvproperty`, pvArguments(pv, groups.get(pv), imports), 4),
  )
  for (const group of content.subGroups) {
    imports.server.add('SubGroup')
    const prefix =
      group.prefix !== undefined && group.prefix !== `${group.attr}:`
        ? `, prefix=${pyString(group.prefix)}`
        : ''
    attributes.push(`    ${group.attr} = SubGroup(${group.className}${prefix})`)
  }
  if (attributes.length > 0) blocks.push(attributes.join('\n'))
  blocks.push(...content.leading, ...hookMethods(content.pvs, imports), ...content.trailing)
  if (blocks.length === 0) blocks.push('    pass')
  return `class ${content.className}(PVGroup):\n${blocks.join('\n\n')}`
}

/** Group classes, each before the class that uses it. */
function subGroupClasses(groups: readonly SubGroupDefinition[] | undefined, imports: Imports): string[] {
  return (groups ?? []).flatMap((group) => [
    ...subGroupClasses(group.subGroups, imports),
    classSource(
      {
        className: group.className,
        docstring: group.description,
        pvs: group.pvs,
        subGroups: group.subGroups ?? [],
        leading: [],
        trailing: hasText(group.helpers) ? [indentBlock(group.helpers, 4)] : [],
      },
      imports,
    ),
  ])
}

/** User code worth writing: anything but whitespace (comments are kept). */
function hasText(code: string | undefined): code is string {
  return code !== undefined && code.trim() !== ''
}

/**
 * The comment lines around a verbatim block, so that import brings it back as the same block (not as imports
 * or helpers): `# IOC Studio verbatim (review): <note>` before it (without ' (review)' when it needs none, and
 * without the note when it has none; the note on one line), `# IOC Studio verbatim end` after it, both at the
 * block's indentation. src-main/python/importer/read_script.py reads them.
 */
const VERBATIM_BEGIN = '# IOC Studio verbatim'
const VERBATIM_END = '# IOC Studio verbatim end'

function verbatimBegin(block: VerbatimBlock): string {
  const head = `${VERBATIM_BEGIN}${block.needsReview ? ' (review)' : ''}`
  return block.note === undefined ? head : `${head}: ${block.note.replace(/\s*\n\s*/g, ' ')}`
}

function verbatim(project: Project, placement: VerbatimPlacement, indent: number): string[] {
  const pad = ' '.repeat(indent)
  return (project.verbatim ?? [])
    .filter((block) => block.placement === placement && hasText(block.code))
    .map((block) =>
      [
        `${pad}${verbatimBegin(block)}`,
        indentBlock(block.code, indent, placement === 'class'),
        `${pad}${VERBATIM_END}`,
      ].join('\n'),
    )
}

function mainBlock(project: Project, hasAinit: boolean, imports: Imports): string {
  const { server } = project
  const lines = ["if __name__ == '__main__':"]
  const environment: Array<[string, string]> = []
  if (server.interfaces && server.interfaces.length > 0) {
    environment.push(['EPICS_CAS_INTF_ADDR_LIST', server.interfaces.join(' ')])
  }
  if (server.serverPort !== undefined) environment.push(['EPICS_CA_SERVER_PORT', String(server.serverPort)])
  if (server.beaconPort !== undefined) environment.push(['EPICS_CAS_BEACON_PORT', String(server.beaconPort)])
  for (const [name, value] of environment) {
    imports.os = true
    lines.push(`    os.environ.setdefault(${pyString(name)}, ${pyString(value)})`)
  }
  const parserArgs: Argument[] = [
    ['default_prefix', server.prefix],
    ['desc', server.description ?? server.name],
  ]
  if (server.macros && server.macros.length > 0) {
    parserArgs.push([
      'macros',
      Object.fromEntries(server.macros.map((macro) => [macro.name, macro.default ?? null])),
    ])
  }
  lines.push(call('ioc_options, run_options = ioc_arg_parser', parserArgs, 4))
  lines.push(`    ioc = ${server.className}(**ioc_options)`)
  lines.push(`    run(ioc.pvdb, ${hasAinit ? 'startup_hook=ioc.__ainit__, ' : ''}**run_options)`)
  return lines.join('\n')
}

function importLines(imports: Imports): string {
  const blocks: string[] = []
  if (imports.os) blocks.push('import os')
  const caproto: string[] = []
  if (imports.caproto.size > 0) caproto.push(`from caproto import ${[...imports.caproto].sort().join(', ')}`)
  // Code-point order, as isort writes it: classes (capitalised) before functions.
  caproto.push(`from caproto.server import ${[...imports.server].sort().join(', ')}`)
  blocks.push(caproto.join('\n'))
  return blocks.join('\n\n')
}

/**
 * The caproto script of a project: deterministic (the same document always gives the same text) and valid
 * Python. Throws ExportError when `checkProject` finds errors.
 */
export function exportCaprotoScript(project: Project): string {
  const problems = checkProject(project)
  if (hasErrors(problems)) throw new ExportError(problems.filter((problem) => problem.severity === 'error'))
  const imports = new Imports()
  const { server, code } = project

  const hasAinit = hasText(code?.ainit)
  const leading = hasAinit
    ? [`    async def __ainit__(self, async_lib):\n${indentBlock(code?.ainit as string, 8)}`]
    : []
  const trailing = [
    ...(hasText(code?.helpers) ? [indentBlock(code.helpers, 4)] : []),
    ...verbatim(project, 'class', 4),
  ]
  const classes = [
    ...subGroupClasses(project.subGroups, imports),
    classSource(
      {
        className: server.className,
        docstring: server.description ?? server.name,
        pvs: project.pvs,
        subGroups: project.subGroups ?? [],
        leading,
        trailing,
      },
      imports,
    ),
  ]
  const settings = studioSettingsOf(project)
  const settingsBlock = settings
    ? `# IOC Studio applies these settings when it runs this script; caproto has no arguments for them.\n` +
      `${STUDIO_SETTINGS_NAME} = ${pyLiteral(settings, 0, STUDIO_SETTINGS_NAME.length + 3, WIDTH)}`
    : undefined
  const main = mainBlock(project, hasAinit, imports)

  const moduleDoc = pyDocstring(
    `${server.name}: a caproto IOC exported by IOC Studio.\n\nRun it with caproto installed, e.g. \`python3 <this file> --list-pvs\`.`,
    0,
    WIDTH,
  )
  const header = [
    moduleDoc,
    importLines(imports),
    ...(hasText(code?.imports) ? [indentBlock(code.imports, 0, false)] : []),
  ]
  const sections = [
    header.join('\n\n'),
    ...verbatim(project, 'module', 0),
    ...classes,
    ...(settingsBlock ? [settingsBlock] : []),
    ...verbatim(project, 'module-end', 0),
    main,
  ]
  return `${sections.join('\n\n\n')}\n`
}

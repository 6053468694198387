/**
 * A read caproto script (read_script.py's description) -> a project document. The inverse of the exporter
 * (src-shared/codegen/caproto-script.ts) for what it writes, and a best effort for hand-written scripts:
 *
 * - the IOC class is the one `__main__` instantiates (else the last PVGroup class); the PVGroup classes it uses
 *   through `SubGroup(Cls, prefix=…)` (each used once) become sub-groups;
 * - pvproperties whose arguments are literals the document can say become PVs, their decorated hooks become
 *   hook bodies, `__ainit__` (when run() passes it) the group's ainit, other class code its helpers;
 * - module code before the IOC class becomes `code.imports`, code after it a verbatim 'module-end' block, the
 *   generated imports and the `__main__` block become server settings, and the `IOC_STUDIO` dict of an
 *   exported script is applied back (severities, switched-off limits, access rules…);
 * - anything else is kept exactly as written in a verbatim block marked for review (or, inside a sub-group,
 *   in its helpers) and reported, never dropped. Comments outside kept code are reported.
 */
import { isOwnAlarmGroup } from '@shared/codegen/alarm-groups'
import { ExportError, exportCaprotoScript } from '@shared/codegen/caproto-script'
import { STUDIO_SETTINGS_NAME, readStudioSettings } from '@shared/codegen/studio-settings'
import { attributeOf } from '@shared/model/names'
import {
  DEFAULT_LONG_STRING_LENGTH,
  FORMAT_VERSION,
  INTEGER_RANGE,
  isFloatType,
  isIntegerType,
} from '@shared/model/project'
import type {
  AccessSettings,
  MacroDefinition,
  Project,
  PvDefinition,
  PvType,
  ScanHook,
  ServerSettings,
  Severity,
  SubGroupDefinition,
  VerbatimBlock,
  VerbatimPlacement,
} from '@shared/model/project'
import type {
  ClassMember,
  MainStatement,
  MarkedVerbatim,
  ModuleItem,
  ScriptArgument,
  ScriptCall,
  ScriptClass,
  ScriptDescription,
} from './script-description'

/** Something the user should know about the import: where it landed in the document, and what happened. */
export interface ImportIssue {
  readonly path: string
  readonly message: string
}

export interface ImportedProject {
  readonly project: Project
  readonly warnings: readonly ImportIssue[]
}

/** The script cannot become a project at all (no PVGroup, not Python…). */
export class ImportError extends Error {
  override readonly name = 'ImportError'
}

/** Names the exporter imports itself, by module. */
const GENERATED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  caproto: ['AlarmSeverity', 'ChannelType'],
  'caproto.server': ['PVGroup', 'SubGroup', 'ioc_arg_parser', 'pvproperty', 'run'],
}
/** caproto's autosave helper: IOC Studio's own autosave takes its place. */
const AUTOSAVE_MODULE = 'caproto.server.autosave'

const CHANNEL_TYPES: Readonly<Record<string, PvType>> = {
  STRING: 'STRING',
  INT: 'SHORT',
  LONG: 'LONG',
  DOUBLE: 'DOUBLE',
  FLOAT: 'FLOAT',
  ENUM: 'ENUM',
  CHAR: 'LONG_STRING',
}
const PYTHON_TYPES: Readonly<Record<string, PvType>> = {
  float: 'DOUBLE',
  int: 'LONG',
  str: 'LONG_STRING',
  bytes: 'CHAR',
  bool: 'ENUM',
}

type LimitField = 'displayLimits' | 'controlLimits' | 'alarmLimits'
const LIMIT_KEYWORDS: Readonly<Record<string, readonly [LimitField, string]>> = {
  lower_disp_limit: ['displayLimits', 'low'],
  upper_disp_limit: ['displayLimits', 'high'],
  lower_ctrl_limit: ['controlLimits', 'low'],
  upper_ctrl_limit: ['controlLimits', 'high'],
  lower_alarm_limit: ['alarmLimits', 'lolo'],
  lower_warning_limit: ['alarmLimits', 'low'],
  upper_warning_limit: ['alarmLimits', 'high'],
  upper_alarm_limit: ['alarmLimits', 'hihi'],
}
const PV_KEYWORDS = new Set([
  'value',
  'dtype',
  'name',
  'max_length',
  'read_only',
  'doc',
  'record',
  'alarm_group',
  'units',
  'precision',
  'value_atol',
  'log_atol',
  'enum_strings',
  ...Object.keys(LIMIT_KEYWORDS),
])
const HOOK_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  putter: ['self', 'instance', 'value'],
  getter: ['self', 'instance'],
  startup: ['self', 'instance', 'async_lib'],
  shutdown: ['self', 'instance', 'async_lib'],
  scan: ['self', 'instance', 'async_lib'],
}
const SCAN_SEVERITIES: Readonly<Record<string, Severity>> = {
  NO_ALARM: 'NO_ALARM',
  MINOR_ALARM: 'MINOR',
  MAJOR_ALARM: 'MAJOR',
  INVALID_ALARM: 'INVALID',
}
const EXPORTED_DOC = /^(.*): a caproto IOC exported by IOC Studio\./
const EXPORTED_SETTINGS_COMMENT = '# IOC Studio applies these settings'

type Mutable<T> = T extends readonly (infer Item)[]
  ? Mutable<Item>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T
type PvDraft = Mutable<PvDefinition>

/** Code items joined with the blank lines they had in the script (items that were not adjacent: `gap`). */
interface Region {
  readonly start: number
  readonly end: number
  readonly code: string
  /** Position in its list of items: consecutive indexes were adjacent in the source. */
  readonly index: number
}

function joinRegions(regions: readonly Region[], gap: number): string {
  let out = ''
  regions.forEach((region, i) => {
    if (i > 0) {
      const previous = regions[i - 1]
      const blank = region.index === previous.index + 1 ? region.start - previous.end - 1 : gap
      out += '\n'.repeat(Math.max(0, blank))
    }
    out += region.code.endsWith('\n') ? region.code : `${region.code}\n`
  })
  return out.replace(/\n+$/, '')
}

function isPvGroupClass(cls: ScriptClass, groupClasses: ReadonlySet<string>): boolean {
  return cls.bases.some((base) => /(^|\.)PVGroup$/.test(base) || groupClasses.has(base))
}

function literalString(argument: ScriptArgument | undefined): string | undefined {
  return argument?.pyType === 'str' ? (argument.value as string) : undefined
}

function literalNumber(argument: ScriptArgument | undefined): number | undefined {
  return argument?.pyType === 'int' || argument?.pyType === 'float' ? (argument.value as number) : undefined
}

/** caproto's order-independent keyword check: those outside `allowed`, and positional/`**` arguments. */
function unexpectedArguments(call: ScriptCall, allowed: ReadonlySet<string>, positional = 0): string[] {
  const found = Object.keys(call.keywords).filter((keyword) => !allowed.has(keyword))
  if (call.positional.length > positional) found.push('positional arguments')
  if (call.unpacked.length > 0) found.push(`**${call.unpacked[0]}`)
  return found
}

/** Drops the alarm groups the exporter gives PVs of their own, so they do not become explicit in the document. */
function dropOwnAlarmGroups(pvs: readonly PvDraft[]): void {
  const own = pvs.filter((pv) => isOwnAlarmGroup(pv, pvs))
  for (const pv of own) delete pv.alarmGroup
}

interface GroupContent {
  readonly pvs: PvDraft[]
  readonly subGroups: Mutable<SubGroupDefinition>[]
  readonly helpers: string | undefined
  readonly ainit: string | undefined
  /**
   * The IOC class's verbatim blocks, in order: members it cannot represent (kept as written, adjacent ones
   * together; in a sub-group they are part of its helpers instead) and blocks the script marks as verbatim.
   */
  readonly verbatim: readonly ClassVerbatim[]
}

/** A verbatim block of the IOC class; `at` is the index of its first member. */
type ClassVerbatim =
  | { readonly at: number; readonly kept: { regions: Region[]; notes: string[]; line: number } }
  | { readonly at: number; readonly marked: Mutable<VerbatimBlock> }

/** The document block of a block the exported script marks as verbatim. */
function markedBlock(
  item: MarkedVerbatim & { readonly code: string },
  placement: VerbatimPlacement,
): Mutable<VerbatimBlock> {
  const code = item.code.replace(/\n+$/, '')
  return {
    placement,
    code,
    needsReview: item.review,
    ...(item.note !== undefined ? { note: item.note } : {}),
  }
}

class ScriptImporter {
  readonly warnings: ImportIssue[] = []
  private readonly classes = new Map<string, ScriptClass>()
  /** IntEnum classes: their labels by value (caproto's `unset_N` for gaps). */
  private readonly enums = new Map<string, { labels: string[]; byName: Map<string, number> }>()
  /** Group classes that became sub-groups (their module definitions are consumed). */
  private readonly consumed = new Set<string>()
  /** How many SubGroup(...) refer to each class, across all classes. */
  private readonly uses = new Map<string, number>()
  private readonly verbatim: Mutable<VerbatimBlock>[] = []
  private ainitRuns = false
  /** Class names given to decorated sub-group classes. */
  private readonly takenClassNames = new Set<string>()

  constructor(
    private readonly script: ScriptDescription,
    private readonly filename: string,
  ) {}

  run(): ImportedProject {
    const items = this.script.items
    const classItems = items.filter(
      (item): item is Extract<ModuleItem, { kind: 'class' }> => item.kind === 'class',
    )
    const groupNames = new Set<string>()
    for (const { class: cls } of classItems) {
      this.classes.set(cls.name, cls)
      if (isPvGroupClass(cls, groupNames)) groupNames.add(cls.name)
      else if (cls.bases.some((base) => /(^|\.)IntEnum$/.test(base))) this.readEnum(cls)
    }
    if (groupNames.size === 0) {
      throw new ImportError(`${this.filename} defines no PVGroup class: nothing to import`)
    }
    for (const cls of this.classes.values()) this.countSubGroupUses(cls)

    const main = items.find((item): item is Extract<ModuleItem, { kind: 'main' }> => item.kind === 'main')
    const mainInfo = this.readMain(main?.main.statements ?? [], groupNames)
    const rootName = mainInfo.className ?? [...groupNames].pop()
    const root = this.classes.get(rootName as string)
    if (!root || !groupNames.has(root.name)) {
      throw new ImportError(`${this.filename}: ${rootName} is not a PVGroup class of this script`)
    }
    if (root.bases.length !== 1 || !/(^|\.)PVGroup$/.test(root.bases[0]) || root.keywords.length > 0) {
      throw new ImportError(
        `${this.filename}: ${root.name} derives from ${root.bases.join(', ')}; an IOC Studio project's IOC ` +
          'class derives from PVGroup only',
      )
    }
    this.ainitRuns = mainInfo.ainit
    this.consumed.add(root.name)
    const name = mainInfo.name ?? this.nameFromDoc() ?? root.name
    const description = this.description(root.doc, mainInfo.desc, name)
    const moduleDoc = this.moduleDocstring(description !== undefined)
    const content = this.groupContent(root, 'root', '')

    // Module level: imports and code before the IOC class, code after it, the settings dict.
    const before: Region[] = []
    const after: Region[] = []
    const droppedNames = new Set<string>()
    let settings: unknown
    let rootSeen = false
    /** Code after the IOC class so far, as one 'module-end' block (until a marked block comes between). */
    const keepAfter = () => {
      if (after.length === 0) return
      this.verbatim.push({ placement: 'module-end', code: joinRegions(after, 2), needsReview: false })
      after.length = 0
    }
    items.forEach((item, index) => {
      if (item.kind === 'main') return
      if (item.kind === 'class' && item.class.name === root.name) {
        rootSeen = true
        this.noteComments(item.comments, `class ${item.class.name}`, item.line)
        this.addClassVerbatim(content.verbatim)
        return
      }
      if (item.kind === 'verbatim') {
        this.noteComments(item.comments, 'a verbatim block', item.line)
        if (rootSeen) keepAfter()
        this.verbatim.push(markedBlock(item, rootSeen ? 'module-end' : 'module'))
        return
      }
      if (item.kind === 'class' && this.consumed.has(item.class.name)) {
        this.noteComments(item.comments, `class ${item.class.name}`, item.line)
        return
      }
      if (item.kind === 'code' && item.targets?.length === 1 && item.targets[0] === STUDIO_SETTINGS_NAME) {
        settings = item.assigned?.value
        this.noteComments(
          item.comments.filter((comment) => !comment.startsWith(EXPORTED_SETTINGS_COMMENT)),
          STUDIO_SETTINGS_NAME,
          item.line,
        )
        return
      }
      let code = item.code
      if (item.kind === 'import') {
        const kept = this.keptImport(item, droppedNames)
        if (kept === undefined) return
        code = kept
      }
      if (item.kind === 'class' && this.isGroupClass(item.class.name, groupNames)) {
        this.verbatim.push({
          placement: 'module',
          code: item.code.replace(/\n+$/, ''),
          needsReview: true,
          note: `imported: PVGroup class ${item.class.name} is used in a way the project cannot represent`,
        })
        this.warn(
          `verbatim[${this.verbatim.length - 1}]`,
          `class ${item.class.name} (line ${item.line}) kept as written: its PVs are served but not editable`,
        )
        return
      }
      ;(rootSeen ? after : before).push({ start: item.start, end: item.end, code, index })
    })
    keepAfter()
    for (const trailing of this.script.trailingComments) this.warnComment(trailing, 'end of the script')

    const server: Mutable<ServerSettings> = { name, className: root.name, prefix: mainInfo.prefix ?? '' }
    if (description !== undefined || moduleDoc !== undefined) server.description = description ?? moduleDoc
    if (mainInfo.macros.length > 0) server.macros = mainInfo.macros
    if (mainInfo.interfaces) server.interfaces = mainInfo.interfaces
    if (mainInfo.serverPort !== undefined) server.serverPort = mainInfo.serverPort
    if (mainInfo.beaconPort !== undefined) server.beaconPort = mainInfo.beaconPort
    if (mainInfo.prefix === undefined) {
      this.warn(
        'server.prefix',
        'no ioc_arg_parser(default_prefix=…) in the __main__ block: the prefix is empty',
      )
    }

    const project: Mutable<Project> = { formatVersion: FORMAT_VERSION, server, pvs: content.pvs }
    if (content.subGroups.length > 0) project.subGroups = content.subGroups
    const code: { imports?: string; helpers?: string; ainit?: string } = {}
    const imports = joinRegions(before, 2)
    if (imports !== '') code.imports = imports
    if (content.helpers !== undefined) code.helpers = content.helpers
    if (content.ainit !== undefined) code.ainit = content.ainit
    if (Object.keys(code).length > 0) project.code = code
    if (this.verbatim.length > 0) project.verbatim = this.verbatim
    if (settings !== undefined) this.applySettings(project, settings)
    this.dropOwnAlarmGroupsEverywhere(project)
    this.restoreImports(project, droppedNames)
    return { project: project as Project, warnings: this.warnings }
  }

  // -- module items ------------------------------------------------------------------------------------------

  private isGroupClass(name: string, groupNames: ReadonlySet<string>): boolean {
    return groupNames.has(name)
  }

  private readEnum(cls: ScriptClass): void {
    const byName = new Map<string, number>()
    for (const member of cls.members) {
      if (member.kind === 'code' && member.attr && member.assigned?.pyType === 'int') {
        byName.set(member.attr, member.assigned.value as number)
      }
    }
    if (byName.size === 0) return
    const labels: string[] = []
    const max = Math.max(...byName.values())
    if (max > 64 || Math.min(...byName.values()) < 0) return
    for (let index = 0; index <= max; index++) labels.push(`unset_${index}`)
    for (const [name, value] of byName) labels[value] = name
    this.enums.set(cls.name, { labels, byName })
  }

  private countSubGroupUses(cls: ScriptClass): void {
    for (const member of cls.members) {
      if (member.kind === 'subgroup') {
        const target = member.positional[0]?.ref ?? member.keywords.group?.ref
        if (target) this.uses.set(target, (this.uses.get(target) ?? 0) + 1)
      } else if (member.kind === 'subgroup-class') this.countSubGroupUses(member.class)
    }
  }

  /** An import without the names the exporter writes itself (recorded in `dropped`); undefined if none is left. */
  private keptImport(
    item: Extract<ModuleItem, { kind: 'import' }>,
    dropped: Set<string>,
  ): string | undefined {
    const module = item.module
    if (module === AUTOSAVE_MODULE) {
      this.warn(
        '',
        `line ${item.line}: caproto's autosave helper is replaced by IOC Studio's autosave (the PVs' autosave flag)`,
      )
      return undefined
    }
    const generated =
      module !== undefined ? GENERATED_IMPORTS[module] : item.names.includes('os') ? ['os'] : undefined
    if (!generated) return item.code
    const keep: string[] = []
    item.names.forEach((name, i) => {
      const alias = item.aliases[i]
      if (generated.includes(name) && (alias === undefined || alias === name)) dropped.add(name)
      else keep.push(alias ? `${name} as ${alias}` : name)
    })
    if (keep.length === item.names.length) return item.code
    if (keep.length === 0) return undefined
    const comments = item.comments.map((comment) => `${comment}\n`).join('')
    return module !== undefined
      ? `${comments}from ${module} import ${keep.join(', ')}\n`
      : `${comments}import ${keep.join(', ')}\n`
  }

  private readMain(statements: readonly MainStatement[], groupNames: ReadonlySet<string>) {
    const info = {
      className: undefined as string | undefined,
      name: undefined as string | undefined,
      prefix: undefined as string | undefined,
      desc: undefined as string | undefined,
      macros: [] as MacroDefinition[],
      ainit: false,
      interfaces: undefined as string[] | undefined,
      serverPort: undefined as number | undefined,
      beaconPort: undefined as number | undefined,
    }
    const extra: MainStatement[] = []
    for (const statement of statements) {
      this.noteComments(statement.comments, 'the __main__ block', statement.line)
      const call = statement.call
      if (statement.import) {
        const generated = GENERATED_IMPORTS[statement.import.module ?? ''] ?? []
        if (statement.import.names.every((name) => generated.includes(name) || name === 'os')) continue
      } else if (call?.function === 'ioc_arg_parser' && this.readArgParser(call, info)) continue
      else if (call?.function && groupNames.has(call.function) && call.unpacked.length === 1) {
        if (unexpectedArguments(call, new Set()).length === 1) {
          info.className = call.function
          continue
        }
      } else if (call?.function === 'run' && this.readRun(call, info)) continue
      else if (call?.function === 'os.environ.setdefault' && this.readEnvironment(call, info)) continue
      extra.push(statement)
    }
    if (extra.length > 0) {
      this.verbatim.push({
        placement: 'module-end',
        code: joinRegions(
          extra.map((statement) => ({ ...statement, index: statements.indexOf(statement) })),
          1,
        ),
        needsReview: true,
        note: 'imported from the __main__ block: it now runs whenever the script is loaded',
      })
      this.warn(
        `verbatim[${this.verbatim.length - 1}]`,
        `statements of the __main__ block (line ${extra[0].line}) kept as written before it: review them`,
      )
    }
    return info
  }

  private readArgParser(
    call: ScriptCall,
    info: { prefix?: string; desc?: string; macros: MacroDefinition[] },
  ): boolean {
    if (
      unexpectedArguments(call, new Set(['default_prefix', 'desc', 'macros', 'supported_async_libs'])).length
    ) {
      return false
    }
    const prefix = literalString(call.keywords.default_prefix)
    if (prefix === undefined) return false
    info.prefix = prefix
    info.desc = literalString(call.keywords.desc)
    const macros = call.keywords.macros
    if (macros) {
      if (macros.pyType !== 'dict') return false
      for (const [name, value] of Object.entries(macros.value as Record<string, unknown>)) {
        info.macros.push(value === undefined || value === null ? { name } : { name, default: String(value) })
      }
    }
    return true
  }

  private readRun(call: ScriptCall, info: { ainit: boolean }): boolean {
    if (call.positional.length !== 1 || !/\.pvdb$/.test(call.positional[0].source)) return false
    const hook = call.keywords.startup_hook
    // `**run_options` is the one expected unpacking.
    const unexpected = unexpectedArguments(
      { ...call, unpacked: call.unpacked.slice(1) },
      new Set(['startup_hook']),
      1,
    )
    if (call.unpacked.length !== 1 || unexpected.length > 0) return false
    if (hook && !/\.__ainit__$/.test(hook.source)) return false
    info.ainit = hook !== undefined
    return true
  }

  private readEnvironment(
    call: ScriptCall,
    info: { interfaces?: string[]; serverPort?: number; beaconPort?: number },
  ): boolean {
    const [name, value] = call.positional.map((argument) => literalString(argument))
    if (call.positional.length !== 2 || name === undefined || value === undefined) return false
    const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN
    if (name === 'EPICS_CAS_INTF_ADDR_LIST') info.interfaces = value.split(/\s+/).filter(Boolean)
    else if (name === 'EPICS_CA_SERVER_PORT' && port > 0 && port < 65536) info.serverPort = port
    else if (name === 'EPICS_CAS_BEACON_PORT' && port > 0 && port < 65536) info.beaconPort = port
    else return false
    return true
  }

  private nameFromDoc(): string | undefined {
    return EXPORTED_DOC.exec(this.script.doc?.trim() ?? '')?.[1]
  }

  /** The class docstring, else the --help text, unless it only repeats the name (the exporter's default). */
  private description(
    untrimmed: string | undefined,
    desc: string | undefined,
    name: string,
  ): string | undefined {
    const doc = untrimmed?.trim()
    if (desc !== undefined && doc !== undefined && desc !== doc) {
      this.warn(
        'server.description',
        `the class docstring is the description; ioc_arg_parser's desc ${JSON.stringify(desc)} is not kept`,
      )
    }
    const text = doc ?? desc
    return text === undefined || text === name ? undefined : text
  }

  /** A hand-written module docstring: the description when nothing else gives one, else kept verbatim. */
  private moduleDocstring(hasDescription: boolean): string | undefined {
    const doc = this.script.doc
    if (doc === undefined || this.nameFromDoc() !== undefined) return undefined
    if (!hasDescription) return doc.trim()
    this.verbatim.push({
      placement: 'module',
      code: `"""${doc.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"')}"""`,
      needsReview: false,
      note: "imported: the script's module docstring",
    })
    return undefined
  }

  // -- classes -----------------------------------------------------------------------------------------------

  private groupContent(cls: ScriptClass, role: 'root' | 'group', path: string): GroupContent {
    const pvs = new Map<string, PvDraft>()
    const pvOrder: PvDraft[] = []
    const subGroups: Mutable<SubGroupDefinition>[] = []
    const helpers: Region[] = []
    const verbatim: ClassVerbatim[] = []
    let ainit: string | undefined
    const keepAsWritten = (member: ClassMember, index: number, note: string) => {
      const last = verbatim[verbatim.length - 1]
      const kept = last && 'kept' in last ? last.kept : undefined
      const region = { start: member.start, end: member.end, code: member.code, index }
      if (kept && kept.regions[kept.regions.length - 1].index === index - 1) {
        kept.regions.push(region)
        if (!kept.notes.includes(note)) kept.notes.push(note)
      } else verbatim.push({ at: index, kept: { regions: [region], notes: [note], line: member.line } })
    }

    cls.members.forEach((member, index) => {
      if (member.kind !== 'pv') return
      const converted = this.pv(member)
      if (typeof converted === 'string') {
        keepAsWritten(member, index, `pvproperty ${member.attr}: ${converted}`)
        return
      }
      this.noteComments(member.comments, `pvproperty ${member.attr}`, member.line)
      pvs.set(member.attr, converted)
      pvOrder.push(converted)
    })

    cls.members.forEach((member, index) => {
      switch (member.kind) {
        case 'pv':
          return
        case 'hook': {
          const pv = pvs.get(member.target)
          const problem = pv
            ? this.hookProblem(member, pv)
            : `its pvproperty ${member.target} is kept as written`
          if (problem !== undefined || !pv) {
            keepAsWritten(member, index, `${member.hook} hook of ${member.target}: ${problem}`)
            return
          }
          this.noteComments(member.comments, `the ${member.hook} hook of ${member.target}`, member.line)
          const body = member.body.replace(/\n+$/, '')
          const hooks = (pv.hooks ??= {})
          if (member.hook === 'scan') {
            hooks.scan = { body, ...(this.scanOptions(member.scanArgs) as Omit<ScanHook, 'body'>) }
          } else hooks[member.hook] = body
          return
        }
        case 'subgroup':
        case 'subgroup-class': {
          if (member.kind === 'subgroup' && member.positional[0]?.ref === 'AutosaveHelper') {
            this.warn(
              '',
              `line ${member.line}: caproto's AutosaveHelper is replaced by IOC Studio's autosave`,
            )
            return
          }
          const group = this.subGroup(member, `${path}subGroups[${subGroups.length}].`)
          if (typeof group === 'string') keepAsWritten(member, index, `SubGroup ${member.attr}: ${group}`)
          else {
            this.noteComments(member.comments, `SubGroup ${member.attr}`, member.line)
            subGroups.push(group)
          }
          return
        }
        case 'ainit':
          if (role === 'root' && this.ainitRuns && member.isAsync && member.simpleParams) {
            this.noteComments(member.comments, '__ainit__', member.line)
            ainit = member.body.replace(/\n+$/, '')
            return
          }
          helpers.push({ start: member.start, end: member.end, code: member.code, index })
          return
        case 'code':
          helpers.push({ start: member.start, end: member.end, code: member.code, index })
          return
        case 'verbatim':
          this.noteComments(member.comments, 'a verbatim block', member.line)
          if (role === 'root') verbatim.push({ at: index, marked: markedBlock(member, 'class') })
          else {
            // A sub-group has no verbatim blocks of its own (see below).
            helpers.push({ start: member.start, end: member.end, code: member.code, index })
            this.warn(
              `${path}helpers`,
              `a verbatim block (line ${member.line}) is now part of the group's helpers`,
            )
          }
      }
    })
    for (const comment of cls.trailingComments) this.warnComment(comment, `the end of class ${cls.name}`)

    // A sub-group has no verbatim blocks of its own: what it cannot say stays in its helpers, as written.
    if (role === 'group') {
      for (const entry of verbatim) {
        if (!('kept' in entry)) continue
        helpers.push(...entry.kept.regions)
        this.warn(
          `${path}helpers`,
          `kept as written in the group's helpers (line ${entry.kept.line}): ${entry.kept.notes.join('; ')}`,
        )
      }
      helpers.sort((a, b) => a.index - b.index)
    }
    return {
      pvs: pvOrder,
      subGroups,
      helpers: helpers.length > 0 ? joinRegions(helpers, 1) : undefined,
      ainit,
      verbatim: role === 'root' ? verbatim.sort((a, b) => a.at - b.at) : [],
    }
  }

  /** The IOC class's verbatim blocks, in the document's order; each kept member is reported. */
  private addClassVerbatim(entries: readonly ClassVerbatim[]): void {
    for (const entry of entries) {
      if ('marked' in entry) {
        this.verbatim.push(entry.marked)
        continue
      }
      const { regions, notes, line } = entry.kept
      this.verbatim.push({
        placement: 'class',
        code: joinRegions(regions, 1),
        needsReview: true,
        note: `imported: ${notes.join('; ')}`,
      })
      this.warn(
        `verbatim[${this.verbatim.length - 1}]`,
        `kept as written (line ${line}): ${notes.join('; ')}`,
      )
    }
  }

  private subGroup(
    member: Extract<ClassMember, { kind: 'subgroup' | 'subgroup-class' }>,
    path: string,
  ): Mutable<SubGroupDefinition> | string {
    const unexpected = unexpectedArguments(member, new Set(['prefix']), member.kind === 'subgroup' ? 1 : 0)
    if (unexpected.length > 0) return `${unexpected.join(', ')} cannot be represented`
    const prefixArgument = member.keywords.prefix
    const prefix = literalString(prefixArgument)
    if (prefixArgument && prefix === undefined)
      return `prefix=${prefixArgument.source} is not a literal string`
    let cls: ScriptClass | undefined
    if (member.kind === 'subgroup-class') {
      cls = member.class
      if (this.classes.has(cls.name)) return `its class name ${cls.name} is also a module-level class`
    } else {
      const name = member.positional[0]?.ref
      cls = name !== undefined ? this.classes.get(name) : undefined
      if (!cls) return `${member.positional[0]?.source ?? 'its group'} is not a PVGroup class of this script`
      if ((this.uses.get(cls.name) ?? 0) !== 1) return `class ${cls.name} is used by more than one SubGroup`
    }
    if (cls.bases.length !== 1 || !/(^|\.)PVGroup$/.test(cls.bases[0]) || cls.keywords.length > 0) {
      return `class ${cls.name} derives from ${cls.bases.join(', ')}, not PVGroup alone`
    }
    this.consumed.add(cls.name)
    const content = this.groupContent(cls, 'group', path)
    let className = cls.name
    if (member.kind === 'subgroup-class' && className === member.attr) {
      // Exported, the class sits at module level beside `attr = SubGroup(Class)`: the names must differ.
      className = this.freeClassName(`${className[0].toUpperCase()}${className.slice(1)}`)
      this.warn(
        `${path.slice(0, -1)}.className`,
        `class ${cls.name} (line ${cls.line}) is now called ${className}`,
      )
    }
    const group: Mutable<SubGroupDefinition> = { attr: member.attr, className, pvs: content.pvs }
    if (prefix !== undefined && prefix !== `${member.attr}:`) group.prefix = prefix
    if (cls.doc !== undefined) group.description = cls.doc.trim()
    if (content.subGroups.length > 0) group.subGroups = content.subGroups
    if (content.helpers !== undefined) group.helpers = content.helpers
    return group
  }

  private freeClassName(wanted: string): string {
    let name = wanted
    for (let n = 2; this.classes.has(name) || this.takenClassNames.has(name); n++) name = `${wanted}${n}`
    this.takenClassNames.add(name)
    return name
  }

  // -- PVs ---------------------------------------------------------------------------------------------------

  /** The PV of a pvproperty call, or why the document cannot represent it. */
  private pv(member: Extract<ClassMember, { kind: 'pv' }>): PvDraft | string {
    const unexpected = unexpectedArguments(member, PV_KEYWORDS)
    if (unexpected.length > 0) return `${unexpected.join(', ')} cannot be represented`
    const k = member.keywords
    for (const [keyword, argument] of Object.entries(k)) {
      if (keyword === 'dtype' || keyword === 'value') continue
      if (argument.pyType === undefined) return `${keyword}=${argument.source} is not a literal`
    }
    const typed = this.typeOf(k)
    if (typeof typed === 'string') return typed
    const { type } = typed
    let enumStrings = typed.enumStrings
    if (k.enum_strings) {
      const strings = k.enum_strings.value
      if (!Array.isArray(strings) || !strings.every((s) => typeof s === 'string')) {
        return `enum_strings=${k.enum_strings.source} is not a list of strings`
      }
      enumStrings = strings as string[]
    }
    const converted = this.valueOf(k.value, type, enumStrings, typed.boolean)
    if (typeof converted === 'string') return converted
    const { value } = converted

    const name = k.name ? literalString(k.name) : member.attr
    if (name === undefined) return `name=${k.name?.source} is not a literal string`
    const pv: PvDraft = { name, type }
    if (attributeOf({ name, type } as PvDefinition) !== member.attr) pv.attr = member.attr

    const given = literalNumber(k.max_length)
    const length =
      given ??
      (typeof value === 'string' && type === 'LONG_STRING'
        ? Math.max(1, value.length)
        : Array.isArray(value)
          ? Math.max(1, value.length)
          : 1)
    if (length !== (type === 'LONG_STRING' ? DEFAULT_LONG_STRING_LENGTH : 1)) pv.maxLength = length
    if (value !== undefined) pv.value = value as PvDraft['value']
    if (k.read_only?.value === true) pv.readOnly = true
    const doc = literalString(k.doc)
    if (doc !== undefined) pv.description = doc
    const record = literalString(k.record)
    if (record !== undefined) pv.recordType = record
    const units = literalString(k.units)
    if (units !== undefined) pv.units = units
    const precision = literalNumber(k.precision)
    if (precision !== undefined) pv.precision = precision

    for (const [keyword, [field, side]] of Object.entries(LIMIT_KEYWORDS)) {
      const limit = literalNumber(k[keyword])
      if (limit === undefined || this.isOutermost(type, field, side, limit)) continue
      if (!Number.isFinite(limit)) return `${keyword}=${k[keyword].source} cannot be represented`
      const limits = (pv[field] ??= {}) as Record<string, unknown>
      limits[side] = { enabled: true, value: limit }
    }
    if (pv.alarmLimits) pv.alarmLimits = orderKeys(pv.alarmLimits, ['lolo', 'low', 'high', 'hihi'])
    if (enumStrings !== undefined && type === 'ENUM') pv.enumStrings = enumStrings
    const mdel = literalNumber(k.value_atol)
    if (mdel !== undefined) pv.monitorDeadband = mdel
    const adel = literalNumber(k.log_atol)
    if (adel !== undefined) pv.archiveDeadband = adel
    const group = literalString(k.alarm_group)
    if (group !== undefined) pv.alarmGroup = group
    if (member.autosave) pv.autosave = true
    return pv
  }

  /** The exporter writes a switched-off side of a limit pair as the type's extreme: that side is not set. */
  private isOutermost(type: PvType, field: LimitField, side: string, value: number): boolean {
    if (field === 'displayLimits') return false
    const low = side === 'low' || side === 'lolo'
    if (isFloatType(type) || !isIntegerType(type)) return value === (low ? -Infinity : Infinity)
    const [min, max] = INTEGER_RANGE[type as 'LONG' | 'SHORT' | 'CHAR']
    return value === (low ? min : max)
  }

  private typeOf(
    k: Readonly<Record<string, ScriptArgument>>,
  ): { type: PvType; enumStrings?: string[]; boolean?: boolean } | string {
    const dtype = k.dtype
    if (dtype) {
      const ref = dtype.ref ?? ''
      const channel = /^(?:caproto\.)?ChannelType\.([A-Z]+)$/.exec(ref)
      if (channel && CHANNEL_TYPES[channel[1]]) return { type: CHANNEL_TYPES[channel[1]] }
      if (Object.hasOwn(PYTHON_TYPES, ref)) {
        return ref === 'bool'
          ? { type: 'ENUM', enumStrings: ['Off', 'On'], boolean: true }
          : { type: PYTHON_TYPES[ref] }
      }
      const intEnum = this.enums.get(ref)
      if (intEnum) return { type: 'ENUM', enumStrings: intEnum.labels }
      return `dtype=${dtype.source} is not a type the project knows`
    }
    const value = k.value
    if (!value) return { type: 'LONG' }
    const member = value.ref ? this.enumMember(value.ref) : undefined
    if (member) return { type: 'ENUM', enumStrings: member.labels }
    const pyType = value.pyType === 'list' ? value.itemType : value.pyType
    if (pyType === 'bool') return { type: 'ENUM', enumStrings: ['Off', 'On'], boolean: true }
    if (
      pyType !== undefined &&
      Object.hasOwn(PYTHON_TYPES, pyType) &&
      !(value.pyType === 'list' && pyType === 'str')
    ) {
      return { type: PYTHON_TYPES[pyType] }
    }
    return `value=${value.source} does not say the PV's type`
  }

  private enumMember(ref: string): { labels: string[]; name: string } | undefined {
    const dot = ref.lastIndexOf('.')
    const intEnum = this.enums.get(ref.slice(0, dot))
    const name = ref.slice(dot + 1)
    return intEnum?.byName.has(name) ? { labels: intEnum.labels, name } : undefined
  }

  /** The document value of `value=` (undefined: none), or why it cannot be one. */
  private valueOf(
    argument: ScriptArgument | undefined,
    type: PvType,
    enumStrings: readonly string[] | undefined,
    boolean: boolean | undefined,
  ): { value: unknown } | string {
    if (argument === undefined || argument.pyType === 'NoneType') return { value: undefined }
    if (type === 'ENUM') {
      const member = argument.ref ? this.enumMember(argument.ref) : undefined
      if (member) return { value: member.name }
      const strings = enumStrings ?? []
      if (argument.pyType === 'bool' || (boolean && argument.pyType === 'int')) {
        const label = strings[argument.value ? 1 : 0]
        return label !== undefined ? { value: label } : `value=${argument.source}: no such state`
      }
      if (argument.pyType === 'int') {
        const label = strings[argument.value as number]
        return label !== undefined ? { value: label } : `value=${argument.source}: no such state`
      }
      if (argument.pyType === 'str') return { value: argument.value }
      return `value=${argument.source} is not a state of the enum`
    }
    if (argument.pyType === undefined) return `value=${argument.source} is not a literal`
    const value = argument.value
    if (type === 'STRING' || type === 'LONG_STRING') {
      const texts = Array.isArray(value) ? value : [value]
      if (!texts.every((text) => typeof text === 'string')) return `value=${argument.source} is not text`
      if (type === 'LONG_STRING' && Array.isArray(value)) return 'a list of texts for a str PV'
      return { value }
    }
    const numbers = Array.isArray(value) ? value : [value]
    if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      return `value=${argument.source} is not a number or a list of numbers`
    }
    return { value }
  }

  private hookProblem(member: Extract<ClassMember, { kind: 'hook' }>, pv: PvDraft): string | undefined {
    if (!member.isAsync) return 'it is not async'
    if (member.name !== member.target) return `the function is called ${member.name}, not ${member.target}`
    const expected = HOOK_PARAMETERS[member.hook]
    if (!member.simpleParams || member.params.join(',') !== expected.join(',')) {
      return `its parameters are (${member.params.join(', ')}), not (${expected.join(', ')})`
    }
    if (pv.hooks?.[member.hook] !== undefined) return `a second ${member.hook} hook`
    if (member.hook === 'scan') {
      const options = this.scanOptions(member.scanArgs)
      if (typeof options === 'string') return options
    }
    return undefined
  }

  private scanOptions(call: ScriptCall | undefined): Omit<ScanHook, 'body'> | string {
    if (!call) return 'no scan arguments'
    const allowed = new Set([
      'period',
      'subtract_elapsed',
      'stop_on_error',
      'failure_severity',
      'use_scan_field',
    ])
    const unexpected = unexpectedArguments(call, allowed, call.keywords.period ? 0 : 1)
    if (unexpected.length > 0) return `scan ${unexpected.join(', ')} cannot be represented`
    const period = literalNumber(call.keywords.period ?? call.positional[0])
    if (period === undefined || !(period > 0)) return 'the scan period is not a positive number'
    const options: Mutable<Omit<ScanHook, 'body'>> = { period }
    const flag = (keyword: string) => call.keywords[keyword]
    for (const keyword of ['subtract_elapsed', 'stop_on_error', 'use_scan_field']) {
      if (flag(keyword) && flag(keyword).pyType !== 'bool')
        return `${keyword}=${flag(keyword).source} is not True/False`
    }
    if (flag('subtract_elapsed')?.value === false) options.subtractElapsed = false
    if (flag('stop_on_error')?.value === true) options.stopOnError = true
    const severity = flag('failure_severity')
    if (severity) {
      const member = /^(?:caproto\.)?AlarmSeverity\.([A-Z_]+)$/.exec(severity.ref ?? '')?.[1]
      const mapped = member !== undefined ? SCAN_SEVERITIES[member] : undefined
      if (!mapped) return `failure_severity=${severity.source} is not an AlarmSeverity`
      if (mapped !== 'MAJOR') options.failureSeverity = mapped
    }
    if (flag('use_scan_field')?.value === true) options.useScanField = true
    return options
  }

  // -- the settings dict and the finishing touches -----------------------------------------------------------

  private applySettings(project: Mutable<Project>, value: unknown): void {
    const read = readStudioSettings(value)
    if (!read.ok) {
      this.warn('', `${STUDIO_SETTINGS_NAME} is not usable and was ignored: ${read.message}`)
      return
    }
    const raw = value as { pvs?: Record<string, Record<string, unknown>>; access?: AccessSettings }
    if (read.settings.hookTimeLimitMs !== undefined)
      project.server.hookTimeLimitMs = read.settings.hookTimeLimitMs
    if (raw.access) project.access = raw.access as Mutable<AccessSettings>
    for (const [attrPath, fragment] of Object.entries(raw.pvs ?? {})) {
      const pv = this.pvAt(project, attrPath)
      if (!pv) {
        this.warn('', `${STUDIO_SETTINGS_NAME}['pvs'] names ${attrPath}, which is not a PV of the project`)
        continue
      }
      mergeFragment(pv as unknown as Record<string, unknown>, fragment)
      if (pv.alarmLimits)
        pv.alarmLimits = orderKeys(pv.alarmLimits, ['lolo', 'low', 'high', 'hihi', 'hysteresis'])
    }
  }

  private pvAt(project: Mutable<Project>, attrPath: string): PvDraft | undefined {
    const parts = attrPath.split('.')
    let pvs: readonly PvDraft[] = project.pvs
    let groups: readonly SubGroupDefinition[] = project.subGroups ?? []
    for (const part of parts.slice(0, -1)) {
      const group = groups.find((g) => g.attr === part)
      if (!group) return undefined
      pvs = group.pvs as PvDraft[]
      groups = group.subGroups ?? []
    }
    return pvs.find((pv) => attributeOf(pv) === parts[parts.length - 1])
  }

  private dropOwnAlarmGroupsEverywhere(project: Mutable<Project>): void {
    dropOwnAlarmGroups(project.pvs)
    const visit = (groups: readonly SubGroupDefinition[] | undefined) => {
      for (const group of groups ?? []) {
        dropOwnAlarmGroups(group.pvs as PvDraft[])
        visit(group.subGroups)
      }
    }
    visit(project.subGroups)
  }

  /** Generated names the script imported that the exported script would not (its code may still use them). */
  private restoreImports(project: Mutable<Project>, dropped: ReadonlySet<string>): void {
    if (dropped.size === 0) return
    let written = new Set<string>()
    try {
      written = importedNames(exportCaprotoScript(project as Project))
    } catch (error) {
      if (!(error instanceof ExportError)) throw error
    }
    const lines: string[] = []
    if (dropped.has('os') && !written.has('os')) lines.push('import os')
    for (const [module, names] of Object.entries(GENERATED_IMPORTS)) {
      const missing = names.filter((name) => dropped.has(name) && !written.has(name))
      if (missing.length > 0) lines.push(`from ${module} import ${missing.join(', ')}`)
    }
    if (lines.length === 0) return
    const code = (project.code ??= {})
    code.imports = code.imports ? `${lines.join('\n')}\n${code.imports}` : lines.join('\n')
  }

  private noteComments(comments: readonly string[], where: string, line: number): void {
    for (const comment of comments) this.warnComment(comment, `${where} (line ${line})`)
  }

  private warnComment(comment: string, where: string): void {
    this.warn('', `the comment ${JSON.stringify(comment)} above ${where} is not kept`)
  }

  private warn(path: string, message: string): void {
    this.warnings.push({ path, message })
  }
}

/** Names a script's top-level `import os` / `from caproto[.server] import …` lines bring in. */
function importedNames(script: string): Set<string> {
  const names = new Set<string>()
  for (const line of script.split('\n')) {
    if (line === 'import os') names.add('os')
    const from = /^from caproto(?:\.server)? import (.+)$/.exec(line)
    if (from) for (const name of from[1].split(',')) names.add(name.trim())
  }
  return names
}

function orderKeys<T extends object>(object: T, order: readonly string[]): T {
  const entries = Object.entries(object).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
  return Object.fromEntries(entries) as T
}

/** Merges a settings fragment (document vocabulary) into a PV: nested objects merge, values replace. */
function mergeFragment(target: Record<string, unknown>, fragment: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fragment)) {
    const current = target[key]
    if (isPlainObject(value) && isPlainObject(current)) mergeFragment(current, value)
    else target[key] = isPlainObject(value) ? structuredClone(value) : value
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The project a read script describes (see the module comment); throws ImportError when there is none. */
export function projectFromScript(script: ScriptDescription, filename: string): ImportedProject {
  return new ScriptImporter(script, filename).run()
}

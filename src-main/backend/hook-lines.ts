/**
 * Where a line of the generated script comes from. A traceback names a line of the script the IOC runs; the
 * user wrote a hook body in the document, so the editor needs the hook and the line within its body. The
 * exporter writes each hook as `@attr.kind` + `async def attr(...)` + the body indented by 8, inside the class
 * of the PV's group, and `__ainit__` likewise; that shape is read back here.
 */
import { attributeOf, pvLocations } from '@shared/model/names'
import type { Project } from '@shared/model/project'

export type BodyKind = 'putter' | 'getter' | 'startup' | 'shutdown' | 'scan' | 'ainit'

export interface BodyPosition {
  /** Document path of the PV (`subGroups[0].pvs[2]`); null for `__ainit__`. */
  readonly pvPath: string | null
  readonly hook: BodyKind
  /** 1-based line within the body as the user wrote it. */
  readonly line: number
}

interface ScriptFunction {
  readonly className: string
  readonly attr: string
  readonly kind: BodyKind
  /** 1-based script lines of the body: first and last. */
  readonly first: number
  readonly last: number
}

const CLASS_LINE = /^class (\w+)\(/
const DECORATOR_LINE = /^ {4}@(\w+)\.(putter|getter|startup|shutdown|scan)\b/
const DEF_LINE = /^ {4}async def (\w+)\(/

function functionsOf(script: string): ScriptFunction[] {
  const lines = script.split('\n')
  const found: ScriptFunction[] = []
  let className = ''
  let pending: { attr: string; kind: BodyKind } | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const classMatch = CLASS_LINE.exec(line)
    if (classMatch) {
      className = classMatch[1]
      pending = undefined
      continue
    }
    const decorator = DECORATOR_LINE.exec(line)
    if (decorator) {
      pending = { attr: decorator[1], kind: decorator[2] as BodyKind }
      continue
    }
    const def = DEF_LINE.exec(line)
    if (!def) continue
    const kind = pending?.kind ?? (def[1] === '__ainit__' ? 'ainit' : undefined)
    const attr = pending?.attr ?? def[1]
    pending = undefined
    if (!kind) continue
    let last = i + 1
    while (last + 1 < lines.length && (lines[last + 1] === '' || lines[last + 1].startsWith('        ')))
      last++
    while (last > i + 1 && lines[last] === '') last--
    found.push({ className, attr, kind, first: i + 2, last: last + 1 })
  }
  return found
}

/** Blank lines the exporter drops from the top of a body. */
function leadingBlankLines(body: string): number {
  let count = 0
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() !== '') break
    count++
  }
  return count
}

function bodyOf(project: Project, pvPath: string | null, kind: BodyKind): string {
  if (kind === 'ainit') return project.code?.ainit ?? ''
  const location = pvLocations(project).find((l) => l.path === pvPath)
  const hooks = location?.pv.hooks
  if (!hooks) return ''
  return (kind === 'scan' ? hooks.scan?.body : hooks[kind]) ?? ''
}

/** The hook body a script line belongs to, or null for generated code (pvproperty lines, main block…). */
export function locateScriptLine(script: string, project: Project, scriptLine: number): BodyPosition | null {
  const fn = functionsOf(script).find((f) => scriptLine >= f.first && scriptLine <= f.last)
  if (!fn) return null
  let pvPath: string | null = null
  if (fn.kind !== 'ainit') {
    const location = pvLocations(project).find(
      (l) =>
        (l.groups.at(-1)?.className ?? project.server.className) === fn.className &&
        attributeOf(l.pv) === fn.attr,
    )
    if (!location) return null
    pvPath = location.path
  }
  const line = scriptLine - fn.first + 1 + leadingBlankLines(bodyOf(project, pvPath, fn.kind))
  return { pvPath, hook: fn.kind, line }
}

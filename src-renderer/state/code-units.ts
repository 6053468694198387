/**
 * Every piece of Python in the document, as something Python's compile() can judge on its own. Hook bodies
 * and `__ainit__` are function bodies (with `await` and `return`), helpers are a class body, imports are
 * module code: each is wrapped in what the exporter puts around it, and positions are mapped back.
 */
import type { Project } from '@shared/model/project'
import { pvLocations } from '@shared/model/names'
import { pvId } from './pv-ids'
import type { CodePart, PvHookKind } from './workbench'

export interface CodeUnit {
  /** `hook:<pvId>:<kind>` or `code:<part>`: the tab that edits it. */
  readonly key: string
  /** Document path of the code (`pvs[2].hooks.putter`, `code.imports`). */
  readonly path: string
  /** What to call it in messages: "putter of temperature". */
  readonly label: string
  readonly source: string
  readonly wrap: Wrap
}

type Wrap = { readonly header: string | null }

const HEADERS: Readonly<Record<PvHookKind | 'ainit' | 'helpers', string>> = {
  putter: 'async def _hook(self, instance, value):',
  getter: 'async def _hook(self, instance):',
  startup: 'async def _hook(self, instance, async_lib):',
  shutdown: 'async def _hook(self, instance, async_lib):',
  scan: 'async def _hook(self, instance, async_lib):',
  ainit: 'async def __ainit__(self, async_lib):',
  helpers: 'class _Group:',
}

const HOOKS: readonly PvHookKind[] = ['putter', 'getter', 'startup', 'shutdown', 'scan']

export function codeUnits(project: Project): CodeUnit[] {
  const units: CodeUnit[] = []
  for (const location of pvLocations(project)) {
    const hooks = location.pv.hooks
    if (!hooks) continue
    for (const kind of HOOKS) {
      const source = kind === 'scan' ? hooks.scan?.body : hooks[kind]
      if (source === undefined) continue
      units.push({
        key: `hook:${pvId(location.pv)}:${kind}`,
        path: `${location.path}.hooks.${kind}${kind === 'scan' ? '.body' : ''}`,
        label: `${kind} of ${location.pv.name}`,
        source,
        wrap: { header: HEADERS[kind] },
      })
    }
  }
  const code = project.code
  const parts: readonly CodePart[] = ['imports', 'helpers', 'ainit']
  for (const part of parts) {
    const source = code?.[part]
    if (source === undefined) continue
    units.push({
      key: `code:${part}`,
      path: `code.${part}`,
      label: part === 'ainit' ? '__ainit__' : `group ${part}`,
      source,
      wrap: { header: part === 'imports' ? null : HEADERS[part] },
    })
  }
  return units
}

/** The text compile() sees: the body indented under its header, with `pass` so an empty body still compiles. */
export function compilableSource(unit: Pick<CodeUnit, 'source' | 'wrap'>): string {
  if (unit.wrap.header === null) return unit.source
  const body = unit.source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
  return `${unit.wrap.header}\n${body.join('\n')}\n    pass\n`
}

/** A compile() position mapped back into the unit's own text (1-based). */
export function unitPosition(
  unit: Pick<CodeUnit, 'source' | 'wrap'>,
  line: number,
  column: number,
): { line: number; column: number } {
  if (unit.wrap.header === null) return { line, column }
  const lines = unit.source.split(/\r?\n/)
  const inBody = Math.min(Math.max(line - 1, 1), Math.max(lines.length, 1))
  return { line: inBody, column: Math.max(1, column - 4) }
}

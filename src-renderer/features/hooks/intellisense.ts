/**
 * Completions and hover docs for hook code, as plain data (./python-language hands them to Monaco). What a
 * name means depends on where the code runs: a putter body has `value`, a scan body `async_lib`, and `self`
 * is the group the PV belongs to, so `self.` offers that group's PVs.
 */
import { attributeOf, fullPvName, pvLocations } from '@shared/model/names'
import type { Project, PvDefinition, SubGroupDefinition } from '@shared/model/project'
import { locatePv } from '../../state/workbench'
import type { CodePart, PvHookKind } from '../../state/workbench'
import {
  API_MEMBERS,
  GLOBALS,
  HOOK_PARAMETERS,
  memberAccessAt,
  objectBeforeDot,
  PARAMETER_DOCS,
} from './caproto-api'
import type { ApiMember } from './caproto-api'
import { SNIPPETS } from './hook-templates'

/** The code an editor shows: a PV's hook, or group-level code. */
export type CodeContext =
  | { readonly kind: 'hook'; readonly pvId: string; readonly hook: PvHookKind }
  | { readonly kind: 'code'; readonly part: CodePart }

export interface Suggestion {
  readonly label: string
  readonly kind: 'pv' | 'group' | 'method' | 'property' | 'class' | 'constant' | 'variable' | 'snippet'
  readonly detail: string
  readonly documentation: string
  readonly insertText: string
  readonly snippet: boolean
}

interface Scope {
  readonly pvs: readonly PvDefinition[]
  readonly subGroups: readonly SubGroupDefinition[]
  /** How full names are computed: the project and each PV's location. */
  readonly project: Project
}

function scopeOf(project: Project, context: CodeContext): Scope {
  if (context.kind === 'hook') {
    const group = locatePv(project, context.pvId)?.groups.at(-1)
    if (group) return { pvs: group.pvs, subGroups: group.subGroups ?? [], project }
  }
  return { pvs: project.pvs, subGroups: project.subGroups ?? [], project }
}

function parametersOf(context: CodeContext): readonly string[] {
  if (context.kind === 'hook') return HOOK_PARAMETERS[context.hook]
  if (context.part === 'ainit') return HOOK_PARAMETERS.ainit
  return context.part === 'helpers' ? ['self'] : []
}

function describePv(scope: Scope, pv: PvDefinition): string {
  const location = pvLocations(scope.project).find((l) => l.pv === pv)
  const name = location ? fullPvName(scope.project, location) : pv.name
  const parts = [`PV ${name} · ${pv.type}${(pv.maxLength ?? 1) > 1 ? `[${pv.maxLength}]` : ''}`]
  if (pv.units) parts.push(`units ${pv.units}`)
  if (pv.readOnly) parts.push('read-only over CA')
  return `${parts.join(' · ')}${pv.description ? `\n\n${pv.description}` : ''}`
}

function fromMember(member: ApiMember): Suggestion {
  return {
    label: member.name,
    kind: member.kind,
    detail: member.signature,
    documentation: member.doc,
    insertText: member.insert ?? member.name,
    snippet: member.insert !== undefined,
  }
}

function pvAttributes(scope: Scope): Set<string> {
  return new Set(scope.pvs.map(attributeOf))
}

/** What to offer with the cursor after `lineBefore` (the text of the line up to the cursor). */
export function suggestionsAt(project: Project, context: CodeContext, lineBefore: string): Suggestion[] {
  const scope = scopeOf(project, context)
  const access = memberAccessAt(lineBefore)
  if (access) {
    if (access.expression === 'self') {
      return [
        ...scope.pvs.map((pv): Suggestion => ({
          label: attributeOf(pv),
          kind: 'pv',
          detail: `${pv.name} (${pv.type})`,
          documentation: describePv(scope, pv),
          insertText: attributeOf(pv),
          snippet: false,
        })),
        ...scope.subGroups.map((group): Suggestion => ({
          label: group.attr,
          kind: 'group',
          detail: `SubGroup ${group.className}`,
          documentation:
            group.description ?? `The ${group.className} sub-group: its PVs are self.${group.attr}.<pv>`,
          insertText: group.attr,
          snippet: false,
        })),
        ...API_MEMBERS.self.map(fromMember),
      ]
    }
    const object = objectBeforeDot(access.expression, pvAttributes(scope))
    return object ? API_MEMBERS[object].map(fromMember) : []
  }
  if (
    /[A-Za-z0-9_)\]'"]\s*$/.test(lineBefore) &&
    !/(^|[^A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*$/.test(lineBefore)
  ) {
    return []
  }
  const snippetKey = context.kind === 'hook' ? context.hook : context.part
  return [
    ...parametersOf(context).map((name): Suggestion => ({
      label: name,
      kind: 'variable',
      detail: 'parameter',
      documentation: PARAMETER_DOCS[name] ?? '',
      insertText: name,
      snippet: false,
    })),
    ...GLOBALS.map(fromMember),
    ...SNIPPETS[snippetKey].map((s): Suggestion => ({
      label: s.label,
      kind: 'snippet',
      detail: s.detail,
      documentation: s.body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, ''),
      insertText: s.body,
      snippet: true,
    })),
  ]
}

/** Hover text for `word`, which starts at `wordStart` in `line`; null when there is nothing to say. */
export function hoverAt(
  project: Project,
  context: CodeContext,
  line: string,
  word: string,
  wordStart: number,
): string | null {
  const scope = scopeOf(project, context)
  const before = line.slice(0, wordStart)
  const access = memberAccessAt(before)
  if (access && access.partial === '') {
    if (access.expression === 'self') {
      const pv = scope.pvs.find((p) => attributeOf(p) === word)
      if (pv) return describePv(scope, pv)
      const group = scope.subGroups.find((g) => g.attr === word)
      if (group) return `SubGroup ${group.className}${group.description ? `\n\n${group.description}` : ''}`
      const member = API_MEMBERS.self.find((m) => m.name === word)
      return member ? `${member.signature}\n\n${member.doc}` : null
    }
    const object = objectBeforeDot(access.expression, pvAttributes(scope))
    const member = object ? API_MEMBERS[object].find((m) => m.name === word) : undefined
    return member ? `${member.signature}\n\n${member.doc}` : null
  }
  if (parametersOf(context).includes(word)) return `${word}: ${PARAMETER_DOCS[word] ?? 'parameter'}`
  const global = GLOBALS.find((g) => g.name === word)
  return global ? `${global.signature}\n\n${global.doc}` : null
}

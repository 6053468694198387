/**
 * Loading a project document: migrate older versions forward, check the structure, and explain every problem
 * with a path and a sentence. Never throws for bad input. Fields the format does not know are kept (and
 * reported as warnings) so saving a file written by a newer tool or by hand loses nothing.
 */
import { FORMAT_VERSION, projectShape } from './project'
import type { Project } from './project'
import { checkShape, kindOf } from './shape'
import type { Issue } from './shape'
import { migrate, MIGRATIONS } from './migrations'
import type { JsonObject, Migration } from './migrations'

export type { Issue } from './shape'

export type ParseResult =
  | { readonly ok: true; readonly project: Project; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly errors: readonly Issue[] }

export interface ParseOptions {
  /** Migrations to apply (default: the real ones); tests pass synthetic ones. */
  readonly migrations?: readonly Migration[]
}

/** A deep copy of JSON data (the document never shares objects with its input). */
function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = copyJson(item)
    return out
  }
  return value
}

function failure(path: string, message: string): ParseResult {
  return { ok: false, errors: [{ path, message }] }
}

/** Validates a parsed `*.ioc.json` value and returns the project, or every error found. */
export function parseProject(json: unknown, options: ParseOptions = {}): ParseResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return failure('(document)', `an IOC Studio project is a JSON object, not ${kindOf(json)}`)
  }
  const document = json as JsonObject
  const version = document.formatVersion
  if (version === undefined) {
    return failure(
      'formatVersion',
      `missing: an IOC Studio project starts with "formatVersion": ${FORMAT_VERSION}`,
    )
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return failure('formatVersion', `${JSON.stringify(version)} is not a format version number`)
  }
  const migrated = migrate(document, version, FORMAT_VERSION, options.migrations ?? MIGRATIONS)
  if (!migrated.ok) return failure('formatVersion', migrated.message)

  const checked = checkShape(projectShape, migrated.document)
  if (!checked.ok) return { ok: false, errors: checked.errors }
  const warnings: Issue[] = [
    ...migrated.applied.map((message) => ({ path: 'formatVersion', message: `migrated ${message}` })),
    ...checked.unknownFields.map(({ path, suggestion }) => ({
      path,
      message: `unknown field, kept as it is${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
    })),
  ]
  return { ok: true, project: copyJson(migrated.document) as Project, warnings }
}

/**
 * Where JSON text stops being valid (a character offset), for messages: the engine's own error does not always
 * say. Follows RFC 8259 closely enough to find the first offending character.
 */
export function jsonErrorOffset(source: string): number | undefined {
  // Sticky patterns match at `lastIndex` without copying the text.
  const scalar = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
  const stringBody = /"(?:[^"\\\p{Cc}]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/uy
  let at = 0
  const match = (pattern: RegExp): boolean => {
    pattern.lastIndex = at
    const found = pattern.exec(source)
    if (found) at += found[0].length
    return found !== null
  }
  const space = (): void => {
    while (at < source.length && ' \t\n\r'.includes(source[at])) at++
  }
  const string = (): boolean => {
    if (!match(stringBody) || source[at] !== '"') return false
    at++
    return true
  }
  const value = (): boolean => {
    space()
    if (source[at] === '{') return container('}', true)
    if (source[at] === '[') return container(']', false)
    if (source[at] === '"') return string()
    return match(scalar)
  }
  const container = (close: string, keyed: boolean): boolean => {
    at++
    space()
    if (source[at] === close) {
      at++
      return true
    }
    for (;;) {
      if (keyed) {
        space()
        if (source[at] !== '"' || !string()) return false
        space()
        if (source[at] !== ':') return false
        at++
      }
      if (!value()) return false
      space()
      if (source[at] === ',') at++
      else if (source[at] === close) {
        at++
        return true
      } else return false
    }
  }
  if (!value()) return at
  space()
  return at === source.length ? undefined : at
}

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  return `line ${line}, column ${column}`
}

/** Parses the text of a `*.ioc.json` file: JSON syntax errors come back as errors with a line and column. */
export function parseProjectText(source: string, options: ParseOptions = {}): ParseResult {
  let json: unknown
  try {
    json = JSON.parse(source)
  } catch {
    const offset = jsonErrorOffset(source) ?? source.length
    const found =
      offset < source.length ? `unexpected ${JSON.stringify(source[offset])}` : 'the text ends early'
    return failure('(document)', `not valid JSON at ${lineAndColumn(source, offset)}: ${found}`)
  }
  return parseProject(json, options)
}

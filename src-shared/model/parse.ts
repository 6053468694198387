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
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const position = /position (\d+)/.exec(message)
    const where = position ? ` at ${lineAndColumn(source, Number(position[1]))}` : ''
    const reason = message
      .replace(/\s*in JSON at position \d+.*$/, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '')
    return failure('(document)', `not valid JSON${where}: ${reason}`)
  }
  return parseProject(json, options)
}

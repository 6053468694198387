/**
 * Reading and writing the files the commands take, with errors that name the file and say what is wrong (the
 * command prints them and exits with status 1).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { parseProjectText } from '@shared/model/parse'
import type { Project } from '@shared/model/project'
import { fileKind, MAX_TEXT_FILE_BYTES } from '@shared/api/files'
import type { FileKind } from '@shared/api/files'
import { UsageError } from '../options'

/** The kind of a file named on the command line; a UsageError for anything else. */
export function kindOf(path: string, wanted: readonly FileKind[]): FileKind {
  const kind = fileKind(path)
  if (kind === null || !wanted.includes(kind)) {
    const names = wanted.map((k) => (k === 'project' ? 'a project (.ioc.json)' : 'a caproto script (.py)'))
    throw new UsageError(`${path} is not ${names.join(' or ')}`)
  }
  return kind
}

export function readText(path: string): string {
  let text: Buffer
  try {
    text = readFileSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(code === 'ENOENT' ? `${path}: no such file` : `${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  if (text.length > MAX_TEXT_FILE_BYTES) throw new Error(`${path}: too large for a project or script`)
  return text.toString('utf8')
}

/** Writes `text` to `path` whole or not at all (a temporary file renamed over it). */
export function writeText(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`
  try {
    writeFileSync(temporary, text)
    renameSync(temporary, path)
  } catch (error) {
    throw new Error(`${path}: cannot write it: ${(error as Error).message}`, { cause: error })
  }
}

/** A project file that does not load: every error, each with its path in the document. */
export class ProjectFileError extends Error {
  override readonly name = 'ProjectFileError'
  constructor(
    readonly file: string,
    readonly errors: readonly { path: string; message: string }[],
  ) {
    super(
      [`${file} is not a valid project:`, ...errors.map((e) => `  ${e.path || '(file)'}: ${e.message}`)].join(
        '\n',
      ),
    )
  }
}

export function loadProject(path: string): Project {
  const parsed = parseProjectText(readText(path))
  if (!parsed.ok) throw new ProjectFileError(path, parsed.errors)
  return parsed.project
}

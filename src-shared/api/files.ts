/**
 * The two kinds of file the app reads and writes, told apart by name the same way in every host: projects
 * (`*.ioc.json`, the document) and caproto scripts (`*.py`, imported or exported).
 */
export const PROJECT_EXTENSION = '.ioc.json'
export const SCRIPT_EXTENSION = '.py'

export type FileKind = 'project' | 'script'

export function fileKind(name: string): FileKind | null {
  const lower = name.toLowerCase()
  if (lower.endsWith(PROJECT_EXTENSION)) return 'project'
  if (lower.endsWith(SCRIPT_EXTENSION)) return 'script'
  return null
}

/** `name` with the kind's extension, added when the user typed a bare name ("motor" -> "motor.ioc.json"). */
export function withExtension(name: string, kind: FileKind): string {
  if (fileKind(name) === kind) return name
  return name + (kind === 'project' ? PROJECT_EXTENSION : SCRIPT_EXTENSION)
}

/** The file name without its kind's extension, for titles and default names. */
export function baseName(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path
  const kind = fileKind(name)
  if (kind === 'project') return name.slice(0, -PROJECT_EXTENSION.length)
  if (kind === 'script') return name.slice(0, -SCRIPT_EXTENSION.length)
  return name
}

/** Largest file the app will read as a project or script: anything bigger is not one. */
export const MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024

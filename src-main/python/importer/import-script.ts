/**
 * Import: a caproto server script becomes a project document. The script is read with Python's `ast` in the
 * app's Pyodide (it never runs), then mapped onto the document (to-project.ts).
 */
import type { PythonRuntime } from '../runtime'
import { readScript } from './python-tools'
import { ImportError, projectFromScript } from './to-project'
import type { ImportedProject } from './to-project'

export { ImportError } from './to-project'
export type { ImportedProject, ImportIssue } from './to-project'

/** Throws ImportError when the script is not valid Python or has no PVGroup to import. */
export async function importCaprotoScript(
  runtime: PythonRuntime,
  source: string,
  filename: string,
): Promise<ImportedProject> {
  const read = await readScript(runtime, source, filename)
  if ('syntaxError' in read) {
    const { line, column, message } = read.syntaxError
    throw new ImportError(`${filename}:${line}:${column}: ${message}`)
  }
  return projectFromScript(read, filename)
}

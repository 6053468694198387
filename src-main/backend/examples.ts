/**
 * The example projects File > New offers (resources/examples): every `*.ioc.json` there or one folder down,
 * known by its file name. Broken examples are left out of the list with a warning rather than failing it.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { ExampleProject } from '@shared/api/contract'
import { baseName, fileKind } from '@shared/api/files'
import { pvLocations } from '@shared/model/names'
import { parseProjectText } from '@shared/model/parse'
import type { Project } from '@shared/model/project'
import { readTextFile } from './project-files'

export interface LoadedExample extends ExampleProject {
  readonly path: string
  readonly project: Project
}

export async function loadExamples(
  folder: string,
  warn: (message: string) => void,
): Promise<LoadedExample[]> {
  let files: string[]
  try {
    files = await projectFilesIn(folder)
  } catch {
    warn(`No example projects: ${folder} cannot be read`)
    return []
  }
  const examples: LoadedExample[] = []
  for (const path of files) {
    const parsed = parseProjectText(await readTextFile(path))
    if (!parsed.ok) {
      warn(`Example ${path} is not a valid project: ${parsed.errors[0].path}: ${parsed.errors[0].message}`)
      continue
    }
    const { project } = parsed
    examples.push({
      id: baseName(path),
      name: project.server.name,
      description: project.server.description ?? '',
      pvCount: pvLocations(project).length,
      path,
      project,
    })
  }
  return examples.sort((a, b) => a.name.localeCompare(b.name))
}

async function projectFilesIn(folder: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isFile() && fileKind(entry.name) === 'project') found.push(path)
    else if (entry.isDirectory()) {
      for (const inner of await readdir(path, { withFileTypes: true })) {
        if (inner.isFile() && fileKind(inner.name) === 'project') found.push(join(path, inner.name))
      }
    }
  }
  return found
}

/**
 * `ioc-studio serve [project]`: the browser UI (serve/command.ts), opening a project, or importing a caproto
 * script, before the first browser connects.
 */
import { resolve } from 'node:path'
import type { Backend } from '../../backend'
import type { CliIo } from '../io'
import { SERVE_HELP } from '../serve/command'
import { kindOf } from './files'

export const SERVE_WITH_PROJECT_HELP = [
  ...SERVE_HELP.split('\n').slice(0, 1),
  '       ioc-studio serve <project.ioc.json | server.py> [--port N] [--host H]',
  '',
  'With a project, the app opens it (a caproto script is imported into a new project).',
  ...SERVE_HELP.split('\n').slice(1),
  '',
  'Exit status: 0 after Ctrl+C, 1 when it cannot serve or open the project, 2 for a wrong command line.',
].join('\n')

/** The project named first on the command line (if any), and the serve options after it. */
export function splitProject(args: readonly string[]): { project?: string; options: readonly string[] } {
  const [first, ...rest] = args
  if (first === undefined || first.startsWith('-')) return { options: args }
  kindOf(first, ['project', 'script'])
  return { project: first, options: rest }
}

export async function openProject(backend: Backend, project: string, io: CliIo): Promise<void> {
  const opened = await backend.openProject(resolve(project))
  io.out(`Opened ${project}: ${opened.project.server.name}`)
  for (const warning of opened.warnings)
    io.err(`warning  ${warning.path ? `${warning.path}: ` : ''}${warning.message}`)
}

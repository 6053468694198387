/**
 * `ioc-studio check`: the Problems panel's checks from the command line. A project is loaded and checked; a
 * caproto script gets Python's compile() and what import would make of it.
 */
import { basename, resolve } from 'node:path'
import { checkProject } from '@shared/model/check'
import type { Problem } from '@shared/model/check'
import { importCaprotoScript } from '../../python/importer/import-script'
import { checkSyntax } from '../../python/importer/python-tools'
import type { CliIo } from '../io'
import type { CommandContext } from './context'
import { fileArguments } from './file-arguments'
import { kindOf, loadProject, ProjectFileError, readText } from './files'
import { commandPython } from './python'

export const CHECK_HELP = [
  'Usage: ioc-studio check <project.ioc.json | server.py>',
  '',
  "Lists a project's problems as the app's Problems panel does: errors (which stop Start and Export) and",
  'warnings. A caproto script is compiled by Python and read as import would read it; its problems are',
  'those of the project it would become.',
  '',
  'Exit status: 0 when there are no errors (warnings are listed), 1 when there are errors or the file',
  'cannot be read, 2 for a wrong command line.',
].join('\n')

function report(io: CliIo, file: string, problems: readonly Problem[]): number {
  for (const problem of problems) {
    io.out(`${problem.severity.padEnd(8)} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`)
  }
  const errors = problems.filter((problem) => problem.severity === 'error').length
  const warnings = problems.length - errors
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`
  io.out(
    problems.length === 0
      ? `${file}: no problems`
      : `${file}: ${count(errors, 'error')}, ${count(warnings, 'warning')}`,
  )
  return errors > 0 ? 1 : 0
}

async function scriptProblems(path: string, context: CommandContext): Promise<Problem[]> {
  const source = readText(path)
  const python = commandPython(context.appDir, () => {})
  try {
    const name = basename(path)
    const syntax = await checkSyntax(python, source, name)
    if (syntax.length > 0) {
      return syntax.map((s) => ({
        severity: 'error',
        path: `line ${s.line}:${s.column}`,
        message: s.message,
      }))
    }
    const { project, warnings } = await importCaprotoScript(python, source, name)
    return [
      ...warnings.map((w): Problem => ({ severity: 'warning', path: w.path, message: w.message })),
      ...checkProject(project).filter((problem) => !problem.path.startsWith('verbatim[')),
    ]
  } finally {
    python.dispose()
  }
}

export async function checkCommand(
  args: readonly string[],
  io: CliIo,
  context: CommandContext,
): Promise<number> {
  const parsed = fileArguments(args, false)
  if (parsed === 'help') {
    io.out(CHECK_HELP)
    return 0
  }
  const kind = kindOf(parsed.file, ['project', 'script'])
  const path = resolve(parsed.file)
  if (kind === 'script') return report(io, parsed.file, await scriptProblems(path, context))
  try {
    return report(io, parsed.file, checkProject(loadProject(path)))
  } catch (error) {
    if (!(error instanceof ProjectFileError)) throw error
    return report(
      io,
      parsed.file,
      error.errors.map((e) => ({ severity: 'error', path: e.path, message: e.message })),
    )
  }
}

/** `ioc-studio import`: a caproto server script read (not run) into a project document. */
import { basename, resolve } from 'node:path'
import { exportProjectJson } from '@shared/codegen/project-json'
import { importCaprotoScript } from '../../python/importer/import-script'
import type { CliIo } from '../io'
import type { CommandContext } from './context'
import { fileArguments } from './file-arguments'
import { kindOf, readText, writeText } from './files'
import { commandLog } from './log-lines'
import { commandPython } from './python'

export const IMPORT_HELP = [
  'Usage: ioc-studio import <server.py> [-o project.ioc.json]',
  '',
  "Reads a caproto server script with Python's ast (the script does not run) into an IOC Studio project:",
  'pvproperties, hooks, SubGroups and group code. What the project cannot represent is kept exactly as',
  'written (and listed on stderr), never dropped. Without -o (or with -o -) the project goes to stdout.',
  '',
  'Options:',
  '  -o, --output FILE   write the project to FILE',
  '  -h, --help          show this help',
  '',
  'Exit status: 0 when imported (even with code kept as written), 1 when the script cannot be read or',
  'imported (not Python, no PVGroup), 2 for a wrong command line.',
].join('\n')

export async function importCommand(
  args: readonly string[],
  io: CliIo,
  context: CommandContext,
): Promise<number> {
  const parsed = fileArguments(args, true)
  if (parsed === 'help') {
    io.out(IMPORT_HELP)
    return 0
  }
  kindOf(parsed.file, ['script'])
  const source = readText(resolve(parsed.file))
  // Python's own progress is not the result: keep stdout for the project.
  const python = commandPython(context.appDir, commandLog({ out: io.err, err: io.err }, -1))
  try {
    const { project, warnings } = await importCaprotoScript(python, source, basename(parsed.file))
    for (const warning of warnings)
      io.err(`warning  ${warning.path ? `${warning.path}: ` : ''}${warning.message}`)
    const json = exportProjectJson(project)
    if (parsed.output === undefined) io.out(json.replace(/\n$/, ''))
    else {
      writeText(resolve(parsed.output), json)
      io.err(`Wrote ${parsed.output} (${project.pvs.length} PVs in the IOC class)`)
    }
    return 0
  } finally {
    python.dispose()
  }
}

/** `ioc-studio export`: a project's caproto script, the same text the app runs and exports. */
import { resolve } from 'node:path'
import { exportCaprotoScript, ExportError } from '@shared/codegen/caproto-script'
import type { CliIo } from '../io'
import { fileArguments } from './file-arguments'
import { kindOf, loadProject, writeText } from './files'

export const EXPORT_HELP = [
  'Usage: ioc-studio export <project.ioc.json> [-o server.py]',
  '',
  "Writes the project's caproto server script: the text the app runs and exports, which runs unchanged under",
  'caproto (python3 server.py --list-pvs). Without -o (or with -o -) the script goes to stdout.',
  '',
  'Options:',
  '  -o, --output FILE   write the script to FILE',
  '  -h, --help          show this help',
  '',
  'Exit status: 0 when written, 1 when the project cannot be read or has errors (listed on stderr),',
  '2 for a wrong command line.',
].join('\n')

export async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = fileArguments(args, true)
  if (parsed === 'help') {
    io.out(EXPORT_HELP)
    return 0
  }
  kindOf(parsed.file, ['project'])
  const project = loadProject(resolve(parsed.file))
  let script: string
  try {
    script = exportCaprotoScript(project)
  } catch (error) {
    if (!(error instanceof ExportError)) throw error
    io.err(`ioc-studio export: ${parsed.file}: ${error.message}`)
    return 1
  }
  if (parsed.output === undefined) io.out(script.replace(/\n$/, ''))
  else {
    writeText(resolve(parsed.output), script)
    io.err(`Wrote ${parsed.output}`)
  }
  return 0
}

/**
 * `ioc-studio run`: an IOC without the GUI. A project runs exactly as the app runs it (exported with the same
 * generator, in the same session); a caproto script runs as it is. It serves until Ctrl+C or SIGTERM, then
 * saves autosaved PVs, runs the shutdown hooks and closes every client's circuit.
 */
import { basename, resolve } from 'node:path'
import type { Project } from '@shared/model/project'
import { ProjectSession } from '../../backend/project-session'
import type { CliIo } from '../io'
import { UsageError } from '../options'
import type { CommandContext } from './context'
import { kindOf, loadProject, readText } from './files'
import { commandLog } from './log-lines'
import { commandPython } from './python'
import { runSettings, scriptArgv } from './run-options'
import type { RunSettings } from './run-options'

export const RUN_HELP = [
  'Usage: ioc-studio run <project.ioc.json | server.py> [--prefix P] [--list-pvs] [--interfaces IP [IP ...]]',
  '                      [-v | -q] [--<macro> VALUE ...]',
  '',
  "Runs an IOC without the GUI, in IOC Studio's Python (Pyodide) and Channel Access server. A project runs",
  "exactly as the app's Start runs it (its caproto export); a caproto server script runs as it is. It serves",
  'until Ctrl+C or SIGTERM, then saves autosaved PVs, runs the shutdown hooks and closes every client.',
  '',
  "Options (those of caproto's ioc_arg_parser):",
  '  --prefix P                 prefix of every PV name (default: the one the project or script sets)',
  '  --list-pvs                 print the PV names once serving',
  '  --interfaces IP [IP ...]   addresses to serve on (default: EPICS_CAS_INTF_ADDR_LIST, else all)',
  '  -v, --verbose              show debug messages too (repeatable: -vv)',
  '  -q, --quiet                show warnings and errors only',
  '  --async-lib LIB            accepted for caproto compatibility; IOC Studio runs asyncio',
  '  --<macro> VALUE            a macro of the project or script, e.g. --beamline BL7',
  '  -h, --help                 show this help',
  '',
  "Progress goes to stdout, the IOC's log (hook output, warnings, errors) to stderr. The server follows the",
  'EPICS environment (EPICS_CA_SERVER_PORT, EPICS_CAS_INTF_ADDR_LIST, EPICS_CAS_BEACON_ADDR_LIST...).',
  'Autosaved PVs are kept in <name>.autosave.json beside the file.',
  '',
  'Exit status: 0 after a clean stop, 1 when the IOC could not start or the file cannot be used,',
  '2 for a wrong command line.',
].join('\n')

/** A project's macros must be known, and the required ones given (before anything starts). */
function checkMacros(project: Project, settings: RunSettings): void {
  const known = project.server.macros ?? []
  for (const name of settings.macros.keys()) {
    if (!known.some((macro) => macro.name === name)) {
      const list = known.map((macro) => `--${macro.name}`).join(', ')
      throw new UsageError(`unknown option '--${name}' (the project's macros: ${list || 'none'})`)
    }
  }
  const missing = known.filter((macro) => macro.default === undefined && !settings.macros.has(macro.name))
  if (missing.length > 0) {
    throw new UsageError(`the project needs ${missing.map((macro) => `--${macro.name} VALUE`).join(' and ')}`)
  }
}

export async function runCommand(
  args: readonly string[],
  io: CliIo,
  context: CommandContext,
): Promise<number> {
  const settings = runSettings(args)
  if (settings === 'help') {
    io.out(RUN_HELP)
    return 0
  }
  const kind = kindOf(settings.target, ['project', 'script'])
  const path = resolve(settings.target)
  const project = kind === 'project' ? loadProject(path) : undefined
  const source = kind === 'script' ? readText(path) : undefined
  if (project) checkMacros(project, settings)

  const log = commandLog(io, settings.verbosity)
  const python = commandPython(context.appDir, log)
  const session = new ProjectSession({
    log,
    python,
    caConfig: settings.interfaces ? { interfaces: settings.interfaces } : undefined,
  })
  try {
    const argv = scriptArgv(settings)
    const status = project
      ? await session.start(project, path, { argv })
      : await session.startScript(source as string, basename(path), argv, path)
    if (status.state !== 'running') {
      io.err(`ioc-studio run: ${status.error ?? 'the IOC did not start'}`)
      return 1
    }
    if (settings.listPvs) {
      io.out('PVs:')
      for (const pv of session.database.list()) io.out(`  ${pv.name}`)
    }
    if (settings.verbosity >= 0) io.out('Press Ctrl+C to stop.')
    await context.untilStopped()
    if (settings.verbosity >= 0) io.out('Stopping…')
    await session.stop()
    return 0
  } finally {
    await session.dispose()
    python.dispose()
  }
}

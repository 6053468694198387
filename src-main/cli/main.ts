/**
 * `ioc-studio`: the headless command line. bin/ioc-studio.js imports the built copy (out/main/cli.js) and
 * calls `main`. Subcommands are a table, one entry each (their code is in ./commands and ./serve).
 *
 * Exit status of every command: 0 success, 1 failure (said on stderr), 2 a wrong command line.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CaServerLauncher } from '../backend'
import { processIo } from './io'
import type { CliIo } from './io'
import { UsageError } from './options'
import { CHECK_HELP, checkCommand } from './commands/check'
import type { CommandContext } from './commands/context'
import { EXPORT_HELP, exportCommand } from './commands/export'
import { IMPORT_HELP, importCommand } from './commands/import'
import { RUN_HELP, runCommand } from './commands/run'
import { openProject, SERVE_WITH_PROJECT_HELP, splitProject } from './commands/serve'
import { defaultRendererDir, serveSettings, startServe } from './serve/command'

// Two levels up from both src-main/cli/main.ts and its build, out/main/cli.js.
const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
  version: string
}

interface Subcommand {
  readonly summary: string
  readonly help: string
  run(args: readonly string[], io: CliIo, env: CliEnvironment): Promise<number>
}

export interface CliEnvironment {
  /** Tests pin the CA server; by default it follows the EPICS_CA* environment. */
  readonly launchCaServer?: CaServerLauncher
  /** Resolves when the process is asked to stop (Ctrl+C, SIGTERM). */
  readonly untilStopped: () => Promise<void>
}

const COMMANDS: Readonly<Record<string, Subcommand>> = {
  run: {
    summary: 'run a project or caproto script as an IOC, without the GUI (Ctrl+C stops it)',
    help: RUN_HELP,
    run: (args, io, env) => runCommand(args, io, commandContext(env)),
  },
  export: {
    summary: "write a project's caproto script",
    help: EXPORT_HELP,
    run: (args, io) => exportCommand(args, io),
  },
  import: {
    summary: 'read a caproto script into a project',
    help: IMPORT_HELP,
    run: (args, io, env) => importCommand(args, io, commandContext(env)),
  },
  check: {
    summary: "list a project's problems (exit status 1 on errors)",
    help: CHECK_HELP,
    run: (args, io, env) => checkCommand(args, io, commandContext(env)),
  },
  serve: {
    summary: 'serve the app to a web browser (127.0.0.1 by default)',
    help: SERVE_WITH_PROJECT_HELP,
    async run(args, io, env) {
      const { project, options } = splitProject(args)
      const settings = serveSettings(options, defaultRendererDir(import.meta.dirname))
      if (settings === 'help') {
        io.out(SERVE_WITH_PROJECT_HELP)
        return 0
      }
      const serving = await startServe(settings, io, { version, launchCaServer: env.launchCaServer })
      try {
        if (project !== undefined) await openProject(serving.backend, project, io)
      } catch (error) {
        await serving.close()
        throw error
      }
      await env.untilStopped()
      io.out('Stopping…')
      await serving.close()
      return 0
    },
  },
}

function commandContext(env: CliEnvironment): CommandContext {
  return { appDir: import.meta.dirname, untilStopped: env.untilStopped }
}

export const HELP = [
  `IOC Studio ${version}: build, run, watch and export EPICS soft IOCs.`,
  '',
  'Usage: ioc-studio <command> [options]',
  '',
  'Commands:',
  ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(8)}${command.summary}`),
  '',
  "Run 'ioc-studio <command> --help' for a command's options. The desktop app starts with `npm start`.",
].join('\n')

/** Runs the command line; resolves with the exit status. */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  env: CliEnvironment = processEnvironment(),
): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP)
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v') {
    io.out(version)
    return 0
  }
  const command = COMMANDS[name]
  if (!command || !Object.hasOwn(COMMANDS, name)) {
    io.err(`ioc-studio: unknown command '${name}'\n\n${HELP}`)
    return 2
  }
  try {
    return await command.run(args, io, env)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`ioc-studio ${name}: ${error.message}\n\n${command.help}`)
      return 2
    }
    io.err(`ioc-studio ${name}: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}

function processEnvironment(): CliEnvironment {
  return {
    untilStopped: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve())
        process.once('SIGTERM', () => resolve())
      }),
  }
}

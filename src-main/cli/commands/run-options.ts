/**
 * `ioc-studio run`'s command line, read the way caproto's ioc_arg_parser reads an IOC's: --prefix, --list-pvs,
 * --interfaces IP [IP ...], -v/-vv/--verbose or -q/--quiet, --async-lib, and --<macro> VALUE for the rest.
 */
import { UsageError } from '../options'

export interface RunSettings {
  /** The project (.ioc.json) or caproto script (.py). */
  readonly target: string
  readonly prefix?: string
  readonly listPvs: boolean
  readonly interfaces?: readonly string[]
  /** -1 quiet, 0 normal, 1 or more verbose. */
  readonly verbosity: number
  readonly asyncLib?: string
  /** In command-line order. */
  readonly macros: ReadonlyMap<string, string>
}

const ASYNC_LIBS = ['asyncio', 'curio', 'trio']
const MACRO = /^[A-Za-z_][A-Za-z0-9_]*$/

export function runSettings(args: readonly string[]): RunSettings | 'help' {
  if (args.includes('-h') || args.includes('--help')) return 'help'
  let target: string | undefined
  let prefix: string | undefined
  let listPvs = false
  let interfaces: string[] | undefined
  let verbose = 0
  let quiet = false
  let asyncLib: string | undefined
  const macros = new Map<string, string>()

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (!arg.startsWith('-')) {
      if (target !== undefined)
        throw new UsageError(`unexpected argument '${arg}' (one project or script at a time)`)
      target = arg
      continue
    }
    if (/^-v+$/.test(arg) || arg === '--verbose') {
      verbose += arg === '--verbose' ? 1 : arg.length - 1
      continue
    }
    if (arg === '-q' || arg === '--quiet') {
      quiet = true
      continue
    }
    const long = /^--([A-Za-z_][A-Za-z0-9_-]*)(?:=(.*))?$/.exec(arg)
    if (!long) throw new UsageError(`unknown option '${arg}'`)
    const [, name, inline] = long
    const value = (): string => {
      const given = inline ?? args[++i]
      if (given === undefined || given === '' || (inline === undefined && given.startsWith('-'))) {
        throw new UsageError(`option '--${name}' needs a value`)
      }
      return given
    }
    if (name === 'list-pvs') {
      if (inline !== undefined) throw new UsageError("option '--list-pvs' takes no value")
      listPvs = true
    } else if (name === 'prefix') prefix = inline ?? value()
    else if (name === 'interfaces') {
      interfaces = inline !== undefined ? [inline] : []
      while (i + 1 < args.length && !args[i + 1].startsWith('-')) interfaces.push(args[++i])
      if (interfaces.length === 0) throw new UsageError("option '--interfaces' needs at least one address")
    } else if (name === 'async-lib') {
      asyncLib = value()
      if (!ASYNC_LIBS.includes(asyncLib)) {
        throw new UsageError(
          `option '--async-lib' must be one of ${ASYNC_LIBS.join(', ')}, got '${asyncLib}'`,
        )
      }
    } else {
      if (!MACRO.test(name)) throw new UsageError(`unknown option '--${name}'`)
      if (macros.has(name)) throw new UsageError(`option '--${name}' given twice`)
      macros.set(name, value())
    }
  }
  if (verbose > 0 && quiet) throw new UsageError("'-v' and '-q' cannot be used together")
  if (target === undefined) throw new UsageError('which project or script? Give a .ioc.json or .py file')
  return {
    target,
    ...(prefix !== undefined ? { prefix } : {}),
    listPvs,
    ...(interfaces ? { interfaces } : {}),
    verbosity: quiet ? -1 : verbose,
    ...(asyncLib ? { asyncLib } : {}),
    macros,
  }
}

/** The IOC's own argv (what its ioc_arg_parser parses): prefix, macros, verbosity, async library. */
export function scriptArgv(settings: RunSettings): string[] {
  const argv: string[] = []
  if (settings.prefix !== undefined) argv.push('--prefix', settings.prefix)
  for (const [name, value] of settings.macros) argv.push(`--${name}`, value)
  if (settings.verbosity < 0) argv.push('-q')
  else if (settings.verbosity > 0) argv.push(`-${'v'.repeat(settings.verbosity)}`)
  if (settings.asyncLib) argv.push('--async-lib', settings.asyncLib)
  return argv
}

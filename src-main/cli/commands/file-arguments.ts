/** The command line of export, import and check: one file, and for the first two `-o FILE`. */
import { UsageError } from '../options'

export interface FileArguments {
  readonly file: string
  /** Where to write; undefined (or '-') means stdout. */
  readonly output?: string
}

export function fileArguments(args: readonly string[], takesOutput: boolean): FileArguments | 'help' {
  if (args.includes('-h') || args.includes('--help')) return 'help'
  let file: string | undefined
  let output: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const inline = /^--output=(.*)$/.exec(arg)
    if (takesOutput && (arg === '-o' || arg === '--output' || inline)) {
      if (output !== undefined) throw new UsageError("option '-o' given twice")
      output = inline ? inline[1] : args[++i]
      if (!output) throw new UsageError("option '-o' needs a file name (or - for stdout)")
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`)
    else if (file !== undefined) throw new UsageError(`unexpected argument '${arg}'`)
    else file = arg
  }
  if (file === undefined) throw new UsageError('which file?')
  return output === undefined || output === '-' ? { file } : { file, output }
}

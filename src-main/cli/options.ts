/** A tiny command-line option parser: `--name value`, `--name=value` and boolean `--flag`; nothing positional. */

export interface OptionSpec {
  readonly name: string
  /** Placeholder for the value (e.g. 'N'); absent for a boolean flag. */
  readonly value?: string
  readonly description: string
}

/** A mistake on the command line: printed with the usage, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export function parseOptions(
  args: readonly string[],
  specs: readonly OptionSpec[],
): Map<string, string | true> {
  const byName = new Map(specs.map((spec) => [spec.name, spec]))
  const parsed = new Map<string, string | true>()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`)
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    const spec = byName.get(name)
    if (!spec) throw new UsageError(`unknown option '--${name}'`)
    if (parsed.has(name)) throw new UsageError(`option '--${name}' given twice`)
    if (!spec.value) {
      if (eq !== -1) throw new UsageError(`option '--${name}' takes no value`)
      parsed.set(name, true)
      continue
    }
    const value = eq !== -1 ? arg.slice(eq + 1) : args[++i]
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw new UsageError(`option '--${name}' needs a value (${spec.value})`)
    }
    parsed.set(name, value)
  }
  return parsed
}

export function parsePort(text: string, option: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(`option '--${option}' must be a port from 0 to 65535, got '${text}'`)
  return port
}

/** Lines for a help text: the options aligned in two columns. */
export function formatOptions(specs: readonly OptionSpec[]): string[] {
  const heads = specs.map((spec) => `--${spec.name}${spec.value ? ` ${spec.value}` : ''}`)
  const width = Math.max(...heads.map((head) => head.length))
  return specs.map((spec, i) => `  ${heads[i].padEnd(width)}  ${spec.description}`)
}

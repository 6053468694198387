/** Where the CLI writes: stdout for results, stderr for diagnostics. Tests pass their own. */
export interface CliIo {
  out(line: string): void
  err(line: string): void
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}

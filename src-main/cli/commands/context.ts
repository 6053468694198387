/** What a command needs from the process around it (main.ts builds it; tests pass their own). */
export interface CommandContext {
  /** The folder of the running CLI (src-main/cli, or out/main when built): the Python shim is found from it. */
  readonly appDir: string
  /** Resolves when the process is asked to stop (Ctrl+C, SIGTERM). */
  readonly untilStopped: () => Promise<void>
}

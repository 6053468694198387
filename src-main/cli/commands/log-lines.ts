/**
 * How a command shows the IOC's log: progress (the session's own 'server' lines) as plain lines on stdout,
 * everything else (hook output, warnings, errors) on stderr with the time, level and source.
 */
import type { LogLevel } from '@shared/api/contract'
import type { CliIo } from '../io'

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 }

function clock(time: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`
}

export function formatLogLine(level: LogLevel, source: string, message: string, time = new Date()): string {
  return `${clock(time)} ${level.padEnd(5)} [${source}] ${message}`
}

/** A log sink for `io`: -1 quiet (warnings and errors), 0 normal (info and up), 1 or more verbose (debug too). */
export function commandLog(io: CliIo, verbosity: number) {
  const least = verbosity < 0 ? RANK.warn : verbosity > 0 ? RANK.debug : RANK.info
  return (level: LogLevel, source: string, message: string): void => {
    if (RANK[level] < least) return
    if (source === 'server' && RANK[level] <= RANK.info) io.out(message)
    else io.err(formatLogLine(level, source, message))
  }
}

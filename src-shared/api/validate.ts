/**
 * Argument parsers for every request in the contract. Both transports (Electron IPC and the browser bridge)
 * run incoming requests through `parseRequest` before anything reaches the backend, so a bad call fails the
 * same way everywhere: an `ApiError` whose message names the request and the argument.
 */
import { REQUEST_NAMES, STREAM_NAMES } from './contract'
import type { IocRequests, RequestName, StreamName } from './contract'
import { ApiError } from './errors'

export type RequestArgs<N extends RequestName> = Parameters<IocRequests[N]>

export interface ParsedRequest<N extends RequestName = RequestName> {
  readonly name: N
  readonly args: RequestArgs<N>
}

/** Most log entries one `getRecentLog` call may ask for (the backend keeps at most this many). */
export const LOG_HISTORY_LIMIT = 5000

/** Parses one argument; `label` is how the error message refers to it, e.g. "getRecentLog: argument 'limit'". */
type ArgParser<T> = (value: unknown, label: string) => T

interface ArgSpec<T> {
  readonly name: string
  readonly parse: ArgParser<T>
}

type ArgSpecs<A extends readonly unknown[]> = { readonly [I in keyof A]: ArgSpec<A[I]> }

const REQUEST_ARGS: { readonly [N in RequestName]: ArgSpecs<RequestArgs<N>> } = {
  getAppInfo: [],
  getServerStatus: [],
  startServer: [],
  stopServer: [],
  restartServer: [],
  getRecentLog: [{ name: 'limit', parse: integer(1, LOG_HISTORY_LIMIT) }],
}

const requestNames: ReadonlySet<string> = new Set(REQUEST_NAMES)
const streamNames: ReadonlySet<string> = new Set(STREAM_NAMES)

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && requestNames.has(name)
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && streamNames.has(name)
}

export function parseStreamName(name: unknown): StreamName {
  if (!isStreamName(name)) throw new ApiError('unknown-method', `Unknown stream ${describe(name)}`)
  return name
}

/** Validates a request as it arrives from a transport: a known name and an argument list that fits it. */
export function parseRequest(name: unknown, args: unknown): ParsedRequest {
  if (!isRequestName(name)) throw new ApiError('unknown-method', `Unknown request ${describe(name)}`)
  return { name, args: parseRequestArgs(name, args) }
}

export function parseRequestArgs<N extends RequestName>(name: N, args: unknown): RequestArgs<N> {
  const specs: readonly ArgSpec<unknown>[] = REQUEST_ARGS[name]
  const list = args === undefined ? [] : args
  if (!Array.isArray(list)) {
    throw new ApiError('bad-arguments', `${name}: arguments must be a list, got ${describe(args)}`)
  }
  if (list.length > specs.length) {
    const expected =
      specs.length === 0
        ? 'no arguments'
        : `at most ${plural(specs.length, 'argument')} (${specs.map((s) => s.name).join(', ')})`
    throw new ApiError('bad-arguments', `${name}: takes ${expected}, got ${list.length}`)
  }
  return specs.map((spec, i) => spec.parse(list[i], `${name}: argument '${spec.name}'`)) as RequestArgs<N>
}

function integer(min: number, max: number): ArgParser<number> {
  return (value, label) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ApiError(
        'bad-arguments',
        `${label} must be an integer from ${min} to ${max}, got ${describe(value)}`,
      )
    }
    return value
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** A short, safe rendering of an untrusted value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return `a list of ${value.length}`
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
    case 'number':
    case 'boolean':
      return String(value)
    case 'object':
      return 'an object'
    default:
      return `a ${typeof value}`
  }
}

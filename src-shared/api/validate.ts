/**
 * Argument parsers for every request in the contract. Both transports (Electron IPC and the browser bridge)
 * run incoming requests through `parseRequest` before anything reaches the backend, so a bad call fails the
 * same way everywhere: an `ApiError` whose message names the request and the argument.
 */
import type { Project } from '../model/project'
import { REQUEST_NAMES, STREAM_NAMES } from './contract'
import type { FileDialogPurpose, FileDialogRequest, IocRequests, RequestName, StreamName } from './contract'
import { structureIssues } from './editable-project'
import { ApiError } from './errors'
import { MAX_TEXT_FILE_BYTES } from './files'
import { parseCircuitId, parseLiveWriteValue, parsePvName } from './live'

export type RequestArgs<N extends RequestName> = Parameters<IocRequests[N]>

export interface ParsedRequest<N extends RequestName = RequestName> {
  readonly name: N
  readonly args: RequestArgs<N>
}

/** Most log entries one `getRecentLog` call may ask for (the backend keeps at most this many). */
export const LOG_HISTORY_LIMIT = 5000

/** Longest Python source one syntax check takes (a hook body or group code, not a whole library). */
export const MAX_PYTHON_SOURCE = 1024 * 1024

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
  getProject: [],
  updateProject: [{ name: 'project', parse: project }],
  newProject: [
    { name: 'example', parse: nullable(text({ max: 100, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/ })) },
  ],
  listExamples: [],
  openProject: [{ name: 'path', parse: absolutePath }],
  openProjectText: [
    { name: 'fileName', parse: text({ min: 1, max: 255 }) },
    { name: 'text', parse: text({ max: MAX_TEXT_FILE_BYTES }) },
  ],
  saveProject: [{ name: 'path', parse: nullable(absolutePath) }],
  getRecentProjects: [],
  previewExport: [],
  readScript: [{ name: 'path', parse: absolutePath }],
  exportScript: [{ name: 'path', parse: absolutePath }],
  checkPythonSyntax: [
    { name: 'source', parse: text({ max: MAX_PYTHON_SOURCE }) },
    { name: 'fileName', parse: text({ min: 1, max: 255 }) },
  ],
  applyChanges: [],
  listDirectory: [{ name: 'path', parse: nullable(absolutePath) }],
  showFileDialog: [{ name: 'request', parse: fileDialogRequest }],
  getLiveSnapshot: [],
  writePv: [
    { name: 'pv', parse: parsePvName },
    { name: 'value', parse: parseLiveWriteValue },
  ],
  getPutLog: [],
  disconnectClient: [{ name: 'circuitId', parse: parseCircuitId }],
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

interface TextLimits {
  readonly min?: number
  readonly max: number
  readonly pattern?: RegExp
}

function text({ min = 0, max, pattern }: TextLimits): ArgParser<string> {
  return (value, label) => {
    if (typeof value !== 'string')
      throw new ApiError('bad-arguments', `${label} must be text, got ${describe(value)}`)
    if (value.length < min || value.length > max) {
      const range = min > 0 ? `${min} to ${max}` : `at most ${max}`
      throw new ApiError('bad-arguments', `${label} must be ${range} characters long, got ${value.length}`)
    }
    if (pattern && !pattern.test(value)) {
      throw new ApiError('bad-arguments', `${label} is not a valid name: ${describe(value)}`)
    }
    return value
  }
}

function nullable<T>(parse: ArgParser<T>): ArgParser<T | null> {
  return (value, label) => (value === null ? null : parse(value, label))
}

/** POSIX `/…`, Windows `C:\…` or a UNC `\\server\…` path: a relative path would depend on the backend's cwd. */
const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/

function absolutePath(value: unknown, label: string): string {
  const path = text({ min: 1, max: 4096 })(value, label)
  if (!ABSOLUTE_PATH.test(path)) {
    throw new ApiError('bad-arguments', `${label} must be an absolute path, got ${describe(path)}`)
  }
  if (path.includes('\0')) throw new ApiError('bad-arguments', `${label} must not contain NUL characters`)
  return path
}

/** The document being edited: its structure must hold; breaking the format's rules is allowed (./editable-project). */
function project(value: unknown, label: string): Project {
  const issues = structureIssues(value)
  if (issues.length === 0) return value as Project
  const shown = issues.slice(0, 3).map((e) => `${e.path}: ${e.message}`)
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''
  throw new ApiError('bad-arguments', `${label} is not a project document: ${shown.join('; ')}${more}`)
}

const DIALOG_PURPOSES: readonly FileDialogPurpose[] = [
  'open',
  'save-project',
  'import-script',
  'export-script',
]

function fileDialogRequest(value: unknown, label: string): FileDialogRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('bad-arguments', `${label} must be an object, got ${describe(value)}`)
  }
  const { purpose, defaultPath } = value as Record<string, unknown>
  if (!DIALOG_PURPOSES.includes(purpose as FileDialogPurpose)) {
    throw new ApiError(
      'bad-arguments',
      `${label}: purpose must be one of ${DIALOG_PURPOSES.join(', ')}, got ${describe(purpose)}`,
    )
  }
  return {
    purpose: purpose as FileDialogPurpose,
    ...(defaultPath === undefined ? {} : { defaultPath: absolutePath(defaultPath, `${label}: defaultPath`) }),
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

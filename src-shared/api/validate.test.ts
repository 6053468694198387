import { describe, expect, it } from 'vitest'
import { REQUEST_NAMES } from './contract'
import { ApiError } from './errors'
import {
  describe as describeValue,
  isStreamName,
  LOG_HISTORY_LIMIT,
  parseRequest,
  parseStreamName,
} from './validate'

function rejection(run: () => unknown): ApiError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return error as ApiError
  }
  throw new Error('expected the call to throw')
}

const PROJECT = { formatVersion: 1, server: { name: 'Lab', className: 'Lab', prefix: 'LAB:' }, pvs: [] }

/** A valid argument list for every request (the ones without arguments are left out). */
const SAMPLE_ARGS: Partial<Record<(typeof REQUEST_NAMES)[number], unknown[]>> = {
  getRecentLog: [10],
  updateProject: [PROJECT],
  newProject: ['motor-sim'],
  openProject: ['/home/me/lab.ioc.json'],
  openProjectText: ['lab.ioc.json', '{}'],
  saveProject: [null],
  readScript: ['C:\\iocs\\server.py'],
  exportScript: ['/tmp/server.py'],
  checkPythonSyntax: ['return value', '<putter of sp>'],
  listDirectory: [null],
  showFileDialog: [{ purpose: 'open' }],
  writePv: ['LAB:sp', 1.5],
  disconnectClient: [3],
}

describe('parseRequest', () => {
  it('accepts every request of the contract with its arguments', () => {
    for (const name of REQUEST_NAMES) {
      const args = SAMPLE_ARGS[name] ?? []
      expect(parseRequest(name, args)).toEqual({ name, args })
    }
  })

  it('takes a project being edited even when it breaks the rules, but not a broken structure', () => {
    const seventeen = { ...PROJECT, pvs: [{ name: 'mode', type: 'ENUM', enumStrings: Array(17).fill('s') }] }
    expect(parseRequest('updateProject', [seventeen]).args).toEqual([seventeen])
    const error = rejection(() => parseRequest('updateProject', [{ ...PROJECT, pvs: [{ type: 'DOUBLE' }] }]))
    expect(error.message).toBe(
      "updateProject: argument 'project' is not a project document: pvs[0].name: must be text",
    )
  })

  it('wants absolute paths, so nothing depends on where the backend runs', () => {
    expect(rejection(() => parseRequest('openProject', ['lab.ioc.json'])).message).toBe(
      `openProject: argument 'path' must be an absolute path, got "lab.ioc.json"`,
    )
    expect(rejection(() => parseRequest('exportScript', ['/tmp/a\0.py'])).message).toContain('NUL')
    expect(rejection(() => parseRequest('saveProject', [])).message).toContain("argument 'path' must be text")
    expect(parseRequest('listDirectory', ['\\\\server\\share']).args).toEqual(['\\\\server\\share'])
  })

  it('checks file dialog requests and example names', () => {
    expect(
      parseRequest('showFileDialog', [{ purpose: 'save-project', defaultPath: '/a/b.ioc.json' }]).args,
    ).toEqual([{ purpose: 'save-project', defaultPath: '/a/b.ioc.json' }])
    expect(rejection(() => parseRequest('showFileDialog', [{ purpose: 'delete' }])).message).toBe(
      'showFileDialog: argument \'request\': purpose must be one of open, save-project, import-script, export-script, got "delete"',
    )
    expect(rejection(() => parseRequest('newProject', ['../etc'])).message).toContain('is not a valid name')
    expect(parseRequest('newProject', [null]).args).toEqual([null])
  })

  it('treats missing arguments as an empty list', () => {
    expect(parseRequest('getAppInfo', undefined)).toEqual({ name: 'getAppInfo', args: [] })
  })

  it('rejects unknown and inherited names', () => {
    for (const name of ['dispose', 'constructor', 'toString', '__proto__', 42, null]) {
      const error = rejection(() => parseRequest(name, []))
      expect(error.code).toBe('unknown-method')
      expect(error.message).toMatch(/^Unknown request /)
    }
  })

  it('names the argument that is wrong and what it got', () => {
    const error = rejection(() => parseRequest('getRecentLog', ['50']))
    expect(error.code).toBe('bad-arguments')
    expect(error.message).toBe(
      `getRecentLog: argument 'limit' must be an integer from 1 to ${LOG_HISTORY_LIMIT}, got "50"`,
    )
    expect(rejection(() => parseRequest('getRecentLog', [])).message).toContain("argument 'limit'")
    expect(rejection(() => parseRequest('getRecentLog', [0])).message).toContain('got 0')
    expect(rejection(() => parseRequest('getRecentLog', [1.5])).message).toContain('got 1.5')
    expect(rejection(() => parseRequest('getRecentLog', [LOG_HISTORY_LIMIT + 1])).code).toBe('bad-arguments')
  })

  it('rejects extra arguments and argument lists that are not lists', () => {
    expect(rejection(() => parseRequest('startServer', [1])).message).toBe(
      'startServer: takes no arguments, got 1',
    )
    expect(rejection(() => parseRequest('getRecentLog', [1, 2])).message).toBe(
      'getRecentLog: takes at most 1 argument (limit), got 2',
    )
    expect(rejection(() => parseRequest('getRecentLog', { limit: 1 })).message).toBe(
      'getRecentLog: arguments must be a list, got an object',
    )
  })
})

describe('streams', () => {
  it('knows the contract streams and rejects others', () => {
    expect(isStreamName('onDidLog')).toBe(true)
    expect(parseStreamName('onDidChangeServerStatus')).toBe('onDidChangeServerStatus')
    expect(rejection(() => parseStreamName('onDidExplode')).message).toBe('Unknown stream "onDidExplode"')
  })
})

describe('describe', () => {
  it('keeps untrusted values short', () => {
    expect(describeValue('x'.repeat(100))).toBe(JSON.stringify(`${'x'.repeat(40)}…`))
    expect(describeValue([1, 2])).toBe('a list of 2')
    expect(describeValue(undefined)).toBe('nothing')
  })
})

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

describe('parseRequest', () => {
  it('accepts every request of the contract with its arguments', () => {
    for (const name of REQUEST_NAMES) {
      const args = name === 'getRecentLog' ? [10] : []
      expect(parseRequest(name, args)).toEqual({ name, args })
    }
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

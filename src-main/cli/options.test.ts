import { describe, expect, it } from 'vitest'
import { formatOptions, parseOptions, parsePort, UsageError } from './options'

const SPECS = [
  { name: 'port', value: 'N', description: 'the port' },
  { name: 'help', description: 'help' },
]

describe('parseOptions', () => {
  it('reads values in both spellings and flags', () => {
    expect(parseOptions(['--port', '80', '--help'], SPECS)).toEqual(
      new Map<string, string | true>([
        ['port', '80'],
        ['help', true],
      ]),
    )
    expect(parseOptions(['--port=81'], SPECS).get('port')).toBe('81')
  })

  it.each([
    [['serve'], "unexpected argument 'serve'"],
    [['--prot', '1'], "unknown option '--prot'"],
    [['--port'], "option '--port' needs a value (N)"],
    [['--port', '--help'], "option '--port' needs a value (N)"],
    [['--port='], "option '--port' needs a value (N)"],
    [['--help=yes'], "option '--help' takes no value"],
    [['--port', '1', '--port', '2'], "option '--port' given twice"],
  ])('rejects %j', (args, message) => {
    expect(() => parseOptions(args, SPECS)).toThrow(new UsageError(message))
  })
})

describe('parsePort', () => {
  it('accepts 0 to 65535 only', () => {
    expect(parsePort('0', 'port')).toBe(0)
    expect(parsePort('65535', 'port')).toBe(65535)
    for (const bad of ['65536', '-1', '1e3', 'http', ' 80']) {
      expect(() => parsePort(bad, 'port')).toThrow(
        `option '--port' must be a port from 0 to 65535, got '${bad}'`,
      )
    }
  })
})

describe('formatOptions', () => {
  it('aligns the descriptions', () => {
    expect(formatOptions(SPECS)).toEqual(['  --port N  the port', '  --help    help'])
  })
})

import { describe, expect, it } from 'vitest'
import { UsageError } from '../options'
import { runSettings, scriptArgv } from './run-options'

describe('run options (caproto ioc_arg_parser flags)', () => {
  it('reads the target, caproto flags and macros in any order', () => {
    const settings = runSettings([
      '--prefix',
      'BL7:',
      'motor.ioc.json',
      '--list-pvs',
      '--interfaces',
      '127.0.0.1',
      '10.0.0.2',
      '-vv',
      '--beamline=BL7',
      '--hutch',
      'B',
    ])
    expect(settings).toEqual({
      target: 'motor.ioc.json',
      prefix: 'BL7:',
      listPvs: true,
      interfaces: ['127.0.0.1', '10.0.0.2'],
      verbosity: 2,
      macros: new Map([
        ['beamline', 'BL7'],
        ['hutch', 'B'],
      ]),
    })
    if (settings === 'help') throw new Error('help')
    expect(scriptArgv(settings)).toEqual(['--prefix', 'BL7:', '--beamline', 'BL7', '--hutch', 'B', '-vv'])
    expect(scriptArgv({ ...settings, verbosity: -1, asyncLib: 'asyncio' })).toContain('-q')
  })

  it('asks for help anywhere', () => {
    expect(runSettings(['x.py', '-h'])).toBe('help')
    expect(runSettings(['--help'])).toBe('help')
  })

  it.each([
    [[], 'which project or script? Give a .ioc.json or .py file'],
    [['a.py', 'b.py'], "unexpected argument 'b.py' (one project or script at a time)"],
    [['a.py', '-v', '-q'], "'-v' and '-q' cannot be used together"],
    [['a.py', '--prefix'], "option '--prefix' needs a value"],
    [['a.py', '--interfaces', '-v'], "option '--interfaces' needs at least one address"],
    [
      ['a.py', '--async-lib', 'gevent'],
      "option '--async-lib' must be one of asyncio, curio, trio, got 'gevent'",
    ],
    [['a.py', '-x'], "unknown option '-x'"],
    [['a.py', '--list-pvs=yes'], "option '--list-pvs' takes no value"],
    [['a.py', '--bl', '1', '--bl', '2'], "option '--bl' given twice"],
  ])('refuses %j', (args, message) => {
    expect(() => runSettings(args)).toThrow(new UsageError(message))
  })
})
